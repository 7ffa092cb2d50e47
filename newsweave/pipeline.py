"""The stages in order: read inputs, clean them, learn each outlet's template residue, store.

Reading and cleaning stream file by file; residue is learned over chunks of documents, so memory
stays bounded however many files a batch holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Protocol

from .clean import clean, drop_residue, harmonise_outlets, learn_residue, rename_outlet
from .config import CleanSettings, ReadSettings
from .errors import InputError
from .ingest.files import InputFile, expand_paths, read_file
from .model import Article, RawDocument

CHUNK_DOCUMENTS = 2000  # documents cleaned before residue is learned and they are handed on
STORIES_PER_BATCH = 50  # stories analysed in one spaCy stream, their dossiers saved before the next


@dataclass(frozen=True, slots=True)
class AlreadyKnown:
    """An input whose exact bytes were stored before: nothing to clean or store again."""

    source: str
    article_id: str


class ArticleStore(Protocol):
    def add(self, article: Article) -> str: ...
    def known_raw(self, raw_hash: str) -> str | None: ...


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: the ids added, the ones already known, and every input that failed."""

    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def clean_paths(
    paths: Iterable[str],
    *,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    known: Callable[[str], str | None] = lambda raw_hash: None,
    on_file: Callable[[InputFile], None] | None = None,
) -> Iterator[Article | InputError | AlreadyKnown]:
    """Read and clean files, folders and `-`, yielding one result per document, in input order."""
    files, errors = expand_paths(list(paths))
    yield from errors
    yield from clean_files(files, read=read, settings=settings, known=known, on_file=on_file)


def clean_files(
    files: Iterable[InputFile],
    *,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    known: Callable[[str], str | None] = lambda raw_hash: None,
    on_file: Callable[[InputFile], None] | None = None,
) -> Iterator[Article | InputError | AlreadyKnown]:
    pending: list[Article | InputError | AlreadyKnown] = []
    for item in files:
        for doc in read_file(item, read):
            pending.append(clean_document(doc, settings, known))
        if on_file:
            on_file(item)
        if len(pending) >= CHUNK_DOCUMENTS:
            yield from finish_chunk(pending, settings)
            pending = []
    yield from finish_chunk(pending, settings)


def clean_document(
    doc: RawDocument | InputError, settings: CleanSettings = CleanSettings(), known: Callable[[str], str | None] = lambda raw_hash: None
) -> Article | InputError | AlreadyKnown:
    """One document cleaned, or why not: a read error, or its exact bytes stored already."""
    if isinstance(doc, InputError):
        return doc
    seen = known(doc.raw_hash)
    if seen:
        return AlreadyKnown(doc.source, seen)
    try:
        return clean(doc, settings)
    except InputError as exc:
        return exc


def store_results(results: Iterable[Article | InputError | AlreadyKnown], store: ArticleStore, report: IngestReport) -> None:
    """Store each article in its own transaction and count every outcome in `report`."""
    for result in results:
        if isinstance(result, InputError):
            report.failed.append(result)
        elif isinstance(result, AlreadyKnown):
            report.known.append(result.article_id)
        elif store.add(result) == "added":
            report.added.append(result.id)
        else:
            report.known.append(result.id)


def finish_chunk(results: list[Article | InputError | AlreadyKnown], settings: CleanSettings) -> list[Article | InputError | AlreadyKnown]:
    """What needs the whole chunk: one name per outlet, then each outlet's template residue."""
    articles = [r for r in results if isinstance(r, Article)]
    names = harmonise_outlets(articles)
    residue = learn_residue(articles, settings) if settings.learn_residue else {}
    return [drop_residue(rename_outlet(r, names), residue) if isinstance(r, Article) else r for r in results]


def ingest(
    paths: Iterable[str],
    store: ArticleStore,
    *,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    on_file: Callable[[InputFile], None] | None = None,
) -> IngestReport:
    """Read, clean and store; each article is written in its own transaction, failures are collected."""
    report = IngestReport()
    store_results(clean_paths(paths, read=read, settings=settings, known=store.known_raw, on_file=on_file), store, report)
    return report


def update_stories(store, *, embedder=None, nlp=None, on_story: Callable[[str], None] | None = None) -> list[str]:  # noqa: ANN001
    """Group every stored article into stories and (re)build the dossier of each new or changed story.

    Returns the ids of the stories whose dossier was rebuilt. A story keeps its id (its oldest
    article's) as coverage is added, so "adding an article to a store updates its story".
    """
    from .cluster import group_stories  # the analysis stages import spaCy: only when asked for
    from .dossier import build_dossiers
    from .report import story_to_json

    groups = group_stories(store.all_articles())
    store.set_stories([(g.id, next((a.title for a in g.articles if a.title), ""), g.articles) for g in groups])
    stale = [g for g in groups if store.dossier(g.id) is None]
    rebuilt = []
    for start in range(0, len(stale), STORIES_PER_BATCH):
        for dossier in build_dossiers(stale[start : start + STORIES_PER_BATCH], embedder=embedder, nlp=nlp):
            store.save_dossier(dossier.id, story_to_json(dossier))
            rebuilt.append(dossier.id)
            if on_story:
                on_story(dossier.id)
    return rebuilt


def stories_of(store, article_ids: Iterable[str]) -> list[str]:  # noqa: ANN001
    """The stories holding these articles, each once, in the order first met."""
    found: dict[str, None] = {}
    for article_id in article_ids:
        story = store.story_of(article_id)
        if story:
            found.setdefault(story)
    return list(found)
