"""What every request handler shares: the store, who may read and write, the templates, the static files."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from newsweave.config import ReadSettings
from newsweave.errors import AmbiguousIdError
from newsweave.model import Article, StoryReview
from newsweave.pipeline import review_story
from newsweave.store import SQLStore
from newsweave.store import SearchBackend
from newsweave.web.auth import Access

# Story and article ids are short hex strings with a letter in front for stories; anything else in the
# path is refused before it reaches the store.
ID_PATTERN = re.compile(r"^[A-Za-z0-9]{1,64}$")



@dataclass(frozen=True, slots=True)
class FoundStory:
    """What a story id in a path leads to: the full id (a unique prefix resolved) and its dossier, or the
    story an editor's merge or split moved its articles to."""

    id: str | None  # None when the id names no story now
    dossier: dict[str, Any] | None  # None: not analysed yet (or moved)
    moved_to: str | None = None


def find_story(store: SQLStore, story_id: str) -> FoundStory:
    """The story a path names, for the pages and the API alike; 404 for an id that is malformed, ambiguous
    or unknown (and not merged or split away by an editor)."""
    if not ID_PATTERN.match(story_id):
        raise HTTPException(404, "no such story")
    dossier = store.dossier(story_id)
    if dossier is not None:
        return FoundStory(story_id, dossier)
    try:
        summary = store.story(story_id)
    except AmbiguousIdError as exc:
        raise HTTPException(404, str(exc)) from None
    if summary is not None:
        return FoundStory(summary.id, store.dossier(summary.id) if summary.id != story_id else None)
    successor = store.successor(story_id)
    if successor is None:
        raise HTTPException(404, f"no story {story_id}")
    return FoundStory(None, None, successor)


@dataclass(frozen=True, slots=True)
class FoundReview:
    """A story's review (`newsweave review`), or the story holding its articles now when the id went away."""

    review: StoryReview | None
    moved_to: str | None = None


def find_review(store: SQLStore, story_id: str, limit: int = 5) -> FoundReview:
    """The review of the story a path names, for the page and the API alike: 404 as `find_story`; 409 when
    the stories are not regrouped yet (review_story's EditError, as `web.errors` answers it: run analyze)."""
    found = find_story(store, story_id)
    if found.moved_to is not None:
        return FoundReview(None, found.moved_to)
    return FoundReview(review_story(store, found.id, limit))


def find_article(store: SQLStore, article_id: str) -> Article:
    """The article a path names (a unique prefix resolved), for the pages and the API alike; 404 otherwise."""
    if not ID_PATTERN.match(article_id):
        raise HTTPException(404, "no such article")
    try:
        article = store.article(article_id)
    except AmbiguousIdError as exc:
        raise HTTPException(404, str(exc)) from None
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return article


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
