"""Stored articles into stories: group the articles in no story yet, then build the dossiers of the stories that
changed.

Grouping goes on from the clusterer state the store saved last time, so an ingest clusters only its own
articles (`update_stories`); every article is regrouped instead when that state cannot be gone on from
(`regroup_reason`), and the editors' merges and splits are then made again (`pipeline.edits`).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Callable, Iterable, Sequence

from newsweave.config import DEFAULT_EMBEDDER
from newsweave.dossier.build import build_dossiers
from newsweave.dossier.format import story_to_json
from newsweave.errors import StoreError
from newsweave.model import Article, ArticleFeatures, Story, StoryEdit, StoryGroup
from newsweave.outlets import coverage_order
from newsweave.pipeline.edits import apply_edit, sync_clusterer
from newsweave.store import SavedClustering
from newsweave.stories import CLUSTER_STATE_VERSION, ClusterSettings, StoryClusterer, story_id
from newsweave.stories.features import features  # not exported by newsweave.stories: the name would hide the module
from newsweave.stories.batch import stream_order

log = logging.getLogger(__name__)

STORIES_PER_BATCH = 50  # stories analysed in one spaCy stream, their dossiers saved before the next
MAX_REGROUP_TRIES = 5  # another process saved stories while this one clustered: go on from its state, so often


def update_stories(
    store, *, settings: ClusterSettings | None = None, embedder=DEFAULT_EMBEDDER, nlp=None,  # noqa: ANN001
    on_story: Callable[[str], None] | None = None,
) -> list[str]:
    """Group the stored articles into stories and (re)build the dossier of each new or changed story.

    Only the articles in no story yet are clustered, into the clusterer state the store saved with the
    stories last time, and the state is saved again with the stories (one transaction). Every article
    is regrouped instead, as a fresh clusterer would, when that state cannot be gone on from: none is
    saved, it was saved by another `CLUSTER_STATE_VERSION`, with other settings or under other tuning
    constants (`stories.settings.constants_digest`), grouped articles were deleted since, or a new article is
    older than the clusterer's open window (a backfill: the stories it belongs to are closed). The log
    says which, and why.

    Returns the ids of the stories whose dossier was rebuilt. A story is named after its oldest article,
    so it keeps its id as coverage is added; an article older than all of a story's renames it, and the
    old id is kept as an alias that leads to the new one (`SQLStore.successor`).
    """
    stale = stale_stories(store, regroup_stories(store, settings))
    rebuilt = []
    for start in range(0, len(stale), STORIES_PER_BATCH):
        for dossier in build_dossiers(stale[start : start + STORIES_PER_BATCH], embedder=embedder, nlp=nlp):
            store.save_dossier(dossier.id, story_to_json(dossier))
            rebuilt.append(dossier.id)
            if on_story:
                on_story(dossier.id)
    return rebuilt


def stale_stories(store, groups: dict[str, StoryGroup]) -> list[StoryGroup]:  # noqa: ANN001
    """The stories whose dossier is to be (re)built, oldest first: those `regroup_stories` just wrote
    (`groups`, articles in hand) and any other left without one (read from the store)."""
    stale = []
    for story in store.stories_without_dossier():
        group = groups.get(story) or StoryGroup(story, tuple(sorted(store.story_articles(story), key=coverage_order)))
        if group.articles:
            stale.append(group)
    return sorted(stale, key=lambda g: coverage_order(g.articles[0]))


def regroup_stories(store, settings: ClusterSettings | None = None) -> dict[str, StoryGroup]:  # noqa: ANN001
    """Put the stored articles in no story yet into stories (see `update_stories`) and save them with the
    clusterer state; dossiers are not touched. Returns the stories written, by id (all of them when every
    article was regrouped). Starts over from the newer state when another process saved meanwhile."""
    settings = settings or ClusterSettings()
    for _ in range(MAX_REGROUP_TRIES):
        groups = _regroup(store, settings)
        if groups is not None:
            return groups
        log.info("stories: another process saved stories meanwhile; going on from its state")
    raise StoreError(
        f"the stories kept changing while they were regrouped ({MAX_REGROUP_TRIES} tries): other processes are "
        "ingesting into this store; run it again when they are done"
    )


def stories_of(store, article_ids: Iterable[str]) -> list[str]:  # noqa: ANN001
    """The stories holding these articles, each once, in the order first met."""
    found: dict[str, None] = {}
    for article_id in article_ids:
        story = store.story_of(article_id)
        if story:
            found.setdefault(story)
    return list(found)


def regroup_reason(saved: SavedClustering | None, new: list[Article], settings: ClusterSettings) -> str | None:
    """Why the saved clusterer state cannot take `new` (so every article is regrouped), or None when it can."""
    if saved is None:
        return "no clusterer state is saved (a new store, or one grouped before newsweave saved it)"
    if saved.version is None:
        return "the stories were grouped since without saving the clusterer state (SQLStore.set_stories)"
    if saved.version != CLUSTER_STATE_VERSION:
        return f"the clusterer state was saved by state version {saved.version}, this newsweave reads version {CLUSTER_STATE_VERSION}"
    record = settings.to_record()
    if saved.settings != record:
        if {k: v for k, v in saved.settings.items() if k != "constants"} == {k: v for k, v in record.items() if k != "constants"}:
            return ("the clusterer state was saved under other tuning constants (features and clustering of another "
                    "newsweave version)")
        return "the clusterer state was saved with other clustering settings"
    if saved.grouped != saved.articles:
        return f"the stories held {saved.articles} articles when saved and hold {saved.grouped} now (articles were deleted)"
    if saved.latest is not None:
        horizon = saved.latest - timedelta(days=settings.window_days + settings.grace_days)
        old = [a for a in new if a.published is not None and a.published < horizon]
        if old:
            return (f"{len(old)} new article(s) published before {horizon.isoformat()}, where the open stories begin "
                    f"(the newest article seen is of {saved.latest.isoformat()}): a backfill")
    return None


def _regroup(store, settings: ClusterSettings) -> dict[str, StoryGroup] | None:  # noqa: ANN001
    """Cluster the new articles into the saved state, or regroup every article, and save the stories with the
    state. Returns the stories written, by id; None when another process saved first (nothing was written)."""
    saved = store.clustering()
    new = sorted(store.unclustered_articles(), key=coverage_order)
    reason = regroup_reason(saved, new, settings)
    clusterer = None
    if reason is None:
        assert saved is not None
        if not new:
            return {}
        feats = [features(a) for a in new]
        probe = StoryClusterer(settings)
        probe.prime(feats)  # the terms whose document frequencies the new articles need, as the clusterer counts them
        records = store.clustering_records(probe.df, saved.generation)
        if records is None:
            return None
        try:
            clusterer = StoryClusterer.from_records(records)
        except (KeyError, TypeError, ValueError) as exc:
            reason = f"the saved clusterer state does not load ({exc!r})"
            log.warning("stories: %s; regrouping every article instead", reason)
    if clusterer is not None:
        log.info("stories: clustering %d new articles into the %d open stories saved", len(new), len(clusterer))
        _add(clusterer, feats)
        touched = {clusterer.story_of(a.id) for a in new}
        for event in clusterer.events:  # a split or merge of this ingest changes stories it added nothing to
            touched.update(event.stories)
        stories = [story for story_id, story in clusterer.stories().items() if story_id in touched]
        fresh = {a.id for a in new}
        older = [a for story in stories for a in story.articles if a not in fresh]
        by_id = {a.id: a for a in [*new, *store.articles_by_id(older)]}
        complete = False
    else:
        everything = sorted(store.all_articles(), key=coverage_order)
        log.info("stories: regrouping all %d stored articles: %s", len(everything), reason)
        clusterer = StoryClusterer(settings)
        _add(clusterer, [features(a) for a in everything])
        stories = list(clusterer.stories().values())
        by_id = {a.id: a for a in everything}
        complete = True
    groups = _story_groups(stories, by_id)
    if complete:
        groups = _replay_edits(store.story_edits(), groups, clusterer)
    changed = store.save_grouping(
        [(g.id, next((a.title for a in g.articles if a.title), ""), g.articles) for g in groups.values()],
        clusterer.to_records(), version=CLUSTER_STATE_VERSION, generation=saved.generation if saved else None,
        complete=complete,
    )
    if changed is None:
        return None
    log.info("stories: %d written, %d of them new or changed", len(groups), len(changed))
    return groups


def _replay_edits(edits: Sequence[StoryEdit], groups: dict[str, StoryGroup], clusterer: StoryClusterer) -> dict[str, StoryGroup]:
    """Every article regrouped: the editors' merges and splits made before are made again, in order."""
    if not edits:
        return groups
    grouping: dict[str, tuple[Article, ...]] = {g.id: g.articles for g in groups.values()}
    for edit in edits:
        after = apply_edit(grouping, edit)
        if after is not None:
            grouping = after
            sync_clusterer(clusterer, edit, f"an editor's {edit.kind}, made again after regrouping: {edit.reason}")
    log.info("stories: %d editors' merges and splits made again", len(edits))
    ordered = sorted(grouping.items(), key=lambda kv: coverage_order(kv[1][0]))
    return {sid: StoryGroup(sid, members) for sid, members in ordered}


def _add(clusterer: StoryClusterer, feats: list[ArticleFeatures]) -> None:
    """Articles into the clusterer oldest first, on one day longest first (`stories.batch.stream_order`: the same
    stories whatever order a batch comes in), their document frequencies counted first (as `group_stories`)."""
    feats = sorted(feats, key=stream_order)
    clusterer.prime(feats)
    for _ in clusterer.add_stream(feats):  # in the background from 5,000 articles on
        pass


def _story_groups(stories: Iterable[Story], articles: dict[str, Article]) -> dict[str, StoryGroup]:
    """Each story's articles, oldest first, under its oldest article's id (`story_id`), oldest story first.

    The clusterer names a story after the article that opened it: the oldest, unless an older one came late."""
    groups = [StoryGroup(story_id(members[0]), members) for members in
              (tuple(sorted((articles[a] for a in story.articles), key=coverage_order)) for story in stories)]
    return {g.id: g for g in sorted(groups, key=lambda g: coverage_order(g.articles[0]))}
