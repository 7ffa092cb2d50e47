"""Dump what newsweave makes of fixed inputs, through the command line only, and compare two dumps.

A refactor must leave behaviour unchanged; this is how that is shown. `dump` runs the `newsweave` command of
the Python it is started with (so `PYTHONPATH=/tmp/base .venv/bin/python scripts/compare_outputs.py dump ...`
dumps an older checkout's behaviour) over:
- `newsweave cluster` on ECB+ (id order) and on gun-violence news: every record's story, the stories
  `bench/cluster.py` scores;
- `newsweave clean --format jsonl` on the example corpus and on 60 of the extraction benchmark's pages;
- `newsweave analyze --format json` on the example corpus, on 12 ECB+ train/dev events (3+ articles each)
  and on 15 gun-violence incidents with even ids reported by 2+ articles (held-out odd ids are not read);
- `newsweave batch` (local engine, one worker) on the example corpus: its story list, then its dossiers.
`diff` compares two dumps file by file (the dossiers less their generator line) and exits 1 on any difference.

Run:  .venv/bin/python scripts/compare_outputs.py dump /tmp/after [--data ../shared/data]
      .venv/bin/python scripts/compare_outputs.py diff /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
EXAMPLES = [str(ROOT / "examples" / name) for name in ("text", "html", "feeds")]


def newsweave(*args: str) -> str:
    """Run the command; its standard output (a failed input's exit status 1 is behaviour too)."""
    done = subprocess.run([sys.executable, "-m", "newsweave", *args], capture_output=True, text=True,
                          env={**os.environ, "COLUMNS": "200"})
    if done.returncode not in (0, 1):
        sys.exit(f"newsweave {' '.join(args)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return done.stdout


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def samples(data: Path, work: Path) -> dict[str, Path]:
    """Small real inputs: a few ECB+ events and gun-violence incidents as JSON Lines, some extraction pages."""
    out: dict[str, Path] = {}
    ecb = [json.loads(line) for line in (data / "ecbplus" / "docs.jsonl").open(encoding="utf-8")]
    by_event: dict[str, list[dict]] = defaultdict(list)
    for doc in ecb:
        by_event[doc["subtopic"]].append(doc)
    events = [e for e in sorted(by_event) if len(by_event[e]) >= 3][:12]
    out["ecb.jsonl"] = write_jsonl(work / "ecb.jsonl", [
        {"text": d["text"], "url": f"https://example.org/ecb/{d['doc_id']}"} for e in events for d in by_event[e]])
    gv = [json.loads(line) for line in (data / "gunviolence" / "articles.jsonl").open(encoding="utf-8")]
    by_incident: dict[str, list[dict]] = defaultdict(list)
    for doc in gv:
        if int(doc["incident_id"]) % 2 == 0:
            by_incident[doc["incident_id"]].append(doc)
    incidents = [i for i in sorted(by_incident) if len(by_incident[i]) >= 2][:15]
    out["gv.jsonl"] = write_jsonl(work / "gv.jsonl", [
        {"text": d["content"], "title": d["title"], "published": d["dct"], "url": d["uri"]}
        for i in incidents for d in by_incident[i]])
    pages = work / "pages"
    pages.mkdir()
    for page in sorted((data / "extraction" / "html").glob("*.html.gz"))[:60]:
        (pages / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    out["pages"] = pages
    return out


def dump(out: Path, data: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        newsweave("cluster", str(data / "ecbplus" / "docs.jsonl"), "--id", "doc_id", "--text", "text",
                  "--out", str(out / "cluster-ecbplus.tsv"))
        newsweave("cluster", str(data / "gunviolence" / "articles.jsonl"), "--id", "doc_id", "--text", "content",
                  "--title", "title", "--date", "dct", "--out", str(out / "cluster-gunviolence.tsv"))
        inputs = samples(data, work)
        (out / "clean-examples.jsonl").write_text(newsweave("clean", *EXAMPLES, "--format", "jsonl"))
        (out / "clean-pages.jsonl").write_text(newsweave("clean", str(inputs["pages"]), "--format", "jsonl"))
        for name, paths in (("examples", EXAMPLES), ("ecb", [str(inputs["ecb.jsonl"])]),
                            ("gv", [str(inputs["gv.jsonl"])])):
            newsweave("analyze", *paths, "--db", str(work / f"{name}.db"), "--format", "json",
                      "--out", str(out / f"dossier-{name}.json"))
            newsweave("analyze", *paths, "--db", str(work / f"{name}.db"), "--format", "markdown",
                      "--out", str(out / f"dossier-{name}.md"))
        newsweave("batch", *EXAMPLES, "--db", str(work / "batch.db"), "--workers", "1")
        (out / "batch-stories.txt").write_text(newsweave("stories", "--db", str(work / "batch.db")))
        newsweave("analyze", *EXAMPLES, "--db", str(work / "batch.db"), "--format", "json",
                  "--out", str(out / "batch-examples.json"))
        for made in out.iterdir():  # the temporary folder's name is not behaviour
            made.write_text(made.read_text(encoding="utf-8").replace(str(work), "<work>"), encoding="utf-8")


def comparable(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        document = json.loads(text)
        document.pop("generator", None)
        return json.dumps(document, indent=1, sort_keys=True)
    return text


def diff(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    failed = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            print(f"{name}: only in {'after' if b.exists() else 'before'}")
            failed += 1
            continue
        same = comparable(a) == comparable(b)
        lines = len(comparable(a).splitlines())
        print(f"{name:28} {'same' if same else 'DIFFERENT'} ({lines} lines)")
        failed += not same
    print(f"{len(names) - failed} same, {failed} different")
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump")
    d.add_argument("out", type=Path)
    d.add_argument("--data", type=Path, default=DEFAULT_DATA)
    c = sub.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out, args.data)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
