"""Inside one claim: do the outlets agree? Numbers by interval logic, designators and dates by value,
quotes by speaker. A difference that can be true on both sides (14 strikes, "more than a dozen") is no
conflict; a different quote from the same speaker saying the same is a wording variant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations
from typing import Sequence

from dateutil import parser as dateparser
from rapidfuzz.distance import Levenshtein

from newsweave.model import Quantity, Sentence
from newsweave.nlp import compatible, explain_conflict

DESIGNATOR_MAX_EDITS = 2  # Su-30MK2 vs Su-20MK2: one character; two different aircraft differ more


@dataclass(frozen=True, slots=True)
class Statement:
    """One article's sentence in a claim."""

    article: str
    sentence: Sentence
    published: date | None = None


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: str
    articles: tuple[str, ...]
    evidence: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # number | designator | date
    values: tuple[ConflictValue, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class Variant:
    """The same speaker quoted in different words: one quote, translated or trimmed differently."""

    speaker: str
    quotes: tuple[tuple[str, str], ...]  # (article id, quote text)


def compare(statements: Sequence[Statement]) -> tuple[tuple[Conflict, ...], tuple[Variant, ...]]:
    """The conflicts and wording variants among the statements of one claim."""
    if len(statements) < 2 or len({s.article for s in statements}) < 2:
        return (), ()
    conflicts = [c for c in (_numbers(statements), _designators(statements), _dates(statements)) if c]
    return tuple(c for group in conflicts for c in group), _variants(statements)


def _group(values: list[tuple[str, Statement]]) -> tuple[ConflictValue, ...]:
    grouped: dict[str, list[Statement]] = {}
    for value, statement in values:
        grouped.setdefault(value, []).append(statement)
    return tuple(
        ConflictValue(value, tuple(s.article for s in group), tuple(dict.fromkeys(s.sentence.text for s in group)))
        for value, group in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )


def _numbers(statements: Sequence[Statement]) -> list[Conflict]:
    by_unit: dict[str, list[tuple[Quantity, Statement]]] = {}
    for s in statements:
        units: dict[str, list[Quantity]] = {}
        for q in s.sentence.quantities:
            if q.unit:
                units.setdefault(q.unit, []).append(q)
        for unit, quantities in units.items():
            if len(quantities) == 1:  # two counts of one kind in a sentence: which pairs with which is unclear
                by_unit.setdefault(unit, []).append((quantities[0], s))
    conflicts = []
    for unit, stated in sorted(by_unit.items()):
        if len({s.article for _, s in stated}) < 2:
            continue
        clashes = [(a, b) for a, b in combinations(stated, 2) if a[1].article != b[1].article and not compatible(a[0], b[0])]
        if not clashes:
            continue
        groups: list[list[tuple[Quantity, Statement]]] = []
        for q, s in stated:
            home = next((g for g in groups if all(compatible(q, other) for other, _ in g)), None)
            if home is None:
                groups.append([(q, s)])
            else:
                home.append((q, s))
        if len(groups) < 2:
            continue
        values = tuple(
            ConflictValue(g[0][0].text, tuple(dict.fromkeys(s.article for _, s in g)), tuple(dict.fromkeys(s.sentence.text for _, s in g)))
            for g in sorted(groups, key=lambda g: -len(g))
        )
        a, b = clashes[0]
        conflicts.append(Conflict("number", values, f"The outlets give incompatible numbers of {unit}: {explain_conflict(a[0], b[0])}."))
    return conflicts


def _designators(statements: Sequence[Statement]) -> list[Conflict]:
    stated = [(e.key, e.text, s) for s in statements for e in s.sentence.entities if e.label == "DESIGNATOR"]
    keys = {k for k, _, _ in stated}
    conflicts = []
    done: set[frozenset[str]] = set()
    for a, b in combinations(sorted(keys), 2):
        if Levenshtein.distance(a, b) > DESIGNATOR_MAX_EDITS or _family(a) != _family(b):
            continue
        arts_a = {s.article for k, _, s in stated if k == a}
        arts_b = {s.article for k, _, s in stated if k == b}
        if arts_a <= arts_b or arts_b <= arts_a or frozenset((a, b)) in done:
            continue  # an article naming both is listing two models, not disagreeing
        done.add(frozenset((a, b)))
        values = _group([(text, s) for k, text, s in stated if k in (a, b)])
        values = _merge_spellings(values, {a, b})
        conflicts.append(Conflict("designator", values, f"The outlets name different models in the same claim: {' vs '.join(v.value for v in values)}."))
    return conflicts


def _family(key: str) -> str:
    """The letters of a designator: Su-30MK2 and Su-20MK2 are one family, F-16 and Su-30 are not."""
    return "".join(c for c in key if c.isalpha())


def _merge_spellings(values: tuple[ConflictValue, ...], keys: set[str]) -> tuple[ConflictValue, ...]:
    merged: dict[str, ConflictValue] = {}
    for v in values:
        key = next((k for k in keys if k == v.value.upper().rstrip("S") or k == v.value.upper()), v.value)
        if key in merged:
            m = merged[key]
            merged[key] = ConflictValue(m.value, tuple(dict.fromkeys(m.articles + v.articles)), tuple(dict.fromkeys(m.evidence + v.evidence)))
        else:
            merged[key] = v
    return tuple(sorted(merged.values(), key=lambda v: (-len(v.articles), v.value)))


def _dates(statements: Sequence[Statement]) -> list[Conflict]:
    stated: list[tuple[date, str, Statement]] = []
    for s in statements:
        days = {d: text for d, text in (_day(e.text, s.published) for e in s.sentence.entities if e.label == "DATE") if d}
        if len(days) == 1:
            day, text = next(iter(days.items()))
            stated.append((day, text, s))
    if len({d for d, _, _ in stated}) < 2 or len({s.article for _, _, s in stated}) < 2:
        return []
    values = _group([(d.isoformat(), s) for d, _, s in stated])
    if max(abs((date.fromisoformat(a.value) - date.fromisoformat(b.value)).days) for a, b in combinations(values, 2)) > 31:
        return []  # months apart: two different events in one sentence shape, not a disagreement
    return [Conflict("date", values, f"The outlets date this differently: {' vs '.join(v.value for v in values)}.")]


def _day(text: str, published: date | None) -> tuple[date | None, str]:
    """A day-precise date ("Oct 29", "October 29, 2025"); None for "Tuesday", "last week", "2025"."""
    if not any(ch.isdigit() for ch in text) or not any(ch.isalpha() for ch in text):
        return None, text
    default = datetime(published.year if published else 2000, 1, 1)
    try:
        parsed = dateparser.parse(text, default=default, fuzzy=True)
        sentinel = dateparser.parse(text, default=datetime(1999, 2, 2), fuzzy=True)
    except (ValueError, OverflowError):
        return None, text
    if parsed.day != sentinel.day or parsed.month != sentinel.month:
        return None, text  # the day or month was filled in from the default: not day-precise
    return parsed.date(), text


def _variants(statements: Sequence[Statement]) -> tuple[Variant, ...]:
    by_speaker: dict[str, list[tuple[str, str]]] = {}
    for s in statements:
        for quote in s.sentence.quotes:
            speaker = _speaker_key(quote.speaker, s.sentence)
            if speaker:
                by_speaker.setdefault(speaker, []).append((s.article, quote.text))
    variants = []
    for speaker, quotes in by_speaker.items():
        if len({a for a, _ in quotes}) > 1 and len({q for _, q in quotes}) > 1:
            variants.append(Variant(speaker, tuple(quotes)))
    return tuple(variants)


def _speaker_key(speaker: str | None, sentence: Sentence) -> str | None:
    if not speaker:
        return None
    for e in sentence.entities:
        if e.label == "PERSON" and (e.text in speaker or speaker in e.text):
            return e.key
    return " ".join(speaker.lower().split())
