"""Inputs by the hash of their bytes, unique: two processes reading one file at once store it once.

The clean text of one input can differ between batches (template residue is learned per batch), so
the article id alone cannot stop a concurrent second copy; the raw bytes can.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "raw_inputs",
        sa.Column("raw_hash", sa.String(64), primary_key=True),
        # deferred: the input is claimed before its article row is written, in the same transaction
        sa.Column("article_id", sa.String(32), sa.ForeignKey("articles.id", ondelete="CASCADE", deferrable=True, initially="DEFERRED"), nullable=False),
    )
    op.execute(
        "INSERT INTO raw_inputs (raw_hash, article_id) "
        "SELECT raw_hash, min(article_id) FROM article_sources WHERE raw_hash <> '' GROUP BY raw_hash"
    )


def downgrade() -> None:
    op.drop_table("raw_inputs")
