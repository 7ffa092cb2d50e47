"""A batch run: the stages of `ingest` then `update_stories`, with the per-document and per-story work on an
engine's workers and what needs the whole batch in the driver.

1. **Read and clean** (workers): each partition's documents (`clean_partition`).
2. **Outlet names, template residue, storing** (driver): the rest of the loop `ingest` runs (`pipeline.Chunks`).
   The cleaned results, in input order, are cut into the chunks `newsweave ingest` cuts (`CHUNK_DOCUMENTS`
   documents, a web archive's end); documents whose exact bytes are stored already are set aside,
   `finish_chunk` learns one name per outlet and each outlet's template lines per chunk, and `store.add`
   writes the articles in order. So the same inputs give the same article ids, sources and dedupe as `ingest`.
3. **Language analysis** (workers): the newly stored articles, in batches (`analyze_batch`), sent as each chunk
   is stored.
4. **Clustering** (driver): the stored articles in no story yet, into the clusterer state the store saved
   (`regroup_stories`, exactly as `update_stories` does: every article is regrouped only when that state
   cannot be gone on from), while the workers analyse: it needs no analysis.
5. **Dossiers** (workers): each new or changed story, its analysed articles shipped whole to one worker
   (`build_story_dossiers`); the driver saves each with `store.save_dossier`.

The driver holds no model; the workers hold no connection. A bad input is a counted failure naming the
file, as in `ingest`; a task that fails on a worker fails only its own files or stories.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from newsweave.config import DEFAULT_EMBEDDER
from newsweave.config import CleanSettings, ReadSettings
from newsweave.distributed._engines import Engine, EngineError, TaskFuture
from newsweave.distributed._partitions import FILES_PER_PARTITION, Partition, partition_inputs
from newsweave.distributed._stages import (
    AnalyzedBatch,
    CleanedPartition,
    Failure,
    FileOutcome,
    StoryDossiers,
    StoryWork,
    analyze_batch,
    build_story_dossiers,
    clean_partition,
)
from newsweave.model import AnalyzedArticle, Article, StoryGroup
from newsweave.pipeline import Chunks, IngestReport, regroup_stories, stale_stories, store_results

log = logging.getLogger(__name__)

ANALYSIS_BATCH = 16  # articles per language-analysis task: ~1-2 s of spaCy, so the engine's ~1 ms per task is nothing, and tasks stay small enough to balance
STORY_TASK_ARTICLES = 32  # articles per dossier task, whole stories packed together (a larger story is a task of its own)
AHEAD_PER_WORKER = 3  # cleaning partitions submitted ahead per worker: keeps every worker busy, bounds what waits in memory

# Stages as the report names them. Worker stages are summed over all workers (so they are the work per
# article, whatever the parallelism); driver stages are as measured in the driver.
READ_CLEAN = "read+clean"
OUTLETS_RESIDUE = "outlet names+residue"
ANALYSIS = "language analysis"
CLUSTERING = "clustering"
DOSSIERS = "dossiers"
STORE_WRITES = "store writes"
STORE_READS = "store reads"
STAGES = (READ_CLEAN, OUTLETS_RESIDUE, ANALYSIS, CLUSTERING, DOSSIERS, STORE_WRITES, STORE_READS)
WORKER_STAGES = frozenset({READ_CLEAN, ANALYSIS, DOSSIERS})


@dataclass(frozen=True, slots=True)
class BatchSettings:
    """How a batch reads, cleans and compares, and how it cuts the work into tasks."""

    read: ReadSettings = ReadSettings()
    clean: CleanSettings = CleanSettings()
    embedder: str = DEFAULT_EMBEDDER  # claim alignment on the workers: static, none or minilm (the engine must load the same)
    files_per_partition: int = FILES_PER_PARTITION
    analysis_batch: int = ANALYSIS_BATCH
    story_task_articles: int = STORY_TASK_ARTICLES


@dataclass(slots=True)
class BatchReport:
    """What a batch did: the ingest (added, known, failed), the stories, and where the time went."""

    engine: str
    workers: int
    ingest: IngestReport = field(default_factory=IngestReport)
    partitions: int = 0
    stories: int = 0  # stories in the store after the batch
    rebuilt: list[str] = field(default_factory=list)  # stories whose dossier was (re)built, oldest first
    failed_stories: list[tuple[str, str]] = field(default_factory=list)  # (story id, why): left without a dossier
    skipped: Counter[str] = field(default_factory=Counter)  # web-archive records that are no article, by reason
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))  # work per stage
    wall: dict[str, float] = field(default_factory=dict)  # elapsed: "ingest", "clustering", "analysis", "dossiers", "total"

    @property
    def ok(self) -> bool:
        return self.ingest.ok and not self.failed_stories

    @property
    def articles(self) -> int:
        """Articles this batch read: added or already known."""
        return len(self.ingest.added) + len(self.ingest.known)


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def run_batch(
    paths: Sequence[str], store, engine: Engine, settings: BatchSettings = BatchSettings(),  # noqa: ANN001 - an SQLStore
    *, on_progress: Progress | None = None,
) -> BatchReport:
    """Read, clean and store the inputs, then group every stored article into stories and (re)build the
    dossier of each new or changed story: what `ingest` then `update_stories` do, on `engine`'s workers."""
    started = time.perf_counter()
    progress = on_progress or (lambda stage, done, total: None)
    report = BatchReport(engine.name, engine.workers)
    partitions, errors = partition_inputs(paths, files_per_partition=settings.files_per_partition)
    report.partitions = len(partitions)
    report.ingest.failed.extend(errors)

    analyses = _ingest(partitions, store, engine, settings, report, progress)
    report.wall["ingest"] = time.perf_counter() - started

    mark = time.perf_counter()
    with _timed(report, CLUSTERING):  # its store reads and writes included: one transaction with the clusterer state
        groups = regroup_stories(store)  # in the driver while the workers analyse: clustering needs no analysis
    with _timed(report, STORE_READS):
        stale = stale_stories(store, groups)
    report.stories = store.count_stories()
    report.wall["clustering"] = time.perf_counter() - mark

    mark = time.perf_counter()
    analysed = _analysed(analyses, report, progress)
    report.wall["analysis"] = time.perf_counter() - mark  # what was left of it once the clustering was done

    mark = time.perf_counter()
    _dossiers(stale, analysed, store, engine, settings, report, progress)
    report.wall["dossiers"] = time.perf_counter() - mark
    report.wall["total"] = time.perf_counter() - started
    return report


# --- stages 1-3: read and clean, store, analyse -------------------------------------------------------


def _ingest(
    partitions: list[Partition], store, engine: Engine, settings: BatchSettings, report: BatchReport, progress: Progress,  # noqa: ANN001
) -> list[TaskFuture[AnalyzedBatch]]:
    """Clean on the workers, store in the driver chunk by chunk, and send what was added to the workers to analyse:
    the analyses under way."""
    analyses: list[TaskFuture[AnalyzedBatch]] = []

    def analyse(added: list[Article]) -> None:
        for start in range(0, len(added), settings.analysis_batch):
            analyses.append(engine.submit(analyze_batch, tuple(added[start : start + settings.analysis_batch])))

    chunks = _Chunks(store, settings.clean, report, analyse)
    ahead: deque[tuple[Partition, TaskFuture[CleanedPartition]]] = deque()
    todo = iter(partitions)
    window = max(1, engine.workers * AHEAD_PER_WORKER)
    for done in range(len(partitions)):
        for partition in todo:
            ahead.append((partition, engine.submit(clean_partition, partition, settings.read, settings.clean)))
            if len(ahead) >= window:
                break
        partition, future = ahead.popleft()
        cleaned = _result_or_failures(partition, future)
        report.seconds[READ_CLEAN] += cleaned.seconds
        for outcome in cleaned.files:
            report.skipped.update(dict(outcome.skipped))
            if partition.kind == "archive":
                chunks.add_archive(outcome.results)
            else:
                chunks.add_file(outcome.results)
        progress("reading and cleaning", done + 1, len(partitions))
    chunks.flush()
    return analyses


def _analysed(analyses: list[TaskFuture[AnalyzedBatch]], report: BatchReport, progress: Progress) -> dict[str, AnalyzedArticle]:
    """The analysed articles, by id, as the workers finish them."""
    analysed: dict[str, AnalyzedArticle] = {}
    for done, future in enumerate(analyses):
        try:
            batch = future.result()
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - the dossier stage analyses these articles itself
            log.warning("a language-analysis task failed (%s: %s); its stories analyse their articles again", type(exc).__name__, exc)
            continue
        report.seconds[ANALYSIS] += batch.seconds
        analysed.update((item.article.id, item) for item in batch.analyzed)
        progress("language analysis", done + 1, len(analyses))
    return analysed


def _result_or_failures(partition: Partition, future: TaskFuture[CleanedPartition]) -> CleanedPartition:
    """The cleaned partition, or, when its task failed on the worker, each of its files failed with why."""
    try:
        return future.result()
    except EngineError:
        raise
    except Exception as exc:  # noqa: BLE001 - a task lost with its worker, or a bug: the rest of the batch goes on
        log.warning("partition %d failed on its worker: %s: %s", partition.index, type(exc).__name__, exc)
        reason = f"its partition failed on the worker ({type(exc).__name__}: {exc}); run the batch again for these files"
        return CleanedPartition(partition.index, tuple(FileOutcome(path, (Failure(path, reason),)) for path in partition.paths), 0.0)


class _Chunks:
    """The driver's turn of the one ingest loop (`pipeline.Chunks`): the workers' cleaned results in input order,
    cut where `newsweave ingest` cuts them (after a file once `CHUNK_DOCUMENTS` are pending, at every
    `CHUNK_DOCUMENTS` documents of a web archive and at its end), each chunk finished and stored, the time of
    each step counted in its stage."""

    def __init__(self, store, settings: CleanSettings, report: BatchReport, on_added: Callable[[list[Article]], None]) -> None:  # noqa: ANN001
        self.store = store
        self.report = report
        self.on_added = on_added
        self.chunks = Chunks(settings, self._known, stored=self._stored)

    def add_file(self, results: Iterable[Article | Failure]) -> None:
        for result in results:
            self._add(result)
        if self.chunks.full:
            self.flush()

    def add_archive(self, results: Iterable[Article | Failure]) -> None:
        self.flush()  # the files before an archive are one stream of their own, as in `ingest`
        for result in results:
            self._add(result)
            if self.chunks.full:
                self.flush()
        self.flush()

    def flush(self) -> None:
        if not self.chunks.pending:
            return
        with _timed(self.report, OUTLETS_RESIDUE):
            finished = self.chunks.cut()
        with _timed(self.report, STORE_WRITES):
            added = store_results(finished, self.store, self.report.ingest)
        self.on_added(added)

    def _add(self, result: Article | Failure) -> None:
        self.chunks.add_cleaned(result.error() if isinstance(result, Failure) else result)

    def _known(self, raw_hash: str) -> str | None:
        """Exact bytes stored before (`pipeline.set_aside_known`)."""
        with _timed(self.report, STORE_READS):
            return self.store.known_raw(raw_hash)

    def _stored(self, ids: list[str]) -> list[Article]:
        """The chunk's articles stored before, to learn residue from (`pipeline.finish_chunk`)."""
        with _timed(self.report, STORE_READS):
            return self.store.articles_by_id(ids)


# --- stage 5: dossiers ----------------------------------------------------------------------------------


def _dossiers(
    stale: list[StoryGroup], analysed: dict[str, AnalyzedArticle], store, engine: Engine,  # noqa: ANN001
    settings: BatchSettings, report: BatchReport, progress: Progress,
) -> None:
    tasks = [
        (works, engine.submit(build_story_dossiers, works, settings.embedder))
        for works in _pack([_work(g, analysed) for g in stale], settings.story_task_articles)
    ]
    saved: set[str] = set()
    for done, (works, future) in enumerate(tasks):
        try:
            result: StoryDossiers = future.result()
        except EngineError:
            raise
        except Exception as exc:  # noqa: BLE001 - these stories keep no dossier; the next run rebuilds them
            log.warning("a dossier task failed: %s: %s", type(exc).__name__, exc)
            report.failed_stories.extend((w.id, f"{type(exc).__name__}: {exc}") for w in works)
            continue
        report.seconds[ANALYSIS] += result.analysis_seconds
        report.seconds[DOSSIERS] += result.seconds
        with _timed(report, STORE_WRITES):
            for story_id, dossier in result.dossiers:
                store.save_dossier(story_id, dossier)
                saved.add(story_id)
        progress("dossiers", done + 1, len(tasks))
    report.rebuilt = [g.id for g in stale if g.id in saved]


def _work(story: StoryGroup, analysed: dict[str, AnalyzedArticle]) -> StoryWork:
    """A story's members as stored, with the sentences this batch analysed for each (None: analyse it again,
    as for an article stored by an earlier run, or one whose stored text differs from the one analysed)."""
    sentences = []
    for article in story.articles:
        item = analysed.get(article.id)
        same = item is not None and item.article.text == article.text and item.article.headings == article.headings
        sentences.append(item.sentences if same else None)
    return StoryWork(story.id, story.articles, tuple(sentences))


def _pack(works: list[StoryWork], limit: int) -> list[tuple[StoryWork, ...]]:
    """Stories packed into tasks of about `limit` articles, largest first, so the longest tasks start first."""
    tasks: list[list[StoryWork]] = []
    size = 0
    for work in sorted(works, key=lambda w: -len(w.articles)):
        if not tasks or size + len(work.articles) > limit:
            tasks.append([])
            size = 0
        tasks[-1].append(work)
        size += len(work.articles)
    return [tuple(t) for t in tasks]


class _timed:
    """Adds the seconds of a `with` block to one stage of the report."""

    def __init__(self, report: BatchReport, stage: str) -> None:
        self.report, self.stage = report, stage

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.seconds[self.stage] += time.perf_counter() - self.start
