"""The commands on a store's stories: `stories`, `story`, the editors' `merge`, `split`, `review` and `edits`,
and `serve`, which shows them in a browser."""

from __future__ import annotations

import dataclasses
import json
import secrets
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from newsweave.cli.common import EXIT_ERROR, DbOption, DossierFormat, ListFormat, app, err, out
from newsweave.cli.output import print_table, write_dossier
from newsweave.errors import ConfigError
from newsweave.pipeline import merge_stories, review_story, split_story, update_stories
from newsweave.report import count_column, text_column
from newsweave.store import DEFAULT_DB, open_store

@app.command("stories")
def list_stories(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many to list.")] = 50,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List the stories in a store, latest coverage first, with their counts.

    Example:  newsweave stories --db news.db
    """
    rows = open_store(db).stories(limit=limit, offset=offset)
    if format is ListFormat.jsonl:
        for row in rows:
            typer.echo(json.dumps(dataclasses.asdict(row), ensure_ascii=False, default=str))
        return
    if not rows:
        out.print(f"No stories in {db}. Make some with: newsweave analyze PATH --db {db}")
        return
    table = Table()
    table.add_column("id", style="cyan", no_wrap=True, min_width=12)
    table.add_column("last", no_wrap=True, min_width=10)
    for header in ("art.", "outl.", "indep."):
        count_column(table, header)
    count_column(table, "confl.", style="red")
    text_column(table, "headline")
    for r in rows:
        table.add_row(r.id, str(r.last_published or ""), str(r.article_count), str(r.outlet_count),
                      "" if r.independent_sources is None else str(r.independent_sources),
                      "" if r.conflict_count is None else str(r.conflict_count), escape(r.headline))
    print_table(table)


@app.command("story")
def show_story(
    story_id: Annotated[str, typer.Argument(metavar="ID", help="A story id, or a unique prefix of one.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[DossierFormat, typer.Option("--format", "-f", help="text, json, markdown or html.")] = DossierFormat.text,
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Show one story's dossier from a store.

    Example:  newsweave story s3f9 --db news.db --format markdown
    """
    store = open_store(db)
    summary = store.story(story_id)
    if summary is not None and store.dossier(summary.id) is None:
        update_stories(store)
    dossier = store.dossier(summary.id) if summary else None
    if dossier is None:
        err.print(f"[bold red]error:[/] no story {escape(story_id)} in {escape(db)}; list them with: newsweave stories --db {escape(db)}")
        raise typer.Exit(EXIT_ERROR)
    write_dossier([dossier], format, out_file)


ReasonOption = Annotated[str, typer.Option("--reason", "-r", help="Why: kept with the edit (newsweave edits lists them).")]


@app.command("merge")
def merge_command(
    story_ids: Annotated[list[str], typer.Argument(metavar="STORY STORY...", help="Two or more story ids, or unique prefixes.")],
    db: DbOption = DEFAULT_DB,
    reason: ReasonOption = "",
) -> None:
    """Merge stories the clustering kept apart into one story: recorded, and made again whenever the
    store regroups every article. Later coverage of either joins the merged story.

    Example:  newsweave merge s3f9 s81c --reason "one event: the second quake is an aftershock" --db news.db
    """
    store = open_store(db)
    edit = merge_stories(store, story_ids, reason)
    update_stories(store)
    out.print(f"merged {', '.join(edit.before)} into [cyan]{edit.after[0]}[/] ({len(edit.articles)} articles)")


@app.command("split")
def split_command(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="A story id, or a unique prefix of one.")],
    article_ids: Annotated[list[str], typer.Argument(metavar="ARTICLE...", help="The articles to move into a story of their own (ids or unique prefixes).")],
    db: DbOption = DEFAULT_DB,
    reason: ReasonOption = "",
) -> None:
    """Move some articles of a story into a story of their own: recorded, and made again whenever the
    store regroups every article. `newsweave story ID` lists a story's articles.

    Example:  newsweave split s3f9 68d3dbe4 c101d17a --reason "a different shooting, same street" --db news.db
    """
    store = open_store(db)
    edit = split_story(store, story_id, article_ids, reason)
    update_stories(store)
    out.print(f"split {edit.before[0]} into " + " and ".join(f"[cyan]{s}[/]" for s in edit.after))


@app.command("review")
def review_command(
    story_id: Annotated[str, typer.Argument(metavar="STORY", help="A story id, or a unique prefix of one.")],
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many other stories to list.")] = 5,
) -> None:
    """Before a merge or a split: the open stories this story's coverage could join, most probable first,
    and its articles by how well each fits the rest of the story, weakest first. Probabilities are the
    clusterer's; at the join threshold or above it would have put them together.

    Example:  newsweave review s3f9 --db news.db
    """
    review = review_story(open_store(db), story_id, limit)
    if not review.open:
        out.print(f"Story {review.story} has closed (no coverage within the clusterer's window): nothing to compare it with. "
                  "`newsweave merge` and `newsweave split` still work on it.")
        return
    table = Table(title=f"open stories story {review.story}'s coverage could join (joins at {review.join_score:.2f})")
    table.add_column("story", no_wrap=True)
    count_column(table, "probability")
    text_column(table, "headline")
    for other in review.similar:
        table.add_row(other.story, f"{other.probability:.2f}", escape(other.headline))
    if review.similar:
        print_table(table)
    else:
        out.print("No other open story to compare with.")
    table = Table(title="its articles, weakest fit to the rest of the story first")
    table.add_column("article", no_wrap=True)
    count_column(table, "probability")
    text_column(table, "outlet")
    text_column(table, "title")
    for fit in review.members:
        a = fit.article
        table.add_row(a.id[:16], f"{fit.probability:.2f}", escape(a.outlet or ""), escape(a.title or ""))
    if review.members:
        print_table(table)
    else:
        out.print("It has one article.")


@app.command("edits")
def list_edits(db: DbOption = DEFAULT_DB) -> None:
    """List the editors' merges and splits of stories in a store, oldest first.

    Example:  newsweave edits --db news.db
    """
    edits = open_store(db).story_edits()
    if not edits:
        out.print(f"No merges or splits in {escape(db)}. Make them with: newsweave merge / newsweave split")
        return
    table = Table()
    for column in ("when", "edit"):
        table.add_column(column, no_wrap=True)
    for column in ("stories", "made"):
        text_column(table, column)
    count_column(table, "articles")
    text_column(table, "reason")
    for e in edits:
        table.add_row(e.made_at.strftime("%Y-%m-%d %H:%M") if e.made_at else "", e.kind, ", ".join(e.before), ", ".join(e.after),
                      str(len(e.articles)), escape(e.reason))
    print_table(table)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps the server to this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    token: Annotated[Optional[str], typer.Option(
        "--token", envvar="NEWSWEAVE_TOKEN",
        help="Write token for ingest (Authorization: Bearer TOKEN, or the ingest form's token field); "
             "a random one is made and printed when not given.")] = None,
    open_reads: Annotated[bool, typer.Option(
        "--open-reads/--closed-reads", help="Reads open to anyone (default), or only with the token.")] = True,
    allowed_hosts: Annotated[Optional[list[str]], typer.Option(
        "--allowed-host", metavar="NAME",
        help="Another name the server is reached by, answered in the Host header (repeatable; *.example.org for "
             "the names under a domain, * for any). Without it: localhost, 127.0.0.1, ::1 and the --host address, "
             "or with --host 0.0.0.0 the machine's host name and its addresses.")] = None,
) -> None:
    """Serve the store in a browser and over HTTP: the stories, each story's claims outlet by outlet, its
    provenance and timeline, an ingest page, and a JSON API under /api/ (docs at /docs).

    Example:  newsweave serve --db news.db --host 0.0.0.0 --allowed-host news.example.org
    """
    from newsweave.web import allowed_host, allowed_hosts_for, create_app, serve as run_server  # FastAPI, Jinja: only to serve

    try:
        extra = [allowed_host(name) for name in allowed_hosts or ()]
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--allowed-host'") from None
    made = token is None
    token = secrets.token_urlsafe(18) if made else token
    hosts = allowed_hosts_for(host, extra)
    web_app = create_app(db, token=token, open_reads=open_reads, allowed_hosts=hosts)
    if made:
        err.print(f"write token (the ingest page, POST /api/articles): [bold]{escape(token)}[/]")
    if open_reads and host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] anyone who can reach {escape(host)}:{port} can read the store; --closed-reads asks for the token")
    err.print(f"answering to Host: {escape(', '.join(hosts))}  (add a name with --allowed-host NAME)")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    err.print(f"serving {escape(db)} at [bold]http://{shown}:{port}/[/]  (API docs: /docs; Ctrl-C stops)")
    run_server(web_app, host=host, port=port)
