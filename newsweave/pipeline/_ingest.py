"""The one ingest loop: read inputs, clean them, set aside what is stored already, learn each outlet's name
and template residue per chunk, store.

Every ingest runs the same steps (`Chunks`): files and `-` (`ingest`, `clean_paths`), web sources
(`ingest_sources`: pages, feeds, sitemaps, web archives), documents read from memory (`ingest_documents`:
the web's pasted text, uploads and API records), and a batch's driver (`newsweave.distributed`), whose
workers hand in documents cleaned already. Each document is cleaned, or set aside when its exact bytes
were stored before; what needs many documents (one name per outlet, each outlet's template lines:
`finish_chunk`) is learned over chunks of `CHUNK_DOCUMENTS`, so memory stays bounded however many inputs
an ingest holds; then each article is stored in its own transaction (`store_results`). A chunk is cut
after a file once `CHUNK_DOCUMENTS` documents are pending, and within a web source or a stream of
documents as soon as they are.

Web sources are read by `ingest.fetch.read_urls` and `ingest.warc.read_archive`. What was fetched is stored
before an interrupt is let through, so Ctrl-C loses nothing that arrived.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator, Protocol

from newsweave.config import CleanSettings, ReadSettings
from newsweave.errors import InputError
from newsweave.ingest.boilerplate import TEMPLATE
from newsweave.ingest.clean import clean, drop_residue, learn_residue
from newsweave.ingest.fetch import (
    Checkpoint, Fetcher, FetchSettings, HttpFetcher, MemoryValidatorCache, NotModified, ValidatorCache, read_urls,
)
from newsweave.ingest.files import InputFile, expand_paths, read_file
from newsweave.ingest.urls import is_url
from newsweave.ingest.warc import ArchiveStats, is_archive, read_archive
from newsweave.model import Article, RawDocument
from newsweave.outlets import harmonise_outlets, outlet_key, rename_outlet

log = logging.getLogger(__name__)

CHUNK_DOCUMENTS = 2000  # documents cleaned before residue is learned and they are handed on


@dataclass(frozen=True, slots=True)
class AlreadyKnown:
    """An input whose exact bytes were stored before: nothing to clean or store again."""

    source: str
    article_id: str


Result = Article | InputError | AlreadyKnown  # what becomes of one document
Known = Callable[[str], str | None]  # raw hash -> the id of the article stored from those bytes, if any
Stored = Callable[[list[str]], list[Article]]  # article ids -> those articles as stored (unknown ones left out)


class ArticleStore(Protocol):
    def add(self, article: Article) -> str: ...
    def known_raw(self, raw_hash: str) -> str | None: ...
    def articles_by_id(self, ids: Iterable[str]) -> list[Article]: ...


def _none_stored(ids: list[str]) -> list[Article]:
    return []


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: the ids added, the ones already known, and every input that failed."""

    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(slots=True)
class SourceReport(IngestReport):
    """An IngestReport plus what only web sources have: addresses unchanged since the last fetch (304)
    and archive records skipped, by reason."""

    not_modified: list[str] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    interrupted: bool = False


# --- the steps -------------------------------------------------------------------------------------------


def clean_document(
    doc: RawDocument | InputError, settings: CleanSettings = CleanSettings(), known: Known = lambda raw_hash: None
) -> Result:
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


def set_aside_known(result: Article | InputError, known: Known) -> Result:
    """A document cleaned elsewhere (on a batch's worker), as `clean_document` would have left it with the
    store at hand: an article whose exact bytes were stored before is already known."""
    if isinstance(result, InputError):
        return result
    seen = known(result.raw_hash) if result.raw_hash else None
    return AlreadyKnown(result.source, seen) if seen else result


def finish_chunk(
    results: list[Result], settings: CleanSettings, outlet_names: Iterable[str] = (), stored: Stored = _none_stored,
) -> list[Result]:
    """What needs the whole chunk: one name per outlet, then each outlet's template residue.

    `outlet_names` are spellings that win over the chunk's own (the names a store already uses). The chunk's
    documents stored before (`AlreadyKnown`, looked up with `stored`) are learned from as they were cleaned,
    their template lines put back: so an ingest killed and run again learns from the same articles as one
    that ran through, and stores the rest with the same text and ids."""
    articles = [r for r in results if isinstance(r, Article)]
    known = [r.article_id for r in results if isinstance(r, AlreadyKnown)]
    context = articles + [with_residue(a) for a in stored(known)] if known else articles
    names = harmonise_outlets(context)
    names.update({outlet_key(name): name for name in outlet_names})
    residue = learn_residue(context, settings) if settings.learn_residue else {}
    return [drop_residue(rename_outlet(r, names), residue) if isinstance(r, Article) else r for r in results]


def with_residue(article: Article) -> Article:
    """A stored article as `learn_residue` saw it: its template lines (`drop_residue`'s) back among its paragraphs.

    Their place is not kept, only that they were paragraphs of it, which is all residue learning reads."""
    template = tuple(line.text for line in article.removed if line.reason == TEMPLATE)
    return replace(article, text="\n\n".join(article.paragraphs + template)) if template else article


def store_results(results: Iterable[Result], store: ArticleStore, report: IngestReport) -> list[Article]:
    """Store each article in its own transaction and count every outcome in `report`; the articles added."""
    added = []
    for result in results:
        if isinstance(result, InputError):
            report.failed.append(result)
        elif isinstance(result, AlreadyKnown):
            report.known.append(result.article_id)
        elif store.add(result) == "added":
            report.added.append(result.id)
            added.append(result)
        else:
            report.known.append(result.id)
    return added


class Chunks:
    """The loop's state: one result per document in input order, cut into the chunks that outlet names and
    residue are learned over. The caller cuts (`cut`, once `full` where its input allows) and stores what
    is cut (`store_results`)."""

    __slots__ = ("settings", "known", "outlet_names", "stored", "pending")

    def __init__(self, settings: CleanSettings = CleanSettings(), known: Known = lambda raw_hash: None,
                 outlet_names: Iterable[str] = (), stored: Stored = _none_stored) -> None:
        self.settings = settings
        self.known = known
        self.outlet_names = tuple(outlet_names)
        self.stored = stored
        self.pending: list[Result] = []

    @property
    def full(self) -> bool:
        return len(self.pending) >= CHUNK_DOCUMENTS

    def add_document(self, doc: RawDocument | InputError) -> None:
        """Clean a document, unless its exact bytes are stored already."""
        self.pending.append(clean_document(doc, self.settings, self.known))

    def add_cleaned(self, result: Article | InputError) -> None:
        """Take a document cleaned elsewhere (`set_aside_known`)."""
        self.pending.append(set_aside_known(result, self.known))

    def cut(self) -> list[Result]:
        """The pending results, finished (`finish_chunk`); the next chunk starts empty."""
        results, self.pending = self.pending, []
        return finish_chunk(results, self.settings, self.outlet_names, self.stored) if results else []


# --- files -----------------------------------------------------------------------------------------------


def clean_paths(
    paths: Iterable[str],
    *,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    known: Known = lambda raw_hash: None,
    stored: Stored = _none_stored,
    on_file: Callable[[InputFile], None] | None = None,
) -> Iterator[Result]:
    """Read and clean files, folders and `-`, yielding one result per document: first the paths that name no
    file, then the files' documents in input order. A chunk is cut after a file. `known` and `stored` are a
    store's (`finish_chunk`)."""
    files, errors = expand_paths(list(paths))
    yield from errors
    chunks = Chunks(settings, known, stored=stored)
    for item in files:
        for doc in read_file(item, read):
            chunks.add_document(doc)
        if on_file:
            on_file(item)
        if chunks.full:
            yield from chunks.cut()
    yield from chunks.cut()


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
    results = clean_paths(paths, read=read, settings=settings, known=store.known_raw, stored=store.articles_by_id, on_file=on_file)
    store_results(results, store, report)
    return report


# --- documents read from memory --------------------------------------------------------------------------


def ingest_documents(
    docs: Iterable[RawDocument | InputError],
    store: ArticleStore,
    *,
    settings: CleanSettings = CleanSettings(),
    outlet_names: Iterable[str] = (),
) -> IngestReport:
    """Clean and store documents read from memory (pasted text, uploads, API records), as `ingest` does files.

    `outlet_names` are the names the store already uses: an outlet typed as "Meridian Post" is stored
    under the store's "The Meridian Post" (the same outlet key, so the same article id either way).
    """
    report = IngestReport()
    chunks = Chunks(settings, store.known_raw, outlet_names, store.articles_by_id)
    for doc in docs:
        chunks.add_document(doc)
        if chunks.full:
            store_results(chunks.cut(), store, report)
    store_results(chunks.cut(), store, report)
    return report


# --- web sources -----------------------------------------------------------------------------------------


def is_web_source(text: str) -> bool:
    """Whether `ingest_sources` reads this input (a URL or a web archive) rather than `ingest`."""
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
    learn names and residue, store, and only then apply the checkpoints reached."""
    chunks = Chunks(settings, store.known_raw, stored=store.articles_by_id)
    checkpoints: list[Checkpoint] = []

    def flush() -> None:
        store_results(chunks.cut(), store, report)
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
                chunks.add_document(item)
                if chunks.full:
                    flush()
            if stop is not None and stop.is_set():
                report.interrupted = True
                break
    except KeyboardInterrupt:  # store what arrived; the source in hand has no checkpoint yet, so it is read again
        report.interrupted = True
        flush()
        raise
    flush()
