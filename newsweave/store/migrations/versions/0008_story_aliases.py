"""Story ids that went away, so that links to them still lead somewhere.

`story_aliases`: a story id no longer stored (renamed because an older article joined the story, merged
away by the clusterer or an editor, or gone in a regrouping) and one article it held, the one most of its
articles went on with. The story that holds that article now answers for the old id (`SQLStore.successor`).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_aliases",
        sa.Column("story_id", sa.String(32), primary_key=True),
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("story_aliases")
