"""Fit which verbs date the incident itself (`newsweave/dossier/happenings.json`) on gun-violence train incidents.

A story dates several happenings: the shooting, a death days later, an arrest, a court date, the day police
spoke. Two outlets disagree about a day only when they date the same happening, so the dossier compares the
dates and weekdays of one happening (`dossier.when.happening_of`). Which verbs date the incident itself is
learned here rather than listed by hand: every day-precise date and every weekday in the train incidents'
articles (analysed as the product does, `bench/_real.py`) is resolved to a calendar day (a weekday: the last
such day on or before the article's publication) and compared with the archive's date of the incident. Per
predicate lemma (`nlp.parse.predicate`), the share of incidents whose mentions fall on the incident's day
(each incident weighs one, so a roundup page listing fifty dates weighs as much as one report); dates more than
31 days off are another event's and are left out.

The verbs whose share is at least `--threshold` over at least `--min-incidents` incidents date the incident:
their dates are compared with each other ("shot Friday" vs "the shooting happened Saturday"). Every other verb
dates its own happening ("arrested Monday" only with "arrested Tuesday"), and the verbs of saying never date a
happening (`dossier.when.REPORTING`). The threshold is chosen on dev with `bench/dossier.py
--happening-threshold` (planted weekdays and dates found, false alarms on unchanged stories).

Run:  .venv/bin/python bench/fit_happenings.py [--threshold 0.75] [--write]
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(_BENCH)] + [_BENCH]

import argparse  # noqa: E402
import json  # noqa: E402
import warnings  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import date  # noqa: E402

from dateutil import parser as dateparser  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from _real import DEFAULT_DATA, gv_incidents, gv_stories  # noqa: E402
from newsweave.dossier.when import HAPPENINGS_PATH, calendar_day  # noqa: E402
from newsweave.model import Sentence  # noqa: E402
from newsweave.nlp import analyze_articles, load_pipeline  # noqa: E402

warnings.filterwarnings("ignore", module="dateutil")
FAR = 31  # days: a date this far from the incident is another event's


def calendar_days(sentence: Sentence, published: date | None) -> list[tuple[str | None, date]]:
    """(predicate, day) of each dated mention: a day-precise date, or a weekday before the publication day."""
    return [(e.predicate, day) for e in sentence.entities if (day := calendar_day(e.text, e.label, published)) is not None]


def shares(data: Path, split: str) -> dict[str, tuple[int, float]]:
    """Per predicate: (incidents, share of them on the incident's day)."""
    records = gv_incidents(data)
    stories = [s for s in gv_stories(data, split) if s.id in records]
    analyzed = {item.article.id: item for item in analyze_articles([a for s in stories for a in s.articles], load_pipeline())}
    on_day: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for story in stories:
        incident = dateparser.parse(records[story.id]["date"]).date()
        for a in story.articles:
            for sentence in analyzed[a.id].sentences:
                for predicate, day in calendar_days(sentence, a.published):
                    if predicate and abs((day - incident).days) <= FAR:
                        on_day[predicate][story.id].append(day == incident)
    return {p: (len(by), sum(sum(v) / len(v) for v in by.values()) / len(by)) for p, by in on_day.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--threshold", type=float, default=0.75, help="share on the incident's day a verb needs (default 0.75)")
    parser.add_argument("--min-incidents", type=int, default=5, help="incidents a verb needs to be judged (default 5)")
    parser.add_argument("--write", action="store_true", help=f"save the table to {HAPPENINGS_PATH.name}")
    args = parser.parse_args()
    fitted = shares(Path(args.data), "train")
    table = Table(title=f"Verbs dating a gun-violence incident (train): share on the incident's day, >= {args.min_incidents} incidents")
    for column in ("predicate", "incidents", "on the day", "dates the incident"):
        table.add_column(column, justify="left" if column == "predicate" else "right")
    judged = {p: v for p, v in fitted.items() if v[0] >= args.min_incidents}
    for p, (n, share) in sorted(judged.items(), key=lambda kv: (-kv[1][1], kv[0])):
        table.add_row(p, str(n), f"{share:.2f}", "yes" if share >= args.threshold else "")
    Console().print(table)
    if args.write:
        record = {
            "fitted_on": "gun-violence train incidents (bench/fit_happenings.py)",
            "threshold": args.threshold,
            "min_incidents": args.min_incidents,
            "predicates": {p: [n, round(share, 3)] for p, (n, share) in sorted(judged.items())},
        }
        HAPPENINGS_PATH.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {HAPPENINGS_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
