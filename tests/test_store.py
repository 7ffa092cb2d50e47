from dataclasses import replace
from datetime import date

import json
import subprocess
import sys
import time

import pytest
from sqlalchemy import inspect, select, text

from newsweave import Article, StoreError, article_id, open_store
from newsweave.stories import ClusterSettings, StoryClusterer
from newsweave.stories.features import features
from newsweave.model import StoryEdit
from newsweave.store import schema
from newsweave.store.clustering import term_key

from .conftest import make_article


def test_schema_is_migrated_to_the_newest_numbered_revision(any_store):
    from newsweave.store.sql import MIGRATIONS, NEWEST_MIGRATION

    numbers = sorted(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert numbers == [f"{n:04d}" for n in range(1, len(numbers) + 1)]  # numbered, none missing
    assert any_store.schema_version() == any_store.newest_version() == numbers[-1] == NEWEST_MIGRATION
    with any_store.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == numbers[-1]


def test_schema_py_describes_the_tables_the_migrations_build(any_store):
    tables = inspect(any_store.engine)
    for table in schema.metadata.sorted_tables:  # the database may hold more (PostgreSQL's search column)
        assert {c["name"] for c in tables.get_columns(table.name)} >= {c.name for c in table.columns}, table.name


# A process that opens a store the moment a `go` file appears beside it, so that several open it at once
OPEN_ON_GO = """
import sys, time
from pathlib import Path
from newsweave import open_store
db = Path(sys.argv[1])
(db.parent / f"ready-{sys.argv[2]}").touch()
while not (db.parent / "go").exists():
    time.sleep(0.001)
store = open_store(str(db))
print(store.schema_version())
store.close()
"""


def test_processes_opening_one_new_sqlite_store_at_once_migrate_it_once_and_leave_no_lock_file(tmp_path):
    folder = tmp_path / "stores"
    folder.mkdir()
    db = folder / "new.db"
    runs = [subprocess.Popen([sys.executable, "-c", OPEN_ON_GO, str(db), str(n)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for n in range(6)]
    deadline = time.monotonic() + 120
    while len(list(folder.glob("ready-*"))) < len(runs) and time.monotonic() < deadline:
        time.sleep(0.01)
    (folder / "go").touch()
    outputs = [run.communicate(timeout=120) for run in runs]
    store = open_store(str(db))
    newest = store.newest_version()
    assert store.schema_version() == newest and store.count() == 0
    store.close()
    opened = [(run.returncode, stdout.strip()) for run, (stdout, _) in zip(runs, outputs)]
    assert opened == [(0, newest)] * len(runs), outputs
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith("ready-")) == ["go", "new.db"]


def test_a_store_opened_and_closed_leaves_only_its_database_file(tmp_path):
    open_store(str(tmp_path / "n.db")).close()
    open_store(str(tmp_path / "n.db")).close()
    assert [p.name for p in tmp_path.iterdir()] == ["n.db"]


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
    assert any_store.stories_without_dossier() == []
    assert any_store.set_stories([("s1", "Story one", [a, b])]) == ["s1"]  # grown: the dossier is stale
    assert any_store.dossier("s1") is None and any_store.stories_without_dossier() == ["s1"]
    assert {x.id for x in any_store.story_articles("s1")} == {a.id, b.id} and any_store.story_of(b.id) == "s1"
    assert [s.id for s in any_store.stories()] == ["s1"] and any_store.story("s").id == "s1"


def test_full_text_search_finds_words_phrases_and_prefixes(any_store):
    jets = make_article("Venezuela moved Su-30MK2 fighter jets toward the Caribbean coast.", title="Jets move")
    quake = make_article("A magnitude 6.3 earthquake struck the Ecuadorian Andes.", title="Quake")
    any_store.add(jets)
    any_store.add(quake)
    expected = {"sqlite": "sqlite-fts5", "postgresql": "postgresql-fts"}[any_store.engine.dialect.name]
    assert any_store.search_backend().name == expected
    assert any_store.search_articles("caribbean jets") == [jets.id]
    assert any_store.search_articles('"magnitude 6.3"') == [quake.id]
    assert any_store.search_articles("earthq*") == [quake.id]
    assert any_store.search_articles("tsunami") == []


def test_the_same_input_cleaned_differently_twice_is_stored_once(any_store):
    """Residue learned in another batch can change an input's clean text (and id); its bytes decide."""
    first = make_article("Story text. The Ledger masthead line.")
    second = make_article("Story text.", raw_hash=first.raw_hash, source="again.txt")
    assert (any_store.add(first), any_store.add(second)) == ("added", "known")
    assert any_store.count() == 1 and any_store.sources(first.id) == ["a.txt", "again.txt"]
    assert any_store.known_raw(first.raw_hash) == first.id


def test_articles_in_no_story_yet_come_with_their_removed_lines(any_store):
    a, b = make_article("First story text here."), make_article("Second story text here.")
    any_store.add(a)
    any_store.add(b)
    any_store.set_stories([("s1", "Story one", [a])])
    assert [(x.id, x.removed) for x in any_store.unclustered_articles()] == [(b.id, b.removed)]
    assert sorted((x.id, x.removed) for x in any_store.articles_by_id([b.id, "0" * 16, a.id, b.id])) == sorted(
        [(a.id, a.removed), (b.id, b.removed)])


# --- the story clusterer's saved state ------------------------------------------------------------------------------

FERRY = make_article("The harbour ferry to Alder Island stops in December, the transport board said on Monday.", title="Ferry to stop")
FERRY_AGAIN = make_article(
    "The Alder Island harbour ferry will stop running in December, the transport board said.", outlet="The Courier",
    published=date(2025, 11, 2), title="Alder Island ferry to end",
)
QUAKE = make_article(
    "A magnitude 6.1 earthquake struck Chimborazo province in Ecuador late on Tuesday, the geophysics institute said.",
    outlet="Andes Daily", published=date(2026, 1, 10), title="Quake in Ecuador",
)


def clustered(*articles: Article, clusterer: StoryClusterer | None = None):
    """The clusterer after taking these articles in order, and its stories that hold them as (id, headline, articles)."""
    clusterer = clusterer or StoryClusterer()
    feats = [features(a) for a in articles]
    clusterer.prime(feats)
    for f in feats:
        clusterer.add(f)
    stories = {clusterer.story_of(a.id) for a in articles}
    by_id = {a.id: a for a in articles}
    return clusterer, [(s.id, s.headline, [by_id[a] for a in s.articles]) for s in clusterer.stories().values() if s.id in stories]


def terms(*articles: Article) -> dict[str, int]:
    """The document frequencies these articles give, keyed as the clusterer keys them."""
    probe = StoryClusterer()
    probe.prime([features(a) for a in articles])
    return dict(probe.df)


def test_the_clusterer_state_round_trips_with_only_the_asked_document_frequencies(any_store):
    any_store.add(FERRY)
    any_store.add(FERRY_AGAIN)
    clusterer, groups = clustered(FERRY, FERRY_AGAIN)
    assert any_store.clustering() is None
    changed = any_store.save_grouping(groups, clusterer.to_records(), version=1, generation=None, complete=True)
    assert sorted(changed) == sorted(story_id for story_id, _, _ in groups)
    head = any_store.clustering()
    assert (head.version, head.settings, head.latest, head.articles, head.grouped, head.generation) == (
        1, ClusterSettings().to_record(), date(2025, 11, 2), 2, 2, 1)
    again = StoryClusterer.from_records(any_store.clustering_records(clusterer.df, head.generation))
    assert again.to_records() == json.loads(json.dumps(clusterer.to_records()))
    term = next(iter(clusterer.df))
    state = any_store.clustering_records([term, "wnever-seen"], head.generation)[0]
    assert state["type"] == "state" and state["df"] == {term: clusterer.df[term]}
    assert any_store.clustering_records([term], head.generation - 1) is None  # it has moved on since


def test_a_save_from_a_generation_that_is_gone_is_refused_and_writes_nothing(any_store):
    any_store.add(FERRY)
    clusterer, groups = clustered(FERRY)
    empty = StoryClusterer().to_records()
    assert any_store.save_grouping(groups, clusterer.to_records(), version=1, generation=None, complete=True) == [groups[0][0]]
    assert any_store.save_grouping([], empty, version=1, generation=None, complete=True) is None  # another process saved first
    assert any_store.save_grouping([], empty, version=1, generation=0, complete=True) is None
    assert [s.id for s in any_store.stories()] == [groups[0][0]] and any_store.clustering().generation == 1


def test_a_save_after_an_ingest_keeps_the_open_window_in_the_state_and_every_story_in_stories(any_store):
    any_store.add(FERRY)
    clusterer, ferry = clustered(FERRY)
    any_store.save_grouping(ferry, clusterer.to_records(), version=1, generation=None, complete=True)
    any_store.add(QUAKE)  # two months on: the ferry story closes as the quake comes in
    head = any_store.clustering()
    resumed = StoryClusterer.from_records(any_store.clustering_records(terms(QUAKE), head.generation))
    resumed, quake = clustered(QUAKE, clusterer=resumed)
    assert any_store.save_grouping(quake, resumed.to_records(), version=1, generation=head.generation, complete=False) == [quake[0][0]]
    assert sorted(s.id for s in any_store.stories()) == sorted([ferry[0][0], quake[0][0]])
    assert [a.id for a in any_store.story_articles(ferry[0][0])] == [FERRY.id]
    with any_store.engine.connect() as connection:
        assert connection.execute(select(schema.cluster_stories.c.id)).scalars().all() == [quake[0][0]]
        assert connection.execute(select(schema.cluster_members.c.article_id)).scalars().all() == [QUAKE.id]
    head = any_store.clustering()
    assert (head.generation, head.articles, head.grouped, head.latest) == (2, 2, 2, date(2026, 1, 10))
    state = any_store.clustering_records(terms(FERRY, QUAKE), head.generation)[0]
    assert state["n_docs"] == 2 and state["df"] == terms(FERRY, QUAKE)  # each ingest's terms added up


def test_stories_grouped_without_the_clusterer_mark_its_saved_state_stale(any_store):
    any_store.add(FERRY)
    clusterer, groups = clustered(FERRY)
    any_store.save_grouping(groups, clusterer.to_records(), version=1, generation=None, complete=True)
    any_store.set_stories(groups)  # as `newsweave batch` records stories
    head = any_store.clustering()
    assert head.version is None and head.generation == 2


# --- closed stories a follow-up may reopen (records by hand: the format of `StoryClusterer.to_records()`) ----------

def state_record(now: str, follow_up_days: int | None = 30) -> dict:
    """A saved state's head: the store reads the follow-up limits in its settings (it imports no clusterer)."""
    settings = {"follow_up_days": follow_up_days, "follow_up_max_bucket": ClusterSettings().follow_up_max_bucket}
    return {"type": "state", "settings": settings, "n_docs": 3, "now": now, "df": {}}


def profile(*names: str) -> dict:
    return {"vectors": {"w": [["ferry", 0.8]], "n": [["n" + n, 0.5] for n in names], "u": [], "l": []},
            "dates": ["2025-11-01"], "bands": None, "names": list(names)}


def closed_story(article: Article, *names: str, seq: int = 0) -> dict:
    """A story that closed with a profile: a later article naming one of `names` may reopen it."""
    return {"type": "story", "id": article.id, "seq": seq, "headline": article.title, "entities": [], "terms": [],
            "first": article.published.isoformat(), "last": article.published.isoformat(), "articles": [article.id],
            "open": False, "pinned": False, "kept": profile(*names)}


def profiles(store) -> tuple[list[str], list[tuple[str, str]]]:
    """The story ids in `cluster_closed`, and the (key, story id) rows of `cluster_closed_names`."""
    with store.engine.connect() as connection:
        return (sorted(connection.execute(select(schema.cluster_closed.c.story_id)).scalars()),
                sorted(connection.execute(select(schema.cluster_closed_names.c.key, schema.cluster_closed_names.c.story_id)).all()))


def save_ferry_closed(store) -> dict:
    """The ferry story, closed with a profile named "Alder Island", saved as a whole state on 20 November."""
    store.add(FERRY)
    ferry = closed_story(FERRY, "Alder Island", "Ana Ribeiro")
    assert store.save_grouping([(FERRY.id, FERRY.title, [FERRY])], [state_record("2025-11-20"), ferry], version=1,
                               generation=None, complete=True) == [FERRY.id]
    return ferry


def test_a_closed_storys_profile_is_loaded_only_for_articles_that_name_it(any_store):
    ferry = save_ferry_closed(any_store)
    generation = any_store.clustering().generation
    records = any_store.clustering_records(["nAlder Island", "wharbour"], generation)
    assert [r["type"] for r in records] == ["state", "story"] and records[1] == ferry
    assert any_store.clustering_records(["nEcuador", "wAlder Island"], generation)[1:] == []  # another name; a word, not a name
    assert profiles(any_store) == ([FERRY.id], sorted([(term_key("nAlder Island"), FERRY.id), (term_key("nAna Ribeiro"), FERRY.id)]))
    # an ingest hands back what it loaded: the profile is stored once, as it was
    assert any_store.save_grouping([], records, version=1, generation=generation, complete=False) == []
    assert profiles(any_store)[0] == [FERRY.id] and len(profiles(any_store)[1]) == 2


def test_a_profile_past_its_follow_up_days_is_dropped(any_store):
    save_ferry_closed(any_store)  # last coverage 1 November, 30 follow-up days
    any_store.add(QUAKE)
    generation = any_store.clustering().generation
    quake = closed_story(QUAKE, "Ecuador", seq=1)
    any_store.save_grouping([(QUAKE.id, QUAKE.title, [QUAKE])], [state_record("2026-01-10"), quake], version=1,
                            generation=generation, complete=False)
    assert profiles(any_store) == ([QUAKE.id], [(term_key("nEcuador"), QUAKE.id)])
    assert any_store.clustering_records(["nAlder Island"], generation + 1)[1:] == []
    # follow-ups turned off: every profile goes
    any_store.save_grouping([], [state_record("2026-01-10", follow_up_days=None)], version=1, generation=generation + 1,
                            complete=False)
    assert profiles(any_store) == ([], [])


def test_a_reopened_storys_profile_goes(any_store):
    ferry = save_ferry_closed(any_store)
    any_store.add(FERRY_AGAIN)
    generation = any_store.clustering().generation
    reopened = {**ferry, "open": True, "articles": [FERRY.id, FERRY_AGAIN.id], "last": "2025-11-02",
                "seed": {**ferry["kept"], "held": [FERRY.id]}}
    del reopened["kept"]
    member = {"type": "article", "id": FERRY_AGAIN.id, "story": FERRY.id, "vectors": {}}
    any_store.save_grouping([(FERRY.id, FERRY.title, [FERRY, FERRY_AGAIN])], [state_record("2025-11-21"), reopened, member],
                            version=1, generation=generation, complete=False)
    assert profiles(any_store) == ([], [])
    assert any_store.clustering_records(["nAlder Island"], generation + 1)[1:] == [reopened, member]  # open, not closed


def test_a_profile_whose_story_changed_since_is_stale_and_not_loaded(any_store):
    save_ferry_closed(any_store)
    any_store.add(FERRY_AGAIN)
    merge = StoryEdit("merge", (FERRY.id, FERRY_AGAIN.id), before=(FERRY.id,), after=(FERRY.id,), reason="same ferry")
    any_store.save_edit(merge, [(FERRY.id, FERRY.title, [FERRY, FERRY_AGAIN])], None, version=1, generation=None)
    assert profiles(any_store)[0] == [FERRY.id]  # still stored, but its story holds other articles now
    assert any_store.clustering_records(["nAlder Island"], any_store.clustering().generation)[1:] == []


def test_a_complete_save_replaces_every_profile(any_store):
    save_ferry_closed(any_store)
    any_store.add(QUAKE)
    quake = closed_story(QUAKE, "Ecuador")
    any_store.save_grouping([(FERRY.id, FERRY.title, [FERRY]), (QUAKE.id, QUAKE.title, [QUAKE])], [state_record("2026-01-10"), quake],
                            version=1, generation=any_store.clustering().generation, complete=True)
    assert profiles(any_store) == ([QUAKE.id], [(term_key("nEcuador"), QUAKE.id)])


def test_a_name_too_many_profiles_share_looks_none_up_and_the_clusterer_is_told_to_pass_over_it(any_store):
    limit = ClusterSettings().follow_up_max_bucket
    shootings = [make_article(f"Shooting number {i} in Chicago.", title=f"Shooting {i}") for i in range(limit + 1)]
    records = [state_record("2025-11-20")] + [closed_story(a, "Chicago", f"Victim {i}", seq=i) for i, a in enumerate(shootings)]
    for a in shootings:
        any_store.add(a)
    any_store.save_grouping([(a.id, a.title, [a]) for a in shootings], records, version=1, generation=None, complete=True)
    generation = any_store.clustering().generation
    state, *closed = any_store.clustering_records(["nChicago", "nVictim 3"], generation)
    assert state["common_names"] == ["Chicago"] and [r["id"] for r in closed] == [shootings[3].id]
    assert StoryClusterer.from_records([state, *closed]).passed_over() == {"Chicago"}


def test_the_limit_on_shared_names_is_the_one_in_the_saved_settings(any_store):
    shootings = [make_article(f"Shooting number {i} in Chicago.", title=f"Shooting {i}") for i in range(3)]
    state = state_record("2025-11-20")
    state["settings"]["follow_up_max_bucket"] = 2  # the clusterer's setting, saved with its state: the store has no other
    for a in shootings:
        any_store.add(a)
    any_store.save_grouping([(a.id, a.title, [a]) for a in shootings], [state] + [closed_story(a, "Chicago", seq=i) for i, a in enumerate(shootings)],
                            version=1, generation=None, complete=True)
    loaded, *closed = any_store.clustering_records(["nChicago"], any_store.clustering().generation)
    assert loaded["common_names"] == ["Chicago"] and closed == []
    clusterer = StoryClusterer.from_records([loaded, *closed])
    assert clusterer.settings.follow_up_max_bucket == 2 and clusterer.passed_over() == {"Chicago"}
