"""Whether two statements of a number can both be true, and how to say that they cannot.

A number read from news is an interval (`newsweave.model.Quantity`): "at least 61 people" is [61, inf),
"more than a dozen strikes" is (12, inf), "nearly 48%" is [43.2, 48] percent (`numbers` reads them). Two
articles conflict on a number only when their intervals cannot meet: "more than a dozen strikes" and "14
boats" can both be true; "at least 61 people" and "16 people" cannot.

Example:
    at_least_61 = Quantity("at least 61 people", 61, INF, unit="people")
    sixteen = Quantity("16 people", 16, 16, unit="people")
    compatible(at_least_61, sixteen)  # False
    explain_conflict(at_least_61, sixteen)  # "61 or more (at least 61 people) vs exactly 16 (16 people)"

`compatible` compares numbers, not meanings: the caller has aligned the two statements as answers to
one question ("how many were killed"), so count nouns are not checked ("5,000 troops" vs "5,000
soldiers" is a match). Known measurement units are: lengths and exact durations are converted
("72-hour" vs "three-day"), and two different kinds of measure ("48%" vs "48 km", an age vs a year
count) are never in conflict, since they do not answer the same question. An exact value written with
fewer decimals than the other side is taken as rounded: "48%" agrees with "47.8%", "16" never with "61".
The band of a vague value ("about 1,000 km" is [900, 1100]) is built when it is read and not widened again
here; a hand-made `Quantity` with `approximate=True` and `low == high` is given the same band here.

Pure functions of `Quantity` records: nothing here needs spaCy.
"""

from __future__ import annotations

import math
import re

from newsweave.model import Quantity

__all__ = ["AGE_UNIT", "APPROX_BAND", "APPROX_MIN_COUNT_BAND", "DIMENSIONS", "approx_band", "compatible",
           "explain_conflict"]

# --- tuning constants ------------------------------------------------------------------------------
APPROX_BAND = 0.10  # "about 1,000 km" is 900-1,100: news rounds to the nearest round figure, which is within 10%
APPROX_MIN_COUNT_BAND = 1.0  # "about five people" is 4-6: a band narrower than one person would say nothing

AGE_UNIT = "age"  # the unit of an age, in years ("a 64-year-old"): never compared with a count of years
# Measures whose units can be converted or must not be compared across kinds: unit -> (kind, factor).
# Months and years are calendar units, kept apart from exact durations ("six months" is not 26 weeks).
DIMENSIONS: dict[str, tuple[str, float]] = {
    "m": ("length", 1.0), "km": ("length", 1000.0), "mile": ("length", 1609.344),
    "second": ("time", 1.0), "minute": ("time", 60.0), "hour": ("time", 3600.0), "day": ("time", 86400.0),
    "week": ("time", 604800.0), "fortnight": ("time", 1209600.0),
    "month": ("calendar", 1.0), "year": ("calendar", 12.0), "decade": ("calendar", 120.0),
    "century": ("calendar", 1200.0),
    "percent": ("percent", 1.0), "magnitude": ("magnitude", 1.0), AGE_UNIT: ("age", 1.0),
    "USD": ("USD", 1.0), "EUR": ("EUR", 1.0), "GBP": ("GBP", 1.0), "JPY": ("JPY", 1.0),
    "CAD": ("CAD", 1.0), "AUD": ("AUD", 1.0),
}
_LITERAL = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


def approx_band(value: float, unit: str | None) -> float:
    """Half the width of the band around an approximate value: 10% of it, and at least one of a count."""
    value = float(value)
    band = abs(value) * APPROX_BAND
    if value >= 1 and value.is_integer() and unit not in DIMENSIONS:
        band = max(band, APPROX_MIN_COUNT_BAND)
    return band


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
        band = approx_band(low, q.unit)
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
    da, db = DIMENSIONS.get(a.unit or ""), DIMENSIONS.get(b.unit or "")
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


def format_number(x: float) -> str:
    """A number as a reader writes it: "1,000", "2.5", "any number" for infinity."""
    x = float(x)
    if math.isinf(x):
        return "any number"
    if x.is_integer():
        return f"{int(x):,}"
    return f"{x:,.4g}" if abs(x) >= 1 else f"{x:.4g}"


def _describe(q: Quantity) -> str:
    low, high = format_number(q.low), format_number(q.high)
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
