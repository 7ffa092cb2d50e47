"""Full-text search over articles' titles and text: an SQLite FTS5 table kept in step by triggers.

The FTS table holds its own copy of the text (not an external-content table): `articles` has a text
primary key, and the implicit rowid an external-content index would point at can change on VACUUM.
On other databases this migration does nothing yet (PostgreSQL full-text will get its own); the
search helpers in `newsweave/store/search.py` fall back to a plain substring search there, and also
on an SQLite built without FTS5.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# unicode61 folds case and, with remove_diacritics 2, accents: "Falcon" finds "Falcón".
CREATE = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "article_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts (article_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "DELETE FROM articles_fts WHERE article_id = old.id; END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
    "DELETE FROM articles_fts WHERE article_id = old.id; "
    "INSERT INTO articles_fts (article_id, title, text) VALUES (new.id, coalesce(new.title, ''), new.text); END",
    "INSERT INTO articles_fts (article_id, title, text) SELECT id, coalesce(title, ''), text FROM articles",
]
DROP = [
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TABLE IF EXISTS articles_fts",
]


def _has_fts5() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    try:  # FTS5 is a compile-time option of SQLite: probe for it rather than trust a version number
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.newsweave_fts5_probe USING fts5(x)")
    except Exception:  # noqa: BLE001 - the DB-API's OperationalError: "no such module: fts5"
        return False
    bind.exec_driver_sql("DROP TABLE temp.newsweave_fts5_probe")
    return True


def upgrade() -> None:
    if not _has_fts5():
        return
    for statement in CREATE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in DROP:
        op.execute(statement)
