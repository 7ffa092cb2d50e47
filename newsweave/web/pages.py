"""The HTML pages: the story list, a story, an article, and the ingest form. Server-rendered, no scripts."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from newsweave.ingest.memory import PASTE_FORMATS, read_paste, read_upload
from newsweave.pipeline import ingest_documents, merge_stories, split_story
from newsweave.store import StoryFilter
from newsweave.store.search import terms
from newsweave.report import detail_provenance, first_reported, sources_phrase
from newsweave.web import graphics, views
from newsweave.web.auth import check_read, check_write
from newsweave.web.context import ID_PATTERN, Context, context, find_article, find_review, find_story
from newsweave.web.service import IngestOutcome, finish_ingest, run_edit

PAGE_SIZE = 50

router = APIRouter(include_in_schema=False)


def _read(request: Request) -> Context:
    ctx = context(request)
    check_read(request, ctx.access, api=False)
    return ctx


def _date(value: str | None, name: str, notes: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        notes.append(f"{name}: {value!r} is not a date (YYYY-MM-DD); ignored")
        return None


@router.get("/", response_class=HTMLResponse)
def story_list(request: Request, q: str = "", outlet: str = "", since: str = "", until: str = "", offset: int = 0) -> Response:
    """Stories, latest coverage first, with search and filters."""
    ctx = _read(request)
    notes: list[str] = []
    where = StoryFilter(query=q.strip() or None, outlet=outlet or None, since=_date(since, "from", notes), until=_date(until, "to", notes))
    if where.query and not terms(where.query):
        notes.append(f"the search {q!r} has no words to search for; showing every story")
    offset = max(offset, 0)
    page = ctx.store.find_stories(where, limit=PAGE_SIZE, offset=offset, backend=ctx.search)
    filters = {k: v for k, v in {"q": q, "outlet": outlet, "since": since, "until": until}.items() if v}

    def link(to: int) -> str:
        params = {**filters, **({"offset": to} if to else {})}
        return "/?" + urlencode(params) if params else "/"

    return ctx.render(
        request, "stories.html", page=page, q=q, outlet=outlet, since=since, until=until, notes=notes,
        outlets=ctx.store.outlets(), filtered=bool(filters), page_size=PAGE_SIZE,
        previous=link(max(offset - PAGE_SIZE, 0)) if offset > 0 else None,
        next=link(offset + PAGE_SIZE) if offset + PAGE_SIZE < page.total else None,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> Response:
    """One story: its key facts, conflicts, the claim matrix, unique details, the provenance graph and the timeline."""
    ctx = _read(request)
    found = find_story(ctx.store, story_id)
    if found.moved_to is not None:  # merged or split by an editor: the story holding its articles now
        return RedirectResponse(f"/stories/{found.moved_to}", status_code=308)
    if found.id != story_id:
        return RedirectResponse(f"/stories/{found.id}", status_code=307)
    story = found.dossier
    if story is None:
        raise HTTPException(404, f"story {story_id} has no dossier yet: run newsweave analyze (or ingest through this app)")
    return ctx.render(
        request, "story.html", story=story, facts=views.key_facts(story), matrix=views.claim_matrix(story),
        conflicts=views.conflicts(story), unique=views.unique_by_outlet(story), graph=graphics.provenance_graph(story),
        timeline=graphics.timeline(story), columns=views.outlet_columns(story), outlet_name=views.outlet_name, sources_phrase=sources_phrase,
        first_reported=first_reported, detail_provenance=detail_provenance, names={a["id"]: views.outlet_name(a) for a in story["articles"]},
    )


@router.get("/stories/{story_id}/review", response_class=HTMLResponse)
def review_page(request: Request, story_id: str) -> Response:
    """Before a merge or a split (`newsweave review`): the open stories this one's coverage could join and
    its articles by fit to the rest of it."""
    ctx = _read(request)
    found = find_review(ctx.store, story_id)
    if found.review is None:
        return RedirectResponse(f"/stories/{found.moved_to}/review", status_code=308)
    return ctx.render(request, "review.html", review=found.review, join_score=found.review.join_score)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> Response:
    """One article: its clean text with the claims it states marked, and the removed boilerplate on request."""
    ctx = _read(request)
    article = find_article(ctx.store, article_id)
    if article.id != article_id:
        return RedirectResponse(f"/articles/{article.id}", status_code=307)
    story_id = ctx.store.story_of(article.id)
    story = ctx.store.dossier(story_id) if story_id else None
    url = article.url if article.url and urlsplit(article.url).scheme in ("http", "https") else None
    return ctx.render(
        request, "article.html", article=article, sources=ctx.store.sources(article.id), story=story, story_id=story_id,
        view=views.article_view(article, story), link=url,
    )


@router.post("/stories/{story_id}/merge", response_class=HTMLResponse)
async def merge_submit(request: Request, story_id: str) -> Response:
    """An editor's merge of another story into this one (token required); then this story's page."""
    ctx, fields = await _edit_form(request, story_id)
    other = fields.get("other", "").strip()
    if not ID_PATTERN.match(other):
        raise HTTPException(422, "give the id (or a unique prefix) of the story to merge into this one")
    return await _edit(ctx, lambda: merge_stories(ctx.store, [story_id, other], fields.get("reason", "").strip()))


@router.post("/stories/{story_id}/split", response_class=HTMLResponse)
async def split_submit(request: Request, story_id: str) -> Response:
    """An editor's split: the articles ticked get a story of their own (token required); then that story's page."""
    ctx, fields = await _edit_form(request, story_id)
    chosen = [a for a in fields.getlist("article") if isinstance(a, str) and ID_PATTERN.match(a)]
    if not chosen:
        raise HTTPException(422, "tick the articles to move into a story of their own")
    return await _edit(ctx, lambda: split_story(ctx.store, story_id, chosen, fields.get("reason", "").strip()), moved=chosen[0])


async def _edit_form(request: Request, story_id: str):  # noqa: ANN202 - (Context, FormData)
    ctx = context(request)
    check_read(request, ctx.access, api=False)
    if not ID_PATTERN.match(story_id):
        raise HTTPException(404, "no such story")
    form = await request.form(max_files=0, max_fields=200)
    token = form.get("token")
    check_write(ctx.access, form_token=token if isinstance(token, str) else None)
    return ctx, form


async def _edit(ctx: Context, make, moved: str | None = None) -> Response:  # noqa: ANN001 - a callable giving a StoryEdit
    """Make the edit, then show the story it made (or the one holding the article `moved`)."""
    target = await run_edit(ctx, make, lambda edit: (ctx.store.story_of(moved) if moved else None) or edit.after[0])
    return RedirectResponse(f"/stories/{target}", status_code=303)


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request) -> Response:
    ctx = _read(request)
    return ctx.render(request, "ingest.html", outcome=None, form={}, formats=PASTE_FORMATS, max_files=ctx.max_files,
                      max_bytes=ctx.read.max_bytes, problems=[])


@router.post("/ingest", response_class=HTMLResponse)
async def ingest_submit(request: Request) -> Response:
    """Paste text or upload files; the articles are cleaned and stored, and their stories updated."""
    ctx = context(request)
    check_read(request, ctx.access, api=False)
    form = await request.form(max_files=ctx.max_files, max_fields=20)
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    check_write(ctx.access, form_token=fields.get("token"))
    uploads = [(f.filename, await f.read()) for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    text = fields.get("text", "")
    problems: list[str] = []
    if not text.strip() and not uploads:
        problems.append("nothing to ingest: paste an article's text or choose files")
    fmt = fields.get("format", "text")
    if fmt not in PASTE_FORMATS:
        problems.append(f"unknown format {fmt!r}")
    shown = {k: v for k, v in fields.items() if k != "token"}
    if problems:
        return ctx.render(request, "ingest.html", status=422, outcome=None, form=shown, formats=PASTE_FORMATS,
                          max_files=ctx.max_files, max_bytes=ctx.read.max_bytes, problems=problems)

    def work() -> IngestOutcome:
        docs = []
        if text.strip():
            docs += list(read_paste(text, format=fmt, title=fields.get("title"), outlet=fields.get("outlet"),
                                    url=fields.get("url"), published=fields.get("published"), author=fields.get("author"),
                                    settings=ctx.read))
        for name, data in uploads:
            docs += list(read_upload(name, data, ctx.read))
        with ctx.write_lock:
            report = ingest_documents(docs, ctx.store, outlet_names=[n for n, _ in ctx.store.outlets()])
            return finish_ingest(ctx.store, report)

    outcome = await run_in_threadpool(work)  # a library error rises to `web.errors`: a failing store is 500
    status = 422 if outcome.report.failed and not (outcome.report.added or outcome.report.known) else 200
    return ctx.render(request, "ingest.html", status=status, outcome=outcome, form={} if status == 200 else shown,
                      formats=PASTE_FORMATS, max_files=ctx.max_files, max_bytes=ctx.read.max_bytes, problems=[])
