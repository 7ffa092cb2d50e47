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
from typing import Iterable, Iterator, Protocol, Sequence

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsweave.model import TITLE_PARAGRAPH, AnalyzedArticle, Sentence

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "DESIGNATOR"})
MODEL_PATH = Path(__file__).parent / "align_model.json"
FLOAT = np.float32  # the n x n matrices' type: a 4,000-sentence story's are 64 MB each, and twice as fast to fill as float64


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


def incidence(bags: Sequence[Iterable[str]], dtype: type = FLOAT) -> tuple[sparse.csr_matrix, dict[str, int]]:
    """Which bag holds which member, as a sparse 0/1 matrix (a row per bag, a column per member), and the
    members' columns: its product with its transpose counts what each pair of bags shares."""
    vocabulary: dict[str, int] = {}
    rows, cols = [], []
    for row, bag in enumerate(bags):
        for term in bag:
            rows.append(row)
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=dtype), (rows, cols)), shape=(len(bags), max(len(vocabulary), 1)))
    return matrix, vocabulary


def _shared_into(bags: Sequence[set[str]], out: np.ndarray) -> np.ndarray:
    """How many members each pair of bags shares, written into `out`."""
    matrix, _ = incidence(bags)
    return (matrix @ matrix.T).toarray(out=out)


def _ratio(shared: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """shared / denominator, element by element into `denominator`'s memory, 0 where the denominator is 0 (two
    sentences without content words)."""
    np.divide(shared, denominator, out=denominator, where=denominator > 0)
    denominator[denominator <= 0] = 0.0  # nothing shared of nothing; `where` left these unwritten
    return denominator


class _Matrices:
    """The n x n matrices the features are written into: new ones for a caller who keeps them all, else the same
    two again and again (a 4,600-sentence story's are 86 MB each, and fresh memory costs as much to touch as the
    arithmetic: `similarity_matrix` uses each feature before it asks for the next)."""

    def __init__(self, n: int, reuse: bool) -> None:
        self.n, self.reuse, self.pool = n, reuse, [np.empty((n, n), dtype=FLOAT) for _ in range(2 if reuse else 0)]

    def __getitem__(self, k: int) -> np.ndarray:
        return self.pool[k] if self.reuse else np.empty((self.n, self.n), dtype=FLOAT)


def feature_matrices(sentences: Sequence[Sentence], embedder: Embedder | None = None,
                     reuse: bool = False) -> Iterator[tuple[str, np.ndarray]]:
    """The pairwise features of a story's sentences, one n x n matrix at a time. `reuse`: each matrix is
    written over by the next (take what you need from it first), so memory holds two.

    The lexical features are idf-weighted Jaccard and overlap coefficients of the two sentences' content
    lemmas and names: Jaccard rewards saying the same, overlap a short sentence whose words all recur in a
    longer one. Computed as sparse products, so a story of a few thousand sentences costs milliseconds.
    """
    n = len(sentences)
    matrices = _Matrices(n, reuse)
    bags = [set(s.lemmas) | {f"#{k}" for k in _names(s)} for s in sentences]
    held, vocabulary = incidence(bags)
    idf = _idf(bags)
    weights = np.zeros(held.shape[1], dtype=FLOAT)
    for term, column in vocabulary.items():
        weights[column] = idf[term]
    weighted = held @ sparse.diags(weights)
    shared = (weighted @ held.T).toarray(out=matrices[0])
    mass = np.asarray(weighted.sum(axis=1), dtype=FLOAT).ravel()
    union = np.add.outer(mass, mass, out=matrices[1])
    union -= shared
    yield "lexical_jaccard", _ratio(shared, union)
    yield "lexical_overlap", _ratio(shared, np.minimum.outer(mass, mass, out=matrices[1]))
    names = [_names(s) for s in sentences]
    common = _shared_into(names, matrices[0])
    count = np.array([len(x) for x in names], dtype=FLOAT)
    union = np.add.outer(count, count, out=matrices[1])
    union -= common
    yield "names", _ratio(common, union)
    for name, bag in (("units", _units), ("values", _values)):  # shares one or more: counts are whole, so at most 1 is > 0
        yield name, np.minimum(_shared_into([bag(s) for s in sentences], matrices[0]), 1.0, out=matrices[0])
    title = np.array([s.paragraph == TITLE_PARAGRAPH for s in sentences], dtype=FLOAT)
    yield "titles", np.multiply.outer(title, title, out=matrices[0])
    one = np.subtract.outer(title, title, out=matrices[0])
    yield "one_title", np.abs(one, out=one)
    length = np.log1p(np.array([len(s.lemmas) for s in sentences], dtype=FLOAT))
    gap = np.subtract.outer(length, length, out=matrices[0])
    yield "length_gap", np.abs(gap, out=gap)
    if embedder is not None and n:
        vectors = np.asarray(embedder.embed([s.claim_text for s in sentences]), dtype=FLOAT)
        cosine = np.matmul(vectors, vectors.T, out=matrices[0])
        yield "embedding", np.clip(cosine, 0.0, 1.0, out=cosine)


def similarity_matrix(sentences: Sequence[Sentence], embedder: Embedder | None = None, model: AlignModel | None = None) -> np.ndarray:
    """Pairwise probability that two of a story's sentences state one fact, in [0, 1] (1 on the diagonal)."""
    model = model or default_model(embedder)
    n = len(sentences)
    if n == 0:
        return np.zeros((0, 0))
    weight = dict(zip(model.features, model.weights))
    logit = np.full((n, n), model.intercept, dtype=FLOAT)
    for name, matrix in feature_matrices(sentences, embedder, reuse=True):
        if name in weight:
            matrix *= FLOAT(weight[name])  # in place: the next feature is written over it anyway
            logit += matrix
    score = np.negative(logit, out=logit)  # the logistic function, in place: 1 / (1 + exp(-logit))
    np.exp(score, out=score)
    score += 1.0
    np.reciprocal(score, out=score)
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
    distance = np.subtract(1.0, scores, dtype=scores.dtype)  # a copy the caller's scores are safe from
    if not model.same_article:
        for rows in _positions(owners).values():  # two sentences of one article are never one claim
            distance[np.ix_(rows, rows)] = 1.0
    np.clip(distance, 0.0, 1.0, out=distance)
    labels = fcluster(linkage(squareform(distance, checks=False), method="average"), t=1.0 - model.threshold, criterion="distance")
    members: dict[int, list[int]] = {}
    for k, label in enumerate(labels):
        members.setdefault(int(label), []).append(k)
    groups = []
    for group in members.values():
        while len(group) > 1:
            block = 1.0 - distance[np.ix_(group, group)]  # the scores as clustered
            np.fill_diagonal(block, -1.0)
            best = block.max(axis=1)
            if best.min() >= model.min_link:
                break
            weakest = int(np.argmin(best))
            groups.append([group[weakest]])
            group = group[:weakest] + group[weakest + 1:]
        groups.append(group)
    return sorted(groups, key=min)


def _positions(owners: Sequence[str]) -> dict[str, list[int]]:
    """The positions of each owner's sentences."""
    out: dict[str, list[int]] = {}
    for k, owner in enumerate(owners):
        out.setdefault(owner, []).append(k)
    return out
