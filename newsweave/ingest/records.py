"""JSON and JSON Lines records to raw documents, through a documented field mapping."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone, tzinfo
from typing import Any, Iterator

from dateutil import parser as dateparser
from dateutil import tz

from newsweave.config import ReadSettings
from newsweave.errors import InputError
from newsweave.model import Hints, RawDocument
from newsweave.ingest.decode import normalise_text

_LIST_KEYS = ("articles", "items", "records", "data", "results")
HOUR = 3600
# The zone names news sites print after a time ("9:11:51 AM CDT"), as UTC offsets in seconds: dateutil knows
# only UTC, GMT and the machine's own zone, and warns about any other (UnknownTimezoneWarning, a future
# error). North American first (CST is also China's: the US one is far commoner in English news), then
# European. Only the date is kept, so an offset never moves it; the table is there to read the time right.
ZONE_OFFSETS: dict[str, int] = {
    "EST": -5 * HOUR, "EDT": -4 * HOUR, "CST": -6 * HOUR, "CDT": -5 * HOUR, "MST": -7 * HOUR, "MDT": -6 * HOUR,
    "PST": -8 * HOUR, "PDT": -7 * HOUR, "AKST": -9 * HOUR, "AKDT": -8 * HOUR, "HST": -10 * HOUR,
    "WET": 0, "WEST": 1 * HOUR, "BST": 1 * HOUR, "CET": 1 * HOUR, "CEST": 2 * HOUR, "EET": 2 * HOUR,
    "EEST": 3 * HOUR, "MSK": 3 * HOUR,
}
_UTC_NAMES = frozenset({"UTC", "GMT", "UT", "Z"})
# What usually causes the JSON decoder's complaints, by the start of its message (`JSONDecodeError.msg`):
# what to change in the file, beyond "fix it".
_JSON_FIXES = {
    "Invalid control character": "a tab or line break written raw inside a string; write it as \\t or \\n",
    "Unterminated string": "a string not closed on its line: cut off, or a line break written raw; write it as \\n",
    "Expecting value": "no value where one belongs: a trailing comma, or the record cut off",
}


def records_from_json(source: str, text: str, settings: ReadSettings) -> Iterator[RawDocument | InputError]:
    """A `.json` file: one record, a list of records, or an object holding one under `articles`/`items`."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        yield InputError(source, f"malformed JSON: {json_problem(exc, at=f'line {exc.lineno} column {exc.colno}')}; "
                                 "fix it and read the file again")
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
        except json.JSONDecodeError as exc:
            problem = json_problem(exc, at=f"column {exc.colno}")
            yield InputError(source, f"malformed JSON line: {problem}; the other lines are read: fix this one and "
                                     "read the file again to add it", line=number)
            continue
        except UnicodeDecodeError as exc:
            where = f"byte {raw[exc.start]:#04x} at column {exc.start + 1}"
            yield InputError(source, f"malformed JSON line: not UTF-8 ({where}); the other lines are read: save the "
                                     "file as UTF-8 and read it again", line=number)
            continue
        result = record_to_document(f"{source}#{number}", item, settings)
        if isinstance(result, InputError):
            result = InputError(source, result.message, line=number, about=result.about)
        yield result
    if not seen:
        yield InputError(source, "empty input: no JSON lines to read")


def json_problem(exc: json.JSONDecodeError, *, at: str) -> str:
    """The decoder's complaint, whole, with where it is (`at`) and its usual cause: "Invalid control character at
    column 17 (a tab or line break written raw inside a string; ...)". Its `msg` alone is cut off ("Invalid
    control character at"): the position is kept apart in the exception."""
    problem = f"{exc.msg.removesuffix(' at')} at {at}"
    fix = next((fix for start, fix in _JSON_FIXES.items() if exc.msg.startswith(start)), None)
    return f"{problem} ({fix})" if fix else problem


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
    """A publication date from an ISO string, a common written form, or a Unix timestamp. The date is taken
    as written, whatever zone follows the time; a zone name dateutil does not know is ignored."""
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
        return parse_datetime(value.strip(), default=datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError, dateparser.ParserError):
        return None


def parse_datetime(text: str, *, default: datetime | None = None, fuzzy: bool = False) -> datetime:
    """dateutil's reading of a written date and time, knowing the zone names in ZONE_OFFSETS. A zone name
    dateutil does not know is ignored, without a warning: the date and time as written are kept (naive).
    `fuzzy` skips the words around the date ("police said on Oct 29"). Raises what dateutil raises
    (ValueError, OverflowError) when `text` is no date."""
    return dateparser.parse(text, default=default, fuzzy=fuzzy, tzinfos=_zone)


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """The zone of a parsed time for dateutil (its `tzinfos` callable): a known name's, the written offset
    ("+02:00"), or none when neither is known."""
    if name in ZONE_OFFSETS:
        return tz.tzoffset(name, ZONE_OFFSETS[name])
    if name in _UTC_NAMES or offset == 0:
        return tz.UTC
    if offset is not None:
        return tz.tzoffset(name, offset)
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
