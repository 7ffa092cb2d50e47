"""The web app in-process (httpx's ASGI transport): every page and API endpoint, auth, caching, limits, escaping.

The store is the example corpus, analysed once per module; tests that write get their own copy.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import sqlite3
import threading
import time
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

import httpx
import pytest

from newsweave import open_store
from newsweave.errors import ConfigError
from newsweave.pipeline import ingest, update_stories
from newsweave.store import search
from newsweave.web import allowed_hosts_for, create_app, graphics, views
from newsweave.web.app import UVICORN_OPTIONS
from newsweave.web.middleware import CONTENT_SECURITY_POLICY, BodyLimit

from .conftest import EXAMPLES

pytestmark = pytest.mark.anyio

TOKEN = "test-token-0123456789"
INPUTS = [str(EXAMPLES / d) for d in ("text", "html", "feeds")]
JETS_HEADLINE = "Venezuela moves fighter jets"
TEMPLATES = Path(__file__).resolve().parent.parent / "newsweave" / "web" / "templates"

XSS_TEXT = (
    "Harbour council argues over the new ferry timetable\n\n"
    "The council of Port Elswick met on Tuesday to argue over a new ferry timetable. "
    "A resident pasted <script>alert(1)</script> into the public comment form, officials said.\n\n"
    "Another placard read <img src=x onerror=alert(1)> and the mayor promised a written reply within a month."
)
JETS_FOLLOW_UP = (
    "Venezuela deploys Su-30MK2 jets and air defences to its Caribbean coast\n\n"
    "Venezuela has moved Su-30MK2 fighter jets and air-defence systems to bases near its Caribbean coast, "
    "according to internal military documents reviewed by The Meridian Post.\n\n"
    "The documents, dated Oct 24, order two squadrons of Su-30MK2 jets to airfields in the western state of Falcón, "
    "and some 5,000 troops have been placed on heightened alert along the coasts of Falcón and Sucre states.\n\n"
    "The deployment follows at least 14 US military strikes on boats in the Caribbean since early September. "
    "The strikes have killed at least 61 people.\n\n"
    "Asked about the documents, Venezuela's defence ministry declined to respond."
)


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture(scope="module")
def analyzed_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("web") / "web.db"
    store = open_store(str(db))
    report = ingest(INPUTS, store)
    assert len(report.added) == 22
    update_stories(store)
    store.close()
    return db


@pytest.fixture(scope="module")
def app(analyzed_db):
    return create_app(str(analyzed_db), token=TOKEN, open_reads=True)


@pytest.fixture(scope="module")
def jets(analyzed_db) -> str:
    return next(s.id for s in open_store(str(analyzed_db)).stories() if s.headline.startswith(JETS_HEADLINE))


@pytest.fixture
def writable_db(analyzed_db, tmp_path) -> Path:
    """A copy of the analysed store (SQLite's backup API, so the WAL is included) for tests that write."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(analyzed_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


def client(app, base_url: str = "http://localhost") -> httpx.AsyncClient:
    """In-process, as a browser at the default allowed host `localhost` would ask (not httpx's `testserver`)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- pages ---


async def test_story_list_shows_every_story_latest_first_with_its_counts(app, analyzed_db):
    async with client(app) as c:
        r = await c.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    stories = open_store(str(analyzed_db)).stories()
    positions = [r.text.index(f"/stories/{s.id}") for s in stories]
    assert positions == sorted(positions) and len(stories) == 6
    row = re.search(r"<tr>\s*<td><a class=\"headline\" href=\"/stories/\w+\">Venezuela moves fighter jets.*?</tr>", r.text, re.S).group()
    cells = re.findall(r'<td class="num">(?:<span class="badge-conflict">)?(\d+)', row)
    assert cells == ["6", "6", "6", "2"]  # articles, outlets, independent sources, conflicts


@pytest.mark.parametrize("query", ["Su-20MK2", "su-30mk2", "Falcon", "\"air defences\"", "Pechora*"])
async def test_story_list_search_finds_the_jets_story(app, jets, query):
    async with client(app) as c:
        r = await c.get("/", params={"q": query})
    assert r.status_code == 200
    assert re.findall(r'href="/stories/(\w+)"', r.text) == [jets], query


async def test_story_list_search_with_no_match_says_so_and_survives_query_syntax(app):
    async with client(app) as c:
        for query in ['"', "AND OR NOT", "col:term", "^*-", "NEAR(a b)"]:
            r = await c.get("/", params={"q": query})
            assert r.status_code == 200, query
        wordless = await c.get("/", params={"q": "^*-"})
        unfindable = await c.get("/", params={"q": "zzqx-unfindable"})
    assert "No story matches" in unfindable.text
    assert "has no words to search for" in wordless.text


async def test_story_list_filters_by_outlet_and_date_range(app, analyzed_db):
    async with client(app) as c:
        by_outlet = await c.get("/", params={"outlet": "Continental Press Agency"})
        recent = await c.get("/", params={"since": "2025-11-01"})
        old = await c.get("/", params={"until": "2025-10-25"})
        both = await c.get("/", params={"since": "2025-11-01", "until": "2025-11-02"})
    store = open_store(str(analyzed_db))
    ids = lambda r: set(re.findall(r'href="/stories/(\w+)"', r.text))  # noqa: E731
    expected_outlet = {store.story_of(a.id) for a in store.articles(outlet="Continental Press Agency")}
    assert ids(by_outlet) == expected_outlet and 0 < len(expected_outlet) < 6
    assert ids(recent) == {s.id for s in store.stories() if s.last_published and s.last_published >= date(2025, 11, 1)}
    assert ids(old) == {s.id for s in store.stories() if s.first_published and s.first_published <= date(2025, 10, 25)}
    assert ids(both) <= ids(recent)
    assert 'selected>Continental Press Agency' in by_outlet.text


async def test_story_list_ignores_a_malformed_date_and_says_why(app):
    async with client(app) as c:
        r = await c.get("/", params={"since": "yesterday", "until": ""})
    assert r.status_code == 200 and "is not a date (YYYY-MM-DD); ignored" in r.text
    assert len(re.findall(r'href="/stories/(\w+)"', r.text)) == 6


async def test_story_page_puts_the_conflict_first_with_values_side_by_side_and_evidence_marked(app, jets):
    async with client(app) as c:
        r = await c.get(f"/stories/{jets}")
    assert r.status_code == 200
    page = r.text
    conflicts = page[page.index('id="conflicts"'):page.index('id="matrix"')]
    assert page.index('id="conflicts"') < page.index('id="matrix"')
    assert '<mark class="differs">Su-20MK2</mark>' in conflicts and '<mark class="same">Su-30MK2</mark>' in conflicts
    # the evidence sentence, with the differing designator marked inside it
    assert "Venezuela has repositioned <mark class=\"differs\">Su-20MK2</mark> fighter jets" in conflicts
    assert "Northgate Daily" in conflicts
    entities = page[page.index('class="entities"'):page.index('id="conflicts"')]
    assert "Su-30MK2" in entities and "Venezuela" in entities  # the story's key entities, under its headline


async def test_story_page_claim_matrix_has_outlets_as_columns_and_three_cell_states(app, jets):
    async with client(app) as c:
        page = (await c.get(f"/stories/{jets}")).text
    matrix = page[page.index('<table class="matrix">'):page.index("</table>", page.index('<table class="matrix">'))]
    header = re.findall(r'<th scope="col" class="outlet-col">(.*?)</th>', matrix)
    assert len(header) == 6 and header[0] == "The Meridian Post"
    first_row = matrix[matrix.index("<tbody>"):matrix.index("</tr>", matrix.index("<tbody>"))]
    assert "row-disputed" in first_row and "Su-30MK2" in first_row
    northgate = header.index("Northgate Daily")
    cells = re.findall(r'<td class="cell-(states|differs|silent)"', first_row)
    assert cells[northgate] == "differs" and cells.count("states") == 5
    assert 'class="cell-silent"' in matrix


async def test_story_page_says_who_a_claim_is_credited_to(app, jets):
    async with client(app) as c:
        page = (await c.get(f"/stories/{jets}")).text
    matrix = page[page.index('<table class="matrix">'):page.index("</table>", page.index('<table class="matrix">'))]
    said = re.findall(r'<small class="said-by">said by (.*?)</small>', matrix)
    assert said and any("The Meridian Post" in s for s in said)  # "the Post reported" read as the outlet it stands for
    assert "said by the Post" not in matrix


async def test_story_page_draws_the_provenance_graph_and_timeline_as_inline_svg_without_scripts(app, jets):
    async with client(app) as c:
        page = (await c.get(f"/stories/{jets}")).text
    graph = page[page.index('<svg class="graph"'):page.index("</svg>", page.index('<svg class="graph"'))]
    assert "The Meridian Post" in graph and graph.count('class="edge edge-credits"') >= 5
    assert 'node node-outlet node-upstream' in graph  # the Meridian Post is credited by the others
    timeline = page[page.index('<svg class="timeline"'):]
    assert timeline.count("<circle") == 5 and "Undated:" in page  # Atlas Morning Herald has no date
    assert "<script" not in page and " style=" not in page
    assert 'id="unique"' in page and "Unique details" in page


async def test_story_page_puts_a_key_facts_box_first_with_verdicts_and_an_updates_timeline(writable_db, jets):
    store = open_store(str(writable_db))
    story = store.dossier(jets)
    by_outlet = {a["outlet"]: a["id"] for a in story["articles"]}
    outlets = ("The Meridian Post", "Northgate Daily", "Coastline Courier")
    post, northgate, courier = (by_outlet[name] for name in outlets)
    hostile = "Two died. <script>alert(5)</script><img src=x onerror=alert(5)>"
    story["facts"] = [
        {"kind": "killed", "value": "2", "number": 2.0, "verdict": "updated", "values": [
            {"value": "1", "articles": [post], "published": "2025-10-31", "evidence": ["One person was killed."]},
            {"value": "2", "articles": [northgate, courier], "published": "2025-11-01",
             "evidence": [hostile, "2 were killed."]}]},
        {"kind": "injured", "value": "3", "number": 3.0, "verdict": "corroborated", "values": [
            {"value": "3", "articles": [post, northgate], "published": "2025-10-31", "evidence": ["3 hurt."] * 2}]},
    ]
    store.save_dossier(jets, story)
    plain = next(s.id for s in store.stories() if not store.dossier(s.id).get("facts"))
    store.close()
    async with client(create_app(str(writable_db), token=TOKEN, open_reads=True)) as c:
        page = (await c.get(f"/stories/{jets}")).text
        without = (await c.get(f"/stories/{plain}")).text
    assert page.index('id="facts"') < page.index('id="conflicts"') < page.index('id="matrix"')
    box = page[page.index('<section id="facts"'):page.index("</section>", page.index('<section id="facts"'))]
    assert '<span class="status status-updated">updated</span>' in box
    assert '<span class="status status-corroborated">corroborated</span>' in box  # styled as the claims' statuses are
    timeline = box[box.index('<ol class="fact-values fact-timeline">'):box.index("</ol>")]
    assert re.findall(r'<span class="date">([\d-]+)</span> <mark class="(\w+)">(\d)</mark>', timeline) == [
        ("2025-10-31", "earlier", "1"), ("2025-11-01", "same", "2")]
    assert f'<a href="/articles/{courier}">Coastline Courier</a>' in timeline
    assert "Two died. &lt;script&gt;alert(5)&lt;/script&gt;&lt;img src=x onerror=alert(5)&gt;" in timeline
    assert "<script" not in page and "<img" not in page and " style=" not in page
    assert 'id="facts"' not in without and "Key facts" not in without  # a story without facts: no box


async def test_a_story_prefix_redirects_and_an_unknown_story_is_a_404_page(app, jets):
    async with client(app) as c:
        prefix = await c.get(f"/stories/{jets[:5]}")
        missing = await c.get("/stories/snothere")
        odd = await c.get("/stories/..%2f..%2fetc")
    assert prefix.status_code == 307 and prefix.headers["location"] == f"/stories/{jets}"
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"] and "no story snothere" in missing.text
    assert odd.status_code == 404


async def test_article_page_marks_its_claims_linked_to_the_story_and_keeps_boilerplate_in_details(app, jets, analyzed_db):
    northgate = next(a for a in open_store(str(analyzed_db)).story_articles(jets) if a.outlet == "Northgate Daily")
    async with client(app) as c:
        page = (await c.get(f"/articles/{northgate.id}")).text
    assert f'<a class="claim" href="/stories/{jets}#claim-' in page
    assert re.search(r'<mark class="disputed">Venezuela has repositioned Su-20MK2 fighter jets', page)
    removed = page[page.index('<details class="removed"'):page.index("</details>", page.index('<details class="removed"'))]
    assert "<details class=\"removed\">" in page  # closed until asked for
    assert all(line.reason in removed for line in northgate.removed) and len(northgate.removed) > 0


async def test_an_article_prefix_redirects_and_an_unknown_article_is_404(app, analyzed_db):
    article = open_store(str(analyzed_db)).articles(limit=1)[0]
    async with client(app) as c:
        prefix = await c.get(f"/articles/{article.id[:6]}")
        missing = await c.get("/articles/ffffffffffffffff")
    assert prefix.status_code == 307 and prefix.headers["location"] == f"/articles/{article.id}"
    assert missing.status_code == 404


async def test_ingest_form_page_asks_for_text_files_and_the_token(app):
    async with client(app) as c:
        page = (await c.get("/ingest")).text
    assert '<textarea name="text"' in page and 'type="file" name="files" multiple' in page and 'name="token" type="password"' in page


async def test_docs_page_lists_every_api_endpoint_and_the_openapi_document_holds_the_dossier_schema(app):
    async with client(app) as c:
        docs = await c.get("/docs")
        spec = (await c.get("/openapi.json")).json()
    assert docs.status_code == 200 and "<script" not in docs.text
    for path in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/articles"):
        assert f"<code>{path}</code>" in docs.text, path
        assert path in spec["paths"]
    schemas = spec["components"]["schemas"]
    assert "Dossier" in schemas and "Dossier_story" in schemas
    story_response = spec["paths"]["/api/stories/{story_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert story_response == {"$ref": "#/components/schemas/Dossier"}
    assert "#/$defs/" not in json.dumps(schemas)  # every reference resolves inside the OpenAPI document
    assert spec["paths"]["/api/articles"]["post"]["security"]


async def test_static_files_come_from_memory_and_nothing_else_is_served(app):
    async with client(app) as c:
        css = await c.get("/static/style.css")
        again = await c.get("/static/style.css", headers={"If-None-Match": css.headers["etag"]})
        for bad in ("/static/..%2f__init__.py", "/static/../app.py", "/static/nothere.css", "/static/%2e%2e%2fapp.py"):
            assert (await c.get(bad)).status_code == 404, bad
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert again.status_code == 304


# --- the API ---


async def test_api_stories_pages_with_total_and_next_link_until_the_last_page(app, analyzed_db):
    async with client(app) as c:
        first = await c.get("/api/stories", params={"limit": 4})
        second = await c.get(first.json()["next"])
        bad = await c.get("/api/stories", params={"limit": 0})
    body = first.json()
    assert body["total"] == 6 and len(body["stories"]) == 4 and body["previous"] is None
    assert body["next"] == "/api/stories?limit=4&offset=4"
    assert first.headers["link"] == '</api/stories?limit=4&offset=4>; rel="next"'
    tail = second.json()
    assert len(tail["stories"]) == 2 and tail["next"] is None and tail["previous"] == "/api/stories?limit=4&offset=0"
    listed = [s["id"] for s in body["stories"] + tail["stories"]]
    assert listed == [s.id for s in open_store(str(analyzed_db)).stories()]
    jets = next(s for s in body["stories"] + tail["stories"] if s["headline"].startswith(JETS_HEADLINE))
    assert (jets["articles"], jets["outlets"], jets["conflicts"], jets["independent_sources"]) == (6, 6, 2, 6)
    assert jets["url"] == f"/api/stories/{jets['id']}" and jets["html_url"] == f"/stories/{jets['id']}"
    assert bad.status_code == 422


async def test_api_stories_search_and_filters(app, jets):
    async with client(app) as c:
        found = (await c.get("/api/stories", params={"q": "Su-20MK2"})).json()
        outlet = (await c.get("/api/stories", params={"outlet": "The Meridian Post", "since": "2025-10-01"})).json()
        bad_date = await c.get("/api/stories", params={"since": "soon"})
    assert [s["id"] for s in found["stories"]] == [jets] and found["total"] == 1
    assert jets in [s["id"] for s in outlet["stories"]]
    assert bad_date.status_code == 422 and "since" in bad_date.json()["detail"]


async def test_api_story_is_a_dossier_document_valid_against_the_published_schema(app, jets, analyzed_db):
    jsonschema = pytest.importorskip("jsonschema")
    async with client(app) as c:
        r = await c.get(f"/api/stories/{jets}")
        by_prefix = await c.get(f"/api/stories/{jets[:6]}")
        schema = (await c.get("/api/schema/dossier")).json()
        missing = await c.get("/api/stories/snothere")
    data = r.json()
    jsonschema.validate(data, schema)
    assert data["format"] == "newsweave-dossier" and data["version"] == 1 and len(data["stories"]) == 1
    assert data["stories"][0] == open_store(str(analyzed_db)).dossier(jets)
    assert by_prefix.json() == data
    assert missing.status_code == 404 and missing.json()["detail"] == "no story snothere"


async def test_api_article_returns_the_article_with_its_sources_and_story(app, jets, analyzed_db):
    store = open_store(str(analyzed_db))
    article = store.story_articles(jets)[0]
    async with client(app) as c:
        r = await c.get(f"/api/articles/{article.id}")
        missing = await c.get("/api/articles/0000000000000000")
    body = r.json()
    assert body["id"] == article.id and body["text"] == article.text and body["story"] == jets
    assert body["sources"] == store.sources(article.id)
    assert body["removed"] == [{"text": x.text, "reason": x.reason} for x in article.removed]
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/json"


# --- caching ---


@pytest.mark.parametrize("path", ["/", "/api/stories", "/stories/{jets}", "/api/stories/{jets}", "/docs"])
async def test_gets_carry_an_etag_and_answer_304_when_it_matches(app, jets, path):
    path = path.format(jets=jets)
    async with client(app) as c:
        first = await c.get(path)
        again = await c.get(path, headers={"If-None-Match": first.headers["etag"]})
        stale = await c.get(path, headers={"If-None-Match": '"not-it"'})
    assert first.status_code == 200 and re.fullmatch(r'"[0-9a-f]{24}"', first.headers["etag"])
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == first.headers["etag"]
    assert stale.status_code == 200 and stale.content == first.content
    assert first.headers["cache-control"] == "no-cache"


async def test_different_pages_have_different_etags(app, jets):
    async with client(app) as c:
        tags = {(await c.get(p)).headers["etag"] for p in ("/", "/?q=quake", f"/stories/{jets}", "/api/stories", "/api/stories?limit=1")}
    assert len(tags) == 5


# --- safety ---


@pytest.mark.parametrize("path", ["/", "/stories/{jets}", "/ingest", "/docs", "/api/stories", "/no/such/page", "/static/style.css"])
async def test_every_response_carries_the_content_security_policy(app, jets, path):
    async with client(app) as c:
        r = await c.get(path.format(jets=jets))
    assert r.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "default-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_closed_reads_need_the_token_401_without_403_wrong(analyzed_db, jets):
    closed = create_app(str(analyzed_db), token=TOKEN, open_reads=False)
    basic = "Basic " + base64.b64encode(f"reader:{TOKEN}".encode()).decode()
    async with client(closed) as c:
        for path in ("/", f"/stories/{jets}", "/api/stories", f"/api/stories/{jets}", "/ingest"):
            none = await c.get(path)
            wrong = await c.get(path, headers=bearer("nope"))
            right = await c.get(path, headers=bearer())
            assert (none.status_code, wrong.status_code, right.status_code) == (401, 403, 200), path
            assert "www-authenticate" in none.headers
        page = await c.get("/", headers={"Authorization": basic})
        api_challenge = (await c.get("/api/stories")).headers["www-authenticate"]
        page_challenge = (await c.get("/")).headers["www-authenticate"]
        docs = await c.get("/docs")
    assert page.status_code == 200  # a browser's Basic auth, the token as password
    assert api_challenge.startswith("Bearer") and page_challenge.startswith("Basic")
    assert docs.status_code == 200  # the API reference holds no data


async def test_writes_need_the_bearer_token_401_without_403_wrong_or_read_only(app, analyzed_db):
    read_only = create_app(str(analyzed_db), token=None, open_reads=True)
    payload = {"text": XSS_TEXT, "outlet": "The Test Gazette"}
    basic = "Basic " + base64.b64encode(f"x:{TOKEN}".encode()).decode()
    async with client(app) as c:
        none = await c.post("/api/articles", json=payload)
        wrong = await c.post("/api/articles", json=payload, headers=bearer("nope"))
        ambient = await c.post("/api/articles", json=payload, headers={"Authorization": basic})
        invalid_unauthenticated = await c.post("/api/articles", json={"nonsense": 1})
        form_none = await c.post("/ingest", data={"text": XSS_TEXT})
        form_wrong = await c.post("/ingest", data={"text": XSS_TEXT, "token": "nope"})
        cross_site = await c.post("/ingest", data={"text": XSS_TEXT, "token": TOKEN}, headers={"Origin": "https://evil.example"})
    async with client(read_only) as c:
        disabled = await c.post("/api/articles", json=payload, headers=bearer())
    assert none.status_code == 401 and none.headers["www-authenticate"].startswith("Bearer")
    assert wrong.status_code == 403 and ambient.status_code == 401  # Basic credentials never authorise a write
    assert invalid_unauthenticated.status_code == 401  # the token is checked before the body is looked at
    assert form_none.status_code == 401 and "text/html" in form_none.headers["content-type"]
    assert form_wrong.status_code == 403 and cross_site.status_code == 403
    assert disabled.status_code == 403 and "read-only" in disabled.json()["detail"]
    assert open_store(str(analyzed_db)).count() == 22  # nothing was written


async def test_request_bodies_over_the_cap_get_413(analyzed_db):
    capped = create_app(str(analyzed_db), token=TOKEN, open_reads=True, max_body_bytes=2_000)
    big = "x" * 3_000

    async def chunks():
        for _ in range(3):
            yield b"y" * 1_000

    async with client(capped) as c:
        api = await c.post("/api/articles", json={"text": big}, headers=bearer())
        upload = await c.post("/ingest", data={"token": TOKEN}, files={"files": ("big.txt", big.encode(), "text/plain")})
        streamed = await c.post("/api/articles", content=chunks(), headers={**bearer(), "Content-Type": "application/json"})
        small = await c.get("/")
    assert api.status_code == 413 and upload.status_code == 413 and streamed.status_code == 413
    assert "over the 2,000-byte limit" in api.text and api.headers["content-security-policy"]
    assert small.status_code == 200
    assert open_store(str(analyzed_db)).count() == 22


# --- hosts, origins, and oversized bodies on a real server ---


@pytest.mark.parametrize("host", ["localhost", "LocalHost:8000", "127.0.0.1:8000", "[::1]:8000"])
async def test_the_loopback_names_are_allowed_hosts_by_default(app, host):
    async with client(app) as c:
        r = await c.get("/api/stories", headers={"Host": host})
    assert r.status_code == 200, host


async def test_a_host_not_allowed_gets_400_saying_how_to_allow_it_before_anything_is_read_or_written(writable_db):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    async with client(app) as c:
        page = await c.get("/", headers={"Host": "evil.example:8000"})
        api = await c.get("/api/stories", headers={"Host": "localhost.evil.example"})
        write = await c.post("/api/articles", json={"text": XSS_TEXT}, headers={**bearer(), "Host": "evil.example"})
        none = await c.get("/", headers={"Host": ""})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/plain")
    assert page.text.strip() == ("Host not allowed: 'evil.example'; this server answers to localhost, 127.0.0.1, ::1. "
                                 "If 'evil.example' is a name of this server, start it with --allowed-host evil.example")
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert api.status_code == 400 and "--allowed-host localhost.evil.example" in api.json()["detail"]
    assert write.status_code == 400 and open_store(str(writable_db)).count() == 22
    assert none.status_code == 400 and "no Host header" in none.text


async def test_allowed_hosts_take_names_and_wildcards_and_refuse_a_url(analyzed_db):
    app = create_app(str(analyzed_db), token=TOKEN, open_reads=True,
                     allowed_hosts=["News.Example.org", "*.intranet.example", "[fd00::7]"])
    async with client(app) as c:
        answers = {host: (await c.get("/api/stories", headers={"Host": host})).status_code
                   for host in ("news.example.org", "news.example.org.", "a.intranet.example", "b.a.intranet.example",
                                "[fd00::7]:8000", "intranet.example", "localhost", "example.org")}
    assert answers == {"news.example.org": 200, "news.example.org.": 200, "a.intranet.example": 200,
                       "b.a.intranet.example": 200, "[fd00::7]:8000": 200,
                       "intranet.example": 400, "localhost": 400, "example.org": 400}
    with pytest.raises(ConfigError, match="'http://news.example.org:8000' is not a host name: give a name"):
        create_app(str(analyzed_db), token=TOKEN, open_reads=True, allowed_hosts=["http://news.example.org:8000"])


def test_a_server_bound_to_every_interface_answers_to_the_machine_name_and_its_addresses(monkeypatch):
    monkeypatch.setattr(socket, "gethostname", lambda: "Newsroom-Box.lan")
    resolved = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.20", 0)),
                (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fe80::1%eth0", 0, 0, 2))]
    monkeypatch.setattr(socket, "getaddrinfo", lambda name, port, *args, **kwargs: resolved)
    loopback = ("localhost", "127.0.0.1", "::1")
    assert allowed_hosts_for("0.0.0.0") == (*loopback, "newsroom-box.lan", "newsroom-box", "192.168.1.20", "fe80::1")
    assert allowed_hosts_for("::", ["news.example.org"])[-1] == "news.example.org"
    assert allowed_hosts_for("192.168.1.20", ["news.example.org"]) == (*loopback, "192.168.1.20", "news.example.org")
    assert allowed_hosts_for("[::1]") == loopback


async def test_a_write_from_another_origin_gets_403_even_with_the_token_and_reads_do_not_care(writable_db):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    payload = {"text": JETS_FOLLOW_UP, "outlet": "The Test Gazette"}
    async with client(app) as c:
        foreign = {origin: await c.post("/api/articles", json=payload, headers={**bearer(), "Origin": origin})
                   for origin in ("https://evil.example", "null", "http://localhost:3000", "http://localhost.evil.example")}
        form = await c.post("/ingest", data={"text": JETS_FOLLOW_UP, "token": TOKEN}, headers={"Origin": "https://evil.example"})
        merge = await c.post("/api/stories/s0/merge", json={"stories": ["s1"]}, headers={**bearer(), "Origin": "null"})
        read = await c.get("/api/stories", headers={"Origin": "https://evil.example"})
        assert open_store(str(writable_db)).count() == 22  # nothing written so far
        own = await c.post("/api/articles", json=payload, headers={**bearer(), "Origin": "http://localhost"})
    assert {origin: r.status_code for origin, r in foreign.items()} == dict.fromkeys(foreign, 403)
    assert foreign["https://evil.example"].json()["detail"] == (
        "cross-origin write refused: this request comes from a page at 'https://evil.example', not from this server "
        "(http://localhost); write from this server's own pages, or from a script, which sends no Origin, with the token")
    assert form.status_code == 403 and "cross-origin write refused" in form.text
    assert merge.status_code == 403 and read.status_code == 200
    assert own.status_code == 201 and open_store(str(writable_db)).count() == 23


async def test_pages_set_a_same_origin_referrer_policy_so_their_own_form_posts_carry_their_origin(app):
    """Under `Referrer-Policy: no-referrer` a browser sends `Origin: null` with a page's form posts (Chromium does),
    which the origin check refuses; under same-origin it sends the page's origin, and other sites get no Referer."""
    async with client(app) as c:
        r = await c.get("/ingest")
    assert r.headers["referrer-policy"] == "same-origin"


@pytest.fixture
def served(analyzed_db) -> Iterator[int]:
    """The app with its default caps, on uvicorn run as `newsweave serve` runs it, on 127.0.0.1; yields the port."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    app = create_app(str(analyzed_db), token=TOKEN, open_reads=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", **UVICORN_OPTIONS))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


HUNDRED_MB = 100 * 1024 * 1024


def megabytes(total: int) -> Iterator[bytes]:
    """`total` bytes a mebibyte at a time, so no client here holds the whole body."""
    chunk = b"x" * (1024 * 1024)
    for _ in range(total // len(chunk)):
        yield chunk


def post_whole_body_then_read(port: int, headers: dict[str, str], body: Iterable[bytes], *, chunked: bool = False) -> bytes:
    """POST /api/articles as urllib and requests do: the whole body sent before a byte of the answer is read.
    Returns the answer's status line and headers."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
        head = ["POST /api/articles HTTP/1.1", f"Host: 127.0.0.1:{port}", f"Authorization: Bearer {TOKEN}",
                *(f"{name}: {value}" for name, value in headers.items())]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        for chunk in body:
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            conn.sendall(b"0\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer and (data := conn.recv(4096)):
            answer += data
    return answer.partition(b"\r\n\r\n")[0]


def test_a_100_mb_post_gets_413_not_a_connection_reset(served):
    declared = post_whole_body_then_read(served, {"Content-Length": str(HUNDRED_MB)}, megabytes(HUNDRED_MB))
    chunked = post_whole_body_then_read(served, {"Transfer-Encoding": "chunked"}, megabytes(HUNDRED_MB), chunked=True)
    streamed = httpx.post(f"http://127.0.0.1:{served}/api/articles", content=megabytes(HUNDRED_MB), headers=bearer(), timeout=60)
    assert declared.startswith(b"HTTP/1.1 413 ") and b"connection: close" in declared.lower()
    assert chunked.startswith(b"HTTP/1.1 413 ")
    assert streamed.status_code == 413 and "over the 11,534,336-byte limit" in streamed.json()["detail"]


def test_a_post_over_the_cap_that_waits_for_100_continue_is_refused_before_its_body_is_sent(served):
    answer = post_whole_body_then_read(served, {"Content-Length": str(HUNDRED_MB), "Expect": "100-continue"}, [])
    assert answer.startswith(b"HTTP/1.1 413 ")  # not 100 Continue: the client need not send 100 MB to hear no


# Reads of 1,000 bytes under a 2,000-byte cap and a 10,000-byte drain limit: streamed, 3 to pass the cap and
# then 11 to pass the drain limit; declared over the cap, only the 11; declared past the drain limit, none.
@pytest.mark.parametrize("declared, expected_reads", [(None, 3 + 11), (5_000, 11), (1_000_000, 0)])
async def test_an_endless_body_is_drained_no_further_than_the_limit_then_the_connection_closed(declared, expected_reads):
    """Past the cap, BodyLimit reads on (for a clean close) only to its drain limit, and not at all when the
    declared length is past that; the 413 always closes the connection."""
    reads = 0

    async def endless() -> dict:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 1_000, "more_body": True}

    async def reads_its_body(scope, receive, send) -> None:  # as the API's body parsers do
        while (await receive()).get("more_body"):
            pass

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    headers = [] if declared is None else [(b"content-length", str(declared).encode())]
    limit = BodyLimit(reads_its_body, max_bytes=2_000, drain_bytes=10_000)
    await limit({"type": "http", "method": "POST", "path": "/api/articles", "headers": headers}, endless, send)
    assert sent[0]["status"] == 413 and (b"connection", b"close") in sent[0]["headers"]
    assert reads == expected_reads
    assert "over the 2,000-byte limit" in json.loads(sent[1]["body"])["detail"]


async def test_an_uploaded_file_over_the_readers_cap_fails_with_the_clis_message(writable_db):
    from newsweave.config import ReadSettings

    app = create_app(str(writable_db), token=TOKEN, open_reads=True, read=ReadSettings(max_bytes=500))
    async with client(app) as c:
        r = await c.post("/ingest", data={"token": TOKEN}, files={"files": ("long.txt", b"word " * 200, "text/plain")})
    assert r.status_code == 422
    assert "upload:long.txt" in r.text and "larger than the 500-byte cap" in r.text


def test_templates_never_mark_text_safe():
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", "") and "Markup" not in source and "autoescape false" not in source, template.name


# --- ingest (each test on its own copy of the store) ---


async def test_api_ingest_adds_the_article_and_it_joins_its_story(writable_db, jets):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    payload = {"text": JETS_FOLLOW_UP, "outlet": "The Test Gazette", "published": "2025-11-02",
               "url": "https://gazette.example/venezuela-jets", "author": "T. Tester"}
    async with client(app) as c:
        added = await c.post("/api/articles", json=payload, headers=bearer())
        again = await c.post("/api/articles", json=payload, headers=bearer())
        story = (await c.get(f"/api/stories/{jets}")).json()["stories"][0]
    body = added.json()
    assert added.status_code == 201, body
    [article] = body["articles"]
    assert article["status"] == "added" and article["story"] == jets
    assert body["story"]["id"] == jets and body["story"]["articles"] == 7 and body["story"]["html_url"] == f"/stories/{jets}"
    assert added.headers["location"] == f"/api/articles/{article['id']}"
    assert again.status_code == 200 and again.json()["articles"][0]["status"] == "known"
    assert article["id"] in [a["id"] for a in story["articles"]] and "The Test Gazette" in story["outlets"]


async def test_api_ingest_rejects_what_the_cli_would_with_its_message(writable_db):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    async with client(app) as c:
        short = await c.post("/api/articles", json={"text": "Too short\n\nNothing here."}, headers=bearer())
        empty = await c.post("/api/articles", json={"title": "no text"}, headers=bearer())
        unknown = await c.post("/api/articles", json={"text": JETS_FOLLOW_UP, "colour": "red"}, headers=bearer())
    assert short.status_code == 422 and "no article text" in short.json()["detail"] and short.json()["failed"][0].startswith("api:")
    assert empty.status_code == 422 and "`text` or `html`" in empty.json()["detail"]
    assert unknown.status_code == 422 and "colour" in unknown.json()["detail"]


async def test_ingest_form_paste_joins_its_story_and_a_bad_upload_is_reported_like_the_cli(writable_db, jets):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    form = {"token": TOKEN, "text": JETS_FOLLOW_UP, "outlet": "The Test Gazette", "published": "2025-11-02", "format": "text"}
    files = [("files", ("scan.pdf", b"%PDF-1.7\x00\x01\x02binary", "application/pdf")), ("files", ("empty.txt", b"", "text/plain"))]
    async with client(app) as c:
        r = await c.post("/ingest", data=form, files=files, headers={"Origin": "http://localhost"})
    assert r.status_code == 200, r.text
    assert "<b>1</b> added" in r.text and '<b class="failed">2</b> failed' in r.text
    assert f'<a class="joined-story" href="/stories/{jets}">' in r.text and "(7 articles)" in r.text
    assert "upload:empty.txt</code>: empty input: nothing to read" in r.text
    assert "<code>upload:scan.pdf</code>: this is a PDF document" in r.text
    assert TOKEN not in r.text  # the token is never echoed back


async def test_ingest_form_with_nothing_to_ingest_says_so(writable_db):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    async with client(app) as c:
        r = await c.post("/ingest", data={"token": TOKEN, "text": "   "})
    assert r.status_code == 422 and "nothing to ingest" in r.text


async def test_an_article_holding_script_and_onerror_payloads_renders_as_text(writable_db):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    async with client(app) as c:
        added = (await c.post("/api/articles", json={"text": XSS_TEXT, "outlet": "<b>Evil</b> Outlet", "title": "<script>alert(2)</script>"},
                              headers=bearer())).json()
        article_id = added["articles"][0]["id"]
        pages = [(await c.get(p)).text for p in (f"/articles/{article_id}", f"/stories/{added['story']['id']}", "/",
                                                  "/?q=ferry", "/?outlet=<b>Evil</b> Outlet")]
        api = (await c.get(f"/api/articles/{article_id}")).json()
    assert "<script>alert(1)</script>" in api["text"] and "<img src=x onerror=alert(1)>" in api["text"]
    article_page = pages[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in article_page
    for page in pages:
        assert "<script" not in page and "<img" not in page and "<b>Evil" not in page
    assert "&lt;b&gt;Evil&lt;/b&gt; Outlet" in pages[1] and "&lt;script&gt;alert(2)&lt;/script&gt;" in pages[2]


# --- the views and pictures, on values built by hand ---


def _story(**extra):
    articles = [
        {"id": "a1", "source": "a", "outlet": "Alpha", "title": "A", "published": "2025-11-01", "text": "", "removed": [], "cites": [], "copy_of": None},
        {"id": "b1", "source": "b", "outlet": "Beta", "title": "B", "published": "2025-11-02", "text": "", "removed": [],
         "cites": [{"source": "alpha", "evidence": "as Alpha reported", "cue": "reported"}], "copy_of": None},
        {"id": "c1", "source": "c", "outlet": "Gamma", "title": "C", "published": None, "text": "", "removed": [], "cites": [],
         "copy_of": {"article": "b1", "kind": "near-duplicate", "similarity": 0.93}},
    ]
    claims = [
        {"id": "k1", "text": "Jets are Su-30MK2.", "status": "disputed", "unique": False, "independent_sources": 1, "outlets": 2,
         "mentions": [{"article": "a1", "sentence": "Jets are Su-30MK2."}, {"article": "b1", "sentence": "Jets are Su-20MK2."}],
         "origins": [{"source": "Alpha", "articles": ["a1", "b1"]}]},
        {"id": "k2", "text": "It rained.", "status": "single-source", "unique": True, "independent_sources": 1, "outlets": 1,
         "mentions": [{"article": "c1", "sentence": "It rained."}], "origins": [{"source": "Gamma", "articles": ["c1"]}]},
    ]
    conflicts = [{"claim": "k1", "kind": "designator", "explanation": "x",
                  "values": [{"value": "Su-20MK2", "articles": ["b1"], "evidence": ["Jets are Su-20MK2."]},
                             {"value": "Su-30MK2", "articles": ["a1"], "evidence": ["Jets are Su-30MK2."]}]}]
    return {"id": "s1", "headline": "h", "articles": articles, "claims": claims, "conflicts": conflicts,
            "unique_details": [{"claim": "k2", "article": "c1", "outlet": "Gamma", "text": "It rained."}], **extra}


def test_matrix_marks_the_claims_first_article_value_as_stated_and_the_other_as_differing():
    matrix = views.claim_matrix(_story())
    assert [c.outlet for c in matrix.columns] == ["Alpha", "Beta", "Gamma"]  # by first publication, undated last
    [row] = matrix.rows  # the unique claim is not a row
    assert [c.state for c in row.cells] == ["states", "differs", "silent"]
    assert row.cells[1].values == ("Su-20MK2",)


def test_matrix_gives_each_article_of_no_known_outlet_a_column_of_its_own_named_never_by_a_path():
    story = _story()
    for article, title in zip(story["articles"][1:], ("Strikes go on", None)):
        article.update(outlet=None, title=title, source=f"/home/ana/paste/{article['id']}.txt")
    columns = views.claim_matrix(story).columns
    assert [c.outlet for c in columns] == ["Alpha", "Strikes go on", "c1.txt"]
    assert dict(views.unique_by_outlet(story)) == {"c1.txt": story["unique_details"]}


def test_conflict_evidence_marks_the_value_or_else_its_number():
    assert views.highlight("Killed 61 people, officials said.", views.value_needles("at least 61 people"), "differs") == (
        views.Segment("Killed "), views.Segment("61", "differs"), views.Segment(" people, officials said."))
    assert views.highlight("No value here.", ["Su-20MK2"], "differs") == (views.Segment("No value here."),)
    assert views.highlight("a 161 b 61", ["61"], "m")[1] == views.Segment("61", "m")  # whole numbers only


def test_key_facts_name_each_outlet_once_and_mark_values_by_how_they_stand():
    disputed = {"kind": "injured", "value": "4", "number": 4.0, "verdict": "disputed", "values": [
        {"value": "4", "articles": ["a1", "c1"], "published": "2025-11-01", "evidence": ["4 hurt.", "Four, 4 hurt."]},
        {"value": "5", "articles": ["b1"], "published": "2025-11-02", "evidence": ["5 hurt."]}]}
    story = _story(facts=[disputed])
    story["articles"][2]["outlet"] = "Alpha"  # two articles of one outlet
    [fact] = views.key_facts(story)
    assert (fact.label, fact.status, [v.mark for v in fact.values]) == ("Injured", "disputed", ["same", "differs"])
    assert fact.values[0].outlets == (("a1", "Alpha"),) and fact.outlets == (("a1", "Alpha"), ("b1", "Beta"))
    marked = (views.Segment("Four, "), views.Segment("4", "same"), views.Segment(" hurt."))
    assert fact.values[0].evidence[1] == ("Alpha", marked)  # the value marked, each sentence with its outlet
    assert views.key_facts(_story()) == [] and views.key_facts(_story(facts=[])) == []


def test_provenance_graph_puts_sources_upstream_and_resolves_credited_names():
    graph = graphics.provenance_graph(_story())
    nodes = {n.name: n for n in graph.nodes}
    assert set(nodes) == {"Alpha", "Beta", "Gamma"}  # "alpha" is Alpha
    assert nodes["Alpha"].x < nodes["Beta"].x < nodes["Gamma"].x and nodes["Alpha"].upstream
    assert sorted(e.kind for e in graph.edges) == ["copy", "credits"]


def test_provenance_graph_survives_a_cycle_of_credits():
    story = _story()
    story["articles"][0]["cites"] = [{"source": "Beta", "evidence": "Beta said"}]
    graph = graphics.provenance_graph(story)
    assert len(graph.nodes) == 3 and len(graph.edges) == 3 and graph.width > 0


def test_timeline_places_dated_articles_in_order_and_lists_undated_ones():
    line = graphics.timeline(_story())
    assert [d.href for d in line.dots] == ["/articles/a1", "/articles/b1"] and line.dots[0].x < line.dots[1].x
    assert line.undated == (("c1", "Gamma"),)


# --- search (newsweave/store/search.py) ---


def test_fts5_query_quotes_every_term():
    assert search.fts5_match('Su-30MK2 "air defence" jet* OR') == '"Su-30MK2" AND "air defence" AND "jet"* AND "OR"'
    assert search.fts5_match(' " -- ') is None


def test_the_migration_builds_the_fts_index_and_triggers_keep_it_current(store):
    from newsweave.model import Article

    assert store.schema_version() == store.newest_version() and search.backend_for(store.engine).name == "sqlite-fts5"
    store.add(Article(id="f" * 16, source="t", outlet="O", url=None, title="Quokka census", author=None,
                      published=date(2025, 1, 1), language="en", text="Rottnest counts its marsupials."))
    assert search.search_articles(store.engine, "quokka") == ["f" * 16]
    assert search.search_articles(store.engine, "marsupial*") == ["f" * 16]


def test_substring_backend_finds_what_fts5_finds_on_the_example_corpus(analyzed_db):
    engine = open_store(str(analyzed_db)).engine
    for query in ("Su-20MK2", "quake", "Lisbon dockers", "Navarro"):
        fts = search.find_stories(engine, search.StoryFilter(query=query))
        like = search.find_stories(engine, search.StoryFilter(query=query), backend=search.Substring())
        assert {s.id for s in fts.stories} <= {s.id for s in like.stories} and fts.total >= 1, query


# --- edges ---


async def test_an_empty_store_says_how_to_add_stories(tmp_path):
    app = create_app(str(tmp_path / "empty.db"), token=TOKEN, open_reads=True)
    async with client(app) as c:
        page = await c.get("/")
        api = (await c.get("/api/stories")).json()
    assert page.status_code == 200 and "No stories yet" in page.text and 'href="/ingest"' in page.text
    assert api == {"total": 0, "limit": 50, "offset": 0, "next": None, "previous": None, "stories": []}


async def test_more_files_than_allowed_in_one_upload_are_refused(writable_db):
    app = create_app(str(writable_db), token=TOKEN, open_reads=True, max_files=1)
    files = [("files", (f"{n}.txt", JETS_FOLLOW_UP.encode(), "text/plain")) for n in range(2)]
    async with client(app) as c:
        r = await c.post("/ingest", data={"token": TOKEN}, files=files)
    assert r.status_code == 400 and "text/html" in r.headers["content-type"]
    assert open_store(str(writable_db)).count() == 22


async def test_a_story_merged_away_by_an_editor_redirects_to_the_story_holding_its_articles(writable_db):
    from newsweave.pipeline import merge_stories

    store = open_store(str(writable_db))
    quakes = [s.id for s in store.stories() if "quake" in s.headline.lower()]
    merge_stories(store, quakes, "one editor's call")
    update_stories(store)
    (kept,) = [s.id for s in store.stories() if s.id in quakes]
    (gone,) = [q for q in quakes if q != kept]
    store.close()
    async with client(create_app(str(writable_db), token=TOKEN, open_reads=True)) as c:
        page, api = await c.get(f"/stories/{gone}"), await c.get(f"/api/stories/{gone}")
        missing = await c.get("/stories/s000000000000")
    assert page.status_code == 308 and page.headers["location"] == f"/stories/{kept}"
    assert api.status_code == 308 and api.headers["location"] == f"/api/stories/{kept}"
    assert missing.status_code == 404


async def test_an_editor_merges_and_splits_stories_from_the_story_page_with_the_token(writable_db):
    store = open_store(str(writable_db))
    quakes = sorted((s for s in store.stories() if "quake" in s.headline.lower()), key=lambda s: s.first_published)
    older, newer = quakes[0].id, quakes[1].id
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    async with client(app) as c:
        page = await c.get(f"/stories/{older}")
        assert 'id="edit"' in page.text and f'action="/stories/{older}/merge"' in page.text
        refused = await c.post(f"/stories/{older}/merge", data={"other": newer, "token": "wrong-token-000000"})
        assert refused.status_code == 403 and len(store.stories()) == 6
        merged = await c.post(f"/stories/{older}/merge", data={"other": newer[:8], "reason": "one swarm", "token": TOKEN})
        assert merged.status_code == 303 and merged.headers["location"] == f"/stories/{older}"
        assert len(store.stories()) == 5 and store.story(older).article_count == quakes[0].article_count + quakes[1].article_count
        moved = store.story_articles(older)[-1].id
        split = await c.post(f"/stories/{older}/split", data={"article": [moved], "reason": "an aftershock", "token": TOKEN})
        assert split.status_code == 303 and split.headers["location"] == f"/stories/{store.story_of(moved)}" != f"/stories/{older}"
        assert [e.reason for e in store.story_edits()] == ["one swarm", "an aftershock"]
        everything = await c.post(f"/stories/{older}/split", data={"article": [a.id for a in store.story_articles(older)], "token": TOKEN})
        assert everything.status_code == 422 and "not none or all" in everything.text
    read_only = create_app(str(writable_db), token=None, open_reads=True)
    async with client(read_only) as c:
        assert 'id="edit"' not in (await c.get(f"/stories/{older}")).text
    store.close()


async def test_the_api_merges_and_splits_stories_with_the_bearer_token(writable_db):
    store = open_store(str(writable_db))
    quakes = sorted((s for s in store.stories() if "quake" in s.headline.lower()), key=lambda s: s.first_published)
    older, newer = quakes[0].id, quakes[1].id
    async with client(create_app(str(writable_db), token=TOKEN, open_reads=True)) as c:
        none = await c.post(f"/api/stories/{older}/merge", json={"stories": [newer]})
        merged = await c.post(f"/api/stories/{older}/merge", json={"stories": [newer], "reason": "one swarm"}, headers=bearer())
        assert none.status_code == 401 and merged.status_code == 200, merged.text
        body = merged.json()
        assert body["kind"] == "merge" and body["after"] == [older] and body["urls"] == [f"/api/stories/{older}"]
        assert (await c.get(body["urls"][0])).json()["stories"][0]["id"] == older  # its dossier, rebuilt
        moved = store.story_articles(older)[-1].id
        split = await c.post(f"/api/stories/{older}/split", json={"articles": [moved[:10]], "reason": "aftershock"}, headers=bearer())
        assert split.status_code == 200 and store.story_of(moved) in split.json()["after"]
        bad = await c.post(f"/api/stories/{older}/split", json={"articles": ["0000nope"]}, headers=bearer())
        assert bad.status_code == 422 and "not in story" in bad.json()["detail"]
        openapi = (await c.get("/openapi.json")).json()
        assert "/api/stories/{story_id}/merge" in openapi["paths"] and "/api/stories/{story_id}/split" in openapi["paths"]
    store.close()


async def test_the_review_api_names_the_look_alike_story_and_scores_the_articles(writable_db):
    store = open_store(str(writable_db))
    quakes = sorted((s for s in store.stories() if "quake" in s.headline.lower()), key=lambda s: s.first_published)
    store.close()
    async with client(create_app(str(writable_db), token=TOKEN, open_reads=True)) as c:
        review = await c.get(f"/api/stories/{quakes[0].id[:8]}/review", params={"limit": 2})
        missing = await c.get("/api/stories/s000000000000/review")
    assert review.status_code == 200, review.text
    body = review.json()
    assert body["story"] == quakes[0].id and body["open"] and len(body["similar"]) == 2
    assert body["similar"][0]["story"] == quakes[1].id and body["similar"][0]["probability"] < body["join_score"]
    assert len(body["members"]) == quakes[0].article_count and all(m["probability"] >= body["join_score"] for m in body["members"])
    assert missing.status_code == 404


async def test_the_review_page_lists_the_look_alike_story_and_is_linked_from_the_edit_section(writable_db):
    store = open_store(str(writable_db))
    quakes = sorted((s for s in store.stories() if "quake" in s.headline.lower()), key=lambda s: s.first_published)
    store.close()
    async with client(create_app(str(writable_db), token=TOKEN, open_reads=True)) as c:
        story = await c.get(f"/stories/{quakes[0].id}")
        page = await c.get(f"/stories/{quakes[0].id}/review")
    assert f'href="/stories/{quakes[0].id}/review"' in story.text
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert page.text.index(f'href="/stories/{quakes[1].id}"') < page.text.index('id="members"')
    assert page.text.count('href="/articles/') == quakes[0].article_count


async def test_library_errors_are_answered_in_one_way_a_refused_edit_422_an_ambiguous_id_422_a_failing_store_500(writable_db, monkeypatch):
    from newsweave.errors import StoreError

    store = open_store(str(writable_db))
    older = min((s for s in store.stories() if "quake" in s.headline.lower()), key=lambda s: s.first_published).id
    store.close()
    app = create_app(str(writable_db), token=TOKEN, open_reads=True)
    async with client(app) as c:
        unknown = await c.post(f"/api/stories/{older}/merge", json={"stories": ["s0000nope"]}, headers=bearer())
        ambiguous = await c.post(f"/api/stories/{older}/merge", json={"stories": ["s"]}, headers=bearer())
        ambiguous_path = await c.get("/api/stories/s")

        def fail(*args, **kwargs):
            raise StoreError("database is locked")

        monkeypatch.setattr(app.state.newsweave.store, "save_edit", fail)
        moved = open_store(str(writable_db)).story_articles(older)[-1].id
        failing = await c.post(f"/api/stories/{older}/split", json={"articles": [moved]}, headers=bearer())
        page = await c.post(f"/stories/{older}/split", data={"article": [moved], "token": TOKEN})
    assert unknown.status_code == 422 and unknown.json() == {"detail": "no story 's0000nope' in this store: the story list at / shows them"}
    assert ambiguous.status_code == 422 and "story id 's' is ambiguous; give more characters" in ambiguous.json()["detail"]
    assert ambiguous_path.status_code == 404 and "ambiguous" in ambiguous_path.json()["detail"]
    assert failing.status_code == 500 and failing.json() == {"detail": "the store refused the write: database is locked"}
    assert page.status_code == 500 and "text/html" in page.headers["content-type"] and "database is locked" in page.text


async def test_a_review_before_the_stories_are_regrouped_is_409_saying_what_to_run(writable_db, tmp_path):
    store = open_store(str(writable_db))
    story = store.stories()[0].id
    (tmp_path / "new.txt").write_text(XSS_TEXT, encoding="utf-8")
    ingest([str(tmp_path / "new.txt")], store)  # stored, in no story yet
    store.close()
    async with client(create_app(str(writable_db), token=TOKEN, open_reads=True)) as c:
        api = await c.get(f"/api/stories/{story}/review")
        page = await c.get(f"/stories/{story}/review")
    assert api.status_code == 409 and api.json()["detail"] == (
        "the stories cannot be compared until they are regrouped (articles in no story yet): "
        "run newsweave analyze on the store first (or ingest through this app)")
    assert page.status_code == 409 and "text/html" in page.headers["content-type"] and "until they are regrouped" in page.text
