"""The app factory: a FastAPI app over one store, with the pages, the API, and the safety middleware."""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Sequence

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsweave._version import __version__
from newsweave.config import MAX_INPUT_BYTES, ReadSettings
from newsweave.errors import ConfigError, NewsweaveError
from newsweave.store import open_store
from newsweave.web import api, pages
from newsweave.web.auth import Access
from newsweave.web.context import Context, context
from newsweave.web.errors import http_error_of
from newsweave.web.middleware import (
    LOOPBACK_HOSTS, AllowedHosts, BodyLimit, ETags, SameOriginWrites, SecurityHeaders, wants_json,
)

log = logging.getLogger(__name__)

MAX_BODY_BYTES = MAX_INPUT_BYTES + 1024 * 1024  # one input at the readers' cap, plus the form around it
MAX_FILES = 50  # files in one upload
# Addresses that mean "every interface": bound to one, the server is reached by the machine's own names.
WILDCARD_BINDS = ("0.0.0.0", "::", "")
# A host name, or *.domain for the names under it (the labels of RFC 1123, plus _ which some intranets use).
HOST_PATTERN = re.compile(r"^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$")
# How `serve` runs uvicorn (and the tests' real server): no trust in X-Forwarded-* headers, no Server header.
UVICORN_OPTIONS: dict[str, Any] = {"proxy_headers": False, "server_header": False}

DESCRIPTION = """\
newsweave's HTTP API: the stories in a store, each story in the public JSON dossier format (what is
confirmed, disputed and unique, with provenance), single articles, and ingest.

**Auth.** `POST /api/articles` needs the write token given to `newsweave serve --token` (or
`NEWSWEAVE_TOKEN`) as `Authorization: Bearer TOKEN`. Reads are open unless the server runs with
`--closed-reads`; then they need the same header. No token: 401; a wrong one: 403.

**Hosts and origins.** A request whose `Host` is not one of the server's names (`--allowed-host`) gets
400. A write (POST) with an `Origin` header other than the server's own gets 403: write from scripts,
which send none, or from the server's own pages.

**Caching.** Every GET answer has a strong `ETag`; send it back in `If-None-Match` to get
`304 Not Modified` when nothing changed.

**Pagination.** `GET /api/stories?limit=&offset=` answers with `total`, and `next`/`previous` links
(`next` is also sent as a `Link: <...>; rel="next"` header).

**Limits.** Request bodies over the cap are refused with 413.

**Errors.** Every error answer is `{"detail": "..."}`, the message saying what is wrong: 404 for an unknown
or ambiguous id in the path; 422 for a request that cannot be carried out (an article that is not one, an
edit that cannot be made); 409 when a review waits for the stories to be regrouped; 500, with the store's
message, when the store fails to read or write.
"""


def create_app(
    db: str,
    *,
    token: str | None,
    open_reads: bool,
    max_body_bytes: int = MAX_BODY_BYTES,
    max_files: int = MAX_FILES,
    read: ReadSettings = ReadSettings(),
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
) -> FastAPI:
    """A FastAPI app serving the store at `db` (a path or URL): pages at /, the API at /api/, its docs at /docs.

    `token` authorises writes (None: read-only); `open_reads=False` makes reads need it too. `allowed_hosts`:
    the names requests may carry in Host (`allowed_host` says which forms; `allowed_hosts_for` gives the
    ones a server bound to an address answers to). Raises ConfigError for a malformed host, StoreError when
    the store cannot be opened.
    """
    hosts = tuple(dict.fromkeys(allowed_host(h) for h in allowed_hosts))
    if not hosts:
        raise ConfigError("no allowed hosts: the server would refuse every request; give at least one name")
    store = open_store(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="newsweave", version=__version__, description=DESCRIPTION, lifespan=lifespan,
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",  # /docs is server-rendered below: no CDN, no scripts
    )
    app.state.newsweave = Context(
        store=store, access=Access(token=token or None, open_reads=open_reads), search=store.search_backend(),
        read=read, max_body_bytes=max_body_bytes, max_files=max_files,
    )
    app.include_router(pages.router)
    app.include_router(api.router)
    app.add_api_route("/static/{name}", static_file, include_in_schema=False)
    app.add_api_route("/docs", api_docs, include_in_schema=False, response_class=HTMLResponse)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(NewsweaveError, library_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    # Outermost last: every answer (a 304, a 400, a 413) carries the security headers; a request from an
    # unknown host or another site's page is refused before its body is read.
    app.add_middleware(ETags)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(SameOriginWrites)
    app.add_middleware(AllowedHosts, hosts=hosts)
    app.add_middleware(SecurityHeaders)
    return app


def static_file(name: str, request: Request) -> Response:
    """A file from the package's static folder, held in memory since start-up."""
    found = context(request).static.get(name)
    if found is None:
        raise HTTPException(404, "no such file")
    if request.headers.get("if-none-match") == found.etag:
        return Response(status_code=304, headers={"ETag": found.etag})
    return Response(found.body, media_type=found.media_type,
                    headers={"ETag": found.etag, "Cache-Control": "public, max-age=86400"})


def api_docs(request: Request) -> Response:
    """The API reference, rendered from the OpenAPI document."""
    ctx = context(request)
    spec = request.app.openapi()
    operations = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            operations.append({"method": method.upper(), "path": path, **op})
    return ctx.render(request, "docs.html", spec=spec, operations=operations, schema_name=_schema_name)


def _schema_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_schema_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_schema_name(schema.get('items'))}]"
    return str(schema.get("type", ""))


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        spec.setdefault("components", {}).setdefault("schemas", {}).update(api.dossier_components())
        app.openapi_schema = spec
    return app.openapi_schema


def _wants_json(request: Request) -> bool:
    return wants_json(request.url.path)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """JSON `{"detail"}` under /api/, an HTML page elsewhere; the challenge headers kept either way."""
    headers = getattr(exc, "headers", None)
    if _wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    ctx = context(request)
    return ctx.render(request, "error.html", status=exc.status_code, headers=headers, status_code=exc.status_code, detail=exc.detail)


async def library_error(request: Request, exc: NewsweaveError) -> Response:
    """A library error a handler let rise, answered as `web.errors` maps it: for the pages and the API alike."""
    return await http_error(request, http_error_of(exc, writing=request.method not in ("GET", "HEAD")))


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = ["{}: {}".format(".".join(str(p) for p in e.get("loc", ()) if p != "body"), e.get("msg", "")) for e in exc.errors()]
    if _wants_json(request):
        return JSONResponse({"detail": "; ".join(problems), "errors": jsonable(exc.errors())}, status_code=422)
    return context(request).render(request, "error.html", status=422, status_code=422, detail="; ".join(problems))


def jsonable(errors: Any) -> Any:
    return jsonable_encoder(errors, custom_encoder={Exception: str})


def allowed_host(value: str) -> str:
    """A Host allow-list entry in the form the app compares: a name ('news.example.org'), an address
    ('192.168.1.20', '::1' or '[::1]'), '*.example.org' for every name under it, or '*' for any Host at all;
    lower-cased. Raises ConfigError for anything else (a scheme, a port, a path)."""
    name = value.strip().lower()
    if name == "*" or HOST_PATTERN.match(name.removesuffix(".")):
        return name.removesuffix(".")
    try:
        return str(ipaddress.ip_address(name.removeprefix("[").removesuffix("]")))
    except ValueError:
        raise ConfigError(f"{value!r} is not a host name: give a name (news.example.org), an address "
                          "(192.168.1.20), or *.example.org for the names under a domain; no scheme, port or path",
                          about="allowed_hosts") from None


def allowed_hosts_for(bind: str, extra: Sequence[str] = ()) -> tuple[str, ...]:
    """The Host names a server bound to `bind` answers to: this machine's loopback names, the bound address
    itself, and `extra`. Bound to every interface (0.0.0.0, ::), also the machine's host name and the
    addresses it resolves to here, so that other machines can reach it by those; any other name (a DNS
    alias, an address the host name does not resolve to) must be given in `extra`."""
    here = machine_names() if bind.strip() in WILDCARD_BINDS else [bind]
    return tuple(dict.fromkeys(allowed_host(n) for n in [*LOOPBACK_HOSTS, *here, *extra]))


def machine_names() -> list[str]:
    """This machine's host name (and its first label when it has dots) and the addresses it resolves to
    locally; what resolution fails to give is left out."""
    hostname = socket.gethostname()
    names = [hostname, hostname.partition(".")[0]]
    try:
        names += [str(info[4][0]).partition("%")[0] for info in socket.getaddrinfo(hostname, None)]  # fe80::1%eth0
    except (OSError, UnicodeError):
        pass
    found = []
    for name in names:
        try:
            found.append(allowed_host(name))
        except ConfigError:
            continue  # not a name a browser could send in Host
    return list(dict.fromkeys(found))


def serve(app: FastAPI, *, host: str = "127.0.0.1", port: int = 8000, log_level: str = "warning") -> None:
    """Run an app made by `create_app` with uvicorn until interrupted (what `newsweave serve` calls)."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, log_level=log_level, **UVICORN_OPTIONS)
