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
        headings=(), dateline=None, removed=(RemovedLine("Advertisement", "ad placeholder"),),
        raw_hash="raw:" + article_id(fields.get("outlet", "The Ledger"), body),  # as if read from its own bytes
    )
    values.update(fields)
    return Article(**values)


def test_schema_is_migrated_to_the_newest_numbered_revision(any_store):
    from newsweave.store.sql import MIGRATIONS

    numbers = sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert numbers == [f"{n:04d}" for n in range(1, len(numbers) + 1)]  # numbered, none missing
    assert any_store.schema_version() == any_store.newest_version() == numbers[-1]
    with any_store.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == numbers[-1]


def test_sqlite_store_runs_in_wal_mode(store):
    with store.engine.connect() as connection:
        assert connection.execute(text("pragma journal_mode")).scalar() == "wal"


def test_reopening_a_store_keeps_its_articles(db_url):
    first = open_store(db_url)
    first.add(make_article())
    first.close()
    again = open_store(db_url)
    assert again.count() == 1 and again.schema_version() == again.newest_version()
    again.close()


def test_adding_the_same_article_twice_stores_it_once_and_records_both_sources(any_store):
    article = make_article()
    assert any_store.add(article) == "added"
    assert any_store.add(replace(article, source="copy-of-a.txt")) == "known"
    assert any_store.count() == 1
    assert any_store.sources(article.id) == ["a.txt", "copy-of-a.txt"]


def test_article_round_trips_with_its_removed_lines(any_store):
    article = make_article(headings=("What next",), text="The ferry stops.\n\nWhat next\n\nA sale follows, officials said.")
    article = replace(article, id=article_id(article.outlet, article.text))
    any_store.add(article)
    loaded = any_store.article(article.id)
    assert replace(loaded, raw_hash=article.raw_hash) == article


def test_article_by_unique_prefix_and_ambiguous_prefix(any_store):
    a, b = make_article("First story text here."), make_article("Second story text here.")
    any_store.add(a)
    any_store.add(b)
    assert any_store.article(a.id[:8]).id == a.id
    with pytest.raises(StoreError, match="ambiguous"):
        any_store.article("")  # matches both
    assert any_store.article("zzzz") is None


def test_a_failure_mid_write_leaves_no_half_written_article(any_store, monkeypatch):
    good = make_article("A good article, stored first.")
    any_store.add(good)
    broken = make_article("This one fails while its removed lines are written.")

    original = schema.removed_lines.insert

    class Boom(Exception):
        pass

    def failing_insert():
        raise Boom("disk full")

    monkeypatch.setattr(schema.removed_lines, "insert", failing_insert)
    with pytest.raises(Boom):
        any_store.add(broken)
    monkeypatch.setattr(schema.removed_lines, "insert", original)
    assert any_store.article(broken.id) is None
    assert any_store.count() == 1 and any_store.article(good.id) is not None
    assert any_store.add(broken) == "added"


def test_articles_are_listed_newest_first_and_filter_by_outlet(any_store):
    any_store.add(make_article("Old story.", published=date(2025, 1, 1)))
    any_store.add(make_article("New story.", published=date(2025, 6, 1)))
    any_store.add(make_article("Other outlet story.", outlet="Other", published=date(2025, 3, 1)))
    assert [a.text for a in any_store.articles()] == ["New story.", "Other outlet story.", "Old story."]
    assert [a.text for a in any_store.articles(outlet="Other")] == ["Other outlet story."]
    assert [a.text for a in any_store.articles(limit=1, offset=1)] == ["Other outlet story."]


def test_store_path_in_a_missing_folder_says_so(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "n.db"))


def test_stories_keep_their_dossier_until_their_members_change(any_store):
    a, b = make_article("First story text here."), make_article("Second story text here.")
    any_store.add(a)
    any_store.add(b)
    assert any_store.set_stories([("s1", "Story one", [a])]) == ["s1"]
    any_store.save_dossier("s1", {"headline": "Story one", "claims": [{}], "conflicts": [], "independent_sources": 1})
    assert any_store.set_stories([("s1", "Story one", [a])]) == []  # unchanged: the dossier stays
    assert any_store.dossier("s1")["independent_sources"] == 1
    assert any_store.set_stories([("s1", "Story one", [a, b])]) == ["s1"]  # grown: the dossier is stale
    assert any_store.dossier("s1") is None
    assert {x.id for x in any_store.story_articles("s1")} == {a.id, b.id} and any_store.story_of(b.id) == "s1"
    assert [s.id for s in any_store.stories()] == ["s1"] and any_store.story("s").id == "s1"


def test_full_text_search_finds_words_phrases_and_prefixes(any_store):
    from newsweave.store.search import backend_for, search_articles

    jets = make_article("Venezuela moved Su-30MK2 fighter jets toward the Caribbean coast.", title="Jets move")
    quake = make_article("A magnitude 6.3 earthquake struck the Ecuadorian Andes.", title="Quake")
    any_store.add(jets)
    any_store.add(quake)
    expected = {"sqlite": "sqlite-fts5", "postgresql": "postgresql-fts"}[any_store.engine.dialect.name]
    assert backend_for(any_store.engine).name == expected
    assert search_articles(any_store.engine, "caribbean jets") == [jets.id]
    assert search_articles(any_store.engine, '"magnitude 6.3"') == [quake.id]
    assert search_articles(any_store.engine, "earthq*") == [quake.id]
    assert search_articles(any_store.engine, "tsunami") == []


def test_the_same_input_cleaned_differently_twice_is_stored_once(any_store):
    """Residue learned in another batch can change an input's clean text (and id); its bytes decide."""
    first = make_article("Story text. The Ledger masthead line.")
    second = make_article("Story text.", raw_hash=first.raw_hash, source="again.txt")
    assert (any_store.add(first), any_store.add(second)) == ("added", "known")
    assert any_store.count() == 1 and any_store.sources(first.id) == ["a.txt", "again.txt"]
    assert any_store.known_raw(first.raw_hash) == first.id
