"""Fit the reference document frequencies the story clusterer weighs terms with (`newsweave/stories/reference_df.json`).

The clusterer weighs an article's terms by tf-idf, the document frequencies counted over the articles it is given.
Over a batch of a few articles of one event every term of the event is in every article, so its weight is nil,
and the articles' likeness rests on the words they do not share: one event's coverage, analysed alone, fell apart
into several stories (ECB+ dev: 5 of 16 events one story; gun violence held-out half: 0.718). The clusterer now
counts a reference corpus in as well, worth `vectors.REFERENCE_ARTICLES` articles: what is common in news ("police",
"said", "Tuesday") weighs little however few articles there are. This script counts it: the terms (as
`stories.features.text_features` makes them, per channel) of ECB+'s train topics and gun-violence half A, the fit
parts (`bench/cluster.py`'s halves), keeping the terms in at least `MIN_ARTICLES` of them.

Run:  .venv/bin/python bench/fit_reference_df.py [--data ../shared/data] [--write]
"""

from __future__ import annotations

import sys
from pathlib import Path

_BENCH = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(_BENCH)] + [_BENCH]

import argparse  # noqa: E402
import json  # noqa: E402
from collections import Counter  # noqa: E402

from newsweave.ingest.dump import read_dump  # noqa: E402
from newsweave.stories.features import text_features  # noqa: E402
from newsweave.stories.vectors import REFERENCE_FILE, keys_of  # noqa: E402

MIN_ARTICLES = 3  # a term in fewer of the reference articles is left out: to the clusterer, as rare as unseen
DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def fit_part(data: Path):  # noqa: ANN201 - an iterator of ArticleFeatures
    """The features of the fit parts' articles: ECB+ train topics, gun-violence incidents of half A."""
    from cluster import half  # bench/cluster.py's split of the gun-violence incidents

    ecb = data / "ecbplus" / "docs.jsonl"
    split = {(r := json.loads(line))["doc_id"]: r["split"] for line in ecb.open(encoding="utf-8")}
    for record in read_dump(str(ecb), "doc_id", "text"):
        if split[record.id] == "train" and record.text:
            yield text_features(record.id, record.text, title=None, published=None)
    gv = data / "gunviolence" / "articles.jsonl"
    incident: dict[str, str] = {}
    for line in gv.open(encoding="utf-8"):
        r = json.loads(line)
        incident.setdefault(str(r["doc_id"]), str(r["incident_id"]))
    seen: set[str] = set()
    for record in read_dump(str(gv), "doc_id", "content", title_field="title", date_field="dct"):
        if record.id not in seen and half(incident[record.id]) and (record.text or record.title):
            seen.add(record.id)
            yield text_features(record.id, record.text, title=record.title or None, published=record.published)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write", action="store_true", help=f"save the table to newsweave/stories/{REFERENCE_FILE}")
    args = parser.parse_args()
    df: Counter[str] = Counter()
    n = 0
    for f in fit_part(args.data):
        n += 1
        df.update(list(keys_of(f)))
    kept = {term: count for term, count in sorted(df.items()) if count >= MIN_ARTICLES}
    print(f"{n:,} articles, {len(df):,} terms, {len(kept):,} in {MIN_ARTICLES}+ of them")
    if args.write:
        path = Path(__file__).resolve().parents[1] / "newsweave" / "stories" / REFERENCE_FILE
        record = {"fitted_by": "bench/fit_reference_df.py", "data": "ECB+ train topics and gun-violence half A",
                  "articles": n, "min_articles": MIN_ARTICLES, "df": kept}
        path.write_text(json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
