"""Editors' merges and splits of stories, kept so that they survive every later regrouping.

`story_edits`: one row per edit, in order: its kind, the articles it names (a merge: every article of the
merged story; a split: the articles moved out, and those left), the story ids before and after, the
reason given and when it was made. Regrouping every article replays them (newsweave/edits.py).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_edits",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("articles", sa.JSON, nullable=False),
        sa.Column("rest", sa.JSON, nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_edits")
