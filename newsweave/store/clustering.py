"""The story clusterer's state in the store, so that an ingest clusters only its new articles.

`StoryClusterer.to_records()` gives the clusterer's whole state as plain records: one `state` (settings,
n_docs, now, df), a `story` per story, an `article` per article (with its vectors while its story is open),
an `event` per merge or split, and a closed story's profile for follow-ups (`kept`). Saved as one document,
that would grow with the store and be rewritten by every ingest. Kept in five tables (migration 0006) and
two more for the profiles (0009), a save writes about what the ingest changed, and a load reads the open
window plus what the new articles need:

- `cluster_state`: one row: the `CLUSTER_STATE_VERSION` and settings the state was made with, n_docs, the
  newest publication date seen (`latest`, the clusterer's `now`), how many articles were in stories, and
  a generation that every save bumps. A save names the generation it started from and is refused when
  another process saved since (`claim`), so the caller starts over from the newer state: two ingests
  never drop each other's articles, and no lock is held while clustering.
- `cluster_terms`: the document frequencies, one row per term, keyed by a 128-bit digest of the
  channel-prefixed term (a run of CJK letters is one "word" of any length, too long for an index key). A
  save upserts the terms of the articles it clustered; a load reads only the terms it is asked for, the
  new articles' (articles clustered before keep their vectors, so their terms' frequencies are not needed
  again). The vocabulary grows with the store; what an ingest reads and writes of it grows with the ingest.
- `cluster_stories` and `cluster_members`: the open stories, and their articles' records with vectors and
  band keys: what the clusterer needs to take more articles. A row comes when a story opens or an article
  joins, goes when its story closes (`window + grace` days without coverage), and is rewritten only when
  it changes (an article moved by a split keeps its vectors). So they hold the open window, bounded
  however long the stream runs, and every load reads it whole to rebuild the centroids.
- `cluster_closed` and `cluster_closed_names`: the closed stories a follow-up may still reopen (an arrest
  or a trial weeks on), each its story record with its profile (`kept`: its top terms, stated days, band
  keys and names), and the names it is looked up by, keyed as `cluster_terms` keys the "n" terms. A load
  reads only the profiles named by the new articles' names, within `follow_up_days` of the newest date
  (a name that more than `follow_up_max_bucket` profiles share looks up none, as in the clusterer, which is
  told to pass over it: the state record's `common_names`; both limits come in the saved settings), and only
  while the story in `stories` still holds the articles it was saved with (an editor's merge or a regrouping
  since makes the profile stale). A row comes when a story closes with a profile, goes when
  the story reopens (its record then has a `seed`) or its `follow_up_days` run out, and is
  not rewritten while the story stays closed.
  Closed stories without a profile are not kept here: nothing can join them any more, and the `stories`
  and `story_articles` tables say which articles they hold.
- `cluster_events`: merges and splits, appended as they happen: history, not read back to cluster.

Each function takes a Connection, inside the caller's transaction for writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterable

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from newsweave.model import passes_over
from newsweave.store.common import chunks, members_hash
from newsweave.store.schema import (
    articles, cluster_closed, cluster_closed_names, cluster_events, cluster_members, cluster_state, cluster_stories, cluster_terms,
    stories, story_articles,
)

HEAD = 1  # the id of the one `cluster_state` row

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class SavedClustering:
    """The head of the saved clusterer state: enough to decide whether to go on from it or regroup all."""

    version: int | None  # CLUSTER_STATE_VERSION it was saved with; None: stories were grouped without it since
    settings: dict[str, Any]  # ClusterSettings.to_record()
    latest: date | None  # the newest publication date the clusterer had seen (its `now`)
    articles: int  # articles in stories when it was saved
    grouped: int  # articles in stories now: fewer when some were deleted since
    generation: int  # bumped by every save


def term_key(term: str) -> str:
    """The key of a channel-prefixed term in `cluster_terms`."""
    return hashlib.blake2b(term.encode("utf-8"), digest_size=16).hexdigest()


def load_head(connection: Connection) -> SavedClustering | None:
    row = connection.execute(select(cluster_state).where(cluster_state.c.id == HEAD)).mappings().first()
    if row is None:
        return None
    return SavedClustering(row["version"], row["settings"], row["latest"], row["articles"], _grouped(connection), row["generation"])


def load_records(connection: Connection, terms: Iterable[str], generation: int) -> list[Record] | None:
    """The saved state as records for `StoryClusterer.from_records`: the open stories and their articles, the
    document frequencies of `terms` only, and the closed stories' profiles that the names among `terms` ("n"
    terms) look up, within `follow_up_days` of the newest date and not stale. In the order state, closed
    stories, open stories, articles. None when the state is no longer at `generation`."""
    head = connection.execute(select(cluster_state).where(cluster_state.c.id == HEAD)).mappings().first()
    if head is None or head["generation"] != generation:
        return None
    wanted = {term_key(t): t for t in terms}
    df: dict[str, int] = {}
    for keys in chunks(wanted):
        for key, count in connection.execute(select(cluster_terms.c.key, cluster_terms.c.df).where(cluster_terms.c.key.in_(keys))):
            df[wanted[key]] = count
    closed, common = _closed(connection, {key: t[1:] for key, t in wanted.items() if t.startswith("n")}, head["settings"], head["latest"])
    opened = sorted(connection.execute(select(cluster_stories.c.record)).scalars(), key=lambda r: r["seq"])  # opening order
    members = list(connection.execute(select(cluster_members.c.record)).scalars())
    # the reads above are separate statements: a save committed between them shows as a newer generation
    if connection.execute(select(cluster_state.c.generation).where(cluster_state.c.id == HEAD)).scalar() != generation:
        return None
    state = {"type": "state", "settings": head["settings"], "n_docs": head["n_docs"],
             "now": head["latest"].isoformat() if head["latest"] else None, "df": df, "common_names": common}
    return [state, *closed, *opened, *members]


def _closed(connection: Connection, names: dict[str, str], settings: dict[str, Any], latest: date | None) -> tuple[list[Record], list[str]]:
    """The profiled closed stories these names (`term_key("n" + name)` -> name) look up, in opening order: those
    whose last coverage is within `follow_up_days` of `latest`, and whose story in `stories` holds the same
    articles as when the profile was saved (a merge or regrouping since changed it: that profile is stale).
    A name more than `follow_up_max_bucket` profiles share ("police", a big city) looks up nothing, by the
    clusterer's own rule (`model.passes_over`): those are returned, second, so that the clusterer passes over them
    too without their profiles. Both limits are the clusterer's settings the state was saved with; without a
    `follow_up_max_bucket`, no name is passed over."""
    days = settings.get("follow_up_days")
    if days is None:
        return [], []
    limit = settings.get("follow_up_max_bucket")
    common: list[str] = []
    rare: list[str] = []
    key = cluster_closed_names.c.key
    for keys in chunks(names):
        for found_key, count in connection.execute(select(key, func.count()).where(key.in_(keys)).group_by(key)):
            (common if passes_over(count, limit) else rare).append(found_key)
    ids: set[str] = set()
    for keys in chunks(rare):
        ids.update(connection.execute(select(cluster_closed_names.c.story_id).where(key.in_(keys))).scalars())
    found: list[Record] = []
    for part in chunks(sorted(ids)):
        query = (
            select(cluster_closed.c.record)
            .join(stories, (stories.c.id == cluster_closed.c.story_id) & (stories.c.members_hash == cluster_closed.c.members_hash))
            .where(cluster_closed.c.story_id.in_(part))
        )
        if latest is not None:
            query = query.where(cluster_closed.c.last >= latest - timedelta(days=days))
        found += connection.execute(query).scalars()
    return sorted(found, key=lambda r: r["seq"]), sorted(names[k] for k in common)


def claim(connection: Connection, generation: int | None) -> bool:
    """Move the state to the next generation if it is still at `generation` (None: there is no state yet).
    The first write of a save: False when another process saved since, and then nothing was written."""
    if generation is None:
        inserted = connection.execute(
            _insert(connection)(cluster_state)
            .values(id=HEAD, version=None, settings={}, n_docs=0, latest=None, articles=0, generation=1,
                    updated_at=datetime.now(timezone.utc))
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(cluster_state.c.id)
        ).first()
        return inserted is not None
    moved = connection.execute(
        update(cluster_state)
        .where(cluster_state.c.id == HEAD, cluster_state.c.generation == generation)
        .values(generation=generation + 1)
    )
    return moved.rowcount == 1


def forget(connection: Connection) -> None:
    """Stories were grouped without the clusterer (`set_stories`): its saved state no longer matches them."""
    connection.execute(
        update(cluster_state).where(cluster_state.c.id == HEAD)
        .values(version=None, generation=cluster_state.c.generation + 1, updated_at=datetime.now(timezone.utc))
    )


def save(connection: Connection, records: Iterable[Record], *, version: int, complete: bool) -> None:
    """Write a clusterer's records (`to_records`), after `claim`.

    `complete`: the records are the whole state (a regrouping of every article): the tables are replaced.
    Otherwise they are what was loaded plus one ingest: the df entries given are upserted (give only the
    terms the ingest touched, as `load_records` does), open stories and their articles are inserted,
    rewritten or deleted by what differs from the rows, and events are appended (give only new ones). Closed
    stories with a profile (`kept`) not stored yet are added; a stored one is left as it is; the profile of a
    story reopened (open, with a `seed`) goes. Either way, profiles older than `follow_up_days` before the
    state's `now` go too (all of them when follow-ups are off)."""
    state: Record = {}
    opened: dict[str, Record] = {}
    members: dict[str, Record] = {}
    kept: dict[str, Record] = {}
    events: list[Record] = []
    for record in records:
        kind = record["type"]
        if kind == "state":
            state = record
        elif kind == "story" and record["open"]:
            opened[record["id"]] = record
        elif kind == "story" and record.get("kept") is not None:
            kept[record["id"]] = record
        elif kind == "article" and "vectors" in record:
            members[record["id"]] = record
        elif kind == "event":
            events.append(record)
    terms = [{"key": term_key(t), "df": n} for t, n in state["df"].items()]
    if complete:
        for table in (cluster_terms, cluster_stories, cluster_members, cluster_events, cluster_closed, cluster_closed_names):
            connection.execute(delete(table))
        old_stories: dict[str, Record] = {}
        old_members: dict[str, str] = {}
        if terms:
            connection.execute(cluster_terms.insert(), terms)
    else:
        old_stories = dict(connection.execute(select(cluster_stories.c.id, cluster_stories.c.record)).all())
        old_members = dict(connection.execute(select(cluster_members.c.article_id, cluster_members.c.story_id)).all())
        if terms:
            upsert = _insert(connection)(cluster_terms)
            connection.execute(upsert.on_conflict_do_update(index_elements=["key"], set_={"df": upsert.excluded.df}), terms)

    for ids in chunks(old_stories.keys() - opened.keys()):  # closed, or merged away
        connection.execute(delete(cluster_stories).where(cluster_stories.c.id.in_(ids)))
    added = [{"id": i, "record": r} for i, r in opened.items() if i not in old_stories]
    if added:
        connection.execute(cluster_stories.insert(), added)
    for story_id, record in opened.items():
        if story_id in old_stories and old_stories[story_id] != record:
            connection.execute(update(cluster_stories).where(cluster_stories.c.id == story_id).values(record=record))

    for ids in chunks(old_members.keys() - members.keys()):  # their story closed
        connection.execute(delete(cluster_members).where(cluster_members.c.article_id.in_(ids)))
    joined = [{"article_id": i, "story_id": r["story"], "record": r} for i, r in members.items() if i not in old_members]
    if joined:
        connection.execute(cluster_members.insert(), joined)
    for article_id, record in members.items():  # vectors never change once added; a split or merge moves the article
        if article_id in old_members and old_members[article_id] != record["story"]:
            connection.execute(update(cluster_members).where(cluster_members.c.article_id == article_id)
                               .values(story_id=record["story"], record=record))
    if events:
        connection.execute(cluster_events.insert(), [{"record": e} for e in events])
    _save_closed(connection, kept, [i for i, r in opened.items() if r.get("seed") is not None], state, complete=complete)

    connection.execute(update(cluster_state).where(cluster_state.c.id == HEAD).values(
        version=version, settings=state["settings"], n_docs=state["n_docs"],
        latest=date.fromisoformat(state["now"]) if state["now"] else None, articles=_grouped(connection),
        updated_at=datetime.now(timezone.utc),
    ))


def _save_closed(connection: Connection, kept: dict[str, Record], reopened: list[str], state: Record, *,
                 complete: bool) -> None:
    """Store the profiles of the `kept` stories not stored as they are (after `complete`'s delete: all of them),
    drop those of the `reopened` stories, then those past `follow_up_days` (all when follow-ups are off)."""
    digests = {story_id: members_hash(r["articles"]) for story_id, r in kept.items()}
    stored: dict[str, str] = {}
    if not complete:
        for ids in chunks(kept):
            stored.update(connection.execute(
                select(cluster_closed.c.story_id, cluster_closed.c.members_hash).where(cluster_closed.c.story_id.in_(ids))).all())
    new = [r for story_id, r in kept.items() if stored.get(story_id) != digests[story_id]]
    # a stored profile never changes while its story stays closed; one with other articles (reopened and closed
    # again within one ingest) is replaced, like a reopened one
    for ids in chunks([*reopened, *(r["id"] for r in new if r["id"] in stored)]):
        connection.execute(delete(cluster_closed_names).where(cluster_closed_names.c.story_id.in_(ids)))
        connection.execute(delete(cluster_closed).where(cluster_closed.c.story_id.in_(ids)))
    if new:
        connection.execute(cluster_closed.insert(), [
            {"story_id": r["id"], "last": date.fromisoformat(r["last"]), "members_hash": digests[r["id"]], "record": r} for r in new])
        names = [{"key": key, "story_id": r["id"]} for r in new for key in {term_key("n" + name) for name in r["kept"]["names"]}]
        if names:
            connection.execute(cluster_closed_names.insert(), names)

    days = state["settings"].get("follow_up_days")
    if days is None:
        connection.execute(delete(cluster_closed_names))
        connection.execute(delete(cluster_closed))
    elif state["now"]:
        expired = cluster_closed.c.last < date.fromisoformat(state["now"]) - timedelta(days=days)
        expired_ids = select(cluster_closed.c.story_id).where(expired)
        connection.execute(delete(cluster_closed_names).where(cluster_closed_names.c.story_id.in_(expired_ids)))
        connection.execute(delete(cluster_closed).where(expired))


def _grouped(connection: Connection) -> int:
    """Stored articles in stories (an article deleted outside newsweave may leave its story row behind)."""
    return connection.execute(
        select(func.count()).select_from(story_articles.join(articles, articles.c.id == story_articles.c.article_id))
    ).scalar_one()


def _insert(connection: Connection):  # noqa: ANN202 - the dialect's insert, which has on_conflict_*
    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
