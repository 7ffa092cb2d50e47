"""ASGI middleware: security headers, the Host allow-list, same-origin writes, the request-body cap, and
ETags with 304 on GET.

Plain ASGI (no BaseHTTPMiddleware), so each is a few lines, streams nothing it does not need to, and
is tested through the app like everything else.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Awaitable, Callable, Sequence

from starlette.exceptions import HTTPException

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# No script runs on any page (the pictures are inline SVG), so nothing but 'self' is allowed anywhere,
# inline scripts and styles included; forms post only to this origin; no one may frame the pages.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    # Not no-referrer: under it a browser sends `Origin: null` with this server's own form posts (Fetch spec,
    # "append a request Origin header"), which SameOriginWrites could not tell from a sandboxed page's. Under
    # same-origin our own posts carry our origin, and other sites still get no Referer.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the CSP and its companions to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_json(path: str) -> bool:
    """Whether errors at `path` are answered as the API's `{"detail"}` JSON (else as a page or plain text)."""
    return path.startswith("/api/") or path == "/openapi.json"


async def refuse(scope: Scope, send: Send, status: int, detail: str, *, close: bool = False) -> None:
    """An error answered by a middleware, before the app sees the request: `{"detail"}` under /api/, as the
    app's own errors are, and plain text elsewhere (a page cannot be rendered this far out)."""
    if wants_json(scope.get("path", "")):
        body, media_type = json.dumps({"detail": detail}).encode(), b"application/json"
    else:
        body, media_type = (detail + "\n").encode(), b"text/plain; charset=utf-8"
    headers = [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
# Shown back in a refusal, so a hostile Host header cannot make the answer long.
MAX_HOST_SHOWN = 100


def host_name(value: str) -> str:
    """The name in a Host header, lower-cased, without its port, IPv6 brackets or a final dot:
    'News.Example.org:8000' -> 'news.example.org', '[::1]:8000' -> '::1'."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else ""
    if value.count(":") == 1:
        value = value.partition(":")[0]
    return value.removesuffix(".")


def host_allowed(name: str, allowed: Sequence[str]) -> bool:
    """Whether a host name (from `host_name`) is in `allowed`: exact names, `*.example.org` for any name
    under example.org (not example.org itself), or `*` for any name at all."""
    for pattern in allowed:
        if pattern == "*" or pattern == name or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


class AllowedHosts:
    """Answers 400 to a request whose Host header names no allowed host.

    The guard against DNS rebinding: a page on another site can point its own name at 127.0.0.1 and then
    read this server from a reader's browser, as same-origin to itself; but its requests carry its name
    in Host, which is not on the list. (Starlette's TrustedHostMiddleware does the same, but its refusal
    says only "Invalid host header", not what to do about it.)
    """

    def __init__(self, app: ASGIApp, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = tuple(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")
        name = host_name(given)
        if name and host_allowed(name, self.hosts):
            await self.app(scope, receive, send)
            return
        if not given.strip():
            detail = "no Host header: send the name this server is reached by in Host"
        else:
            shown = (name or given)[:MAX_HOST_SHOWN]
            detail = (f"Host not allowed: {shown!r}; this server answers to {', '.join(self.hosts)}. If {shown!r} "
                      f"is a name of this server, start it with --allowed-host {shown if name else 'NAME'}")
        await refuse(scope, send, 400, detail)


# Methods that change nothing here, so any site may send them (reads still need the token when closed).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SameOriginWrites:
    """Answers 403 to a write (any method but GET, HEAD and OPTIONS) whose Origin header is not this
    server's own: the scheme (http or https, for a server behind a TLS proxy) and the Host it was asked by.

    A browser names the page a request comes from in Origin, so a form or `fetch` on another site is
    refused before the token is looked at; `Origin: null` (a sandboxed frame, a `data:` page) is another
    site too. Requests without Origin (curl, scripts) go on to the token check. Runs inside AllowedHosts,
    so the Host it compares with is an allowed one.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        origin = headers.get(b"origin")
        host = headers.get(b"host", b"").decode("latin-1").strip().lower()
        if origin is None or origin.decode("latin-1").strip().lower() in (f"http://{host}", f"https://{host}"):
            await self.app(scope, receive, send)
            return
        shown = origin.decode("latin-1")[:MAX_HOST_SHOWN]
        await refuse(scope, send, 403,
                     f"cross-origin write refused: this request comes from a page at {shown!r}, not from this server "
                     f"(http://{host}); write from this server's own pages, or from a script, which sends no Origin, "
                     "with the token")


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a request body runs past the cap: an HTTPException, so that body and form
    parsers, which turn other errors into 400, let it through as the 413 it is."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body over the {max_bytes:,}-byte limit: upload fewer or smaller files")


# How much of a refused body is read and thrown away before the 413 goes out. Answering while the client is
# still sending, then closing, makes the kernel reset the connection, and a client that sends its whole body
# before it reads (urllib, requests) sees the reset, not the 413. So an accidental upload of a big file (a
# video, a dump) is drained first; past this much, reading on for a reply no one may read serves no one.
DRAIN_MAX_BYTES = 256 * 1024 * 1024


async def drain(receive: Receive, max_bytes: int) -> None:
    """Read the rest of a request body and discard it, until it ends, the client goes away, or `max_bytes`."""
    read = 0
    while read <= max_bytes:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body"):
            return
        read += len(message.get("body", b""))


class BodyLimit:
    """Refuses request bodies over `max_bytes` with 413: by Content-Length up front, else while reading.

    The rest of a refused body is drained (up to `drain_bytes`) before the 413, which carries
    `Connection: close`; a client that sent `Expect: 100-continue` is answered at once, before it sends.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, drain_bytes: int = DRAIN_MAX_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.drain_bytes = drain_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            waiting = headers.get(b"expect", b"").lower() == b"100-continue"  # nothing sent until we say so
            if not waiting and declared.isdigit() and int(declared) <= self.drain_bytes:  # else cut off anyway
                await drain(receive, self.drain_bytes)
            await self._refuse(scope, send)
            return
        seen = 0
        over = False  # the cap was passed: the answer, whatever the app makes of it, closes the connection
        unread = False  # and the client was still sending
        started = False

        async def counting_receive() -> Message:
            nonlocal seen, over, unread
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    over, unread = True, bool(message.get("more_body"))
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def closing_send(message: Message) -> None:
            nonlocal started, unread
            if message["type"] == "http.response.start":
                started = True
                if over:
                    if unread:
                        unread = False
                        await drain(receive, self.drain_bytes)
                    kept = [(k, v) for k, v in message.get("headers", []) if k != b"connection"]
                    message = {**message, "headers": kept + [(b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, counting_receive, closing_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, closing_send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        await refuse(scope, send, 413, BodyTooLarge(self.max_bytes).detail, close=True)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    if if_none_match.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return etag in tags


class ETags:
    """A strong ETag (a hash of the body) on every 200 answer to GET, and 304 Not Modified when If-None-Match has it.

    The body is still rendered (it is what is hashed), but not sent; pages and API answers are a few kB
    to a few hundred kB, so buffering one is cheap. Responses that set their own ETag are left alone.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        request_headers = dict(scope.get("headers", []))
        if_none_match = request_headers.get(b"if-none-match", b"").decode("latin-1")
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False

        async def buffering_send(message: Message) -> None:
            nonlocal start, passthrough
            if passthrough:
                await send(message)
                return
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                if message["status"] != 200 or b"etag" in names:
                    passthrough = True
                    await send(message)
                    return
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                etag = etag_of(body)
                assert start is not None
                headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
                headers.append((b"etag", etag.encode()))
                if not any(k == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-cache"))  # keep it, but ask each time (the ETag makes that cheap)
                if if_none_match and _matches(if_none_match, etag):
                    kept = {b"etag", b"cache-control", b"vary", b"content-security-policy", b"link"}
                    await send({"type": "http.response.start", "status": 304, "headers": [(k, v) for k, v in headers if k in kept]})
                    await send({"type": "http.response.body", "body": b""})
                    return
                headers.append((b"content-length", str(len(body)).encode()))
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffering_send)
