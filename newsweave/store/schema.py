"""Table definitions, as SQLAlchemy Core metadata: what the migrations build, and what queries use."""

from __future__ import annotations

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("source", Text, nullable=False),  # where it was first read from
    Column("outlet", Text),
    Column("url", Text),
    Column("title", Text),
    Column("author", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Column("headings", JSON, nullable=False),
    Column("dateline", Text),
    Column("ingested_at", DateTime(timezone=True), nullable=False),
)
Index("ix_articles_published", articles.c.published)
Index("ix_articles_outlet", articles.c.outlet)

article_sources = Table(
    "article_sources",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("source", Text, primary_key=True),
    Column("raw_hash", String(64), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
Index("ix_article_sources_raw_hash", article_sources.c.raw_hash)

removed_lines = Table(
    "removed_lines",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("reason", String(64), nullable=False),
    Column("text", Text, nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("headline", Text, nullable=False),
    Column("first_published", Date),
    Column("last_published", Date),
    Column("article_count", Integer, nullable=False),
    Column("outlet_count", Integer, nullable=False),
    Column("claim_count", Integer),
    Column("conflict_count", Integer),
    Column("independent_sources", Integer),
    Column("members_hash", String(64), nullable=False),
    Column("dossier", JSON),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

story_articles = Table(
    "story_articles",
    metadata,
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("story_id", String(32), ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
)

raw_inputs = Table(
    "raw_inputs",
    metadata,
    Column("raw_hash", String(64), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE", deferrable=True, initially="DEFERRED"), nullable=False),
)

# The story clusterer's saved state (migration 0006; see newsweave/store/clustering.py): one head row, the
# document frequencies, and the open stories with their articles' vectors. Closed stories live in `stories`;
# those a follow-up may still reopen keep their profile in `cluster_closed` too (migration 0009).
cluster_state = Table(
    "cluster_state",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1: one clusterer per store
    Column("version", Integer),  # CLUSTER_STATE_VERSION it was saved with; NULL: stories grouped without it since
    Column("settings", JSON, nullable=False),
    Column("n_docs", Integer, nullable=False),
    Column("latest", Date),  # the newest publication date the clusterer has seen (its `now`)
    Column("articles", Integer, nullable=False),  # articles in stories when it was saved
    Column("generation", Integer, nullable=False),  # bumped by every save: a save from an older one is refused
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

cluster_terms = Table(
    "cluster_terms",
    metadata,
    Column("key", String(32), primary_key=True),  # a digest of the channel-prefixed term: terms have no length limit
    Column("df", Integer, nullable=False),
)

cluster_stories = Table(
    "cluster_stories",
    metadata,
    Column("id", String(32), primary_key=True),  # the clusterer's id: its opening article's
    Column("record", JSON, nullable=False),
)

cluster_members = Table(
    "cluster_members",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("story_id", String(32), nullable=False),
    Column("record", JSON, nullable=False),  # with the article's unit vectors and band keys
)

cluster_events = Table(
    "cluster_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record", JSON, nullable=False),
)

# Closed stories a follow-up may reopen (migration 0009): the story record with its profile ("kept"), and the
# names it is looked up by. A row goes when the story reopens or its follow-up days run out.
cluster_closed = Table(
    "cluster_closed",
    metadata,
    Column("story_id", String(32), primary_key=True),
    Column("last", Date, nullable=False),  # its last coverage: the profile expires `follow_up_days` after
    Column("members_hash", String(64), nullable=False),  # `stories.members_hash` when saved: stale once they differ
    Column("record", JSON, nullable=False),
)
Index("ix_cluster_closed_last", cluster_closed.c.last)

cluster_closed_names = Table(
    "cluster_closed_names",
    metadata,
    Column("key", String(32), primary_key=True),  # `term_key("n" + name)`, as in `cluster_terms`
    Column("story_id", String(32), primary_key=True),
)
Index("ix_cluster_closed_names_story_id", cluster_closed_names.c.story_id)

# Editors' merges and splits (migration 0007; see newsweave/edits.py), replayed after every full regrouping.
story_edits = Table(
    "story_edits",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # "merge" or "split"
    Column("articles", JSON, nullable=False),  # merge: every article of the merged story; split: those moved out
    Column("rest", JSON, nullable=False),  # split: the articles left behind; merge: []
    Column("before", JSON, nullable=False),  # story ids it was made on
    Column("after", JSON, nullable=False),  # story ids it made
    Column("reason", Text, nullable=False),
    Column("made_at", DateTime(timezone=True), nullable=False),
)

# A story id no longer in `stories` (renamed when an older article joined it, merged away, regrouped) and an
# article it held: the story holding that article now is where the old id's links lead (`SQLStore.successor`).
story_aliases = Table(
    "story_aliases",
    metadata,
    Column("story_id", String(32), primary_key=True),
    Column("article_id", String(32), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("retired_at", DateTime(timezone=True), nullable=False),
)
