"""Story clustering: quality on two real corpora, speed and memory at 10k, 100k and 1M articles.

Quality (B-cubed and pairwise precision/recall/F1, the number of stories never given to the algorithm):
- ECB+ (`../shared/data/ecbplus/docs.jsonl`, gold story = `subtopic`): 33 topics, each two look-alike
  events (two rehab check-ins, two earthquakes). No publication dates.
- Gun-violence news (`../shared/data/gunviolence/articles.jsonl`, gold story = `incident_id`): every
  story is a shooting; dated by `dct`. 5 document ids appear under two incidents: the first is scored.
Both run through `newsweave.stories.cluster_texts` over `ingest.dump.read_dump`, the code behind `newsweave cluster`, so the numbers
are the product's. Baselines: every article alone, and tf-idf + average-link (threshold 0.18, 14-day
window: the grouping newsweave had before the incremental clusterer). ECB+ is undated: its records are
clustered longest first (`stories.batch.stream_order`); "other orders" feeds them in 10 random orders with the
ids renamed at random and gives the mean (and the range of F1, its low end the worst): how much of a result
rides on the ids and the order (nothing since 2026-12-08; in id order it was 0.951, mean 0.924, worst 0.901).
"each story analysed alone" clusters every gold story of 2+ articles by itself, as a user pastes one event's
coverage, and gives the share that comes out as one story (in the P column) and the stories they make. "joining at" rows are other join thresholds (`newsweave
cluster --join-score`): precision against recall. "without the cohesion split test" keeps only the first
split test (`ClusterSettings(split_cohesion=None)`): what the second one gives. "without follow-ups" never reopens
a closed story (`ClusterSettings(follow_up_days=None)`): what linking arrests and trials weeks later to their
story gives (dated corpora only: ECB+'s stories never close); "without young follow-ups" never merges a story of
a few articles into the closed story its newest article follows up (`ClusterSettings(young_follow_up_size=None)`).
"without stragglers" never merges into a story
that grows the small stories whose articles would now join it (`ClusterSettings(straggler_size=None)`).
"no blocking" scores every open
story instead of the LSH candidates (what blocking costs). "fit half / other half": the join model
(`newsweave/join_model.json`, made by bench/fit_join_model.py) and the join threshold were fitted on ECB+'s
train topics and half of the gun-violence incidents, the follow-up model (`follow_up_model.json`) on that
gun-violence half; the other half is held out.

Scale: synthetic feature records made here (3,000 articles a day, stories of 1 to 60 articles with a
geometric size, Zipf vocabulary and names, 300 kinds of event sharing their words), clustered in a fresh
process per size through `StoryClusterer.add_stream`: the articles' unit vectors and MinHash band keys are
made by a second process (the document frequencies counted there) while the first scores, joins, closes and
splits, as `newsweave cluster` and a large ingest run. Only the clustering is timed: the time spent making
the records is taken out of it. Peak memory is the two processes' peak RSS, each less the RSS of the first
before clustering began. `--one-process` times `StoryClusterer.add` one article at a time instead. The cost per article rises while the open window
fills (its first 21 days, ~63,000 articles: more open stories to find and score), so the table's first
tenth of the 10k and 100k runs is a warm-up; the tenths printed under the table show where it levels off.

The product path: the gun-violence articles ingested 300 at a time into a fresh SQLite store, oldest
first; after each ingest, `regroup_stories` (load the saved clusterer state, cluster the new articles,
save stories and state: what `update_stories` does before dossiers) is timed next to regrouping every
stored article, as newsweave did before the store kept the state (~1 minute); the caption scores the stories the
store ends with, ingest by ingest, against one batch of every article.

Run:  .venv/bin/python bench/cluster.py [--quick] [--one-process] [--data ../shared/data]
      --quick stops the scale table at 100k (~2 minutes); the full run, with 1M, takes ~35 minutes on
      this 2-core machine (17 of them the 1M: 14 clustering, 3 making its records).
"""

from __future__ import annotations

import os
import sys

# bench/ holds numbers.py, which would shadow the standard library's `numbers`: take this folder off the path
if sys.path and os.path.realpath(sys.path[0]) == os.path.dirname(os.path.realpath(__file__)):
    del sys.path[0]

import argparse
import hashlib
import json
import re
import resource
import subprocess
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

from newsweave.ingest.dump import read_dump  # noqa: E402
from newsweave.model import ArticleFeatures  # noqa: E402
from newsweave.stories import ClusterSettings, StoryClusterer, cluster_texts  # noqa: E402
from newsweave.stories.join_model import shipped as shipped_join_model  # noqa: E402

SCALES = (10_000, 100_000, 1_000_000)
PER_DAY = 3_000  # a large newsroom's daily intake
BASELINE_SIMILARITY = 0.18
BASELINE_WINDOW = 14
ORDERS = 10  # other orders the undated corpus (ECB+) is fed in
JOIN_TRADE_OFF = (0.30, 0.50)  # other join thresholds shown: precision against recall


# --- scores -----------------------------------------------------------------------------------------


def scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """B-cubed and pairwise precision, recall and F1 of `pred` against `gold` (same keys)."""
    ids = list(gold)
    pc: dict[str, set[str]] = defaultdict(set)
    gc: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = r = 0.0
    for i in ids:
        common = len(pc[pred[i]] & gc[gold[i]])
        p += common / len(pc[pred[i]])
        r += common / len(gc[gold[i]])
    p, r = p / len(ids), r / len(ids)
    pairs = lambda groups: sum(len(g) * (len(g) - 1) // 2 for g in groups)  # noqa: E731
    both = pairs(set(m) for g in pc.values() for m in _split(g, gold))
    pred_pairs, gold_pairs = pairs(pc.values()), pairs(gc.values())
    pp = both / pred_pairs if pred_pairs else 1.0
    pr = both / gold_pairs if gold_pairs else 1.0
    return {"P": p, "R": r, "F1": _f1(p, r), "pair F1": _f1(pp, pr), "stories": len(pc), "gold": len(gc)}


def _split(group: set[str], gold: dict[str, str]) -> list[list[str]]:
    parts: dict[str, list[str]] = defaultdict(list)
    for i in group:
        parts[gold[i]].append(i)
    return list(parts.values())


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# --- corpora ----------------------------------------------------------------------------------------


def read_corpus(path: Path, id_field: str, gold_field: str) -> tuple[dict[str, str], list[dict]]:
    gold: dict[str, str] = {}
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            records.append(record)
            gold.setdefault(str(record[id_field]), str(record[gold_field]))
    return gold, records


def run_product(path: Path, fields: dict, settings: ClusterSettings = ClusterSettings()) -> dict[str, str]:
    pred: dict[str, str] = {}
    for rid, story in cluster_texts(read_dump(str(path), **fields), settings):
        pred.setdefault(rid, story)
    return pred


def average_link(records: list[dict], id_field: str, text_field: str, title_field: str | None, date_field: str | None) -> dict[str, str]:
    """The old batch grouping: tf-idf (names doubled), cosine, average link cut at 0.18, a 14-day window."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    names = re.compile(r"\b[A-Z][\w'’-]*[A-Za-z0-9](?:\s+[A-Z][\w'’-]*[A-Za-z0-9])*|\b\d[\d,.]*\b")

    seen: dict[str, dict] = {}
    for r in records:
        seen.setdefault(str(r[id_field]), r)
    ids = list(seen)
    texts = []
    for i in ids:
        r = seen[i]
        title = (r.get(title_field) or "") if title_field else ""
        body = r.get(text_field) or ""
        found = " ".join("_".join(m.group(0).lower().split()) for m in names.finditer(body))
        texts.append(f"{title} {title} {body} {found} {found}")
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True, token_pattern=r"(?u)\b\w[\w_]+\b").fit_transform(texts)
    similarity = np.clip((matrix @ matrix.T).toarray(), 0.0, 1.0)
    if date_field:
        days = np.array([date.fromisoformat(seen[i][date_field][:10]).toordinal() for i in ids])
        similarity[np.abs(days[:, None] - days[None, :]) > BASELINE_WINDOW] = 0.0
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    labels = fcluster(linkage(squareform(distance, checks=False), method="average"), t=1.0 - BASELINE_SIMILARITY, criterion="distance")
    return {i: str(label) for i, label in zip(ids, labels)}


def half(value: str) -> bool:
    return int(hashlib.md5(value.encode()).hexdigest(), 16) % 2 == 0


def quality(data: Path, core: bool = False) -> list[tuple[str, list[tuple[str, dict]]]]:
    """Each corpus's table; `core`: only the shipped setting and, for ECB+, the other orders (the quality gate's
    figures)."""
    out = []
    corpora = [
        ("ECB+", data / "ecbplus" / "docs.jsonl", "doc_id", "subtopic", {"id_field": "doc_id", "text_field": "text"},
         lambda r: r["split"] == "train", "train topics", "dev topics"),
        ("gun violence", data / "gunviolence" / "articles.jsonl", "doc_id", "incident_id",
         {"id_field": "doc_id", "text_field": "content", "title_field": "title", "date_field": "dct"},
         lambda r: half(str(r["incident_id"])), "half A", "half B"),
    ]
    for name, path, id_field, gold_field, fields, in_fit, fit_name, other_name in corpora:
        gold, records = read_corpus(path, id_field, gold_field)
        rows = []
        t = time.perf_counter()
        pred = run_product(path, fields)
        seconds = time.perf_counter() - t
        row = scores(pred, gold)
        row["seconds"] = seconds
        rows.append(("newsweave (shipped setting)", row))
        rows.append(("  each story analysed alone: one story (share)", alone(path, fields, gold)))
        if core:
            if "date_field" not in fields:
                rows.append((f"  {ORDERS} other orders (ids renamed at random): mean", _shuffled(records, fields, gold)))
            out.append((name, rows))
            continue
        rows.append(("  no blocking (every open story scored)", scores(run_product(path, fields, ClusterSettings(blocking=False)), gold)))
        rows.append(("  without the cohesion split test", scores(run_product(path, fields, ClusterSettings(split_cohesion=None)), gold)))
        rows.append(("  without stragglers (first reports alone stay alone)", scores(run_product(path, fields, ClusterSettings(straggler_size=None)), gold)))
        if "date_field" in fields:  # undated stories never close, so follow-ups change nothing there
            rows.append(("  without follow-ups (closed stories never reopen)",
                         scores(run_product(path, fields, ClusterSettings(follow_up_days=None)), gold)))
            rows.append(("  without young follow-ups (a young story never merges into a closed one)",
                         scores(run_product(path, fields, ClusterSettings(young_follow_up_size=None)), gold)))
        for join in JOIN_TRADE_OFF:
            rows.append((f"  joining at {join:.2f} (--join-score)", scores(run_product(path, fields, ClusterSettings(join_score=join)), gold)))
        for label, keep in ((f"  fit half ({fit_name})", in_fit), (f"  held-out half ({other_name})", lambda r, f=in_fit: not f(r))):
            subset = [r for r in records if keep(r)]
            sub_path = _write_temp(subset, name, label)
            sub_gold = {i: g for i, g in gold.items() if i in {str(r[id_field]) for r in subset}}
            rows.append((label, scores({i: s for i, s in run_product(sub_path, fields).items() if i in sub_gold}, sub_gold)))
            sub_path.unlink()
        # how much rides on the ids and the order the records come in (ECB+ undated: all of it once did; gun violence:
        # the order of one day's articles)
        rows.append((f"  {ORDERS} other orders (ids renamed at random): mean", _shuffled(records, fields, gold)))
        rows.append(("tf-idf average-link baseline", scores(average_link(records, fields["id_field"], fields["text_field"],
                                                                         fields.get("title_field"), fields.get("date_field")), gold)))
        rows.append(("every article alone", scores({i: i for i in gold}, gold)))
        out.append((f"{name}: {len(gold):,} articles, {len(set(gold.values())):,} stories (not given)", rows))
    return out


def alone(path: Path, fields: dict, gold: dict[str, str]) -> dict:
    """Each gold story of 2+ articles clustered on its own, as a user pastes one event's coverage: the share that
    comes out as one story ("P" holds it, so the table's first column reads it), and how many stories they make."""
    by_story: dict[str, list] = {}
    for record in read_dump(str(path), **fields):
        if record.id in gold:
            by_story.setdefault(gold[record.id], []).append(record)
    events = [records for records in by_story.values() if len({r.id for r in records}) > 1]
    made = [len(set(story for _, story in cluster_texts(records))) for records in events]
    one = sum(n == 1 for n in made)
    return {"P": one / len(events), "R": float("nan"), "F1": float("nan"), "pair F1": float("nan"), "stories": sum(made), "gold": len(events)}


def _shuffled(records: list[dict], fields: dict, gold: dict[str, str]) -> dict:
    """The mean scores over ORDERS runs, each with the ids given random prefixes and the records shuffled: the
    same records under other ids, in other orders. The label notes the range of F1 (its low end: the worst)."""
    import random

    id_field = fields["id_field"]
    runs = []
    for seed in range(ORDERS):
        rng = random.Random(seed)
        prefix = {i: f"{rng.random():.12f}:" for i in gold}
        renamed = [{**r, id_field: prefix[str(r[id_field])] + str(r[id_field])} for r in records]
        rng.shuffle(renamed)  # and fed in another order
        path = _write_temp(renamed, "ECB+", f"order {seed}")
        pred = run_product(path, fields)
        path.unlink()
        runs.append(scores({i: pred[prefix[i] + i] for i in gold}, gold))
    mean = {k: sum(r[k] for r in runs) / len(runs) for k in ("P", "R", "F1", "pair F1", "stories")}
    mean["stories"] = round(mean["stories"])
    mean["gold"] = runs[0]["gold"]
    mean["F1 range"] = (min(r["F1"] for r in runs), max(r["F1"] for r in runs))
    return mean


def _write_temp(records: list[dict], corpus: str, label: str) -> Path:
    import tempfile

    handle = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8")
    with handle:
        for r in records:
            handle.write(json.dumps(r) + "\n")
    return Path(handle.name)


# --- synthetic scale --------------------------------------------------------------------------------


def synthetic(n: int, per_day: int = PER_DAY, seed: int = 7) -> Iterator[tuple[int, ArticleFeatures]]:
    """(story, features) for n articles in date order: most stories one article, some up to 60, over days."""
    import numpy as np

    rng = np.random.default_rng(seed)
    vocabulary, pool, kinds = 60_000, 500_000, 300
    words = [f"w{i}" for i in range(vocabulary)]
    names = [f"n{i}" for i in range(pool)]
    kind_words = rng.integers(0, vocabulary, size=(kinds, 150))
    start = date(2024, 1, 1)
    pending: dict[int, list] = {}
    made = day = story = 0

    def zipf(a: float, size: int, top: int):
        return np.minimum(rng.zipf(a, size) - 1, top - 1)

    while made < n:
        today = pending.pop(day, [])
        need = per_day - len(today)
        while need > 0:  # new stories until the day's intake is met
            size = int(min(rng.geometric(0.45), 60))
            own_names = zipf(1.3, 6, pool) if rng.random() < 0.5 else rng.integers(0, pool, 6)  # famous or local
            event = start + timedelta(days=day - int(rng.integers(0, 2)))
            item = (story, int(rng.integers(kinds)), own_names, rng.integers(0, vocabulary, 40), rng.integers(1, 500, 3), event)
            for k in range(size):
                later = day + (int(min(rng.geometric(0.5) - 1, 10)) if k else 0)
                (today if later == day else pending.setdefault(later, [])).append(item)
            need -= size
            story += 1
        for sid, kind, own_names, own_words, own_numbers, event in today:
            if made >= n:
                break
            w = np.concatenate([zipf(1.1, 70, vocabulary), kind_words[kind][rng.integers(0, 150, 25)], own_words[rng.integers(0, 40, 25)]])
            wi, wc = np.unique(w, return_counts=True)
            nm = np.concatenate([own_names[rng.integers(0, 6, 8)], zipf(1.2, 6, pool)])
            ni, nc = np.unique(nm, return_counts=True)
            nu = np.concatenate([own_numbers[rng.integers(0, 3, 2)], rng.integers(1, 30, 2)])
            ui, uc = np.unique(nu, return_counts=True)
            named = Counter({names[i]: int(c) for i, c in zip(ni, nc)})
            named.update(f"{names[a]} {names[b]}" for a, b in zip(own_names[:2], own_names[1:3]))  # a famous name can pair with itself twice
            yield sid, ArticleFeatures(
                id=f"a{made}", published=start + timedelta(days=day), title=f"story {sid}", lede="",
                words=tuple((words[i], int(c)) for i, c in zip(wi, wc)),
                names=tuple(sorted(named.items())),
                numbers=tuple((str(int(u)), int(c)) for u, c in zip(ui, uc)),
                dates=(event,) if rng.random() < 0.6 else (),
                lede_words=tuple(sorted({words[i] for i in w[:8]} | {words[i] for i in w[70:78]})),
            )
            made += 1
        day += 1


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def scale_child(n: int, one_process: bool = False) -> dict:
    """Cluster n synthetic articles in this process (`StoryClusterer.add_stream`: vectors made by a second process,
    unless `one_process`); time the clustering only (making the synthetic features is left out), in ten slices."""
    import gc

    clusterer = StoryClusterer()
    gold: dict[str, int] = {}
    base = _rss_mb()
    slices = [0.0] * 10
    slice_size = max(n // 10, 1)
    sample = n <= 100_000
    making = 0.0  # seconds spent making features since the last article came out

    def source() -> Iterator[ArticleFeatures]:
        nonlocal making
        made = synthetic(n)
        while True:
            t = time.perf_counter()
            item = next(made, None)
            making += time.perf_counter() - t
            if item is None:
                return
            if sample:
                gold[item[1].id] = item[0]
            yield item[1]

    last = time.perf_counter()
    for i, _ in enumerate(clusterer.add_stream(source(), background=not one_process)):
        now = time.perf_counter()
        slices[min(i // slice_size, 9)] += now - last - making
        last, making = now, 0.0
    slices[9] += time.perf_counter() - last - making  # the stream's end: the background's frequencies come back
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    if not one_process:  # the background process, joined: its own peak, less what it shares with this one at the start
        peak += max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 - base, 0.0)
    result = {
        "n": n, "seconds": sum(slices), "slices_us": [s / slice_size * 1e6 for s in slices], "peak_mb": peak,
        "open_articles": len(clusterer.open_articles()), "stories": len(clusterer),
        "days": (clusterer.now - date(2024, 1, 1)).days + 1 if clusterer.now else 0,
    }
    if sample:
        result["f1"] = scores({a: s for a, s in clusterer.assignments().items()}, {a: str(s) for a, s in gold.items()})["F1"]
    return result


# --- the product path: a store that grows ingest by ingest ------------------------------------------


STORE_CHUNK = 300  # articles per ingest


def store_growth(data: Path, chunk: int = STORE_CHUNK) -> list[dict]:
    """The gun-violence articles ingested into a fresh SQLite store `chunk` at a time, oldest first; after
    each ingest, the time of `regroup_stories` (what `update_stories` runs before dossiers: load the saved
    clusterer state, cluster the new articles, save stories and state) and of regrouping every stored
    article as newsweave did before the state was kept (`group_stories` over `all_articles`, no writes)."""
    import tempfile

    from newsweave.stories import group_stories
    from newsweave.model import Article
    from newsweave.outlets import article_id
    from newsweave.pipeline import regroup_stories
    from newsweave.store import open_store

    records: dict[str, dict] = {}
    with (data / "gunviolence" / "articles.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            text = (r.get("content") or "").strip() or (r.get("title") or "").strip()
            if text:
                records.setdefault(r["doc_id"], r | {"content": text})
    ordered = sorted(records.values(), key=lambda r: (r["dct"][:10], r["doc_id"]))
    rows: list[dict] = []
    doc_of: dict[str, str] = {}  # stored article id -> the record's doc id
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "growth.db"))
        for start in range(0, len(ordered), chunk):
            for r in ordered[start : start + chunk]:
                outlet = r["uri"].split("/")[2] if r.get("uri", "").count("/") > 2 else None
                doc_of[article_id(outlet, r["doc_id"] + r["content"])] = r["doc_id"]
                store.add(Article(id=article_id(outlet, r["doc_id"] + r["content"]), source=r["uri"] or r["doc_id"], outlet=outlet,
                                  url=r.get("uri"), title=r.get("title"), author=None, published=date.fromisoformat(r["dct"][:10]),
                                  language="en", text=r["content"]))
            t = time.perf_counter()
            regroup_stories(store)
            incremental = time.perf_counter() - t
            t = time.perf_counter()
            group_stories(store.all_articles())
            full = time.perf_counter() - t
            rows.append({"stored": store.count(), "new": min(chunk, len(ordered) - start), "incremental": incremental, "full": full})
        gold = {r["doc_id"]: str(r["incident_id"]) for r in ordered}
        stored = {doc_of[a.id]: store.story_of(a.id) or a.id for a in store.all_articles()}
        batch = {doc_of[a.id]: g.id for g in group_stories(store.all_articles()) for a in g.articles}
        rows.append({"quality": {"ingest by ingest": scores(stored, gold), "one batch of every article": scores(batch, gold)}})
        store.close()
    return rows


# --- output -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="stop the scale table at 100k articles")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding ecbplus/ and gunviolence/")
    parser.add_argument("--one-process", action="store_true",
                        help="scale table: cluster in one process (StoryClusterer.add), without the background process")
    parser.add_argument("--scale-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--core", action="store_true", help="the quality tables' shipped-setting rows only (the quality gate's figures)")
    parser.add_argument("--json", type=Path, default=None, help="also write the quality figures to this file")
    args = parser.parse_args()
    if args.scale_child:
        print(json.dumps(scale_child(args.scale_child, args.one_process)))
        return 0

    import logging

    from rich.console import Console
    from rich.table import Table

    logging.getLogger("newsweave.stories").setLevel(logging.ERROR)  # records with no text: counted in the tables, not listed
    console = Console(width=max(Console().width, 150))  # wide enough for the tables when written to a file
    needed = [args.data / "ecbplus" / "docs.jsonl", args.data / "gunviolence" / "articles.jsonl"]
    missing = [str(p) for p in needed if not p.exists()]
    if missing:
        console.print(f"[bold red]error:[/] benchmark data not found: {', '.join(missing)}\n"
                      f"Put the shared corpora at {DEFAULT_DATA} (see shared/data/README.md) or pass --data FOLDER.")
        return 2

    s = ClusterSettings()
    about = shipped_join_model().about
    console.print(f"setting (one for both corpora): the join model fitted on {' and '.join(about.get('fitted_on', ['?']))} "
                  f"({about.get('rows', '?'):,} rows), join at probability {s.join_score}, window {s.window_days} days; "
                  f"LSH {s.bands} bands x {s.rows} row over {s.block_keys} keys, at most {s.max_candidates} candidate stories")
    tables = quality(args.data, core=args.core)
    if args.json:
        args.json.write_text(json.dumps({title.split(":")[0]: dict(rows) for title, rows in tables}, indent=1, default=str) + "\n",
                             encoding="utf-8")
    for title, rows in tables:
        table = Table(title=title)
        for column in ("system", "B3 P", "B3 R", "B3 F1", "pairwise F1", "stories"):
            table.add_column(column, justify="left" if column == "system" else "right")
        for label, row in rows:
            if "F1 range" in row:
                label += " (F1 {:.3f}-{:.3f})".format(*row["F1 range"])
            table.add_row(label, f"{row['P']:.3f}", f"{row['R']:.3f}", f"[bold]{row['F1']:.3f}[/]", f"{row['pair F1']:.3f}",
                          f"{row['stories']:,} / {row['gold']:,}")
        console.print(table)
    if args.core:
        return 0

    table = Table(title=f"the product path: gun-violence articles ingested {STORE_CHUNK} at a time into a SQLite store, oldest first")
    for column in ("articles stored", "new", "update (saved state), s", "ms per new article", "regroup everything (before), s"):
        table.add_column(column, justify="right")
    grown = store_growth(args.data)
    for r in grown[:-1]:
        table.add_row(f"{r['stored']:,}", str(r["new"]), f"{r['incremental']:.2f}", f"{r['incremental'] / r['new'] * 1000:.1f}", f"{r['full']:.2f}")
    table.caption = "stories at the end, against the incidents: " + "; ".join(
        f"{how} B-cubed F1 {row['F1']:.3f} (P {row['P']:.3f}, R {row['R']:.3f}, {row['stories']:,} stories)" for how, row in grown[-1]["quality"].items())
    console.print(table)

    sizes = SCALES[:2] if args.quick else SCALES
    how = ("one process (StoryClusterer.add)" if args.one_process else
           "two processes (StoryClusterer.add_stream: vectors and MinHash made by a second process)")
    table = Table(title=f"clustering alone, {how}, synthetic features, {PER_DAY:,} articles a day")
    for column in ("articles", "days", "seconds", "articles/s", "us/article first 10%", "us/article last 10%",
                   "open articles (index)", "stories", "peak memory MB" + ("" if args.one_process else " (both)"), "F1 (synthetic)"):
        table.add_column(column, justify="right")
    tenths = []
    for n in sizes:
        console.print(f"clustering {n:,} synthetic articles ...")
        command = [sys.executable, __file__, "--scale-child", str(n), *(["--one-process"] if args.one_process else [])]
        child = subprocess.run(command, capture_output=True, text=True, check=True)
        r = json.loads(child.stdout.strip().splitlines()[-1])
        tenths.append(f"{n:,}: " + " ".join(f"{v:.0f}" for v in r["slices_us"]))
        table.add_row(f"{n:,}", str(r["days"]), f"{r['seconds']:.1f}", f"{n / r['seconds']:,.0f}", f"{r['slices_us'][0]:.0f}",
                      f"{r['slices_us'][-1]:.0f}", f"{r['open_articles']:,}", f"{r['stories']:,}", f"{r['peak_mb']:,.0f}",
                      f"{r['f1']:.3f}" if "f1" in r else "-")
    console.print(table)
    full = (s.window_days + s.grace_days) * PER_DAY
    console.print(f"us per article in each tenth of the stream (the open window, {s.window_days + s.grace_days} days or ~{full:,} articles, "
                  f"is full from ~{full:,} articles on: compare the tenths after that)")
    for line in tenths:
        console.print(f"  {line}")
    if args.quick:
        console.print("--quick: the 1M row is left out; run without --quick for it (~20 minutes on 2 cores).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
