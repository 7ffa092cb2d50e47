"""Input that arrives in memory: pasted text, uploaded files and API records (the web app's), to raw documents.

Nothing here opens a file: uploads arrive as bytes and their names are only labels, read by the files' readers
(`files.read_bytes`, the format by `files.format_of`). What is read is cleaned and stored by the one ingest loop
(`newsweave.pipeline.ingest_documents`), so an upload fails with the same message the CLI would print for the
same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zlib
from dataclasses import fields, replace
from datetime import date
from typing import Any, Iterator

from newsweave.config import ReadSettings
from newsweave.errors import InputError
from newsweave.ingest.files import GzipReader, format_of, gzip_failure, read_bytes, sniff_format
from newsweave.ingest.records import parse_date
from newsweave.model import Hints, RawDocument

PASTE_FORMATS = ("text", "markdown", "html", "sniff")
MAX_LABEL_CHARS = 120  # an upload's name is a label in `source`, cut to this

_UNSAFE_LABEL = re.compile(r"[^\w.\- ]+", re.UNICODE)


def upload_label(filename: str | None) -> str:
    """A client's file name as a harmless label: its last component, odd characters dropped, cut short."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_LABEL.sub("_", name).strip(" ._")[:MAX_LABEL_CHARS]
    return name or "upload"


def read_upload(filename: str | None, data: bytes, settings: ReadSettings = ReadSettings()) -> Iterator[RawDocument | InputError]:
    """Raw documents from one uploaded file: its format from its name as a file's (else its content), gzip opened
    in memory. Any upload, JSON Lines included, is read whole up to `settings.max_bytes` and no further: a gzipped
    one inflates no more than that, and is refused sooner if it inflates like a decompression bomb."""
    label = upload_label(filename)
    source = f"upload:{label}"
    format, compressed = format_of(label)
    if compressed:
        try:
            with GzipReader(source, io.BytesIO(data)) as stream:
                data = stream.read(settings.max_bytes + 1)
        except InputError as exc:  # inflates like a bomb
            yield exc
            return
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(source, gzip_failure(exc))
            return
    if len(data) > settings.max_bytes:
        yield InputError(source, f"larger than the {settings.max_bytes:,}-byte cap for one input (a page is rarely over 2 MB)")
        return
    yield from read_bytes(source, data, format, settings)


def read_paste(
    text: str, *, format: str = "text", title: str | None = None, outlet: str | None = None, url: str | None = None,
    published: str | date | None = None, author: str | None = None, settings: ReadSettings = ReadSettings(),
) -> Iterator[RawDocument | InputError]:
    """Raw documents from pasted text, with the metadata typed beside it taking precedence over what the text says."""
    data = text.encode("utf-8")
    if format not in PASTE_FORMATS:
        yield InputError("paste", f"unknown format {format!r}; choose one of {', '.join(PASTE_FORMATS)}")
        return
    if len(data) > settings.max_bytes:
        yield InputError("paste", f"larger than the {settings.max_bytes:,}-byte cap for one input")
        return
    hints = Hints(title=_clean(title), url=_clean(url), outlet=_clean(outlet),
                  published=parse_date(published) if isinstance(published, str) else published, author=_clean(author))
    digest = hashlib.sha256(data + json.dumps([hints.title, hints.url, hints.outlet, str(hints.published), hints.author]).encode()).hexdigest()
    source = _clean(url) or f"paste:{digest[:12]}"
    kind = sniff_format(data) if format == "sniff" else format
    for doc in read_bytes(source, data, kind, settings):
        if isinstance(doc, RawDocument):
            merged = Hints(**{f.name: getattr(hints, f.name) or getattr(doc.hints, f.name) for f in fields(Hints)})
            doc = replace(doc, hints=merged, raw_hash=digest)  # the same text with other metadata is another input
        yield doc


def read_record(record: dict[str, Any], settings: ReadSettings = ReadSettings()) -> Iterator[RawDocument | InputError]:
    """Raw documents from one API record ({"text"|"html", "title", "url", ...}), read as a JSON input is."""
    data = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    source = record.get("url") or f"api:{hashlib.sha256(data).hexdigest()[:12]}"
    yield from read_bytes(str(source), data, "json", settings)


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None
