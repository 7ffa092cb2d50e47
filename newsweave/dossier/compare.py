"""Do the outlets agree? Numbers by interval logic, designators, dates and weekdays by value, people by name,
quotes by speaker. A difference that can be true on both sides (14 strikes, "more than a dozen") is no conflict;
a different quote from the same speaker saying the same is a wording variant.

`compare` looks inside one claim. `story_conflicts` looks across a whole story, so a retelling that adds a clause
or joins two sentences, and so lands in another claim, cannot hide a changed fact. Counts, ages, weekdays and
another surname of a first name are compared where `sameness`'s fitted model says two articles' values are one
thing's (the same candidates, the same victim's age, the day of the same fire, the same spokeswoman), whatever
verb or sentence carries them, and two values conflict only where each has an article that states nothing
compatible with the other (an article giving both counts two things). Tolls (killed, injured, shot),
designators, misspelt names and day-precise dates are also compared between sentences alike enough (their
alignment probability at least `PAIR_THRESHOLD`, far below a claim's; `STRICT_THRESHOLD` for a misspelt surname
and for dates of any happening)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from typing import Callable, Sequence

import numpy as np
from rapidfuzz.distance import Levenshtein
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from newsweave.dossier import sameness
from newsweave.dossier.sameness import ValueMention, context_words, words
from newsweave.dossier.people import (PERSON_WORDS, SURNAME_SIMILARITY, TITLES, WORD_BEFORE, PersonName, person_words,
                                      same_name, spelled)
from newsweave.dossier.when import INCIDENT, WEEKDAY, WHEN, happening_of, precise_day, with_year
from newsweave.model import UNNAMED, Quantity, Sentence
from newsweave.nlp import compatible, explain_conflict
from newsweave.nlp.intervals import AGE_UNIT

DESIGNATOR_MAX_EDITS = 2  # Su-30MK2 vs Su-20MK2: one character; two different aircraft differ more
PAIR_THRESHOLD = 0.25  # alignment probability two sentences of different articles in different claims need to be compared (dev-tuned)
STRICT_THRESHOLD = 0.5  # the same for a rule marked strict
PEOPLE = "people"
CASUALTY_PREDICATES = frozenset({"kill", "injure", "shoot"})  # `nlp.parse.predicate`'s classes for casualty words


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
    kind: str  # number | designator | date (a day or a weekday) | name
    values: tuple[ConflictValue, ...]
    explanation: str
    about: str | None = None  # what a number counts, as its predicate: "kill", "injure", "shoot" for the toll
    verdict: str = "disputed"  # or "updated": the later reports changed the number (`build.updated`)


@dataclass(frozen=True, slots=True)
class Variant:
    """The same speaker quoted in different words: one quote, translated or trimmed differently."""

    speaker: str
    quotes: tuple[tuple[str, str], ...]  # (article id, quote text)


def compare(statements: Sequence[Statement]) -> tuple[tuple[Conflict, ...], tuple[Variant, ...]]:
    """The conflicts and wording variants among the statements of one claim."""
    if len(statements) < 2 or len({s.article for s in statements}) < 2:
        return (), ()
    found: dict[tuple, Conflict] = {}
    articles = [s.article for s in statements]

    def conflicts(rule: Rule) -> list[Conflict]:
        if not rule.model:
            return rule.check(statements)
        mentions = rule.mentions(statements)  # one claim's values of one kind are one thing's: every pair compared
        return [c for c, _ in rule.check(statements, mentions, sameness.candidate_pairs(mentions, articles))]
    for conflict in (c for rule in RULES for c in conflicts(rule)):
        key = _same_values(conflict)
        if key not in found or _reach(conflict) > _reach(found[key]):
            found[key] = conflict
    return tuple(found.values()), wording_variants(statements)


def story_conflicts(statements: Sequence[Statement], scores: np.ndarray, claim_of: Sequence[int],
                    threshold: float | None = None, strict: float | None = None) -> list[tuple[Conflict, tuple[int, ...]]]:
    """The conflicts of a whole story, each with the indices of the statements it stands on.

    A rule with a `model` (counts, ages, weekdays, names) compares the pairs of values its model calls one thing's (from
    `scores`, the alignment probabilities, and the words around the values: `sameness`). For the other rules, two
    statements of different articles are compared when they are in one claim or alike (`scores` at least
    `threshold`); the statements linked by such pairs that state a value of the same thing (the rule's keys: a
    toll's unit and kind, designator family, dated happening, first name) form groups, and each group's values are
    compared as one claim's. A rule marked strict links only statements alike enough to be one claim (`strict`).
    """
    threshold = PAIR_THRESHOLD if threshold is None else threshold
    strict = STRICT_THRESHOLD if strict is None else strict
    n = len(statements)
    article = np.unique([s.article for s in statements], return_inverse=True)[1]
    claim = np.asarray(claim_of)

    def linked(at: float, idx: np.ndarray) -> np.ndarray:
        """Which pairs of the statements `idx` are of different articles and in one claim or at least `at` alike
        (only the statements that state a value of a rule: never the square of the whole story)."""
        return ((scores[np.ix_(idx, idx)] >= at) | (claim[idx][:, None] == claim[idx][None, :])) \
            & (article[idx][:, None] != article[idx][None, :])
    found = []
    for rule in RULES:
        if rule.model:
            mentions = rule.mentions(statements)
            pairs = sameness.linked_pairs(mentions, [s.article for s in statements], scores, sameness.models()[rule.model])
            found.extend(rule.check(statements, mentions, pairs))
            continue
        at = rule.strict if isinstance(rule.strict, float) else strict if rule.strict else threshold
        stating: dict[object, list[int]] = {}  # the statements stating a value of each key
        for k, st in enumerate(statements):
            for key in rule.keys(st):
                stating.setdefault(key, []).append(k)
        rows, cols = [], []
        for members in stating.values():  # two linked statements stating a value of one key are compared
            if len(members) > 1:
                idx = np.asarray(members)
                r, c = np.nonzero(np.triu(linked(at, idx), k=1))
                rows.append(idx[r])
                cols.append(idx[c])
        if not rows:
            continue
        r, c = np.concatenate(rows), np.concatenate(cols)
        _, label = connected_components(sparse.coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n)), directed=False)
        groups: dict[int, list[int]] = {}  # the statements so linked, groups in order of their first statement
        for k, g in enumerate(label.tolist()):
            groups.setdefault(g, []).append(k)
        for members in groups.values():
            if len(members) > 1:
                found.extend((c, tuple(members)) for c in rule.check([statements[k] for k in members]))
    unique: dict[tuple, tuple[Conflict, tuple[int, ...]]] = {}
    for conflict, members in found:  # a conflict two rules both find is reported once, with the most articles
        key = _same_values(conflict)
        if key not in unique or _reach(conflict) > _reach(unique[key][0]):
            unique[key] = (conflict, members)
    return list(unique.values())


def _same_values(conflict: Conflict) -> tuple:
    return conflict.kind, frozenset(v.value for v in conflict.values)


def _reach(conflict: Conflict) -> int:
    return sum(len(v.articles) for v in conflict.values)


def _group(values: list[tuple[str, Statement]]) -> tuple[ConflictValue, ...]:
    grouped: dict[str, list[Statement]] = {}
    for value, statement in values:
        grouped.setdefault(value, []).append(statement)
    return tuple(
        ConflictValue(value, tuple(dict.fromkeys(s.article for s in group)), tuple(dict.fromkeys(s.sentence.text for s in group)))
        for value, group in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )


_PARTIAL = re.compile(r"\b(other|another|additional|further|remaining|extra|separate|more)\b", re.I)
_BOUND = re.compile(r"^\s*(?:no\s+)?more\s+than\b", re.I)
_PARTIAL_BEFORE = re.compile(r"\b(?:other|another|additional|further|remaining|separate)\s+$", re.I)
_STREET = re.compile(r"^\s*(?:block\s+)?of\s+((?:[A-Z0-9][\w.'-]*\s*){1,3})")
BLOCK = "block"
_ANY = "*"  # a count said of nothing in particular: compared with other such counts


_STREET_KINDS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "drive", "dr", "boulevard", "blvd", "lane", "ln", "way",
                           "court", "ct", "place", "pl", "parkway", "pkwy", "highway", "hwy"})


def _street_name(words: str) -> str:
    """ "South Ashland Avenue" -> "south ashland", so "West Flournoy Street" and "West Flournoy" are one street."""
    names = [w.strip(".,").lower() for w in words.split()]
    while len(names) > 1 and names[-1] in _STREET_KINDS:
        names.pop()
    return " ".join(names)


_OF_NUMBER = re.compile(r"\s*of\s+\d")
_PARTITIVE = re.compile(r"\bof\s+(?:the|them|those|these|whom|which|us|our|their|his|her)\b", re.I)


def _count_about(q: Quantity, sentence: Sentence) -> str | None:
    """What a count is said of, for comparing it: the kind of toll for a casualty count (killed, injured, shot), the
    street for a block number ("the 400 block of Gilmer Street"), else `_ANY` (which counts of a unit are one
    thing's is `sameness`'s to say); None (left out) for a part of a count ("two other people", "4 more victims",
    "37 of the candidates") and for a block of no street."""
    if _PARTIAL.search(_BOUND.sub("", q.text)) or _PARTIAL_BEFORE.search(sentence.text[:q.start]):
        return None  # "4 more victims", "the other three victims"
    if _PARTITIVE.search(q.text) or _OF_NUMBER.match(sentence.text[q.end:]):
        return None  # "37 of the candidates", "28 of 41 passes", "Image 14 of 16": a part of a count
    if q.unit == BLOCK:
        street = _STREET.match(sentence.text[q.end:])
        return f"{BLOCK} of {_street_name(street.group(1))}" if street else None
    return q.predicate if q.predicate in CASUALTY_PREDICATES else _ANY


def _named(holder: str | None) -> bool:
    return holder is not None and not holder.startswith(UNNAMED)


def _numbers(statements: Sequence[Statement], keep: Callable[[str], bool] = lambda unit: True,
             about: Callable[[Quantity, Sentence], str | None] = lambda q, s: q.predicate, known_only: bool = False) -> list[Conflict]:
    """Numbers of the same unit that the sentences say the same of (`about`: the same predicate by default, so
    "killed 3" vs "2 dead", never "killed 3" vs "injured 12"; `known_only`: numbers `about` says nothing of are
    left out)."""
    by_unit: dict[tuple[str, str | None], list[tuple[Quantity, Statement]]] = {}
    for s in statements:
        units: dict[tuple[str, str | None], list[Quantity]] = {}
        for q in s.sentence.quantities:
            unit = _unit(q)
            said = about(q, s.sentence)
            if unit and keep(unit) and (not known_only or said is not None):
                units.setdefault((unit, said), []).append(q)
        for unit, quantities in units.items():
            if len(quantities) == 1:  # two counts of one kind in a sentence: which pairs with which is unclear
                by_unit.setdefault(unit, []).append((quantities[0], s))
    conflicts = []
    for (unit, _predicate), stated in sorted(by_unit.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
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
        conflicts.append(Conflict("number", values, f"The outlets give incompatible numbers of {unit}: {explain_conflict(a[0], b[0])}.",
                                  _predicate))
    return conflicts


def _tolls(statements: Sequence[Statement]) -> list[Conflict]:
    """Tolls of one kind (killed, injured, shot) between alike sentences, as before the value model: a toll is
    the story's headline number, stated in sentences that differ most ("2 dead" against "police said two men were
    killed"), and the value model's threshold, fitted on counts of every kind, links too few of them."""
    return _numbers(statements, lambda unit: unit != AGE_UNIT, about=_toll_about, known_only=True)


def _toll_about(q: Quantity, sentence: Sentence) -> str | None:
    said = _count_about(q, sentence)
    return said if said in CASUALTY_PREDICATES else None


def _toll_keys(s: Statement) -> set:
    if background(s):
        return set()
    return {(unit, said) for q in s.sentence.quantities if (unit := _unit(q)) and (said := _toll_about(q, s.sentence)) is not None}


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


def _dates(statements: Sequence[Statement], by_predicate: bool = False) -> list[Conflict]:
    """Day-precise dates ("late on Wednesday, Oct 29" vs "on Thursday, Oct 30"); `by_predicate`: only dates of the
    same happening ("struck on Oct 29" vs "struck on Oct 30", never "struck on Oct 29" vs "buried on Oct 31")."""
    stated: dict[str | None, list[tuple[date, Statement]]] = {}
    guessed: set[int] = set()  # statements whose year is a guess: no year written, no publication date to read it from
    for s in statements:
        days = {(d, happening if by_predicate else None, s.published is None and not _YEAR.search(e.text))
                for d, e in ((precise_day(e.text, s.published)[0], e) for e in s.sentence.entities if e.label == "DATE")
                if d and (happening := happening_of(e.predicate)) is not None}
        for key in {p for _, p, _ in days}:  # "shot on May 2 and died on May 4": a date for each happening
            mine = {(d, g) for d, p, g in days if p == key}
            if len({d for d, _ in mine}) == 1:  # two dates of one happening: which is which is unclear
                day, guess = mine.pop()
                stated.setdefault(key, []).append((day, s))
                if guess:
                    guessed.add(id(s))
    years = Counter(d.year for group in stated.values() for d, s in group if id(s) not in guessed)
    if years and guessed:  # "the March 3 broadcast" in an undated article: the year the others give
        year = years.most_common(1)[0][0]
        stated = {p: [(with_year(d, year) if id(s) in guessed else d, s) for d, s in group] for p, group in stated.items()}
    conflicts = []
    for group in (near for stated_group in stated.values() for near in _within_a_month(stated_group, by_predicate)):
        if len({d for d, _ in group}) < 2 or len({s.article for _, s in group}) < 2:
            continue
        values = _group([(d.isoformat(), s) for d, s in group])
        conflicts.append(Conflict("date", values, f"The outlets date this differently: {' vs '.join(v.value for v in values)}."))
    return conflicts


def _within_a_month(dated: list[tuple[date, Statement]], split: bool) -> list[list[tuple[date, Statement]]]:
    """Dates months apart are two events, not a disagreement (a shooting in July, the April arrest it stems from).
    `split`: the dates of one happening split where two in a row are over a month apart, and the dates near each
    other still compared; else none are compared where any two are months apart (alike sentences dating many
    happenings: the captions of a gallery)."""
    if not split:
        days = [d for d, _ in dated]
        return [dated] if (max(days) - min(days)).days <= 31 else []
    runs: list[list[tuple[date, Statement]]] = []
    for d, s in sorted(dated, key=lambda ds: ds[0]):
        if runs and (d - runs[-1][-1][0]).days <= 31:
            runs[-1].append((d, s))
        else:
            runs.append([(d, s)])
    return runs


def _names(statements: Sequence[Statement]) -> list[Conflict]:
    """One person named two ways in articles that each give only one of the two: the same first name with a
    surname spelled nearly alike ("Eugene Linscomb" vs "Eugene Linsomb"), which `RULES` compares only in sentences
    that state one fact; another surname ("Ernest Jasper" vs "Ernest Hargrove") is `_name_conflicts`'s. A middle
    name or a "Jr." more is the same name."""
    stated = [(e.key, e.text, s) for s in statements for e in s.sentence.entities
              if e.label == "PERSON" and (words := person_words(e.key)) and len(words) >= 2]
    conflicts = []
    keys = sorted({k for k, _, _ in stated})
    for a, b in combinations(keys, 2):
        wa, wb = person_words(a), person_words(b)
        if wa[0] != wb[0] or wa[-1] == wb[-1] or set(wa) <= set(wb) or set(wb) <= set(wa) or spelled(a) == spelled(b):
            continue
        arts_a = {s.article for k, _, s in stated if k == a}
        arts_b = {s.article for k, _, s in stated if k == b}
        if arts_a <= arts_b or arts_b <= arts_a:
            continue
        if {spelled(t) for k, t, _ in stated if k == a} & {spelled(t) for k, t, _ in stated if k == b}:
            continue  # 'Jonathan "JD" De Guzman' as written is "Jonathan DeGuzman", whatever its key kept of the quotes
        if Levenshtein.normalized_similarity(wa[-1], wb[-1]) < SURNAME_SIMILARITY:
            continue
        values = _group([(text, s) for k, text, s in stated if k in (a, b)])
        conflicts.append(Conflict("name", values, f"The outlets name this person differently: {' vs '.join(v.value for v in values)}."))
    return conflicts


def wording_variants(statements: Sequence[Statement]) -> tuple[Variant, ...]:
    """The same speaker quoted in different words by different articles, among the statements of one claim."""
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


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def background(s: Statement) -> bool:
    """A sentence about another time: it dates itself in another year than the article's ("In April 2016 a
    quake killed more than 650"). Its numbers are history, not this story's values."""
    if s.published is None:
        return False
    return any(int(y) != s.published.year for e in s.sentence.entities if e.label == "DATE" for y in _YEAR.findall(e.text))


def _unit(q: Quantity) -> str | None:
    """What a number counts: its unit, or people for a bare count of casualties ("2 dead", "Two killed")."""
    return q.unit or (PEOPLE if q.predicate in CASUALTY_PREDICATES else None)


def _date_keys(s: Statement, by_predicate: bool = False) -> set:
    return {happening if by_predicate else "date" for e in s.sentence.entities
            if e.label == "DATE" and any(c.isdigit() for c in e.text) and (happening := happening_of(e.predicate)) is not None}


def _first_names(s: Statement) -> set:
    return {words[0] for e in s.sentence.entities if e.label == "PERSON" and (words := person_words(e.key)) and len(words) >= 2}


def _interned(values: Sequence[object], same: Callable[[object, object], bool]) -> tuple[list[int], Callable[[int, int], bool]]:
    """Each value's number among the distinct values, and `same` of two distinct values by their numbers, asked
    once per ordered pair: a large story asks it of the same few values hundreds of thousands of times (a
    200-article story: 216,000 calls of `intervals.compatible` for its counts and ages)."""
    number: dict[object, int] = {}
    codes, distinct = [], []
    for value in values:
        try:
            code = number.setdefault(value, len(distinct))
        except TypeError:  # an unhashable value: a number of its own
            code = len(distinct)
        if code == len(distinct):
            distinct.append(value)
        codes.append(code)
    known: dict[tuple[int, int], bool] = {}

    def ask(a: int, b: int) -> bool:
        answer = known.get((a, b))
        if answer is None:
            answer = known[(a, b)] = bool(same(distinct[a], distinct[b]))
        return answer
    return codes, ask


def pairwise_conflicts(kind: str, statements: Sequence[Statement], mentions: Sequence[ValueMention], pairs: Sequence[tuple[int, int]],
                       same: Callable[[object, object], bool], explain: Callable[[ValueMention, ValueMention], str],
                       apart: Callable[[ValueMention, ValueMention], bool] = lambda a, b: True) -> list[tuple[Conflict, tuple[int, ...]]]:
    """Conflicts from pairs of mentions that `sameness` says are one thing's values: each pair whose values are
    not the `same` and whose articles each state nothing the `same` as the other's value (an article giving both
    values counts two things), joined with the pairs that share a mention and agree with it on both sides ("288
    candidates" in two articles against "461 candidates" in a third is one conflict of two values)."""
    if not pairs:
        return []
    code, alike = _interned([m.value for m in mentions], same)
    by_article: dict[tuple[str, str], list[int]] = {}  # per key and article: the distinct values it states
    for k, m in enumerate(mentions):
        values = by_article.setdefault((m.key, statements[m.statement].article), [])
        if code[k] not in values:
            values.append(code[k])
    answers: dict[tuple[tuple[str, str], int], bool] = {}

    def states(m: ValueMention, value: int) -> bool:
        """Whether the article of `m` states, of `m`'s key, a value the same as distinct value number `value`."""
        where = (m.key, statements[m.statement].article)
        if (where, value) not in answers:
            answers[(where, value)] = any(alike(v, value) for v in by_article[where])
        return answers[(where, value)]
    clusters: list[tuple[list[int], list[int]]] = []
    by_key: dict[str, list[tuple[list[int], list[int], set[int], set[int]]]] = {}  # the clusters of each key, with each
    # side's distinct values: a mention joins a side whose every value is the same as its own

    def joins(value: int, side: set[int]) -> bool:
        return all(alike(value, v) for v in side)
    for i, j in pairs:
        a, b = mentions[i], mentions[j]
        if alike(code[i], code[j]) or states(a, code[j]) or states(b, code[i]) or not apart(a, b):
            continue
        for one, other, one_values, other_values in by_key.get(a.key, ()):
            for x, y in ((i, j), (j, i)):
                if joins(code[x], one_values) and joins(code[y], other_values):
                    if x not in one:
                        one.append(x)
                        one_values.add(code[x])
                    if y not in other:
                        other.append(y)
                        other_values.add(code[y])
                    break
            else:
                continue
            break
        else:
            clusters.append(([i], [j]))
            by_key.setdefault(a.key, []).append((*clusters[-1], {code[i]}, {code[j]}))
    out = []
    for one, other in clusters:
        sides = sorted((one, other), key=lambda side: -len({statements[mentions[k].statement].article for k in side}))
        values = tuple(ConflictValue(_value_text(mentions[side[0]]),
                                     tuple(dict.fromkeys(statements[mentions[k].statement].article for k in side)),
                                     tuple(dict.fromkeys(statements[mentions[k].statement].sentence.text for k in side)))
                       for side in sides)
        roles = {mentions[k].role for k in one + other} - {None}
        members = tuple(sorted({mentions[k].statement for k in one + other}))
        out.append((Conflict(kind, values, explain(mentions[sides[0][0]], mentions[sides[1][0]]),
                             next(iter(roles)) if len(roles) == 1 else None), members))
    return out


def _value_text(m: ValueMention) -> str:
    """A value as the conflict shows it: a number's words ("at least 61 people"), a weekday capitalised."""
    return m.value.text if isinstance(m.value, (Quantity, PersonName)) else str(m.value).capitalize()


def _count_conflicts(statements: Sequence[Statement], mentions: Sequence[ValueMention],
                     pairs: Sequence[tuple[int, int]]) -> list[tuple[Conflict, tuple[int, ...]]]:
    return pairwise_conflicts(
        "number", statements, mentions, pairs, compatible,  # type: ignore[arg-type]
        lambda a, b: f"The outlets give incompatible numbers of {a.key.split('|')[0]}: {explain_conflict(a.value, b.value)}.")  # type: ignore[arg-type]


def _weekday_conflicts(statements: Sequence[Statement], mentions: Sequence[ValueMention],
                       pairs: Sequence[tuple[int, int]]) -> list[tuple[Conflict, tuple[int, ...]]]:
    return pairwise_conflicts("date", statements, mentions, pairs, lambda x, y: x == y,
                              lambda a, b: f"The outlets give different days of the week: {_value_text(a)} vs {_value_text(b)}.")


def count_mentions(statements: Sequence[Statement]) -> list[ValueMention]:
    """The counts the statements state, for `sameness`: keyed by unit and, for a toll, its kind."""
    out = []
    for k, s in enumerate(statements):
        if background(s):
            continue
        counted = [(q, unit, said) for q in s.sentence.quantities
                   if (unit := _unit(q)) and unit != AGE_UNIT and "." not in unit and (said := _count_about(q, s.sentence)) is not None]
        for q, unit, said in counted:
            role = said if said in CASUALTY_PREDICATES else None
            key = unit if role or said == _ANY else f"{unit}|{said}"  # a block number: of its street
            out.append(ValueMention(k, key, q.predicate, False, context_words(s.sentence.text, q.start, q.end), s.sentence.index,
                                    q, words(q.text), _sentence_names(s), len(counted), role))
    return out


def _sentence_names(s: Statement) -> frozenset[str]:
    return frozenset(e.key for e in s.sentence.entities if e.label in _NAMED)


_NAMED = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"})


def age_mentions(statements: Sequence[Statement]) -> list[ValueMention]:
    """The ages the statements give, for `sameness`: a named person's keyed by the person (a surname alone is the
    person of that surname named in full, and no one where two are: a father and his daughter), an unnamed
    person's by nothing but the sex and age group the word for them says ("boy": "m,minor"; "the 5-year-old": none)."""
    full = {q.holder for s in statements for q in s.sentence.quantities if q.unit == AGE_UNIT and _named(q.holder) and " " in q.holder}
    by_surname: dict[str, set[str]] = {}
    for name in full:
        by_surname.setdefault(name.split()[-1], set()).add(name)
    out = []
    for k, s in enumerate(statements):
        for q in s.sentence.quantities:
            if q.unit != AGE_UNIT:
                continue
            role = None
            if _named(q.holder):
                names = {q.holder} if " " in q.holder else by_surname.get(q.holder, {q.holder})  # type: ignore[operator]
                if len(names) != 1:
                    continue
                key = f"{AGE_UNIT}|{next(iter(names))}"
            else:
                key = AGE_UNIT
                sex, group = PERSON_WORDS.get(q.holder[len(UNNAMED):], (None, None)) if q.holder else (None, None)
                role = f"{sex or ''},{group or ''}"
            ages = sum(x.unit == AGE_UNIT for x in s.sentence.quantities)
            out.append(ValueMention(k, key, q.predicate, False, context_words(s.sentence.text, q.start, q.end), s.sentence.index,
                                    q, words(q.text) - {"year", "years", "old"}, _sentence_names(s), ages, role))
    return out


def _age_conflicts(statements: Sequence[Statement], mentions: Sequence[ValueMention],
                   pairs: Sequence[tuple[int, int]]) -> list[tuple[Conflict, tuple[int, ...]]]:
    return pairwise_conflicts(
        "number", statements, mentions, pairs, compatible,  # type: ignore[arg-type]
        lambda a, b: f"The outlets give incompatible ages: {explain_conflict(a.value, b.value)}.")  # type: ignore[arg-type]


def weekday_mentions(statements: Sequence[Statement]) -> list[ValueMention]:
    """The weekdays the statements give for a happening, for `sameness`; not those of a sentence that gives a
    day-precise date ("Wednesday, Oct 29"): the date is compared instead (`_dates`)."""
    out: list[ValueMention] = []
    for k, s in enumerate(statements):
        days = [e for e in s.sentence.entities if e.label in WHEN and (WEEKDAY.search(e.text) or any(c.isdigit() for c in e.text))]
        if any(e.label == "DATE" and precise_day(e.text, s.published)[0] for e in days):
            continue
        for e in s.sentence.entities:
            if e.label in WHEN and (happening := happening_of(e.predicate)) is not None and (weekday := WEEKDAY.search(e.text)):
                out.append(ValueMention(k, "weekday", e.predicate, happening == INCIDENT, context_words(s.sentence.text, e.start, e.end),
                                        s.sentence.index, weekday.group(1).lower(), frozenset(), _sentence_names(s), len(days)))
    return out


def name_mentions(statements: Sequence[Statement]) -> list[ValueMention]:
    """The people the statements name in full, for `sameness`: keyed by first name, the name the value, the title
    before it the role ("spokesman John Cannon" and "Lt. John McGalin" are two people); what else the sentence
    names leaves the person's own name out (it is the value, never a feature)."""
    out = []
    for k, s in enumerate(statements):
        people = [(e, w) for e in s.sentence.entities if e.label == "PERSON" and (w := person_words(e.key)) and len(w) >= 2]
        for e, w in people:
            before = WORD_BEFORE.search(s.sentence.text[:e.start])
            title = TITLES.get(before.group(1).lower()) if before else None
            out.append(ValueMention(k, w[0], e.predicate, False, context_words(s.sentence.text, e.start, e.end), s.sentence.index,
                                    PersonName(e.text, tuple(w)), frozenset(), _sentence_names(s) - {e.key}, len(people), title))
    return out


def _name_conflicts(statements: Sequence[Statement], mentions: Sequence[ValueMention],
                    pairs: Sequence[tuple[int, int]]) -> list[tuple[Conflict, tuple[int, ...]]]:
    said: dict[str, set[str]] = {}  # the words each article writes: one that writes "Cannon" anywhere knows John Cannon
    for s in statements:
        said.setdefault(s.article, set()).update(w.strip(".,'’") for w in s.sentence.text.lower().split())

    together: set[tuple[str, str]] = set()  # surnames that some article of the story names people by: two people
    for article in said:
        surnames = {m.value.words[-1] for m in mentions if statements[m.statement].article == article}  # type: ignore[attr-defined]
        together |= {(x, y) for x in surnames for y in surnames if x != y}

    def apart(a: ValueMention, b: ValueMention) -> bool:  # one person renamed: neither article writes the other's surname,
        x, y = a.value.words[-1], b.value.words[-1]  # type: ignore[attr-defined]  # and no article names both
        first, second = statements[a.statement].article, statements[b.statement].article
        return y not in said[first] and x not in said[second] and (x, y) not in together
    return pairwise_conflicts("name", statements, mentions, pairs, same_name,  # type: ignore[arg-type]
                              lambda a, b: f"The outlets name this person differently: {_value_text(a)} vs {_value_text(b)}.", apart)


@dataclass(frozen=True, slots=True)
class Rule:
    """One comparison across a story: which values (`check`), of what (`keys`: two statements are compared only
    when they share one), between which sentences (`strict`: only those alike enough to be one claim)."""

    check: Callable[[Sequence[Statement]], list[Conflict]]
    keys: Callable[[Statement], set] = lambda statement: set()  # a rule with a `model` has none: its mentions' keys
    strict: bool | float = False  # True: `STRICT_THRESHOLD`; a number: that alignment probability
    model: str | None = None  # which values are one thing's: `sameness.models()[model]` decides, over `mentions`' pairs,
    # and `check` is called with (statements, mentions, linked pairs) for the conflicts with their statements
    mentions: Callable[[Sequence[Statement]], list[ValueMention]] = lambda statements: []


RULES: tuple[Rule, ...] = (
    Rule(_count_conflicts, model="count", mentions=count_mentions),
    Rule(_tolls, _toll_keys),
    Rule(_age_conflicts, model="age", mentions=age_mentions),
    Rule(_designators, lambda s: {_family(e.key) for e in s.sentence.entities if e.label == "DESIGNATOR"}),
    Rule(lambda st: _dates(st, by_predicate=True), lambda s: _date_keys(s, by_predicate=True)),
    Rule(_dates, _date_keys, strict=True),
    Rule(_weekday_conflicts, model="weekday", mentions=weekday_mentions),
    Rule(_names, _first_names, strict=True),
    Rule(_name_conflicts, model="name", mentions=name_mentions),
)
