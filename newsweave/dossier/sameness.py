"""Which values that a story's articles state are values of one thing: the model that decides what is compared.

Two articles of one story may each state a number of candidates, or the day of a fire. Whether the two are
the same thing (so a different value is a conflict) is not a matter of one predicate: "288 candidates run for
125 seats" and "voters picking between 288 candidates" count the same candidates with two verbs, and "the fire
devastated the church Friday night" and "the church was damaged by fire Friday night" date one fire. Each pair
of mentions of one kind of value in different articles (a count's unit, a person's age, a weekday, the surname
of a first name) gets the probability that they are values of one thing, from a logistic model fitted on real
coverage (`values_model.json`, by `bench/fit_value_model.py`): fitted to tell pairs stating the same value from pairs
stating different ones, since most values of one thing agree and most values that differ are of different
things. Its features: how alike the two sentences are (the claim alignment's probability), whether the values
hang on one verb, whether both date the incident itself, the words around the two values, whether both are in
an article's lead, how many different values of the kind each of the two articles states (an article giving
ten numbers of yards counts many things in yards), the words of the two values' own phrases ("rushing yards"), the
names their sentences share, and how many values of the kind each sentence gives.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from newsweave.dossier.claims import incidence

MODEL_PATH = Path(__file__).parent / "values_model.json"
FEATURES = ("alike", "same_verb", "incident", "context", "lead", "many", "alike_same_verb", "alike_context", "phrase", "names",
            "crowded", "story_many")
LEAD = 2  # an article's sentences 0-2 are its lead
SPARSE_FROM = 500  # pairs of one key from which their word overlaps are computed as a sparse product
_WORD = re.compile(r"[a-z]+")
_STOP = frozenset("the a an of in on at to and or for by with from that this was were is are be been has have had said says its his "
                  "her their it as after before into about than more least".split())


@dataclass(frozen=True, slots=True)
class ValueMention:
    """One value a statement states, as the model sees it: which statement, what kind of value (`key`: a count's
    unit, "age", "weekday"), the verb it hangs on, whether it dates the incident, and the words around it."""

    statement: int
    key: str
    verb: str | None
    incident: bool
    context: frozenset[str]
    sentence_index: int
    value: object = None  # what it states (a Quantity, a date, a weekday's name): never a feature
    phrase: frozenset[str] = frozenset()  # the words of the value's own phrase but its number ("rushing yards", "touchdown pass")
    names: frozenset[str] = frozenset()  # the names (entity keys) its sentence gives
    crowd: int = 1  # how many values of its kind its sentence gives (a line of statistics gives many)
    role: str | None = None  # what else says who or what it is, as comma-separated parts: a toll's kind ("kill"), an unnamed
    # person's sex and age group ("m,minor", ",minor"); two mentions whose parts differ where both say are never one thing


@dataclass(frozen=True, slots=True)
class ValueModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def from_record(cls, record: dict) -> ValueModel:
        return cls(tuple(record["features"]), tuple(float(w) for w in record["weights"]), float(record["intercept"]),
                   float(record["threshold"]))

    def probability(self, x: np.ndarray) -> np.ndarray:
        z = x @ np.asarray(self.weights) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


@lru_cache(maxsize=1)
def models() -> dict[str, ValueModel]:
    """The fitted models by kind of value ("count", "age", "weekday", "name")."""
    record = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return {kind: ValueModel.from_record(r) for kind, r in record["models"].items()}


def context_words(text: str, start: int, end: int, width: int = 6) -> frozenset[str]:
    """The content words within `width` words either side of a value at text[start:end]."""
    left = _WORD.findall(text[:start].lower())[-width:]
    right = _WORD.findall(text[end:].lower())[:width]
    return frozenset(w for w in left + right if w not in _STOP and len(w) > 2)


def words(text: str) -> frozenset[str]:
    """The content words of a value's phrase, its number and qualifiers left out: "more than 50 firefighters" -> firefighters."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP and w not in _QUALIFIERS and len(w) > 2)


_QUALIFIERS = frozenset("least most nearly almost roughly approximately around over under than some just dozen dozens hundred hundreds "
                        "thousand thousands million millions billion one two three four five six seven eight nine ten eleven twelve "
                        "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty".split())


def _value_key(value: object) -> object:
    """A value as a set member: a quantity by its bounds."""
    return (value.low, value.high) if hasattr(value, "low") else value  # type: ignore[attr-defined]


def fits(a: str | None, b: str | None) -> bool:
    """Whether two roles could be one: every part the same where both say ("m,minor" fits ",minor", not "f,")."""
    if not a or not b:
        return True
    return all(x == y or not x or not y for x, y in zip(a.split(","), b.split(",")))


def candidate_pairs(mentions: Sequence[ValueMention], articles: Sequence[str]) -> list[tuple[int, int]]:
    """The pairs (i, j) of mentions that could be one thing's values: one key, different articles, roles that fit;
    in order of i, then j."""
    pairs = _candidates(mentions, articles)[0]
    return [(int(i), int(j)) for i, j in pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]]


def _candidates(mentions: Sequence[ValueMention], articles: Sequence[str]) -> tuple[np.ndarray, list[tuple[np.ndarray, np.ndarray]]]:
    """`candidate_pairs` as a (pairs, 2) array, and per key the positions of its mentions and the pairs' rows
    within them (so features are computed a key at a time, as arrays: a 200-article story has 200,000 pairs)."""
    by_key: dict[str, list[int]] = {}
    for k, m in enumerate(mentions):
        by_key.setdefault(m.key, []).append(k)
    parts, groups = [], []
    for members in by_key.values():
        idx = np.asarray(members)
        left, right = np.triu_indices(len(idx), k=1)
        article = np.array([articles[mentions[k].statement] for k in members], dtype=object)
        keep = article[left] != article[right]
        roles = [mentions[k].role for k in members]
        if any(roles):
            kinds = sorted(set(roles), key=str)
            code = np.array([kinds.index(r) for r in roles])
            fit = np.array([[fits(a, b) for b in kinds] for a in kinds], dtype=bool)
            keep &= fit[code[left], code[right]]
        left, right = left[keep], right[keep]
        parts.append(np.stack([idx[left], idx[right]], axis=1))
        groups.append((idx, np.stack([left, right], axis=1)))
    pairs = np.concatenate(parts) if parts else np.zeros((0, 2), dtype=int)
    return pairs, groups


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _jaccards(bags: Sequence[frozenset[str]], left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """`_jaccard` of bags[left[r]] and bags[right[r]] for every r, by a sparse product."""
    if len(left) < SPARSE_FROM:  # a few pairs: set by set is quicker than building the matrices
        return np.array([_jaccard(bags[i], bags[j]) for i, j in zip(left.tolist(), right.tolist())], dtype=float)
    matrix, _ = incidence(bags, float)
    shared = np.asarray((matrix @ matrix.T)[left, right]).ravel()
    size = np.array([len(bag) for bag in bags], dtype=float)
    union = size[left] + size[right] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def pair_features(mentions: Sequence[ValueMention], articles: Sequence[str], scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The `candidate_pairs` (i, j), and their features (`FEATURES`) as rows."""
    per_article: dict[tuple[str, str], set] = {}  # the distinct values of a key an article states
    per_story: dict[str, set] = {}  # and the whole story
    for m in mentions:
        per_article.setdefault((m.key, articles[m.statement]), set()).add(_value_key(m.value))
        per_story.setdefault(m.key, set()).add(_value_key(m.value))
    pairs, groups = _candidates(mentions, articles)
    blocks = []
    for idx, (left, right) in ((idx, rows.T) for idx, rows in groups if len(rows)):
        group = [mentions[k] for k in idx]
        statement = np.array([m.statement for m in group])
        verbs = {v: n for n, v in enumerate(dict.fromkeys(m.verb for m in group if m.verb is not None))}
        verb = np.array([verbs.get(m.verb, -1) for m in group])
        incident = np.array([m.incident for m in group], dtype=bool)
        index = np.array([m.sentence_index for m in group])
        many = np.array([len(per_article[(m.key, articles[m.statement])]) for m in group], dtype=float)
        crowd = np.array([m.crowd for m in group], dtype=float)
        alike = np.asarray(scores[statement[left], statement[right]], dtype=float)
        same_verb = ((verb[left] == verb[right]) & (verb[left] >= 0)).astype(float)
        context = _jaccards([m.context for m in group], left, right)
        story_many = np.full(len(left), math.log(len(per_story[group[0].key])) if group else 0.0)
        blocks.append(np.stack([
            alike, same_verb, (incident[left] & incident[right]).astype(float), context,
            (np.maximum(index[left], index[right]) <= LEAD).astype(float), np.log(np.maximum(many[left], many[right])),
            alike * same_verb, alike * context, _jaccards([m.phrase for m in group], left, right),
            _jaccards([m.names for m in group], left, right), np.log(np.maximum(crowd[left], crowd[right])), story_many,
        ], axis=1))
    x = np.concatenate(blocks) if blocks else np.zeros((0, len(FEATURES)))
    order = np.lexsort((pairs[:, 1], pairs[:, 0]))  # in order of i, then j, as every pair is visited
    return pairs[order].reshape(-1, 2), x[order].reshape(-1, len(FEATURES))


def linked_pairs(mentions: Sequence[ValueMention], articles: Sequence[str], scores: np.ndarray, model: ValueModel,
                 threshold: float | None = None) -> list[tuple[int, int]]:
    """The pairs (i, j) of mentions at least `threshold` (default: the model's) likely to be one thing's values."""
    pairs, x = pair_features(mentions, articles, scores)
    if not len(pairs):
        return []
    keep = model.probability(x) >= (model.threshold if threshold is None else threshold)
    return [(int(i), int(j)) for i, j in pairs[keep]]
