"""PostgreSQL full-text search: a generated tsvector over title and text, with a GIN index.

The 'simple' configuration (no stemming, no stop words) matches what readers type for names, places
and model numbers; PostgreSQL only, SQLite has its FTS5 table from migration 0003.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || setweight(to_tsvector('simple', text), 'B')"
        ") STORED"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search")
