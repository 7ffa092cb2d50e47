"""newsweave: read many news articles about the same events and tell what is actually known.

The library is the product; the `newsweave` command and (later) the web app are thin shells over it.
"""

from __future__ import annotations

from newsweave._version import __version__

from newsweave.ingest.clean import clean, detect_language, drop_residue, learn_residue
from newsweave.config import CleanSettings, ReadSettings
from newsweave.errors import (
    ClusterError, ConfigError, DecodeError, EditError, EngineError, FetchError, InputError, NewsweaveError, StoreError,
)
from newsweave.ingest.files import expand_paths, read_bytes, read_file
from newsweave.model import Article, Hints, RawDocument, RemovedLine, article_id
from newsweave.pipeline.ingest import AlreadyKnown, IngestReport, clean_paths, ingest
from newsweave.model import article_to_dict
from newsweave.store import SQLStore, open_store

__all__ = sorted([
    "AlreadyKnown", "Article", "CleanSettings", "ClusterError", "ConfigError", "DecodeError", "EditError",
    "EngineError", "FetchError", "Hints", "IngestReport", "InputError",
    "NewsweaveError", "RawDocument", "ReadSettings", "RemovedLine", "SQLStore", "StoreError", "__version__",
    "article_id", "article_to_dict", "clean", "clean_paths", "detect_language", "drop_residue", "expand_paths",
    "ingest", "learn_residue", "open_store", "read_bytes", "read_file",
])
