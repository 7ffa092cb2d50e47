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

MODEL_PATH = Path(__file__).parent / "values_model.json"
FEATURES = ("alike", "same_verb", "incident", "context", "lead", "many", "alike_same_verb", "alike_context", "phrase", "names",
            "crowded", "story_many")
LEAD = 2  # an article's sentences 0-2 are its lead
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
    """The pairs (i, j) of mentions that could be one thing's values: one key, different articles, roles that fit."""
    return [(i, j) for i in range(len(mentions)) for j in range(i + 1, len(mentions))
            if mentions[i].key == mentions[j].key and articles[mentions[i].statement] != articles[mentions[j].statement]
            and fits(mentions[i].role, mentions[j].role)]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def pair_features(mentions: Sequence[ValueMention], articles: Sequence[str], scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The `candidate_pairs` (i, j), and their features (`FEATURES`) as rows."""
    per_article: dict[tuple[str, str], set] = {}  # the distinct values of a key an article states
    per_story: dict[str, set] = {}  # and the whole story
    for m in mentions:
        per_article.setdefault((m.key, articles[m.statement]), set()).add(_value_key(m.value))
        per_story.setdefault(m.key, set()).add(_value_key(m.value))
    pairs = candidate_pairs(mentions, articles)
    rows = []
    for i, j in pairs:
        a, b = mentions[i], mentions[j]
        alike = float(scores[a.statement, b.statement])
        same_verb = float(a.verb is not None and a.verb == b.verb)
        context = _jaccard(a.context, b.context)
        many = math.log(max(len(per_article[(a.key, articles[a.statement])]), len(per_article[(b.key, articles[b.statement])])))
        rows.append((alike, same_verb, float(a.incident and b.incident), context,
                     float(max(a.sentence_index, b.sentence_index) <= LEAD), many, alike * same_verb, alike * context,
                     _jaccard(a.phrase, b.phrase), _jaccard(a.names, b.names), math.log(max(a.crowd, b.crowd)),
                     math.log(len(per_story[a.key]))))
    return np.asarray(pairs, dtype=int).reshape(-1, 2), np.asarray(rows, dtype=float).reshape(-1, len(FEATURES))


def linked_pairs(mentions: Sequence[ValueMention], articles: Sequence[str], scores: np.ndarray, model: ValueModel,
                 threshold: float | None = None) -> list[tuple[int, int]]:
    """The pairs (i, j) of mentions at least `threshold` (default: the model's) likely to be one thing's values."""
    pairs, x = pair_features(mentions, articles, scores)
    if not len(pairs):
        return []
    keep = model.probability(x) >= (model.threshold if threshold is None else threshold)
    return [(int(i), int(j)) for i, j in pairs[keep]]
