"""Files, folders and standard input to raw documents. All file reading in newsweave happens here."""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, Callable, Iterable, Iterator, Protocol

from newsweave.config import MAX_INFLATED_BYTES, MAX_INFLATION_RATIO, MIN_INFLATED_FOR_RATIO, ReadSettings
from newsweave.errors import InputError
from newsweave.model import DocumentKind, Hints, RawDocument
from newsweave.ingest.decode import DecodeError, decode
from newsweave.ingest.records import records_from_json, records_from_jsonl

STDIN = "-"
READ_CHUNK_BYTES = 1024 * 1024  # inflate, and read through an over-long line, 1 MiB at a time: checked between chunks
_BOM = b"\xef\xbb\xbf"

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
    """Read one input file as raw documents; every problem is yielded as an InputError, never raised.

    The caps hold while reading: no more than `settings.max_bytes` of one input, or of one JSON line, is held, and a
    gzipped file is refused as soon as it inflates like a decompression bomb (see `GzipReader`). `settings.outlet`
    is the outlet of every document whose record states none."""
    return with_outlet(_read_file(item, settings), settings.outlet)


def with_outlet(docs: Iterable[RawDocument | InputError], outlet: str | None) -> Iterator[RawDocument | InputError]:
    """The documents with `outlet` as the outlet of those whose record states none (`--outlet` for pasted text)."""
    for doc in docs:
        if outlet and isinstance(doc, RawDocument) and not doc.hints.outlet:
            doc = replace(doc, hints=replace(doc.hints, outlet=outlet))
        yield doc


def _read_file(item: InputFile, settings: ReadSettings) -> Iterator[RawDocument | InputError]:
    try:
        stream = _open(item, settings.max_bytes)
    except OSError as exc:
        yield InputError(item.path, f"cannot open: {exc.strerror or exc}")
        return
    with stream:
        try:
            if item.format == "jsonl":
                yield from _read_jsonl(item.path, stream, settings)
                return
            data = stream.read(settings.max_bytes + 1)
        except InputError as exc:  # refused while inflating: what was read before it stands
            yield exc
            return
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
    yield from _read_bytes(item.path, data, item.format, settings)


def read_bytes(source: str, data: bytes, format: str, settings: ReadSettings = ReadSettings()) -> Iterator[RawDocument | InputError]:
    """Raw documents from bytes already in memory (a file's content, standard input, an upload)."""
    return with_outlet(_read_bytes(source, data, format, settings), settings.outlet)


def _read_bytes(source: str, data: bytes, format: str, settings: ReadSettings) -> Iterator[RawDocument | InputError]:
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


@dataclass(slots=True)
class Inflation:
    """What reading one compressed input has cost so far: the compressed bytes read and the bytes they inflated to.

    `check()` raises an InputError naming `source` once the input has inflated more than MAX_INFLATION_RATIO times
    the compressed bytes read (a decompression bomb), or past `max_total` bytes (None: no total cap)."""

    source: str
    max_total: int | None = MAX_INFLATED_BYTES
    compressed: int = 0
    inflated: int = 0

    def check(self) -> None:
        if self.inflated > MIN_INFLATED_FOR_RATIO and self.inflated > MAX_INFLATION_RATIO * self.compressed:
            raise InputError(
                self.source,
                f"inflates more than {MAX_INFLATION_RATIO} times its compressed size ({self.compressed:,} bytes to "
                f"{self.inflated:,} so far): a decompression bomb or not a news dump; reading stopped there",
            )
        if self.max_total is not None and self.inflated > self.max_total:
            raise InputError(
                self.source,
                f"inflates to more than {self.max_total:,} bytes, the limit for one compressed file; reading stopped "
                f"there: split it into smaller files, or unpack it and read the plain file",
            )


class GzipReader:
    """A gzip stream's inflated bytes, by `read(size)` and `readline(limit)`, refused as they inflate: `Inflation`
    is checked after every READ_CHUNK_BYTES, so a bomb stops with an InputError after a few MiB, not after it has
    filled memory. Closing it closes the compressed stream."""

    def __init__(self, source: str, compressed: BinaryIO, max_total: int | None = MAX_INFLATED_BYTES) -> None:
        self.inflation = Inflation(source, max_total)
        self._compressed = compressed
        self._gzip = gzip.GzipFile(fileobj=_Counted(compressed, self.inflation), mode="rb")  # type: ignore[arg-type]

    def read(self, size: int = -1) -> bytes:
        return self._inflate(self._gzip.read, size, line=False)

    def readline(self, limit: int = -1) -> bytes:
        return self._inflate(self._gzip.readline, limit, line=True)

    def close(self) -> None:
        try:
            self._gzip.close()
        finally:
            self._compressed.close()

    def __enter__(self) -> GzipReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _inflate(self, read: Callable[[int], bytes], size: int, *, line: bool) -> bytes:
        parts: list[bytes] = []
        left = size if size >= 0 else None
        while left is None or left > 0:
            chunk = read(READ_CHUNK_BYTES if left is None else min(left, READ_CHUNK_BYTES))
            self.inflation.inflated += len(chunk)
            self.inflation.check()
            if not chunk:
                break
            parts.append(chunk)
            if left is not None:
                left -= len(chunk)
            if line and chunk.endswith(b"\n"):
                break
        return b"".join(parts)


class _Counted:
    """The compressed stream under a GzipFile, adding the bytes read from it to `inflation.compressed`."""

    def __init__(self, stream: BinaryIO, inflation: Inflation) -> None:
        self._stream = stream
        self._inflation = inflation

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._inflation.compressed += len(data)
        return data


class _Lines(Protocol):
    def readline(self, limit: int = -1, /) -> bytes: ...


def _open(item: InputFile, max_bytes: int) -> BinaryIO | GzipReader:
    if item.path == STDIN:  # no more than the cap is read (or kept); and standard input is not ours to close
        raw: BinaryIO = io.BytesIO(sys.stdin.buffer.read(max_bytes + 1))
    else:
        raw = open(item.path, "rb")  # noqa: SIM115 - closed by read_file's `with`
    return GzipReader(item.path, raw) if item.compressed else raw


def _read_jsonl(source: str, stream: _Lines, settings: ReadSettings) -> Iterator[RawDocument | InputError]:
    """A JSON Lines stream's records, holding no more than about `settings.max_bytes` of any one line."""
    too_long: dict[int, int] = {}
    for result in records_from_jsonl(source, _bounded_lines(stream, settings.max_bytes, too_long), settings):
        if isinstance(result, InputError) and result.line in too_long:  # its line was cut: say how long it was
            size = too_long.pop(result.line)
            too_big = f"record is {size:,} bytes, over the {settings.max_bytes:,}-byte cap"
            result = InputError(source, too_big, line=result.line, about="max_bytes")
        yield result


def _bounded_lines(stream: _Lines, max_bytes: int, too_long: dict[int, int]) -> Iterator[tuple[int, bytes]]:
    """Each line, numbered, cut after `max_bytes + 1` bytes (and a BOM, on line 1), so a longer one still reads as
    over the cap; the rest of a cut line is read through a chunk at a time and dropped, and its whole length (as
    records_from_jsonl counts it: with its newline, without a BOM) goes in `too_long`."""
    number = 0
    while line := stream.readline(max_bytes + 1 + (len(_BOM) if number == 0 else 0)):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            head = line.removeprefix(_BOM) if number == 1 else line
            too_long[number] = len(head) + _skip_line(stream)
        yield number, line


def _skip_line(stream: _Lines) -> int:
    """Read through to the end of the current line, keeping none of it; how many bytes that was."""
    skipped = 0
    while chunk := stream.readline(READ_CHUNK_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _read_failure(item: InputFile, exc: BaseException) -> str:
    return gzip_failure(exc) if item.compressed else f"cannot read: {exc}"


def gzip_failure(exc: BaseException) -> str:
    """What is wrong with gzipped input that does not unpack (a file's or an upload's)."""
    return f"damaged or truncated gzip data ({exc}); download the file again"
