"""Speed and memory of `analyze` on real articles, next to a bare spaCy pass over the same paragraphs.

Four tables, from one command:

1. **One core, by stage.** N real gun-violence articles (`../shared/data/gunviolence`, default 600) go through
   what `newsweave analyze` does, in this process and in its order: read, clean and store (`ingest`), clustering
   (`regroup_stories`), language analysis (`analyze_articles`: spaCy with newsweave's components, then entities,
   numbers, tolls and attributions of each sentence), the story-level steps of each dossier (sources and
   provenance, claim alignment, comparison, key facts), rendering the JSON and storing it. Next to it, the bare
   spaCy pass: `nlp.pipe` of the stock pipeline over the same texts (each headline and every paragraph, as
   `analyze_articles` parses them). The ratio of the two is the cost of everything newsweave adds.
2. **Cores.** The same articles through `newsweave batch`'s local engine (`run_batch`: reading, cleaning, the
   analysis and the dossiers on worker processes, each loading the models once) with 1, 2 and all cores, each
   into a fresh store: elapsed time, throughput, the speed-up over one worker, and the peak memory of the
   largest worker and of the driver.
3. **Growth.** One synthetic story of 20 and one of 200 real articles (the first of the analysed articles,
   all shootings), the story-level steps timed alone: a story ten times larger must cost well under 100 times
   as much.
4. **First output.** `newsweave analyze` on three example articles in a fresh process, into a fresh store:
   the time to its first line of output, next to the time a fresh process takes to load the spaCy pipeline.

`--corpus examples` is the quick smoke mode: the bundled example corpus repeated to N articles (no
`../shared` needed). The time splits are measured by wrapping the library's functions here; the product
runs unwrapped.

Run:  python bench/speed.py [--corpus gunviolence|examples] [--articles 600] [--cores 1,2,all] [--skip cores,growth,first]
"""

from __future__ import annotations

import sys
from pathlib import Path

# `python bench/x.py` puts bench/ first on sys.path, where bench/numbers.py would shadow the standard
# library's `numbers` module: take it off before anything else is imported.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import date  # noqa: E402
from functools import wraps  # noqa: E402

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsweave import Article, clean_paths, open_store  # noqa: E402
from newsweave.dossier import build  # noqa: E402
from newsweave.dossier.format import story_to_json  # noqa: E402
from newsweave.model import StoryGroup  # noqa: E402
from newsweave.nlp import SPACY_PACKAGE  # noqa: E402
from newsweave.pipeline import ingest, regroup_stories, stale_stories  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"
EXAMPLES = [str(ROOT / "examples" / d) for d in ("text", "html", "feeds")]
# The story-level steps of a dossier, as `dossier.build` calls them: which step each function is part of.
STEPS = {
    "sources and provenance": ("_with_cites", "find_copies", "mention_origins", "mention_links", "independent_sources",
                               "story_speakers", "article_speakers"),
    "claim alignment": ("similarity_matrix", "cluster_claims"),
    "comparison": ("story_conflicts", "wording_variants"),
    "key facts": ("key_facts",),
}


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


# --- the articles -------------------------------------------------------------------------------------------


def gunviolence_jsonl(data: Path, n: int, out: Path) -> Path:
    """The first `n` gun-violence articles with text, as the JSON Lines file a user would feed `analyze`."""
    path = data / "gunviolence" / "articles.jsonl"
    kept = 0
    with path.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for line in source:
            record = json.loads(line)
            if not (record.get("content") or "").strip():
                continue
            sink.write(json.dumps({k: record.get(k) for k in ("doc_id", "title", "dct", "uri", "content")}) + "\n")
            kept += 1
            if kept == n:
                break
    return out


def examples_jsonl(n: int, out: Path) -> Path:
    """The example corpus repeated to `n` articles, each copy under an outlet of its own, as JSON Lines."""
    base = [r for r in clean_paths(EXAMPLES) if isinstance(r, Article)]
    with out.open("w", encoding="utf-8") as sink:
        for k in range(n):
            a = base[k % len(base)]
            rep = k // len(base)
            outlet = f"{a.outlet} {rep}" if rep else a.outlet
            sink.write(json.dumps({"title": a.title, "text": a.text, "outlet": outlet,
                                   "published": a.published.isoformat() if a.published else None,
                                   "url": f"{a.url or 'https://example.org/a'}?copy={rep}"}) + "\n")
    return out


def texts_of(articles: list[Article]) -> list[str]:
    """What `analyze_articles` parses: each headline and every paragraph."""
    return [t for a in articles for t in ([a.title] if a.title else []) + list(a.paragraphs)]


# --- 1. one core, by stage --------------------------------------------------------------------------------


class Timers:
    """Seconds per step, by wrapping `dossier.build`'s module functions (outermost call only)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._depth = 0
        self._saved: list[tuple[str, object]] = []

    def __enter__(self) -> Timers:
        for step, names in STEPS.items():
            for name in names:
                original = getattr(build, name)
                self._saved.append((name, original))
                setattr(build, name, self._timed(step, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, original in self._saved:
            setattr(build, name, original)

    def _timed(self, step: str, fn):  # noqa: ANN001, ANN202
        @wraps(fn)
        def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self._depth += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds[step] += time.perf_counter() - start
        return run


def one_core(jsonl: Path, workdir: Path) -> tuple[dict[str, float], float, int, int, list, list]:
    """Stage seconds of the analyze path in this process, the bare spaCy pass, articles, words, the analysed
    articles and the stories."""
    from newsweave import nlp as language
    from newsweave.nlp import SPACY_PACKAGE, load_pipeline

    stages: dict[str, float] = {}
    store = open_store(f"sqlite:///{workdir / 'one-core.db'}")
    start = time.perf_counter()
    report = ingest([str(jsonl)], store)
    stages["read, clean and store articles"] = time.perf_counter() - start
    start = time.perf_counter()
    groups = stale_stories(store, regroup_stories(store))
    stages["clustering"] = time.perf_counter() - start
    articles = [a for g in groups for a in g.articles]
    texts = texts_of(articles)

    import spacy

    bare = spacy.load(SPACY_PACKAGE)
    list(bare.pipe(texts[:50]))  # warm up
    start = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=64):
        pass
    bare_seconds = time.perf_counter() - start
    del bare
    gc.collect()

    nlp = load_pipeline()
    list(nlp.pipe(texts[:50]))
    start = time.perf_counter()
    analysed = {item.article.id: item for item in language.analyze_articles(articles, nlp)}
    stages["language analysis"] = time.perf_counter() - start
    dossiers = []
    render = save = 0.0
    with Timers() as timers:
        start = time.perf_counter()
        for group in groups:
            dossier = build.story_dossier(group, analysed)
            t = time.perf_counter()
            record = story_to_json(dossier)
            render += time.perf_counter() - t
            t = time.perf_counter()
            store.save_dossier(dossier.id, record)
            save += time.perf_counter() - t
            dossiers.append(dossier)
        story_level = time.perf_counter() - start - render - save
    for step, seconds in timers.seconds.items():
        stages[f"dossier: {step}"] = seconds
    stages["dossier: the rest"] = story_level - sum(timers.seconds.values())
    stages["rendering the JSON"] = render
    stages["storing dossiers"] = save
    words = sum(len(a.text.split()) for a in articles)
    return stages, bare_seconds, len(report.added), words, list(analysed.values()), groups


def one_core_table(stages: dict[str, float], bare: float, n: int, words: int, stories: int) -> Table:
    total = sum(stages.values())
    table = Table(title=f"1. analyze on {n:,} articles ({words:,} words, {stories:,} stories), one process, by stage")
    for column in ("stage", "seconds", "share", "vs bare spaCy"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    table.add_row("bare spaCy nlp.pipe (the floor)", f"{bare:.1f}", "", "1.00x")
    for stage, seconds in stages.items():
        table.add_row(f"  {stage}", f"{seconds:.2f}", f"{seconds / total:.1%}", "")
    table.add_row("  of the analysis, beyond the parse", f"{stages['language analysis'] - bare:.2f}", "", "")
    table.add_row("newsweave analyze, all stages", f"{total:.1f}", "100%", f"{total / bare:.2f}x")
    table.caption = f"{n / total:.1f} articles/s; peak memory (max RSS) {peak_rss_mb():.0f} MB"
    return table


# --- 2. cores ---------------------------------------------------------------------------------------------------


def cores_row(jsonl: Path, workdir: Path, workers: int) -> dict:
    """`run_batch` on the local engine with `workers` processes, into a fresh store: run in a child process, so
    each row's worker memory is its own."""
    script = (
        "import json, resource, sys, time\n"
        "def _peak_mb():  # this process's own peak (VmHWM): ru_maxrss would start from the parent's at the fork\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) / 1024\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "from newsweave import open_store\n"
        "from newsweave.distributed import LocalEngine, run_batch\n"
        f"store = open_store({str('sqlite:///' + str(workdir / f'cores-{workers}.db'))!r})\n"
        "start = time.perf_counter()\n"
        f"with LocalEngine({workers}) as engine:\n"
        "    started = time.perf_counter() - start\n"
        f"    report = run_batch([{str(jsonl)!r}], store, engine)\n"
        "print(json.dumps({'seconds': time.perf_counter() - start, 'start': started, 'articles': report.articles, 'wall': report.wall,\n"
        "                  'stories': report.stories, 'worker_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,\n"
        "                  'driver_mb': _peak_mb()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        raise SystemExit(f"the {workers}-worker batch failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def cores_table(rows: dict[int, dict], words: int) -> Table:
    table = Table(title=f"2. the same articles on the local engine (newsweave batch), {os.cpu_count()} cores here")
    phases = ("ingest", "clustering", "analysis", "dossiers")
    for column in ("workers", "seconds", "articles/s", "words/s", "speed-up", *phases, "largest worker MB", "driver MB"):
        table.add_column(column, justify="right")
    one = rows.get(1)
    for workers, row in sorted(rows.items()):
        speedup = f"{one['seconds'] / row['seconds']:.2f}x" if one else ""
        table.add_row(str(workers), f"{row['seconds']:.1f}", f"{row['articles'] / row['seconds']:.1f}",
                      f"{words / row['seconds']:,.0f}", speedup, *[f"{row['wall'].get(p, 0.0):.1f}" for p in phases],
                      f"{row['worker_mb']:.0f}", f"{row['driver_mb']:.0f}")
    table.caption = ("each row a fresh store and fresh worker processes (model loading included); the phases are elapsed "
                     "time in the driver: ingest (the workers read and clean, the driver stores), clustering (the driver, "
                     "while the workers analyse), what is left of the analysis, the dossiers")
    return table


# --- 3. growth ---------------------------------------------------------------------------------------------------


def growth_table(analysed: list, sizes: tuple[int, ...]) -> Table | None:
    """The story-level steps of one synthetic story of each size, made of the first analysed articles, after one
    untimed warm-up story (what a process loads once, the outlet table and the embedder, is not growth)."""
    if len(analysed) < max(sizes):
        return None
    by_id = {item.article.id: item for item in analysed}
    build.story_dossier(StoryGroup("warm-up", tuple(item.article for item in analysed[:min(sizes)])), by_id)  # tables loaded once
    rows = []
    for size in sizes:
        articles = tuple(sorted((item.article for item in analysed[:size]), key=lambda a: (a.published or date.min, a.id)))
        group = StoryGroup(f"synthetic-{size}", articles)
        with Timers() as timers:
            start = time.perf_counter()
            dossier = build.story_dossier(group, by_id)
            seconds = time.perf_counter() - start
        sentences = sum(len(by_id[a.id].sentences) for a in articles)
        rows.append((size, sentences, seconds, dict(timers.seconds), len(dossier.claims)))
    table = Table(title="3. growth: the story-level steps of one story of real articles")
    for column in ("articles", "sentences", "claims", "seconds", "x the smallest", *STEPS):
        table.add_column(column, justify="right")
    first = rows[0][2]
    for size, sentences, seconds, steps, claims in rows:
        table.add_row(str(size), f"{sentences:,}", f"{claims:,}", f"{seconds:.2f}", f"{seconds / first:.1f}x",
                      *[f"{steps.get(s, 0.0):.2f}" for s in STEPS])
    table.caption = f"target: the {sizes[-1]}-article story under {12 * sizes[-1] // sizes[0] // 10}x the {sizes[0]}-article one"
    return table


# --- 4. first output ---------------------------------------------------------------------------------------------


def first_output(workdir: Path) -> Table:
    """Seconds to `newsweave analyze`'s first line of output on three example articles, and to load the pipeline."""
    files = sorted((ROOT / "examples" / "text").glob("*.txt"))[:3]
    exe = [sys.executable, "-m", "newsweave"]
    env = {**os.environ, "COLUMNS": "120"}
    rows = []
    for attempt in range(2):  # the first run warms the OS file cache
        db = workdir / f"first-{attempt}.db"
        start = time.perf_counter()
        proc = subprocess.Popen([*exe, "analyze", *map(str, files), "--db", str(db), "--format", "json"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=env, text=True)
        assert proc.stdout is not None
        proc.stdout.readline()
        first = time.perf_counter() - start
        proc.communicate()
        total = time.perf_counter() - start
        load = subprocess.run(  # spaCy imported and its model loaded, nothing of newsweave
            [sys.executable, "-c", f"import time; s = time.perf_counter(); import spacy; spacy.load({SPACY_PACKAGE!r}); "
                                   "print(time.perf_counter() - s)"],
            capture_output=True, text=True, cwd=ROOT, check=True,
        )
        rows.append((first, total, float(load.stdout.strip())))
    first, total, load = rows[-1]
    table = Table(title=f"4. first output: newsweave analyze on {len(files)} example articles, a fresh process and store")
    for column in ("first line (s)", "whole run (s)", "loading spaCy (s)", "first line beyond the load (s)"):
        table.add_column(column, justify="right")
    table.add_row(f"{first:.2f}", f"{total:.2f}", f"{load:.2f}", f"{first - load:.2f}")
    table.caption = "target: under 1 s beyond the load; loading (import spaCy, load its model) measured in a fresh process"
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=("gunviolence", "examples"), default="gunviolence")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--cores", default="1,2,all", help="worker counts for table 2 (all: this machine's cores)")
    parser.add_argument("--growth", default="20,200", help="story sizes for table 3")
    parser.add_argument("--skip", default="", help="tables to leave out: cores, growth, first")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    console = Console(width=150)
    with tempfile.TemporaryDirectory(prefix="newsweave-speed-") as tmp:
        workdir = Path(tmp)
        if args.corpus == "gunviolence":
            if not (args.data / "gunviolence" / "articles.jsonl").is_file():
                print(f"no gun-violence corpus at {args.data / 'gunviolence'} (see ../shared/data/README.md); "
                      f"pass --data, or --corpus examples for the smoke mode", file=sys.stderr)
                return 2
            jsonl = gunviolence_jsonl(args.data, args.articles, workdir / "articles.jsonl")
        else:
            jsonl = examples_jsonl(args.articles, workdir / "articles.jsonl")
        stages, bare, n, words, analysed, groups = one_core(jsonl, workdir)
        console.print(one_core_table(stages, bare, n, words, len(groups)))
        if "growth" not in skip:
            sizes = tuple(int(x) for x in args.growth.split(","))
            table = growth_table(analysed, sizes)
            console.print(table if table else f"3. growth: needs {max(sizes)} articles; pass --articles")
        del analysed, groups
        gc.collect()
        if "cores" not in skip:
            counts = sorted({(os.cpu_count() or 1) if c == "all" else int(c) for c in args.cores.split(",")})
            console.print(cores_table({w: cores_row(jsonl, workdir, w) for w in counts}, words))
        if "first" not in skip:
            console.print(first_output(workdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
