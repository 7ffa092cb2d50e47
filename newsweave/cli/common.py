"""What every command shares: the Typer app, run under the one error handler; the consoles; the exit
statuses; the options several commands take; and reading `--field` pairs."""

from __future__ import annotations

import logging
import sys
from enum import Enum
from typing import Annotated, Optional

import typer
from click import Context
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from newsweave._version import __version__
from newsweave.config import DEFAULT_FIELD_ALIASES, ReadSettings
from newsweave.errors import ConfigError, NewsweaveError

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # one line per message: easy to grep

EXIT_INPUT_FAILED = 1
EXIT_ERROR = 2

# What the command line adds to a library error, by what the error is about (`NewsweaveError.about`): the
# library's message says what is wrong in its own terms, the hint how to put it right here, with the flag.
HINTS = {
    "allow_private": "{message}; pass --allow-private to fetch from intranets",
    "db": "--db {message}",
    "engine": "{message}: add --engine dask",
    "field_map": "{message}; map one with --field text=NAME",
    "ingest": "{message} (newsweave ingest)",
    "interval": "--every {message}",
    "max_bytes": "{message}; raise it with --max-bytes if this is really one article",
    "regroup": "{message}: run `newsweave analyze --db ...` on the store first",
    "scheduler": "--scheduler {message}",
    "stories": "{message}: `newsweave stories` lists them",
    "story_articles": "{message}: `newsweave story STORY` lists a story's articles",
    "workers": "{message} (--workers)",
}


def hinted(error: NewsweaveError) -> str:
    """A library error's message with the command line's hint for what it is about, when there is one."""
    return HINTS.get(getattr(error, "about", None) or "", "{message}").format(message=error)


def fail(error: NewsweaveError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(hinted(error))}")
    return typer.Exit(EXIT_ERROR)


class Commands(TyperGroup):
    """The commands, each run under the one error handler: a library error is printed with its hint, exit 2."""

    def invoke(self, ctx: Context):  # noqa: ANN201 - whatever the command returns
        try:
            return super().invoke(ctx)
        except NewsweaveError as exc:
            raise fail(exc) from None


app = typer.Typer(
    name="newsweave",
    help="Read many news articles about the same events and tell what is confirmed, disputed and unique.",
    cls=Commands,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[str, typer.Option("--db", help="Store: an SQLite file path, or a database URL.", envvar="NEWSWEAVE_DB")]
OutletOption = Annotated[
    Optional[str],
    typer.Option("--outlet", help="The outlet of the input's articles, for pasted text that names none "
                 "(a JSON record's own outlet field wins)."),
]
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


def read_settings(fields: list[str] | None, max_bytes: int, outlet: str | None = None) -> ReadSettings:
    return ReadSettings(max_bytes=max_bytes, field_map=parse_field_map(fields or []), outlet=(outlet or "").strip() or None)


def parse_field_map(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`--field OURS=THEIRS` pairs (`text=content` `published=dct`) as `ReadSettings.field_map`."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not theirs:
            raise ConfigError(f"--field {pair!r}: expected OURS=THEIRS, e.g. --field text=content")
        if ours not in DEFAULT_FIELD_ALIASES:
            valid = ", ".join(sorted(DEFAULT_FIELD_ALIASES))
            raise ConfigError(f"--field {pair!r}: unknown field {ours!r}; valid fields: {valid}")
        mapping[ours] = theirs
    return mapping


def run() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted: what was stored so far is kept")
        sys.exit(130)
