"""The SQL store: SQLAlchemy over SQLite (default, WAL mode) or PostgreSQL, migrated by Alembic."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

from sqlalchemy import Engine, create_engine, delete, event, func, inspect, null, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from newsweave.errors import AmbiguousIdError, StoreError
from newsweave.model import Article, RemovedLine, StoryEdit
from newsweave.store import clustering as _state  # the clusterer's saved state; `clustering()` below reads its head
from newsweave.store.clustering import SavedClustering
from newsweave.store import search
from newsweave.store.common import StorySummary, chunks, members_hash
from newsweave.store.schema import article_sources, articles, raw_inputs, removed_lines, stories, story_aliases, story_articles, story_edits

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest numbered migration (`migrations/versions`; a test checks it against Alembic's head). Opening a store
# at it is one query for its version, and Alembic (0.4 s to import) is imported only to migrate.
NEWEST_MIGRATION = "0009"
SQLITE_BUSY_TIMEOUT_MS = 30_000  # a second writer waits this long for the lock instead of failing
STORIES_LOCK = 0x6E657773  # the PostgreSQL advisory lock key of story regrouping ("news")
MIGRATION_LOCK = 0x6E657775  # and of schema migrations

AddOutcome = Literal["added", "known"]


def database_url(db: str) -> str:
    """Where a store lives, as given (an SQLite file path, or a URL such as postgresql://...), as an SQLAlchemy URL."""
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
                raise StoreError(f"{db}: is a folder; give a file path such as {path / 'newsweave.db'}", about="db")
            if not path.parent.exists():
                raise StoreError(f"{db}: folder {path.parent} does not exist; create it first", about="db")
        try:
            engine = create_engine(url)
        except (SQLAlchemyError, ImportError) as exc:
            raise StoreError(f"{db}: cannot open ({exc}); use a file path or postgresql://user@host/db", about="db") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine)
        store.migrate()
        return store

    def migrate(self) -> None:
        """Bring the schema to the newest numbered migration; a no-op when it is there already.

        Processes opening one store at once migrate it one at a time, under the database's own lock, held
        to the commit, so the next one finds the head and does nothing; no file is left beside the database.
        On SQLite that lock is its write lock, taken up front (`BEGIN IMMEDIATE`): a plain `BEGIN` would take
        it only at the first write, after the version was read, and Python's sqlite3 runs DDL outside any
        transaction until one is begun. A store at the head already is only read, so opening it never waits
        for another process's writes."""
        try:
            try:
                if self.schema_version() == NEWEST_MIGRATION:
                    return
            except OperationalError:  # another process is creating the file ("database is locked" at once, not after
                pass  # the busy timeout): the migration below waits for its lock and then finds the schema current
            from alembic import command
            from alembic.config import Config

            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS))
            with self.engine.begin() as connection:
                if self.engine.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                elif self.engine.dialect.name == "sqlite":  # waits up to SQLITE_BUSY_TIMEOUT_MS for a migrating process
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")  # reads the version again, under the lock
        except OperationalError as exc:
            raise StoreError(f"cannot migrate the store at {self.engine.url!r}: {exc.orig}") from None

    def schema_version(self) -> str | None:
        """The migration the store's schema is at (Alembic's version table), None for a new store."""
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    @staticmethod
    def newest_version() -> str | None:
        """The newest migration, as Alembic reads the migration scripts."""
        from alembic.config import Config
        from alembic.script import ScriptDirectory

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
            if article.raw_hash:  # claim the input first: a concurrent reader of the same bytes waits here, then finds it
                claimed = connection.execute(
                    self._insert(raw_inputs).values(raw_hash=article.raw_hash, article_id=article.id)
                    .on_conflict_do_nothing(index_elements=["raw_hash"]).returning(raw_inputs.c.raw_hash)
                ).first()
                if claimed is None:
                    existing = connection.execute(
                        select(raw_inputs.c.article_id).where(raw_inputs.c.raw_hash == article.raw_hash)
                    ).scalar_one()
                    connection.execute(
                        self._insert(article_sources)
                        .values(article_id=existing, source=article.source, raw_hash=article.raw_hash, seen_at=now)
                        .on_conflict_do_nothing(index_elements=["article_id", "source"])
                    )
                    return "known"
            inserted = connection.execute(
                self._insert(articles)
                .values(
                    id=article.id, source=article.source, outlet=article.outlet, url=article.url,
                    title=article.title, author=article.author, published=article.published,
                    language=article.language, text=article.text, headings=list(article.headings),
                    dateline=article.dateline, ingested_at=now,
                )
                .on_conflict_do_nothing(index_elements=["id"])
                .returning(articles.c.id)  # a row back only when this call inserted it (rowcount is not portable here)
            ).first() is not None
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
            return connection.execute(select(raw_inputs.c.article_id).where(raw_inputs.c.raw_hash == raw_hash)).scalar()

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(articles)).scalar_one()

    def count_stories(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(stories)).scalar_one()

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
            rows = connection.execute(select(articles).where(articles.c.id == id_or_prefix)).mappings().all()
            if not rows:  # a prefix: a range on the primary key uses its index (LIKE 'x%' does not: it is case-blind)
                rows = connection.execute(
                    select(articles).where(articles.c.id >= id_or_prefix, articles.c.id < id_or_prefix + "\uffff").limit(2)
                ).mappings().all()
            if len(rows) > 1:
                raise AmbiguousIdError(f"article id {id_or_prefix!r} is ambiguous; give more characters")
            if not rows:
                return None
            removed = connection.execute(
                select(removed_lines.c.reason, removed_lines.c.text)
                .where(removed_lines.c.article_id == rows[0]["id"])
                .order_by(removed_lines.c.position)
            ).all()
            return _article(rows[0], tuple(RemovedLine(text, reason) for reason, text in removed))

    # --- stories ---

    def set_stories(self, groups: Sequence[tuple[str, str, Sequence[Article]]]) -> list[str]:
        """Record the grouping of all stored articles into stories, (id, headline, articles) each, in one
        transaction; a story whose members did not change keeps its dossier. Returns the ids of stories
        that are new or changed.

        A grouping made this way (not by `save_grouping`) leaves the saved clusterer state behind: it is
        marked stale, and the next `update_stories` regroups every article once."""
        with self.engine.begin() as connection:
            self._lock_stories(connection)
            _state.forget(connection)  # the first write: SQLite takes its write lock here, before the reads of _write_groups
            changed = self._write_groups(connection, groups, complete=True)
        return changed

    def save_grouping(
        self, groups: Sequence[tuple[str, str, Sequence[Article]]], records: Iterable[dict[str, Any]], *,
        version: int, generation: int | None, complete: bool,
    ) -> list[str] | None:
        """Record stories and the clusterer state that made them (`StoryClusterer.to_records()`), in one
        transaction. Returns the ids of stories that are new or changed, or None, writing nothing, when
        the state is no longer at `generation` (None: when some state exists): another process saved
        meanwhile, so start again from `clustering()`.

        `complete`: `groups` hold every stored article and `records` are a whole state, both replacing
        what is stored (`set_stories`). Otherwise `groups` are the stories that changed: any other story
        that held one of their articles is removed (merged, renamed); `records` are the state loaded by
        `clustering_records` plus what was clustered since (see `clustering.save`)."""
        with self.engine.begin() as connection:
            self._lock_stories(connection)
            if not _state.claim(connection, generation):  # the first write: SQLite takes its write lock here
                return None
            changed = self._write_groups(connection, groups, complete=complete)
            _state.save(connection, records, version=version, complete=complete)
        return changed

    def save_edit(
        self, edit: StoryEdit, groups: Sequence[tuple[str, str, Sequence[Article]]], records: Iterable[dict[str, Any]] | None, *,
        version: int, generation: int | None,
    ) -> list[str] | None:
        """Record an editor's merge or split (`newsweave/edits.py`) with the stories it changed and, when
        the saved clusterer state was gone on from (`records`), that state: one transaction. `groups` are
        the stories it made; the stories that held their articles go. Returns the ids of the stories made,
        or None, writing nothing, when another process saved since `generation`."""
        with self.engine.begin() as connection:
            self._lock_stories(connection)
            if generation is not None and not _state.claim(connection, generation):
                return None
            changed = self._write_groups(connection, groups, complete=False)
            if records is not None:
                _state.save(connection, records, version=version, complete=False)
            connection.execute(story_edits.insert().values(
                kind=edit.kind, articles=list(edit.articles), rest=list(edit.rest), before=list(edit.before),
                after=list(edit.after), reason=edit.reason, made_at=edit.made_at or datetime.now(timezone.utc),
            ))
        return changed

    def successor(self, story_id: str) -> str | None:
        """The story that now holds what story `story_id` held, when that id is no longer a story (so old links
        lead somewhere): after an editor's merge or split, the story its articles went to; after the story
        was renamed (an older article joined it) or regrouped away, the one holding the article most of its
        articles went on with. None when no edit or alias names it, or its articles are gone."""
        with self.engine.connect() as connection:
            for row in connection.execute(select(story_edits).order_by(story_edits.c.id.desc())).mappings():
                if story_id in row["before"]:
                    for article_id in (row["rest"] or row["articles"]):  # a split: what stayed; a merge: the merged story
                        found = connection.execute(select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)).scalar()
                        if found is not None and found != story_id:
                            return found
            found = connection.execute(
                select(story_articles.c.story_id).join(story_aliases, story_aliases.c.article_id == story_articles.c.article_id)
                .where(story_aliases.c.story_id == story_id)
            ).scalar()
        return found if found != story_id else None

    def story_edits(self) -> list[StoryEdit]:
        """Every editor's merge and split, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(story_edits).order_by(story_edits.c.id)).mappings().all()
        return [StoryEdit(r["kind"], tuple(r["articles"]), tuple(r["rest"]), tuple(r["before"]), tuple(r["after"]), r["reason"],
                          r["made_at"]) for r in rows]

    def _write_groups(self, connection, groups: Sequence[tuple[str, str, Sequence[Article]]], *, complete: bool) -> list[str]:  # noqa: ANN001
        now = datetime.now(timezone.utc)
        changed: list[str] = []
        keep = {story_id for story_id, _, _ in groups}
        if complete:
            held = connection.execute(select(story_articles.c.story_id, story_articles.c.article_id)).all()
            connection.execute(delete(story_articles))
            old = dict(connection.execute(select(stories.c.id, stories.c.members_hash)).all())
            retired = {story for story, _ in held if story not in keep}
            connection.execute(delete(stories).where(stories.c.id.not_in(keep)) if keep else delete(stories))
        else:
            members = [a.id for _, _, group in groups for a in group]
            before: set[str] = set()  # the stories that held these articles: replaced by `groups`
            for ids in chunks(members):
                before.update(connection.execute(select(story_articles.c.story_id).where(story_articles.c.article_id.in_(ids))).scalars())
            held = []  # (story, article) for each of them, for the aliases of those that go
            for ids in chunks(before):
                held += connection.execute(select(story_articles.c.story_id, story_articles.c.article_id)
                                           .where(story_articles.c.story_id.in_(ids))).all()
            for ids in chunks(members):
                connection.execute(delete(story_articles).where(story_articles.c.article_id.in_(ids)))
            old = {}
            for ids in chunks(keep | before):
                old.update(connection.execute(select(stories.c.id, stories.c.members_hash).where(stories.c.id.in_(ids))).all())
            retired = before - keep
            for ids in chunks(retired):
                connection.execute(delete(stories).where(stories.c.id.in_(ids)))
        self._alias(connection, retired, held, groups, now)
        for story_id, headline, members in groups:
            digest = members_hash(a.id for a in members)
            dates = sorted(a.published for a in members if a.published)
            values = dict(
                headline=headline, first_published=dates[0] if dates else None, last_published=dates[-1] if dates else None,
                article_count=len(members), outlet_count=len({a.outlet for a in members if a.outlet}),
                members_hash=digest, updated_at=now,
            )
            if story_id not in old:
                connection.execute(stories.insert().values(id=story_id, **values))
                changed.append(story_id)
            elif old[story_id] != digest:
                connection.execute(update(stories).where(stories.c.id == story_id).values(  # SQL NULL, not JSON null
                    dossier=null(), claim_count=None, conflict_count=None, independent_sources=None, **values))
                changed.append(story_id)
            if members:
                connection.execute(story_articles.insert(), [{"article_id": a.id, "story_id": story_id} for a in members])
        return changed

    def _alias(self, connection, retired: set[str], held: Sequence[tuple[str, str]],  # noqa: ANN001
               groups: Sequence[tuple[str, str, Sequence[Article]]], now: datetime) -> None:
        """Remember each retired story id by the article of it that went where most of its articles went,
        and forget the aliases of ids that are stories again."""
        if retired:
            story_now = {a.id: story_id for story_id, _, members in groups for a in members}
            went: dict[str, list[str]] = {}
            for story, article in held:
                if story in retired:
                    went.setdefault(story, []).append(article)
            rows = []
            for story, articles_held in went.items():
                counts = Counter(story_now.get(a) for a in articles_held if a in story_now)
                target = counts.most_common(1)[0][0] if counts else None
                article = next((a for a in sorted(articles_held) if story_now.get(a) == target), min(articles_held))
                rows.append({"story_id": story, "article_id": article, "retired_at": now})
            for part in chunks(rows):
                connection.execute(delete(story_aliases).where(story_aliases.c.story_id.in_([r["story_id"] for r in part])))
                connection.execute(story_aliases.insert(), part)
        for ids in chunks([story_id for story_id, _, _ in groups]):
            connection.execute(delete(story_aliases).where(story_aliases.c.story_id.in_(ids)))

    def _lock_stories(self, connection) -> None:  # noqa: ANN001 - a SQLAlchemy Connection
        """One regrouping at a time: on PostgreSQL a transaction-scoped advisory lock (two `ingest` or
        `analyze` processes on one server queue here); SQLite's single writer lock does the same."""
        if self.engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({STORIES_LOCK})")

    def save_dossier(self, story_id: str, dossier: dict[str, Any]) -> None:
        """Keep a story's JSON dossier (one story of the public format) and its counts."""
        with self.engine.begin() as connection:
            connection.execute(update(stories).where(stories.c.id == story_id).values(
                dossier=dossier, headline=dossier.get("headline") or "", claim_count=len(dossier.get("claims", ())),
                conflict_count=len(dossier.get("conflicts", ())), independent_sources=dossier.get("independent_sources"),
            ))

    def dossier(self, story_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            return connection.execute(select(stories.c.dossier).where(stories.c.id == story_id)).scalar()

    def stories(self, *, limit: int | None = None, offset: int = 0) -> list[StorySummary]:
        """Stories, latest coverage first."""
        query = (
            select(stories.c.id, stories.c.headline, stories.c.first_published, stories.c.last_published, stories.c.article_count,
                   stories.c.outlet_count, stories.c.claim_count, stories.c.conflict_count, stories.c.independent_sources)
            .order_by(stories.c.last_published.desc().nulls_last(), stories.c.id)
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [StorySummary(*row) for row in connection.execute(query).all()]

    def story(self, id_or_prefix: str) -> StorySummary | None:
        """One story by id or unique prefix; raises StoreError when the prefix is ambiguous."""
        columns = (stories.c.id, stories.c.headline, stories.c.first_published, stories.c.last_published, stories.c.article_count,
                   stories.c.outlet_count, stories.c.claim_count, stories.c.conflict_count, stories.c.independent_sources)
        with self.engine.connect() as connection:
            rows = connection.execute(select(*columns).where(stories.c.id == id_or_prefix)).all() or connection.execute(
                select(*columns).where(stories.c.id >= id_or_prefix, stories.c.id < id_or_prefix + "\uffff").limit(2)
            ).all()
        if len(rows) > 1:
            raise AmbiguousIdError(f"story id {id_or_prefix!r} is ambiguous; give more characters")
        return StorySummary(*rows[0]) if rows else None

    def story_articles(self, story_id: str) -> list[Article]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(articles).join(story_articles, story_articles.c.article_id == articles.c.id)
                .where(story_articles.c.story_id == story_id).order_by(articles.c.published.nulls_last(), articles.c.id)
            ).mappings().all()
        return [_article(row, self._removed(row["id"])) for row in rows]

    def story_of(self, article_id: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(select(story_articles.c.story_id).where(story_articles.c.article_id == article_id)).scalar()

    def all_articles(self) -> list[Article]:
        """Every stored article with its removed lines (for grouping and analysis)."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(articles).order_by(articles.c.id)).mappings().all()
            removed: dict[str, list[RemovedLine]] = {}
            for article_id, reason, text in connection.execute(
                select(removed_lines.c.article_id, removed_lines.c.reason, removed_lines.c.text).order_by(removed_lines.c.article_id, removed_lines.c.position)
            ):
                removed.setdefault(article_id, []).append(RemovedLine(text, reason))
        return [_article(row, tuple(removed.get(row["id"], ()))) for row in rows]

    def unclustered_articles(self) -> list[Article]:
        """Stored articles in no story yet (what the next `update_stories` clusters), with their removed lines."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(articles).outerjoin(story_articles, story_articles.c.article_id == articles.c.id)
                .where(story_articles.c.article_id.is_(None)).order_by(articles.c.id)
            ).mappings().all()
            return self._with_removed(connection, rows)

    def articles_by_id(self, ids: Iterable[str]) -> list[Article]:
        """The stored articles of these ids (unknown ones left out), with their removed lines."""
        with self.engine.connect() as connection:
            rows = [row for chunk in chunks(dict.fromkeys(ids)) for row in
                    connection.execute(select(articles).where(articles.c.id.in_(chunk))).mappings().all()]
            return self._with_removed(connection, rows)

    def _with_removed(self, connection, rows: Sequence) -> list[Article]:  # noqa: ANN001 - a Connection, row mappings
        removed: dict[str, list[RemovedLine]] = {}
        for chunk in chunks(row["id"] for row in rows):
            for article_id, reason, text in connection.execute(
                select(removed_lines.c.article_id, removed_lines.c.reason, removed_lines.c.text)
                .where(removed_lines.c.article_id.in_(chunk)).order_by(removed_lines.c.article_id, removed_lines.c.position)
            ):
                removed.setdefault(article_id, []).append(RemovedLine(text, reason))
        return [_article(row, tuple(removed.get(row["id"], ()))) for row in rows]

    # --- search and filtered listing (see search.py) ---

    def search_backend(self) -> search.SearchBackend:
        """The full-text search this database has: SQLite FTS5 or PostgreSQL's where the migrations built it, else
        substrings. A caller that searches often (the web app) asks once and passes it to the calls below."""
        return search.backend_for(self.engine)

    def find_stories(self, where: search.StoryFilter = search.StoryFilter(), *, limit: int = 50, offset: int = 0,
                     backend: search.SearchBackend | None = None) -> search.StoryPage:
        """Stories matching `where` (a search, an outlet, a date range), latest coverage first, one page of them."""
        return search.find_stories(self.engine, where, limit=limit, offset=offset, backend=backend)

    def search_articles(self, query: str, *, limit: int = 50, backend: search.SearchBackend | None = None) -> list[str]:
        """Ids of the articles matching a reader's query (best first on FTS5)."""
        return search.search_articles(self.engine, query, limit=limit, backend=backend)

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet in the store with its number of articles, by name."""
        return search.outlets(self.engine)

    def stories_without_dossier(self) -> list[str]:
        """Ids of the stories whose dossier is to be built: new or changed since, or left unbuilt by a crash."""
        with self.engine.connect() as connection:
            # claim_count is written with the dossier and cleared with it; a store made before migration 0006
            # cleared the dossier to a JSON null, which IS NULL does not see (and reading every dossier would)
            unbuilt = or_(stories.c.dossier.is_(None), stories.c.claim_count.is_(None))
            return list(connection.execute(select(stories.c.id).where(unbuilt).order_by(stories.c.id)).scalars())

    # --- the story clusterer's saved state (see clustering.py) ---

    def clustering(self) -> SavedClustering | None:
        """The head of the saved clusterer state (version, settings, newest date, counts), or None if none."""
        with self.engine.connect() as connection:
            return _state.load_head(connection)

    def clustering_records(self, terms: Iterable[str], generation: int) -> list[dict[str, Any]] | None:
        """The saved state as records for `StoryClusterer.from_records`, with the document frequencies of
        `terms` only; None when another process saved since `generation` (start again from `clustering()`)."""
        with self.engine.connect() as connection:
            return _state.load_records(connection, terms, generation)

    def _removed(self, article_id: str) -> tuple[RemovedLine, ...]:
        with self.engine.connect() as connection:
            return tuple(RemovedLine(text, reason) for reason, text in connection.execute(
                select(removed_lines.c.reason, removed_lines.c.text).where(removed_lines.c.article_id == article_id).order_by(removed_lines.c.position)
            ))

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
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # first: turning a new file to WAL takes its lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
