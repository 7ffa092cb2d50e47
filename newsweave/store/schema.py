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
