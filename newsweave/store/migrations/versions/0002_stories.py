"""Stories: which articles tell one story, and the story's latest dossier.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("first_published", sa.Date),
        sa.Column("last_published", sa.Date),
        sa.Column("article_count", sa.Integer, nullable=False),
        sa.Column("outlet_count", sa.Integer, nullable=False),
        sa.Column("claim_count", sa.Integer),
        sa.Column("conflict_count", sa.Integer),
        sa.Column("independent_sources", sa.Integer),
        sa.Column("members_hash", sa.String(64), nullable=False),
        sa.Column("dossier", sa.JSON),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_stories_last_published", "stories", ["last_published"])
    op.create_table(
        "story_articles",
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("story_id", sa.String(32), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    )
    op.create_index("ix_story_articles_story", "story_articles", ["story_id"])


def downgrade() -> None:
    op.drop_table("story_articles")
    op.drop_table("stories")
