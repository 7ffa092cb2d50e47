"""After an ingest: update the stories so new articles join theirs, and say which story each joined."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..pipeline import IngestReport, update_stories


@dataclass(frozen=True, slots=True)
class StoryRef:
    id: str
    headline: str
    articles: int


@dataclass(slots=True)
class IngestOutcome:
    report: IngestReport
    story_of: dict[str, str | None] = field(default_factory=dict)  # article id -> story id
    stories: dict[str, StoryRef] = field(default_factory=dict)


def finish_ingest(store, report: IngestReport) -> IngestOutcome:  # noqa: ANN001 - an SQLStore
    """Regroup the store into stories when something was added (rebuilding only changed dossiers), then look up where each article went."""
    if report.added:
        update_stories(store)
    outcome = IngestOutcome(report)
    for article_id in dict.fromkeys(report.added + report.known):
        story_id = store.story_of(article_id)
        outcome.story_of[article_id] = story_id
        if story_id and story_id not in outcome.stories:
            dossier = store.dossier(story_id) or {}
            outcome.stories[story_id] = StoryRef(story_id, dossier.get("headline", ""), len(dossier.get("articles", ())))
    return outcome
