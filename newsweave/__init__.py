"""newsweave: read many news articles about the same events and tell what is actually known.

The library is the product; the `newsweave` command and (later) the web app are thin shells over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .clean import clean, detect_language, drop_residue, learn_residue
from .config import CleanSettings, ReadSettings
from .errors import ClusterError, ConfigError, InputError, NewsweaveError, StoreError
from .ingest.files import expand_paths, read_bytes, read_file
from .model import Article, Hints, RawDocument, RemovedLine, article_id
from .pipeline import AlreadyKnown, IngestReport, clean_paths, ingest
from .serialize import article_to_dict
from .store import SQLStore, open_store

__all__ = sorted([
    "AlreadyKnown", "Article", "CleanSettings", "ClusterError", "ConfigError", "Hints", "IngestReport", "InputError",
    "NewsweaveError", "RawDocument", "ReadSettings", "RemovedLine", "SQLStore", "StoreError", "__version__",
    "article_id", "article_to_dict", "clean", "clean_paths", "detect_language", "drop_residue", "expand_paths",
    "ingest", "learn_residue", "open_store", "read_bytes", "read_file",
])
