"""Rows to fit the join and follow-up models on (`bench/fit_join_model.py`), by teacher forcing: a corpus with
gold stories is replayed in the clusterer's order, each article put into its true story, and before that its
features against the stories the clusterer would score it against make rows, labelled 1 for its own story.

The replay is a `StoryClusterer` that is told where each article goes (`_Teacher`): it uses the clusterer's own
preparation, candidates and feature functions, so the rows are what the clusterer computes when it streams.
"""

from __future__ import annotations

from typing import Iterable

from newsweave.model import ArticleFeatures
from newsweave.stories.batch import stream_order
from newsweave.stories.clusterer import StoryClusterer
from newsweave.stories.settings import ClusterSettings
from newsweave.stories.state import Member

Rows = list[tuple[tuple[float, ...], int]]

__all__ = ["follow_up_training_rows", "join_training_rows"]


def join_training_rows(records: Iterable[ArticleFeatures], true_story: dict[str, str],
                       settings: ClusterSettings = ClusterSettings(blocking=False)) -> Rows:
    """Rows to fit the join model on: the records, in the clusterer's order, each put into its true story
    (`true_story`: record id -> gold story id), and before that its features (`join_model.FEATURES`) against every
    open story within its window, labelled 1 for the story holding its true story's articles. A true story whose
    coverage left the window starts again as a new story, as it would in the stream."""
    teacher = _Teacher.of(records, settings)
    return [row for f in teacher.ordered for row in teacher.join_rows(f, true_story[f.id])]


def follow_up_training_rows(records: Iterable[ArticleFeatures], true_story: dict[str, str],
                            settings: ClusterSettings = ClusterSettings(blocking=False)) -> Rows:
    """Rows to fit the follow-up model on, by teacher forcing as `join_training_rows`: each record goes into its true
    story; one whose true story is not open in its window (closed, past the window in its grace period, or never
    seen) first makes a row against each story it looks up (`join_model.FOLLOW_UP_FEATURES`), labelled 1 for the
    story holding its true story's articles, which it then joins (reopened if closed)."""
    teacher = _Teacher.of(records, settings)
    return [row for f in teacher.ordered for row in teacher.follow_up_rows(f, true_story[f.id])]


class _Teacher(StoryClusterer):
    """A clusterer told each article's true story: `current` maps a gold story to the clusterer story holding it."""

    def __init__(self, settings: ClusterSettings, ordered: list[ArticleFeatures]) -> None:
        super().__init__(settings)
        self.ordered = ordered
        self.current: dict[str, str] = {}

    @classmethod
    def of(cls, records: Iterable[ArticleFeatures], settings: ClusterSettings) -> _Teacher:
        teacher = cls(settings, sorted(records, key=stream_order))
        teacher.prime(teacher.ordered)
        return teacher

    def join_rows(self, f: ArticleFeatures, gold: str) -> Rows:
        vectors, bands, candidates, _ = self._prepare(f)
        own = self.current.get(gold)
        rows = [(self._join_features(vectors, f.published, f.dates, story), int(story.id == own)) for story in candidates]
        target = self._stories.get(own) if own else None
        if target is None or target not in candidates:
            target = self._open_story(f)
            self.current[gold] = target.id
        self._attach(target, f.id, Member(vectors, bands, f.published, f.dates, f.title))
        return rows

    def follow_up_rows(self, f: ArticleFeatures, gold: str) -> Rows:
        vectors, bands, candidates, passed = self._prepare(f)
        own = self.current.get(gold)
        target = self._stories.get(own) if own else None
        rows: Rows = []
        if target is None or target not in candidates:
            looked_up = self._follow_up_candidates(f, vectors, passed)
            rows = [(self._follow_up_features(vectors, f.published, f.dates, story, kept), int(story.id == own)) for story, kept in looked_up]
            if target is not None and any(story is target for story, _ in looked_up):
                if target.open is None:
                    self._reopen(target)
            else:
                target = self._open_story(f)
                self.current[gold] = target.id
        self._attach(target, f.id, Member(vectors, bands, f.published, f.dates, f.title))
        return rows
