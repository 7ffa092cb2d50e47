"""The SQL store: SQLAlchemy over SQLite (default, WAL mode) or PostgreSQL, migrated by Alembic."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..errors import StoreError
from ..model import Article, RemovedLine
from .schema import article_sources, articles, removed_lines

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a second writer waits this long for the lock instead of failing

AddOutcome = Literal["added", "known"]


def database_url(db: str) -> str:
    """`--db` as given (a path, or a URL such as postgresql://...) to an SQLAlchemy URL."""
    if "://" in db:
        return db.replace("postgresql://", "postgresql+psycopg://", 1) if db.startswith("postgresql://") else db
    return f"sqlite:///{Path(db).expanduser()}"


class SQLStore:
    """Articles in a relational database; every write is one transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    @classmethod
    def open(cls, db: str) -> SQLStore:
        url = database_url(db)
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            if path.is_dir():
                raise StoreError(f"--db {db}: is a folder; give a file path such as {path / 'newsweave.db'}")
            if not path.parent.exists():
                raise StoreError(f"--db {db}: folder {path.parent} does not exist; create it first")
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"--db {db}: cannot open ({exc}); use a file path or postgresql://user@host/db") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.migrate()
        return store

    def migrate(self) -> None:
        """Bring the schema to the newest numbered migration; a no-op when it is there already."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            raise StoreError(f"cannot migrate the store at {self.engine.url!r}: {exc.orig}") from None

    def schema_version(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def newest_version() -> str | None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(config).get_current_head()

    def close(self) -> None:
        self.engine.dispose()

    # --- writes ---

    def add(self, article: Article) -> AddOutcome:
        """Store one article and where it came from, all or nothing; an article known already is left as is."""
        now = datetime.now(timezone.utc)
        with self.engine.begin() as connection:
            inserted = connection.execute(
                self._insert(articles)
                .values(
                    id=article.id, source=article.source, outlet=article.outlet, url=article.url,
                    title=article.title, author=article.author, published=article.published,
                    language=article.language, text=article.text, headings=list(article.headings),
                    dateline=article.dateline, ingested_at=now,
                )
                .on_conflict_do_nothing(index_elements=["id"])
            ).rowcount
            if inserted and article.removed:
                connection.execute(
                    removed_lines.insert(),
                    [
                        {"article_id": article.id, "position": i, "reason": r.reason, "text": r.text}
                        for i, r in enumerate(article.removed)
                    ],
                )
            connection.execute(
                self._insert(article_sources)
                .values(article_id=article.id, source=article.source, raw_hash=article.raw_hash or "", seen_at=now)
                .on_conflict_do_nothing(index_elements=["article_id", "source"])
            )
        return "added" if inserted else "known"

    # --- reads ---

    def known_raw(self, raw_hash: str) -> str | None:
        """The id of the article already read from exactly these bytes, if any."""
        with self.engine.connect() as connection:
            return connection.execute(
                select(article_sources.c.article_id).where(article_sources.c.raw_hash == raw_hash).limit(1)
            ).scalar()

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(articles)).scalar_one()

    def articles(self, *, limit: int | None = None, offset: int = 0, outlet: str | None = None) -> list[Article]:
        """Stored articles, newest publication first (undated last), without their removed lines."""
        query = select(articles).order_by(articles.c.published.desc().nulls_last(), articles.c.id)
        if outlet:
            query = query.where(articles.c.outlet == outlet)
        query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [_article(row, ()) for row in connection.execute(query).mappings()]

    def article(self, id_or_prefix: str) -> Article | None:
        """One article by its id, or by a prefix of it that matches only one (like a short git hash).

        Raises StoreError when the prefix matches several.
        """
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(articles).where(articles.c.id.startswith(id_or_prefix, autoescape=True)).limit(2)
            ).mappings().all()
            if len(rows) > 1:
                raise StoreError(f"article id {id_or_prefix!r} is ambiguous; give more characters")
            if not rows:
                return None
            removed = connection.execute(
                select(removed_lines.c.reason, removed_lines.c.text)
                .where(removed_lines.c.article_id == rows[0]["id"])
                .order_by(removed_lines.c.position)
            ).all()
            return _article(rows[0], tuple(RemovedLine(text, reason) for reason, text in removed))

    def sources(self, article_id: str) -> list[str]:
        """Every path or URL this article was read from, first seen first."""
        with self.engine.connect() as connection:
            return list(
                connection.execute(
                    select(article_sources.c.source)
                    .where(article_sources.c.article_id == article_id)
                    .order_by(article_sources.c.seen_at, article_sources.c.source)
                ).scalars()
            )


def _article(row, removed: tuple[RemovedLine, ...]) -> Article:  # noqa: ANN001 - a SQLAlchemy row mapping
    return Article(
        id=row["id"], source=row["source"], outlet=row["outlet"], url=row["url"], title=row["title"],
        author=row["author"], published=row["published"], language=row["language"], text=row["text"],
        headings=tuple(row["headings"] or ()), dateline=row["dateline"], removed=removed,
    )


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API objects
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
