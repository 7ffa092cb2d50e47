"""An article's unit tf-idf vectors, one per channel (words, names, numbers, title and lede), and sparse arithmetic
on them.

Document frequencies are counted as the stream goes: `unit_weights` counts an article into them as it weighs
it, unless `StoryClusterer.prime` counted it already. A reference corpus is counted in as well, worth
`REFERENCE_ARTICLES` articles (`reference_df.json`, by `bench/fit_reference_df.py` from the benchmarks' fit parts):
without it, a batch of a few articles of one event weighs every word they share at nil, and one event's coverage
analysed alone falls apart (each gold story of 2+ articles clustered alone, one story: ECB+ dev events 0.312 ->
0.875, gun-violence held-out half 0.718 -> 0.797, fit parts 0.400 -> 0.960 and 0.692 -> 0.759; worth 100 to 400
articles gives the same, whole-corpus B-cubed F1 unchanged). The vectors are plain dicts of term -> weight, so they
pickle, go to records as they are, and a dot product is a set intersection in C.
"""

from __future__ import annotations

import json
import math
import operator
from functools import cache
from importlib import resources
from typing import Sequence

from newsweave.model import ArticleFeatures

REFERENCE_FILE = "reference_df.json"
REFERENCE_ARTICLES = 200  # what the reference corpus counts as: its frequencies scaled to this many articles

Vector = dict[str, float]
Vectors = dict[str, Vector]  # channel ("w", "n", "u", "l") -> unit vector
Terms = tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...], tuple[tuple[str, int], ...], tuple[str, ...]]

__all__ = ["Terms", "Vector", "Vectors", "by_weight", "dot", "keys_of", "terms_of", "top", "unit", "unit_weights",
           "vectorise", "vectors_of"]


def dot(a: Vector, b: Vector) -> float:
    """Sparse dot product: the shared terms are found by a set intersection in C, then only they are summed."""
    if len(a) > len(b):
        a, b = b, a
    return sum([a[t] * b[t] for t in a.keys() & b.keys()])


by_weight = operator.itemgetter(1)  # the sort key of (term, weight) pairs


def top(vector: Vector, n: int) -> tuple[str, ...]:
    """The n heaviest terms, heaviest first (ties: by term)."""
    return tuple(t for t, _ in sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def unit(vector: Vector) -> Vector:
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {t: w / norm for t, w in vector.items()} if norm else {}


def terms_of(f: ArticleFeatures) -> Terms:
    """What an article's vectors are made of: its words, names and numbers with their counts, its title-and-lede words."""
    return f.words, f.names, f.numbers, f.lede_words


def keys_of(f: ArticleFeatures) -> dict[str, None]:
    """The channel-prefixed terms an article counts once each in the document frequencies, in order."""
    return dict.fromkeys([*("w" + t for t, _ in f.words), *("n" + t for t, _ in f.names), *("u" + t for t, _ in f.numbers),
                          *("l" + t for t in f.lede_words)])


def vectorise(terms: Terms, df: dict[str, int], n_docs: int, counted: bool) -> Vectors:
    """Unit tf-idf vectors per channel, the document frequencies `df` of `n_docs` articles counting this one:
    `counted`, it is counted already (`prime`); otherwise its terms are counted into `df` first."""
    return vectors_of(terms, unit_weights(terms, df, n_docs, counted))


def unit_weights(terms: Terms, df: dict[str, int], n_docs: int, counted: bool) -> tuple[list[float], ...]:
    """The weights of `vectorise`'s unit vectors, per channel in the terms' order (empty: a channel of no weight)."""
    get = df.get
    prior = reference_frequencies()
    known = prior.get
    log_n1 = math.log(n_docs + REFERENCE_ARTICLES + 1) + 1.0
    log = math.log
    out = []
    words, names, numbers, lede = terms
    for channel, pairs in (("w", words), ("n", names), ("u", numbers), ("l", [(t, 1) for t in lede])):
        keys = [channel + t for t, _ in pairs]
        if counted:
            ns = [get(k, 0) for k in keys]
        else:
            ns = [get(k, 0) + 1 for k in keys]
            dict.update(df, zip(keys, ns))  # set, not add (Counter.update adds)
        weights = [(1.0 + log(count)) * (log_n1 - log(n + known(k, 0.0) + 1)) for (_, count), n, k in zip(pairs, ns, keys)]
        norm = math.sqrt(sum([w * w for w in weights]))
        out.append([w / norm for w in weights] if norm else [])
    return tuple(out)


def vectors_of(terms: Terms, weights: Sequence[Sequence[float]]) -> Vectors:
    """Unit vectors from an article's terms and their unit weights (`unit_weights`): the term strings are the
    article's own, so weights made in another process come back as a list of floats each."""
    words, names, numbers, lede = terms
    return {"w": {t: w for (t, _), w in zip(words, weights[0])}, "n": {t: w for (t, _), w in zip(names, weights[1])},
            "u": {t: w for (t, _), w in zip(numbers, weights[2])}, "l": dict(zip(lede, weights[3]))}


@cache
def reference_frequencies() -> dict[str, float]:
    """The reference corpus's document frequencies (channel-prefixed terms, as `keys_of` gives them), scaled to
    `REFERENCE_ARTICLES` articles: counted in with every batch's own (`unit_weights`)."""
    record = json.loads(resources.files(__package__).joinpath(REFERENCE_FILE).read_text(encoding="utf-8"))
    scale = REFERENCE_ARTICLES / record["articles"]
    return {term: count * scale for term, count in record["df"].items()}
