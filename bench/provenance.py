"""Where copy comes from, on real news: which wires an article carries, read from its text alone.

Data: ../shared/data/polnear (PolNeAR, Newell et al. 2018: 2016 US-election articles from 7 publishers, see
../shared/data/README.md): `metadata.tsv` (compartment, filename, publisher, ..., wire, where `wire` names the
agency whose copy the article is: AP, UPI, AFP or Reuters, else None; NA for The Western Journal, whose
articles were not marked) and `<compartment>/text/<filename>.txt` (the title on the first line, then the
text). Only the `train` and `dev` compartments are read, and `annotator-training` when its texts are there
(it is skipped, with a note, when they are not); the rows of the held-out `test` compartment are dropped
on sight, before any other field of them is looked at. The `author` column is never read: it would give
the answer away ("AP", "Reuters Staff").

Sections (one table each; `--sections` picks them; each a function in SECTIONS):

- wires: of the articles whose `wire` names a wire, the share for which `newsweave.sources.wire_credits`
  finds that wire in the text (target >= 0.90), per split and per wire, with where the evidence stood
  (dateline in the text's opening, sign-off, credit line); and the false positives: articles whose `wire`
  is None for which it finds any wire (target 0), a few of them listed. The Western Journal's NA articles
  are counted apart: they are rewrites that credit others ("h/t: Reuters"), not wire copy, so a wire found
  there is worth reading but is not scored.

- syndication: cases built from real gun-violence articles of the `--split` half (`bench/_syndication.py`,
  whose docstring lists them): the same article under two outlets' names (another headline, byline and last
  paragraph); a shorter retelling crediting it by full and by short name; a wire's own copy and a paper's
  verbatim copy with the wire's dateline and copyright line; two reports under two outlets of one publisher
  family: each must count 1 independent source for the claims both state; two genuinely independent reports
  of the incident (neither credits an outlet nor copies the other): 2. Target: all right.
- invariants: every story of the gun-violence half and the ECB+ split (each event's coverage one story): a
  claim's independent sources between 1 and its distinct sources, the story's at most its sources and
  articles, no path shown as a source, no short reference counted beside the upstream named in full, the
  headline a titled article's. Target: no break.

Run:  .venv/bin/python bench/provenance.py [--sections wires,syndication,invariants] [--split dev] [--limit N]
      [--data ../shared/data] [--errors N] [--json [PATH]]
      (`--json` alone prints the figures as JSON instead of the tables; `--json PATH` also writes them to PATH)
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/x.py` puts bench/ first on sys.path, where bench/numbers.py would shadow the standard library's
# `numbers`: keep bench/ reachable for `_real` and `_syndication` only, after everything else.
_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(_BENCH)] + [_BENCH]

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Callable  # noqa: E402

from rich.console import Console  # noqa: E402

from _tables import table  # noqa: E402
from newsweave.sources import WireCredit, known_sources, wire_credits  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SPLITS = ("train", "dev", "annotator-training")  # PolNeAR's `test` compartment is held out: never read
NOT_MARKED = "NA"  # The Western Journal's articles: wire not marked
SHOWN_FALSE_POSITIVES = 5  # listed even without --errors: each is a bug to read


@dataclass(frozen=True)
class Options:
    data: Path
    errors: int
    split: str = "dev"
    limit: int | None = None


@dataclass
class Section:
    """One section's table: rows of figures by label, and lines to print under it."""

    title: str
    rows: list[tuple[str, dict]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# --- PolNeAR -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PolnearArticle:
    split: str
    filename: str
    publisher: str
    wire: str | None  # the metadata's wire column: "AP", "UPI", "AFP", "reuters"; None for none; "NA" not marked
    text: str


def polnear_articles(data: Path) -> tuple[list[PolnearArticle], list[str]]:
    """The train, dev (and annotator-training, when there) articles of PolNeAR, and notes on what was skipped."""
    root = data / "polnear"
    articles: list[PolnearArticle] = []
    missing: Counter[str] = Counter()
    with (root / "metadata.tsv").open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows)
        column = {name: i for i, name in enumerate(header)}
        for row in rows:
            if not row or row[column["compartment"]] not in SPLITS:  # the held-out test rows end here, unread
                continue
            split, filename = row[column["compartment"]], row[column["filename"]]
            path = root / split / "text" / f"{filename}.txt"
            if not path.exists():
                missing[split] += 1  # annotator-training's texts are not in ../shared/data: the whole split goes
                continue
            wire = row[column["wire"]].strip()
            articles.append(PolnearArticle(split, filename, row[column["publisher"]],
                                           None if wire in ("", "None") else wire, path.read_text(encoding="utf-8")))
    notes = []
    for split, n in missing.items():
        texts = root / split / "text"
        notes.append(f"{split}: no texts under {texts}; skipped" if not texts.is_dir()
                     else f"{split}: {n} article(s) of metadata.tsv have no text file; skipped")
    return articles, notes


# --- sections ------------------------------------------------------------------------------------------------


def section_wires(options: Options) -> Section:
    """Wire copy found in the text, against PolNeAR's `wire` column."""
    sources = known_sources()
    articles, notes = polnear_articles(options.data)
    section = Section("wires: PolNeAR articles whose wire wire_credits finds in the text "
                      "(target >= 0.90 found, 0 false positives)", notes=notes)
    missed: list[tuple[PolnearArticle, tuple[WireCredit, ...]]] = []
    false_positives: list[tuple[PolnearArticle, tuple[WireCredit, ...]]] = []
    unmarked: list[tuple[PolnearArticle, tuple[WireCredit, ...]]] = []
    where: Counter[str] = Counter()
    started = time.perf_counter()
    scored: dict[tuple[str, str], list[bool]] = defaultdict(list)  # (split, wire) -> found per wire article
    negatives: dict[str, list[bool]] = defaultdict(list)  # split -> any credit per no-wire article
    for article in articles:
        credits = wire_credits(article.text)
        if article.wire == NOT_MARKED:
            if credits:
                unmarked.append((article, credits))
            continue
        if article.wire is None:
            negatives[article.split].append(bool(credits))
            if credits:
                false_positives.append((article, credits))
            continue
        wire = sources.by_name(article.wire)
        if wire is None:
            raise SystemExit(f"PolNeAR names a wire newsweave does not know: {article.wire!r} ({article.filename})")
        hit = next((c for c in credits if c.wire == wire), None)
        scored[(article.split, wire.short or wire.name)].append(hit is not None)
        if hit:
            where[hit.where] += 1
        else:
            missed.append((article, credits))
    seconds = time.perf_counter() - started
    for split in [s for s in SPLITS if any(k[0] == s for k in scored) or s in negatives] + ["all"]:
        keys = [k for k in scored if split in (k[0], "all")]
        hits = [h for k in keys for h in scored[k]]
        fps = [fp for s, values in negatives.items() if split in (s, "all") for fp in values]
        section.rows.append((split, _row(hits, fps)))
        for wire in sorted({k[1] for k in keys}):
            hits = [h for k in keys if k[1] == wire for h in scored[k]]
            section.rows.append((f"  {split} / {wire}", _row(hits, None)))
    marked_na = sum(1 for a in articles if a.wire == NOT_MARKED)
    section.rows.append((f"wire {NOT_MARKED} (not marked; not scored)",
                         {"no-wire articles": marked_na, "wire found": len(unmarked)}))
    section.notes.append(f"{len(articles)} articles read in {seconds:.2f} s; evidence of the wires found: "
                         + ", ".join(f"{w} {n}" for w, n in where.most_common()))
    for article, credits in false_positives[: max(SHOWN_FALSE_POSITIVES, options.errors)]:
        where_from = f"{article.split}/{article.filename} ({article.publisher})"
        section.notes.append(f"false positive: {where_from}: {_shown(credits)}")
    for article, credits in unmarked[: options.errors]:
        section.notes.append(f"found in an NA article: {article.filename}: {_shown(credits)}")
    for article, credits in missed[: options.errors]:
        lines = [line.strip() for line in article.text.splitlines() if line.strip()][:3]
        other = f" (found only: {', '.join(c.wire.name for c in credits)})" if credits else ""
        section.notes.append(f"missed {article.wire}: {article.split}/{article.filename}{other}\n"
                             + "\n".join(f"    | {line[:150]}" for line in lines))
    return section


def _shown(credits: tuple[WireCredit, ...]) -> str:
    return "; ".join(f"{c.wire.short or c.wire.name} by {c.where}: {c.evidence[:120]!r}" for c in credits)


def _row(hits: list[bool], false_positives: list[bool] | None) -> dict:
    row: dict = {"wire articles": len(hits), "found": sum(hits), "found share": _share(sum(hits), len(hits))}
    if false_positives is not None:
        row |= {"no-wire articles": len(false_positives), "false positives": sum(false_positives),
                "false positive share": _share(sum(false_positives), len(false_positives))}
    return row


def _share(part: int, whole: int) -> float:
    return part / whole if whole else math.nan


# The constructed cases' wire and publisher family (`bench/_syndication.py`): the wire's own copy against a paper's
# verbatim copy of it; two papers of one family.
CASE_WIRE = ("Associated Press", "AP", "Copyright 2016 The Associated Press. All rights reserved. This material may "
             "not be published, broadcast, rewritten or redistributed.")
CASE_FAMILY = ("Chicago Tribune", "Baltimore Sun")


def section_syndication(options: Options) -> Section:
    """Constructed copy, credit, wire, family and independent cases from real gun-violence articles."""
    from _real import gv_stories
    from _syndication import Analyses, run_cases

    sources = known_sources()
    family = sources.family(CASE_FAMILY[0])
    if family is None or family != sources.family(CASE_FAMILY[1]):
        raise SystemExit(f"{CASE_FAMILY} are no longer one family in newsweave/data/sources.toml: pick two that are")
    stories = gv_stories(options.data, options.split)[: options.limit]
    started = time.perf_counter()
    results, skipped = run_cases(stories, Analyses(), CASE_FAMILY, CASE_WIRE)
    section = Section(f"syndication: constructed cases from {len(stories)} gun-violence incidents ({options.split}); "
                      "right = every claim both articles state counts the expected independent sources "
                      "(target 1.000 each)")
    for kind in ("copy", "credit", "wire", "family", "independent"):
        mine = [r for r in results if r.kind == kind]
        if not mine:
            continue
        right = sum(r.right for r in mine)
        section.rows.append((kind, {"expected": mine[0].expected, "cases": len(mine), "right": right,
                                    "right share": _share(right, len(mine)),
                                    "shared claims": sum(len(r.counts) for r in mine)}))
        for r in [r for r in mine if not r.right][: max(3, options.errors)]:
            section.notes.append(f"wrong {kind}: incident {r.story}: counts {r.counts}")
    section.rows.append(("all", {"cases": len(results), "right": sum(r.right for r in results),
                                 "right share": _share(sum(r.right for r in results), len(results))}))
    section.notes.append(f"{time.perf_counter() - started:.0f} s; skipped: "
                         + (", ".join(f"{why} {n}" for why, n in skipped.most_common()) or "none"))
    return section


def section_invariants(options: Options) -> Section:
    """The independence invariants (README 'Sources') over every real story of the split."""
    from _real import ecb_stories, gv_stories
    from _syndication import Analyses, check_invariants

    analyses = Analyses()
    section = Section(f"invariants: every story of the {options.split} split, each event's coverage one story "
                      "(target 0 breaks)")
    started = time.perf_counter()
    for corpus, stories in (("gun violence", gv_stories(options.data, options.split)),
                            ("ecb+", ecb_stories(options.data, options.split))):
        stories = stories[: options.limit]
        n_stories, n_claims, breaks = check_invariants(stories, analyses)
        section.rows.append((corpus, {"stories": n_stories, "claims": n_claims, "breaks": len(breaks)}))
        section.notes += breaks[: max(5, options.errors)]
    section.notes.append(f"{time.perf_counter() - started:.0f} s")
    return section


SECTIONS: dict[str, Callable[[Options], Section]] = {
    "wires": section_wires,
    "syndication": section_syndication,
    "invariants": section_invariants,
}


# --- the command ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared corpora (default: ../shared/data)")
    parser.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated, of: {', '.join(SECTIONS)}")
    parser.add_argument("--split", default="dev", choices=("train", "dev"),
                        help="the gun-violence half and ECB+ split of the syndication and invariants sections")
    parser.add_argument("--limit", type=int, default=None, help="at most N stories per corpus (default: all)")
    parser.add_argument("--errors", type=int, default=0,
                        help="also print N misses (with their opening lines) per section")
    parser.add_argument("--json", nargs="?", const="-", default=None, metavar="PATH",
                        help="print the figures as JSON instead of the tables (given a PATH, also write them there)")
    args = parser.parse_args()
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; the sections are: {', '.join(SECTIONS)}")
    if not (args.data / "polnear" / "metadata.tsv").exists():
        print(f"no PolNeAR at {args.data / 'polnear'}: put ../shared/data beside the checkout or pass --data "
              "(see ../shared/data/README.md)", file=sys.stderr)
        return 2
    options = Options(args.data, args.errors, args.split, args.limit)
    console = Console(width=max(Console().width, 150))
    figures: dict[str, dict] = {}
    for name in sections:
        section = SECTIONS[name](options)
        figures[name] = {label.strip(): row for label, row in section.rows}
        if args.json == "-":
            continue
        console.print(table(section.title, section.rows))
        for note in section.notes:
            console.print("  " + note, markup=False, highlight=False)
    text = json.dumps(figures, indent=1, default=lambda v: None) + "\n"
    if args.json == "-":
        print(text.replace("NaN", "null"), end="")
    elif args.json:
        Path(args.json).write_text(text.replace("NaN", "null"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
