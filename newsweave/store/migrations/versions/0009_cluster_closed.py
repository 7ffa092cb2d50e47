"""Closed stories that a follow-up may reopen, kept between ingests.

`cluster_closed`: a closed story's clusterer record with its profile (its top terms, stated days, band keys
and names), the date of its last coverage (profiles expire `follow_up_days` after it) and the digest of its
articles, as in `stories.members_hash` (a profile whose story changed since is stale and not read back);
`cluster_closed_names`: the story's top names, by the same digest as `cluster_terms`, so that a load reads
only the profiles the new articles name. A store migrated here has none yet; its saved clusterer settings
lack the follow-up ones, so its next update regroups every article once, which keeps the profiles of the
stories that have closed (a profile is found under the clusterer's id of its story, the id of the article
that opened it: a story renamed by an older article that came late is not reopened).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_closed",
        sa.Column("story_id", sa.String(32), primary_key=True),
        sa.Column("last", sa.Date, nullable=False),
        sa.Column("members_hash", sa.String(64), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_cluster_closed_last", "cluster_closed", ["last"])
    op.create_table(
        "cluster_closed_names",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("story_id", sa.String(32), primary_key=True),
    )
    op.create_index("ix_cluster_closed_names_story_id", "cluster_closed_names", ["story_id"])


def downgrade() -> None:
    op.drop_table("cluster_closed_names")
    op.drop_table("cluster_closed")
