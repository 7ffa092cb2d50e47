"""The work a batch ships to its workers: top-level functions of frozen values, so a process pool and Dask
map them unchanged.

- `load_models` runs once per worker process (a process-pool initializer, a Dask `WorkerPlugin`): the
  spaCy pipeline (and the optional embedder) are cached per process by `nlp.load_pipeline` and
  `embeddings.get_embedder`, so every later task of that worker finds them loaded.
- `clean_partition`: read and clean one partition's documents (`pipeline.clean_document`).
- `analyze_batch`: sentences, entities, quantities, attributions of some articles (`nlp.analyze_articles`).
- `build_story_dossiers`: for some whole stories, the cross-article steps of `dossier.build_dossiers`
  (`resolve_story_entities`, `dossier_from_analyzed`) and the public JSON (`dossier.format.story_to_json`).

Each result carries the seconds its work took on the worker, so a batch can say where its time went.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from newsweave.config import DEFAULT_EMBEDDER
from newsweave.config import CleanSettings, ReadSettings
from newsweave.distributed._partitions import Partition
from newsweave.dossier.build import dossier_from_analyzed
from newsweave.dossier.format import story_to_json
from newsweave.errors import InputError
from newsweave.ingest.files import read_file
from newsweave.ingest.warc import ArchiveStats, read_archive
from newsweave.model import AnalyzedArticle, Article, Sentence
from newsweave.nlp.embeddings import get_embedder
from newsweave.nlp.parse import analyze_articles, load_pipeline, resolve_story_entities
from newsweave.outlets import Outlets
from newsweave.pipeline import AlreadyKnown, clean_document

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Failure:
    """An InputError as plain values: an exception whose constructor takes two arguments does not pickle."""

    source: str
    message: str
    line: int | None = None
    about: str | None = None  # InputError.about: what the shells' hint is for

    @classmethod
    def of(cls, error: InputError) -> Failure:
        return cls(error.source, error.message, error.line, error.about)

    def error(self) -> InputError:
        return InputError(self.source, self.message, self.line, about=self.about)


@dataclass(frozen=True, slots=True)
class FileOutcome:
    """One input file cleaned: one result per document read from it, in order."""

    path: str
    results: tuple[Article | Failure, ...]
    skipped: tuple[tuple[str, int], ...] = ()  # a web archive's records that are no article, counted by reason


@dataclass(frozen=True, slots=True)
class CleanedPartition:
    index: int
    files: tuple[FileOutcome, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class AnalyzedBatch:
    analyzed: tuple[AnalyzedArticle, ...]
    seconds: float


@dataclass(frozen=True, slots=True)
class StoryWork:
    """One story to write the dossier of: its members oldest first, as stored, and the sentences of each
    already analysed (None: the worker analyses that article itself)."""

    id: str
    articles: tuple[Article, ...]
    sentences: tuple[tuple[Sentence, ...] | None, ...]


@dataclass(frozen=True, slots=True)
class StoryDossiers:
    dossiers: tuple[tuple[str, dict[str, Any]], ...]  # (story id, one story of the public JSON format)
    analysis_seconds: float  # analysing articles the batch had not analysed yet (stored by an earlier run)
    seconds: float  # comparing: entities across the story, claims, conflicts, provenance, JSON


@dataclass(frozen=True, slots=True)
class WorkerModels:
    """What a worker process has loaded, counted: each model should be loaded once per process."""

    pid: int
    pipeline_loads: int
    embedder_loads: int


def load_models(embedder: str = DEFAULT_EMBEDDER) -> WorkerModels:
    """Load the spaCy pipeline and the embedder a batch uses into this process's caches (once per process)."""
    load_pipeline()
    get_embedder(embedder)
    return worker_models()


def worker_models() -> WorkerModels:
    """How many times this process has loaded each model (cache misses of the per-process loaders)."""
    return WorkerModels(os.getpid(), load_pipeline.cache_info().misses, get_embedder.cache_info().misses)


def clean_partition(partition: Partition, read: ReadSettings, settings: CleanSettings) -> CleanedPartition:
    """Read and clean every document of a partition. Outlet names and template residue are left to the
    driver, which learns them over the same chunks as `newsweave ingest` (`pipeline.finish_chunk`)."""
    started = time.perf_counter()
    files = tuple(_clean_file(item, partition.kind, read, settings) for item in partition.files)
    return CleanedPartition(partition.index, files, time.perf_counter() - started)


def _clean_file(item, kind: str, read: ReadSettings, settings: CleanSettings) -> FileOutcome:  # noqa: ANN001 - an InputFile
    stats = ArchiveStats()
    documents = read_archive(item.path, read, stats) if kind == "archive" else read_file(item, read)
    results: list[Article | Failure] = []
    try:
        for doc in documents:
            results.append(_clean_one(doc, settings))
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not lose its partition: reported, the rest go on
        log.exception("reading %s failed", item.path)
        results.append(Failure(item.path, f"reading failed ({type(exc).__name__}: {exc}); this is a newsweave bug, please report it with the file"))
    return FileOutcome(item.path, tuple(results), tuple(sorted(stats.skipped.items())))


def _clean_one(doc, settings: CleanSettings) -> Article | Failure:  # noqa: ANN001 - a RawDocument or InputError
    try:
        result = clean_document(doc, settings)
    except Exception as exc:  # noqa: BLE001 - as above, for one document
        log.exception("cleaning %s failed", getattr(doc, "source", doc))
        return Failure(doc.source, f"cleaning failed ({type(exc).__name__}: {exc}); this is a newsweave bug, please report it with the file")
    if isinstance(result, InputError):
        return Failure.of(result)
    assert not isinstance(result, AlreadyKnown)  # workers see no store: known bytes are recognised by the driver
    return result


def analyze_batch(articles: tuple[Article, ...]) -> AnalyzedBatch:
    """Language analysis of some articles with this worker's pipeline (loaded once per process)."""
    started = time.perf_counter()
    analyzed = tuple(analyze_articles(articles))
    return AnalyzedBatch(analyzed, time.perf_counter() - started)


def build_story_dossiers(stories: tuple[StoryWork, ...], embedder: str = DEFAULT_EMBEDDER) -> StoryDossiers:
    """The dossiers of whole stories, as `dossier.build_dossiers` makes them, in the public JSON format."""
    started = time.perf_counter()
    missing = [a for s in stories for a, sentences in zip(s.articles, s.sentences) if sentences is None]
    fresh = {item.article.id: item.sentences for item in analyze_articles(missing)} if missing else {}
    analysed_at = time.perf_counter()
    model = get_embedder(embedder)
    out = []
    for story in stories:
        items = [
            AnalyzedArticle(a, sentences if sentences is not None else fresh[a.id])
            for a, sentences in zip(story.articles, story.sentences)
        ]
        outlets = Outlets.of(story.articles)
        items = resolve_story_entities(items, outlets.names.values())
        dossier = dossier_from_analyzed(story.id, items, embedder=model, outlets=outlets)
        out.append((story.id, story_to_json(dossier)))
    done = time.perf_counter()
    return StoryDossiers(tuple(out), analysed_at - started, done - analysed_at)
