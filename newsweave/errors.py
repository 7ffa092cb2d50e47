"""newsweave's exceptions: one tree, each message saying what happened and what to do next.

    NewsweaveError
    ├── InputError      one input (a file, a record, a URL) could not be read as an article; the batch goes on
    │   └── FetchError  a URL could not be fetched (`transient`: worth trying again later)
    ├── DecodeError     bytes that are not text in any encoding newsweave can tell (also a ValueError)
    ├── ConfigError     a setting, an option or an installed model is not usable
    ├── StoreError      the store could not be opened, migrated, read or written
    │   └── AmbiguousIdError  an id prefix matches more than one article or story
    ├── EditError       an editor's merge, split or review was refused: the stories it names cannot take it
    ├── ClusterError    clustering could not go on (also a RuntimeError)
    └── EngineError     a batch engine failed (a worker died and took the pool with it)

Library messages say what is wrong in the library's own terms. Where the fix is a setting or a step that
the command line and the web app each offer in their own way (a flag, a page), the error's `about` names it
in the library's terms (`max_bytes`, `db`, `stories`, ...) and each shell adds its own hint for it: the CLI's
table is `newsweave.cli.common.HINTS`, the web app's `newsweave.web.errors.HINTS`.
"""

from __future__ import annotations


class NewsweaveError(Exception):
    """Base of every error newsweave raises on purpose.

    `about`: what would put the error right, by its name in the library (a setting such as `max_bytes`, or a
    step such as `regroup`), for the shells to phrase in their own terms; None when the message says it all.
    """

    def __init__(self, *args: object, about: str | None = None) -> None:
        super().__init__(*args)
        self.about = about


class InputError(NewsweaveError):
    """One input (a file, a record, a URL) could not be read as an article; the batch goes on."""

    def __init__(self, source: str, message: str, line: int | None = None, *, about: str | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}", about=about)

    def __reduce__(self):  # noqa: ANN204 - pickles as its own arguments, so it crosses process pools and Dask
        return type(self), (self.source, self.message, self.line), {"about": self.about}

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


class FetchError(InputError):
    """A URL could not be fetched. `transient`: worth trying again later (a timeout, a 503, DNS)."""

    def __init__(
        self, source: str, message: str, *, status: int | None = None, transient: bool = False, about: str | None = None
    ) -> None:
        super().__init__(source, message, about=about)
        self.status = status
        self.transient = transient

    def __reduce__(self):  # noqa: ANN204 - as InputError's, with the keyword arguments
        return _fetch_error, (self.source, self.message, self.status, self.transient), {"about": self.about}


def _fetch_error(source: str, message: str, status: int | None, transient: bool) -> FetchError:
    return FetchError(source, message, status=status, transient=transient)


class DecodeError(NewsweaveError, ValueError):
    """The bytes are not text in any encoding newsweave can tell; the message says why."""


class ConfigError(NewsweaveError):
    """A setting, a command-line option or an installed model is not valid or not usable."""


class StoreError(NewsweaveError):
    """The store could not be opened, migrated, read or written."""


class AmbiguousIdError(StoreError, LookupError):
    """An id prefix matches more than one article or story: give more characters. (A StoreError, as it was
    before it had a class of its own; the web app answers it as a bad id, not as a failing store.)"""


class EditError(NewsweaveError, ValueError):
    """An editor's merge or split was refused: the stories or articles it names cannot take it, or the stories
    cannot be compared for a review until they are regrouped. Nothing changed."""


class ClusterError(NewsweaveError, RuntimeError):
    """Clustering could not go on: the background process making the articles' vectors failed, or the clusterer
    was asked for something it cannot do now."""


class EngineError(NewsweaveError):
    """The engine itself failed (a worker process died and took the pool with it): the batch stops. What
    was stored is kept; running the batch again finishes it."""
