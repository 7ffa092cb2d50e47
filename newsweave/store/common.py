"""What the store's modules share: a story as listed (`StorySummary`), the digest of a story's members, and
chunks of values for IN (...) lists. Imports nothing of the store, so every module of it can import this."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator, TypeVar

CHUNK = 500  # values per IN (...) list: well below SQLite's and PostgreSQL's limits on bound parameters

T = TypeVar("T")

__all__ = ["CHUNK", "StorySummary", "chunks", "members_hash"]


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as listed: its counts, without its articles' text."""

    id: str
    headline: str
    first_published: date | None
    last_published: date | None
    article_count: int
    outlet_count: int
    claim_count: int | None
    conflict_count: int | None
    independent_sources: int | None


def chunks(values: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    """The values in lists of `size` (the last one shorter), for IN (...) lists of bounded length."""
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def members_hash(article_ids: Iterable[str]) -> str:
    """Which articles a story holds, as one value: a dossier is stale when this changes."""
    return hashlib.sha256("\n".join(sorted(article_ids)).encode()).hexdigest()
