"""HTML main-text extraction quality: newsweave's HTML path next to plain trafilatura.

Data: ../shared/data/extraction (Zyte's article-extraction benchmark: 181 real pages and their
article bodies). Score: per page, precision and recall of word 4-grams of the extracted text against
the true body, averaged over pages; F1 from the averages (the benchmark's own definition).

Run:  python bench/extraction.py [--data ../shared/data/extraction] [--worst 5]
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/x.py` puts bench/ first on sys.path, where bench/numbers.py would shadow the standard
# library's `numbers` module: take it off before anything else is imported.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table

from newsweave import InputError, clean, read_bytes

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction"
_WORD = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text.lower())
    return Counter(tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def precision_recall(predicted: str, truth: str) -> tuple[float, float]:
    pred, true = shingles(predicted), shingles(truth)
    if not true:
        return (1.0, 1.0) if not pred else (0.0, 1.0)
    if not pred:
        return 0.0, 0.0
    overlap = sum((pred & true).values())
    return overlap / sum(pred.values()), overlap / sum(true.values())


def newsweave_text(page_id: str, html: bytes) -> str:
    for doc in read_bytes(page_id, html, "html"):
        if isinstance(doc, InputError):
            return ""
        try:
            return clean(doc).text
        except InputError:
            return ""
    return ""


def trafilatura_text(html: bytes) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


SYSTEMS = {"trafilatura (plain)": trafilatura_text, "newsweave": None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=0, help="also list the N pages where newsweave loses most F1")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file (the quality gate reads it)")
    args = parser.parse_args()
    truth_file = args.data / "ground-truth.json"
    if not truth_file.exists():
        print(f"no benchmark data at {args.data}: expected ground-truth.json and html/*.html.gz", file=sys.stderr)
        return 2
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    scores: dict[str, list[tuple[float, float]]] = {name: [] for name in SYSTEMS}
    seconds: dict[str, float] = {name: 0.0 for name in SYSTEMS}
    per_page: list[tuple[float, str]] = []
    for page_id, record in sorted(truth.items()):
        html = gzip.decompress((args.data / "html" / f"{page_id}.html.gz").read_bytes())
        f1s = {}
        for name, system in SYSTEMS.items():
            start = time.perf_counter()
            text = newsweave_text(page_id, html) if system is None else system(html)
            seconds[name] += time.perf_counter() - start
            p, r = precision_recall(text, record["articleBody"])
            scores[name].append((p, r))
            f1s[name] = 2 * p * r / (p + r) if p + r else 0.0
        per_page.append((f1s["newsweave"] - f1s["trafilatura (plain)"], page_id))
    table = Table(title=f"HTML extraction on {len(truth)} pages (word 4-grams)")
    for column in ("system", "precision", "recall", "F1", "ms/page"):
        table.add_column(column, justify="left" if column == "system" else "right")
    figures = {}
    for name, pairs in scores.items():
        p = sum(x for x, _ in pairs) / len(pairs)
        r = sum(y for _, y in pairs) / len(pairs)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        figures[name] = {"P": p, "R": r, "F1": f1, "pages": len(pairs)}
        table.add_row(name, f"{p:.3f}", f"{r:.3f}", f"{f1:.3f}", f"{1000 * seconds[name] / len(pairs):.1f}")
    console = Console()
    console.print(table)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    if args.worst:
        for delta, page_id in sorted(per_page)[: args.worst]:
            console.print(f"{delta:+.3f}  {page_id}  {truth[page_id]['url']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
