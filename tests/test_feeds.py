"""RSS, Atom and news sitemaps: parsed safely, their items' metadata kept with the articles they link to."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from newsweave import Hints, InputError, open_store
from newsweave.ingest.feeds import classify, fill_missing, gunzip, parse_feed, parse_sitemap, read_feed, root_element
from newsweave.ingest.fetch import FetchSettings, HttpFetcher, MemoryValidatorCache, read_urls
from newsweave.pipeline import ingest_sources

from .conftest import EXAMPLES, LOCAL, WEB, make_raw, page_url, respond

ORIGIN = "http://127.0.0.1:8000"
EXAMPLES_HTML = EXAMPLES / "html"


def fixture(name: str) -> bytes:
    return (WEB / name).read_bytes().replace(b"$ORIGIN", ORIGIN.encode())


# --- parsing ----------------------------------------------------------------------------------------------


def test_rss_items_keep_title_date_author_and_original_publisher():
    feed = parse_feed(f"{ORIGIN}/feed.rss", fixture("feed.rss"))
    assert feed.kind == "rss" and feed.title == "Harbor Ledger: World" and feed.error is None
    jets, port = feed.items
    assert jets.url == f"{ORIGIN}/news/harbor-ledger-jets.html"  # tracking parameters gone
    assert jets.hints.published == date(2025, 11, 1) and jets.hints.outlet is None
    assert port.url == f"{ORIGIN}/news/undated-port.html"  # a relative link, resolved against the feed
    assert port.hints == Hints(
        title="Dockers strike at Lisbon port", url=port.url, outlet="Continental Press Agency",
        published=date(2025, 11, 3), author="Rita Sousa", language="en",
    )


def test_atom_entries_are_read_with_their_html_titles_as_text():
    [entry] = parse_feed(f"{ORIGIN}/atom.xml", fixture("atom.xml")).items
    assert entry.url == f"{ORIGIN}/news/valley-sentinel-jets.html"
    assert entry.hints.title == "Troops and missiles head for Venezuela's coast"
    assert entry.hints.author == "Jorge Beltrán" and entry.hints.published == date(2025, 11, 2)


def test_items_without_a_web_link_are_skipped_and_counted():
    data = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>no link</title></item>
      <item><title>mail</title><link>mailto:desk@news.example</link></item>
      <item><title>ok</title><link>https://news.example/ok</link></item></channel></rss>"""
    feed = parse_feed("https://news.example/rss", data)
    assert [i.url for i in feed.items] == ["https://news.example/ok"] and feed.skipped == 2


def test_an_entity_expansion_bomb_is_refused_before_any_expansion():
    with pytest.raises(InputError) as caught:
        parse_feed(f"{ORIGIN}/bomb.rss", fixture("bomb.rss"))
    assert caught.value.message.startswith("refused: the XML declares entities (<!ENTITY>), the trick behind entity-expansion bombs")


def test_an_external_entity_is_refused():
    with pytest.raises(InputError, match="refused: the XML declares entities"):
        parse_feed(f"{ORIGIN}/x.rss", fixture("external-entity.rss"))


def test_a_malformed_feed_keeps_the_items_before_the_damage_and_says_what_broke():
    feed = parse_feed(f"{ORIGIN}/malformed.rss", fixture("malformed.rss"))
    assert [i.url for i in feed.items] == [f"{ORIGIN}/news/northgate-jets.html"]
    assert feed.error.message.startswith("malformed XML: ") and "line" in feed.error.message
    assert "; the items still readable (1) were kept; ask the publisher to fix the feed" in feed.error.message


def test_a_feed_with_nothing_readable_is_an_error():
    with pytest.raises(InputError, match="malformed XML: .*; no feed items could be read"):
        parse_feed("https://news.example/rss", b"<rss><channel><title>cut")
    with pytest.raises(InputError, match=r"not an RSS or Atom feed \(the document's root is <catalog>\)"):
        parse_feed("https://news.example/rss", b"<catalog><book/></catalog>")


def test_an_undefined_html_entity_is_read_leniently():
    data = b'<rss version="2.0"><channel><item><title>A&nbsp;B</title><link>https://news.example/a</link></item></channel></rss>'
    feed = parse_feed("https://news.example/rss", data)
    assert feed.items[0].hints.title == "A B" and "undefined entity" in feed.error.message


def test_a_news_sitemap_gives_addresses_with_publication_metadata():
    feed = parse_sitemap(f"{ORIGIN}/news-sitemap.xml", fixture("news-sitemap.xml"))
    port, jets = feed.items
    assert port.hints == Hints(
        title="Dockers strike at Lisbon port", url=f"{ORIGIN}/news/undated-port.html", outlet="Continental Press Agency",
        published=date(2025, 11, 3), language="en",
    )
    assert jets.hints.outlet == "Northgate Daily" and jets.hints.published == date(2025, 11, 1)


def test_a_sitemap_index_lists_its_sitemaps():
    feed = read_feed(f"{ORIGIN}/sitemap-index.xml", fixture("sitemap-index.xml"))
    assert feed.kind == "sitemapindex" and feed.sitemaps == (f"{ORIGIN}/news-sitemap.xml",) and feed.items == ()


def test_a_plain_sitemap_lists_the_newest_first():
    data = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://news.example/old</loc><lastmod>2024-01-01</lastmod></url>
      <url><loc>https://news.example/new</loc><lastmod>2025-11-03T10:00:00Z</lastmod></url>
      <url><loc>javascript:alert(1)</loc></url></urlset>"""
    feed = parse_sitemap("https://news.example/sitemap.xml", data)
    assert [i.url for i in feed.items] == ["https://news.example/new", "https://news.example/old"] and feed.skipped == 1


def test_a_sitemap_bomb_is_refused():
    data = fixture("bomb.rss").replace(b"<rss", b"<urlset").replace(b"</rss>", b"</urlset>")
    with pytest.raises(InputError, match="refused: the XML declares entities"):
        parse_sitemap("https://news.example/sitemap.xml", data)


@pytest.mark.parametrize(
    ("data", "content_type", "kind"),
    [
        (fixture("feed.rss"), "text/xml", "feed"),
        (fixture("atom.xml"), None, "feed"),
        (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"/>', None, "feed"),
        (fixture("news-sitemap.xml"), "application/xml", "sitemap"),
        (fixture("sitemap-index.xml"), None, "sitemap"),
        (b"<!DOCTYPE html><html><body></body></html>", None, "html"),
        (b"<div>fragment</div>", "text/html; charset=utf-8", "html"),
        (b"\x89PNG\r\n\x1a\n", "image/png", None),
        (b'{"a": 1}', "application/json", None),
    ],
)
def test_fetched_bytes_are_told_apart_by_their_root_element(data, content_type, kind):
    assert classify(data, content_type) == kind


def test_root_element_skips_declaration_comments_and_doctype():
    assert root_element(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- hi --><!DOCTYPE rss [<!ENTITY a "b">]>\n<rss/>') == "rss"


def test_gzip_sitemaps_are_unpacked_within_the_cap():
    packed = gzip.compress(fixture("news-sitemap.xml"))
    assert gunzip("s.xml.gz", packed, 10_000).startswith(b"<?xml")
    with pytest.raises(InputError, match="unpacks to more than the 100-byte cap"):
        gunzip("s.xml.gz", packed, 100)


def test_a_gzip_sitemap_inflating_like_a_bomb_is_refused():
    bomb = gzip.compress(b" " * (4 * 1024 * 1024), compresslevel=9)  # 4 KiB to 4 MiB: within the cap, not the ratio
    with pytest.raises(InputError, match="s.xml.gz: inflates more than 200 times its compressed size"):
        gunzip("s.xml.gz", bomb, 10 * 1024 * 1024)


def test_item_metadata_fills_only_what_the_page_lacks():
    page = (EXAMPLES_HTML / "harbor-ledger-jets.html").read_text(encoding="utf-8")
    item = Hints(title="Feed title", outlet="Feed Outlet", published=date(2020, 1, 1), author="Feed Author")
    doc = fill_missing(make_raw(page, kind="html", source="https://h.example/a"), item, url="https://h.example/a")
    assert doc.hints == Hints(url="https://h.example/a")  # the page states all four itself
    bare = "<html><head></head><body><article><p>" + "Words of the story. " * 20 + "</p></article></body></html>"
    doc = fill_missing(make_raw(bare, kind="html"), item, url="https://h.example/b")
    assert doc.hints == Hints(title="Feed title", url="https://h.example/b", outlet="Feed Outlet", published=date(2020, 1, 1), author="Feed Author")


# --- against the local site ---------------------------------------------------------------------------------


def test_a_feed_is_ingested_with_item_metadata_for_what_the_pages_lack(site, tmp_path):
    store = open_store(str(tmp_path / "feeds.db"))
    report = ingest_sources([site.url("/feed.rss")], store, fetch=LOCAL)
    assert len(report.added) == 2 and not report.failed
    by_url = {a.url: a for a in store.articles()}
    jets = by_url[page_url(site)]
    assert jets.outlet == "The Harbor Ledger" and jets.published == date(2025, 11, 1) and jets.source == page_url(site)
    port = by_url[page_url(site, "undated-port.html")]
    assert port.title == "Lisbon dockers walk out over crane automation"  # the page's own title wins
    assert port.outlet == "Continental Press Agency"  # from <source>: the page names no outlet
    assert port.published == date(2025, 11, 3) and port.author == "Rita Sousa"  # from the item


def test_an_atom_feed_and_a_sitemap_index_are_ingested(site, tmp_path):
    store = open_store(str(tmp_path / "feeds.db"))
    report = ingest_sources([site.url("/atom.xml"), site.url("/sitemap-index.xml")], store, fetch=LOCAL)
    assert len(report.added) == 3 and not report.failed
    outlets = sorted(a.outlet for a in store.articles())
    assert outlets == ["Continental Press Agency", "Northgate Daily", "The Valley Sentinel"]


def test_bad_feeds_give_clear_messages_while_the_rest_of_the_batch_is_stored(site, tmp_path):
    store = open_store(str(tmp_path / "feeds.db"))
    sources = [site.url("/bomb.rss"), site.url("/malformed.rss"), site.url("/missing.rss"), site.url("/atom.xml")]
    report = ingest_sources(sources, store, fetch=LOCAL)
    failures = {e.source.rsplit("/", 1)[-1]: e.message for e in report.failed}
    assert failures["bomb.rss"].startswith("refused: the XML declares entities")
    assert failures["malformed.rss"].startswith("malformed XML: ")
    assert failures["missing.rss"].startswith("HTTP 404 Not Found")
    urls = sorted(a.url for a in store.articles())
    assert urls == [page_url(site, "northgate-jets.html"), page_url(site, "valley-sentinel-jets.html")]  # the malformed feed's first item too


def test_a_feed_item_linking_to_a_non_page_is_a_clear_failure(site, tmp_path):
    site.routes["/pdf.rss"] = lambda r: respond(r, 200, f"""<rss version="2.0"><channel><title>t</title>
        <item><title>Report</title><link>{site.url('/report.pdf')}</link></item></channel></rss>""".encode(), "application/rss+xml")
    site.routes["/report.pdf"] = lambda r: respond(r, 200, b"%PDF-1.7 ...", "application/pdf")
    report = ingest_sources([site.url("/pdf.rss")], open_store(str(tmp_path / "f.db")), fetch=LOCAL)
    [failure] = report.failed
    assert failure.source == site.url("/report.pdf")
    assert failure.message == "the feed item links to something that is not an article page: not an HTML page, a feed or a sitemap (the server sent application/pdf); newsweave reads news articles"


def test_a_feed_asked_again_is_answered_304_and_its_items_are_not_fetched_again(site, tmp_path):
    version = {"etag": '"feed-1"'}

    def feed(request):
        if request.headers.get("If-None-Match") == version["etag"]:
            request.send_response(304)
            request.end_headers()
            return
        respond(request, 200, site.file_body("feed.rss"), "application/rss+xml", {"ETag": version["etag"]})

    site.routes["/etag.rss"] = feed
    store, validators, seen = open_store(str(tmp_path / "f.db")), MemoryValidatorCache(), set()
    first = ingest_sources([site.url("/etag.rss")], store, fetch=LOCAL, validators=validators, seen=seen)
    second = ingest_sources([site.url("/etag.rss")], store, fetch=LOCAL, validators=validators, seen=seen)
    assert len(first.added) == 2 and second.added == [] and second.not_modified == [site.url("/etag.rss")]
    version["etag"] = '"feed-2"'  # the feed changes, its items do not: they are in `seen`
    third = ingest_sources([site.url("/etag.rss")], store, fetch=LOCAL, validators=validators, seen=seen)
    assert third.added == [] and third.known == [] and not third.failed
    assert site.paths().count("/news/undated-port.html") == 1


def test_an_article_listed_by_two_feeds_is_fetched_once(site):
    with HttpFetcher(LOCAL) as fetcher:
        results = list(read_urls([site.url("/news-sitemap.xml"), site.url("/malformed.rss")], fetcher))
    docs = [r for r in results if getattr(r, "kind", None) == "html"]
    assert sorted(d.source for d in docs) == [page_url(site, "northgate-jets.html"), page_url(site, "undated-port.html")]
    assert site.paths().count("/news/northgate-jets.html") == 1


def test_a_sitemap_that_is_too_long_is_capped(site):
    urls = "".join(f"<url><loc>{site.url(f'/news/p{n}.html')}</loc><lastmod>2025-11-{n + 1:02d}</lastmod></url>" for n in range(5))
    site.routes["/big-sitemap.xml"] = lambda r: respond(r, 200, f"<urlset>{urls}</urlset>".encode(), "application/xml")
    with HttpFetcher(FetchSettings(allow_private=True, host_delay=0.0, retries=0)) as fetcher:
        list(read_urls([site.url("/big-sitemap.xml")], fetcher, max_items=2))
    assert [p for p in site.paths() if p.startswith("/news/")] == ["/news/p4.html", "/news/p3.html"]  # the newest two



def test_an_item_that_failed_for_now_is_tried_again_and_its_feed_is_not_taken_as_read(site, tmp_path):
    answers = iter([503, 200])

    def flaky(request):
        status = next(answers)
        respond(request, status, site.file_body("undated-port.html") if status == 200 else b"busy")

    site.routes["/news/undated-port.html"] = flaky
    site.routes["/etag.rss"] = lambda r: respond(r, 200, site.file_body("feed.rss"), "application/rss+xml", {"ETag": '"same"'})
    store, validators, seen = open_store(str(tmp_path / "f.db")), MemoryValidatorCache(), set()
    first = ingest_sources([site.url("/etag.rss")], store, fetch=LOCAL, validators=validators, seen=seen)
    assert len(first.added) == 1 and first.failed[0].message.startswith("HTTP 503 Service Unavailable")
    assert validators.get(site.url("/etag.rss")) is None and seen == {page_url(site)}
    second = ingest_sources([site.url("/etag.rss")], store, fetch=LOCAL, validators=validators, seen=seen)
    assert len(second.added) == 1 and not second.failed and validators.get(site.url("/etag.rss")) is not None
