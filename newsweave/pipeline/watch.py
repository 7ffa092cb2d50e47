"""Following the news as it is published: ingest web sources (pages, feeds, sitemaps, web archives) into a
store, and `watch` them: poll, ingest what is new, update stories, report what changed.

`ingest_sources` is the web counterpart of `pipeline.ingest`: the same cleaning, residue learning and
store, with documents read by `ingest.fetch.read_urls` and `ingest.warc.read_archive`. Each article is
stored in its own transaction, and what was fetched is stored before an interrupt is let through, so
Ctrl-C loses nothing that arrived. `watch` is a generator of `PollReport`s with injectable clock, sleep
and stop event, so a test runs ten polls in milliseconds.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator


from newsweave.config import CleanSettings, ReadSettings
from newsweave.errors import ConfigError, InputError
from newsweave.ingest.fetch import (
    Checkpoint, Fetcher, FetchSettings, HttpFetcher, MemoryValidatorCache, NotModified, ValidatorCache, read_urls,
)
from newsweave.ingest.urls import is_url
from newsweave.ingest.warc import ArchiveStats, is_archive, read_archive
from newsweave.model import Article, RawDocument
from newsweave.pipeline.ingest import CHUNK_DOCUMENTS, AlreadyKnown, ArticleStore, IngestReport, clean_document, finish_chunk, store_results, update_stories

log = logging.getLogger(__name__)

MIN_INTERVAL = 30.0  # seconds: polling a feed more often burdens the site and finds nothing more
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\s*$", re.I)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(slots=True)
class SourceReport(IngestReport):
    """An IngestReport plus what only web sources have: addresses unchanged since the last fetch (304)
    and archive records skipped, by reason."""

    not_modified: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False


def is_web_source(text: str) -> bool:
    """Whether `ingest_sources` reads this input (a URL or a web archive) rather than `pipeline.ingest`."""
    return is_url(text) or is_archive(text)


def ingest_sources(
    sources: Iterable[str],
    store: ArticleStore,
    *,
    fetcher: Fetcher | None = None,
    fetch: FetchSettings = FetchSettings(),
    validators: ValidatorCache | None = None,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    seen: set[str] | None = None,
    stop: threading.Event | None = None,
    report: SourceReport | None = None,
    on_source: Callable[[str], None] | None = None,
) -> SourceReport:
    """Fetch, clean and store web sources: `https://` pages, feeds and sitemaps, and `.warc`/`.warc.gz`/`.arc` files.

    Failures are collected in the report, one per page or record, and the rest is stored. `seen` holds
    feed-item addresses already handled (they are not fetched again) and is updated as items are
    stored; `validators` likewise, for conditional requests. Setting `stop` ends the run after the
    article in hand, storing what was read. A KeyboardInterrupt is re-raised after the same.
    Pass `report` to keep what was done even when interrupted; `on_source` is called as each source
    is read through (for a progress bar).
    """
    report = report if report is not None else SourceReport()
    seen = seen if seen is not None else set()
    validators = validators if validators is not None else MemoryValidatorCache()
    own = fetcher is None
    active = fetcher if fetcher is not None else HttpFetcher(fetch)
    try:
        documents = _documents(list(sources), active, validators, read, seen, report, on_source)
        try:
            _clean_and_store(documents, store, settings, report, validators, seen, stop)
        finally:
            documents.close()  # a stop mid-archive closes the file now
    finally:
        if own:
            active.close()  # type: ignore[attr-defined]
    return report


def _documents(
    sources: list[str],
    fetcher: Fetcher,
    validators: ValidatorCache,
    read: ReadSettings,
    seen: set[str],
    report: SourceReport,
    on_source: Callable[[str], None] | None,
) -> Iterator[RawDocument | InputError | NotModified | Checkpoint]:
    urls: list[str] = []  # consecutive addresses are read together: an article two feeds list is fetched once

    def flush_urls() -> Iterator[RawDocument | InputError | NotModified | Checkpoint]:
        yield from read_urls(list(urls), fetcher, validators=validators, read=read, seen=seen, on_source=on_source)
        urls.clear()

    for source in sources:
        if is_url(source):
            urls.append(source)
            continue
        yield from flush_urls()
        if is_archive(source):
            stats = ArchiveStats()
            yield from read_archive(source, read, stats)
            report.skipped.update(stats.skipped)
            yield Checkpoint((source,))
        else:
            yield InputError(source, "not a web address or a web archive (.warc, .warc.gz, .arc, .arc.gz)")
        if on_source:
            on_source(source)
    yield from flush_urls()


def _clean_and_store(
    documents: Iterator[RawDocument | InputError | NotModified | Checkpoint],
    store: ArticleStore,
    settings: CleanSettings,
    report: SourceReport,
    validators: ValidatorCache,
    seen: set[str],
    stop: threading.Event | None,
) -> None:
    """Clean documents, then (per chunk, at each checkpoint, and before an interrupt goes through)
    learn residue, store, and only then apply the checkpoints reached."""
    pending: list[Article | InputError | AlreadyKnown] = []
    checkpoints: list[Checkpoint] = []

    def flush() -> None:
        store_results(finish_chunk(pending, settings), store, report)
        pending.clear()
        for checkpoint in checkpoints:
            for url in checkpoint.urls:
                if checkpoint.validators:
                    validators.put(url, checkpoint.validators)
                if checkpoint.item:
                    seen.add(url)
        checkpoints.clear()

    try:
        for item in documents:
            if isinstance(item, Checkpoint):
                checkpoints.append(item)
                if not item.item:  # a whole source read: store it
                    flush()
            elif isinstance(item, NotModified):
                report.not_modified.append(item.source)
            else:
                pending.append(clean_document(item, settings, store.known_raw))
                if len(pending) >= CHUNK_DOCUMENTS:
                    flush()
            if stop is not None and stop.is_set():
                report.interrupted = True
                break
    except KeyboardInterrupt:  # store what arrived; the source in hand has no checkpoint yet, so it is read again
        report.interrupted = True
        flush()
        raise
    flush()


# --- watch ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryChange:
    """A story that gained articles in a poll."""

    id: str
    headline: str
    added: tuple[str, ...]  # the ids of the articles it gained
    new: bool  # the story did not exist before the poll
    conflicts_before: int
    conflicts_after: int
    articles: int  # articles it holds now

    @property
    def new_conflicts(self) -> int:
        return max(0, self.conflicts_after - self.conflicts_before)


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did: the ingest (added, known, unchanged, failed) and the stories that changed."""

    number: int
    started: datetime
    ingest: SourceReport
    stories: tuple[StoryChange, ...] = ()
    interrupted: bool = False

    @property
    def new_stories(self) -> tuple[StoryChange, ...]:
        return tuple(s for s in self.stories if s.new)

    @property
    def conflicted(self) -> tuple[StoryChange, ...]:
        """Stories with more conflicts than before the poll."""
        return tuple(s for s in self.stories if s.new_conflicts)


def parse_duration(text: str) -> float:
    """Seconds in `30s`, `10m`, `1h`, `1d`, `90` (seconds) or `1.5h`."""
    match = _DURATION.match(text)
    if not match:
        raise ConfigError(f"--every {text!r}: expected a duration such as 30s, 10m, 1h or 1d")
    unit = (match.group(2) or "s")[0].lower()
    return float(match.group(1)) * _UNIT_SECONDS[unit]


def watch(
    sources: Iterable[str],
    every: float | str | timedelta,
    store,  # noqa: ANN001 - a store with add, known_raw, stories, story_of (SQLStore)
    *,
    fetcher: Fetcher | None = None,
    fetch: FetchSettings = FetchSettings(),
    validators: ValidatorCache | None = None,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    stop: threading.Event | None = None,
    sleep: Callable[[float], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    max_polls: int | None = None,
    update: Callable[..., object] = update_stories,
) -> Iterator[PollReport]:
    """Poll `sources` every `every` (seconds, `"10m"`, or a timedelta) and yield a report per poll.

    Each poll ingests what is new (feeds are asked conditionally; items already read are not fetched
    again), updates the stories of the store when articles were added, and reports the stories that
    gained articles, with their conflict counts before and after. It stops when `stop` is set (also
    during the wait), after `max_polls`, or on KeyboardInterrupt: the poll in hand then yields what it
    stored, marked `interrupted`, and the generator ends. Nothing fetched is lost.
    """
    interval = _seconds(every)
    if interval < MIN_INTERVAL:
        raise ConfigError(f"--every {interval:g} s is too often: poll at most every {MIN_INTERVAL:g} s (30s), so sites are not burdened")
    sources = list(sources)
    stop = stop if stop is not None else threading.Event()
    wait = sleep if sleep is not None else stop.wait
    validators = validators if validators is not None else MemoryValidatorCache()
    seen: set[str] = set()
    own = fetcher is None
    active = fetcher if fetcher is not None else HttpFetcher(fetch)
    number = 0
    due = clock()
    try:
        while not stop.is_set() and (max_polls is None or number < max_polls):
            number += 1
            report = SourceReport()
            started = datetime.now(timezone.utc)
            interrupted = False
            before = {s.id: s for s in store.stories()}
            try:
                ingest_sources(
                    sources, store, fetcher=active, validators=validators, read=read, settings=settings,
                    seen=seen, stop=stop, report=report,
                )
                if report.added:
                    update(store)
            except KeyboardInterrupt:
                interrupted = True
            yield PollReport(number, started, report, _changes(store, before, report.added), interrupted or report.interrupted)
            if interrupted or (max_polls is not None and number >= max_polls):
                return
            due = max(due + interval, clock())
            try:
                wait(max(0.0, due - clock()))
            except KeyboardInterrupt:
                return
    finally:
        if own:
            active.close()  # type: ignore[attr-defined]


def _seconds(every: float | str | timedelta) -> float:
    if isinstance(every, timedelta):
        return every.total_seconds()
    return parse_duration(every) if isinstance(every, str) else float(every)


def _changes(store, before: dict, added: list[str]) -> tuple[StoryChange, ...]:  # noqa: ANN001
    by_story: dict[str, list[str]] = {}
    for article_id in added:
        story = store.story_of(article_id)
        if story:
            by_story.setdefault(story, []).append(article_id)
    if not by_story:
        return ()
    after = {s.id: s for s in store.stories()}
    changes = []
    for story_id, ids in by_story.items():
        now, then = after.get(story_id), before.get(story_id)
        if now is None:
            continue
        changes.append(StoryChange(
            id=story_id, headline=now.headline, added=tuple(ids), new=then is None,
            conflicts_before=(then.conflict_count or 0) if then else 0, conflicts_after=now.conflict_count or 0,
            articles=now.article_count,
        ))
    return tuple(changes)
