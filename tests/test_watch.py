"""`watch`: polls, ingests what is new, updates stories and reports what changed; stops cleanly.

The local site publishes a feed whose items a test can add between polls; a fake clock and sleep make
a ten-minute interval take no time.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from newsweave import ConfigError, open_store
from newsweave.ingest.fetch import Fetched, HttpFetcher, Validators
from newsweave.pipeline import ingest_sources, parse_duration, watch

from .conftest import LOCAL, Site, page_url, respond

HARBOR = ("Venezuela shifts warplanes to Caribbean coast", "harbor-ledger-jets.html", "Sat, 01 Nov 2025 09:00:00 GMT")
NORTHGATE = ("Caracas moves jets to coast amid US strikes", "northgate-jets.html", "Sun, 02 Nov 2025 09:00:00 GMT")
PORT = ("Lisbon dockers walk out", "undated-port.html", "Mon, 03 Nov 2025 07:15:00 GMT")


class LiveFeed:
    """An RSS feed on the local site whose items a test changes; it answers 304 to an unchanged ETag."""

    def __init__(self, site: Site, *items: tuple[str, str, str]) -> None:
        self.site = site
        self.items = list(items)
        self.url = site.url("/live.rss")
        site.routes["/live.rss"] = self.serve

    @property
    def etag(self) -> str:
        return f'"v{len(self.items)}"'

    def serve(self, request) -> None:  # noqa: ANN001
        if request.headers.get("If-None-Match") == self.etag:
            request.send_response(304)
            request.end_headers()
            return
        entries = "".join(
            f"<item><title>{title}</title><link>{page_url(self.site, name)}</link><pubDate>{when}</pubDate></item>"
            for title, name, when in self.items
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Live</title>{entries}</channel></rss>'
        respond(request, 200, body.encode(), "application/rss+xml", {"ETag": self.etag})


class FakeTime:
    """A clock that only moves when slept on; `on_sleep` runs at each sleep (to publish, or to stop)."""

    def __init__(self, on_sleep=lambda n: None) -> None:  # noqa: ANN001
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.on_sleep = on_sleep

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.on_sleep(len(self.sleeps))


@pytest.mark.parametrize(
    ("text", "seconds"), [("30s", 30), ("10m", 600), ("1h", 3600), ("1.5h", 5400), ("2 minutes", 120), ("1d", 86400), ("90", 90)]
)
def test_durations_are_parsed(text, seconds):
    assert parse_duration(text) == seconds


def test_a_bad_or_too_short_interval_is_a_configuration_error(store):
    with pytest.raises(ConfigError, match="expected a duration such as 30s, 10m, 1h or 1d"):
        parse_duration("ten minutes")
    with pytest.raises(ConfigError, match="too often"):
        next(watch(["https://news.example/rss"], "5s", store))


def test_watch_ingests_a_new_item_between_polls_and_reports_the_story_it_joined(site, tmp_path):
    feed = LiveFeed(site, HARBOR)
    fake = FakeTime(on_sleep=lambda n: feed.items.append(NORTHGATE) if n == 1 else None)
    store = open_store(str(tmp_path / "watch.db"))
    first, second, third = watch([feed.url], "10m", store, fetch=LOCAL, sleep=fake.sleep, clock=fake.clock, max_polls=3)

    [story] = first.stories
    assert first.number == 1 and story.new and story.articles == 1 and len(first.ingest.added) == 1
    assert first.new_stories == (story,)

    [joined] = second.stories
    assert second.ingest.added == list(joined.added) and len(joined.added) == 1
    assert joined.id == story.id and not joined.new and joined.articles == 2  # the new article joined the story
    assert store.article(joined.added[0]).outlet == "Northgate Daily"
    assert joined.conflicts_after > joined.conflicts_before and second.conflicted == (joined,)  # Su-20MK2 vs Su-30MK2

    assert third.stories == () and third.ingest.added == [] and third.ingest.not_modified == [feed.url]
    assert fake.sleeps == [600.0, 600.0]
    assert [h.get("if-none-match") for h in site.headers_for("/live.rss")] == [None, '"v1"', '"v2"']
    assert site.paths().count("/news/harbor-ledger-jets.html") == 1  # an item read once is not fetched again


def test_a_stop_event_ends_watch_during_the_wait(site, store):
    feed = LiveFeed(site, PORT)
    stop = threading.Event()
    fake = FakeTime(on_sleep=lambda n: stop.set())
    reports = list(watch([feed.url], timedelta(minutes=5), store, fetch=LOCAL, sleep=fake.sleep, clock=fake.clock, stop=stop))
    assert len(reports) == 1 and fake.sleeps == [300.0] and store.count() == 1


def test_ctrl_c_mid_poll_keeps_what_was_fetched_and_ends_watch(site, store):
    feed = LiveFeed(site, HARBOR, PORT)

    class Interrupting(HttpFetcher):
        """Ctrl-C arrives while the second article is being fetched."""

        pages = 0

        def fetch(self, url: str, *, validators: Validators | None = None) -> Fetched:
            if "/news/" in url:
                self.pages += 1
                if self.pages == 2:
                    raise KeyboardInterrupt
            return super().fetch(url, validators=validators)

    with Interrupting(LOCAL) as fetcher:
        reports = list(watch([feed.url], "10m", store, fetcher=fetcher, sleep=lambda s: pytest.fail("no wait after Ctrl-C")))
    [report] = reports
    assert report.interrupted and report.ingest.interrupted and len(report.ingest.added) == 1
    [article] = store.articles()
    assert article.outlet == "The Harbor Ledger"


def test_an_interrupted_feed_is_read_again_next_time(site, store):
    feed = LiveFeed(site, HARBOR, PORT)
    calls = {"n": 0}

    class Interrupting(HttpFetcher):
        def fetch(self, url: str, *, validators: Validators | None = None) -> Fetched:
            if url.endswith("undated-port.html"):
                calls["n"] += 1
                if calls["n"] == 1:
                    raise KeyboardInterrupt
            return super().fetch(url, validators=validators)

    seen: set[str] = set()
    from newsweave.ingest.fetch import MemoryValidatorCache

    validators = MemoryValidatorCache()
    with Interrupting(LOCAL) as fetcher:
        with pytest.raises(KeyboardInterrupt):
            ingest_sources([feed.url], store, fetcher=fetcher, validators=validators, seen=seen)
        assert store.count() == 1 and validators.get(feed.url) is None  # the feed's ETag is not kept: it was not read through
        report = ingest_sources([feed.url], store, fetcher=fetcher, validators=validators, seen=seen)
    assert len(report.added) == 1 and store.count() == 2 and validators.get(feed.url) == Validators('"v2"')
