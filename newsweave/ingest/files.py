"""Files, folders and standard input to raw documents. All file reading in newsweave happens here."""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from newsweave.config import ReadSettings
from newsweave.errors import InputError
from newsweave.model import DocumentKind, Hints, RawDocument
from newsweave.ingest.decode import DecodeError, decode
from newsweave.ingest.records import records_from_json, records_from_jsonl

STDIN = "-"

# Extension -> how the file is read. `.gz` may follow any of them.
_KINDS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
SUPPORTED_EXTENSIONS = tuple(sorted(_KINDS))


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read (or standard input), with how to read it."""

    path: str
    format: str  # text | markdown | html | json | jsonl | sniff
    compressed: bool = False


def expand_paths(paths: list[str] | tuple[str, ...]) -> tuple[list[InputFile], list[InputError]]:
    """Expand folders recursively (hidden files and unknown extensions skipped) into input files.

    A file named explicitly is read even with an unknown extension: its content decides its format.
    """
    files: list[InputFile] = []
    errors: list[InputError] = []
    for given in paths:
        if given == STDIN:
            files.append(InputFile(STDIN, "sniff"))
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            files.extend(f for f in map(_classify, found) if f.format != "sniff")
        elif path.is_file():
            files.append(_classify(path))
        elif path.exists():
            errors.append(InputError(given, "not a regular file or folder"))
        else:
            errors.append(InputError(given, "no such file or folder; check the path"))
    return files, errors


def _classify(path: Path) -> InputFile:
    return InputFile(str(path), *format_of(path.name))


def format_of(name: str) -> tuple[str, bool]:
    """How a file is read, by its name (a file's, or an upload's): its format, `sniff` when the extension tells
    none (its content decides), and whether it is gzipped (`.gz` may follow any extension)."""
    name = name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    return _KINDS.get(Path(name).suffix, "sniff"), compressed


def read_file(item: InputFile, settings: ReadSettings = ReadSettings()) -> Iterator[RawDocument | InputError]:
    """Read one input file as raw documents; every problem is yielded as an InputError, never raised."""
    try:
        stream = _open(item)
    except OSError as exc:
        yield InputError(item.path, f"cannot open: {exc.strerror or exc}")
        return
    with stream:
        try:
            if item.format == "jsonl":
                yield from records_from_jsonl(item.path, _numbered_lines(stream), settings)
                return
            data = stream.read(settings.max_bytes + 1)
        except (OSError, EOFError, zlib.error) as exc:
            yield InputError(item.path, _read_failure(item, exc))
            return
    if len(data) > settings.max_bytes:
        yield InputError(
            item.path,
            f"larger than the {settings.max_bytes:,}-byte cap for one input (a page is rarely over 2 MB)",
            about="max_bytes",
        )
        return
    yield from read_bytes(item.path, data, item.format, settings)


def read_bytes(source: str, data: bytes, format: str, settings: ReadSettings = ReadSettings()) -> Iterator[RawDocument | InputError]:
    """Raw documents from bytes already in memory (a file's content, standard input, an upload)."""
    if not data.strip():
        yield InputError(source, "empty input: nothing to read")
        return
    if format == "sniff":
        format = sniff_format(data)
    try:
        text, _encoding = decode(data, html=format == "html")
    except DecodeError as exc:
        yield InputError(source, str(exc))
        return
    if format == "jsonl":
        lines = ((n, line.encode("utf-8")) for n, line in enumerate(text.split("\n"), start=1))
        yield from records_from_jsonl(source, lines, settings)
    elif format == "json":
        yield from records_from_json(source, text, settings)
    else:
        kind: DocumentKind = format  # type: ignore[assignment]
        yield RawDocument(source=source, kind=kind, content=text, raw_hash=hashlib.sha256(data).hexdigest(), hints=Hints())


def sniff_format(data: bytes) -> str:
    """Guess text, html, json or jsonl from the first bytes of an input with no telling name."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<article", b"<div", b"<p>", b"<?xml")):
        return "html"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first_line = data.lstrip().split(b"\n", 1)[0]
        return "jsonl" if first_line.rstrip().endswith(b"}") and data.strip().count(b"\n") else "json"
    return "text"


def _open(item: InputFile) -> BinaryIO:
    raw: BinaryIO = sys.stdin.buffer if item.path == STDIN else open(item.path, "rb")  # noqa: SIM115
    if item.path == STDIN:
        raw = io.BytesIO(raw.read())
    return gzip.GzipFile(fileobj=raw) if item.compressed else raw  # type: ignore[return-value]


def _numbered_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(stream, start=1):
        yield number, line


def _read_failure(item: InputFile, exc: BaseException) -> str:
    return gzip_failure(exc) if item.compressed else f"cannot read: {exc}"


def gzip_failure(exc: BaseException) -> str:
    """What is wrong with gzipped input that does not unpack (a file's or an upload's)."""
    return f"damaged or truncated gzip data ({exc}); download the file again"
