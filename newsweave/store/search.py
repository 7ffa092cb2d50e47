"""Full-text search and filtered listing of stories: SQL only, on an SQLAlchemy Engine or Connection. Callers outside
the store reach them through `SQLStore` (`find_stories`, `search_articles`, `outlets`, `search_backend`).

One backend per kind of database, chosen from the connection (`backend_for`):

- `SQLiteFTS5`: the `articles_fts` table that migration 0003 builds and its triggers keep in step;
- `Substring`: case-insensitive LIKE over titles and text, for any database (PostgreSQL until it has
  its own backend, an SQLite built without FTS5). Correct, but a scan.

A PostgreSQL backend is one more class with `matching_articles`: a `to_tsvector(...) @@
websearch_to_tsquery(...)` over a GIN index that its own migration creates, picked in `backend_for`.

What a reader types is never handed to a query language as is: `terms` splits it into words and
phrases, and each backend quotes them its own way, so `Su-30MK2` or a stray quote is not a syntax
error.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Iterator, Protocol

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    bindparam,
    column,
    func,
    inspect,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.sql import Select

from newsweave.store.schema import articles, stories, story_articles
from newsweave.store.common import StorySummary

FTS_TABLE = "articles_fts"
MAX_TERMS = 12  # a longer query is a paste, not a search: the first words are enough to find it
MAX_TERM_CHARS = 64

_FTS = table(FTS_TABLE, column("article_id"), column("rank"))  # built by migration 0003, not in schema.py: SQLite only
_WORD = re.compile(r"\w", re.UNICODE)
_TERM = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to find: a word, or a phrase (several words in a row); `prefix` when typed with `*`."""

    text: str
    prefix: bool = False


def terms(query: str) -> list[Term]:
    """A reader's query as terms, all of which must match: words, "quoted phrases", and word* prefixes.

    `Su-30MK2` is one term (a phrase of the tokens `su` and `30mk2` to FTS5); punctuation-only
    chunks are dropped.
    """
    found: list[Term] = []
    for phrase, word in _TERM.findall(query or ""):
        chunk = (phrase or word).strip()
        prefix = bool(word) and chunk.endswith("*")
        chunk = chunk.rstrip("*").replace('"', " ").strip()[:MAX_TERM_CHARS]
        if _WORD.search(chunk):
            found.append(Term(chunk, prefix))
        if len(found) == MAX_TERMS:
            break
    return found


def fts5_match(query: str) -> str | None:
    """An FTS5 MATCH expression for a reader's query, every term a quoted string; None when it has no words."""
    parts = ['"' + t.text.replace('"', '""') + '"' + ("*" if t.prefix else "") for t in terms(query)]
    return " AND ".join(parts) or None


class SearchBackend(Protocol):
    name: str

    def matching_articles(self, query: str) -> Select | None:
        """A SELECT of the ids of articles whose title or text matches (unordered), or None when the query has no words."""

    def ranked(self, matching: Select) -> Select:
        """The same SELECT, best match first."""


class SQLiteFTS5:
    name = "sqlite-fts5"

    def matching_articles(self, query: str) -> Select | None:
        expression = fts5_match(query)
        if expression is None:
            return None
        return select(_FTS.c.article_id).where(literal_column(FTS_TABLE).op("MATCH")(bindparam("fts_match", expression)))


    def ranked(self, matching: Select) -> Select:
        return matching.order_by(_FTS.c.rank)


class Substring:
    name = "substring"

    def ranked(self, matching: Select) -> Select:
        return matching.order_by(articles.c.published.desc().nulls_last(), articles.c.id)

    def matching_articles(self, query: str) -> Select | None:
        found = terms(query)
        if not found:
            return None
        conditions = []
        for term in found:
            pattern = "%" + term.text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(or_(
                func.lower(func.coalesce(articles.c.title, "")).like(pattern, escape="\\"),
                func.lower(articles.c.text).like(pattern, escape="\\"),
            ))
        return select(articles.c.id).where(and_(*conditions))


def tsquery(query: str):  # noqa: ANN201 - a SQLAlchemy expression
    """A PostgreSQL tsquery for a reader's query: every term must match; PostgreSQL's own parser reads
    each word or phrase (so "6.3" stays one token, as in the indexed text); `word*` is a prefix."""
    parts = []
    for term in terms(query):
        if term.prefix:
            lexeme = re.sub(r"\W+", "", term.text.split()[-1].lower())
            if lexeme:
                parts.append(func.to_tsquery("simple", lexeme + ":*"))
        else:
            parts.append(func.phraseto_tsquery("simple", term.text))
    if not parts:
        return None
    expression = parts[0]
    for part in parts[1:]:
        expression = expression.op("&&")(part)
    return expression


class PostgresFullText:
    """PostgreSQL's own full-text search over the `search` tsvector column (migration 0004)."""

    name = "postgresql-fts"

    def __init__(self) -> None:
        self._query = None  # the tsquery of the last `matching_articles`, for `ranked` to score by

    def matching_articles(self, query: str) -> Select | None:
        self._query = tsquery(query)
        if self._query is None:
            return None
        return select(articles.c.id).where(_SEARCH.op("@@")(self._query))

    def ranked(self, matching: Select) -> Select:
        return matching.order_by(func.ts_rank(_SEARCH, self._query).desc(), articles.c.id)


_SEARCH = literal_column("articles.search")  # the generated column of migration 0004: PostgreSQL only, not in schema.py


def backend_for(bind: Engine | Connection) -> SearchBackend:
    """The search backend for this database: SQLite FTS5 or PostgreSQL full-text where the migrations
    built them, else substrings."""
    with _connected(bind) as connection:
        if connection.dialect.name == "sqlite" and inspect(connection).has_table(FTS_TABLE):
            return SQLiteFTS5()
        if connection.dialect.name == "postgresql" and any(
            c["name"] == "search" for c in inspect(connection).get_columns("articles")
        ):
            return PostgresFullText()
    return Substring()


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Which stories to list: matching a search, covered by an outlet, and with coverage in a date range.

    A story is in the range [since, until] when any of its coverage is: last_published >= since and
    first_published <= until (an undated story is left out once a bound is set).
    """

    query: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One page of a story listing, and how many stories the whole listing holds."""

    total: int
    offset: int
    stories: list[StorySummary]


_SUMMARY_COLUMNS = (
    stories.c.id, stories.c.headline, stories.c.first_published, stories.c.last_published, stories.c.article_count,
    stories.c.outlet_count, stories.c.claim_count, stories.c.conflict_count, stories.c.independent_sources,
)


def find_stories(
    bind: Engine | Connection,
    where: StoryFilter = StoryFilter(),
    *,
    limit: int = 50,
    offset: int = 0,
    backend: SearchBackend | None = None,
) -> StoryPage:
    """Stories matching `where`, latest coverage first (as `SQLStore.stories` orders them), one page of them."""
    with _connected(bind) as connection:
        backend = backend or backend_for(connection)
        conditions = []
        # IN over uncorrelated subqueries: the search runs once, not once per story
        if where.query:
            matching = backend.matching_articles(where.query)
            if matching is not None:
                conditions.append(stories.c.id.in_(
                    select(story_articles.c.story_id).where(story_articles.c.article_id.in_(matching))
                ))
        if where.outlet:
            conditions.append(stories.c.id.in_(
                select(story_articles.c.story_id)
                .join(articles, articles.c.id == story_articles.c.article_id)
                .where(articles.c.outlet == where.outlet)
            ))
        if where.since:
            conditions.append(stories.c.last_published >= where.since)
        if where.until:
            conditions.append(stories.c.first_published <= where.until)
        total = connection.execute(select(func.count()).select_from(stories).where(*conditions)).scalar_one()
        rows = connection.execute(
            select(*_SUMMARY_COLUMNS).where(*conditions)
            .order_by(stories.c.last_published.desc().nulls_last(), stories.c.id)
            .limit(limit).offset(offset)
        ).all()
    return StoryPage(total=total, offset=offset, stories=[StorySummary(*row) for row in rows])


def search_articles(bind: Engine | Connection, query: str, *, limit: int = 50, backend: SearchBackend | None = None) -> list[str]:
    """Ids of the articles matching a reader's query (best first on FTS5)."""
    with _connected(bind) as connection:
        backend = backend or backend_for(connection)
        matching = backend.matching_articles(query)
        if matching is None:
            return []
        return list(connection.execute(backend.ranked(matching).limit(limit)).scalars())


def outlets(bind: Engine | Connection) -> list[tuple[str, int]]:
    """Every outlet in the store with its number of articles, by name."""
    with _connected(bind) as connection:
        return [
            (name, count) for name, count in connection.execute(
                select(articles.c.outlet, func.count()).where(articles.c.outlet.is_not(None))
                .group_by(articles.c.outlet).order_by(articles.c.outlet)
            ).all()
        ]


def rebuild_index(bind: Engine | Connection) -> int:
    """Refill the FTS5 table from `articles` (after a bulk load with the triggers dropped); returns the rows indexed."""
    with _connected(bind, write=True) as connection:
        if not isinstance(backend_for(connection), SQLiteFTS5):
            return 0
        connection.execute(text(f"DELETE FROM {FTS_TABLE}"))
        connection.execute(text(
            f"INSERT INTO {FTS_TABLE} (article_id, title, text) SELECT id, coalesce(title, ''), text FROM articles"))
        return connection.execute(text(f"SELECT count(*) FROM {FTS_TABLE}")).scalar_one()


@contextmanager
def _connected(bind: Engine | Connection, *, write: bool = False) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
    elif write:
        with bind.begin() as connection:
            yield connection
    else:
        with bind.connect() as connection:
            yield connection


__all__ = sorted([
    "FTS_TABLE", "SQLiteFTS5", "SearchBackend", "StoryFilter", "StoryPage", "Substring", "Term", "backend_for",
    "find_stories", "fts5_match", "outlets", "rebuild_index", "search_articles", "terms",
])
