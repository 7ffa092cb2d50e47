"""Splitting: whether a story's articles fall in two groups that hardly resemble each other.

Two look-alike events whose first reports met early can grow into one story. As a story doubles
(`SPLIT_CHECK_SIZES`) the clusterer asks `split_of` for its articles: they are split in two at the top of an
average-link tree over their similarities (scipy), and the story is split when the two groups average below
`split_score`, or (numbers weighed more: such events differ in ages, years, scores and tolls) each holds
`COHESION_MIN_PART` articles and they resemble each other less than `split_cohesion` times as much as each
resembles itself (`cohesion_ratio`).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from newsweave.stories.settings import CHANNELS, COHESION_MIN_PART, MIN_SPLIT, SPLIT_COHESION_WEIGHTS, ClusterSettings
from newsweave.stories.vectors import Vectors, dot

__all__ = ["cohesion_ratio", "split_of"]


def split_of(ids: Sequence[str], vectors: Sequence[Vectors], settings: ClusterSettings) -> tuple[list[str], str] | None:
    """The articles to move out of a story of these articles (`vectors`: their unit vectors, in order) and why, when
    the first of the two tests above holds; None when the story holds together."""
    from scipy.spatial.distance import squareform  # scipy loads in a second: only when a story is checked

    n = len(ids)
    cosines = _pairwise_cosines(vectors)
    split_score, cohesion = settings.split_score, settings.split_cohesion
    if split_score is not None:
        first, apart = _halves(_weighted(cosines, settings.weights))
        if apart < split_score and MIN_SPLIT <= first.sum() <= n - MIN_SPLIT:
            return ([a for a, f in zip(ids, first) if not f],
                    f"its articles fall in two groups with average similarity {apart:.2f} between them")
    if cohesion is not None and n >= 2 * COHESION_MIN_PART:
        similarity = _weighted(cosines, SPLIT_COHESION_WEIGHTS)
        first, _ = _halves(similarity)
        if COHESION_MIN_PART <= first.sum() <= n - COHESION_MIN_PART:
            ratio = cohesion_ratio(squareform(similarity), first)
            if ratio < cohesion:
                return ([a for a, f in zip(ids, first) if not f],
                        f"its articles fall in two groups that resemble each other {ratio:.2f} times as much as each resembles itself")
    return None


def cohesion_ratio(similarity: np.ndarray, first: np.ndarray) -> float:
    """Mean similarity between two groups (mask `first` and the rest, two articles each or more) over the mean
    of each group's mean inner similarity (`similarity`: square, zero on the diagonal); 1.0 when neither group
    holds together at all."""
    a, b = first, ~first
    inner = [similarity[np.ix_(g, g)].sum() / (k * (k - 1)) for g, k in ((a, int(a.sum())), (b, int(b.sum())))]
    within = (inner[0] + inner[1]) / 2
    return float(similarity[np.ix_(a, b)].mean() / within) if within > 0 else 1.0


def _pairwise_cosines(members: Sequence[Vectors]) -> np.ndarray:
    """Cosines of every pair of articles per channel, in scipy's condensed order: shape (channels, pairs)."""
    n = len(members)
    pairs = [(members[i], members[j]) for i in range(n) for j in range(i + 1, n)]
    return np.array([[dot(a[c], b[c]) for a, b in pairs] for c in CHANNELS])


def _weighted(cosines: np.ndarray, weights: Sequence[float]) -> np.ndarray:
    """The weighted mean of the channels' cosines (the first len(CHANNELS) weights)."""
    w = np.asarray(weights[: len(CHANNELS)], dtype=float)
    return np.tensordot(w, cosines, axes=1) / w.sum()


def _halves(similarity: np.ndarray) -> tuple[np.ndarray, float]:
    """The two groups at the top of an average-link tree (scipy) over 1 - similarity (condensed), as a mask
    that is True for the first article's group, and the average similarity between the two groups."""
    from scipy.cluster.hierarchy import fcluster, linkage  # as above: only when a story is checked

    tree = linkage(np.clip(1.0 - similarity, 0.0, None), method="average")  # float error can pass 1.0
    labels = fcluster(tree, 2, criterion="maxclust")
    return labels == labels[0], float(1.0 - tree[-1, 2])
