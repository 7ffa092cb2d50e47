"""The store: the only place with SQL. One interface, opened by where it lives: an SQLite file path or a database URL."""

from __future__ import annotations

from newsweave.store.clustering import SavedClustering
from newsweave.store.common import StorySummary
from newsweave.store.search import SearchBackend, StoryFilter, StoryPage
from newsweave.store.sql import AddOutcome, SQLStore, database_url

DEFAULT_DB = "newsweave.db"


def open_store(db: str = DEFAULT_DB) -> SQLStore:
    """Open (creating and migrating as needed) the store at a path or URL."""
    return SQLStore.open(db)


__all__ = [
    "DEFAULT_DB", "AddOutcome", "SQLStore", "SavedClustering", "SearchBackend", "StoryFilter", "StoryPage", "StorySummary",
    "database_url", "open_store",
]
