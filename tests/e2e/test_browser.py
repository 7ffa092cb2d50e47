"""End to end in a real browser: Debian's Chromium driven by Playwright, against `newsweave serve`'s app.

Skipped (with the reason) where /usr/bin/chromium or the playwright package is missing; CI installs both
(`apt-get install chromium`, `pip install playwright`). `playwright install` is not used: it downloads a
browser build of its own. The story page's screenshot is saved to tests/e2e/artifacts/story.png
(git-ignored; NEWSWEAVE_E2E_ARTIFACTS moves it).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")

from newsweave import open_store  # noqa: E402
from newsweave.pipeline import ingest, update_stories  # noqa: E402
from newsweave.web import create_app  # noqa: E402

from ..conftest import EXAMPLES  # noqa: E402
from ..test_web import JETS_FOLLOW_UP, JETS_HEADLINE, XSS_TEXT  # noqa: E402

TOKEN = "e2e-token-9876543210"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("NEWSWEAVE_E2E_ARTIFACTS", Path(__file__).parent / "artifacts"))
TIMEOUT_MS = 60_000  # an ingest re-analyses its story: seconds on a slow machine


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app over the analysed example corpus, served by uvicorn on 127.0.0.1 on a free port, in a thread."""
    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    store = open_store(str(db))
    ingest([str(EXAMPLES / d) for d in ("text", "html", "feeds")], store)
    update_stories(store)
    store.close()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # the port is ours from here on: no race with another process
    port = sock.getsockname()[1]
    app = create_app(str(db), token=TOKEN, open_reads=True)
    uv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "db": str(db)}
    uv.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh user-data dir
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        yield context
        context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.console_messages_seen = []  # type: ignore[attr-defined]
    page.dialogs_seen = []  # type: ignore[attr-defined]
    page.on("console", lambda message: page.console_messages_seen.append(message.text))
    page.on("dialog", lambda dialog: (page.dialogs_seen.append(dialog.message), dialog.dismiss()))
    yield page
    csp = [m for m in page.console_messages_seen if "Content Security Policy" in m]
    page.close()
    assert not csp, csp  # nothing on any page needed what the CSP forbids


def test_story_list_search_story_page_shows_the_designator_conflict_highlighted(server, page):
    page.goto(server["url"] + "/")
    expect = sync_api.expect
    expect(page.locator("table.stories tbody tr")).to_have_count(6)
    page.fill("form.filters input[name=q]", "Su-20MK2")
    page.click("form.filters button[type=submit]")
    expect(page.locator("table.stories tbody tr")).to_have_count(1)
    expect(page.locator("#result-count")).to_contain_text("1–1 of 1 story matching")
    page.click("table.stories a.headline")
    expect(page.locator("h1")).to_contain_text(JETS_HEADLINE)

    conflict = page.locator(".conflict").filter(has_text="Su-20MK2")
    differs = conflict.locator(".value-differs mark.differs").first
    expect(differs).to_have_text("Su-20MK2")
    expect(differs).to_be_visible()
    expect(conflict.locator(".value-same mark.same").first).to_have_text("Su-30MK2")
    # the evidence sentence, with the value highlighted in it
    evidence = conflict.locator(".value-differs ul.evidence mark.differs")
    expect(evidence).to_have_text("Su-20MK2")
    marked = differs.evaluate("e => getComputedStyle(e).backgroundColor")
    assert marked not in ("rgba(0, 0, 0, 0)", "transparent"), marked

    matrix = page.locator("table.matrix")
    expect(matrix.locator("thead th.outlet-col")).to_have_count(6)
    first_row = matrix.locator("tbody tr").first
    expect(first_row).to_have_class("row-disputed")
    expect(first_row.locator("td.cell-differs mark.differs")).to_have_text("Su-20MK2")
    expect(page.locator("svg.graph g.node")).to_have_count(6)  # the six outlets; "the Post" is The Meridian Post, not a node of its own
    expect(page.locator("svg.timeline circle")).to_have_count(5)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "story.png"
    page.evaluate("window.scrollTo(0, 0)")
    matrix_box = page.locator("#matrix").bounding_box()  # from the top of the page down to the end of the claim matrix
    page.screenshot(path=str(shot), full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": matrix_box["y"] + matrix_box["height"] + 16})
    print(f"\nstory page screenshot: {shot}")
    assert shot.stat().st_size > 10_000


def test_article_page_highlights_its_claims_and_shows_removed_boilerplate_on_request(server, page):
    store = open_store(server["db"])
    jets = next(s.id for s in store.stories() if s.headline.startswith(JETS_HEADLINE))
    page.goto(f"{server['url']}/stories/{jets}")
    page.locator(".conflict .value-differs .value-outlets a", has_text="Northgate Daily").first.click()
    expect = sync_api.expect
    expect(page.locator("h1")).to_contain_text("Caracas moves jets to coast")
    disputed = page.locator(".article-text a.claim mark.disputed").filter(has_text="Su-20MK2")
    expect(disputed).to_be_visible()
    assert disputed.locator("xpath=..").get_attribute("href").startswith(f"/stories/{jets}#claim-")
    removed = page.locator("details.removed")
    expect(removed.locator("table")).to_be_hidden()
    removed.locator("summary").click()
    expect(removed.locator("table")).to_be_visible()
    expect(removed).to_contain_text("byline")
    disputed.click()  # the claim link leads back to the story, at the claim's row
    expect(page.locator("table.matrix tr:target")).to_contain_text("Su-30MK2")


def test_a_pasted_article_is_ingested_and_joins_its_story(server, page):
    page.goto(server["url"] + "/ingest")
    page.fill("textarea[name=text]", JETS_FOLLOW_UP)
    page.fill("input[name=outlet]", "The Test Gazette")
    page.fill("input[name=published]", "2025-11-02")
    page.fill("input[name=token]", TOKEN)
    page.click("form.ingest button[type=submit]")
    expect = sync_api.expect
    outcome = page.locator("#outcome")
    expect(outcome).to_contain_text("1 added")
    joined = outcome.locator("a.joined-story")
    expect(joined).to_contain_text(JETS_HEADLINE)
    expect(outcome).to_contain_text("(7 articles)")
    joined.click()
    expect(page.locator("table.matrix thead th.outlet-col", has_text="The Test Gazette")).to_have_count(1)
    expect(page.locator("#articles")).to_contain_text("The Test Gazette")


def test_an_article_with_script_and_onerror_payloads_renders_as_text(server, page):
    page.goto(server["url"] + "/ingest")
    page.fill("textarea[name=text]", XSS_TEXT)
    page.fill("input[name=outlet]", "The Pinewood Gazette")
    page.fill("input[name=token]", TOKEN)
    page.click("form.ingest button[type=submit]")
    expect = sync_api.expect
    expect(page.locator("#outcome")).to_contain_text("1 added")
    page.locator("#outcome ul.joined a").first.click()
    body = page.locator(".article-text")
    expect(body).to_contain_text("<script>alert(1)</script>")
    expect(body).to_contain_text("<img src=x onerror=alert(1)>")
    assert body.locator("script").count() == 0 and body.locator("img").count() == 0
    assert page.locator("script").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs_seen == []  # type: ignore[attr-defined]
