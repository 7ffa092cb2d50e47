"""newsweave: read many news articles about the same events and tell what is actually known.

The library is the product; the `newsweave` command, the web app and the batch runner are thin shells over it.
The whole job, from Python: `ingest` paths into a store (`open_store`), `update_stories` to group them and build
the dossiers, then `render` a story's dossier (`store.dossier(story_id)` inside `document(...)`). `group_stories` and
`build_dossiers` are the two middle stages as pure functions of articles.
"""

from __future__ import annotations

from newsweave._version import __version__

from newsweave.ingest.clean import clean, detect_language, drop_residue, learn_residue
from newsweave.config import CleanSettings, ReadSettings
from newsweave.errors import (
    AmbiguousIdError, ClusterError, ConfigError, DecodeError, EditError, EngineError, FetchError, InputError, NewsweaveError,
    StoreError,
)
from newsweave.ingest.files import expand_paths, read_bytes, read_file
from newsweave.model import Article, Hints, RawDocument, RemovedLine
from newsweave.pipeline import (
    AlreadyKnown, IngestReport, clean_paths, ingest, merge_stories, split_story, stories_of, update_stories,
)
from newsweave.dossier import build_dossiers, document
from newsweave.report import render
from newsweave.stories import group_stories
from newsweave.model import article_to_dict
from newsweave.outlets import article_id
from newsweave.store import SQLStore, open_store

__all__ = sorted([
    "AlreadyKnown", "AmbiguousIdError", "Article", "CleanSettings", "ClusterError", "ConfigError", "DecodeError", "EditError",
    "EngineError", "FetchError", "Hints", "IngestReport", "InputError",
    "NewsweaveError", "RawDocument", "ReadSettings", "RemovedLine", "SQLStore", "StoreError", "__version__",
    "article_id", "article_to_dict", "build_dossiers", "clean", "clean_paths", "detect_language", "document", "drop_residue",
    "expand_paths", "group_stories", "ingest", "learn_residue", "merge_stories", "open_store", "read_bytes", "read_file",
    "render", "split_story", "stories_of", "update_stories",
])
