"""What every request handler shares: the store, who may read and write, the templates, the static files."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from ..config import ReadSettings
from ..store import SQLStore
from ..store.search import SearchBackend
from .auth import Access

# Story and article ids are short hex strings with a letter in front for stories; anything else in the
# path is refused before it reaches the store.
ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,64}$")
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class StaticFile:
    body: bytes
    media_type: str
    etag: str


def load_static() -> dict[str, StaticFile]:
    """The package's static files, read once at start-up: a request names a key, never a path."""
    found = {}
    for entry in resources.files("newsweave.web").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in STATIC_TYPES:
            body = entry.read_bytes()
            found[entry.name] = StaticFile(body, STATIC_TYPES[suffix], '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"')
    return found


def template_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsweave.web", "templates"),
        autoescape=True,  # every template, whatever its name: article text is untrusted
        undefined=StrictUndefined,  # a misspelt name fails the tests instead of rendering as nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@dataclass(slots=True)
class Context:
    store: SQLStore
    access: Access
    search: SearchBackend
    read: ReadSettings
    max_body_bytes: int
    max_files: int
    templates: Environment = field(default_factory=template_environment)
    static: dict[str, StaticFile] = field(default_factory=load_static)
    write_lock: threading.Lock = field(default_factory=threading.Lock)  # one ingest (and story update) at a time

    @property
    def static_version(self) -> str:
        return hashlib.blake2b(b"".join(f.etag.encode() for f in self.static.values()), digest_size=4).hexdigest()

    def render(self, request: Request, name: str, *, status: int = 200, headers: dict[str, str] | None = None, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(
            request_path=request.url.path, static_version=self.static_version, writable=self.access.token is not None, **values
        )
        return HTMLResponse(html, status_code=status, headers=headers)


def context(request: Request) -> Context:
    return request.app.state.newsweave
