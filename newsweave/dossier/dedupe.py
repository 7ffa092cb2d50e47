"""Near-duplicates and syndicated copies, with datasketch MinHash LSH.

A copy is an article whose word 3-grams mostly repeat an earlier article's: a wire story run verbatim
with a new headline and last line, or a rewrite that lifts paragraphs. The earliest is the original,
except that an article crediting the other's source is never its original: a same-day rewrite that says
"the Courier reported" copies the Courier, whatever the order of their ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import AbstractSet, Mapping, Sequence

from datasketch import MinHash, MinHashLSH

from newsweave.model import Article
from newsweave.outlets import article_source, coverage_order

SHINGLE_WORDS = 3  # a 5% word edit keeps ~64% of 5-grams but more of 3-grams: rewrites stay findable
NUM_PERM = 128
LSH_THRESHOLD = 0.3  # candidate pairs; the exact overlap below decides
COPY_JACCARD = 0.6  # this share of shingles in common: the same text, lightly edited
PARTIAL_CONTAINMENT = 0.4  # this share of the later article's shingles found in the earlier: paragraphs lifted
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Copy:
    """`copy` repeats `original` (article ids); kind is "near-duplicate" or "partial"."""

    copy: str
    original: str
    kind: str
    similarity: float  # Jaccard for near-duplicates, containment of the copy in the original for partial reuse


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))} if words else set()


def _minhash(tokens: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch(t.encode("utf-8") for t in tokens)
    return m


@lru_cache(maxsize=1)
def _lsh_params() -> tuple[int, int]:
    """Bands and rows for LSH_THRESHOLD: datasketch integrates to find them, so once per process."""
    probe = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return probe.b, probe.r


def find_copies(articles: Sequence[Article], credits: Mapping[str, AbstractSet[str]] | None = None) -> tuple[Copy, ...]:
    """Every article that copies an earlier one, pointed at the earliest copy of that text (its original).
    `credits`: the source keys each article credits (by article id), which order a pair before their dates do."""
    credits = credits or {}
    source = {a.id: article_source(a).key for a in articles}

    def original_of(a: Article, other: Article) -> bool:
        """Whether `other` can be the original `a` copies."""
        if source[a.id] in credits.get(other.id, ()):
            return False  # the other credits this one: it is the copy
        if source[other.id] in credits.get(a.id, ()):
            return True
        return coverage_order(other) < coverage_order(a)

    sets = {a.id: shingles(a.text) for a in articles}
    lsh = MinHashLSH(num_perm=NUM_PERM, params=_lsh_params())
    by_id = {a.id: a for a in articles}
    for a in articles:
        if sets[a.id]:
            lsh.insert(a.id, _minhash(sets[a.id]))
    links: dict[str, Copy] = {}
    for a in articles:
        if not sets[a.id]:
            continue
        for other_id in lsh.query(_minhash(sets[a.id])):
            other = by_id[other_id]
            if other_id == a.id or not original_of(a, other):
                continue
            common = len(sets[a.id] & sets[other_id])
            jaccard = common / len(sets[a.id] | sets[other_id])
            containment = common / len(sets[a.id])
            if jaccard >= COPY_JACCARD:
                candidate = Copy(a.id, other_id, "near-duplicate", round(jaccard, 3))
            elif containment >= PARTIAL_CONTAINMENT:
                candidate = Copy(a.id, other_id, "partial", round(containment, 3))
            else:
                continue
            best = links.get(a.id)
            if best is None or coverage_order(by_id[candidate.original]) < coverage_order(by_id[best.original]):
                links[a.id] = candidate
    # point every copy at the root of its chain
    resolved = []
    for link in links.values():
        original = link.original
        seen = {link.copy}
        while original in links and original not in seen:
            seen.add(original)
            original = links[original].original
        resolved.append(Copy(link.copy, original, link.kind, link.similarity))
    return tuple(sorted(resolved, key=lambda c: (c.original, c.copy)))
