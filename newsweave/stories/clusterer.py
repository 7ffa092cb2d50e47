"""`StoryClusterer`: articles to stories, one at a time, one story per real-world event.

`add(features)` puts an article into the open story it matches best, or opens a new story, without knowing how
many stories there are and without re-clustering what came before; the steps (blocking, scoring, time,
follow-ups, stragglers, splitting) are told in the package's docstring (`newsweave/stories/__init__.py`), each
in its module. Stories can be merged and split by hand or by a caller's rule; each change is recorded as a
`StoryEvent`. The whole state goes to plain records (`to_records`) and back (`from_records`): the store keeps the
open window's part of it between ingests (`newsweave/store/clustering.py`), so an ingest clusters only its articles.

A small inspection API (`open_stories`, `open_articles`, `indexed`, `band_hits`, `pinned`, `centroid`,
`reopenable`, `passed_over`, `held`) says what the clusterer holds without reaching into it.

This module is over 600 lines: what is left in it is one state machine (adding, closing, reopening, merging,
splitting, and its records), whose methods all move the same stories, centroids, index entries and heaps
together; the parts that need none of that state are out (`index`, `follow_up`, `split`, `background`, `state`).
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Sized
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import chain
from typing import Any, Iterable, Iterator, Sequence

from newsweave.errors import ClusterError, EditError
from newsweave.model import Article, ArticleFeatures, Story, StoryEvent
from newsweave.stories import follow_up
from newsweave.stories.background import Background
from newsweave.stories.follow_up import Lookup
from newsweave.stories.index import BandIndex, Bander, Bands, most_shared
from newsweave.stories.join_model import JoinModel, join_features
from newsweave.stories.join_model import shipped as shipped_join_model
from newsweave.stories.join_model import shipped_follow_up
from newsweave.stories.settings import (
    CHANNELS, EXACT_BELOW, FOLLOW_UP_DAYS, KEY_ENTITIES, SPLIT_CHECK_SIZES, STRAGGLER_NEAR, SUMMARY_TERMS, ClusterSettings,
)
from newsweave.stories.split import split_of
from newsweave.stories.state import Kept, Member, OpenState, StoryState, event_from_record, event_record, from_iso, gap, iso, older
from newsweave.stories.vectors import Vectors, dot, keys_of, terms_of, top, unit, vectorise, vectors_of

Prepared = tuple[Vectors, Bands | None]  # an article's unit vectors and band keys

__all__ = ["Assignment", "StoryClusterer", "story_id", "story_key"]


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where `add` put an article: the story, whether it joined an existing one, and the winning score."""

    article: str
    story: str
    joined: bool
    score: float  # the best candidate's score (0.0 when there was none)


def story_key(seed: str) -> str:
    """A story id made from a string: the id of the article that opened the story, as a rule."""
    return "s" + hashlib.sha256(seed.encode()).hexdigest()[:11]


def story_id(first: Article) -> str:
    """A story keeps the id of its oldest article, so adding coverage later does not rename it."""
    return story_key(first.id)


class StoryClusterer:
    """Incremental story clustering: `add` one article's features at a time (the steps: the package's docstring)."""

    def __init__(self, settings: ClusterSettings = ClusterSettings()) -> None:
        self.settings = settings
        self.n_docs = 0
        self.df: Counter[str] = Counter()  # channel-prefixed term -> articles containing it
        self.events: list[StoryEvent] = []
        self.now: date | None = None  # newest publication date seen
        self._stories: dict[str, StoryState] = {}
        self._story_of: dict[str, str] = {}  # article id -> story id
        self._primed: set[str] = set()  # counted by prime(), not yet added
        self._streaming = False  # add_stream running in the background: the document frequencies are its process's
        self._seq = 0
        self._open_count = 0
        self._members: dict[str, Member] = {}  # articles of open stories
        self._closing: list[tuple[date, str]] = []  # heap of (last date, story id); stale entries skipped
        self._index = BandIndex(settings.bands, settings.max_bucket)
        self._bander = Bander(settings)
        self._model: JoinModel | None = None  # read on the first score (fitting the model makes rows without it)
        self._follow_up_model: JoinModel | None = None
        self._lookup = Lookup(settings.follow_up_max_bucket)  # the closed stories keeping a profile, by name

    # -- public view ------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._story_of

    def story_of(self, article_id: str) -> str:
        return self._story_of[article_id]

    def story(self, story_id: str) -> Story:
        s = self._stories[story_id]
        if s.open is not None:
            entities, terms = top(s.open.centroid["n"], KEY_ENTITIES), top(s.open.centroid["w"], SUMMARY_TERMS)
        else:
            entities, terms = s.entities, s.terms
        return Story(s.id, s.headline, entities, terms, s.first, s.last, tuple(s.articles), s.open is not None)

    def stories(self) -> dict[str, Story]:
        """Every story, keyed by id, in the order they were opened."""
        return {sid: self.story(sid) for sid in self._stories}

    def assignments(self) -> dict[str, str]:
        """Article id -> story id, for every article added."""
        return dict(self._story_of)

    def open_stories(self) -> tuple[str, ...]:
        """The ids of the open stories (they can take articles), in the order they were opened."""
        return tuple(sid for sid, s in self._stories.items() if s.open is not None)

    def open_articles(self) -> tuple[str, ...]:
        """The articles kept with their vectors: those of the open stories, less what a reopened story held before it
        closed (`held`). A story that closes drops its articles' vectors."""
        return tuple(self._members)

    def indexed(self, story: str) -> bool:
        """Whether the LSH band index names the story (its open articles' band keys are in it)."""
        return self._index.holds(story)

    def band_hits(self, f: ArticleFeatures) -> Counter[str]:
        """The open stories sharing band keys with an article, with how many keys each, as `add` would find them now
        (keys that too many open stories share name none); the article is not added, nor counted."""
        counted = f.id in self._primed
        df = self.df if counted else Counter({key: self.df[key] for key in keys_of(f)})
        signature = self._bander(vectorise(terms_of(f), df, self.n_docs + (not counted), counted))
        return Counter(chain.from_iterable(self._index.naming(signature))) if signature is not None else Counter()

    def pinned(self, story: str) -> bool:
        """Whether an editor made the story (`merge` or `split` with pin=True): it is never split automatically."""
        return self._stories[story].pinned

    def centroid(self, story: str, channel: str) -> tuple[dict[str, float], float]:
        """An open story's centroid in a channel ("w", "n", "u", "l": the sum of its articles' unit vectors, a reopened
        story's seed included) and the squared norm scoring divides by."""
        state = self._stories[story].open
        if state is None:
            raise ClusterError(f"story {story} has closed: it keeps no centroid, only the profile a follow-up looks up")
        return dict(state.centroid[channel]), state.norm2[channel]

    def reopenable(self) -> tuple[str, ...]:
        """The closed stories a follow-up may reopen (keeping a profile in the name lookup), by id."""
        return tuple(sorted(self._lookup.stories()))

    def passed_over(self) -> frozenset[str]:
        """The names that look up no closed story: more than `follow_up_max_bucket` profiles share them (here, or
        among the profiles a store did not load: the state record's `common_names`)."""
        return self._lookup.passed_over()

    # -- adding -----------------------------------------------------------------------------------------

    def add(self, f: ArticleFeatures) -> Assignment:
        """Put one article into the story it matches best, or open a new story for it."""
        self._not_streaming("add an article")
        return self._add(f)

    def _not_streaming(self, what: str) -> None:
        if self._streaming:
            raise ClusterError(f"cannot {what} while a stream is being added in the background (add_stream): "
                               "put it in the stream, or wait for the stream to end")

    def add_stream(self, stream: Iterable[ArticleFeatures], *, background: bool | None = None) -> Iterator[Assignment]:
        """`add` each article of a stream in turn, yielding its assignment: the same stories as `add` one by one.

        `background`: the articles' unit vectors and band keys (a third of the work per article: tf-idf against
        document frequencies of millions of terms, and the MinHash) are made ahead, in batches, by a second process
        that counts the document frequencies while this one scores and joins: two cores instead of one. The
        frequencies come back when the stream ends (or stops early: then without the articles not added), and
        `add` and `prime` refuse until then. None: in the background when the stream has a length of 5,000
        articles or more (starting the process costs more than it saves on fewer); where no process can start,
        in this one."""
        if background is None:
            background = isinstance(stream, Sized) and len(stream) >= Background.MIN
        helper = Background.start(self.df, self.n_docs, self._bander) if background else None
        if helper is None:
            yield from map(self.add, stream)
            return
        self._streaming = True
        prepared = helper.prepared(stream, self._story_of.__contains__, self._primed.__contains__)
        try:
            for f, made, counted in prepared:
                if made is None:  # added or sent before: `_add` passes over it
                    yield self._add(f)
                    continue
                weights, bands = made
                assignment = self._add(f, (vectors_of(terms_of(f), weights), bands))
                if counted:
                    self._primed.discard(f.id)
                else:
                    self.n_docs += 1
                yield assignment
        finally:
            self._streaming = False
            prepared.close()  # the process stops; its frequencies come back (None when it failed)
            if helper.df is not None:
                self.df = helper.df

    def _add(self, f: ArticleFeatures, made: Prepared | None = None) -> Assignment:
        if f.id in self._story_of:  # the same article twice is one article
            return Assignment(f.id, self._story_of[f.id], True, 1.0)
        vectors, signature, candidates, passed = self._prepare(f, made)
        scored = sorted(((self._score(vectors, f.published, f.dates, s), s.id) for s in candidates), key=lambda ss: (-ss[0], ss[1]))
        best_score = scored[0][0] if scored else 0.0
        joined = bool(scored) and best_score >= self.settings.join_score  # a threshold of 0 joins any candidate, not none
        story = self._stories[scored[0][1]] if joined else None
        followed = False  # joined by the follow-up model (a closed story, or one past the window)
        if story is None:
            story, probability = self._follow_up(f, vectors, passed)
            if story is not None:
                joined, best_score, followed = True, probability, True
        story = story or self._open_story(f)
        self._attach(story, f.id, Member(vectors, signature, f.published, f.dates, f.title))
        if joined and self._splits and not story.pinned and not story.held and len(story.articles) in SPLIT_CHECK_SIZES:
            self._maybe_split(story)
            story = self._stories[self._story_of[f.id]]
        if joined and self.settings.straggler_size is not None and story.open is not None:
            story = self._gather(story, [self._stories[sid] for p, sid in scored if p >= STRAGGLER_NEAR and sid in self._stories and sid != story.id])
        if joined and not followed and self.settings.young_follow_up_size is not None:
            story = self._young_follow_up(f, vectors, passed, story)
        if joined and self.settings.merge_score is not None:
            # the article also fits other stories: if the story it joined now matches one of them, they are one event
            for score, other in scored[1:]:
                if score < self.settings.join_score:
                    break
                if other in self._stories and self._stories[other].open is not None:
                    together = self._centroid_score(story, self._stories[other])
                    if together >= self.settings.merge_score:
                        keep, absorb = (story, self._stories[other]) if older(story, self._stories[other]) else (self._stories[other], story)
                        self.merge(keep.id, absorb.id, f"bridged by article {f.id}: stories score {together:.2f} together", together)
                        story = keep
        return Assignment(f.id, self._story_of[f.id], joined, round(best_score, 4))

    def _prepare(self, f: ArticleFeatures, made: Prepared | None = None) -> tuple[Vectors, tuple | None, list[StoryState], list[StoryState]]:
        """Move the stream's clock to the article (closing stale stories), then its unit vectors, LSH band keys,
        candidate stories (what `add` scores and `join_training_rows` labels) and the open stories it names whose
        coverage ended more than a window before it (`_candidates`: follow-up candidates). `made`: its vectors
        and band keys, made (and its terms counted) by the background process of `add_stream`."""
        if f.published is not None and (self.now is None or f.published > self.now):
            self.now = f.published
            self._close_stale()
        if made is None:
            vectors = self._vectorise(f)
            signature = self._bander(vectors)
        else:
            vectors, signature = made
        return vectors, signature, *self._candidates(f, signature)

    def _gather(self, story: StoryState, near: list[StoryState]) -> StoryState:
        """Merge into a story that just grew the small open stories near it (`near`: the other candidates its new
        article was scored against) whose every article would now join it: an event's first reports, each alone
        before the story had the coverage to recognise it, come together as it grows. Returns the merged story."""
        if story.held:  # a reopened story takes no stragglers: it stays as the follow-up model made it
            return story
        for other in near:
            if (other.open is None or other.pinned or other.held or len(other.articles) > self.settings.straggler_size
                    or (other.first is not None and gap(other.first, story) > self.settings.window_days)):
                continue
            fits = [self._score(m.vectors, m.published, m.dates, story) for m in (self._members[a] for a in other.articles)]
            if min(fits) >= self.settings.join_score:
                keep, absorb = (story, other) if older(story, other) else (other, story)
                self.merge(keep.id, absorb.id, f"its {len(fits)} article(s) now join it (probability {min(fits):.2f} or more)", min(fits))
                story = keep
        return story

    def _young_follow_up(self, f: ArticleFeatures, vectors: Vectors, passed: Sequence[StoryState], story: StoryState) -> StoryState:
        """A young story (`young_follow_up_size` articles or fewer, none of them from before a close) that an article
        just joined, merged into the closed story (reopened) or the story past the window that the follow-up model
        takes the article for: the first report of a trial or an arrest can fail to reopen its event's story and
        open one of its own, which the next report then joins. Returns the story the article is in."""
        if (story.open is None or story.held or story.seed is not None or story.pinned
                or len(story.articles) > self.settings.young_follow_up_size):
            return story
        earlier, probability = self._follow_up(f, vectors, passed)  # past the window: never the story it joined
        if earlier is None:
            return story
        self.merge(earlier.id, story.id, f"its article {f.id} follows up this story (probability {probability:.2f})", probability)
        return earlier

    def _follow_up(self, f: ArticleFeatures, vectors: Vectors, passed: Sequence[StoryState] = ()) -> tuple[StoryState | None, float]:
        """The story this article most probably follows up, and that probability: a closed story (reopened), or
        one of `passed` (open stories whose coverage ended more than a window before the article); (None, best
        probability) when none reaches `follow_up_score` (or follow-ups are off)."""
        if self.settings.follow_up_days is None or not (self._lookup or passed):  # off, or nothing to look up
            return None, 0.0
        looked_up = self._follow_up_candidates(f, vectors, passed)
        if not looked_up:
            return None, 0.0
        if self._follow_up_model is None:
            self._follow_up_model = shipped_follow_up()
        found = follow_up.best_follow_up(self._follow_up_model, self.settings.follow_up_score, vectors, f.published, f.dates,
                                         looked_up, self._follow_up_period)
        if found is None:
            return None, 0.0
        best, sid = found
        if best < self.settings.follow_up_score:
            return None, best
        story = self._stories[sid]
        return (story if story.open is not None else self._reopen(story)), best

    def _follow_up_candidates(self, f: ArticleFeatures, vectors: Vectors,
                              passed: Sequence[StoryState] = ()) -> list[tuple[StoryState, Kept | None]]:
        """The stories a follow-up of `f` may reopen, with their profiles (`follow_up.candidates`)."""
        return follow_up.candidates(vectors, f.published, self._lookup, passed, self._stories, self.settings.follow_up_days)

    def _follow_up_features(self, vectors: Vectors, published: date | None, dates: tuple[date, ...], story: StoryState,
                            kept: Kept | None = None) -> tuple[float, ...]:
        """The follow-up model's input for an article against a story's profile (`follow_up.features`)."""
        return follow_up.features(vectors, published, dates, story, kept, self._follow_up_period)

    @property
    def _follow_up_period(self) -> int:
        """The days the follow-up gap is scaled to."""
        return self.settings.follow_up_days or FOLLOW_UP_DAYS

    def _keep(self, story: StoryState) -> None:
        """Keep a closing story's profile and index it by its names (follow-ups)."""
        assert story.open is not None
        story.kept = Kept.of(story)
        self._lookup.add(story)

    def _forget_kept(self, story: StoryState) -> None:
        kept, story.kept = story.kept, None
        if kept is not None:
            self._lookup.remove(story.id, kept)

    def _reopen(self, story: StoryState) -> StoryState:
        """Open a closed story again from its profile: its centroids start from the kept ones; its old articles
        stay in it (`held`, without vectors); it takes the follow-up and later coverage as any open story."""
        kept = story.kept
        assert kept is not None and story.open is None
        self._forget_kept(story)
        self._seed(story, kept, list(story.articles))
        return story

    def _seed(self, story: StoryState, kept: Kept, held: Sequence[str]) -> None:
        state = story.open = OpenState()
        for c in CHANNELS:
            state.centroid[c] = kept.centroid(c)
            state.norm2[c] = kept.channel(c)[2] ** 2
        state.dates.update(kept.dates)
        story.seed, story.held = kept, held  # its later coverage finds it in the LSH index by the new articles' keys
        self._open_count += 1
        if story.last is not None:
            heapq.heappush(self._closing, (story.last, story.id))

    def prime(self, batch: Iterable[ArticleFeatures]) -> None:
        """Count the document frequencies of a batch before adding it, so its first articles are weighed as well as its last."""
        self._not_streaming("prime articles")
        for f in batch:
            if f.id in self._story_of or f.id in self._primed:
                continue
            self._primed.add(f.id)
            self._count(f)

    def _count(self, f: ArticleFeatures) -> None:
        self.n_docs += 1
        df = self.df
        for channel, terms in (("w", (t for t, _ in f.words)), ("n", (t for t, _ in f.names)), ("u", (t for t, _ in f.numbers)), ("l", f.lede_words)):
            for term in terms:
                df[channel + term] += 1

    def _vectorise(self, f: ArticleFeatures) -> Vectors:
        """Unit tf-idf vectors per channel; document frequencies are counted first, this article included."""
        counted = f.id in self._primed
        if counted:
            self._primed.discard(f.id)
        else:
            self.n_docs += 1
        return vectorise(terms_of(f), self.df, self.n_docs, counted)

    def _candidates(self, f: ArticleFeatures, signature: tuple | None) -> tuple[list[StoryState], list[StoryState]]:
        """The open stories the article's band keys name (all of them while few are open): those within the window
        of its date, to score for joining, and those still open in their grace period whose coverage ended more
        than a window before it, which only the follow-up model may take it into (as if they had closed)."""
        if not self.settings.blocking or self._open_count <= EXACT_BELOW:
            pool = [s for s in self._stories.values() if s.open is not None]
        else:
            hits = Counter(chain.from_iterable(self._index.naming(signature))) if signature is not None else Counter()
            k = self.settings.max_candidates
            if f.published is None:
                return [self._stories[sid] for sid in most_shared(hits, k)], []
            # the k sharing most among those within the window (the stories past it, still in the index for late
            # articles, take no place of theirs), and as many of those past it; the ranking goes deeper only when
            # the first 2k hold fewer than k within the window
            stories = self._stories
            ranked = most_shared(hits, 2 * k)
            near, passed = self._within(f.published, [stories[sid] for sid in ranked], k)
            if len(near) < k and len(ranked) < len(hits):
                near, passed = self._within(f.published, [stories[sid] for sid in most_shared(hits, len(hits))], k)
            return near, passed
        if f.published is None:
            return pool, []
        return self._within(f.published, pool, len(pool))

    def _within(self, day: date, ranked: Iterable[StoryState], k: int) -> tuple[list[StoryState], list[StoryState]]:
        """The first k stories of `ranked` whose coverage is within the window of `day`, and the first k past it."""
        window = self.settings.window_days
        near: list[StoryState] = []
        passed: list[StoryState] = []
        for story in ranked:
            side = near if gap(day, story) <= window else passed
            if len(side) < k:
                side.append(story)
                if len(near) == k and len(passed) == k:
                    break
        return near, passed

    def _score(self, vectors: Vectors, published: date | None, dates: tuple[date, ...], story: StoryState) -> float:
        """The probability (join model) that an article, by its unit vectors and dates, reports an open story's event."""
        if self._model is None:
            self._model = shipped_join_model()
        return self._model.probability(self._join_features(vectors, published, dates, story))

    def _join_features(self, vectors: Vectors, published: date | None, dates: tuple[date, ...], story: StoryState) -> tuple[float, ...]:
        """The join model's input for an article against an open story (`join_model.FEATURES`)."""
        return join_features(self._signals(vectors, published, dates, story), len(story.articles), bool(vectors["n"]),
                             bool(vectors["u"]), len(vectors["w"]))

    def _signals(self, vectors: Vectors, published: date | None, dates: tuple[date, ...], story: StoryState) -> tuple[float, ...]:
        """Cosines of words, names, numbers and title-and-lede against the story's centroids; the share of the
        article's stated days the story states; minus the days to the story's coverage over the window."""
        state = story.open
        assert state is not None
        centroid, norm2 = state.centroid, state.norm2
        out = [(dot(vectors[c], centroid[c]) / math.sqrt(norm2[c]) if norm2[c] > 0 else 0.0) for c in CHANNELS]
        same_day = sum(1 for d in dates if d in state.dates) / len(dates) if dates and state.dates else 0.0
        apart = 0.0 if published is None or story.first is None else -min(gap(published, story) / self.settings.window_days, 1.0)
        out += (same_day, apart)
        return tuple(out)

    def _open_story(self, f: ArticleFeatures) -> StoryState:
        story = StoryState(story_key(f.id), self._next_seq(), f.title)
        self._stories[story.id] = story
        self._open_count += 1
        return story

    def _attach(self, story: StoryState, article_id: str, member: Member) -> None:
        state = story.open
        assert state is not None
        for channel in CHANNELS:
            centroid, vector = state.centroid[channel], member.vectors[channel]
            if not story.articles:  # a story of one article shares its vectors: most stories stay that size
                state.centroid[channel] = vector
                state.norm2[channel] = sum([w * w for w in vector.values()])
                continue
            if len(story.articles) == 1:
                centroid = state.centroid[channel] = dict(centroid)  # copy before the first sum
            # |c + v|^2 = |c|^2 + 2 c.v + |v|^2, kept exactly without a pass over the centroid
            state.norm2[channel] += 2.0 * dot(vector, centroid) + sum([w * w for w in vector.values()])
            for t, w in vector.items():
                centroid[t] = centroid.get(t, 0.0) + w
        state.dates.update(member.dates)
        story.articles.append(article_id)
        if not story.headline and member.title:
            story.headline = member.title
        if member.published is not None:
            first_change = story.last is None
            story.first = member.published if story.first is None else min(story.first, member.published)
            if story.last is None or member.published > story.last:
                story.last = member.published
                first_change = True
            if first_change:
                heapq.heappush(self._closing, (story.last, story.id))
        self._story_of[article_id] = story.id
        self._members[article_id] = member
        if member.bands is not None:
            self._index.insert(story.id, member.bands)

    def _detach(self, story: StoryState, article_id: str) -> Member:
        """Take an article out of an open story's centroid and the index (for splits; the story keeps one or more)."""
        member = self._members.pop(article_id)
        state = story.open
        assert state is not None and len(story.articles) > 1
        for channel in CHANNELS:
            centroid, vector = state.centroid[channel], member.vectors[channel]
            for t, w in vector.items():
                left = centroid.get(t, 0.0) - w
                if abs(left) < 1e-12:
                    centroid.pop(t, None)
                else:
                    centroid[t] = left
            state.norm2[channel] = sum(w * w for w in centroid.values())
        state.dates.subtract(member.dates)
        state.dates = +state.dates
        story.articles.remove(article_id)
        if member.bands is not None:
            self._index.remove(story.id, member.bands)
        return member

    def _close_stale(self) -> None:
        """Close every story whose coverage ended more than window + grace before the newest article."""
        if self.now is None:
            return
        horizon = self.now - timedelta(days=self.settings.window_days + self.settings.grace_days)
        while self._closing and self._closing[0][0] < horizon:
            last, sid = heapq.heappop(self._closing)
            story = self._stories.get(sid)
            if story is None or story.open is None or story.last != last:
                continue  # merged away, already closed, or got newer coverage (a newer heap entry exists)
            self._close(story)
        days = self.settings.follow_up_days
        if days is not None:
            for last, sid in self._lookup.due(self.now - timedelta(days=days)):
                story = self._stories.get(sid)
                if story is not None and story.kept is not None and story.last == last:
                    self._forget_kept(story)

    def _close(self, story: StoryState) -> None:
        state = story.open
        assert state is not None
        story.entities, story.terms = top(state.centroid["n"], KEY_ENTITIES), top(state.centroid["w"], SUMMARY_TERMS)
        for article_id in story.articles:
            member = self._members.pop(article_id, None)
            if member is not None and member.bands is not None:
                self._index.remove(story.id, member.bands)
        if self.settings.follow_up_days is not None and story.last is not None:
            self._keep(story)
        story.open, story.seed, story.held = None, None, ()
        self._open_count -= 1

    # -- merging and splitting ----------------------------------------------------------------------------

    def close(self, story: str, *, reopenable: bool = True) -> None:
        """Close an open story now: it takes no more articles and leaves the index (an editor's merge with a
        story that has closed already closes the result, so the two never drift apart). `reopenable=False`:
        it keeps no profile either (open or closed before), so no follow-up reopens it."""
        s = self._stories[story]
        if s.open is not None:
            self._close(s)
        if not reopenable:
            self._forget_kept(s)

    def merge(self, keep: str, absorb: str, reason: str, score: float | None = None, *, pin: bool = False) -> StoryEvent:
        """Move every article of story `absorb` into story `keep`; recorded. Both must be open. `pin`: an
        editor's decision, which the automatic split check leaves alone."""
        a, b = self._stories[keep], self._stories[absorb]
        if a is b or a.open is None or b.open is None:
            raise EditError(f"cannot merge {keep} and {absorb}: a story merges only with another open story")
        moved = tuple(b.articles)
        held = set(b.held)
        for article_id in moved:  # b goes away whole: its centroid is not unpicked, only its index entries
            if article_id in held:
                continue
            member = self._members.pop(article_id)
            if member.bands is not None:
                self._index.remove(b.id, member.bands)
            self._attach(a, article_id, member)
        if b.held:  # from before b closed and a follow-up reopened it: their sum is b's seed
            a.held = [*a.held, *b.held]
        for article_id in b.held:
            a.articles.append(article_id)
            self._story_of[article_id] = a.id
        if b.seed is not None:  # after the attaching above: a story of one article shares that article's vectors
            self._absorb_seed(a, b)
        del self._stories[absorb]
        self._open_count -= 1
        a.pinned = a.pinned or pin or b.pinned
        event = StoryEvent("merge", self.now, (keep, absorb), moved, reason, score)
        self.events.append(event)
        return event

    def _absorb_seed(self, a: StoryState, b: StoryState) -> None:
        """Story a takes reopened story b's seed: its centroids and days add to a's (both are sums), and a's seed
        (what its records rebuild its centroids from) becomes the sum of both."""
        seed = b.seed
        assert seed is not None and a.open is not None
        for c in CHANNELS:
            centroid = a.open.centroid[c] = dict(a.open.centroid[c])
            for t, w in zip(*seed.channel(c)[:2]):
                centroid[t] = centroid.get(t, 0.0) + w
            a.open.norm2[c] = sum([w * w for w in centroid.values()])
        a.open.dates.update(seed.dates)
        a.seed = seed if a.seed is None else a.seed.plus(seed)
        if b.first is not None:
            a.first = b.first if a.first is None else min(a.first, b.first)
        if b.last is not None and (a.last is None or b.last > a.last):
            a.last = b.last
            heapq.heappush(self._closing, (a.last, a.id))

    def held(self, story: str) -> tuple[str, ...]:
        """The articles an open story held before it closed and a follow-up reopened it: in its centroids, but
        with no vectors of their own, so they cannot be split out of it (close it instead)."""
        return tuple(self._stories[story].held)

    def split(self, story: str, articles: Sequence[str], reason: str, *, pin: bool = False) -> StoryEvent:
        """Move `articles` out of an open story into a new one (named after the first of them); recorded.
        `pin`: an editor's decision: neither part is split automatically again."""
        source = self._stories[story]
        moving = [a for a in source.articles if a in set(articles)]
        if source.open is None or not moving or len(moving) == len(source.articles):
            raise EditError(f"cannot split {story}: it must be open and keep at least one article, and lose at least one")
        if set(moving) & set(source.held):
            raise EditError(f"cannot split {story}: some of those articles were in it before it closed and a follow-up "
                            "reopened it, and their vectors are not kept; close the story and split the stored story instead")
        members = [(a, self._detach(source, a)) for a in moving]
        self._recompute_dates(source)
        new = StoryState(story_key(moving[0]), self._next_seq(), members[0][1].title)
        self._stories[new.id] = new
        self._open_count += 1
        for article_id, member in members:
            self._attach(new, article_id, member)
        if pin:
            source.pinned = new.pinned = True
        if source.headline == new.headline:
            source.headline = self._members[source.articles[0]].title
        event = StoryEvent("split", self.now, (story, new.id), tuple(moving), reason)
        self.events.append(event)
        return event

    def _dates_of(self, story: StoryState) -> tuple[date | None, date | None]:
        """The first and last publication dates of an open story's articles (None, None when none is dated)."""
        members = (self._members.get(a) for a in story.articles)
        published = [m.published for m in members if m is not None and m.published is not None]
        if story.seed is not None:  # a reopened story's coverage from before it closed
            published += [d for d in (story.seed.first, story.seed.last) if d is not None]
        return (min(published), max(published)) if published else (None, None)

    def _recompute_dates(self, story: StoryState) -> None:
        story.first, story.last = self._dates_of(story)
        if story.last is not None:
            heapq.heappush(self._closing, (story.last, story.id))

    @property
    def _splits(self) -> bool:
        return self.settings.split_score is not None or self.settings.split_cohesion is not None

    def _maybe_split(self, story: StoryState) -> StoryEvent | None:
        """Split a story whose articles fall in two groups that hardly resemble each other (two look-alike events
        merged early: `split.split_of`)."""
        ids = list(story.articles)
        found = split_of(ids, [self._members[a].vectors for a in ids], self.settings)
        return self.split(story.id, *found) if found is not None else None

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq - 1

    def _centroid_score(self, a: StoryState, b: StoryState) -> float:
        """How well story a's centroid, as if it were one article, fits story b."""
        assert a.open is not None
        vectors = {c: unit(a.open.centroid[c]) for c in CHANNELS}
        return self._score(vectors, a.last, tuple(a.open.dates), b)

    def similar_stories(self, story: str) -> list[tuple[str, float]]:
        """Other open stories scored against this one's centroid, best first (for reviewing merges). With many
        open stories, only those sharing an LSH band key with one of its articles are scored (as in `add`)."""
        s = self._stories[story]
        if s.open is None:
            return []
        vectors = {c: unit(s.open.centroid[c]) for c in CHANNELS}
        dates = tuple(s.open.dates)
        pool: Iterable[StoryState] = self._stories.values()
        if self.settings.blocking and self._open_count > EXACT_BELOW:
            near: set[str] = set()
            for article_id in s.articles:
                member = self._members.get(article_id)
                bands = member.bands if member is not None else None
                if bands is not None:
                    for bucket in self._index.naming(bands):
                        near.update(bucket)
            pool = [self._stories[sid] for sid in sorted(near) if sid in self._stories]
        out = []
        for other in pool:
            if other is s or other.open is None:
                continue
            if s.last is not None and other.first is not None and gap(s.last, other) > self.settings.window_days:
                continue
            out.append((other.id, round(self._score(vectors, s.last, dates, other), 4)))
        return sorted(out, key=lambda kv: (-kv[1], kv[0]))

    def member_fit(self, story: str) -> list[tuple[str, float]]:
        """Each article of an open story with the probability that it joins the rest of the story (the story
        without it), weakest first: the articles an editor might split out. A story of one article: []."""
        s = self._stories[story]
        if s.open is None or len(s.articles) < 2:
            return []
        out = []
        for article_id in [a for a in s.articles if a in self._members]:  # a reopened story's old articles have no vectors
            member = self._detach(s, article_id)
            first, last = s.first, s.last
            s.first, s.last = self._dates_of(s)  # the rest's coverage, without the heap entry _recompute_dates makes
            out.append((article_id, round(self._score(member.vectors, member.published, member.dates, s), 4)))
            s.first, s.last = first, last
            self._attach(s, article_id, member)
        order = {a: i for i, a in enumerate(self._stories[story].articles)}
        return sorted(out, key=lambda kv: (kv[1], order[kv[0]]))

    # -- records --------------------------------------------------------------------------------------------

    def to_records(self) -> list[dict[str, Any]]:
        """The whole state as plain JSON-able records: one `state`, then `story`, `article` and `event` records."""
        self._not_streaming("save the state")
        records: list[dict[str, Any]] = [{
            "type": "state", "settings": self.settings.to_record(), "n_docs": self.n_docs,
            "now": iso(self.now), "df": dict(self.df),
        }]
        for s in self._stories.values():
            view = self.story(s.id)
            records.append(s.to_record(view.entities, view.terms))
        for s in self._stories.values():
            for article_id in s.articles:
                member = self._members.get(article_id)
                record = {"type": "article", "id": article_id, "story": s.id}
                if member is not None:
                    record.update(member.to_record())
                records.append(record)
        records += map(event_record, self.events)
        return records

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]]) -> StoryClusterer:
        """The clusterer `to_records` described, ready to take more articles."""
        records = list(records)
        state = next(r for r in records if r["type"] == "state")
        self = cls(ClusterSettings.from_record(state["settings"]))
        self.n_docs, self.now, self.df = state["n_docs"], from_iso(state["now"]), Counter(state["df"])
        # a store loads only some closed stories' profiles: the names shared by too many of them to look any up
        self._lookup.common = frozenset(state.get("common_names", ()))
        for r in records:
            if r["type"] == "story":
                s = StoryState.from_record(r)
                self._seq = max(self._seq, s.seq + 1)
                if not r["open"]:
                    if r.get("kept") is not None and self.settings.follow_up_days is not None:
                        s.kept = Kept.from_record(r["kept"])
                        self._lookup.add(s)
                elif r.get("seed") is None:
                    self._open_count += 1
                self._stories[s.id] = s
            elif r["type"] == "event":
                self.events.append(event_from_record(r))
        articles = {r["id"]: r for r in records if r["type"] == "article"}
        for r in articles.values():
            self._story_of[r["id"]] = r["story"]
        for r in records:  # open stories are rebuilt by attaching their articles again, in their order
            if r["type"] == "story" and r["open"]:
                s = self._stories[r["id"]]
                first, last = s.first, s.last
                if r.get("seed") is not None:  # reopened: its old articles are in the seed
                    seed = r["seed"]
                    self._seed(s, Kept.from_record(seed), list(seed["held"]))
                    s.articles = list(seed["held"])
                held = set(s.held)
                for article_id in r["articles"]:
                    if article_id in held:
                        continue
                    self._attach(s, article_id, Member.from_record(articles[article_id]))
                s.first, s.last = first, last
                s.articles = list(r["articles"])
                if last is not None:  # its articles were attached with its dates already set: queue it to close here
                    heapq.heappush(self._closing, (last, s.id))
        return self

