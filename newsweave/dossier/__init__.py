"""A story's dossier: its articles' sentences aligned into claims (`claims`), compared for conflicts
(`compare`), traced to the outlets behind them (`provenance`, `dedupe` for copies), built story by story
(`build`) and written in the public JSON format (`format`)."""

from __future__ import annotations

from newsweave.dossier.build import (
    CORROBORATED, DISPUTED, SINGLE_SOURCE, Claim, ClaimMention, StoryDossier, build_dossier, build_dossiers,
    dossier_from_analyzed,
)
from newsweave.dossier.format import FORMAT_NAME, FORMAT_VERSION, SCHEMA_PATH, document, story_to_json, to_json

__all__ = sorted([
    "CORROBORATED", "Claim", "ClaimMention", "DISPUTED", "FORMAT_NAME", "FORMAT_VERSION", "SCHEMA_PATH",
    "SINGLE_SOURCE", "StoryDossier", "build_dossier", "build_dossiers", "document", "dossier_from_analyzed",
    "story_to_json", "to_json",
])
