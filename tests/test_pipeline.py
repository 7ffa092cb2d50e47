"""`update_stories`: each ingest clusters only its new articles, from the clusterer state the store saved, and
gives the stories (ids, members, dossiers) that grouping every article at once gives; it regroups everything
when that state cannot be gone on from."""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from sqlalchemy import delete, select

import newsweave.stories.features
from newsweave import clean_paths, open_store
from newsweave.errors import EditError
from newsweave.model import Article
from newsweave.outlets import coverage_order
from newsweave.pipeline import _stories  # regrouping: the features it computes, the state version it reads
from newsweave.pipeline import merge_stories, review_story, split_story, update_stories
from newsweave.store import schema
from newsweave.stories import JOIN_SCORE, ClusterSettings, StoryClusterer

from .conftest import ARREST, EXAMPLES, SHOOTING, dated_article


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    """The example corpus, cleaned once (cleaning per batch could change an article's text, and so its id)."""
    return [r for r in clean_paths([str(EXAMPLES / d) for d in ("text", "html", "feeds")]) if isinstance(r, Article)]


def stories(store) -> dict[str, tuple[list[str], str]]:
    """Every story: its member article ids and its dossier JSON, by story id."""
    return {
        s.id: (sorted(a.id for a in store.story_articles(s.id)), json.dumps(store.dossier(s.id), sort_keys=True))
        for s in store.stories()
    }


def add_all(store, articles) -> None:
    for article in articles:
        store.add(article)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory, answer_key):
    """The example corpus grouped in one go (no saved state yet: every article clustered at once)."""
    store = open_store(str(tmp_path_factory.mktemp("reference") / "n.db"))
    add_all(store, corpus)
    update_stories(store)
    found = stories(store)
    key = {a.id: a.source.removeprefix(f"{EXAMPLES}/") for a in corpus}
    assert sorted(sorted(key[a] for a in members) for members, _ in found.values()) == sorted(
        sorted(s["articles"]) for s in answer_key["stories"])
    assert all(dossier != "null" for _, dossier in found.values())
    store.close()
    return found


def by_date(corpus):
    ordered = sorted(corpus, key=coverage_order)
    return ordered[:11], ordered[11:]


def text_first(corpus):
    """The text folder, then the pages and feeds: the second ingest brings articles older than the first's."""
    text = [a for a in corpus if "/text/" in a.source]
    return text, [a for a in corpus if a not in text]


class Counting:
    """Counts the articles whose features are computed and the articles added to a clusterer."""

    def __init__(self, monkeypatch):
        self.features = 0
        self.added = 0
        real_features, real_add = _stories.features, StoryClusterer.add

        def features(article):
            self.features += 1
            return real_features(article)

        def add(clusterer, f):
            self.added += 1
            return real_add(clusterer, f)

        monkeypatch.setattr(_stories, "features", features)
        monkeypatch.setattr(StoryClusterer, "add", add)


@pytest.mark.parametrize("split", [by_date, text_first])
def test_two_ingests_give_the_stories_ids_and_dossiers_of_one(db_url, corpus, reference, split, caplog):
    first, second = split(corpus)
    store = open_store(db_url)
    add_all(store, first)
    update_stories(store)
    add_all(store, second)
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        update_stories(store)
    assert f"clustering {len(second)} new articles" in caplog.text and "regrouping" not in caplog.text
    assert stories(store) == reference
    store.close()


def test_the_second_ingest_clusters_only_its_new_articles(store, corpus, monkeypatch):
    first, second = by_date(corpus)
    add_all(store, first)
    update_stories(store)
    add_all(store, second)
    counted = Counting(monkeypatch)
    update_stories(store)
    assert (counted.features, counted.added) == (len(second), len(second))
    assert update_stories(store) == [] and (counted.features, counted.added) == (len(second), len(second))  # nothing new


def test_the_saved_state_survives_closing_and_reopening_the_store(tmp_path, corpus, reference, monkeypatch):
    first, second = text_first(corpus)
    store = open_store(str(tmp_path / "n.db"))
    add_all(store, first)
    update_stories(store)
    store.close()
    again = open_store(str(tmp_path / "n.db"))
    add_all(again, second)
    counted = Counting(monkeypatch)
    update_stories(again)
    assert counted.features == len(second)
    assert stories(again) == reference
    again.close()


def other_version(store, monkeypatch):
    """This newsweave reads another state version than the one that saved it."""
    monkeypatch.setattr(_stories, "CLUSTER_STATE_VERSION", _stories.CLUSTER_STATE_VERSION + 1)


def other_constants(store, monkeypatch):
    """This newsweave's features work with another constant than the one the state was saved under."""
    monkeypatch.setattr("newsweave.stories.features.FOREIGN_BODY_TITLE_WORDS", newsweave.stories.features.FOREIGN_BODY_TITLE_WORDS + 1)


def grouped_elsewhere(store, monkeypatch):
    """Stories recorded without the clusterer's state (`SQLStore.set_stories`)."""
    store.set_stories([(s.id, s.headline, store.story_articles(s.id)) for s in store.stories()])


def no_state(store, monkeypatch):
    """A store whose stories were grouped before the state was saved (one migrated from 0005)."""
    with store.engine.begin() as connection:
        connection.execute(delete(schema.cluster_state))


def nothing(store, monkeypatch):
    pass


@pytest.mark.parametrize(("first_settings", "between"), [
    (ClusterSettings(join_score=0.5), nothing), (None, other_version), (None, other_constants), (None, grouped_elsewhere),
    (None, no_state),
], ids=["other settings", "other version", "other constants", "grouped elsewhere", "no state"])
def test_a_state_that_cannot_be_gone_on_from_makes_the_ingest_regroup_everything(
    store, corpus, reference, first_settings, between, monkeypatch, caplog,
):
    first, second = by_date(corpus)
    add_all(store, first)
    update_stories(store, settings=first_settings)
    between(store, monkeypatch)
    add_all(store, second)
    counted = Counting(monkeypatch)
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        update_stories(store)
    assert f"regrouping all {len(corpus)} stored articles" in caplog.text
    assert ("other tuning constants" in caplog.text) == (between is other_constants)
    assert counted.features == len(corpus)
    assert stories(store) == reference


LATER = dated_article(
    "Brackenford's library reopened on Thursday after a two-year renovation, the county librarian Mara Osei said. "
    "The new reading room seats 120 people and the children's wing doubled in size.",
    date(2025, 11, 24), title="Brackenford library reopens after renovation",
)


def test_a_backfill_of_old_articles_regroups_everything(store, corpus, caplog):
    """An article older than the open window belongs with stories the clusterer has closed: only a regrouping puts it there."""
    late = next(a for a in corpus if a.source.endswith("wire.jsonl#2"))  # the wire's Turkish quake story, of Oct 22
    same_story = next(a for a in corpus if a.source.endswith("northgate-quake.txt"))
    add_all(store, [a for a in corpus if a is not late] + [LATER])  # LATER moves the clusterer past Oct 22 + 21 days
    update_stories(store)
    before = store.story_of(same_story.id)
    store.add(late)
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        update_stories(store)
    assert store.story_of(late.id) == store.story_of(same_story.id)
    # the late article is the story's oldest, so regrouping renames the story; the old id leads to the new one
    assert store.story(before) is None and store.successor(before) == store.story_of(late.id)
    assert "backfill" in caplog.text and "regrouping all 23 stored articles" in caplog.text


def test_the_saved_state_holds_only_the_open_stories_and_goes_on_as_one_grouping_would(tmp_path, corpus):
    # undated articles are clustered last: in one grouping with LATER they would come after the stories closed
    dated = [a for a in corpus if a.published]
    store, once = open_store(str(tmp_path / "two.db")), open_store(str(tmp_path / "once.db"))
    add_all(store, dated)
    update_stories(store)
    store.add(LATER)  # Nov 24: a story with no coverage since before Nov 3 (24 - 14 - 7) closes
    update_stories(store)
    add_all(once, [*dated, LATER])
    update_stories(once)
    assert stories(store) == stories(once)
    with store.engine.connect() as connection:
        kept = set(connection.execute(select(schema.cluster_members.c.article_id)).scalars())
    recent = [s.id for s in store.stories() if s.last_published >= date(2025, 11, 3)]
    assert 1 < len(recent) < len(store.stories())
    assert kept == {a.id for s in recent for a in store.story_articles(s)}


def test_deleted_articles_make_the_ingest_regroup_everything(store, corpus, caplog):
    first, second = by_date(corpus)
    add_all(store, first)
    update_stories(store)
    with store.engine.begin() as connection:  # newsweave deletes nothing; a person might, by hand
        connection.execute(delete(schema.articles).where(schema.articles.c.id == first[0].id))
    add_all(store, second)
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        update_stories(store)
    assert "articles were deleted" in caplog.text and f"regrouping all {len(corpus) - 1}" in caplog.text
    members = sorted(a.id for s in store.stories() for a in store.story_articles(s.id))
    assert members == sorted(a.id for a in corpus if a is not first[0])


def test_an_ingest_that_another_process_beat_to_the_save_goes_on_from_its_state(tmp_path, corpus, reference, monkeypatch, caplog):
    first, second = by_date(corpus)
    store, other = open_store(str(tmp_path / "n.db")), open_store(str(tmp_path / "n.db"))
    add_all(store, first)
    update_stories(store)
    add_all(store, second)
    save, raced = store.save_grouping, []

    def save_after_the_other(*args, **kwargs):
        if not raced:  # the other process saves the same new articles while this one was clustering them
            raced.append(update_stories(other))
        return save(*args, **kwargs)

    monkeypatch.setattr(store, "save_grouping", save_after_the_other)
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        assert update_stories(store) == []  # the other built the dossiers
    assert raced[0] and "another process saved stories meanwhile" in caplog.text
    assert stories(store) == reference


# --- editors' merges and splits -----------------------------------------------------------------------


def story_holding(store, article: Article) -> str:
    return store.story_of(article.id)


def forget_state(store) -> None:
    with store.engine.begin() as connection:
        connection.execute(delete(schema.cluster_state))


@pytest.fixture
def quakes(corpus, answer_key):
    """The Turkish and the Ecuadorian earthquake's articles (two look-alike events, two stories)."""
    key = {a.source.removeprefix(f"{EXAMPLES}/"): a for a in corpus}
    gold = {s["id"]: [key[name] for name in s["articles"]] for s in answer_key["stories"]}
    return sorted(gold["quake-turkey"], key=coverage_order), sorted(gold["quake-ecuador"], key=coverage_order)


def test_a_merge_is_stored_recorded_kept_by_later_ingests_and_made_again_after_regrouping(db_url, corpus, quakes, caplog):
    turkey, ecuador = quakes
    held_back = ecuador[-1]
    store = open_store(db_url)
    add_all(store, [a for a in corpus if a is not held_back])
    update_stories(store)
    edit = merge_stories(store, [story_holding(store, turkey[0])[:8], story_holding(store, ecuador[0])], "editor: one seismic swarm")
    merged = story_holding(store, turkey[0])
    assert edit.kind == "merge" and edit.after == (merged,) and len(store.stories()) == 5
    assert {a.id for a in store.story_articles(merged)} == {a.id for a in turkey + ecuador[:-1]}
    assert [(e.kind, e.reason) for e in store.story_edits()] == [("merge", "editor: one seismic swarm")]
    assert store.dossier(merged) is None and update_stories(store) == [merged]  # its dossier is rebuilt
    store.add(held_back)  # later coverage of the Ecuador quake joins the merged story
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        update_stories(store)
    assert "clustering 1 new articles" in caplog.text and story_holding(store, held_back) == merged
    forget_state(store)  # every article regrouped: the clusterer alone keeps the quakes apart; the edit is made again
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        update_stories(store)
    assert "regrouping all" in caplog.text and "made again" in caplog.text
    assert len(store.stories()) == 5 and {a.id for a in store.story_articles(merged)} == {a.id for a in turkey + ecuador}
    store.close()


@pytest.fixture
def grouped(tmp_path, corpus):
    """A store holding the example corpus in its stories."""
    store = open_store(str(tmp_path / "n.db"))
    add_all(store, corpus)
    update_stories(store)
    yield store
    store.close()


def test_a_split_is_stored_and_made_again_after_regrouping(grouped, quakes):
    turkey, _ = quakes
    store = grouped
    source = story_holding(store, turkey[0])
    moved = turkey[1:]
    edit = split_story(store, source, [a.id[:10] for a in moved], "editor: the aftershock is its own story")
    assert len(store.stories()) == 7 and story_holding(store, turkey[0]) == source
    apart = story_holding(store, moved[0])
    assert apart != source and set(edit.after) == {source, apart}
    assert {a.id for a in store.story_articles(apart)} == {a.id for a in moved}
    forget_state(store)
    update_stories(store)
    assert len(store.stories()) == 7 and {a.id for a in store.story_articles(apart)} == {a.id for a in moved}


def test_edits_that_cannot_be_made_say_why_and_change_nothing(grouped, quakes):
    turkey, ecuador = quakes
    store = grouped
    before = stories(store)
    one = story_holding(store, turkey[0])
    with pytest.raises(EditError, match="two or more different stories"):
        merge_stories(store, [one, one])
    with pytest.raises(EditError, match="no story 'nope'"):
        merge_stories(store, [one, "nope"])
    with pytest.raises(EditError, match="not in story"):
        split_story(store, one, [ecuador[0].id])
    with pytest.raises(EditError, match="not none or all"):
        split_story(store, one, [a.id for a in turkey])
    assert stories(store) == before and store.story_edits() == []


def test_a_story_renamed_by_an_older_article_leads_its_old_id_to_its_new_one(store, corpus):
    """A story is named after its oldest article: one older than all of it renames it, and links to the old
    id lead to the new one (`successor`, which the web pages and API redirect by)."""
    quake = sorted((a for a in corpus if "quake" in (a.title or "").lower() and a.published), key=coverage_order)
    oldest = quake[0]
    add_all(store, [a for a in corpus if a is not oldest])
    update_stories(store)
    before = store.story_of(quake[1].id)
    store.add(oldest)
    update_stories(store)
    after = store.story_of(oldest.id)
    assert after == store.story_of(quake[1].id) != before
    assert store.story(before) is None and store.successor(before) == after
    assert store.successor(after) is None and store.successor("s000000000000") is None


def test_a_review_names_the_look_alike_story_and_scores_every_article(grouped, quakes):
    turkey, ecuador = quakes
    store = grouped
    one, other = story_holding(store, turkey[0]), story_holding(store, ecuador[0])
    review = review_story(store, one[:9])
    assert review.open and review.story == one and review.join_score == JOIN_SCORE
    assert review.similar[0].story == other and review.similar[0].probability < JOIN_SCORE  # the nearest, kept apart
    assert review.similar[0].headline == store.story(other).headline
    assert [c.probability for c in review.similar] == sorted((c.probability for c in review.similar), reverse=True)
    assert sorted(m.article.id for m in review.members) == sorted(a.id for a in turkey)
    assert all(m.probability >= JOIN_SCORE for m in review.members)  # each fits the rest of its story
    forget_state(store)
    with pytest.raises(EditError, match="until they are regrouped"):
        review_story(store, one)


def test_a_closed_story_is_not_compared(store, corpus, quakes):
    add_all(store, corpus + [LATER])  # LATER moves the clusterer past the quakes' window and grace
    update_stories(store)
    review = review_story(store, story_holding(store, quakes[0][0]))
    assert review.open is False and review.similar == review.members == ()


def test_a_follow_up_in_a_later_ingest_reopens_its_closed_story_as_one_grouping_would(db_url, tmp_path, caplog):
    def shot(city, victim, street, chief, day, n, published):
        text = SHOOTING.format(victim=victim, age=24, street=street, city=city, chief=chief, suspect_age=19, day=day)
        return dated_article(text + ("", " A vigil is planned.", " The investigation continues.")[n], published,
                            outlet=f"Outlet {n}", title=f"Man shot dead in {city}")

    chicago = [shot("Chicago", "Marcus Reed", "West 63rd Street", "Eddie Johnson", "Monday", n, date(2016, 3, 7 + n)) for n in range(3)]
    oakland = shot("Oakland", "Luis Ortega", "Foothill Boulevard", "Sean Whent", "Tuesday", 0, date(2016, 4, 20))  # Chicago has closed
    arrest = dated_article(ARREST.format(suspect_age=19, day="Friday", age=24), date(2016, 4, 23), outlet="Outlet 9",
                          title="Arrest in killing of Marcus Reed")
    store, once = open_store(db_url), open_store(str(tmp_path / "once.db"))
    add_all(store, [*chicago, oakland])
    update_stories(store)
    story = store.story_of(chicago[0].id)
    with store.engine.connect() as connection:
        assert connection.execute(select(schema.cluster_closed.c.story_id)).scalars().all() == [story]
    store.add(arrest)
    with caplog.at_level(logging.INFO, logger="newsweave.pipeline"):
        update_stories(store)
    assert "clustering 1 new articles" in caplog.text and "regrouping" not in caplog.text
    assert store.story_of(arrest.id) == story and len(store.story_articles(story)) == 4
    with store.engine.connect() as connection:  # open again: its profile went, its state is an open story's
        assert connection.execute(select(schema.cluster_closed.c.story_id)).scalars().all() == []
        assert story in connection.execute(select(schema.cluster_stories.c.id)).scalars().all()
    add_all(once, [*chicago, oakland, arrest])
    update_stories(once)
    assert stories(store) == stories(once)
    store.close()
    once.close()


def test_a_first_report_alone_joins_its_story_in_a_later_ingest_and_its_old_id_leads_there(store):
    police = dated_article("Chicago Police Chief Eddie Johnson said detectives were questioning a 19-year-old man after Monday's "
                          "killing in Englewood. Eddie Johnson asked witnesses to come forward.", date(2016, 3, 7), outlet="Outlet 2",
                          title="Chicago police question teen after Englewood killing")
    victim = dated_article("Marcus Reed, 24, was shot and killed on West 63rd Street on Monday night. Neighbours heard several shots "
                          "and found Marcus Reed in a parked car.", date(2016, 3, 7), outlet="Outlet 1", title="Marcus Reed shot dead")
    full = dated_article(SHOOTING.format(victim="Marcus Reed", age=24, street="West 63rd Street", city="Chicago", chief="Eddie Johnson",
                                        suspect_age=19, day="Monday"), date(2016, 3, 8), outlet="Outlet 3", title="Man shot dead in Chicago")
    add_all(store, [victim, police])
    update_stories(store)
    first = {a.id: store.story_of(a.id) for a in (victim, police)}
    assert first[victim.id] != first[police.id]
    store.add(full)
    update_stories(store)
    story = store.story_of(full.id)
    assert store.story_of(police.id) == store.story_of(victim.id) == story and len(store.story_articles(story)) == 3
    # the merged story is named after its oldest article (the same day: coverage order); the other id leads on to it
    named, gone = sorted(first.values(), key=lambda sid: sid != story)
    assert named == story and store.story(gone) is None and store.successor(gone) == story
