"""Web latency: the story list, a story page, an article page and the API, on a store of 10k synthetic stories.

1. Builds a store of synthetic stories through the store API (`add`, `set_stories`, `save_dossier`):
   2-5 articles each from a pool of outlets, a dossier of the public JSON format per story (claims
   whose sentences are in the articles' text, a number conflict in a third of them, unique details,
   credits and copies), so pages render as they would for real coverage. No NLP is run.
2. Starts `newsweave.web.serve` on 127.0.0.1 in a subprocess (one uvicorn worker).
3. From a second process, sends a bounded load: `--requests` per endpoint, interleaved at random,
   `--concurrency` at a time, stopping at `--time-cap` seconds whatever is left. Only 127.0.0.1 is
   contacted (proxies from the environment are ignored).
4. Prints p50/p95/p99 latency per endpoint as a table. Target: story page p95 under 100 ms.

Run:  python bench/web.py [--stories 10000] [--requests 300] [--concurrency 4] [--time-cap 120] [--db PATH]
      (--db keeps the built store there and reuses it on the next run)
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/numbers.py would shadow the standard library's `numbers` (imported by statistics, decimal, rich).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import multiprocessing  # noqa: E402
import random  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from newsweave import Article, open_store  # noqa: E402
from newsweave.model import RemovedLine  # noqa: E402
from newsweave.outlets import article_id  # noqa: E402

TARGET_STORY_P95_MS = 100
OUTLETS = [f"The {town} {kind}" for town in ("Harbor", "Valley", "Northgate", "Pinewood", "Eastbank", "Meridian", "Atlas", "Coastline")
           for kind in ("Ledger", "Sentinel", "Daily", "Post", "Courier")]
PLACES = ["Lisbon", "Caracas", "Ankara", "Quito", "Alder Falls", "Port Elswick", "Valparaíso", "Gdańsk", "Tromsø", "Mombasa",
          "Hobart", "Recife", "Da Nang", "Cork", "Tbilisi", "Oaxaca"]
EVENTS = ["strike", "flood", "election", "fire", "earthquake", "rail plan", "port closure", "protest", "budget vote", "storm"]
SUBJECTS = ["officials", "the mayor", "police", "the ministry", "residents", "the union", "rescuers", "analysts", "the council", "witnesses"]
VERBS = ["said", "confirmed", "reported", "warned", "estimated", "announced", "denied", "expected"]
OBJECTS = ["people were affected", "buildings were damaged", "ships were held in port", "votes were counted",
           "families were evacuated", "trains were cancelled", "workers joined the walkout", "roads were closed"]
DEBRIS = [("Advertisement", "ad placeholder"), ("Share this article", "share prompt"), ("© 2025 All rights reserved.", "copyright"),
          ("Sign up for our morning newsletter", "subscribe prompt")]


def synthetic_story(n: int, rng: random.Random) -> tuple[str, str, list[Article], dict]:
    """One story: its articles and its dossier (one story of the public JSON format)."""
    place, event = rng.choice(PLACES), rng.choice(EVENTS)
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(700))
    outlets = rng.sample(OUTLETS, rng.randint(2, 5))
    claims = []
    for c in range(rng.randint(10, 24)):
        number = rng.randint(2, 400)
        sentence = f"In {place}, {rng.choice(SUBJECTS)} {rng.choice(VERBS)} that {number} {rng.choice(OBJECTS)} ({n}-{c})."
        stating = rng.sample(range(len(outlets)), rng.randint(1, len(outlets)))
        claims.append((f"c{n:05d}{c:03d}", sentence, number, stating))
    conflicted = claims[0] if n % 3 == 0 and len(claims[0][3]) >= 2 else None
    articles, texts = [], []  # texts[i]: claim id -> the sentence article i states it in
    for i, outlet in enumerate(outlets):
        said: dict[str, str] = {}
        for claim_id, sentence, number, stating in claims:
            if i in stating:
                if conflicted and claim_id == conflicted[0] and i == conflicted[3][-1]:
                    sentence = sentence.replace(f" {number} ", f" {number + 7} ", 1)
                said[claim_id] = sentence
        sentences = list(said.values())
        paragraphs = [" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)] or [f"Coverage of the {event} in {place}."]
        text = "\n\n".join(paragraphs)
        title = f"{event.capitalize()} in {place}: {outlet} report {n}"
        published = start + timedelta(days=rng.randint(0, 3)) if rng.random() > 0.05 else None
        articles.append(Article(
            id=article_id(outlet, text), source=f"bench/{n}/{i}.txt", outlet=outlet, url=None, title=title, author=None,
            published=published, language="en", text=text,
            removed=tuple(RemovedLine(t, r) for t, r in rng.sample(DEBRIS, 2)), raw_hash=f"bench-{n}-{i}",
        ))
        texts.append(said)
    story_id = "s" + articles[0].id[:11]
    by_index = {i: a for i, a in enumerate(articles)}
    records = []
    for i, a in enumerate(articles):
        record = {"id": a.id, "source": a.source, "outlet": a.outlet, "url": None, "title": a.title, "author": None,
                  "published": a.published.isoformat() if a.published else None, "language": "en", "dateline": None,
                  "headings": [], "text": a.text, "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
                  "cites": [], "copy_of": None}
        if i and rng.random() < 0.5:
            record["cites"] = [{"source": outlets[0], "evidence": next(iter(texts[i].values()), a.text[:80]), "cue": "reported"}]
        if i and rng.random() < 0.15:
            record["copy_of"] = {"article": articles[0].id, "kind": "partial", "similarity": round(rng.uniform(0.4, 0.9), 2)}
        records.append(record)
    claim_records, conflicts, unique = [], [], []
    for claim_id, sentence, number, stating in claims:
        mentions = []
        for i in stating:
            said = texts[i][claim_id]
            mentions.append({"article": by_index[i].id, "sentence": said, "text": said, "index": 0, "origin": outlets[i]})
        disputed = conflicted is not None and claim_id == conflicted[0]
        claim_records.append({
            "id": claim_id, "text": sentence, "mentions": mentions,
            "origins": [{"source": outlets[i], "articles": [by_index[i].id], "via": ["own reporting"]} for i in stating],
            "independent_sources": len(stating), "outlets": len(stating),
            "status": "disputed" if disputed else "corroborated" if len(stating) > 1 else "single-source",
            "unique": len(stating) == 1, "variants": [],
        })
        if disputed:
            odd = conflicted[3][-1]
            same = [i for i in stating if i != odd]
            conflicts.append({"claim": claim_id, "kind": "number", "explanation": f"{number} vs {number + 7}", "values": [
                {"value": f"{number} {sentence.split(f' {number} ')[1].split(' ')[0]}", "articles": [by_index[i].id for i in same],
                 "evidence": [m["sentence"] for m in mentions if m["article"] != by_index[odd].id]},
                {"value": f"{number + 7} {sentence.split(f' {number} ')[1].split(' ')[0]}", "articles": [by_index[odd].id],
                 "evidence": [m["sentence"] for m in mentions if m["article"] == by_index[odd].id]},
            ]})
        if len(stating) == 1:
            a = by_index[stating[0]]
            unique.append({"claim": claim_id, "article": a.id, "outlet": a.outlet, "text": sentence, "sentence": sentence})
    dates = sorted(a.published.isoformat() for a in articles if a.published)
    dossier = {
        "id": story_id, "headline": articles[0].title, "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None, "outlets": sorted(outlets),
        "independent_sources": len(outlets), "articles": records, "claims": claim_records, "conflicts": conflicts,
        "unique_details": unique,
    }
    return story_id, articles[0].title, articles, dossier


def build_store(db: str, stories: int, console: Console) -> None:
    store = open_store(db)
    have = len(store.stories(limit=stories))
    if have >= stories:
        console.print(f"reusing {db}: {have} stories")
        return
    rng = random.Random(5)
    started = time.perf_counter()
    groups, dossiers = [], []
    for n in range(stories):
        story_id, headline, articles, dossier = synthetic_story(n, rng)
        for article in articles:
            store.add(article)
        groups.append((story_id, headline, articles))
        dossiers.append(dossier)
    added = time.perf_counter()
    store.set_stories(groups)
    for dossier in dossiers:
        store.save_dossier(dossier["id"], dossier)
    console.print(f"built {stories} stories, {store.count()} articles in {time.perf_counter() - started:.0f} s "
                  f"(articles {added - started:.0f} s, stories and dossiers {time.perf_counter() - added:.0f} s) → {db}")
    store.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int, log: Path) -> subprocess.Popen:
    """`newsweave serve`'s app in its own process; its output goes to a file (a pipe nobody reads could fill and stall it)."""
    code = (f"from newsweave.web import create_app, serve; "
            f"serve(create_app({db!r}, token='bench', open_reads=True), host='127.0.0.1', port={port})")
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT)


def drive(base: str, plan: list[tuple[str, str]], concurrency: int, time_cap: float, results) -> None:  # noqa: ANN001
    """The load, in its own process: `plan` is (endpoint, path) pairs, sent `concurrency` at a time."""
    import httpx

    deadline = time.monotonic() + time_cap
    lock = threading.Lock()
    queue = list(reversed(plan))
    timings: dict[str, list[float]] = {}
    errors: dict[str, int] = {}

    def worker() -> None:
        with httpx.Client(base_url=base, trust_env=False, timeout=30) as client:
            while time.monotonic() < deadline:
                with lock:
                    if not queue:
                        return
                    endpoint, path = queue.pop()
                began = time.perf_counter()
                try:
                    ok = client.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    timings.setdefault(endpoint, []).append(elapsed)
                    if not ok:
                        errors[endpoint] = errors.get(endpoint, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put({"timings": timings, "errors": errors, "seconds": time.monotonic() - started, "left": len(queue)})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--time-cap", type=float, default=120.0, help="seconds of load at most")
    parser.add_argument("--db", help="where to build (and later reuse) the store; a temporary file by default")
    args = parser.parse_args()
    console = Console(width=None if sys.stdout.isatty() else 110)
    folder = tempfile.TemporaryDirectory(prefix="newsweave-bench-web-")
    db = args.db or str(Path(folder.name) / "bench.db")
    build_store(db, args.stories, console)

    store = open_store(db)
    rng = random.Random(7)
    summaries = store.stories()
    story_ids = [s.id for s in summaries]
    article_ids = [a.id for a in store.articles(limit=5000)]
    store.close()
    pages = max(1, len(story_ids) // 50)
    endpoints = {
        "story list  /": lambda: "/" if rng.random() < 0.5 else f"/?offset={50 * rng.randrange(min(pages, 40))}",
        "search  /?q=": lambda: f"/?q={rng.choice(PLACES).split()[0]}+{rng.choice(EVENTS).split()[0]}",
        "story page  /stories/{id}": lambda: f"/stories/{rng.choice(story_ids)}",
        "article page  /articles/{id}": lambda: f"/articles/{rng.choice(article_ids)}",
        "API list  /api/stories": lambda: f"/api/stories?limit=50&offset={50 * rng.randrange(min(pages, 40))}",
        "API story  /api/stories/{id}": lambda: f"/api/stories/{rng.choice(story_ids)}",
    }
    plan = [(name, make()) for name, make in endpoints.items() for _ in range(args.requests)]
    rng.shuffle(plan)

    port = free_port()
    server_log = Path(folder.name) / "server.log"
    server = start_server(db, port, server_log)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/", trust_env=False, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{server_log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        for make in endpoints.values():  # warm each route once (template compilation, first queries)
            httpx.get(base + make(), trust_env=False, timeout=30)
        spawn = multiprocessing.get_context("spawn")
        results = spawn.Queue()
        driver = spawn.Process(target=drive, args=(base, plan, args.concurrency, args.time_cap, results))
        driver.start()
        outcome = results.get()
        driver.join()
    finally:
        server.terminate()
        server.wait(timeout=10)
        folder.cleanup()

    table = Table(title=f"newsweave web latency: {len(story_ids):,} stories, {args.concurrency} concurrent clients, one uvicorn worker")
    for column in ("endpoint", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms"):
        table.add_column(column, justify="left" if column == "endpoint" else "right", no_wrap=True)
    for name in endpoints:
        values = outcome["timings"].get(name, [])
        if not values:
            table.add_row(name, "0", "", "", "", "", "")
            continue
        table.add_row(name, str(len(values)), str(outcome["errors"].get(name, 0)), f"{statistics.median(values):.1f}",
                      f"{percentile(values, 95):.1f}", f"{percentile(values, 99):.1f}", f"{max(values):.1f}")
    console.print(table)
    total = sum(len(v) for v in outcome["timings"].values())
    console.print(f"{total} requests in {outcome['seconds']:.1f} s ({total / outcome['seconds']:.0f}/s)"
                  + (f"; {outcome['left']} not sent: the {args.time_cap:.0f} s cap was reached" if outcome["left"] else ""))
    story = outcome["timings"].get("story page  /stories/{id}", [])
    if story:
        p95 = percentile(story, 95)
        verdict = "met" if p95 < TARGET_STORY_P95_MS else "MISSED"
        console.print(f"story page p95 {p95:.1f} ms: target < {TARGET_STORY_P95_MS} ms {verdict}")


if __name__ == "__main__":
    main()
