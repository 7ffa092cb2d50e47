"""Fetching from the web: every byte newsweave reads from the network passes through here.

`HttpFetcher` is polite and careful: an honest User-Agent, robots.txt obeyed (cached per site), a pause
between requests to one site, conditional requests (ETag / Last-Modified), timeouts, a size cap enforced
while streaming, a redirect limit and bounded retries with backoff. It is safe by default: only http and
https, and before every connection, on every redirect hop, the host name is resolved, *all* its addresses
are checked (no loopback, private, link-local, multicast, reserved or cloud-metadata address unless
`allow_private`), and the connection goes to the address that was checked, so a DNS answer that changes
between the check and the connection cannot steer it inside.

`read_urls` turns addresses into raw documents: a page is one document; a feed or a sitemap is the
documents of the articles it lists, each carrying the item's metadata for the fields its page lacks.
Everything network-shaped comes in through the `Fetcher` protocol, so tests pass an
`HttpFetcher(transport=httpx.MockTransport(handler))`, or a fake of their own.
"""

from __future__ import annotations

import http
import ipaddress
import logging
import socket
import ssl
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable, Collection, Iterable, Iterator, Protocol, Sequence
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from protego import Protego

from newsweave._version import __version__
from newsweave.config import MAX_INPUT_BYTES, ReadSettings
from newsweave.errors import FetchError, InputError
from newsweave.model import Hints, RawDocument
from newsweave.ingest.feeds import MAX_ITEMS, FeedItem, classify, fill_missing, gunzip, read_feed
from newsweave.ingest.files import read_bytes
from newsweave.ingest.urls import address_problem, canonical_url, check_scheme, host_problem

log = logging.getLogger(__name__)

USER_AGENT = f"newsweave/{__version__} (+https://pypi.org/project/newsweave/)"
ROBOTS_AGENT = "newsweave"  # the token robots.txt groups are matched against
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
CONNECT_TIMEOUT = 10.0  # seconds to open a connection
READ_TIMEOUT = 20.0  # seconds of silence while waiting for bytes
TOTAL_TIMEOUT = 60.0  # a response trickling bytes to dodge the read timeout is cut off here
MAX_REDIRECTS = 5  # browsers allow ~20; a news page that needs more than 5 is broken
RETRIES = 2  # further tries after a timeout, a broken connection, 429 or 5xx
BACKOFF = 1.0  # seconds before the first retry, doubled for each next one
MAX_BACKOFF = 30.0  # no wait (Retry-After included) is longer than this
HOST_DELAY = 1.0  # seconds between two requests to one site, unless its robots.txt asks for more
MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay beyond this is capped
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: crawlers parse at least 500 KiB
ROBOTS_TTL = 24 * 3600.0  # RFC 9309: robots.txt is cached for at most a day
ROBOTS_RETRY = 600.0  # an unreadable robots.txt is asked for again after ten minutes
MAX_SITEMAPS = 50  # child sitemaps read from one sitemap index
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How pages are fetched. `allow_private` permits intranet and loopback addresses (never cloud metadata)."""

    timeout: float = READ_TIMEOUT
    connect_timeout: float = CONNECT_TIMEOUT
    total_timeout: float = TOTAL_TIMEOUT
    max_bytes: int = MAX_INPUT_BYTES
    max_redirects: int = MAX_REDIRECTS
    retries: int = RETRIES
    backoff: float = BACKOFF
    max_backoff: float = MAX_BACKOFF
    host_delay: float = HOST_DELAY
    user_agent: str = USER_AGENT
    respect_robots: bool = True
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()  # e.g. ("10.20.0.0/16",): these addresses only, not every private one
    verify_tls: bool | str = True  # or the path of a CA bundle to trust (an intranet's own CA)


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said identifies the version it sent: sent back to ask "has it changed?"."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def headers(self) -> dict[str, str]:
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


class ValidatorCache(Protocol):
    """Where validators are kept between polls, keyed by canonical URL (in memory here; a store later)."""

    def get(self, url: str) -> Validators | None: ...
    def put(self, url: str, validators: Validators) -> None: ...


class MemoryValidatorCache:
    """A ValidatorCache in a dict: it lasts as long as the process."""

    def __init__(self) -> None:
        self._items: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        return self._items.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self._items[url] = validators

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True, slots=True)
class Fetched:
    """One fetched address: the canonical URL it ended at (after redirects), the status (200 or 304) and bytes."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    validators: Validators = field(default_factory=Validators)
    requested: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher(Protocol):
    """Fetches one address; raises InputError (a FetchError) with a message for the user when it cannot."""

    def fetch(self, url: str, *, validators: Validators | None = None) -> Fetched: ...


Resolver = Callable[[str, int], Sequence[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the system's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos))


@dataclass(frozen=True, slots=True)
class _Target:
    url: str  # the address as the user or the redirect named it
    parsed: httpx.URL
    origin: str  # scheme://host[:port], the unit robots.txt and the host delay apply to
    addresses: tuple[str, ...]  # checked, in the order to try


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    headers: httpx.Headers
    content: bytes


@dataclass(slots=True)
class _Robots:
    rules: Protego | None  # None: everything allowed (no robots.txt)
    refusal: str | None  # set when robots.txt could not be read: the whole site is off limits for now
    expires: float
    transient: bool = True  # whether the refusal may lift by itself


class _Transient(Exception):
    """A failure worth retrying: a timeout or a broken connection."""


class HttpFetcher:
    """The real Fetcher, over httpx. Use as a context manager, or call close().

    `transport` (e.g. `httpx.MockTransport`), `resolver`, `sleep` and `clock` are seams for tests.
    """

    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),
        *,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = system_resolver,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._resolver = resolver
        self._sleep = sleep
        self._clock = clock
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(settings.timeout, connect=settings.connect_timeout),
            follow_redirects=False,  # every hop is checked here
            trust_env=False,  # a proxy from the environment would connect to addresses never checked
            verify=_tls_verification(settings.verify_tls),
            headers={"User-Agent": settings.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"},
        )
        self._robots: dict[str, _Robots] = {}
        self._last_request: dict[str, float] = {}

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, *, validators: Validators | None = None) -> Fetched:
        """GET one address, following redirects; 200 with the bytes, or 304 when `validators` still match."""
        return self._fetch(url, validators, robots=self.settings.respect_robots, max_bytes=self.settings.max_bytes)

    # --- one address, hop by hop ---

    def _fetch(
        self, url: str, validators: Validators | None, *, robots: bool, max_bytes: int, retries: int | None = None
    ) -> Fetched:
        requested = url.strip()
        current = _without_fragment(requested)
        conditional = validators.headers() if validators else {}
        for _hop in range(self.settings.max_redirects + 1):
            target = self._target(current)
            if robots:
                self._obey_robots(target)
            response = self._get(target, conditional, max_bytes, self.settings.retries if retries is None else retries)
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(current, f"HTTP {response.status} redirect with no Location header", status=response.status)
                current = _without_fragment(urljoin(current, location.strip()))
                continue
            if response.status == 304 and conditional:
                return Fetched(canonical_url(current), 304, b"", None, validators or Validators(), requested)
            if response.status >= 300 or response.status == 204:
                transient = response.status in RETRY_STATUSES
                raise FetchError(current, _status_message(response.status), status=response.status, transient=transient)
            headers = response.headers
            new_validators = Validators(headers.get("etag"), headers.get("last-modified"))
            content_type = headers.get("content-type")
            return Fetched(canonical_url(current), response.status, response.content, content_type, new_validators, requested)
        raise FetchError(
            requested, f"more than {self.settings.max_redirects} redirects (a redirect loop?); the last one went to {current}"
        )

    def _target(self, url: str) -> _Target:
        """Check the address and resolve its host; raise FetchError when any of its addresses is refused."""
        try:
            check_scheme(url)
        except InputError as exc:
            raise FetchError(url, exc.message) from None
        try:
            parsed = httpx.URL(url)
            host = parsed.raw_host.decode("ascii")
        except (httpx.InvalidURL, UnicodeError) as exc:
            raise FetchError(url, f"not a valid web address: {exc}") from None
        problem = host_problem(host)
        if problem:
            raise FetchError(url, problem)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            addresses = [str(ipaddress.ip_address(host))]
        except ValueError:
            try:
                addresses = list(self._resolver(host, port))
            except (OSError, UnicodeError) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                message = f"cannot resolve the host name {host} ({reason}); check the address"
                raise FetchError(url, message, transient=True) from None
            if not addresses:
                raise FetchError(url, f"cannot resolve the host name {host}: no addresses; check the address", transient=True)
        allow = {"allow_private": self.settings.allow_private, "allow_networks": self.settings.allow_networks}
        for address in addresses:
            problem = address_problem(address, host=host, **allow)
            if problem:
                private = address_problem(address, host=host, allow_private=True) is None  # allowing private would do
                raise FetchError(url, problem, about="allow_private" if private else None)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        return _Target(url, parsed, origin, tuple(addresses))

    def _get(self, target: _Target, headers: dict[str, str], max_bytes: int, retries: int) -> _Response:
        """One hop, with retries and backoff for timeouts, broken connections, 429 and 5xx."""
        tries = retries + 1
        for attempt in range(tries):
            self._wait_turn(target.origin)
            retry_after = None
            tried = f"tried {attempt + 1} time{'s' if attempt else ''}"
            try:
                response = self._send(target, headers, max_bytes)
            except _Transient as exc:
                message = f"{exc} ({tried}); the server is slow or down, try again later"
                failure = FetchError(target.url, message, transient=True)
            else:
                if response.status not in RETRY_STATUSES:
                    return response
                message = f"{_status_message(response.status)} ({tried})"
                failure = FetchError(target.url, message, status=response.status, transient=True)
                retry_after = _retry_after(response.headers.get("retry-after"))
            if attempt + 1 < tries:
                delay = min(self.settings.max_backoff, max(self.settings.backoff * 2**attempt, retry_after or 0.0))
                log.info("retrying %s in %.1f s: %s", target.url, delay, failure.message)
                self._sleep(delay)
        raise failure

    def _send(self, target: _Target, headers: dict[str, str], max_bytes: int) -> _Response:
        """GET from the checked addresses (first that connects), reading at most `max_bytes`."""
        host_header = target.parsed.netloc.decode("ascii")
        https = target.parsed.scheme == "https"
        response = None
        for index, address in enumerate(target.addresses):
            pinned = target.parsed.copy_with(host=address, fragment=None)
            request = self._client.build_request(
                "GET", pinned, headers={**headers, "Host": host_header},
                extensions={"sni_hostname": target.parsed.raw_host.decode("ascii")} if https else {},
            )
            try:
                response = self._client.send(request, stream=True)
                break
            except httpx.TimeoutException as exc:
                raise _Transient(f"timed out {_phase(exc)} (limit {self._limit(exc):g} s)") from None
            except httpx.ConnectError as exc:
                reason = _tls_failure(exc)
                if reason:
                    message = f"the site's TLS certificate cannot be trusted ({reason}); newsweave will not read it"
                    raise FetchError(target.url, message) from None
                if index + 1 < len(target.addresses):
                    continue
                raise _Transient(f"cannot connect ({exc or type(exc).__name__})") from None
            except httpx.TransportError as exc:
                raise _Transient(f"the connection failed ({exc or type(exc).__name__})") from None
        assert response is not None
        self._client.cookies.clear()  # no state carried from one site to the next
        try:
            if not 200 <= response.status_code < 300:
                return _Response(response.status_code, response.headers, b"")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise FetchError(target.url, _too_big(max_bytes, int(length)), about="max_bytes")
            deadline = self._clock() + self.settings.total_timeout
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(target.url, _too_big(max_bytes), about="max_bytes")
                chunks.append(chunk)
                if self._clock() > deadline:
                    raise _Transient(f"timed out: the page took over {self.settings.total_timeout:g} s to arrive")
            return _Response(response.status_code, response.headers, b"".join(chunks))
        except httpx.TimeoutException as exc:
            raise _Transient(f"timed out {_phase(exc)} (limit {self._limit(exc):g} s)") from None
        except httpx.DecodingError as exc:
            raise FetchError(target.url, f"the server sent damaged compressed data ({exc})") from None
        except httpx.TransportError as exc:
            raise _Transient(f"the connection broke while reading ({exc or type(exc).__name__})") from None
        finally:
            response.close()

    def _limit(self, exc: httpx.TimeoutException) -> float:
        return self.settings.connect_timeout if isinstance(exc, httpx.ConnectTimeout) else self.settings.timeout

    def _wait_turn(self, origin: str) -> None:
        """Space requests to one site by the host delay, or the Crawl-delay its robots.txt asks for."""
        robots = self._robots.get(origin)
        crawl_delay = robots.rules.crawl_delay(ROBOTS_AGENT) if robots and robots.rules else None
        delay = max(self.settings.host_delay, min(float(crawl_delay or 0.0), MAX_CRAWL_DELAY))
        last = self._last_request.get(origin)
        if last is not None and delay > 0:
            wait = last + delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last_request[origin] = self._clock()

    # --- robots.txt ---

    def _obey_robots(self, target: _Target) -> None:
        robots = self._robots.get(target.origin)
        if robots is None or robots.expires <= self._clock():
            robots = self._load_robots(target.origin)
            self._robots[target.origin] = robots
        if robots.refusal:
            raise FetchError(target.url, robots.refusal, transient=robots.transient)
        if robots.rules is not None and not robots.rules.can_fetch(target.url, ROBOTS_AGENT):
            message = f"refused by {target.origin}/robots.txt: the site asks crawlers not to fetch this address"
            raise FetchError(target.url, message)

    def _load_robots(self, origin: str) -> _Robots:
        url = f"{origin}/robots.txt"
        try:
            fetched = self._fetch(url, None, robots=False, max_bytes=ROBOTS_MAX_BYTES, retries=0)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:  # no robots.txt: everything is allowed
                return _Robots(None, None, self._clock() + ROBOTS_TTL)
            if exc.status is None and not exc.transient:  # refused, untrusted, too big: the page would fail alike
                return _Robots(None, exc.message, self._clock() + ROBOTS_RETRY, transient=False)
            refusal = (
                f"{url} could not be read ({exc.message}); until it can, crawlers must treat the whole site "
                "as off limits (RFC 9309); try again later"
            )
            return _Robots(None, refusal, self._clock() + ROBOTS_RETRY)
        text = fetched.content.decode("utf-8", "replace")
        return _Robots(Protego.parse(text), None, self._clock() + ROBOTS_TTL)


# --- addresses to raw documents ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NotModified:
    """An address whose server answered 304: nothing new since the last fetch."""

    source: str


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Everything read from `urls` has been yielded. Once it is stored, remember `validators` for them
    (for conditional requests) and, for a feed item (`item`), that it needs no fetching again."""

    urls: tuple[str, ...]
    validators: Validators | None = None
    item: bool = False


WebResult = RawDocument | InputError | NotModified | Checkpoint


def read_urls(
    urls: Iterable[str],
    fetcher: Fetcher,
    *,
    validators: ValidatorCache | None = None,
    read: ReadSettings = ReadSettings(),
    seen: Collection[str] = frozenset(),
    max_items: int = MAX_ITEMS,
    on_source: Callable[[str], None] | None = None,
) -> Iterator[WebResult]:
    """Pages, feeds and sitemaps to raw documents, in order; each failure is yielded as an InputError.

    A page is one document (its canonical URL is its source and `url`); a feed or a sitemap (told
    apart from a page by its content, not its address) yields the documents of the articles it lists.
    Item links in `seen` are skipped, and so is an article listed twice. Conditional requests use
    `validators`, which this function only reads: the caller saves each `Checkpoint`'s validators once
    what came before it is stored, so an interrupted run fetches it again rather than losing it.
    `on_source` is called with each address in `urls` once everything it led to has been yielded.
    """
    reader = _Reader(fetcher, validators, read, seen, max_items)
    for url in urls:
        yield from reader.source(url)
        if on_source:
            on_source(url)


@dataclass(slots=True)
class _Reader:
    fetcher: Fetcher
    validators: ValidatorCache | None
    read: ReadSettings
    seen: Collection[str]
    max_items: int
    handled: set[str] = field(default_factory=set)
    retry_later: int = 0  # items that failed in a way worth trying again (a timeout, a 503)

    def source(self, url: str, depth: int = 0) -> Iterator[WebResult]:
        try:
            key = canonical_url(url)
        except InputError as exc:
            yield exc
            return
        fetched = self._fetch(url, key)
        if isinstance(fetched, InputError):
            yield fetched
            return
        if fetched.not_modified:
            yield NotModified(key)
            return
        try:
            data = _unpacked(fetched, self.read.max_bytes)
        except InputError as exc:
            yield exc
            return
        kind = classify(data, fetched.content_type)
        retry_later = self.retry_later
        if kind == "html":
            yield from self._page(fetched, data, Hints())
        elif kind in ("feed", "sitemap"):
            yield from self._listing(fetched, data, depth)
        else:
            yield InputError(fetched.url, _not_readable(fetched.content_type))
            return
        # A listing with an item to try again is not remembered as read: the next poll must not get a 304.
        yield Checkpoint((key,), fetched.validators if self.retry_later == retry_later else None)

    def _listing(self, fetched: Fetched, data: bytes, depth: int) -> Iterator[WebResult]:
        try:
            feed = read_feed(fetched.url, data, fetched.content_type)
        except InputError as exc:
            yield exc
            return
        if len(feed.items) > self.max_items:
            log.warning("%s lists %d articles; reading the first %d", fetched.url, len(feed.items), self.max_items)
        for item in feed.items[: self.max_items]:
            if item.url in self.seen or item.url in self.handled:
                continue
            self.handled.add(item.url)
            yield from self._item(item)
        if feed.sitemaps and depth > 0:
            log.warning("%s: a sitemap index inside a sitemap index is not followed", fetched.url)
        elif feed.sitemaps:
            for child in feed.sitemaps[:MAX_SITEMAPS]:
                yield from self.source(child, depth + 1)
        if feed.error:
            yield feed.error

    def _item(self, item: FeedItem) -> Iterator[WebResult]:
        fetched = self._fetch(item.url, item.url)
        if isinstance(fetched, InputError):
            yield fetched
            if getattr(fetched, "transient", False):
                self.retry_later += 1
            else:
                yield Checkpoint((item.url,), item=True)
            return
        done = tuple(dict.fromkeys((item.url, fetched.url)))
        self.handled.update(done)
        if fetched.not_modified:
            yield NotModified(item.url)
            yield Checkpoint(done, item=True)
            return
        if classify(fetched.content, fetched.content_type) != "html":
            what = _not_readable(fetched.content_type)
            yield InputError(fetched.url, f"the feed item links to something that is not an article page: {what}")
        else:
            yield from self._page(fetched, fetched.content, item.hints)
        yield Checkpoint(done, fetched.validators, item=True)

    def _page(self, fetched: Fetched, data: bytes, hints: Hints) -> Iterator[RawDocument | InputError]:
        for doc in read_bytes(fetched.url, data, "html", self.read):
            if isinstance(doc, RawDocument):
                doc = fill_missing(doc, hints, url=fetched.url)
            yield doc

    def _fetch(self, url: str, key: str) -> Fetched | InputError:
        cached = self.validators.get(key) if self.validators is not None else None
        try:
            return self.fetcher.fetch(url, validators=cached)
        except InputError as exc:
            return exc


# --- helpers ------------------------------------------------------------------------------------------


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")) if parts.fragment else url


def _unpacked(fetched: Fetched, max_bytes: int) -> bytes:
    """A gzip-compressed sitemap (`sitemap.xml.gz`) unpacked; anything else as it came."""
    if fetched.content.startswith(b"\x1f\x8b"):
        return gunzip(fetched.url, fetched.content, max_bytes)
    return fetched.content


def _status_message(status: int) -> str:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        phrase = "unknown status"
    head = f"HTTP {status} {phrase}"
    if status == 204:
        return f"{head}: the server sent nothing"
    if status in (404, 410):
        return f"{head}: no page at this address (moved or deleted?)"
    if status in (401, 402, 403, 451):
        return f"{head}: the site refuses to serve this page to newsweave (a paywall, a login or a bot block)"
    if status == 429:
        return f"{head}: the site asks newsweave to slow down; poll less often"
    if status >= 500:
        return f"{head}: the server is failing; try again later"
    return head


def _too_big(max_bytes: int, declared: int | None = None) -> str:
    size = f" ({declared:,} bytes announced)" if declared else ""
    return (
        f"larger than the {max_bytes:,}-byte cap for one page{size}; the download was stopped "
        "(a news page is rarely over 2 MB)"
    )


def _not_readable(content_type: str | None) -> str:
    what = (content_type or "no content type").split(";")[0].strip()
    return f"not an HTML page, a feed or a sitemap (the server sent {what}); newsweave reads news articles"


def _tls_verification(verify: bool | str) -> bool | ssl.SSLContext:
    return ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify


def _tls_failure(exc: BaseException) -> str | None:
    """The reason a TLS handshake failed on the certificate, or None when it was something else."""
    seen = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen.verify_message or str(seen)
        seen = seen.__cause__ or seen.__context__
    return None


def _phase(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "connecting"
    if isinstance(exc, httpx.ReadTimeout):
        return "waiting for the server to answer"
    return "talking to the server"


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (a number, or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
