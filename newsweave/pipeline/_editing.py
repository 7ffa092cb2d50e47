"""Editors' decisions on stored stories: merge stories, split one, and review a story before either.

An edit is recorded (`store.story_edits()`) and made again whenever every article is regrouped; what it does
to a grouping and to the clusterer's open stories is `pipeline.edits`. Each entry point reads the clusterer
state the store saved and writes the edit with it in one transaction, starting over when another process
saved stories meanwhile.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timezone
from typing import Sequence

from newsweave.errors import EditError, StoreError
from newsweave.model import Article, Candidate, MemberFit, StoryEdit, StoryReview
from newsweave.pipeline._stories import MAX_REGROUP_TRIES, regroup_reason
from newsweave.pipeline.edits import apply_edit, sync_clusterer
from newsweave.stories import CLUSTER_STATE_VERSION, ClusterSettings, StoryClusterer

log = logging.getLogger(__name__)


def merge_stories(store, stories: Sequence[str], reason: str = "", *, settings: ClusterSettings | None = None) -> StoryEdit:  # noqa: ANN001
    """Merge two or more stored stories into one: an editor's decision, recorded (`store.story_edits()`)
    and made again whenever every article is regrouped. Story ids may be unique prefixes. The merged
    story is named after its oldest article; its dossier is rebuilt by the next `update_stories`."""
    ids = list(dict.fromkeys(_resolve_story(store, s) for s in stories))
    if len(ids) < 2:
        raise EditError("give two or more different stories to merge", about="stories")
    groups = {sid: tuple(store.story_articles(sid)) for sid in ids}
    edit = StoryEdit("merge", tuple(a.id for sid in ids for a in groups[sid]), (), tuple(ids), (), reason or "merged by an editor",
                     datetime.now(timezone.utc))
    return _save_edit(store, edit, groups, settings)


def split_story(store, story: str, articles: Sequence[str], reason: str = "", *, settings: ClusterSettings | None = None) -> StoryEdit:  # noqa: ANN001
    """Move some articles of a stored story into a story of their own: an editor's decision, recorded and
    made again whenever every article is regrouped. Ids may be unique prefixes; every article must be
    in the story, and at least one must stay."""
    sid = _resolve_story(store, story)
    members = tuple(store.story_articles(sid))
    moving: list[str] = []
    for given in articles:
        found = [a.id for a in members if a.id.startswith(given)]
        if len(found) != 1:
            raise EditError(f"article {given!r} is {'not' if not found else 'ambiguous'} in story {sid}", about="story_articles")
        moving.append(found[0])
    moving = list(dict.fromkeys(moving))
    if not moving or len(moving) == len(members):
        raise EditError(f"a split moves some of story {sid}'s {len(members)} articles out, not none or all of them")
    rest = tuple(a.id for a in members if a.id not in moving)
    edit = StoryEdit("split", tuple(moving), rest, (sid,), (), reason or "split by an editor", datetime.now(timezone.utc))
    return _save_edit(store, edit, {sid: members}, settings)


def review_story(store, story: str, limit: int = 5, *, settings: ClusterSettings | None = None) -> StoryReview:  # noqa: ANN001
    """The other open stories a stored story's coverage could join and its articles' fit to the rest of it
    (`StoryReview`), from the clusterer state the store saved: what to look at before `merge_stories` or
    `split_story`. The review carries the join threshold it was made with (`settings.join_score`, the
    product's by default). Reads only; a story id may be a unique prefix. Raises EditError when the saved
    state is missing or out of date (`update_stories` brings it up to date)."""
    settings = settings or ClusterSettings()
    sid = _resolve_story(store, story)
    for _ in range(MAX_REGROUP_TRIES):
        saved = store.clustering()
        reason = regroup_reason(saved, [], settings)
        if reason is not None or store.unclustered_articles():
            raise EditError(f"the stories cannot be compared until they are regrouped ({reason or 'articles in no story yet'})",
                            about="regroup")
        assert saved is not None
        records = store.clustering_records((), saved.generation)
        if records is not None:
            break
    else:
        raise StoreError("the stories kept changing while they were read: other processes are ingesting; try again")
    clusterer = StoryClusterer.from_records(records)
    headline = store.story(sid).headline
    members = {a.id: a for a in store.story_articles(sid)}
    first = next(iter(members), None)
    inside = clusterer.story_of(first) if first is not None and first in clusterer else None
    if inside is None or not clusterer.story(inside).open:
        return StoryReview(sid, headline, False, settings.join_score)
    similar = []
    for other, probability in clusterer.similar_stories(inside)[:limit]:
        stored = store.story_of(clusterer.story(other).articles[0])
        summary = store.story(stored) if stored is not None and stored != sid else None
        if summary is not None:
            similar.append(Candidate(stored, summary.headline, probability))
    fits = tuple(MemberFit(members[a], p) for a, p in clusterer.member_fit(inside) if a in members)
    return StoryReview(sid, headline, True, settings.join_score, tuple(similar), fits)


def _resolve_story(store, given: str) -> str:  # noqa: ANN001
    found = store.story(given)
    if found is None:
        raise EditError(f"no story {given!r} in this store", about="stories")
    return found.id


def _save_edit(store, edit: StoryEdit, groups: dict[str, tuple[Article, ...]], settings: ClusterSettings | None) -> StoryEdit:  # noqa: ANN001
    """Apply an edit to the stored stories and to the saved clusterer state, and record it (one transaction)."""
    settings = settings or ClusterSettings()
    after = apply_edit(groups, edit)
    assert after is not None  # the stories were checked to be apart (merge) or to have articles on both sides (split)
    edit = replace(edit, after=tuple(after))
    rows = [(sid, next((a.title for a in members if a.title), ""), members) for sid, members in after.items()]
    for _ in range(MAX_REGROUP_TRIES):
        saved = store.clustering()
        records = None
        if saved is not None and regroup_reason(saved, [], settings) is None:
            loaded = store.clustering_records((), saved.generation)
            if loaded is None:
                continue
            clusterer = StoryClusterer.from_records(loaded)
            sync_clusterer(clusterer, edit, f"an editor's {edit.kind}: {edit.reason}")
            records = clusterer.to_records()
        if store.save_edit(edit, rows, records, version=CLUSTER_STATE_VERSION, generation=saved.generation if saved else None) is not None:
            log.info("stories: %s of %s made %s", edit.kind, ", ".join(edit.before), ", ".join(edit.after))
            return edit
    raise StoreError(f"the stories kept changing while the {edit.kind} was saved ({MAX_REGROUP_TRIES} tries): "
                     "other processes are ingesting into this store; run it again when they are done")
