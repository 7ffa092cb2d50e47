"""Blocking: which open stories an article is scored against, found by MinHash LSH over its heaviest terms.

Each article's most distinctive terms (its `block_keys` heaviest names and content words by tf-idf) get a
datasketch MinHash signature (`Bander`), cut into bands; `BandIndex` maps each band's key to the open stories
whose articles have it. Two articles collide in a one-row band when they share that band's sampled key, with
probability their Jaccard similarity, so 32 bands find nearly every pair sharing a tenth of their keys. The
stories that collide most with a new article are its candidates (`most_shared`); a key that more than
`max_bucket` open stories share is a common term in the window and names none.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Iterator, Sequence

from datasketch import MinHash

from newsweave.stories.settings import SEED, ClusterSettings
from newsweave.stories.vectors import Vectors

Bands = tuple  # an article's band keys: one value per one-row band, or a tuple of `rows` values per band

__all__ = ["BandIndex", "Bander", "Bands", "bands_from_record", "most_shared"]


class Bander:
    """An article's LSH band keys from its unit vectors: the MinHash (datasketch) of its `block_keys` heaviest
    names and words, cut into `bands` bands of `rows` values; None when it has none (or blocking is off)."""

    __slots__ = ("keys", "bands", "rows", "blocking", "perms")

    def __init__(self, settings: ClusterSettings) -> None:
        self.keys, self.bands, self.rows, self.blocking = settings.block_keys, settings.bands, settings.rows, settings.blocking
        self.perms = MinHash(num_perm=settings.bands * settings.rows, seed=SEED).permutations

    def __call__(self, vectors: Vectors) -> Bands | None:
        pool = [(-w, "n" + t) for t, w in vectors["n"].items()] + [(-w, "w" + t) for t, w in vectors["w"].items()]
        if not pool or not self.blocking or self.keys <= 0:
            return None
        pool.sort()  # heaviest first; ties by key
        m = MinHash(num_perm=self.bands * self.rows, seed=SEED, permutations=self.perms, scheme="affine32")
        m.update_batch([k.encode("utf-8") for _, k in pool[: self.keys]])
        values = m.hashvalues.tolist()
        rows = self.rows
        return tuple(values) if rows == 1 else tuple(tuple(values[i : i + rows]) for i in range(0, len(values), rows))


def bands_from_record(value: Sequence | None) -> Bands | None:
    """Band keys as `to_records` wrote them (JSON lists) back to what `Bander` makes."""
    if value is None:
        return None
    return tuple(tuple(v) if isinstance(v, list) else v for v in value)


class BandIndex:
    """MinHash LSH tables: band i maps the i-th band key of a signature to the stories whose articles have it.

    The tables of datasketch's MinHashLSH, keyed by story (with a count of its articles) rather than by
    article: a story's hundredth article adds no entry, so a bucket's size is the number of distinct
    stories that share the key, and a key that many stories share in the window can be passed over.
    """

    __slots__ = ("tables", "max_bucket")

    def __init__(self, bands: int, max_bucket: int) -> None:
        self.tables: list[dict[Any, dict[str, int]]] = [{} for _ in range(bands)]
        self.max_bucket = max_bucket

    def insert(self, story: str, bands: Bands) -> None:
        for table, band in zip(self.tables, bands):
            bucket = table.get(band)
            if bucket is None:
                table[band] = {story: 1}
            else:
                bucket[story] = bucket.get(story, 0) + 1

    def remove(self, story: str, bands: Bands) -> None:
        for table, band in zip(self.tables, bands):
            bucket = table.get(band)
            if bucket is None or story not in bucket:
                continue
            if bucket[story] > 1:
                bucket[story] -= 1
            else:
                del bucket[story]
                if not bucket:
                    del table[band]

    def buckets(self, bands: Bands) -> list[dict[str, int]]:
        empty: dict[str, int] = {}
        return [table.get(band, empty) for table, band in zip(self.tables, bands)]

    def naming(self, bands: Bands) -> Iterator[dict[str, int]]:
        """The buckets of these band keys that name candidates: those no more than `max_bucket` open stories
        share (a key more share is a common term in the window)."""
        return (bucket for bucket in self.buckets(bands) if len(bucket) <= self.max_bucket)

    def holds(self, story: str) -> bool:
        """Whether any bucket holds `story` (a full scan: for checks, not for the hot path)."""
        return any(story in bucket for table in self.tables for bucket in table.values())


def most_shared(hits: Counter[str], n: int) -> list[str]:
    """The n stories with the most hits, most first (ties: by id). Only those at the n-th count or more are
    sorted by (count, id): the counts alone are sorted first, in C."""
    items: Iterable[tuple[str, int]] = hits.items()
    if len(hits) > n:
        cut = sorted(hits.values(), reverse=True)[n - 1]
        items = [(sid, k) for sid, k in items if k >= cut]
    return [sid for _, sid in sorted([(-k, sid) for sid, k in items])[:n]]
