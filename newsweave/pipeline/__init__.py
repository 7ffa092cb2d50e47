"""The stages in order, as the product runs them: ingest (read, clean, learn outlet names and template residue,
store: one loop for files, web sources, documents from memory and a batch's workers), group the stored articles
into stories and build the dossiers of the stories that changed, let editors merge and split stories, and watch
web sources.

- `_ingest`: the one ingest loop (`ingest`, `ingest_sources`, `ingest_documents`, and its steps for
  `newsweave.distributed`: `Chunks`, `store_results`);
- `_stories`: `update_stories`, `regroup_stories`, `stale_stories`, `stories_of`;
- `_editing`: `merge_stories`, `split_story`, `review_story` (what an edit does: `edits`);
- `_watch`: `watch`, polling web sources.
"""

from __future__ import annotations

from newsweave.pipeline._editing import merge_stories, review_story, split_story
from newsweave.pipeline._ingest import (
    AlreadyKnown, ArticleStore, Chunks, IngestReport, SourceReport, clean_document, clean_paths,
    finish_chunk, ingest, ingest_documents, ingest_sources, is_web_source, set_aside_known, store_results,
)
from newsweave.pipeline._stories import regroup_stories, stale_stories, stories_of, update_stories
from newsweave.pipeline._watch import PollReport, StoryChange, parse_duration, watch

__all__ = sorted([
    "AlreadyKnown", "ArticleStore", "Chunks", "IngestReport", "PollReport", "SourceReport", "StoryChange",
    "clean_document", "clean_paths", "finish_chunk", "ingest", "ingest_documents", "ingest_sources",
    "is_web_source", "merge_stories", "parse_duration", "regroup_stories", "review_story", "set_aside_known",
    "split_story", "stale_stories", "store_results", "stories_of", "update_stories", "watch",
])
