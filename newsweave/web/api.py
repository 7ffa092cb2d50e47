"""The HTTP API under /api/: stories, a story (the JSON dossier format), an article, and ingest.

Every GET answer carries a strong ETag and honours If-None-Match (304). Lists are paginated with
`limit`/`offset`; the answer holds `total` and a `next` link (also sent as a `Link: rel="next"` header).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator

from newsweave.model import StoryEdit
from newsweave.ingest.memory import read_record
from newsweave.pipeline import ingest_documents, merge_stories, split_story
from newsweave.dossier.format import FORMAT_NAME, FORMAT_VERSION, SCHEMA_PATH, document
from newsweave.model import article_to_dict
from newsweave.store import StoryFilter
from newsweave.web.auth import bearer_of, check_read, check_write
from newsweave.web.context import Context, context, find_article, find_review, find_story
from newsweave.web.service import finish_ingest, run_edit

MAX_LIMIT = 200
DOSSIER_SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

bearer = HTTPBearer(auto_error=False, description="The write token set at start-up (`newsweave serve --token`); "
                    "with --closed-reads, reads need it too.")

router = APIRouter(prefix="/api", tags=["api"])


def reader(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Context:
    ctx = context(request)
    check_read(request, ctx.access, api=True)
    return ctx


def writer(request: Request, _: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Context:
    """Checked before the body is read or validated: no token, no parsing."""
    ctx = context(request)
    check_write(ctx.access, bearer=bearer_of(request))
    return ctx


Reader = Annotated[Context, Depends(reader)]
Writer = Annotated[Context, Depends(writer)]


class StorySummaryOut(BaseModel):
    id: str
    headline: str
    first_published: date | None
    last_published: date | None
    articles: int = Field(description="articles in the story")
    outlets: int = Field(description="distinct outlets among them")
    claims: int | None = Field(description="claims found (null until the story is analysed)")
    conflicts: int | None
    independent_sources: int | None = Field(description="distinct roots behind the story's claims")
    url: str = Field(description="this story in the JSON dossier format")
    html_url: str = Field(description="this story's page")


class StoryList(BaseModel):
    total: int = Field(description="stories matching the filters, over all pages")
    limit: int
    offset: int
    next: str | None = Field(description="the next page, or null on the last one")
    previous: str | None
    stories: list[StorySummaryOut]


class ArticleOut(BaseModel):
    """An article as `newsweave article --format json` prints it, with the story it belongs to."""

    model_config = ConfigDict(extra="allow")
    id: str
    source: str
    sources: list[str] = Field(description="every path or URL it was read from, first seen first")
    outlet: str | None
    url: str | None
    title: str | None
    author: str | None
    published: date | None
    language: str | None
    dateline: str | None
    headings: list[str]
    text: str
    removed: list[dict[str, str]] = Field(description="lines the cleaner removed: {text, reason}, in document order")
    story: str | None = Field(description="the id of its story, or null before stories are updated")


class ArticleIn(BaseModel):
    """One article to ingest: `text` (as copied from a page) or `html` (a saved page), and what is known about it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "text": "Venezuela moves jets to its coast\n\nVenezuela has moved Su-30MK2 fighter jets ...",
        "title": "Venezuela moves jets to its coast", "outlet": "The Example Times", "published": "2025-11-02",
        "url": "https://example.com/venezuela-jets", "author": "A. Reporter",
    }]})
    text: str | None = Field(None, description="the article's text; the first line is taken as its title when no title is given")
    html: str | None = Field(None, description="a saved page, used when there is no text")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = Field(None, description="ISO 8601 date, a written date, or a Unix timestamp")
    author: str | None = None
    language: str | None = Field(None, description="ISO 639-1; detected when absent")

    @model_validator(mode="after")
    def _has_content(self) -> ArticleIn:
        if not (self.text or "").strip() and not (self.html or "").strip():
            raise ValueError("give the article's `text` or `html`")
        return self


class IngestedArticle(BaseModel):
    id: str
    status: Literal["added", "known"] = Field(description="added now, or stored before (same text from the same outlet)")
    story: str | None = Field(description="the story it joined")
    url: str


class JoinedStory(BaseModel):
    id: str
    headline: str
    articles: int
    url: str
    html_url: str


class IngestResult(BaseModel):
    articles: list[IngestedArticle]
    story: JoinedStory | None = Field(description="the story the (first) article joined")


class MergeIn(BaseModel):
    """Stories to merge into the one in the path (ids or unique prefixes), and why."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"stories": ["s5c0541501ea"], "reason": "one seismic swarm"}]})
    stories: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,64}$")]] = Field(min_length=1, max_length=100)
    reason: str = Field("", max_length=2000)


class SplitIn(BaseModel):
    """Articles of the story in the path to move into a story of their own (ids or unique prefixes), and why."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"articles": ["68d3dbe4a1a46d6d"], "reason": "a different shooting"}]})
    articles: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,64}$")]] = Field(min_length=1, max_length=1000)
    reason: str = Field("", max_length=2000)


class EditOut(BaseModel):
    """An editor's merge or split as recorded: the stories it was made on and those it made."""

    kind: Literal["merge", "split"]
    before: list[str]
    after: list[str]
    articles: list[str] = Field(description="merge: every article of the merged story; split: the articles moved out")
    reason: str
    urls: list[str] = Field(description="the stories it made, at /api/stories/ID")


class SimilarOut(BaseModel):
    story: str
    headline: str
    probability: float = Field(description="that this story's coverage reports that story's event (the join model's)")
    url: str


class MemberFitOut(BaseModel):
    article: str
    outlet: str | None
    title: str | None
    probability: float = Field(description="that the article reports the event of the rest of its story")


class ReviewOut(BaseModel):
    """What to look at before a merge or a split (as `newsweave review`): the open stories this story's
    coverage could join, most probable first, and its articles by fit to the rest of it, weakest first."""

    story: str
    open: bool = Field(description="false: the story has closed (no coverage in the clusterer's window); nothing is compared")
    join_score: float = Field(description="the probability at which the clusterer puts an article into a story")
    similar: list[SimilarOut]
    members: list[MemberFitOut]


class Problem(BaseModel):
    detail: str
    failed: list[str] = Field(default_factory=list, description="each input that failed: where, and what is wrong")


def _summary(s) -> StorySummaryOut:  # noqa: ANN001 - a StorySummary
    return StorySummaryOut(
        id=s.id, headline=s.headline, first_published=s.first_published, last_published=s.last_published,
        articles=s.article_count, outlets=s.outlet_count, claims=s.claim_count, conflicts=s.conflict_count,
        independent_sources=s.independent_sources, url=f"/api/stories/{s.id}", html_url=f"/stories/{s.id}",
    )


@router.get("/stories", response_model=StoryList, summary="List stories, latest coverage first")
def list_stories(
    request: Request,
    response: Response,
    ctx: Reader,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="stories per page")] = 50,
    offset: Annotated[int, Query(ge=0, description="stories to skip")] = 0,
    q: Annotated[str | None, Query(max_length=500, description="full-text search over the articles' titles and text; "
                                   'all words must match; "quoted phrase", prefix*')] = None,
    outlet: Annotated[str | None, Query(description="only stories this outlet covered")] = None,
    since: Annotated[date | None, Query(description="only stories with coverage on or after this date")] = None,
    until: Annotated[date | None, Query(description="only stories with coverage on or before this date")] = None,
) -> StoryList:
    """Stories with their counts; filters combine. Pages hold `limit` stories from `offset`, with `total` and a `next` link."""
    page = ctx.store.find_stories(StoryFilter(q, outlet, since, until), limit=limit, offset=offset, backend=ctx.search)

    def link(to: int) -> str:
        return f"{request.url.path}?{urlencode({**request.query_params, 'limit': limit, 'offset': to})}"

    next_link = link(offset + limit) if offset + limit < page.total else None
    previous = link(max(offset - limit, 0)) if offset > 0 else None
    if next_link:
        response.headers["Link"] = f'<{next_link}>; rel="next"'
    return StoryList(total=page.total, limit=limit, offset=offset, next=next_link, previous=previous,
                     stories=[_summary(s) for s in page.stories])


@router.get("/outlets", summary="List outlets", response_model=list[dict[str, Any]])
def list_outlets(ctx: Reader) -> list[dict[str, Any]]:
    """Every outlet in the store with its number of articles."""
    return [{"outlet": name, "articles": count} for name, count in ctx.store.outlets()]


@router.get(
    "/stories/{story_id}",
    summary="One story in the JSON dossier format",
    responses={
        200: {"description": f"A `{FORMAT_NAME}` document (version {FORMAT_VERSION}) holding this one story, exactly as "
                             "`newsweave story ID --format json` writes it; specified by the JSON Schema at /api/schema/dossier.",
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dossier"}}}},
        308: {"description": "the story was merged or split away by an editor, or renamed (an older article joined it): "
                             "`Location` names the story holding its articles now"},
        404: {"model": Problem, "description": "no such story, or not analysed yet"},
    },
)
def get_story(story_id: str, ctx: Reader) -> Response:
    """The story's dossier: articles, claims aligned across outlets, conflicts with evidence, unique details,
    provenance. The answer is the format's whole document `{"format", "version", "generator", "stories": [story]}`,
    so one parser reads it and `newsweave analyze --format json` output alike. `story_id` may be a unique prefix."""
    found = find_story(ctx.store, story_id)
    if found.moved_to is not None:  # merged or split away, or renamed: the story holding its articles now
        return Response(status_code=308, headers={"Location": f"/api/stories/{found.moved_to}"})
    if found.dossier is None:
        raise HTTPException(404, f"story {found.id} has no dossier yet: run newsweave analyze")
    return JSONResponse(document([found.dossier]))


@router.get("/stories/{story_id}/review", response_model=ReviewOut, summary="Stories this one could be merged with; its weakest articles",
            responses={308: {"description": "the story went away: `Location` names the story holding its articles now"},
                       404: {"model": Problem, "description": "no such story"},
                       409: {"model": Problem, "description": "the stories are not regrouped yet: run newsweave analyze"}})
async def get_review(story_id: str, ctx: Reader, limit: Annotated[int, Query(ge=1, le=50)] = 5) -> Response | ReviewOut:
    """The open stories this story's coverage could join, with the clusterer's probability, and its articles
    by how well each fits the rest of the story, weakest first: what to weigh before a merge or a split."""
    found = await run_in_threadpool(find_review, ctx.store, story_id, limit)
    if found.review is None:
        return Response(status_code=308, headers={"Location": f"/api/stories/{found.moved_to}/review"})
    review = found.review
    similar = [SimilarOut(story=c.story, headline=c.headline, probability=c.probability, url=f"/api/stories/{c.story}") for c in review.similar]
    members = [MemberFitOut(article=m.article.id, outlet=m.article.outlet, title=m.article.title, probability=m.probability)
               for m in review.members]
    return ReviewOut(story=review.story, open=review.open, join_score=review.join_score, similar=similar, members=members)


@router.get("/schema/dossier", summary="The JSON Schema of the dossier format")
def dossier_schema() -> JSONResponse:
    return JSONResponse(DOSSIER_SCHEMA)


@router.get("/articles/{article_id}", response_model=ArticleOut, summary="One article",
            responses={404: {"model": Problem}})
def get_article(article_id: str, ctx: Reader) -> dict[str, Any]:
    """An article's metadata, clean text and removed lines; `article_id` may be a unique prefix."""
    article = find_article(ctx.store, article_id)
    record = article_to_dict(article)
    record["sources"] = ctx.store.sources(article.id)
    record["story"] = ctx.store.story_of(article.id)
    return record


@router.post(
    "/articles",
    status_code=201,
    response_model=IngestResult,
    summary="Ingest an article (needs the write token)",
    responses={
        200: {"model": IngestResult, "description": "the article was stored before: nothing new"},
        401: {"model": Problem, "description": "no token given"},
        403: {"model": Problem, "description": "wrong token, or the server was started without one (read-only)"},
        413: {"description": "body over the size cap"},
        422: {"model": Problem, "description": "not an article: the message says why"},
        500: {"model": Problem, "description": "the store failed to write: the message is the store's"},
    },
)
async def post_article(ctx: Writer, article: ArticleIn, response: Response) -> IngestResult | JSONResponse:
    """Clean and store one article, then update the stories so it joins its story (this runs the language
    analysis of that story: seconds, not milliseconds). 201 when added, 200 when it was known."""
    record = article.model_dump(exclude_none=True)

    def work():  # noqa: ANN202
        with ctx.write_lock:
            report = ingest_documents(read_record(record, ctx.read), ctx.store, outlet_names=[n for n, _ in ctx.store.outlets()])
            return finish_ingest(ctx.store, report)

    outcome = await run_in_threadpool(work)  # a library error rises to `web.errors`: a failing store is 500
    report = outcome.report
    if report.failed:
        failed = [str(e) for e in report.failed]
        return JSONResponse({"detail": report.failed[0].message, "failed": failed}, status_code=422)
    items = [IngestedArticle(id=a, status="added" if a in report.added else "known", story=outcome.story_of.get(a),
                             url=f"/api/articles/{a}") for a in dict.fromkeys(report.added + report.known)]
    first = outcome.stories.get(items[0].story) if items and items[0].story else None
    story = JoinedStory(id=first.id, headline=first.headline, articles=first.articles, url=f"/api/stories/{first.id}",
                        html_url=f"/stories/{first.id}") if first else None
    if not report.added:
        response.status_code = 200
    if items:
        response.headers["Location"] = items[0].url
    return IngestResult(articles=items, story=story)


def dossier_components() -> dict[str, Any]:
    """The dossier JSON Schema as OpenAPI components: `Dossier` and one `Dossier_<name>` per definition."""
    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: (f"#/components/schemas/Dossier_{v.removeprefix('#/$defs/')}" if k == "$ref" and isinstance(v, str)
                        and v.startswith("#/$defs/") else rewrite(v)) for k, v in node.items() if k not in ("$schema", "$id", "$defs")}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    components = {"Dossier": rewrite(DOSSIER_SCHEMA)}
    for name, definition in DOSSIER_SCHEMA.get("$defs", {}).items():
        components[f"Dossier_{name}"] = rewrite(definition)
    return components


_EDIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "no token given"},
    403: {"model": Problem, "description": "wrong token, or the server was started without one (read-only)"},
    422: {"model": Problem, "description": "the edit cannot be made: the message says why (unknown story, nothing to split, ...)"},
    500: {"model": Problem, "description": "the store failed to write the edit: the message is the store's"},
}


@router.post("/stories/{story_id}/merge", response_model=EditOut, summary="Merge stories into this one (needs the write token)",
             responses=_EDIT_RESPONSES)
async def post_merge(story_id: str, body: MergeIn, ctx: Writer) -> EditOut:
    """An editor's merge, as `newsweave merge`: recorded, made again whenever every article is regrouped, and
    later coverage of any of the stories joins the merged one. The merged story is named after its oldest
    article; its dossier is rebuilt before the answer."""
    return await run_edit(ctx, lambda: merge_stories(ctx.store, [story_id, *body.stories], body.reason), _edit_out)


@router.post("/stories/{story_id}/split", response_model=EditOut, summary="Split articles out of this story (needs the write token)",
             responses=_EDIT_RESPONSES)
async def post_split(story_id: str, body: SplitIn, ctx: Writer) -> EditOut:
    """An editor's split, as `newsweave split`: the articles named get a story of their own; recorded and made
    again whenever every article is regrouped."""
    return await run_edit(ctx, lambda: split_story(ctx.store, story_id, body.articles, body.reason), _edit_out)


def _edit_out(edit: StoryEdit) -> EditOut:
    return EditOut(kind=edit.kind, before=list(edit.before), after=list(edit.after), articles=list(edit.articles), reason=edit.reason,
                   urls=[f"/api/stories/{s}" for s in edit.after])
