from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text

from newsweave import Article, RemovedLine, StoreError, article_id, open_store
from newsweave.store import schema


def make_article(body: str = "The ferry stops in December, officials said.", **fields) -> Article:
    values = dict(
        id=article_id(fields.get("outlet", "The Ledger"), body), source="a.txt", outlet="The Ledger", url=None,
        title="Ferry to stop", author="Ana Ribeiro", published=date(2025, 11, 1), language="en", text=body,
        headings=(), dateline=None, removed=(RemovedLine("Advertisement", "ad placeholder"),), raw_hash="h1",
    )
    values.update(fields)
    return Article(**values)


def test_schema_is_migrated_to_the_newest_numbered_revision(store):
    from newsweave.store.sql import MIGRATIONS

    numbers = sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert numbers == [f"{n:04d}" for n in range(1, len(numbers) + 1)]  # numbered, none missing
    assert store.schema_version() == store.newest_version() == numbers[-1]
    with store.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == numbers[-1]


def test_sqlite_store_runs_in_wal_mode(store):
    with store.engine.connect() as connection:
        assert connection.execute(text("pragma journal_mode")).scalar() == "wal"


def test_reopening_a_store_keeps_its_articles(tmp_path):
    path = str(tmp_path / "n.db")
    first = open_store(path)
    first.add(make_article())
    first.close()
    assert open_store(path).count() == 1


def test_adding_the_same_article_twice_stores_it_once_and_records_both_sources(store):
    article = make_article()
    assert store.add(article) == "added"
    assert store.add(replace(article, source="copy-of-a.txt")) == "known"
    assert store.count() == 1
    assert store.sources(article.id) == ["a.txt", "copy-of-a.txt"]


def test_article_round_trips_with_its_removed_lines(store):
    article = make_article(headings=("What next",), text="The ferry stops.\n\nWhat next\n\nA sale follows, officials said.")
    article = replace(article, id=article_id(article.outlet, article.text))
    store.add(article)
    loaded = store.article(article.id)
    assert replace(loaded, raw_hash=article.raw_hash) == article


def test_article_by_unique_prefix_and_ambiguous_prefix(store):
    a, b = make_article("First story text here."), make_article("Second story text here.")
    store.add(a)
    store.add(b)
    assert store.article(a.id[:8]).id == a.id
    with pytest.raises(StoreError, match="ambiguous"):
        store.article("")  # matches both
    assert store.article("zzzz") is None


def test_a_failure_mid_write_leaves_no_half_written_article(store, monkeypatch):
    good = make_article("A good article, stored first.")
    store.add(good)
    broken = make_article("This one fails while its removed lines are written.")

    original = schema.removed_lines.insert

    class Boom(Exception):
        pass

    def failing_insert():
        raise Boom("disk full")

    monkeypatch.setattr(schema.removed_lines, "insert", failing_insert)
    with pytest.raises(Boom):
        store.add(broken)
    monkeypatch.setattr(schema.removed_lines, "insert", original)
    assert store.article(broken.id) is None
    assert store.count() == 1 and store.article(good.id) is not None
    assert store.add(broken) == "added"


def test_articles_are_listed_newest_first_and_filter_by_outlet(store):
    store.add(make_article("Old story.", published=date(2025, 1, 1)))
    store.add(make_article("New story.", published=date(2025, 6, 1)))
    store.add(make_article("Other outlet story.", outlet="Other", published=date(2025, 3, 1)))
    assert [a.text for a in store.articles()] == ["New story.", "Other outlet story.", "Old story."]
    assert [a.text for a in store.articles(outlet="Other")] == ["Other outlet story."]
    assert [a.text for a in store.articles(limit=1, offset=1)] == ["Other outlet story."]


def test_store_path_in_a_missing_folder_says_so(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "n.db"))
