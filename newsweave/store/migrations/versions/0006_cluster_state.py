"""The story clusterer's state, kept between ingests so each one clusters only its new articles.

Five tables (what goes where, and why, is in newsweave/store/clustering.py): `cluster_state`, one row
with the settings, counts and a generation bumped by every save; `cluster_terms`, the document frequencies
by a digest of the term; `cluster_stories` and `cluster_members`, the open stories and their articles'
vectors (rows come and go as stories open and close); `cluster_events`, merges and splits, appended.
Plain tables and JSON columns, the same on SQLite and PostgreSQL. A store migrated here has no state yet:
its next ingest regroups every article once and saves it.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer),
        sa.Column("settings", sa.JSON, nullable=False),
        sa.Column("n_docs", sa.Integer, nullable=False),
        sa.Column("latest", sa.Date),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cluster_terms",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("df", sa.Integer, nullable=False),
    )
    op.create_table(
        "cluster_stories",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "cluster_members",
        sa.Column("article_id", sa.String(32), primary_key=True),
        sa.Column("story_id", sa.String(32), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_table(
        "cluster_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("record", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for name in ("cluster_events", "cluster_members", "cluster_stories", "cluster_terms", "cluster_state"):
        op.drop_table(name)
