"""Sentences to claims aligned across articles: the same fact stated by different outlets, even in other words.

Every pair of a story's sentences gets the probability that the two state one fact, from a logistic model
fitted on real coverage (`align_model.json`, fitted by `bench/fit_align_model.py` on the ECB+ train topics, where
human coders marked which sentences of different articles report the same event; checked on the dev topics by
`bench/dossier.py`). Its features: content-word overlap (idf-weighted Jaccard and overlap coefficient over
lemmas and names), the names the two share (entity keys, so "Maduro" and "Nicolás Maduro" count as one), the
kinds of quantity and the values they state, the cosine of their sentence embeddings when an embedder is
given, and whether each is a headline. Claims are then formed by average-link clustering of the sentences at
the model's threshold: a sentence joins a claim only when it resembles its members on average, so a chain of
near-matches cannot glue a story into one claim.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Protocol, Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage

from newsweave.model import TITLE_PARAGRAPH, AnalyzedArticle, Sentence

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "DESIGNATOR"})
MODEL_PATH = Path(__file__).parent / "align_model.json"


class Embedder(Protocol):
    """Sentence embeddings: one L2-normalised row per text."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class AlignModel:
    """A fitted logistic model of "these two sentences state one fact", and the probability a claim's
    sentences need on average (the average-link cut)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float
    same_article: bool  # may a claim hold two sentences of one article (a headline and the lede restating it)?
    min_link: float = 0.0  # and each of its sentences must have one other this alike (its best match)

    @classmethod
    def from_record(cls, record: dict) -> AlignModel:
        return cls(tuple(record["features"]), tuple(float(w) for w in record["weights"]), float(record["intercept"]),
                   float(record["threshold"]), bool(record.get("same_article", False)), float(record.get("min_link", 0.0)))


@lru_cache(maxsize=1)
def _models() -> dict[str, AlignModel]:
    record = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return {name: AlignModel.from_record(r) for name, r in record["models"].items()}


def default_model(embedder: Embedder | None) -> AlignModel:
    """The model fitted with sentence embeddings when an embedder is given, else the one fitted without."""
    return _models()["embedding" if embedder is not None else "lexical"]


@dataclass(frozen=True, slots=True)
class Mention:
    """One sentence stating a claim: (article id, sentence index)."""

    article: str
    sentence: int


def _names(sentence: Sentence) -> set[str]:
    return {e.key for e in sentence.entities if e.label in NAME_LABELS}


def _units(sentence: Sentence) -> set[str]:
    return {q.unit for q in sentence.quantities if q.unit}


def _values(sentence: Sentence) -> set[str]:
    return {f"{q.low:g}:{q.unit}" for q in sentence.quantities if q.low == q.high}


def _idf(bags: Sequence[set[str]]) -> dict[str, float]:
    """Inverse document frequency over the story's sentences, smoothed so a story's main words still count."""
    n = len(bags)
    df: dict[str, int] = {}
    for bag in bags:
        for term in bag:
            df[term] = df.get(term, 0) + 1
    return {term: float(np.log((n + 1) / (d + 0.5))) for term, d in df.items()}


def _incidence(bags: Sequence[set[str]]) -> tuple[sparse.csr_matrix, dict[str, int]]:
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, bag in enumerate(bags):
        for term in bag:
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bags), max(len(vocabulary), 1)))
    return matrix, vocabulary


def _shared(bags: Sequence[set[str]]) -> np.ndarray:
    """How many members each pair of bags shares."""
    matrix, _ = _incidence(bags)
    return (matrix @ matrix.T).toarray()


def feature_matrices(sentences: Sequence[Sentence], embedder: Embedder | None = None) -> Iterator[tuple[str, np.ndarray]]:
    """The pairwise features of a story's sentences, one n x n matrix at a time (so memory holds two).

    The lexical features are idf-weighted Jaccard and overlap coefficients of the two sentences' content
    lemmas and names: Jaccard rewards saying the same, overlap a short sentence whose words all recur in a
    longer one. Computed as sparse products, so a story of a few thousand sentences costs milliseconds.
    """
    n = len(sentences)
    bags = [set(s.lemmas) | {f"#{k}" for k in _names(s)} for s in sentences]
    incidence, vocabulary = _incidence(bags)
    idf = _idf(bags)
    weights = np.zeros(incidence.shape[1])
    for term, column in vocabulary.items():
        weights[column] = idf[term]
    weighted = incidence @ sparse.diags(weights)
    shared = (weighted @ incidence.T).toarray()
    mass = np.asarray(weighted.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        yield "lexical_jaccard", np.nan_to_num(shared / (mass[:, None] + mass[None, :] - shared))
        yield "lexical_overlap", np.nan_to_num(shared / np.minimum(mass[:, None], mass[None, :]))
    del shared
    names = [_names(s) for s in sentences]
    common = _shared(names)
    count = np.array([len(x) for x in names], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        yield "names", np.nan_to_num(common / (count[:, None] + count[None, :] - common))
    yield "units", (_shared([_units(s) for s in sentences]) > 0).astype(float)
    yield "values", (_shared([_values(s) for s in sentences]) > 0).astype(float)
    title = np.array([s.paragraph == TITLE_PARAGRAPH for s in sentences], dtype=float)
    yield "titles", title[:, None] * title[None, :]
    yield "one_title", np.abs(title[:, None] - title[None, :])
    length = np.log1p(np.array([len(s.lemmas) for s in sentences], dtype=float))
    yield "length_gap", np.abs(length[:, None] - length[None, :])
    if embedder is not None and n:
        vectors = np.asarray(embedder.embed([s.claim_text for s in sentences]), dtype=float)
        yield "embedding", np.clip(vectors @ vectors.T, 0.0, 1.0)


def similarity_matrix(sentences: Sequence[Sentence], embedder: Embedder | None = None, model: AlignModel | None = None) -> np.ndarray:
    """Pairwise probability that two of a story's sentences state one fact, in [0, 1] (1 on the diagonal)."""
    model = model or default_model(embedder)
    n = len(sentences)
    if n == 0:
        return np.zeros((0, 0))
    weight = dict(zip(model.features, model.weights))
    logit = np.full((n, n), model.intercept)
    for name, matrix in feature_matrices(sentences, embedder):
        if name in weight:
            logit += weight[name] * matrix
    score = 1.0 / (1.0 + np.exp(-logit))
    np.fill_diagonal(score, 1.0)
    return score


def align(items: Sequence[AnalyzedArticle], embedder: Embedder | None = None, model: AlignModel | None = None) -> list[tuple[Mention, ...]]:
    """Group the sentences of a story's articles that state a fact (`Sentence.fact`) into claims; each ends in
    exactly one claim.

    Order: claims by their first mention (article order as given, then sentence order).
    """
    model = model or default_model(embedder)
    flat = [(item.article.id, s) for item in items for s in item.sentences if s.fact]
    scores = similarity_matrix([s for _, s in flat], embedder, model)
    groups = cluster_claims([a for a, _ in flat], scores, model)
    return [tuple(Mention(flat[k][0], flat[k][1].index) for k in group) for group in groups]


def cluster_claims(owners: Sequence[str], scores: np.ndarray, model: AlignModel) -> list[list[int]]:
    """Claims as lists of sentence positions (`owners[k]` is the article of sentence k), by average-link
    clustering of `scores` cut at the model's threshold; a sentence whose best match in its claim is below
    `min_link` leaves it (a claim of one fact, not of a theme); claims by their first sentence."""
    n = len(owners)
    if n < 2:
        return [[k] for k in range(n)]
    scores = scores.copy()
    if not model.same_article:
        owner = np.asarray(owners)
        scores[owner[:, None] == owner[None, :]] = 0.0
    distance = np.clip(1.0 - scores[np.triu_indices(n, k=1)], 0.0, 1.0)
    labels = fcluster(linkage(distance, method="average"), t=1.0 - model.threshold, criterion="distance")
    members: dict[int, list[int]] = {}
    for k, label in enumerate(labels):
        members.setdefault(int(label), []).append(k)
    groups = []
    for group in members.values():
        while len(group) > 1:
            block = scores[np.ix_(group, group)]
            np.fill_diagonal(block, -1.0)
            best = block.max(axis=1)
            if best.min() >= model.min_link:
                break
            weakest = int(np.argmin(best))
            groups.append([group[weakest]])
            group = group[:weakest] + group[weakest + 1:]
        groups.append(group)
    return sorted(groups, key=min)
