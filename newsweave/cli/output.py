"""What the commands print: progress bars, articles, ingest summaries, polls, and dossiers. Results go to
stdout (`out`), progress and failures to stderr (`err`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsweave.cli.common import DossierFormat, err, hinted, out
from newsweave.dossier.format import document
from newsweave.errors import InputError
from newsweave.model import Article
from newsweave.pipeline import IngestReport
from newsweave.report import RENDERERS, fit_table, render_text

def print_table(table: Table) -> None:
    """Print a table on stdout at its width (80 columns when piped, or $COLUMNS), no column squeezed below
    what it needs (`newsweave.report.fit_table`)."""
    out.print(fit_table(out, table))


def progress_bar() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), TextColumn("{task.fields[current]}", style="dim"),
        console=err, transient=True, disable=not err.is_terminal,
    )


def print_web_notes(report) -> None:  # noqa: ANN001 - a newsweave.pipeline.SourceReport
    if report.not_modified:
        err.print(f"[dim]{len(report.not_modified)} unchanged since the last fetch (HTTP 304)[/]")
    if report.skipped:
        counts = ", ".join(f"{n} {escape(reason)}" for reason, n in report.skipped.most_common())
        err.print(f"[dim]archive records skipped: {counts}[/]")


def print_poll(poll, db: str) -> None:  # noqa: ANN001 - a newsweave.pipeline.PollReport
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
    report_failures(r.failed)
    if poll.interrupted:
        err.print("interrupted: what was fetched is stored")


def write_dossier(stories: list[dict], format: DossierFormat, out_file: Optional[Path]) -> None:
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


def print_article(article: Article, *, show_removed: bool, sources: list[str] | None = None) -> None:
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


def report_failures(failed: list[InputError]) -> None:
    for failure in failed:
        err.print(f"[red]failed:[/] {escape(hinted(failure))}")


def print_summary(report: IngestReport, db: str) -> None:
    err.print(
        f"[bold]{len(report.added)}[/] added, [bold]{len(report.known)}[/] already known, "
        f"[bold {'red' if report.failed else 'green'}]{len(report.failed)}[/] failed  → {escape(db)}"
    )
    report_failures(report.failed)
