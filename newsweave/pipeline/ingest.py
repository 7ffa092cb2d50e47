"""The stages in order: read inputs, clean them, learn each outlet's template residue, store; then
group the stored articles into stories and build the dossiers of the stories that changed.

Reading and cleaning stream file by file; residue is learned over chunks of documents, so memory
stays bounded however many files a batch holds. Grouping goes on from the clusterer state the store
saved last time, so an ingest clusters only its own articles (`update_stories`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Protocol, Sequence

from newsweave.ingest.clean import clean, drop_residue, harmonise_outlets, learn_residue, rename_outlet
from newsweave.config import CleanSettings, ReadSettings
from newsweave.errors import InputError, StoreError
from newsweave.ingest.files import InputFile, expand_paths, read_file
from newsweave.model import Article, Candidate, MemberFit, RawDocument, StoryEdit, StoryReview, coverage_order

if TYPE_CHECKING:  # the clustering stages import numpy and datasketch: only when asked for
    from newsweave.stories.clusterer import ClusterSettings, Story, StoryClusterer, StoryGroup
    from newsweave.stories.features import ArticleFeatures
    from newsweave.store import SavedClustering

log = logging.getLogger(__name__)

CHUNK_DOCUMENTS = 2000  # documents cleaned before residue is learned and they are handed on
STORIES_PER_BATCH = 50  # stories analysed in one spaCy stream, their dossiers saved before the next
MAX_REGROUP_TRIES = 5  # another process saved stories while this one clustered: go on from its state, so often


@dataclass(frozen=True, slots=True)
class AlreadyKnown:
    """An input whose exact bytes were stored before: nothing to clean or store again."""

    source: str
    article_id: str


class ArticleStore(Protocol):
    def add(self, article: Article) -> str: ...
    def known_raw(self, raw_hash: str) -> str | None: ...


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: the ids added, the ones already known, and every input that failed."""

    added: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def clean_paths(
    paths: Iterable[str],
    *,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    known: Callable[[str], str | None] = lambda raw_hash: None,
    on_file: Callable[[InputFile], None] | None = None,
) -> Iterator[Article | InputError | AlreadyKnown]:
    """Read and clean files, folders and `-`, yielding one result per document, in input order."""
    files, errors = expand_paths(list(paths))
    yield from errors
    yield from clean_files(files, read=read, settings=settings, known=known, on_file=on_file)


def clean_files(
    files: Iterable[InputFile],
    *,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    known: Callable[[str], str | None] = lambda raw_hash: None,
    on_file: Callable[[InputFile], None] | None = None,
) -> Iterator[Article | InputError | AlreadyKnown]:
    pending: list[Article | InputError | AlreadyKnown] = []
    for item in files:
        for doc in read_file(item, read):
            pending.append(clean_document(doc, settings, known))
        if on_file:
            on_file(item)
        if len(pending) >= CHUNK_DOCUMENTS:
            yield from finish_chunk(pending, settings)
            pending = []
    yield from finish_chunk(pending, settings)


def clean_document(
    doc: RawDocument | InputError, settings: CleanSettings = CleanSettings(), known: Callable[[str], str | None] = lambda raw_hash: None
) -> Article | InputError | AlreadyKnown:
    """One document cleaned, or why not: a read error, or its exact bytes stored already."""
    if isinstance(doc, InputError):
        return doc
    seen = known(doc.raw_hash)
    if seen:
        return AlreadyKnown(doc.source, seen)
    try:
        return clean(doc, settings)
    except InputError as exc:
        return exc


def store_results(results: Iterable[Article | InputError | AlreadyKnown], store: ArticleStore, report: IngestReport) -> None:
    """Store each article in its own transaction and count every outcome in `report`."""
    for result in results:
        if isinstance(result, InputError):
            report.failed.append(result)
        elif isinstance(result, AlreadyKnown):
            report.known.append(result.article_id)
        elif store.add(result) == "added":
            report.added.append(result.id)
        else:
            report.known.append(result.id)


def finish_chunk(results: list[Article | InputError | AlreadyKnown], settings: CleanSettings) -> list[Article | InputError | AlreadyKnown]:
    """What needs the whole chunk: one name per outlet, then each outlet's template residue."""
    articles = [r for r in results if isinstance(r, Article)]
    names = harmonise_outlets(articles)
    residue = learn_residue(articles, settings) if settings.learn_residue else {}
    return [drop_residue(rename_outlet(r, names), residue) if isinstance(r, Article) else r for r in results]


def ingest(
    paths: Iterable[str],
    store: ArticleStore,
    *,
    read: ReadSettings = ReadSettings(),
    settings: CleanSettings = CleanSettings(),
    on_file: Callable[[InputFile], None] | None = None,
) -> IngestReport:
    """Read, clean and store; each article is written in its own transaction, failures are collected."""
    report = IngestReport()
    store_results(clean_paths(paths, read=read, settings=settings, known=store.known_raw, on_file=on_file), store, report)
    return report


def update_stories(
    store, *, settings: ClusterSettings | None = None, embedder=None, nlp=None,  # noqa: ANN001
    on_story: Callable[[str], None] | None = None,
) -> list[str]:
    """Group the stored articles into stories and (re)build the dossier of each new or changed story.

    Only the articles in no story yet are clustered, into the clusterer state the store saved with the
    stories last time, and the state is saved again with the stories (one transaction). Every article
    is regrouped instead, as a fresh clusterer would, when that state cannot be gone on from: none is
    saved, it was saved by another `CLUSTER_STATE_VERSION`, with other settings or under other tuning
    constants (`cluster.constants_digest`), grouped articles were deleted since, or a new article is
    older than the clusterer's open window (a backfill: the stories it belongs to are closed). The log
    says which, and why.

    Returns the ids of the stories whose dossier was rebuilt. A story is named after its oldest article,
    so it keeps its id as coverage is added; an article older than all of a story's renames it, and the
    old id is kept as an alias that leads to the new one (`SQLStore.successor`).
    """
    from newsweave.dossier.build import build_dossiers
    from newsweave.report import story_to_json

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
    from newsweave.stories.clusterer import StoryGroup

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
    from newsweave.stories.clusterer import ClusterSettings

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


def _regroup(store, settings: ClusterSettings) -> dict[str, StoryGroup] | None:  # noqa: ANN001
    """Cluster the new articles into the saved state, or regroup every article, and save the stories with the
    state. Returns the stories written, by id; None when another process saved first (nothing was written)."""
    from newsweave.stories.clusterer import CLUSTER_STATE_VERSION, StoryClusterer
    from newsweave.stories.features import features

    saved = store.clustering()
    new = sorted(store.unclustered_articles(), key=coverage_order)
    reason = _regroup_reason(saved, new, settings, CLUSTER_STATE_VERSION)
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
    from newsweave.stories.clusterer import StoryGroup
    from newsweave.pipeline.edits import apply_edit, sync_clusterer

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


def merge_stories(store, stories: Sequence[str], reason: str = "", *, settings: ClusterSettings | None = None) -> StoryEdit:  # noqa: ANN001
    """Merge two or more stored stories into one: an editor's decision, recorded (`store.story_edits()`)
    and made again whenever every article is regrouped. Story ids may be unique prefixes. The merged
    story is named after its oldest article; its dossier is rebuilt by the next `update_stories`."""
    ids = list(dict.fromkeys(_resolve_story(store, s) for s in stories))
    if len(ids) < 2:
        raise StoreError("give two or more different stories to merge (newsweave stories lists them)")
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
            raise StoreError(f"article {given!r} is {'not' if not found else 'ambiguous'} in story {sid}: "
                             f"`newsweave story {sid}` lists its articles")
        moving.append(found[0])
    moving = list(dict.fromkeys(moving))
    if not moving or len(moving) == len(members):
        raise StoreError(f"a split moves some of story {sid}'s {len(members)} articles out, not none or all of them")
    rest = tuple(a.id for a in members if a.id not in moving)
    edit = StoryEdit("split", tuple(moving), rest, (sid,), (), reason or "split by an editor", datetime.now(timezone.utc))
    return _save_edit(store, edit, {sid: members}, settings)


def review_story(store, story: str, limit: int = 5, *, settings: ClusterSettings | None = None) -> StoryReview:  # noqa: ANN001
    """The other open stories a stored story's coverage could join and its articles' fit to the rest of it
    (`StoryReview`), from the clusterer state the store saved: what to look at before `merge_stories` or
    `split_story`. Reads only; a story id may be a unique prefix. Raises StoreError when the saved state is
    missing or out of date (an ingest or `newsweave analyze` brings it up to date)."""
    from newsweave.stories.clusterer import CLUSTER_STATE_VERSION, ClusterSettings, StoryClusterer

    settings = settings or ClusterSettings()
    sid = _resolve_story(store, story)
    for _ in range(MAX_REGROUP_TRIES):
        saved = store.clustering()
        reason = _regroup_reason(saved, [], settings, CLUSTER_STATE_VERSION)
        if reason is not None or store.unclustered_articles():
            raise StoreError(f"the stories cannot be compared until they are regrouped ({reason or 'articles in no story yet'}): "
                             "run `newsweave analyze --db ...` on the store first")
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
        return StoryReview(sid, headline, False)
    similar = []
    for other, probability in clusterer.similar_stories(inside)[:limit]:
        stored = store.story_of(clusterer.story(other).articles[0])
        summary = store.story(stored) if stored is not None and stored != sid else None
        if summary is not None:
            similar.append(Candidate(stored, summary.headline, probability))
    fits = tuple(MemberFit(members[a], p) for a, p in clusterer.member_fit(inside) if a in members)
    return StoryReview(sid, headline, True, tuple(similar), fits)


def _resolve_story(store, given: str) -> str:  # noqa: ANN001
    found = store.story(given)
    if found is None:
        raise StoreError(f"no story {given!r} in this store: `newsweave stories` lists them")
    return found.id


def _save_edit(store, edit: StoryEdit, groups: dict[str, tuple[Article, ...]], settings: ClusterSettings | None) -> StoryEdit:  # noqa: ANN001
    """Apply an edit to the stored stories and to the saved clusterer state, and record it (one transaction)."""
    from dataclasses import replace

    from newsweave.stories.clusterer import CLUSTER_STATE_VERSION, ClusterSettings, StoryClusterer
    from newsweave.pipeline.edits import apply_edit, sync_clusterer

    settings = settings or ClusterSettings()
    after = apply_edit(groups, edit)
    assert after is not None  # the stories were checked to be apart (merge) or to have articles on both sides (split)
    edit = replace(edit, after=tuple(after))
    rows = [(sid, next((a.title for a in members if a.title), ""), members) for sid, members in after.items()]
    for _ in range(MAX_REGROUP_TRIES):
        saved = store.clustering()
        records = None
        if saved is not None and _regroup_reason(saved, [], settings, CLUSTER_STATE_VERSION) is None:
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


def _regroup_reason(saved: SavedClustering | None, new: list[Article], settings: ClusterSettings, version: int) -> str | None:
    """Why the saved clusterer state cannot take `new` (so every article is regrouped), or None when it can."""
    if saved is None:
        return "no clusterer state is saved (a new store, or one grouped before newsweave saved it)"
    if saved.version is None:
        return "the stories were grouped since without saving the clusterer state (SQLStore.set_stories)"
    if saved.version != version:
        return f"the clusterer state was saved by state version {saved.version}, this newsweave reads version {version}"
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


def _add(clusterer: StoryClusterer, feats: list[ArticleFeatures]) -> None:
    """Articles into the clusterer in coverage order, their document frequencies counted first (as `group_stories`)."""
    clusterer.prime(feats)
    for _ in clusterer.add_stream(feats):  # in the background from 5,000 articles on
        pass


def _story_groups(stories: Iterable[Story], articles: dict[str, Article]) -> dict[str, StoryGroup]:
    """Each story's articles, oldest first, under its oldest article's id (`story_id`), oldest story first.

    The clusterer names a story after the article that opened it: the oldest, unless an older one came late."""
    from newsweave.stories.clusterer import StoryGroup, story_id

    groups = [StoryGroup(story_id(members[0]), members) for members in
              (tuple(sorted((articles[a] for a in story.articles), key=coverage_order)) for story in stories)]
    return {g.id: g for g in sorted(groups, key=lambda g: coverage_order(g.articles[0]))}


def stories_of(store, article_ids: Iterable[str]) -> list[str]:  # noqa: ANN001
    """The stories holding these articles, each once, in the order first met."""
    found: dict[str, None] = {}
    for article_id in article_ids:
        story = store.story_of(article_id)
        if story:
            found.setdefault(story)
    return list(found)
