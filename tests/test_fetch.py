"""Fetching from the web, against a site the tests serve on 127.0.0.1 (and httpx.MockTransport where simpler).

No test talks to any other address: the safety tests check that refused addresses are refused *before*
any connection, and the local site is the only server there is.
"""

from __future__ import annotations

import time

import httpx
import pytest

from newsweave import open_store
from newsweave.ingest.fetch import USER_AGENT, FetchError, FetchSettings, HttpFetcher, MemoryValidatorCache, Validators, read_urls
from newsweave.ingest.urls import address_problem, canonical_url, is_url
from newsweave.pipeline import ingest_sources

from .conftest import LOCAL, WEB, Site, page_url, respond

PUBLIC_IP = "93.184.216.34"  # what MockTransport tests "resolve" public names to; never contacted


def local_fetcher(settings: FetchSettings = LOCAL, **kwargs) -> HttpFetcher:
    return HttpFetcher(settings, **kwargs)


# --- addresses -----------------------------------------------------------------------------------------


def test_canonical_url_drops_tracking_parameters_default_port_and_fragment():
    assert canonical_url("HTTPS://News.Example:443/a/b?utm_source=rss&id=3&fbclid=x#top") == "https://news.example/a/b?id=3"
    assert canonical_url("http://news.example") == "http://news.example/"
    assert canonical_url("http://news.example/a?b=2&a=1") == canonical_url("http://news.example/a?a=1&b=2")


def test_is_url_tells_addresses_from_paths():
    assert is_url("https://news.example/a") and is_url("ftp://x.example/") and not is_url("examples/html") and not is_url("-")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "127.0.0.1 is a loopback address"),
        ("::1", "::1 is a loopback address"),
        ("10.1.2.3", "a private address"),
        ("192.168.0.10", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("169.254.10.1", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.251", "a multicast address"),
        ("240.0.0.1", "a reserved address"),
        ("0.0.0.0", "an unspecified address"),
        ("100.64.0.1", "a non-public address"),
        ("::ffff:10.0.0.1", "an IPv6 address wrapping 10.0.0.1, a private address"),
        ("2002:7f00:1::", "an IPv6 address wrapping 127.0.0.1, a loopback address"),
    ],
)
def test_non_public_addresses_are_refused_by_default(address, kind):
    problem = address_problem(address)
    assert problem.startswith("refused: ") and kind in problem and "allow" not in problem  # the shells say how to allow it
    assert address_problem(address, allow_private=True) is None


@pytest.mark.parametrize("address", ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254"])
def test_cloud_metadata_addresses_are_refused_even_with_allow_private(address):
    problem = address_problem(address, allow_private=True)
    assert "cloud metadata address" in problem and "--allow-private" not in problem


def test_a_public_address_is_fine():
    assert address_problem(PUBLIC_IP) is None
    assert address_problem("10.20.1.5", allow_networks=("10.20.0.0/16",)) is None
    assert address_problem("10.21.1.5", allow_networks=("10.20.0.0/16",)) is not None


# --- safety, against the local site ----------------------------------------------------------------------


def test_default_settings_refuse_the_local_site_before_connecting(site):
    with HttpFetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(page_url(site))
    assert (caught.value.message, caught.value.about) == ("refused: 127.0.0.1 is a loopback address", "allow_private")
    assert site.requests == []


def test_a_host_name_is_checked_after_resolving_it(site):
    url = page_url(site).replace("127.0.0.1", "localhost")
    with HttpFetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    assert "refused: localhost resolves to " in caught.value.message and "a loopback address" in caught.value.message
    assert site.requests == []


def test_allow_private_fetches_from_the_local_site_with_an_honest_user_agent(site):
    with local_fetcher() as fetcher:
        fetched = fetcher.fetch(page_url(site) + "?utm_source=rss#comments")
    assert fetched.status == 200 and b"Venezuela" in fetched.content
    assert fetched.url == page_url(site)  # canonical: tracking parameter and fragment gone
    assert fetched.content_type.startswith("text/html")
    [headers] = site.headers_for("/news/harbor-ledger-jets.html?utm_source=rss")
    assert headers["user-agent"] == USER_AGENT and USER_AGENT.startswith("newsweave/") and "(+https://" in USER_AGENT


def test_a_redirect_to_a_private_address_is_refused_on_that_hop(site):
    site.routes["/moved"] = lambda r: respond(r, 302, headers={"Location": site.origin.replace("127.0.0.1", "127.0.0.2") + "/admin"})
    only_this_host = FetchSettings(allow_networks=("127.0.0.1/32",), host_delay=0.0, retries=0)
    with HttpFetcher(only_this_host) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(site.url("/moved"))
    assert (caught.value.message, caught.value.about) == ("refused: 127.0.0.2 is a loopback address", "allow_private")
    assert caught.value.source.startswith("http://127.0.0.2:")
    assert "/moved" in site.paths()


def test_a_redirect_to_cloud_metadata_is_refused_even_with_allow_private(site):
    site.routes["/steal"] = lambda r: respond(r, 301, headers={"Location": "http://169.254.169.254/latest/meta-data/iam/"})
    site.routes["/steal-by-name"] = lambda r: respond(r, 302, headers={"Location": "http://metadata.google.internal/computeMetadata/v1/"})
    with local_fetcher() as fetcher:
        with pytest.raises(FetchError, match="169.254.169.254 is a cloud metadata address"):
            fetcher.fetch(site.url("/steal"))
        with pytest.raises(FetchError, match="metadata.google.internal is a cloud metadata service"):
            fetcher.fetch(site.url("/steal-by-name"))


def test_only_http_and_https_are_fetched():
    with HttpFetcher() as fetcher:
        for url, scheme in (("file:///etc/passwd", "file"), ("ftp://news.example/a.html", "ftp"), ("gopher://x.example/", "gopher")):
            with pytest.raises(FetchError, match=f"only http and https addresses are fetched, and this is a {scheme}: address"):
                fetcher.fetch(url)


# --- safety, with MockTransport and a fake resolver ---------------------------------------------------------


def mock_fetcher(handler, names: dict[str, list[str]], settings: FetchSettings = FetchSettings(host_delay=0.0, retries=0), **kwargs):
    def resolve(host: str, port: int) -> list[str]:
        if host not in names:
            raise OSError(f"no such host {host}")
        return names[host]

    return HttpFetcher(settings, transport=httpx.MockTransport(handler), resolver=resolve, **kwargs)


def test_every_address_a_name_resolves_to_is_checked():
    seen = []
    fetcher = mock_fetcher(lambda request: seen.append(request) or httpx.Response(200), {"news.example": [PUBLIC_IP, "10.0.0.7"]})
    with pytest.raises(FetchError) as caught:
        fetcher.fetch("https://news.example/a.html")
    assert (caught.value.message, caught.value.about) == ("refused: news.example resolves to 10.0.0.7, a private address", "allow_private")
    assert seen == []


def test_the_connection_goes_to_the_checked_address_with_the_real_host_name():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, html="<html><body><p>Hello</p></body></html>")

    fetched = mock_fetcher(handler, {"news.example": [PUBLIC_IP]}).fetch("https://news.example/a.html")
    assert fetched.url == "https://news.example/a.html"
    request = seen[-1]
    assert request.url.host == PUBLIC_IP and request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"  # TLS still checks the certificate for the name


def test_an_unknown_host_name_is_a_clear_error():
    with pytest.raises(FetchError, match="cannot resolve the host name nowhere.example"):
        mock_fetcher(lambda r: httpx.Response(200), {}).fetch("http://nowhere.example/")


# --- timeouts, size cap, retries, redirects ---------------------------------------------------------------


def test_a_slow_response_times_out_with_a_clear_message(site):
    def slow(request):
        site.closing.wait(3)
        respond(request, 200, b"<html><body><p>late</p></body></html>")

    site.routes["/slow"] = slow
    sleeps: list[float] = []
    settings = FetchSettings(allow_private=True, host_delay=0.0, timeout=0.3, retries=1, backoff=0.5)
    started = time.monotonic()
    with HttpFetcher(settings, sleep=sleeps.append) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(site.url("/slow"))
    assert "timed out waiting for the server to answer (limit 0.3 s) (tried 2 times)" in caught.value.message
    assert caught.value.transient and sleeps == [0.5]
    assert time.monotonic() - started < 2.5


def test_an_oversized_response_is_cut_off_while_streaming(site):
    def endless(request):
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()  # no Content-Length: the size is only known by reading
        try:
            for _ in range(200):
                request.wfile.write(b"<p>" + b"x" * 10_000 + b"</p>")
        except OSError:
            pass  # the client hung up, as it should

    site.routes["/endless"] = endless
    site.routes["/announced"] = lambda r: respond(r, 200, b"<p>" + b"y" * 60_000 + b"</p>")
    settings = FetchSettings(allow_private=True, host_delay=0.0, retries=0, max_bytes=50_000)
    with HttpFetcher(settings) as fetcher:
        with pytest.raises(FetchError, match="larger than the 50,000-byte cap for one page; the download was stopped"):
            fetcher.fetch(site.url("/endless"))
        with pytest.raises(FetchError, match=r"50,000-byte cap for one page \(60,007 bytes announced\)"):
            fetcher.fetch(site.url("/announced"))


def test_retries_back_off_and_honour_retry_after(site):
    answers = iter([(503, {}), (429, {"Retry-After": "7"}), (200, {})])

    def flaky(request):
        status, headers = next(answers)
        respond(request, status, b"<html><body><p>finally</p></body></html>", headers=headers)

    site.routes["/flaky"] = flaky
    sleeps: list[float] = []
    settings = FetchSettings(allow_private=True, host_delay=0.0, retries=2, backoff=1.0)
    with HttpFetcher(settings, sleep=sleeps.append) as fetcher:
        assert fetcher.fetch(site.url("/flaky")).content.endswith(b"finally</p></body></html>")
    assert sleeps == [1.0, 7.0]


def test_retries_are_bounded(site):
    site.routes["/down"] = lambda r: respond(r, 503, b"down")
    sleeps: list[float] = []
    settings = FetchSettings(allow_private=True, host_delay=0.0, retries=2, backoff=1.0, max_backoff=1.5)
    with HttpFetcher(settings, sleep=sleeps.append) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(site.url("/down"))
    assert caught.value.message == "HTTP 503 Service Unavailable: the server is failing; try again later (tried 3 times)"
    assert sleeps == [1.0, 1.5] and site.paths().count("/down") == 3


def test_redirects_are_followed_up_to_the_limit(site):
    site.routes["/old"] = lambda r: respond(r, 301, headers={"Location": "/news/harbor-ledger-jets.html#top"})
    site.routes["/loop"] = lambda r: respond(r, 302, headers={"Location": "/loop"})
    with local_fetcher() as fetcher:
        assert fetcher.fetch(site.url("/old")).url == page_url(site)
        with pytest.raises(FetchError, match="more than 5 redirects"):
            fetcher.fetch(site.url("/loop"))


def test_missing_page_and_non_html_messages(site):
    with local_fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(site.url("/news/gone.html"))
    assert caught.value.message == "HTTP 404 Not Found: no page at this address (moved or deleted?)" and caught.value.status == 404


def test_a_conditional_request_gets_304_when_nothing_changed(site):
    def page(request):
        if request.headers.get("If-None-Match") == '"v1"':
            request.send_response(304)
            request.end_headers()
        else:
            respond(request, 200, b"<html><body><p>v1</p></body></html>", headers={"ETag": '"v1"', "Last-Modified": "Sat, 01 Nov 2025 10:00:00 GMT"})

    site.routes["/etag"] = page
    with local_fetcher() as fetcher:
        first = fetcher.fetch(site.url("/etag"))
        assert first.validators == Validators('"v1"', "Sat, 01 Nov 2025 10:00:00 GMT")
        second = fetcher.fetch(site.url("/etag"), validators=first.validators)
    assert second.not_modified and second.content == b""
    assert site.headers_for("/etag")[1]["if-modified-since"] == "Sat, 01 Nov 2025 10:00:00 GMT"


# --- robots.txt and politeness ------------------------------------------------------------------------------


def test_robots_txt_is_obeyed_and_read_once_per_site(site):
    settings = FetchSettings(allow_private=True, host_delay=0.0, retries=0, respect_robots=True)
    site.routes["/private/memo.html"] = lambda r: respond(r, 200, b"<p>secret</p>")
    with HttpFetcher(settings) as fetcher:
        fetcher.fetch(page_url(site))
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(site.url("/private/memo.html"))
        fetcher.fetch(page_url(site, "valley-sentinel-jets.html"))
    assert caught.value.message == f"refused by {site.origin}/robots.txt: the site asks crawlers not to fetch this address"
    assert site.paths().count("/robots.txt") == 1 and "/private/memo.html" not in site.paths()


def test_an_unreadable_robots_txt_keeps_newsweave_off_the_site():
    def handler(request):
        return httpx.Response(503 if request.url.path == "/robots.txt" else 200, text="<p>page</p>")

    with pytest.raises(FetchError) as caught:
        mock_fetcher(handler, {"news.example": [PUBLIC_IP]}).fetch("https://news.example/a.html")
    assert "robots.txt could not be read (HTTP 503 Service Unavailable" in caught.value.message and "RFC 9309" in caught.value.message


def test_requests_to_one_site_are_spaced_by_its_crawl_delay():
    now = [100.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    def handler(request):
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 5\n")
        return httpx.Response(200, html="<p>page</p>")

    fetcher = mock_fetcher(handler, {"news.example": [PUBLIC_IP]}, FetchSettings(host_delay=1.0, retries=0), sleep=sleep, clock=lambda: now[0])
    fetcher.fetch("https://news.example/a.html")
    fetcher.fetch("https://news.example/b.html")
    assert sleeps == [5.0, 5.0]  # robots.txt asks 5 s between requests: after it, and between the pages


# --- pages into the store ----------------------------------------------------------------------------------


def test_a_page_fetched_twice_under_two_spellings_is_one_article(site, tmp_path):
    store = open_store(str(tmp_path / "web.db"))
    url = page_url(site)
    report = ingest_sources([url, url.replace("http://", "HTTP://") + "?utm_campaign=x#top"], store, fetch=LOCAL)
    assert len(report.added) == 1 and len(report.known) == 1 and not report.failed
    [article] = store.articles()
    assert article.source == url and article.url == url and article.outlet == "The Harbor Ledger"
    assert store.sources(article.id) == [url]


def test_a_bad_batch_gives_a_clear_message_per_page_and_stores_the_rest(site, tmp_path):
    site.routes["/logo.png"] = lambda r: respond(r, 200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png")
    site.routes["/big.html"] = lambda r: respond(r, 200, b"<html><body>" + b"<p>word</p>" * 10_000 + b"</body></html>")

    def slow(request):
        site.closing.wait(3)

    site.routes["/slow.html"] = slow
    store = open_store(str(tmp_path / "web.db"))
    settings = FetchSettings(allow_private=True, host_delay=0.0, retries=0, timeout=0.3, max_bytes=80_000)
    sources = [site.url("/logo.png"), page_url(site), site.url("/big.html"), site.url("/slow.html"), "ftp://news.example/x.html",
               page_url(site, "valley-sentinel-jets.html")]
    from newsweave.config import ReadSettings

    report = ingest_sources(sources, store, fetch=settings, read=ReadSettings(max_bytes=80_000))
    assert len(report.added) == 2 and store.count() == 2
    messages = {e.source.rsplit("/", 1)[-1]: e.message for e in report.failed}
    assert messages["logo.png"] == ("not an HTML page, a feed or a sitemap (the server sent image/png); newsweave reads news articles")
    assert "larger than the 80,000-byte cap" in messages["big.html"]
    assert messages["slow.html"].startswith("timed out waiting for the server to answer (limit 0.3 s)")
    assert messages["x.html"].startswith("refused: only http and https")


def test_read_urls_yields_documents_with_the_canonical_url(site):
    with local_fetcher() as fetcher:
        results = list(read_urls([page_url(site) + "?utm_source=x"], fetcher, validators=MemoryValidatorCache()))
    doc = results[0]
    assert doc.kind == "html" and doc.source == page_url(site) and doc.hints.url == page_url(site)
    assert doc.hints.title is None  # no feed item: the page speaks for itself


# --- TLS: the connection goes to the checked address, the certificate is checked for the name ---------------

TLS = WEB / "tls"


@pytest.fixture
def tls_site():
    import ssl

    with Site() as s:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(TLS / "server.pem", TLS / "server-key.pem")
        s.server.socket = context.wrap_socket(s.server.socket, server_side=True)
        yield s


def test_https_pinned_to_the_checked_address_still_verifies_the_certificate_for_the_host_name(tls_site):
    port = tls_site.server.server_address[1]
    settings = FetchSettings(allow_private=True, host_delay=0.0, retries=0, verify_tls=str(TLS / "ca.pem"))
    names = {"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]}
    with HttpFetcher(settings, resolver=lambda host, _port: names[host]) as fetcher:
        fetched = fetcher.fetch(f"https://news.test:{port}/news/harbor-ledger-jets.html")
        assert fetched.url == f"https://news.test:{port}/news/harbor-ledger-jets.html" and b"Venezuela" in fetched.content
        with pytest.raises(FetchError) as caught:
            fetcher.fetch(f"https://other.test:{port}/news/harbor-ledger-jets.html")
    assert caught.value.message.startswith("the site's TLS certificate cannot be trusted (Hostname mismatch")
    assert tls_site.headers_for("/news/harbor-ledger-jets.html")[0]["host"] == f"news.test:{port}"
