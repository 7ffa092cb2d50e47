"""Web archives (WARC and ARC, gzip-compressed or not, as in Common Crawl's CC-NEWS) to raw documents.

Each HTML `response` (or `resource`) record becomes one document whose source and `url` are the
record's target URI, with the crawl date (WARC-Date) as its date when the page states none. Every other
record (requests, metadata, revisits, images, redirects, errors) is skipped and counted by reason. A
truncated or damaged archive yields the documents read before the damage, then one InputError naming
the file, the record number and the byte offset where reading stopped.

Memory stays flat whatever the archive holds: warcio inflates it, and every read warcio makes is checked
(`_Metered`), so an archive that inflates like a decompression bomb is refused as it inflates; a record's
body is read no further than the size cap, the rest of it read through and dropped; and headers, or a gap
between records, that run on past MAX_RECORD_HEADER_BYTES are damage.
"""

from __future__ import annotations

import copy
import io
import logging
import zlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO, Callable, Iterator

from warcio.archiveiterator import ArchiveIterator

from newsweave.config import ReadSettings
from newsweave.errors import InputError
from newsweave.model import Hints, RawDocument
from newsweave.ingest.feeds import fill_missing
from newsweave.ingest.files import READ_CHUNK_BYTES, Inflation, read_bytes
from newsweave.ingest.urls import canonical_url

log = logging.getLogger(__name__)

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_DOCUMENT_RECORDS = ("response", "resource")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_RECORD_HEADER_BYTES = 1024 * 1024  # a record's WARC and HTTP headers, or the gap after it: a few KiB (1 MiB: damage)
CHUNKING_ALLOWANCE = 8  # a chunked HTTP body also holds its chunk sizes: 1/8 more bytes stored than the page's cap


@dataclass(slots=True)
class ArchiveStats:
    """What reading an archive met: records seen, documents yielded, records skipped by reason."""

    records: int = 0
    documents: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def add(self, other: ArchiveStats) -> None:
        self.records += other.records
        self.documents += other.documents
        self.skipped.update(other.skipped)


def is_archive(path: str) -> bool:
    """Whether a command-line input names a web archive by its extension."""
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def read_archive(
    path: str, settings: ReadSettings = ReadSettings(), stats: ArchiveStats | None = None
) -> Iterator[RawDocument | InputError]:
    """Read a `.warc`, `.warc.gz`, `.arc` or `.arc.gz` file; every problem is yielded, never raised."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, also when the caller stops early
    except OSError as exc:
        yield InputError(path, f"cannot open: {exc.strerror or exc}")
        return
    with stream:
        problem = _not_an_archive(stream)
        if problem:
            yield InputError(path, problem)
            return
        size = Path(path).stat().st_size
        yield from read_archive_stream(path, stream, settings, stats, size=size)


def _not_an_archive(stream: BinaryIO) -> str | None:
    """Why the file is not a WARC or ARC archive (by its first bytes, unpacked if gzip), or None."""
    head = stream.read(512)
    stream.seek(0)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return "not a WARC or ARC archive: damaged gzip data at the start; download it again"
    if head.lstrip().startswith((b"WARC/", b"filedesc://")):
        return None
    shown = head[:20].decode("ascii", "replace").strip() or "nothing"
    return f"not a WARC or ARC archive: it should start with WARC/ or filedesc://, not {shown!r}"


def read_archive_stream(
    name: str,
    stream: BinaryIO,
    settings: ReadSettings = ReadSettings(),
    stats: ArchiveStats | None = None,
    *,
    size: int | None = None,
) -> Iterator[RawDocument | InputError]:
    """Read an archive from an open binary stream; `name` is what errors call it, `size` its length if known."""
    stats = stats if stats is not None else ArchiveStats()
    metered = _Metered(name, stream)
    records = ArchiveIterator(metered, arc2warc=True)
    metered.inflated = lambda: records.reader.tell() if records.reader else 0
    number = 0
    offset = 0
    while True:
        metered.allow(MAX_RECORD_HEADER_BYTES)
        try:
            record = next(records)
        except StopIteration:
            break
        except InputError as exc:
            yield _refused(name, number + 1, _resume_offset(records, offset), exc)
            return
        except Exception as exc:  # noqa: BLE001 - warcio raises assorted errors on damaged bytes
            yield _damaged(name, number, _resume_offset(records, offset), exc)
            return
        metered.allow(None)  # the body is read under the size cap, the rest of it a chunk at a time
        if not record.rec_type or record.rec_headers.get_header("Content-Length") is None:  # warcio reads garbage leniently
            yield _damaged(name, number, offset, ValueError("a record header without WARC-Type or Content-Length"))
            return
        number += 1
        stats.records += 1
        try:
            result = _record_document(name, number, record, settings, stats)
            while record.raw_stream.read(READ_CHUNK_BYTES):  # the rest of the record, dropped
                pass
            metered.allow(MAX_RECORD_HEADER_BYTES)
            offset = records.get_record_offset()  # reads the blank lines after the record and the next one's first line
            length = records.get_record_length()
        except InputError as exc:
            yield _refused(name, number, offset, exc)
            return
        except Exception as exc:  # noqa: BLE001
            yield _damaged(name, number, offset, exc)
            return
        missing = getattr(record.raw_stream, "limit", 0) or 0
        if missing > 0:
            yield InputError(
                name,
                f"truncated archive: record {number} (at byte {offset:,}) ends {missing:,} bytes short; "
                f"the {number - 1} records before it were read; download the archive again to read the rest",
            )
            return
        offset += length
        if result is not None:
            if isinstance(result, RawDocument):
                stats.documents += 1
            yield result
    end = getattr(records, "offset", offset)
    if size is not None and end < size:
        yield InputError(
            name,
            f"truncated archive: {size - end:,} bytes after record {number} (from byte {end:,}) are not a whole "
            f"record; the {number} records before them were read; download the archive again to read the rest",
        )


class _Metered:
    """The archive's bytes as warcio reads them. warcio inflates them itself, so before each read this checks what
    it has inflated so far: against the compressed bytes read (`Inflation`: a bomb is an InputError) and against the
    headroom `allow` last gave (`_Overrun`). A read is at most one 16 KiB block, so either stops within a block's
    worth of inflated bytes."""

    def __init__(self, name: str, stream: BinaryIO) -> None:
        self._stream = stream
        self.inflation = Inflation(name, max_total=None)  # read a record at a time, an archive may inflate to ~5 GB
        self.inflated: Callable[[], int] = lambda: 0  # bytes inflated so far: warcio's reader's count
        self._headroom: int | None = None
        self._ceiling = 0

    def allow(self, headroom: int | None) -> None:
        """Refuse to read on once `headroom` more bytes are inflated than now (None: no limit but the ratio)."""
        self._headroom = headroom
        self._ceiling = self.inflated() + (headroom or 0)

    def read(self, size: int = -1) -> bytes:
        self.inflation.inflated = self.inflated()
        self.inflation.check()
        if self._headroom is not None and self.inflation.inflated > self._ceiling:
            raise _Overrun(f"a record's headers, or the gap after a record, run on past {self._headroom:,} bytes")
        data = self._stream.read(size)
        self.inflation.compressed += len(data)
        return data

    def tell(self) -> int:
        return self._stream.tell()


class _Overrun(ValueError):
    """Headers, or a gap between records, with no end in sight: damage (or not an archive)."""


def _record_document(  # noqa: ANN001 - `record` is a warcio ArcWarcRecord
    name: str, number: int, record, settings: ReadSettings, stats: ArchiveStats
) -> RawDocument | InputError | None:
    """One record to a document; None (and a count in `stats.skipped`) for a record that is not a page."""
    if record.rec_type not in _DOCUMENT_RECORDS:
        stats.skipped[f"{record.rec_type} record"] += 1
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if record.rec_type == "response" and not status.startswith("2"):
            stats.skipped[f"HTTP {status or '?'} response"] += 1
            return None
        content_type = record.http_headers.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    if not uri:
        stats.skipped["record without a target URI"] += 1
        return None
    try:
        url = canonical_url(uri)
    except InputError:
        stats.skipped["record for a non-web address"] += 1
        return None
    media = (content_type or "").split(";")[0].strip().lower()
    if media and media not in _HTML_TYPES:
        stats.skipped[f"not HTML ({media})"] += 1
        return None
    where = f"record {number} of {name}"
    cap = f"larger than the {settings.max_bytes:,}-byte cap for one input ({where})"
    stored_cap = settings.max_bytes + settings.max_bytes // CHUNKING_ALLOWANCE
    body = record.raw_stream.read(stored_cap + 1)
    if len(body) > stored_cap:
        return InputError(url, cap, about="max_bytes")
    data = _page(record, body).read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        return InputError(url, cap, about="max_bytes")
    if not media and not data.lstrip()[:1] == b"<":
        stats.skipped["not HTML (no content type)"] += 1
        return None
    crawled = _crawl_date(record.rec_headers.get_header("WARC-Date"))
    for doc in read_bytes(url, data, "html", settings):
        if isinstance(doc, InputError):
            return InputError(url, f"{doc.message} ({where})", about=doc.about)
        return fill_missing(doc, Hints(published=crawled), url=url)
    return None


def _page(record, body: bytes) -> BinaryIO:  # noqa: ANN001 - `record` is a warcio ArcWarcRecord
    """The page in a record's body, read from bytes already held: de-chunked and unpacked by its Content-Encoding
    as warcio's `content_stream()` does (a chunk is no bigger than the body; an unpacked page is read to the cap)."""
    held = copy.copy(record)  # the record itself goes on reading from the archive, to its end
    held.raw_stream = io.BytesIO(body)
    return held.content_stream()


def _crawl_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _resume_offset(records: ArchiveIterator, fallback: int) -> int:
    return getattr(records, "offset", fallback) or fallback


def _refused(name: str, number: int, offset: int, exc: InputError) -> InputError:
    return InputError(
        name,
        f"{exc.message} (in record {number}, at byte {offset:,}; the {number - 1} records before it were read)",
        about=exc.about,
    )


def _damaged(name: str, number: int, offset: int, exc: BaseException) -> InputError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return InputError(
        name,
        f"truncated or damaged archive: reading stopped after record {number}, at byte {offset:,} ({reason}); "
        f"the {number} records before it were read; download the archive again to read the rest",
    )
