"""newsweave's exceptions: one tree, each message saying what happened and what to do next."""

from __future__ import annotations


class NewsweaveError(Exception):
    """Base of every error newsweave raises on purpose."""


class InputError(NewsweaveError):
    """One input (a file, a record, a URL) could not be read as an article; the batch goes on."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # noqa: ANN204 - pickles as its own arguments, so it crosses process pools and Dask
        return type(self), (self.source, self.message, self.line)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


class StoreError(NewsweaveError):
    """The store could not be opened, migrated or written."""


class ConfigError(NewsweaveError):
    """A setting or command-line option is not valid."""


class ClusterError(NewsweaveError, RuntimeError):
    """Clustering could not go on: the background process making the articles' vectors failed."""
