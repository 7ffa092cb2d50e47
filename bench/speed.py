"""Speed and memory of `analyze`, next to a bare spaCy pass over the same texts.

The example corpus is repeated to N articles (default 2,000); each repetition is a batch of its own,
so stories keep the corpus's real sizes (3 to 6 articles) and every copy is a distinct article. The
analysis is everything after cleaning: spaCy with newsweave's components, quantities, attributions,
story grouping, near-duplicates, claim alignment, comparison, provenance and the JSON dossier. The
bare pass is `nlp.pipe` of the stock pipeline over the same texts (each headline and every paragraph, sub-headings
included, as `nlp.analyze_articles` parses them).

Run:  python bench/speed.py [--articles 2000]
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/x.py` puts bench/ first on sys.path, where bench/numbers.py would shadow the standard
# library's `numbers` module: take it off before anything else is imported.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import gc
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsweave import Article, clean_paths
from newsweave.stories import group_stories
from newsweave.dossier.build import build_dossiers
from newsweave.outlets import article_id
from newsweave.nlp import SPACY_PACKAGE, load_pipeline
from newsweave.dossier.format import story_to_json

ROOT = Path(__file__).resolve().parent.parent


def corpus(n: int) -> list[list[Article]]:
    base = [r for r in clean_paths([str(ROOT / "examples" / d) for d in ("text", "html", "feeds")]) if isinstance(r, Article)]
    batches, made = [], 0
    rep = 0
    while made < n:
        batch = []
        for a in base[: n - made]:
            outlet = f"{a.outlet} {rep}" if rep else a.outlet
            batch.append(replace(a, outlet=outlet, id=article_id(outlet, a.text)))
        batches.append(batch)
        made += len(batch)
        rep += 1
    return batches


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    batches = corpus(args.articles)
    articles = [a for b in batches for a in b]
    texts = [t for a in articles for t in ([a.title] if a.title else []) + list(a.paragraphs)]  # what analyze parses
    words = sum(len(a.text.split()) for a in articles)

    import spacy

    bare = spacy.load(SPACY_PACKAGE)
    list(bare.pipe(texts[:50]))  # warm up
    start = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=64):
        pass
    bare_seconds = time.perf_counter() - start
    rss_bare = peak_rss_mb()
    del bare
    gc.collect()

    nlp = load_pipeline()
    list(nlp.pipe(texts[:50]))
    stages = {"group stories": 0.0, "dossiers": 0.0}
    start = time.perf_counter()
    stories = 0
    for batch in batches:
        t = time.perf_counter()
        groups = group_stories(batch)
        stages["group stories"] += time.perf_counter() - t
        t = time.perf_counter()
        for dossier in build_dossiers(groups, nlp=nlp):
            story_to_json(dossier)
            stories += 1
        stages["dossiers"] += time.perf_counter() - t
    analyze_seconds = time.perf_counter() - start

    table = Table(title=f"analyze on {len(articles):,} articles ({words:,} words, {stories} stories), one process")
    for column in ("pass", "seconds", "articles/s", "words/s", "vs bare spaCy"):
        table.add_column(column, justify="left" if column == "pass" else "right")
    table.add_row("bare spaCy nlp.pipe", f"{bare_seconds:.1f}", f"{len(articles) / bare_seconds:.0f}", f"{words / bare_seconds:,.0f}", "1.00x")
    table.add_row("newsweave analyze", f"{analyze_seconds:.1f}", f"{len(articles) / analyze_seconds:.0f}", f"{words / analyze_seconds:,.0f}",
                  f"{analyze_seconds / bare_seconds:.2f}x")
    for stage, seconds in stages.items():
        table.add_row(f"  of which {stage}", f"{seconds:.1f}", "", "", "")
    console = Console()
    console.print(table)
    console.print(f"peak memory (max RSS): {peak_rss_mb():.0f} MB (after the bare pass: {rss_bare:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
