"""Follow-ups: an article that joins no open story may report a story that has closed (an arrest, a trial, a
sentencing weeks later).

A story that closes keeps a small profile (`state.Kept`: its heaviest terms, days and names) for
`follow_up_days`, entered in a lookup by its heaviest names (`Lookup`). An article looks up the closed stories
sharing its heaviest names (a name more than `follow_up_max_bucket` of them share says nothing), together with
the open stories past its window (profiled as if they closed then), and the follow-up model
(`join_model.FOLLOW_UP_FEATURES`) gives the probability that it follows each up (`best_follow_up`): the
clusterer reopens the most probable at `follow_up_score` or more.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from datetime import date
from typing import Iterable, Iterator, Mapping, Sequence

from newsweave.model import passes_over
from newsweave.stories.index import most_shared
from newsweave.stories.join_model import JoinModel, follow_up_features
from newsweave.stories.settings import CHANNELS, FOLLOW_UP_CANDIDATES, FOLLOW_UP_INDEX_NAMES, FOLLOW_UP_QUERY_NAMES
from newsweave.stories.state import Kept, StoryState
from newsweave.stories.vectors import Vector, Vectors, top

__all__ = ["Lookup", "best_follow_up", "candidates", "features", "kept_cosine"]


class Lookup:
    """The closed stories keeping a profile, by their heaviest names, and the order their profiles expire in.

    `common`: names too many profiles share to look any up, of profiles not loaded here (a store loads only the
    profiles the new articles' names look up, and says which names it passed over)."""

    __slots__ = ("by_name", "common", "expiring", "max_bucket")

    def __init__(self, max_bucket: int, common: Iterable[str] = ()) -> None:
        # name -> the closed stories it is among the heaviest names of (a dict of None, not a set: a dict of strings
        # is no work for the garbage collector, and a year of profiles makes a million of them)
        self.by_name: dict[str, dict[str, None]] = {}
        self.common = frozenset(common)
        self.expiring: list[tuple[date, str]] = []  # heap of (last date, story id); stale entries skipped
        self.max_bucket = max_bucket

    def __bool__(self) -> bool:
        return bool(self.by_name)

    def add(self, story: StoryState) -> None:
        """Enter a closed story's profile under its names, and queue it to expire."""
        assert story.kept is not None
        for name in story.kept.names:
            self.by_name.setdefault(name, {})[story.id] = None
        if story.last is not None:
            heapq.heappush(self.expiring, (story.last, story.id))

    def remove(self, story: str, kept: Kept) -> None:
        for name in kept.names:
            bucket = self.by_name.get(name)
            if bucket is not None:
                bucket.pop(story, None)
                if not bucket:
                    del self.by_name[name]

    def due(self, before: date) -> Iterator[tuple[date, str]]:
        """The (last date, story id) entries queued to expire before a day, taken off the queue (some stale)."""
        while self.expiring and self.expiring[0][0] < before:
            yield heapq.heappop(self.expiring)

    def hits(self, names: Iterable[str]) -> tuple[Counter[str], list[str]]:
        """The stories whose profiles share these names, with how many each, and the names looked up: a name that
        more than `max_bucket` profiles share (or a `common` one) passes over."""
        hits: Counter[str] = Counter()
        query = []
        for name in names:
            bucket = self.by_name.get(name)
            if name in self.common or (bucket is not None and passes_over(len(bucket), self.max_bucket)):
                continue
            query.append(name)
            if bucket:
                hits.update(bucket.keys())  # the stories (a mapping would add its values)
        return hits, query

    def stories(self) -> set[str]:
        return {sid for bucket in self.by_name.values() for sid in bucket}

    def passed_over(self) -> frozenset[str]:
        """The names that look no profile up: `common`, and those more than `max_bucket` profiles here share."""
        return self.common | {name for name, bucket in self.by_name.items() if passes_over(len(bucket), self.max_bucket)}


def candidates(vectors: Vectors, published: date | None, lookup: Lookup, passed: Sequence[StoryState],
               stories: Mapping[str, StoryState], days: int | None) -> list[tuple[StoryState, Kept | None]]:
    """The stories a follow-up may reopen, with their profiles: the closed stories of the lookup sharing one of the
    article's heaviest names, within `days` of it, and those of `passed` (still open, in their grace period:
    profile None, as `Kept.of` would make it if they closed now) whose heaviest names hold one of those names; most
    shared names first (ties by id), FOLLOW_UP_CANDIDATES of them."""
    hits, query = lookup.hits(top(vectors["n"], FOLLOW_UP_QUERY_NAMES))
    wanted = set(query)
    for story in passed:
        assert story.open is not None
        names = story.open.centroid["n"]
        if any(name in names for name in query):  # cheap: most share none
            shared = len(wanted.intersection(top(names, FOLLOW_UP_INDEX_NAMES)))
            if shared:
                hits[story.id] = shared
    out: list[tuple[StoryState, Kept | None]] = []
    for sid in most_shared(hits, len(hits)):  # all of them, in order: those past `days` are skipped
        story = stories[sid]
        if story.open is not None:
            out.append((story, None))
        else:
            if published is not None and story.last is not None and days is not None and (published - story.last).days > days:
                continue
            assert story.kept is not None
            out.append((story, story.kept))
        if len(out) == FOLLOW_UP_CANDIDATES:
            break
    return out


def best_follow_up(model: JoinModel, threshold: float, vectors: Vectors, published: date | None, dates: tuple[date, ...],
                   looked_up: Sequence[tuple[StoryState, Kept | None]], days: int) -> tuple[float, str] | None:
    """The highest probability (and its story, ties by id) among the looked-up stories that could reach `threshold`;
    None when none could. The names, days and dates come first: a story that could not reach the threshold whatever
    its words, numbers and title words is not scored further (the model is additive: exact, and most are dropped);
    one still open is profiled by its names first, and whole only if it may reach it."""
    floor = _logit(threshold)
    scored = []
    for story, kept in looked_up:
        partial = _partial(vectors, published, dates, story, kept or Kept.of(story, ("n",)), days)
        if model.logit_bound(partial) >= floor:
            whole = kept or Kept.of(story)
            scored.append((model.probability(_complete(vectors, whole, partial)), story.id))
    if not scored:
        return None
    return min(scored, key=lambda ss: (-ss[0], ss[1]))


def features(vectors: Vectors, published: date | None, dates: tuple[date, ...], story: StoryState, kept: Kept | None,
             days: int) -> tuple[float, ...]:
    """The follow-up model's input for an article against a closed story's profile (`kept`: its own unless given; a
    story still open is profiled as if it closed now; `join_model.FOLLOW_UP_FEATURES`): the cosines against its kept
    centroids, the share of the article's stated days it states, minus the log of the days since its last coverage
    (scaled to the follow-up period of `days`), its size, whether the article is short."""
    kept = kept or (Kept.of(story) if story.open is not None else story.kept)
    assert kept is not None
    return _complete(vectors, kept, _partial(vectors, published, dates, story, kept, days))


def kept_cosine(vector: Vector, kept: tuple[tuple[str, ...], Sequence[float], float]) -> float:
    """Cosine of an article's unit vector with a kept centroid (terms, weights, norm)."""
    terms, weights, norm = kept
    return sum([w * vector[t] for t, w in zip(terms, weights) if t in vector]) / norm if norm > 0 and vector else 0.0


def _partial(vectors: Vectors, published: date | None, dates: tuple[date, ...], story: StoryState, kept: Kept,
             days: int) -> tuple[float | None, ...]:
    """The follow-up features that cost little (the names cosine, the stated days, the gap, the story's size,
    whether the article is short); the cosines of words, numbers and title words are None."""
    same_day = sum(1 for d in dates if d in kept.dates) / len(dates) if dates and kept.dates else 0.0
    gap = (published - story.last).days if published is not None and story.last is not None else days
    signals = (None, kept_cosine(vectors["n"], kept.channel("n")), None, None, same_day, -math.log1p(max(gap, 0)) / math.log1p(days))
    return follow_up_features(signals, len(story.articles), len(vectors["w"]))


def _complete(vectors: Vectors, kept: Kept, partial: tuple[float | None, ...]) -> tuple[float, ...]:
    """`partial` with the cosines it left out (words, numbers, title words) computed against the profile."""
    filled = list(partial)
    for i, c in enumerate(CHANNELS):
        if filled[i] is None:
            filled[i] = kept_cosine(vectors[c], kept.channel(c))
    return tuple(filled)  # type: ignore[return-value]


def _logit(p: float) -> float:
    return -math.inf if p <= 0 else math.inf if p >= 1 else math.log(p / (1 - p))
