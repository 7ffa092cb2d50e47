"""The second process of `StoryClusterer.add_stream`: it makes articles' unit vectors and band keys a few batches
ahead, in stream order, from its own copy of the document frequencies, which it counts as the clusterer does (so
the two stay equal), while the clusterer scores and joins: two cores instead of one, the same stories.

`Background.prepared(stream, ...)` gives the stream back, each article with what the process made of it; when
it ends (or is closed early), the process stops and its document frequencies are in `df`, less the terms of
the articles it counted that were not handed out.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter, deque
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator, Sequence

from newsweave.errors import ClusterError
from newsweave.model import ArticleFeatures
from newsweave.stories.index import Bander
from newsweave.stories.vectors import keys_of, terms_of, unit_weights, vectors_of

log = logging.getLogger(__name__)

__all__ = ["Background"]


class Background:
    """The process, its two queues, and what it sent back last (see the module docstring)."""

    # a stream of MIN articles or more is prepared in the background (by default), BATCH articles at a time, AHEAD
    # batches ahead of the clusterer (class attributes: how the work is shared does not change a story, so they
    # stay out of the constants' digest that a saved state is checked against)
    MIN = 5_000
    BATCH = 256
    AHEAD = 4

    def __init__(self, df: Counter[str], n_docs: int, bander: Bander) -> None:
        import multiprocessing  # here: only a stream of thousands of articles starts a process

        # fork copies the frequencies for free; a process running other threads (a web server, a Dask worker) spawns
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1 else "spawn"
        context = multiprocessing.get_context(method)
        self.tasks, self.results = context.Queue(), context.Queue()
        self.failure: str | None = None
        self.df: Counter[str] | None = None  # the process's document frequencies, once it has stopped (None: it failed)
        self.process = context.Process(target=_prepare_in_background, name="newsweave-prepare", daemon=True,
                                       args=(self.tasks, self.results, df, n_docs, bander))
        self.process.start()

    @classmethod
    def start(cls, df: Counter[str], n_docs: int, bander: Bander) -> Background | None:
        """The process started from these document frequencies of `n_docs` articles; None where none can start."""
        try:
            return cls(df, n_docs, bander)
        except (OSError, ValueError, RuntimeError) as exc:  # no processes here (a sandbox), or no way to start one
            log.warning("clustering: cannot start a background process to prepare articles (%s); clustering in one process", exc)
            return None

    def prepared(self, stream: Iterable[ArticleFeatures], known: Callable[[str], bool], counted: Callable[[str], bool],
                 ) -> Iterator[tuple[ArticleFeatures, tuple[list[float] | Any, Any] | None, bool]]:
        """Each article of the stream, in order, with the (unit weights, band keys) made of it and whether `prime` had
        counted it (`counted`, asked as it is sent); (f, None, False) for an id `known` (added) or sent before, which
        `add` passes over. At its end, or closed early, the process stops and `df` holds its frequencies less the
        terms of the articles it counted that were not handed out. Raises ClusterError when the process failed."""
        source = iter(stream)
        batches: deque[list[tuple[ArticleFeatures, bool | None]]] = deque()  # sent, oldest first: (article, counted or None)
        waiting: set[str] = set()  # ids sent and not yet handed out

        def send() -> None:
            batch: list[tuple[ArticleFeatures, bool | None]] = []
            for f in islice(source, self.BATCH):  # an id added or sent before is a duplicate: `add` passes over it
                new = not known(f.id) and f.id not in waiting
                if new:
                    waiting.add(f.id)
                batch.append((f, counted(f.id) if new else None))
            if batch:
                self.send([(was_counted, *terms_of(f)) for f, was_counted in batch if was_counted is not None])
                batches.append(batch)

        batch: list[tuple[ArticleFeatures, bool | None]] = []
        done = 0  # articles of `batch` handed out
        try:
            for _ in range(self.AHEAD):
                send()
            while batches:
                batch, done = batches.popleft(), 0
                made = self.receive()
                send()
                made.reverse()
                for f, was_counted in batch:
                    done += 1  # handed out: the clusterer adds it before it asks for the next
                    if was_counted is None:
                        yield f, None, False
                    else:
                        waiting.discard(f.id)
                        yield f, made.pop(), was_counted
        finally:
            self.df = self.finish([f for f, was_counted in chain(batch[done:], *batches) if was_counted is False])

    def send(self, items: list[tuple]) -> None:
        self.tasks.put(items)

    def receive(self) -> list[tuple[tuple[list[float], ...], tuple | None]]:
        """The next batch's (unit weights, band keys), in order. Raises ClusterError when the process failed."""
        out = self._next()
        if not isinstance(out, list):
            self.stop()
            raise ClusterError(f"the background process preparing articles failed ({self.failure or 'it sent no batch'}); the "
                               "clusterer's document frequencies of this stream are lost: start again from the saved state, "
                               "or in one process (add_stream(..., background=False))")
        return out

    def finish(self, unadded: Sequence[ArticleFeatures]) -> Counter[str] | None:
        """Stop the process and take back its document frequencies, less the terms of `unadded` (articles it counted
        that were not added: a stream stopped early); None when it failed."""
        df = None
        if self.failure is None:
            self.tasks.put(None)
            while isinstance(out := self._next(), list):  # batches it made that will not be added
                pass
            df = out if isinstance(out, Counter) else None
        self.stop()
        if df is not None:
            for key in chain.from_iterable(map(keys_of, unadded)):
                if df[key] > 1:
                    df[key] -= 1
                else:
                    del df[key]
        return df

    def _next(self) -> Any:
        """The next message: a batch (a list), the frequencies at the end (a Counter); None when the process failed."""
        while True:
            try:
                out = self.results.get(timeout=1.0)
            except queue.Empty:
                if self.process.is_alive():
                    continue
                self.failure = f"it stopped with exit code {self.process.exitcode}"
                return None
            if isinstance(out, str):
                self.failure = out
                return None
            return out

    def stop(self) -> None:
        if self.failure is None:  # it was told to end (finish): let it exit
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        for q in (self.tasks, self.results):
            q.cancel_join_thread()  # nothing waits on what is left in the pipes of a stopped process
            q.close()


def _prepare_in_background(tasks: Any, results: Any, df: Counter[str], n_docs: int, bander: Bander) -> None:
    """The background process's loop: batches of (counted by `prime`, terms...) in, (unit weights, band keys) out; at
    None, the document frequencies it counted out. An exception goes back as its text."""
    try:
        while (batch := tasks.get()) is not None:
            out = []
            for counted, *terms in batch:
                if not counted:
                    n_docs += 1
                weights = unit_weights(terms, df, n_docs, counted)  # type: ignore[arg-type]
                out.append((weights, bander(vectors_of(terms, weights))))  # type: ignore[arg-type]
            results.put(out)
        results.put(df)
    except Exception as exc:  # noqa: BLE001 - it goes back to the clusterer, which says so
        results.put(f"{type(exc).__name__}: {exc}")
