"""Whether an article joins a story: a learned additive score over the clusterer's similarity signals.

The clusterer (`clusterer.py`) measures an article against a candidate story with a few signals: the cosines
of content words, names, numbers and title-and-lede words, the share of the article's stated days the story
states too, and the days between them. This module turns those signals, with the story's size and what the
article carries (any names, any numbers, a body or only a headline), into the probability that the article
reports the story's event:

    logit P(join) = intercept + sum over features of shape_f(x_f)

one shape function per feature and no interactions (a generalised additive model). The shapes are fitted
by scikit-learn's `HistGradientBoostingClassifier` with `interaction_cst="no_interactions"` (each tree
splits on one feature, so the trees of a feature sum to its shape) and `monotonic_cst` (more similarity
never lowers the probability), then tabulated on a grid and kept as plain numbers in `join_model.json`.
Scoring reads the table (a binary search and a linear interpolation per feature, no scikit-learn at run time),
so the shapes can be read, plotted and diffed.

`bench/fit_join_model.py` fits the table: the fit halves of the two benchmark corpora (ECB+'s train topics, half of
the gun-violence incidents) are replayed with every article put in its true story ("teacher forcing"),
each article's signals against every open story in its window make a row, labelled 1 for its own story.
The other halves stay out of fitting; `bench/cluster.py` scores on them.

Why learned: with the same signals, the weighted sum the clusterer used before (weights fitted by coordinate
ascent on B-cubed F1) could not say that a headline-only record matching a story's title words is as good as
a long article matching its body, or that a story of fifteen articles is matched differently from one of
two. The additive model gained on the held-out halves of both corpora (bench/cluster.py).
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Sequence

import numpy as np

FEATURES = (
    "words", "names", "numbers", "lede", "dates", "gap",  # the clusterer's signals (`StoryClusterer._signals`)
    "log_size",  # log(1 + articles in the story)
    "has_names", "has_numbers",  # the article names someone or something / states a number (1.0 or 0.0)
    "short",  # the article has at most SHORT_WORDS distinct content words: a headline, or a failed scrape
)
SIGNALS = 6  # the first features are similarities: the model may only rise with them
SHORT_WORDS = 15
MODEL_FILE = "join_model.json"
# The follow-up model: whether an article that joins no open story reports a story that has closed (an arrest,
# a trial, a sentencing weeks later), scored against the closed story's kept profile (`follow_up.py`). Its gap is
# -log(1 + days since the story's last coverage) / log(1 + FOLLOW_UP_DAYS): closer is higher, as for the join gap.
FOLLOW_UP_FEATURES = ("words", "names", "numbers", "lede", "dates", "gap", "log_size", "short")
FOLLOW_UP_FILE = "follow_up_model.json"


@dataclass(frozen=True, slots=True)
class JoinModel:
    """The tabulated shapes: `grids[f]` ascending x values and `values[f]` the log-odds each adds there."""

    intercept: float
    grids: tuple[tuple[float, ...], ...]
    values: tuple[tuple[float, ...], ...]
    about: dict[str, Any]  # how it was fitted: data, rows, settings (for the record; scoring ignores it)
    features: tuple[str, ...] = FEATURES  # what x holds, in order (FEATURES, or FOLLOW_UP_FEATURES)

    def logit(self, x: Sequence[float]) -> float:
        z = self.intercept
        for v, grid, values in zip(x, self.grids, self.values):
            i = bisect_right(grid, v)
            if i == 0:
                z += values[0]
            elif i == len(grid):
                z += values[-1]
            else:
                x0, x1 = grid[i - 1], grid[i]
                z += values[i - 1] + (values[i] - values[i - 1]) * (v - x0) / (x1 - x0)
        return z

    def logit_bound(self, partial: Sequence[float | None]) -> float:
        """The highest log-odds an input can reach whose known features are those of `partial` (None: not
        computed yet, taken at the top of its shape). Below a threshold, the rest need not be computed."""
        return self.logit([grid[values.index(max(values))] if v is None else v for v, grid, values in zip(partial, self.grids, self.values)])

    def probability(self, x: Sequence[float]) -> float:
        z = self.logit(x)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_record(self) -> dict[str, Any]:
        return {
            "features": list(self.features), "intercept": self.intercept,
            "shapes": [{"feature": f, "x": list(g), "logit": list(v)} for f, g, v in zip(self.features, self.grids, self.values)],
            "about": self.about,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], features: tuple[str, ...] = FEATURES) -> JoinModel:
        if record.get("features") != list(features):
            raise ValueError(f"the model's features are {record.get('features')}, this newsweave computes {list(features)}: "
                             "fit it again with bench/fit_join_model.py")
        shapes = record["shapes"]
        return cls(float(record["intercept"]), tuple(tuple(map(float, s["x"])) for s in shapes),
                   tuple(tuple(map(float, s["logit"])) for s in shapes), dict(record.get("about", {})), features)


def join_features(signals: Sequence[float], story_size: int, has_names: bool, has_numbers: bool, content_words: int) -> tuple[float, ...]:
    """The model's input, in the order of FEATURES."""
    return (*signals, math.log1p(story_size), float(has_names), float(has_numbers), float(content_words <= SHORT_WORDS))


def follow_up_features(signals: Sequence[float | None], story_size: int, content_words: int) -> tuple[float | None, ...]:
    """The follow-up model's input, in the order of FOLLOW_UP_FEATURES (a signal not computed yet stays None)."""
    return (*signals, math.log1p(story_size), float(content_words <= SHORT_WORDS))


@cache
def model_text(name: str = MODEL_FILE) -> str:
    """A shipped table, as stored (the digests of both are part of `settings.constants_digest`)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def shipped() -> JoinModel:
    """The join table that ships with newsweave (`newsweave/stories/join_model.json`)."""
    return JoinModel.from_record(json.loads(model_text()))


@cache
def shipped_follow_up() -> JoinModel:
    """The follow-up table that ships with newsweave (`newsweave/stories/follow_up_model.json`)."""
    return JoinModel.from_record(json.loads(model_text(FOLLOW_UP_FILE)), FOLLOW_UP_FEATURES)


# --- fitting (bench/fit_join_model.py) -------------------------------------------------------------------------

GRID_POINTS = 101
LOG_SIZE_MAX = math.log1p(255)


def grid(name: str) -> tuple[float, ...]:
    """The x values a feature's shape is tabulated at."""
    if name in ("has_names", "has_numbers", "short"):
        return (0.0, 1.0)
    low, high = {"gap": (-1.0, 0.0), "log_size": (0.0, LOG_SIZE_MAX)}.get(name, (0.0, 1.0))
    return tuple(low + (high - low) * k / (GRID_POINTS - 1) for k in range(GRID_POINTS))


def fit(rows: Sequence[Sequence[float]], labels: Sequence[int], about: dict[str, Any] | None = None, *,
        features: tuple[str, ...] = FEATURES, **settings: Any) -> JoinModel:
    """Fit the shapes on rows of `features` (labels 1: the article's own story) and tabulate them."""
    from sklearn.ensemble import HistGradientBoostingClassifier  # here: scoring reads the table, only fitting needs it

    params: dict[str, Any] = dict(
        max_iter=200, learning_rate=0.05, max_leaf_nodes=15, early_stopping=False, random_state=0,
        interaction_cst="no_interactions", monotonic_cst=[1] * SIGNALS + [0] * (len(features) - SIGNALS),
    )
    params.update(settings)
    X, y = np.asarray(rows, dtype=float), np.asarray(labels, dtype=int)
    booster = HistGradientBoostingClassifier(**params).fit(X, y)
    base = np.zeros(len(features))
    intercept = float(booster.decision_function(base[None, :])[0])
    grids, values = [], []
    for f, name in enumerate(features):
        g = grid(name)
        probe = np.tile(base, (len(g), 1))
        probe[:, f] = g
        grids.append(g)  # additive: varying one feature moves the log-odds by its shape alone
        values.append(tuple(round(float(v), 6) for v in booster.decision_function(probe) - intercept))
    record = dict(about or {})
    record.update(rows=len(y), positives=int(y.sum()), booster={k: v for k, v in params.items() if k != "monotonic_cst"})
    return JoinModel(round(intercept, 6), tuple(grids), tuple(values), record, features)
