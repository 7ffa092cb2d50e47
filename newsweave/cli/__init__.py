"""The `newsweave` command: a thin shell over the library. Progress and errors go to stderr.

Exit status: 0 when every input was read, 1 when some inputs failed (the rest were still handled),
2 for a usage, configuration or store error, or a refused edit.

Errors are handled in one place: every command runs under `common.Commands.invoke`, which prints a library
error (`NewsweaveError`) with the command line's hint for it (`common.HINTS`) and exits 2. Commands catch
nothing but what they must clean up after.

    common.py    the app and its error handler, the consoles, exit statuses, shared options
    output.py    what the commands print: progress, articles, summaries, polls, dossiers
    articles.py  the commands that read articles (clean, ingest, watch, articles, article, analyze, cluster, batch)
    stories.py   the commands on stories (stories, story, merge, split, review, edits) and serve
"""

from __future__ import annotations

from newsweave.cli import articles, stories  # noqa: F401 - importing them registers their commands on `app`
from newsweave.cli.common import HINTS, app, hinted, run

__all__ = sorted(["HINTS", "app", "hinted", "run"])
