"""The `newsweave` command: a thin shell over the library. Progress and errors go to stderr.

Exit status: 0 when every input was read, 1 when some inputs failed (the rest were still handled),
2 for a usage, configuration or store error.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsweave._version import __version__
from newsweave.config import CleanSettings, ReadSettings, parse_field_map, MAX_INPUT_BYTES
from newsweave.errors import InputError, NewsweaveError
from newsweave.ingest.files import expand_paths
from newsweave.model import Article
from newsweave.pipeline.ingest import IngestReport, clean_files, ingest as ingest_paths, stories_of, update_stories
from newsweave.model import article_to_dict
from newsweave.store import DEFAULT_DB, open_store

app = typer.Typer(
    name="newsweave",
    help="Read many news articles about the same events and tell what is confirmed, disputed and unique.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per message: easy to grep

EXIT_INPUT_FAILED = 1
EXIT_ERROR = 2

DbOption = Annotated[str, typer.Option("--db", help="Store: an SQLite file path, or a database URL.", envvar="NEWSWEAVE_DB")]
FieldOption = Annotated[
    Optional[list[str]],
    typer.Option("--field", help="Map a JSON field: OURS=THEIRS, e.g. --field text=content. Repeatable."),
]
MaxBytesOption = Annotated[int, typer.Option("--max-bytes", help="Largest input file (or JSON line) read, in bytes.")]
PathsArgument = Annotated[list[str], typer.Argument(help="Files, folders (read recursively) or - for standard input.")]
SourcesArgument = Annotated[
    list[str],
    typer.Argument(help="Files, folders, - for standard input, web addresses (pages, RSS/Atom feeds, sitemaps) or .warc/.warc.gz/.arc archives."),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option("--allow-private", help="Also fetch from loopback, private and link-local addresses (intranets, tests); cloud metadata stays refused."),
]


class CleanFormat(str, Enum):
    text = "text"
    jsonl = "jsonl"


class ListFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


class ArticleFormat(str, Enum):
    text = "text"
    json = "json"


class DossierFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


def _version(value: bool) -> None:
    if value:
        out.print(f"newsweave {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """newsweave: what is confirmed, disputed and unique across news coverage, and where each claim came from."""
    level = logging.INFO if verbose else logging.WARNING
    handler = logging.StreamHandler()
    handler.setLevel(level)  # also for libraries that set their own loggers' level (dask.distributed logs at INFO)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", handlers=[handler])


def _read_settings(fields: list[str] | None, max_bytes: int) -> ReadSettings:
    return ReadSettings(max_bytes=max_bytes, field_map=parse_field_map(fields or []))


def _fail(exc: NewsweaveError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(str(exc))}")
    return typer.Exit(EXIT_ERROR)


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("{task.fields[current]}", style="dim"),
        console=err, transient=True, disable=not err.is_terminal,
    )


@app.command()
def clean(
    paths: PathsArgument,
    format: Annotated[CleanFormat, typer.Option("--format", "-f", help="text (readable) or jsonl (one object per article).")] = CleanFormat.text,
    field: FieldOption = None,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    keep_residue: Annotated[bool, typer.Option("--keep-residue", help="Do not learn and drop lines that recur across one outlet's articles.")] = False,
) -> None:
    """Print cleaned articles without storing them: the text, its metadata, and every line removed with its reason.

    Example:  newsweave clean examples/text/meridian-scoop.txt --format jsonl
    """
    try:
        read = _read_settings(field, max_bytes)
        files, errors = expand_paths(paths)
    except NewsweaveError as exc:
        raise _fail(exc) from None
    failed = list(errors)
    settings = CleanSettings(learn_residue=not keep_residue)
    for result in clean_files(files, read=read, settings=settings):
        if isinstance(result, InputError):
            failed.append(result)
        elif isinstance(result, Article):
            if format is CleanFormat.jsonl:
                out.print(json.dumps(article_to_dict(result), ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
            else:
                _print_article(result, show_removed=True)
    _report_failures(failed)
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def ingest(
    paths: SourcesArgument,
    db: DbOption = DEFAULT_DB,
    field: FieldOption = None,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Read, clean and store articles; the same article twice is stored once. Failures are listed, the rest stored.

    Files and folders are read from disk; an https:// address is fetched (a page is one article, a feed or a
    sitemap the articles it lists); a .warc, .warc.gz or .arc file gives its HTML responses.

    Example:  newsweave ingest examples/html https://news.example/rss crawl.warc.gz --db news.db
    """
    from newsweave.pipeline.watch import is_web_source

    web = [p for p in paths if is_web_source(p)]
    try:
        read = _read_settings(field, max_bytes)
        store = open_store(db)
        files, errors = expand_paths([p for p in paths if not is_web_source(p)])
    except NewsweaveError as exc:
        raise _fail(exc) from None
    with _progress() as progress:
        task = progress.add_task("Ingesting", total=len(files) + len(web), current="")

        def advance(item) -> None:  # noqa: ANN001
            progress.update(task, advance=1, current=item.path[-60:])

        try:
            report = ingest_paths([f.path for f in files], store, read=read, on_file=advance)
            fetched = _ingest_web(web, store, read, allow_private, lambda source: progress.update(task, advance=1, current=source[-60:]))
        except NewsweaveError as exc:
            raise _fail(exc) from None
    report.added += fetched.added
    report.known += fetched.known
    report.failed[:0] = errors
    report.failed += fetched.failed
    _print_summary(report, db)
    _print_web_notes(fetched)
    if report.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _ingest_web(sources: list[str], store, read: ReadSettings, allow_private: bool, on_source):  # noqa: ANN001, ANN202
    """Fetch web addresses and read web archives (newsweave.pipeline.watch.ingest_sources); an empty report when there are none."""
    from newsweave.ingest.fetch import FetchSettings
    from newsweave.pipeline.watch import SourceReport, ingest_sources

    if not sources:
        return SourceReport()
    fetch = FetchSettings(max_bytes=read.max_bytes, allow_private=allow_private)
    return ingest_sources(sources, store, fetch=fetch, read=read, on_source=on_source)


def _print_web_notes(report) -> None:  # noqa: ANN001 - a newsweave.pipeline.watch.SourceReport
    if report.not_modified:
        err.print(f"[dim]{len(report.not_modified)} unchanged since the last fetch (HTTP 304)[/]")
    if report.skipped:
        counts = ", ".join(f"{n} {escape(reason)}" for reason, n in report.skipped.most_common())
        err.print(f"[dim]archive records skipped: {counts}[/]")


@app.command("watch")
def watch_command(
    sources: Annotated[list[str], typer.Argument(metavar="FEED_OR_URL...", help="Feeds, sitemaps or pages to poll.")],
    every: Annotated[str, typer.Option("--every", help="How often to poll: 30s, 10m, 1h (at least 30s).")] = "10m",
    db: DbOption = DEFAULT_DB,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    allow_private: AllowPrivateOption = False,
) -> None:
    """Follow feeds, sitemaps or pages: poll them, store what is new, update its stories, and print what changed
    (new articles, new stories, new conflicts). Ctrl-C stops; everything fetched is kept.

    Example:  newsweave watch https://news.example/rss https://wire.example/news-sitemap.xml --every 10m --db news.db
    """
    from newsweave.ingest.fetch import FetchSettings
    from newsweave.pipeline.watch import parse_duration, watch

    try:
        interval = parse_duration(every)
        store = open_store(db)
        read = ReadSettings(max_bytes=max_bytes)
        polls = watch(sources, interval, store, read=read, fetch=FetchSettings(max_bytes=max_bytes, allow_private=allow_private))
        err.print(f"watching {len(sources)} source{'' if len(sources) == 1 else 's'} every {escape(every)} → {escape(db)}; Ctrl-C stops")
        for poll in polls:
            _print_poll(poll, db)
    except NewsweaveError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        pass
    err.print("stopped: everything fetched is stored")


def _print_poll(poll, db: str) -> None:  # noqa: ANN001 - a newsweave.pipeline.watch.PollReport
    r = poll.ingest
    when = poll.started.astimezone().strftime("%H:%M:%S")
    out.print(
        f"[dim]{when}[/] poll {poll.number}: [bold]{len(r.added)}[/] added, {len(r.known)} already known, "
        f"{len(r.not_modified)} unchanged, [{'red' if r.failed else 'green'}]{len(r.failed)}[/] failed"
    )
    for story in poll.stories:
        plural = "" if story.articles == 1 else "s"
        if story.new:
            out.print(f"  [green]new story[/] [cyan]{story.id}[/] {escape(story.headline)} ({story.articles} article{plural})")
        else:
            out.print(f"  story [cyan]{story.id}[/] {escape(story.headline)}: +{len(story.added)}, now {story.articles} article{plural}")
        if story.new_conflicts:
            out.print(
                f"    [red]{story.new_conflicts} new conflict{'' if story.new_conflicts == 1 else 's'}[/] "
                f"({story.conflicts_before} → {story.conflicts_after}): newsweave story {story.id} --db {escape(db)}"
            )
    _report_failures(r.failed)
    if poll.interrupted:
        err.print("interrupted: what was fetched is stored")


@app.command("articles")
def list_articles(
    db: DbOption = DEFAULT_DB,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many to list.")] = 50,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Only this outlet's articles.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List stored articles, newest first.

    Example:  newsweave articles --db news.db --outlet "The Meridian Post"
    """
    try:
        store = open_store(db)
        rows = store.articles(limit=limit, offset=offset, outlet=outlet)
        total = store.count()
    except NewsweaveError as exc:
        raise _fail(exc) from None
    if format is ListFormat.jsonl:
        for article in rows:
            record = article_to_dict(article)
            record.pop("removed")
            out.print(json.dumps(record, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
        return
    table = Table(title=f"{total} articles in {db}" if total else None, show_lines=False)
    table.add_column("id", style="cyan", no_wrap=True, min_width=16)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("outlet", style="green", no_wrap=True, max_width=22, overflow="ellipsis")
    table.add_column("title", no_wrap=True, overflow="ellipsis")
    for a in rows:
        table.add_row(a.id, str(a.published or ""), escape(a.outlet or ""), escape(a.title or ""))
    if not rows:
        out.print(f"No articles in {db}. Add some with: newsweave ingest PATH --db {db}")
        return
    out.print(table)


@app.command("article")
def show_article(
    article_id: Annotated[str, typer.Argument(metavar="ID", help="An article id, or a unique prefix of one.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[ArticleFormat, typer.Option("--format", "-f")] = ArticleFormat.text,
    removed: Annotated[bool, typer.Option("--removed/--no-removed", help="Show the lines the cleaner removed.")] = True,
) -> None:
    """Show one stored article: metadata, clean text, and the removed lines with their reasons.

    Example:  newsweave article 7b6956 --db news.db
    """
    try:
        store = open_store(db)
        article = store.article(article_id)
        sources = store.sources(article.id) if article else []
    except NewsweaveError as exc:
        raise _fail(exc) from None
    if article is None:
        err.print(f"[bold red]error:[/] no article {escape(article_id)!s} in {escape(db)}; list them with: newsweave articles --db {escape(db)}")
        raise typer.Exit(EXIT_ERROR)
    if format is ArticleFormat.json:
        record = article_to_dict(article)
        record["sources"] = sources
        out.print(json.dumps(record, ensure_ascii=False, indent=2), markup=False, highlight=False, soft_wrap=True)
        return
    _print_article(article, show_removed=removed, sources=sources)


def _write_dossier(stories: list[dict], format: DossierFormat, out_file: Optional[Path]) -> None:
    from newsweave.report import RENDERERS, document, render_text

    data = document(stories)
    if format is DossierFormat.text and out_file is None:
        out.print(render_text(data, width=out.width, color=out.is_terminal), end="", markup=False, highlight=False)
        return
    rendered = RENDERERS[format.value](data)
    if out_file is None:
        typer.echo(rendered, nl=False)
    else:
        out_file.write_text(rendered, encoding="utf-8")
        err.print(f"wrote {len(stories)} stories as {format.value} to {escape(str(out_file))}")


@app.command()
def analyze(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
    format: Annotated[DossierFormat, typer.Option("--format", "-f", help="text, json, markdown or html.")] = DossierFormat.text,
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the dossier to this file instead of stdout.")] = None,
    field: FieldOption = None,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    embedder: Annotated[str, typer.Option("--embedder", help="Claim alignment: none (default, no torch) or minilm (needs newsweave[embeddings]).")] = "none",
) -> None:
    """Ingest articles, group them into stories, and write each story's dossier: claims aligned across
    outlets, conflicts with evidence, unique details, and independent-source counts.

    Example:  newsweave analyze examples/text examples/html examples/feeds --format html --out dossier.html
    """
    try:
        read = _read_settings(field, max_bytes)
        store = open_store(db)
        files, errors = expand_paths(paths)
        from newsweave.nlp.embeddings import get_embedder

        model = get_embedder(embedder)
    except NewsweaveError as exc:
        raise _fail(exc) from None
    with _progress() as progress:
        task = progress.add_task("Ingesting", total=len(files), current="")
        report = ingest_paths([f.path for f in files], store, read=read,
                              on_file=lambda item: progress.update(task, advance=1, current=item.path[-60:]))
        progress.update(task, description="Analysing stories", current="")
        update_stories(store, embedder=model, on_story=lambda story_id: progress.update(task, current=story_id))
    report.failed[:0] = errors
    _print_summary(report, db)
    stories = [store.dossier(story_id) for story_id in stories_of(store, report.added + report.known)]
    _write_dossier([s for s in stories if s], format, out_file)
    if report.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def cluster(
    file: Annotated[Path, typer.Argument(metavar="FILE.jsonl", help="A JSON Lines dump, one article per line.")],
    id_field: Annotated[str, typer.Option("--id", help="The field holding each record's id.")],
    text_field: Annotated[str, typer.Option("--text", help="The field holding the article text.")],
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Where to write id<TAB>story, one line per record.")],
    title_field: Annotated[Optional[str], typer.Option("--title", help="The field holding the title.")] = None,
    date_field: Annotated[Optional[str], typer.Option("--date", help="The field holding the publication date.")] = None,
    join_score: Annotated[Optional[float], typer.Option(
        "--join-score", min=0.0, max=1.0,
        help="The probability an article needs to join a story (default: the product's, 0.20). Higher merges "
             "less and splits more: bench/cluster.py shows the trade-off.")] = None,
    follow_up_days: Annotated[Optional[int], typer.Option(
        "--follow-up-days", min=0,
        help="How long after its last coverage a closed story can be reopened by a follow-up (an arrest, a "
             "trial weeks later); 0 turns follow-ups off (default: the product's, 365).")] = None,
) -> None:
    """Cluster a JSON Lines dump into stories with the clustering ingest uses, storing nothing; write
    `id<TAB>story` for every record, in file order. A record with no text is clustered by its title; one
    with neither gets a story of its own. The output appears whole or not at all.

    Example:  newsweave cluster dump.jsonl --id doc_id --text content --title title --date dct --out stories.tsv
    """
    from newsweave.stories.clusterer import ClusterSettings, cluster_jsonl

    chosen: dict = {}
    if join_score is not None:
        chosen["join_score"] = join_score
    if follow_up_days is not None:
        chosen["follow_up_days"] = follow_up_days or None
    settings = ClusterSettings(**chosen)

    stories: set[str] = set()
    records = 0
    partial = out_file.with_name(out_file.name + ".partial")  # renamed over --out once every record is written
    try:
        with partial.open("w", encoding="utf-8") as handle:
            for record_id, story in cluster_jsonl(str(file), id_field, text_field, title_field, date_field, settings):
                handle.write(f"{record_id}\t{story}\n")
                stories.add(story)
                records += 1
        partial.replace(out_file)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _fail(NewsweaveError(f"{exc.filename or out_file}: {exc.strerror or exc}")) from None
    except NewsweaveError as exc:
        partial.unlink(missing_ok=True)
        raise _fail(exc) from None
    err.print(f"{records} records in {len(stories)} stories → {escape(str(out_file))}")


class BatchEngine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def batch(
    paths: Annotated[list[str], typer.Argument(metavar="INPUT...", help="Files, folders (read recursively), JSON Lines files and .warc/.warc.gz/.arc archives.")],
    engine: Annotated[BatchEngine, typer.Option("--engine", help="local: a process pool on this machine; dask: a Dask cluster (needs the dask extra: see Scaling out in the README).")] = BatchEngine.local,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="With --engine dask: a running cluster's scheduler address, e.g. tcp://10.0.0.5:8786 (default: start a local cluster).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Worker processes (default: one per core); with --scheduler, wait until this many have joined.")] = None,
    db: DbOption = DEFAULT_DB,
    field: FieldOption = None,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    embedder: Annotated[str, typer.Option("--embedder", help="Claim alignment: none (default) or minilm (needs the embeddings extra on every worker).")] = "none",
) -> None:
    """Ingest a large batch on worker processes or a Dask cluster, group the store into stories, and build the
    dossier of every new or changed story: what `analyze` stores, without printing the dossiers.

    Example:  newsweave batch crawl/ CC-NEWS-20251101.warc.gz --engine dask --scheduler tcp://10.0.0.5:8786 --db postgresql://news@db/news
    """
    from newsweave.distributed import BatchSettings, open_engine, run_batch

    try:
        read = _read_settings(field, max_bytes)
        store = open_store(db)
        pool = open_engine(engine.value, workers=workers, scheduler=scheduler, embedder=embedder)
    except NewsweaveError as exc:
        raise _fail(exc) from None
    try:
        with _progress() as progress:
            task = progress.add_task("Starting", total=None, current="")
            report = run_batch(
                paths, store, pool, BatchSettings(read=read, embedder=embedder),
                on_progress=lambda stage, done, total: progress.update(task, description=stage.capitalize(), completed=done, total=total),
            )
    except NewsweaveError as exc:
        raise _fail(exc) from None
    finally:
        pool.close()
    _print_summary(report.ingest, db)
    if report.skipped:
        err.print(f"[dim]archive records skipped: {', '.join(f'{n} {escape(r)}' for r, n in report.skipped.most_common())}[/]")
    seconds = report.wall["total"]
    err.print(
        f"{report.stories} stories, {len(report.rebuilt)} dossiers built; {report.articles} articles in {seconds:.1f} s "
        f"({report.articles / seconds if seconds else 0:.1f}/s) on {report.workers} {report.engine} worker{'' if report.workers == 1 else 's'}"
    )
    for story_id, reason in report.failed_stories:
        err.print(f"[red]failed:[/] story {story_id}: {escape(reason)}; its dossier is built on the next run")
    if not report.ok:
        raise typer.Exit(EXIT_INPUT_FAILED)


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
    try:
        rows = open_store(db).stories(limit=limit, offset=offset)
    except NewsweaveError as exc:
        raise _fail(exc) from None
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
    table.add_column("art.", justify="right")
    table.add_column("outl.", justify="right")
    table.add_column("indep.", justify="right")
    table.add_column("confl.", justify="right", style="red")
    table.add_column("headline", no_wrap=True, overflow="ellipsis")
    for r in rows:
        table.add_row(r.id, str(r.last_published or ""), str(r.article_count), str(r.outlet_count),
                      "" if r.independent_sources is None else str(r.independent_sources),
                      "" if r.conflict_count is None else str(r.conflict_count), escape(r.headline))
    out.print(table)


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
    try:
        store = open_store(db)
        summary = store.story(story_id)
        if summary is not None and store.dossier(summary.id) is None:
            update_stories(store)
        dossier = store.dossier(summary.id) if summary else None
    except NewsweaveError as exc:
        raise _fail(exc) from None
    if dossier is None:
        err.print(f"[bold red]error:[/] no story {escape(story_id)} in {escape(db)}; list them with: newsweave stories --db {escape(db)}")
        raise typer.Exit(EXIT_ERROR)
    _write_dossier([dossier], format, out_file)


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
    from newsweave.pipeline.ingest import merge_stories

    try:
        store = open_store(db)
        edit = merge_stories(store, story_ids, reason)
        update_stories(store)
    except NewsweaveError as exc:
        raise _fail(exc) from None
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
    from newsweave.pipeline.ingest import split_story

    try:
        store = open_store(db)
        edit = split_story(store, story_id, article_ids, reason)
        update_stories(store)
    except NewsweaveError as exc:
        raise _fail(exc) from None
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
    from newsweave.stories.clusterer import JOIN_SCORE
    from newsweave.pipeline.ingest import review_story

    try:
        review = review_story(open_store(db), story_id, limit)
    except NewsweaveError as exc:
        raise _fail(exc) from None
    if not review.open:
        out.print(f"Story {review.story} has closed (no coverage within the clusterer's window): nothing to compare it with. "
                  "`newsweave merge` and `newsweave split` still work on it.")
        return
    table = Table(title=f"open stories story {review.story}'s coverage could join (joins at {JOIN_SCORE:.2f})")
    for column in ("story", "probability", "headline"):
        table.add_column(column, no_wrap=column != "headline")
    for other in review.similar:
        table.add_row(other.story, f"{other.probability:.2f}", escape(other.headline))
    out.print(table if review.similar else "No other open story to compare with.")
    table = Table(title="its articles, weakest fit to the rest of the story first")
    for column in ("article", "probability", "outlet", "title"):
        table.add_column(column, no_wrap=column != "title")
    for fit in review.members:
        a = fit.article
        table.add_row(a.id[:16], f"{fit.probability:.2f}", escape(a.outlet or ""), escape(a.title or ""))
    out.print(table if review.members else "It has one article.")


@app.command("edits")
def list_edits(db: DbOption = DEFAULT_DB) -> None:
    """List the editors' merges and splits of stories in a store, oldest first.

    Example:  newsweave edits --db news.db
    """
    try:
        edits = open_store(db).story_edits()
    except NewsweaveError as exc:
        raise _fail(exc) from None
    if not edits:
        out.print(f"No merges or splits in {escape(db)}. Make them with: newsweave merge / newsweave split")
        return
    table = Table()
    for column in ("when", "edit", "stories", "made", "articles", "reason"):
        table.add_column(column, no_wrap=column != "reason")
    for e in edits:
        table.add_row(e.made_at.strftime("%Y-%m-%d %H:%M") if e.made_at else "", e.kind, ", ".join(e.before), ", ".join(e.after),
                      str(len(e.articles)), escape(e.reason))
    out.print(table)


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
) -> None:
    """Serve the store in a browser and over HTTP: the stories, each story's claims outlet by outlet, its
    provenance and timeline, an ingest page, and a JSON API under /api/ (docs at /docs).

    Example:  newsweave serve --db news.db --port 8000
    """
    import secrets

    from newsweave.web import create_app, serve as run_server

    made = token is None
    token = secrets.token_urlsafe(18) if made else token
    try:
        web_app = create_app(db, token=token, open_reads=open_reads)
    except NewsweaveError as exc:
        raise _fail(exc) from None
    if made:
        err.print(f"write token (the ingest page, POST /api/articles): [bold]{escape(token)}[/]")
    if open_reads and host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] anyone who can reach {escape(host)}:{port} can read the store; --closed-reads asks for the token")
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    err.print(f"serving {escape(db)} at [bold]http://{shown}:{port}/[/]  (API docs: /docs; Ctrl-C stops)")
    run_server(web_app, host=host, port=port)


def _print_article(article: Article, *, show_removed: bool, sources: list[str] | None = None) -> None:
    out.rule(f"[bold]{escape(article.title or '(untitled)')}[/]", align="left")
    meta = [
        ("id", article.id), ("source", ", ".join(sources) if sources else article.source), ("outlet", article.outlet),
        ("author", article.author), ("published", article.published), ("language", article.language),
        ("dateline", article.dateline), ("url", article.url),
    ]
    for key, value in meta:
        if value:
            out.print(f"[dim]{key:>9}[/] {escape(str(value))}")
    out.print()
    headings = set(article.headings)
    for paragraph in article.paragraphs:
        if paragraph in headings:
            out.print(f"[bold underline]{escape(paragraph)}[/]")
        else:
            out.print(escape(paragraph))
        out.print()
    if show_removed and article.removed:
        out.print(f"[dim]removed {len(article.removed)} lines:[/]")
        for line in article.removed:
            out.print(f"[dim]  {escape(f'[{line.reason}]')}[/] [strike dim]{escape(line.text)}[/]")
        out.print()


def _report_failures(failed: list[InputError]) -> None:
    for failure in failed:
        err.print(f"[red]failed:[/] {escape(str(failure))}")


def _print_summary(report: IngestReport, db: str) -> None:
    err.print(
        f"[bold]{len(report.added)}[/] added, [bold]{len(report.known)}[/] already known, "
        f"[bold {'red' if report.failed else 'green'}]{len(report.failed)}[/] failed  → {escape(db)}"
    )
    _report_failures(report.failed)


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: what was stored so far is kept")
        sys.exit(130)
