"""What day a date names, and what it is the date of: the incident itself ("shot Friday"), a later step of the
story ("arrested Tuesday"), or the day an outlet said or published something, which is never compared."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from newsweave.ingest.records import parse_datetime

WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
ANY = "*"  # a date said of nothing in particular: compared with other such dates


def with_year(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day


@lru_cache(maxsize=4096)
def precise_day(text: str, published: date | None) -> tuple[date | None, str]:
    """A day-precise date ("Oct 29", "October 29, 2025"); None for "Tuesday", "last week", "2025". A date without
    its year is the last such day before the publication date or in the week after it (a report looks back):
    "Nov. 23" in a report of January 2017 is 23 November 2016, "April 8" in one of December 2013 is 8 April 2013."""
    if not any(ch.isdigit() for ch in text) or not any(ch.isalpha() for ch in text):
        return None, text
    default = datetime(published.year if published else 2000, 1, 1)
    try:
        parsed = parse_datetime(text, default=default, fuzzy=True)
        sentinel = parse_datetime(text, default=datetime(1999, 2, 2), fuzzy=True)
    except (ValueError, OverflowError):
        return None, text
    if parsed.day != sentinel.day or parsed.month != sentinel.month:
        return None, text  # the day or month was filled in from the default: not day-precise
    day = parsed.date()
    if published is not None and parsed.year != sentinel.year:  # no year written
        day = max(d for d in (with_year(day, published.year + k) for k in (-1, 0, 1)) if d <= published + timedelta(days=7))
    return day, text


WHEN = frozenset({"DATE", "TIME"})  # "Saturday" is a DATE, "7:30 Saturday evening" a TIME
INCIDENT = "the incident"
REPORTING = frozenset({"say", "tell", "report", "publish", "post", "update", "announce", "add", "state", "note", "confirm",
                       "write"})
HAPPENINGS_PATH = Path(__file__).parent / "happenings.json"


@lru_cache(maxsize=8)
def incident_verbs(threshold: float | None = None) -> frozenset[str]:
    """The verbs that date the incident itself ("shot Friday", "the shooting happened Friday", "officers responded
    Friday"), fitted on real coverage (`happenings.json`, by `bench/fit_happenings.py`): those whose dates fall on
    the incident's day in at least `threshold` (default: the fitted one) of the incidents they date."""
    record = json.loads(HAPPENINGS_PATH.read_text(encoding="utf-8"))
    at = record["threshold"] if threshold is None else threshold
    return frozenset(p for p, (_, share) in record["predicates"].items() if share >= at) - REPORTING


_DATE_WORD = re.compile(r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
                        r"august|september|october|november|december|today|yesterday", re.I)
HAPPENING_THRESHOLD: float | None = None  # None: the fitted one (`incident_verbs`)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def calendar_day(text: str, label: str, published: date | None) -> date | None:
    """The calendar day a date or time entity names: a day-precise date ("Oct 29", "October 29, 2025"), or a
    weekday ("Sunday night") as the last such day on or before publication; None for anything vaguer, or a
    weekday in an undated article."""
    if label not in WHEN:
        return None
    day = precise_day(text, published)[0] if label == "DATE" else None
    if day is None and published is not None and (m := WEEKDAY.search(text)):
        day = published - timedelta(days=(published.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7)
    return day


def happening_of(predicate: str | None) -> str | None:
    """What a date is the date of, for comparing it: the incident for the verbs that date it (`incident_verbs`:
    shot, happened, responded), else the predicate (a death days later, a later step: arrested, pleaded guilty
    Tuesday), `ANY` for a date said of nothing in particular, and None (left out) for the day something was said
    or published ("police said Friday": each outlet's own day)."""
    if predicate in REPORTING or (predicate and _DATE_WORD.fullmatch(predicate)):
        return None  # said, or a date line ("MONDAY, MAY 23, 2005", said of nothing but itself): the outlet's own day
    if predicate in incident_verbs(HAPPENING_THRESHOLD):
        return INCIDENT
    return predicate or ANY
