"""The commands that read articles: `clean`, `ingest`, `watch`, `articles`, `article`, `analyze`, `cluster`
and `batch`."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from newsweave.config import DEFAULT_EMBEDDER
from newsweave.cli.common import (
    EXIT_ERROR, EXIT_INPUT_FAILED, AllowPrivateOption, ArticleFormat, CleanFormat, DbOption, DossierFormat, FieldOption,
    ListFormat, MaxBytesOption, OutletOption, PathsArgument, SourcesArgument, app, err, out, read_settings,
)
from newsweave.cli.output import (
    print_article, print_poll, print_summary, print_table, print_web_notes, progress_bar, report_failures, write_dossier,
)
from newsweave.config import MAX_INPUT_BYTES, CleanSettings, ReadSettings
from newsweave.distributed import PARALLEL_MIN_BYTES, BatchSettings, LocalEngine, open_engine, parallel_workers, run_batch
from newsweave.errors import InputError, NewsweaveError
from newsweave.ingest.dump import read_dump
from newsweave.ingest.fetch import FetchSettings
from newsweave.ingest.files import STDIN, expand_paths
from newsweave.model import Article, article_to_dict
from newsweave.nlp import get_embedder
from newsweave.pipeline import (
    SourceReport, clean_paths, ingest as ingest_paths, ingest_sources, is_web_source, parse_duration, stories_of,
    update_stories, watch,
)
from newsweave.report import text_column
from newsweave.store import DEFAULT_DB, open_store
from newsweave.stories import ClusterSettings, cluster_texts

@app.command()
def clean(
    paths: PathsArgument,
    format: Annotated[CleanFormat, typer.Option("--format", "-f", help="text (readable) or jsonl (one object per article).")] = CleanFormat.text,
    field: FieldOption = None,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    keep_residue: Annotated[bool, typer.Option("--keep-residue", help="Do not learn and drop lines that recur across one outlet's articles.")] = False,
    outlet: OutletOption = None,
) -> None:
    """Print cleaned articles without storing them: the text, its metadata, and every line removed with its reason.

    Example:  newsweave clean examples/text/meridian-scoop.txt --format jsonl
    """
    failed: list[InputError] = []
    settings = CleanSettings(learn_residue=not keep_residue)
    for result in clean_paths(paths, read=read_settings(field, max_bytes, outlet), settings=settings):
        if isinstance(result, InputError):
            failed.append(result)
        elif isinstance(result, Article):
            if format is CleanFormat.jsonl:
                out.print(json.dumps(article_to_dict(result), ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
            else:
                print_article(result, show_removed=True)
    report_failures(failed)
    if failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


@app.command()
def ingest(
    paths: SourcesArgument,
    db: DbOption = DEFAULT_DB,
    field: FieldOption = None,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    allow_private: AllowPrivateOption = False,
    outlet: OutletOption = None,
) -> None:
    """Read, clean and store articles; the same article twice is stored once. Failures are listed, the rest stored.

    Files and folders are read from disk; an https:// address is fetched (a page is one article, a feed or a
    sitemap the articles it lists); a .warc, .warc.gz or .arc file gives its HTML responses.

    Example:  newsweave ingest examples/html https://news.example/rss crawl.warc.gz --db news.db
    """
    web = [p for p in paths if is_web_source(p)]
    read = read_settings(field, max_bytes, outlet)
    store = open_store(db)
    files, errors = expand_paths([p for p in paths if not is_web_source(p)])
    with progress_bar() as progress:
        task = progress.add_task("Ingesting", total=len(files) + len(web), current="")

        def advance(item) -> None:  # noqa: ANN001
            progress.update(task, advance=1, current=item.path[-60:])

        report = ingest_paths([f.path for f in files], store, read=read, on_file=advance)
        fetched = _ingest_web(web, store, read, allow_private, lambda source: progress.update(task, advance=1, current=source[-60:]))
    report.added += fetched.added
    report.known += fetched.known
    report.failed[:0] = errors
    report.failed += fetched.failed
    print_summary(report, db)
    print_web_notes(fetched)
    if report.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _ingest_web(sources: list[str], store, read: ReadSettings, allow_private: bool, on_source):  # noqa: ANN001, ANN202
    """Fetch web addresses and read web archives (newsweave.pipeline.ingest_sources); an empty report when there are none."""
    if not sources:
        return SourceReport()
    fetch = FetchSettings(max_bytes=read.max_bytes, allow_private=allow_private)
    return ingest_sources(sources, store, fetch=fetch, read=read, on_source=on_source)


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
    try:
        interval = parse_duration(every)
        store = open_store(db)
        read = ReadSettings(max_bytes=max_bytes)
        polls = watch(sources, interval, store, read=read, fetch=FetchSettings(max_bytes=max_bytes, allow_private=allow_private))
        err.print(f"watching {len(sources)} source{'' if len(sources) == 1 else 's'} every {escape(every)} → {escape(db)}; Ctrl-C stops")
        for poll in polls:
            print_poll(poll, db)
    except KeyboardInterrupt:
        pass
    err.print("stopped: everything fetched is stored")


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
    store = open_store(db)
    rows = store.articles(limit=limit, offset=offset, outlet=outlet)
    total = store.count()
    if format is ListFormat.jsonl:
        for article in rows:
            record = article_to_dict(article)
            record.pop("removed")
            out.print(json.dumps(record, ensure_ascii=False), markup=False, highlight=False, soft_wrap=True)
        return
    table = Table(title=f"{total} articles in {db}" if total else None, show_lines=False)
    table.add_column("id", style="cyan", no_wrap=True, min_width=16)
    table.add_column("published", no_wrap=True, min_width=10)
    text_column(table, "outlet", style="green", max_width=22)
    text_column(table, "title")
    for a in rows:
        table.add_row(a.id, str(a.published or ""), escape(a.outlet or ""), escape(a.title or ""))
    if not rows:
        out.print(f"No articles in {db}. Add some with: newsweave ingest PATH --db {db}")
        return
    print_table(table)


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
    store = open_store(db)
    article = store.article(article_id)
    sources = store.sources(article.id) if article else []
    if article is None:
        err.print(f"[bold red]error:[/] no article {escape(article_id)!s} in {escape(db)}; list them with: newsweave articles --db {escape(db)}")
        raise typer.Exit(EXIT_ERROR)
    if format is ArticleFormat.json:
        record = article_to_dict(article)
        record["sources"] = sources
        out.print(json.dumps(record, ensure_ascii=False, indent=2), markup=False, highlight=False, soft_wrap=True)
        return
    print_article(article, show_removed=removed, sources=sources)


@app.command()
def analyze(
    paths: PathsArgument,
    db: DbOption = DEFAULT_DB,
    format: Annotated[DossierFormat, typer.Option("--format", "-f", help="text, json, markdown or html.")] = DossierFormat.text,
    out_file: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the dossier to this file instead of stdout.")] = None,
    field: FieldOption = None,
    max_bytes: MaxBytesOption = MAX_INPUT_BYTES,
    embedder: Annotated[str, typer.Option("--embedder", help="Claim alignment's sentence embeddings: static (default, shipped, no torch), none, or minilm (needs newsweave[embeddings]).")] = DEFAULT_EMBEDDER,
    outlet: OutletOption = None,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", "-w", min=1,
        help=f"Worker processes: the reading, the language analysis and the dossiers run on them (default: one per core "
             f"once the input reaches {PARALLEL_MIN_BYTES // 1024} KB, else this process alone; 1: this process alone). "
             f"The dossiers are the same either way.")] = None,
) -> None:
    """Ingest articles, group them into stories, and write each story's dossier: claims aligned across
    outlets, conflicts with evidence, unique details, and independent-source counts.

    Example:  newsweave analyze examples/text examples/html examples/feeds --format html --out dossier.html
              pbpaste | newsweave analyze - --outlet "The Harbor Ledger"
    """
    read = read_settings(field, max_bytes, outlet)
    store = open_store(db)
    files, errors = expand_paths(paths)
    local = [f.path for f in files if f.path != STDIN]
    pool = parallel_workers(sum(Path(p).stat().st_size for p in local), workers, partitionable=len(local) == len(files))
    if pool:
        report = _analyze_on_workers(local, store, read, embedder, pool)
    else:
        model = get_embedder(embedder)
        with progress_bar() as progress:
            task = progress.add_task("Ingesting", total=len(files), current="")
            report = ingest_paths([f.path for f in files], store, read=read,
                                  on_file=lambda item: progress.update(task, advance=1, current=item.path[-60:]))
            progress.update(task, description="Analysing stories", current="")
            update_stories(store, embedder=model, on_story=lambda story_id: progress.update(task, current=story_id))
    report.failed[:0] = errors
    print_summary(report, db)
    stories = [store.dossier(story_id) for story_id in stories_of(store, report.added + report.known)]
    write_dossier([s for s in stories if s], format, out_file)
    if report.failed:
        raise typer.Exit(EXIT_INPUT_FAILED)


def _analyze_on_workers(paths: list[str], store, read: ReadSettings, embedder: str, workers: int):  # noqa: ANN001, ANN202
    """`analyze`'s ingest and dossiers on `workers` local processes (`run_batch`): its ingest report."""
    with LocalEngine(workers, embedder=embedder) as engine, progress_bar() as progress:
        task = progress.add_task(f"Starting {workers} workers", total=None, current="")
        batch = run_batch(paths, store, engine, BatchSettings(read=read, embedder=embedder),
                          on_progress=lambda stage, done, total: progress.update(task, description=stage.capitalize(),
                                                                                 completed=done, total=total))
    for story_id, reason in batch.failed_stories:
        err.print(f"[red]failed:[/] story {story_id}: {escape(reason)}; its dossier is built on the next run")
    return batch.ingest


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
            for record_id, story in cluster_texts(read_dump(str(file), id_field, text_field, title_field, date_field), settings):
                handle.write(f"{record_id}\t{story}\n")
                stories.add(story)
                records += 1
        partial.replace(out_file)
    except OSError as exc:
        raise NewsweaveError(f"{exc.filename or out_file}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)  # gone already once renamed over --out
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
    embedder: Annotated[str, typer.Option("--embedder", help="Claim alignment's sentence embeddings: static (default), none, or minilm (needs the embeddings extra on every worker).")] = DEFAULT_EMBEDDER,
) -> None:
    """Ingest a large batch on worker processes or a Dask cluster, group the store into stories, and build the
    dossier of every new or changed story: what `analyze` stores, without printing the dossiers.

    Example:  newsweave batch crawl/ CC-NEWS-20251101.warc.gz --engine dask --scheduler tcp://10.0.0.5:8786 --db postgresql://news@db/news
    """
    read = read_settings(field, max_bytes)
    store = open_store(db)
    pool = open_engine(engine.value, workers=workers, scheduler=scheduler, embedder=embedder)
    try:
        with progress_bar() as progress:
            task = progress.add_task("Starting", total=None, current="")
            report = run_batch(
                paths, store, pool, BatchSettings(read=read, embedder=embedder),
                on_progress=lambda stage, done, total: progress.update(task, description=stage.capitalize(), completed=done, total=total),
            )
    finally:
        pool.close()
    print_summary(report.ingest, db)
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
