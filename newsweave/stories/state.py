"""The clusterer's working state: open stories with their centroids, the articles they hold, and the profile a
closed story keeps for follow-ups. Plain slotted classes, mutated in place by `StoryClusterer` only (the frozen
records other layers see are `model.Story` and `model.StoryEvent`); each goes to plain JSON-able records and
back, the pieces of `StoryClusterer.to_records`.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections import Counter
from datetime import date
from typing import Any, Sequence

from newsweave.model import StoryEvent
from newsweave.stories.index import bands_from_record
from newsweave.stories.settings import CHANNELS, FOLLOW_UP_INDEX_NAMES, KEPT_DATES, KEPT_TERMS
from newsweave.stories.vectors import Vector, Vectors, by_weight

__all__ = ["Kept", "Member", "OpenState", "StoryState", "event_from_record", "event_record", "from_iso", "gap", "iso", "older"]


class OpenState:
    """The working state of an open story: centroids (sums of unit vectors), their squared norms, stated days."""

    __slots__ = ("centroid", "norm2", "dates")

    def __init__(self) -> None:
        self.centroid: dict[str, Vector] = {c: {} for c in CHANNELS}
        self.norm2: dict[str, float] = {c: 0.0 for c in CHANNELS}
        self.dates: Counter[date] = Counter()


class Kept:
    """What a closed story keeps so that a follow-up can reopen it: per channel its centroid's heaviest terms
    and their weights (a sum of unit vectors, as the centroid), its stated days, and the first and last dates
    of its coverage; its heaviest names are its entries in the name lookup. Compact, as a newsroom's year of
    closed stories is kept: one tuple of terms and one array of 32-bit weights for all four channels."""

    __slots__ = ("terms", "weights", "ends", "norms", "dates", "first", "last")

    def __init__(self, vectors: dict[str, tuple[Sequence[str], Sequence[float]]], dates: tuple[date, ...],
                 first: date | None, last: date | None) -> None:
        terms: list[str] = []
        weights = array("f")
        ends = []
        for c in CHANNELS:
            t, w = vectors[c]
            terms += t
            weights.extend(w)
            ends.append(len(terms))
        self.terms, self.weights, self.ends = tuple(terms), weights, tuple(ends)
        self.norms = tuple(math.sqrt(sum([w * w for w in weights[s:e]])) for s, e in zip((0, *ends), ends))
        self.dates = dates
        self.first, self.last = first, last

    @classmethod
    def of(cls, story: StoryState, channels: Sequence[str] = CHANNELS) -> Kept:
        """An open story's profile; `channels`: only their terms (the others are left empty)."""
        state = story.open
        assert state is not None
        vectors: dict[str, tuple[Sequence[str], Sequence[float]]] = {}
        for c in CHANNELS:
            top = sorted(state.centroid[c].items(), key=by_weight, reverse=True)[: KEPT_TERMS[c]] if c in channels else []  # stable: ties, the first added
            vectors[c] = ([sys.intern(t) for t, _ in top], [w for _, w in top])
        dates = tuple(sorted(d for d, _ in state.dates.most_common(KEPT_DATES)))
        return cls(vectors, dates, story.first, story.last)

    def channel(self, c: str) -> tuple[tuple[str, ...], Sequence[float], float]:
        """A channel's terms, weights and norm."""
        i = CHANNELS.index(c)  # type: ignore[arg-type]
        start = self.ends[i - 1] if i else 0
        return self.terms[start : self.ends[i]], self.weights[start : self.ends[i]], self.norms[i]

    @property
    def names(self) -> tuple[str, ...]:
        """The heaviest names: what the story is looked up by."""
        return self.channel("n")[0][:FOLLOW_UP_INDEX_NAMES]

    def centroid(self, c: str) -> Vector:
        terms, weights, _ = self.channel(c)
        return dict(zip(terms, weights))

    def plus(self, other: Kept) -> Kept:
        """The profile of two stories' coverage together (their centroids are sums: they add)."""
        vectors = {}
        for c in CHANNELS:
            summed = self.centroid(c)
            for t, w in zip(*other.channel(c)[:2]):
                summed[t] = summed.get(t, 0.0) + w
            top = sorted(summed.items(), key=by_weight, reverse=True)
            vectors[c] = ([t for t, _ in top], [w for _, w in top])
        ends = [d for d in (self.first, self.last, other.first, other.last) if d is not None]
        return Kept(vectors, tuple(sorted(set(self.dates) | set(other.dates))), min(ends, default=None), max(ends, default=None))

    def to_record(self) -> dict[str, Any]:
        return {"vectors": {c: [[t, w] for t, w in zip(*self.channel(c)[:2])] for c in CHANNELS},
                "dates": [d.isoformat() for d in self.dates], "names": list(self.names),
                "first": iso(self.first), "last": iso(self.last)}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Kept:
        vectors = {c: ([str(t) for t, _ in record["vectors"][c]], [float(w) for _, w in record["vectors"][c]]) for c in CHANNELS}
        return cls(vectors, tuple(date.fromisoformat(d) for d in record["dates"]), from_iso(record.get("first")), from_iso(record.get("last")))


class StoryState:
    """A story in the clusterer: open (`open` holds its centroids) or closed (`kept`: its profile, if reopenable)."""

    __slots__ = ("id", "seq", "headline", "first", "last", "articles", "open", "entities", "terms", "pinned", "kept", "seed", "held")

    def __init__(self, id: str, seq: int, headline: str) -> None:
        self.id = id
        self.seq = seq  # opening order: of two stories, the one opened first is the older
        self.headline = headline
        self.first: date | None = None
        self.last: date | None = None
        self.articles: list[str] = []
        self.open: OpenState | None = OpenState()
        self.pinned = False  # made by an editor (`merge`/`split` with pin=True): never split automatically
        self.entities: tuple[str, ...] = ()  # frozen when the story closes
        self.terms: tuple[str, ...] = ()
        self.kept: Kept | None = None  # closed and reopenable by a follow-up
        self.seed: Kept | None = None  # open again: the profile its centroids started from
        self.held: Sequence[str] = ()  # open again: its articles from before it closed (in the seed, without vectors)

    def to_record(self, entities: Sequence[str], terms: Sequence[str]) -> dict[str, Any]:
        """The story's record, with the key entities and summary terms it shows (an open story's, of its centroids)."""
        record: dict[str, Any] = {
            "type": "story", "id": self.id, "seq": self.seq, "headline": self.headline, "entities": list(entities), "terms": list(terms),
            "first": iso(self.first), "last": iso(self.last), "articles": list(self.articles), "open": self.open is not None,
            "pinned": self.pinned,
        }
        if self.kept is not None:  # closed, and reopenable by a follow-up
            record["kept"] = self.kept.to_record()
        if self.seed is not None:  # reopened: its centroids start from this
            record["seed"] = {**self.seed.to_record(), "held": list(self.held)}
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> StoryState:
        """The story of a record, less what the clusterer rebuilds: an open story's centroids (from its articles and
        seed), a closed one's profile (`kept`, entered in the clusterer's lookup)."""
        story = cls(record["id"], record["seq"], record["headline"])
        story.first, story.last = from_iso(record["first"]), from_iso(record["last"])
        story.entities, story.terms = tuple(record["entities"]), tuple(record["terms"])
        story.pinned = bool(record.get("pinned", False))
        if not record["open"]:
            story.open = None
            story.articles = list(record["articles"])
        return story


class Member:
    """What an article of an open story keeps: its unit vectors, LSH band keys, date and stated dates."""

    __slots__ = ("vectors", "bands", "published", "dates", "title")

    def __init__(self, vectors: Vectors, bands: tuple | None, published: date | None,
                 dates: tuple[date, ...], title: str) -> None:
        self.vectors = vectors
        self.bands = bands  # None: nothing to index (no names or words)
        self.published = published
        self.dates = dates
        self.title = title

    def to_record(self) -> dict[str, Any]:
        """What an article's record (`{"type": "article", "id": ..., "story": ...}`) holds of it while its story is open."""
        return {"vectors": self.vectors, "bands": None if self.bands is None else list(self.bands), "published": iso(self.published),
                "dates": [d.isoformat() for d in self.dates], "title": self.title}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Member:
        return cls({c: dict(v) for c, v in record["vectors"].items()}, bands_from_record(record["bands"]), from_iso(record["published"]),
                   tuple(date.fromisoformat(d) for d in record["dates"]), record["title"])


def event_record(event: StoryEvent) -> dict[str, Any]:
    return {"type": "event", "kind": event.kind, "at": iso(event.at), "stories": list(event.stories),
            "articles": list(event.articles), "reason": event.reason, "score": event.score}


def event_from_record(record: dict[str, Any]) -> StoryEvent:
    return StoryEvent(record["kind"], from_iso(record["at"]), tuple(record["stories"]), tuple(record["articles"]), record["reason"],
                      record["score"])


def older(a: StoryState, b: StoryState) -> bool:
    """Whether story a was opened first (in date order, that is the one with the oldest article)."""
    return a.seq < b.seq


def gap(day: date, story: StoryState) -> int:
    """Days from `day` to the story's coverage (0 inside it); a story with no dates is never far."""
    if story.first is None or story.last is None:
        return 0
    if day < story.first:
        return (story.first - day).days
    if day > story.last:
        return (day - story.last).days
    return 0


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def from_iso(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None
