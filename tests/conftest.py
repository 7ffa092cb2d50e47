"""The one conftest: values built by hand (`make_article`, `dated_article`, `make_raw`), a store in tmp_path,
the example corpus's answer key, a local web site and a web archive, look-alike stories for the clusterer, and
gzip bombs built in milliseconds with the memory a call peaks at (`gzip_repeating`, `traced_peak`).
Test modules import helpers from here, never from each other."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import threading
import tracemalloc
import uuid
import zlib
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, TypeVar

import pytest
from sqlalchemy import create_engine
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsweave import Article, Hints, RawDocument, RemovedLine, article_id, open_store
from newsweave.ingest.fetch import FetchSettings
from newsweave.model import Quantity
from newsweave.nlp import numbers
from newsweave.store import database_url
from newsweave.stories import ClusterSettings, StoryClusterer, text_features

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
WEB = DATA / "web"  # the local site's pages, feeds and sitemaps
LOCAL = FetchSettings(allow_private=True, host_delay=0.0, retries=0)  # the local site, no pauses, no retries
CRAWLED = "2025-11-04T06:30:00Z"  # the WARC-Date of `write_warc`'s records


def make_raw(content: str, kind: str = "text", source: str = "test.txt", **hints) -> RawDocument:
    """A raw document as a reader would make it."""
    return RawDocument(
        source=source, kind=kind, content=content,
        raw_hash=hashlib.sha256(content.encode()).hexdigest(), hints=Hints(**hints),
    )


def make_article(body: str = "The ferry stops in December, officials said.", **fields) -> Article:
    """A whole article as the cleaner makes one (outlet, title, author, date, a removed line); `fields` override any."""
    values = dict(
        id=article_id(fields.get("outlet", "The Ledger"), body), source="a.txt", outlet="The Ledger", url=None,
        title="Ferry to stop", author="Ana Ribeiro", published=date(2025, 11, 1), language="en", text=body,
        headings=(), dateline=None, removed=(RemovedLine("Advertisement", "ad placeholder"),),
        raw_hash="raw:" + article_id(fields.get("outlet", "The Ledger"), body),  # as if read from its own bytes
    )
    values.update(fields)
    return Article(**values)


def dated_article(text: str, published: date, outlet: str = "The Ledger", title: str | None = None) -> Article:
    """A bare article of `text` from `outlet` on the day `published`: no author, no removed lines, no raw hash."""
    return Article(
        id=article_id(outlet, text), source=f"{outlet}.txt", outlet=outlet, url=None, title=title, author=None,
        published=published, language="en", text=text, headings=(), dateline=None,
    )


@pytest.fixture
def store(tmp_path):
    s = open_store(str(tmp_path / "test.db"))
    yield s
    s.close()


POSTGRES_URL = os.environ.get("NEWSWEAVE_TEST_POSTGRES")  # a server the tests may create databases on; .ci/run starts one


@contextmanager
def postgres_database():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("NEWSWEAVE_TEST_POSTGRES is not set: .ci/run starts a PostgreSQL server for the store tests")
        pytest.skip("no PostgreSQL server: set NEWSWEAVE_TEST_POSTGRES=postgresql://... (bash .ci/run starts one)")
    name = "newsweave_test_" + uuid.uuid4().hex[:12]
    admin = create_engine(database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A store URL for each backend: an SQLite file, and a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "test.db")
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def any_store(db_url):
    s = open_store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def answer_key() -> dict:
    return json.loads((EXAMPLES / "answer-key.json").read_text(encoding="utf-8"))


def example_source(key: str) -> str:
    """The `source` newsweave gives the article behind an answer-key entry (`path` or `path#line`)."""
    path, _, line = key.partition("#")
    return str(EXAMPLES / path) + (f"#{line}" if line else "")


# --- a local web site (fetching, feeds, watch) and a web archive ------------------------------------------------------------------------------------

Handler = Callable[[BaseHTTPRequestHandler], None]


class Site:
    """A web site on 127.0.0.1: fixture files from tests/data/web (with $ORIGIN filled in), the example
    corpus's pages under /news/, and routes a test adds. Every request is recorded."""

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.closing = threading.Event()
        site = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path.split("?")[0]) or site.routes.get(self.path)
                if route:
                    route(self)
                else:
                    site.serve_file(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def url(self, path: str) -> str:
        return self.origin + path

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]

    def file_body(self, name: str) -> bytes | None:
        for folder in (WEB, EXAMPLES / "html"):
            path = folder / name
            if path.is_file():
                return path.read_bytes().replace(b"$ORIGIN", self.origin.encode())
        return None

    def serve_file(self, request: BaseHTTPRequestHandler) -> None:
        name = request.path.split("?")[0].rsplit("/", 1)[-1]
        body = self.file_body(name) if name else None
        if body is None:
            respond(request, 404, b"not found", "text/plain")
            return
        kind = {"html": "text/html; charset=utf-8", "rss": "application/rss+xml", "xml": "application/xml", "txt": "text/plain"}
        respond(request, 200, body, kind.get(name.rsplit(".", 1)[-1], "application/octet-stream"))

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()


def respond(request: BaseHTTPRequestHandler, status: int, body: bytes = b"", content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None) -> None:
    request.send_response(status)
    request.send_header("Content-Type", content_type)
    request.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.end_headers()
    request.wfile.write(body)


@pytest.fixture
def site():
    with Site() as s:
        yield s


def page_url(site: Site, name: str = "harbor-ledger-jets.html") -> str:
    return site.url(f"/news/{name}")


def write_warc(path: Path, *, gzip: bool) -> Path:
    """A small crawl: warcinfo, a request, two article pages (one dated, one not), an image, a 404 and a revisit."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsweave tests", "format": "WARC File Format 1.1"}))

    def response(uri: str, body: bytes, content_type: str = "text/html; charset=utf-8", status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": CRAWLED}))

    request = StatusAndHeaders("GET /news/jets HTTP/1.1", [("Host", "harborledger.example")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://harborledger.example/news/jets", "request", http_headers=request))
    response("https://harborledger.example/news/jets?utm_source=cc", (EXAMPLES / "html" / "harbor-ledger-jets.html").read_bytes())
    response("https://cpa.example/wire/lisbon-port", (WEB / "undated-port.html").read_bytes())
    response("https://cpa.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png")
    response("https://cpa.example/gone", b"<html><body>gone</body></html>", status="404 Not Found")
    writer.write_record(writer.create_revisit_record(
        "https://cpa.example/wire/lisbon-port", digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        refers_to_uri="https://cpa.example/wire/lisbon-port", refers_to_date=CRAWLED))
    path.write_bytes(buffer.getvalue())
    return path


# --- look-alike stories for the clusterer: two shootings in two cities, and an arrest weeks later ----------


SHOOTING = ("{victim}, {age}, was shot and killed on {street} in {city} on {day}, {city} police said. "
            "Officers found {victim} in a parked car after neighbours heard several shots. "
            "Police Chief {chief} said detectives were questioning a {suspect_age}-year-old man.")


def shooting(n: int, city: str, victim: str, age: int, street: str, chief: str, suspect_age: int, day: str, published: date):
    text = SHOOTING.format(victim=victim, age=age, street=street, city=city, chief=chief, suspect_age=suspect_age, day=day)
    extra = ("The investigation continues.", "Anyone with information is asked to call police.", "A vigil is planned.")[n % 3]
    return text_features(f"{city}-{n}", f"{text} {extra}", title=f"Man shot dead in {city}", published=published)


def past_the_window(f, after, settings):
    """`f` dated one day after the story of `after` has closed (its window and grace are over)."""
    return replace(f, published=after.published + timedelta(days=settings.window_days + settings.grace_days + 1))


CHICAGO = [shooting(i, "Chicago", "Marcus Reed", 24, "West 63rd Street", "Eddie Johnson", 19, "Monday", date(2016, 3, 7 + i)) for i in range(3)]
OAKLAND = [shooting(i, "Oakland", "Luis Ortega", 31, "Foothill Boulevard", "Sean Whent", 27, "Tuesday", date(2016, 3, 8 + i)) for i in range(3)]


ARREST = ("Chicago police arrested a {suspect_age}-year-old man on {day} and charged him with first-degree murder in the "
          "killing of Marcus Reed, {age}, who was shot on West 63rd Street on March 7. Police Chief Eddie Johnson said "
          "detectives had traced the gun. Marcus Reed's family thanked the officers.")


def arrest(n: int, published: date, victim: str = "Marcus Reed"):
    text = ARREST.format(suspect_age=19, day="Friday", age=24).replace("Marcus Reed", victim)
    return text_features(f"arrest-{n}", text, title=f"Arrest in killing of {victim}", published=published)


def closed_chicago(settings: ClusterSettings = ClusterSettings()) -> StoryClusterer:
    """The Chicago shooting's three reports, then the Oakland one six weeks later: Chicago has closed."""
    clusterer = StoryClusterer(settings)
    for f in CHICAGO:
        clusterer.add(f)
    clusterer.add(replace(OAKLAND[0], published=CHICAGO[-1].published + timedelta(days=42)))
    assert not clusterer.story(clusterer.story_of(CHICAGO[0].id)).open
    return clusterer


# --- numbers read from one sentence (test_numbers.py, test_intervals.py; each module gives its own `nlp`) ----
@pytest.fixture(scope="module")
def read(nlp):
    """All quantities of a one-sentence text."""

    def _read(text: str) -> tuple[Quantity, ...]:
        doc = nlp(text)
        return tuple(q for sent in doc.sents for q in numbers.extract_quantities(sent))

    return _read


@pytest.fixture(scope="module")
def one(read):
    """The only quantity of a text whose text contains `words`."""

    def _one(text: str, words: str | None = None) -> Quantity:
        found = [q for q in read(text) if words is None or words in q.text]
        assert len(found) == 1, f"expected one quantity in {text!r}, got {found}"
        return found[0]

    return _one


# --- memory: bombs built in milliseconds, and the peak a call holds ---

MiB = 1024 * 1024
T = TypeVar("T")


def traced_peak(run: Callable[[], T]) -> tuple[T, int]:
    """What `run` returns, and the most memory Python held while it ran (tracemalloc's peak, in bytes)."""
    tracemalloc.start()
    try:
        return run(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def gzip_repeating(*parts: tuple[bytes, int]) -> bytes:
    """One gzip member inflating to each part's bytes repeated its count of times, built in milliseconds however
    big it inflates: each part is deflated once, fully flushed (so it stands alone) and repeated."""
    blocks, crc, size = [], 0, 0
    for chunk, count in parts:
        packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        blocks.append((packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)) * count)
        for _ in range(count):
            crc = zlib.crc32(chunk, crc)
        size += len(chunk) * count
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()  # the empty last block
    return b"\x1f\x8b\x08\0\0\0\0\0\2\xff" + b"".join(blocks) + end + struct.pack("<II", crc, size & 0xFFFFFFFF)
