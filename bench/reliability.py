"""Reliability: what hostile and careless input does to newsweave, as one table.

Every probe runs newsweave in a fresh process (the CLI, a real `newsweave serve`, or the library in a
`python -c`), and its peak memory is that process's maximum resident set (`os.wait4`), so the figure is the
whole program's, imports and models included (an ingest of one small article peaks near 200 MB).

1. Decompression bombs: files of about 1 MB that inflate to `--bomb-mib` MiB, ingested with
   `newsweave ingest FILE`: a `.jsonl.gz` of one line, a `.jsonl.gz` of a million 1 KB lines, an
   `.html.gz` page, and a `.warc.gz` whose one record inflates to the whole size. Target: a one-line
   refusal naming the file, memory under 300 MB.
2. The web app (`newsweave serve` on 127.0.0.1): a `--bomb-mib` MiB POST to the API and to the ingest form
   (streamed: the client never holds it; target 413, not a reset), a gzip bomb uploaded through the ingest
   form, a request with a foreign `Host` (target 400), a cross-origin write (target 403), and a flood of
   `--clients` concurrent clients sending `--requests` reads each (target 0 server errors; p50/p99 shown).
   The server's own peak memory is the row "server".
3. Concurrent writers: four `newsweave ingest` processes on overlapping folders of the example corpus
   into one SQLite file. Target: every input stored once (articles in = articles stored, 0 duplicates).
4. Kill and resume: the library's ingest of the example corpus SIGKILLed as its Nth article is stored,
   for several N, then run again; target: the store equals one uninterrupted run's (article ids, text,
   removed lines, outlets, stories).

Run:  .venv/bin/python bench/reliability.py [--bomb-mib 1024] [--clients 50] [--requests 20] [--json]
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/numbers.py would shadow the standard library's `numbers` (imported by statistics, decimal, rich).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from dataclasses import asdict, dataclass  # noqa: E402

import httpx  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FOLDERS = [str(EXAMPLES / d) for d in ("text", "html", "feeds")]
PYTHON = sys.executable
TARGET_PEAK_MB = 300
TOKEN = "reliability-bench-token"
CHILD_TIMEOUT = 600  # seconds any one probe may take before it is killed and counted failed
MIB = 1024 * 1024


@dataclass(frozen=True)
class Row:
    group: str
    probe: str
    result: str
    peak_mb: float | None
    seconds: float
    ok: bool


@dataclass(frozen=True)
class Child:
    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float


# --- processes and their peak memory ---------------------------------------------------------------------------


def start(args: list[str], **kwargs) -> subprocess.Popen:  # noqa: ANN003
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **kwargs)


def finish(proc: subprocess.Popen, began: float, timeout: float = CHILD_TIMEOUT) -> Child:
    """Wait for `proc` (killing it past `timeout`), reaping it with `os.wait4` for its own peak memory."""
    streams: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda name=name, s=s: streams.__setitem__(name, s.read()))
               for name, s in (("out", proc.stdout), ("err", proc.stderr))]
    for reader in readers:
        reader.start()
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    decode = lambda b: (b or b"").decode("utf-8", "replace")  # noqa: E731
    return Child(proc.returncode, decode(streams.get("out")), decode(streams.get("err")), usage.ru_maxrss / 1024,
                 time.perf_counter() - began)


def run(args: list[str], timeout: float = CHILD_TIMEOUT) -> Child:
    began = time.perf_counter()
    return finish(start(args), began, timeout)


def first_line(text: str, width: int = 150) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = next((l for l in lines if "error" in l.lower() or "✗" in l or ":" in l), lines[0] if lines else "")
    return line if len(line) <= width else line[: width - 1] + "…"


def refusal(output: str, path: Path) -> str:
    """What an ingest said of a bomb: its summary line ("0 added, ... N failed") and the message that stopped
    the reading (the last failure), the file's folder left out."""
    lines = [line.strip().replace(str(path.parent) + "/", "") for line in output.splitlines() if line.strip()]
    summary = next((line for line in lines if " added, " in line), "no summary line")
    failures = [line for line in lines if path.name in line and "added," not in line]
    last = failures[-1] if failures else first_line(output)
    return f"{summary.split(' → ')[0].strip()}; last: {last[:160]}"


# --- 1. decompression bombs --------------------------------------------------------------------------------------


def gzip_file(path: Path, head: bytes, fill: bytes, mib: int, tail: bytes = b"") -> Path:
    """`head`, then `fill` repeated to about `mib` MiB, then `tail`, gzip-compressed into `path`."""
    block = fill * max(1, MIB // len(fill))
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(head)
        for _ in range(mib):
            handle.write(block)
        handle.write(tail)
    return path


def warc_bomb(path: Path, mib: int) -> Path:
    """A `.warc.gz` with one response record whose HTML page inflates to `mib` MiB."""
    body_head = b"<!doctype html><html><body><article><p>"
    payload = len(body_head) + mib * MIB
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % payload
    warc = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            b"WARC-Date: 2025-11-04T06:30:00Z\r\nWARC-Target-URI: https://example.org/bomb\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (len(http) + payload))
    return gzip_file(path, warc + http + body_head, b"a", mib, b"\r\n\r\n")


def bombs(work: Path, mib: int) -> tuple[list[Row], dict[str, Path]]:
    files = {
        "jsonl.gz, one line": gzip_file(work / "one-line.jsonl.gz", b'{"text": "', b"a", mib),
        "jsonl.gz, 1 KB lines": gzip_file(work / "many-lines.jsonl.gz", b"", b"a" * 1023 + b"\n", mib),
        "html.gz page": gzip_file(work / "page.html.gz", b"<html><body><p>", b"a", mib),
        "warc.gz record": warc_bomb(work / "archive.warc.gz", mib),
    }
    rows = []
    for name, path in files.items():
        db = work / f"bomb-{path.name}.db"
        child = run([PYTHON, "-m", "newsweave", "ingest", str(path), "--db", str(db)])
        size = path.stat().st_size / MIB
        result = refusal(child.err + child.out, path)
        ok = child.peak_mb < TARGET_PEAK_MB and path.name in (child.err + child.out) and "Traceback" not in child.err
        rows.append(Row("bomb", f"{name}: {size:.1f} MB -> {mib:,} MiB", result, child.peak_mb, child.seconds, ok))
    return rows, files


# --- 2. the web app ----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stream(mib: int):  # noqa: ANN201 - a generator of bytes
    block = b"a" * MIB
    for _ in range(mib):
        yield block


def web(work: Path, mib: int, upload: Path, clients: int, requests: int) -> list[Row]:
    db = work / "web.db"
    seed = run([PYTHON, "-m", "newsweave", "ingest", *FOLDERS, "--db", str(db)])
    if seed.code != 0:
        return [Row("web", "seed the store", first_line(seed.err), seed.peak_mb, seed.seconds, False)]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    began = time.perf_counter()
    server = start([PYTHON, "-m", "newsweave", "serve", "--db", str(db), "--port", str(port), "--token", TOKEN])
    rows: list[Row] = []
    try:
        with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/api/stories")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("newsweave serve did not start") from None
                    time.sleep(0.3)
            rows += web_probes(client, mib, upload)
        rows.append(flood(base, clients, requests))
    finally:
        server.send_signal(signal.SIGINT)
        child = finish(server, began, timeout=30)
    rows.append(Row("web", "server", f"exit {child.code}, whole run", child.peak_mb, child.seconds, child.peak_mb < TARGET_PEAK_MB))
    return rows


MIN_BODY_MIB = 64  # an oversized body is at least this, whatever --bomb-mib: well over the web app's 11 MiB cap


def web_probes(client: httpx.Client, mib: int, upload: Path) -> list[Row]:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    mib = max(mib, MIN_BODY_MIB)
    rows = []

    def probe(name: str, expect: int, send) -> None:  # noqa: ANN001
        began = time.perf_counter()
        try:
            response = send()
            got, detail = str(response.status_code), said(response)
            ok = response.status_code == expect
        except httpx.HTTPError as exc:
            got, detail, ok = type(exc).__name__, str(exc)[:110], False
        rows.append(Row("web", name, f"{got} (want {expect}): {detail}", None, time.perf_counter() - began, ok))

    probe(f"POST /api/articles, {mib:,} MiB streamed", 413, lambda: client.post(
        "/api/articles", content=stream(mib), headers={**auth, "Content-Type": "application/json"}))
    probe(f"POST /api/articles, {mib:,} MiB with Content-Length", 413, lambda: client.post(
        "/api/articles", content=stream(mib), headers={**auth, "Content-Type": "application/json", "Content-Length": str(mib * MIB)}))
    boundary = "reliabilitybench"
    form_head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{TOKEN}\r\n"
                 f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
                 "Content-Type: text/plain\r\n\r\n").encode()
    probe(f"POST /ingest form, {mib:,} MiB file streamed", 413, lambda: client.post(
        "/ingest", content=(part for parts in ([form_head], stream(mib)) for part in parts),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}))
    probe(f"upload {upload.name} ({upload.stat().st_size / MIB:.1f} MB gzip bomb)", 422, lambda: client.post(
        "/ingest", data={"token": TOKEN}, files={"files": (upload.name, upload.read_bytes(), "application/gzip")}))
    probe("GET / with Host: evil.example", 400, lambda: client.get("/", headers={"Host": "evil.example"}))
    probe("POST /api/articles from Origin: http://evil.example", 403, lambda: client.post(
        "/api/articles", json={"text": "A harmless article."}, headers={**auth, "Origin": "http://evil.example"}))
    return rows


def said(response: httpx.Response) -> str:
    """What a response says, in a line: a JSON problem's detail, or an HTML page's first line naming a failure."""
    if "html" in response.headers.get("content-type", ""):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "\n", response.text)).strip()
        found = re.search(r"[^.]*(?:upload:|not allowed|limit|refused)[^.]*\.?", text)
        text = found.group(0).strip() if found else text
    else:
        text = response.text
    return text[:140]


def flood(base: str, clients: int, requests: int) -> Row:
    """`clients` clients at once, each sending `requests` reads: story list, a story page, the API."""
    with httpx.Client(base_url=base, trust_env=False) as client:
        stories = client.get("/api/stories").json()["stories"]
    paths = ["/", "/api/stories"] + [f"/stories/{s['id']}" for s in stories[:4]] + [f"/api/stories/{s['id']}" for s in stories[:4]]
    latencies: list[float] = []
    errors: list[str] = []

    def one_client(n: int) -> None:
        with httpx.Client(base_url=base, timeout=120, trust_env=False) as client:
            for i in range(requests):
                began = time.perf_counter()
                try:
                    status = client.get(paths[(n + i) % len(paths)]).status_code
                    if status >= 500:
                        errors.append(str(status))
                except httpx.HTTPError as exc:
                    errors.append(type(exc).__name__)
                latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one_client, range(clients)))
    served = len(latencies) - len(errors)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    result = (f"{served}/{len(latencies)} served, {len(errors)} errors, "
              f"p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms")
    return Row("web", f"flood: {clients} clients x {requests} reads", result, None, time.perf_counter() - began, not errors)


# --- 3. concurrent writers ---------------------------------------------------------------------------------------


def concurrent_writers(work: Path, writers: int = 4) -> Row:
    db = work / "concurrent.db"
    began = time.perf_counter()
    procs = [start([PYTHON, "-m", "newsweave", "ingest", *FOLDERS[i % 3:], *FOLDERS[: i % 3], "--db", str(db)])
             for i in range(writers)]
    children = [finish(p, began) for p in procs]
    check = run([PYTHON, "-c", COUNT_STORED, str(db), *FOLDERS])
    inputs, stored, owners = json.loads(check.out) if check.code == 0 else (0, -1, -1)
    ok = all(c.code == 0 for c in children) and inputs == stored == owners
    result = (f"exit {[c.code for c in children]}; {inputs} articles in, {stored} stored, "
              f"{stored - owners if ok else '?'} duplicates")
    return Row("writers", f"{writers} ingests of overlapping folders, one SQLite file", result,
               max(c.peak_mb for c in children), time.perf_counter() - began, ok)


COUNT_STORED = """
import json, sys
from newsweave import clean_paths, open_store
from newsweave.model import Article
store = open_store(sys.argv[1])
inputs = [a for a in clean_paths(sys.argv[2:]) if isinstance(a, Article)]
owners = {store.known_raw(a.raw_hash) for a in inputs} - {None}
print(json.dumps([len(inputs), store.count(), len(owners)]))
"""


# --- 4. kill and resume ------------------------------------------------------------------------------------------

KILLED_INGEST = ROOT / "scripts" / "killed_ingest.py"  # an ingest SIGKILLed as its Nth article is stored

SNAPSHOT = """
import hashlib, json, sys
from newsweave import open_store
from newsweave.pipeline import ingest, update_stories
store = open_store(sys.argv[1])
report = ingest(sys.argv[2:], store)
update_stories(store)
articles = sorted([a.id, a.outlet, a.title, a.text, [[r.text, r.reason] for r in a.removed]] for a in store.all_articles())
stories = sorted([s.id, sorted(a.id for a in store.story_articles(s.id))] for s in store.stories())
digest = hashlib.sha256(json.dumps([articles, stories]).encode()).hexdigest()
print(json.dumps({"digest": digest, "articles": len(articles), "stories": len(stories), "known": len(report.known)}))
"""


def kill_and_resume(work: Path, moments: tuple[int, ...]) -> list[Row]:
    whole = run([PYTHON, "-c", SNAPSHOT, str(work / "whole.db"), *FOLDERS])
    reference = json.loads(whole.out)
    rows = [Row("resume", "uninterrupted ingest", f"{reference['articles']} articles, {reference['stories']} stories",
                whole.peak_mb, whole.seconds, whole.code == 0)]
    for after in moments:
        db = work / f"killed-{after}.db"
        killed = run([PYTHON, str(KILLED_INGEST), str(db), str(after), *FOLDERS])
        resumed = run([PYTHON, "-c", SNAPSHOT, str(db), *FOLDERS])
        again = json.loads(resumed.out) if resumed.code == 0 else {}
        equal = again.get("digest") == reference["digest"]
        result = (f"killed (exit {killed.code}) after {after} stored; run again: {again.get('known', '?')} known, "
                  f"store {'equal to' if equal else 'DIFFERS from'} the uninterrupted one")
        rows.append(Row("resume", f"SIGKILL after article {after}", result, max(killed.peak_mb, resumed.peak_mb),
                        killed.seconds + resumed.seconds, equal and killed.code == -signal.SIGKILL))
    return rows


# --- the table ---------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bomb-mib", type=int, default=1024, help="what each bomb and oversized body inflates to, in MiB")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients of the web flood")
    parser.add_argument("--requests", type=int, default=20, help="reads each flood client sends")
    parser.add_argument("--kill-after", type=int, nargs="+", default=[1, 6, 12, 21], help="articles stored before each kill")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of the table")
    args = parser.parse_args()
    console = Console(stderr=True)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="newsweave-reliability-") as tmp:
        work = Path(tmp)
        with console.status("decompression bombs"):
            found, files = bombs(work, args.bomb_mib)
            rows += found
        with console.status("the web app"):
            rows += web(work, args.bomb_mib, files["jsonl.gz, one line"], args.clients, args.requests)
        with console.status("concurrent writers"):
            rows.append(concurrent_writers(work))
        with console.status("kill and resume"):
            rows += kill_and_resume(work, tuple(args.kill_after))
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=1))
        return
    table = Table(title=f"newsweave reliability (hostile input and the server: peak memory < {TARGET_PEAK_MB} MB)")
    table.add_column("group", no_wrap=True)
    table.add_column("probe")
    table.add_column("result")
    table.add_column("peak MB", justify="right", no_wrap=True)
    table.add_column("s", justify="right", no_wrap=True)
    table.add_column("ok", no_wrap=True)
    for r in rows:
        table.add_row(r.group, r.probe, r.result, "" if r.peak_mb is None else f"{r.peak_mb:.0f}", f"{r.seconds:.1f}",
                      "yes" if r.ok else "[red]NO[/]")
    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # a log or a pipe: wide enough that no cell wraps into a column of words
    console.print(table)
    failed = [r for r in rows if not r.ok]
    print(f"{len(rows) - len(failed)}/{len(rows)} probes met their target")


if __name__ == "__main__":
    main()
