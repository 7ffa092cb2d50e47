"""JSON and JSON Lines records to raw documents, through a documented field mapping."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from typing import Any, Iterator

from dateutil import parser as dateparser

from newsweave.config import ReadSettings
from newsweave.errors import InputError
from newsweave.model import Hints, RawDocument
from newsweave.ingest.decode import normalise_text

_LIST_KEYS = ("articles", "items", "records", "data", "results")


def records_from_json(source: str, text: str, settings: ReadSettings) -> Iterator[RawDocument | InputError]:
    """A `.json` file: one record, a list of records, or an object holding one under `articles`/`items`."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(source, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
        return
    if isinstance(value, dict):
        nested = next((value[k] for k in _LIST_KEYS if isinstance(value.get(k), list)), None)
        items = nested if nested is not None else [value]
    elif isinstance(value, list):
        items = value
    else:
        yield InputError(source, "a JSON file must hold an object or a list of objects, one per article")
        return
    for number, item in enumerate(items, start=1):
        yield record_to_document(f"{source}#{number}", item, settings)


def records_from_jsonl(source: str, lines: Iterator[tuple[int, bytes]], settings: ReadSettings) -> Iterator[RawDocument | InputError]:
    """A `.jsonl` file: one JSON object per line; a bad line is reported and the rest are read."""
    seen = False
    for number, raw in lines:
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        seen = True
        if len(raw) > settings.max_bytes:
            too_big = f"record is {len(raw):,} bytes, over the {settings.max_bytes:,}-byte cap"
            yield InputError(source, too_big, line=number, about="max_bytes")
            continue
        try:
            item = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            message = exc.msg if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
            yield InputError(source, f"malformed JSON line: {message}; the other lines are read", line=number)
            continue
        result = record_to_document(f"{source}#{number}", item, settings)
        if isinstance(result, InputError):
            result = InputError(source, result.message, line=number, about=result.about)
        yield result
    if not seen:
        yield InputError(source, "empty input: no JSON lines to read")


def record_to_document(source: str, item: Any, settings: ReadSettings) -> RawDocument | InputError:
    """One JSON object to a raw document, reading the fields named in `settings`."""
    if not isinstance(item, dict):
        return InputError(source, f"expected a JSON object per article, got {type(item).__name__}")
    text = _string(_first(item, settings.fields("text")))
    html = _string(_first(item, settings.fields("html")))
    if not text and not html:
        present = ", ".join(sorted(item)[:12]) or "none"
        return InputError(
            source,
            f"no article text: none of the fields {', '.join(settings.fields('text') + settings.fields('html'))} "
            f"holds a string (fields present: {present})", about="field_map",
        )
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    hints = Hints(
        title=_string(_first(item, settings.fields("title"))),
        url=_string(_first(item, settings.fields("url"))),
        outlet=_outlet(_first(item, settings.fields("outlet"))),
        published=parse_date(_first(item, settings.fields("published"))),
        author=_author(_first(item, settings.fields("author"))),
        language=_string(_first(item, settings.fields("language"))),
    )
    content = html if html and not text else text
    return RawDocument(
        source=source,
        kind="html" if content is html else "text",
        content=normalise_text(content) if content is text else content,
        raw_hash=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        hints=hints,
    )


def parse_date(value: Any) -> date | None:
    """A publication date from an ISO string, a common written form, or a Unix timestamp."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        return dateparser.parse(value.strip(), default=datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError, dateparser.ParserError):
        return None


def _first(item: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if item.get(name) not in (None, ""):
            return item[name]
    return None


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _outlet(value: Any) -> str | None:
    if isinstance(value, dict):  # {"name": "...", "url": "..."}, as some feed exports write it
        value = value.get("name") or value.get("title")
    return _string(value)


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [v.get("name") if isinstance(v, dict) else v for v in value]
        value = ", ".join(n.strip() for n in names if isinstance(n, str) and n.strip())
    elif isinstance(value, dict):
        value = value.get("name")
    return _string(value)
