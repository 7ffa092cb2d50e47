"""A JSON Lines dump read as `newsweave cluster` reads it: each line's id, text, title and date, as they are.

Unlike `records.py`, nothing is cleaned: a dump to cluster is taken as its producer wrote it (benchmark corpora,
a scraper's output), so that `stories.cluster_texts` sees exactly its records.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterator

from newsweave.errors import InputError
from newsweave.model import TextRecord

__all__ = ["read_dump"]


def read_dump(
    path: str, id_field: str, text_field: str, title_field: str | None = None, date_field: str | None = None,
) -> Iterator[TextRecord]:
    """Every record of a JSON Lines file, in file order (blank lines skipped; records sharing an id each come).

    A record with no id is named by its line (`line:N`); text and title are stripped ("" when missing or not a
    string); the date is the first ten characters of `date_field` read as an ISO date (None when they are not
    one). Raises InputError naming the line that is not a JSON object."""
    with open(path, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(path, f"not JSON ({error.msg}); every line must be one JSON object", line_no) from error
            if not isinstance(record, dict):
                raise InputError(path, "not a JSON object; every line must be one JSON object", line_no)
            rid = record.get(id_field)
            text = record.get(text_field)
            title = record.get(title_field) if title_field else None
            yield TextRecord(
                id=str(rid) if rid not in (None, "") else f"line:{line_no}",
                text=text.strip() if isinstance(text, str) else "",
                title=title.strip() if isinstance(title, str) else "",
                published=_day(record.get(date_field)) if date_field else None,
                origin=f"{path}:{line_no}",
            )


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
