"""Editors' merges and splits: the pure grouping step, and keeping the clusterer's open stories in line."""

from __future__ import annotations

from datetime import date, timedelta

from newsweave.stories import ClusterSettings, StoryClusterer, story_id
from newsweave.pipeline.edits import apply_edit, sync_clusterer
from newsweave.model import Article, StoryEdit
from newsweave.outlets import article_id

from .conftest import CHICAGO, OAKLAND, arrest, closed_chicago, past_the_window


def article(name: str, day: int) -> Article:
    text = f"Report {name}."
    return Article(id=article_id("The Ledger", text), source=f"{name}.txt", outlet="The Ledger", url=None, title=name,
                   author=None, published=date(2026, 3, day), language="en", text=text)


A1, A2, B1, B2, B3 = article("a1", 1), article("a2", 2), article("b1", 3), article("b2", 4), article("b3", 5)
GROUPS = {story_id(A1): (A1, A2), story_id(B1): (B1, B2, B3)}


def test_a_merge_makes_one_story_named_after_its_oldest_article():
    after = apply_edit(GROUPS, StoryEdit("merge", (A1.id, A2.id, B1.id)))
    assert after == {story_id(A1): (A1, A2, B1, B2, B3)}  # B's later coverage (b2, b3) comes along


def test_a_split_gives_the_moved_articles_a_story_of_their_own_and_renames_what_loses_its_oldest():
    after = apply_edit(GROUPS, StoryEdit("split", (B1.id, B3.id), (B2.id,)))
    assert after == {story_id(A1): (A1, A2), story_id(B1): (B1, B3), story_id(B2): (B2,)}


def test_an_edit_that_changes_nothing_any_more_says_so():
    assert apply_edit(GROUPS, StoryEdit("merge", (A1.id, A2.id))) is None  # together already
    assert apply_edit(GROUPS, StoryEdit("split", (A1.id, A2.id))) is None  # the whole story: apart already
    assert apply_edit(GROUPS, StoryEdit("merge", ("gone1", "gone2"))) is None  # articles deleted since


def test_merging_two_open_stories_merges_them_in_the_clusterer_pinned_against_automatic_splits():
    clusterer = StoryClusterer()
    for f in CHICAGO + OAKLAND:
        clusterer.add(f)
    chicago, oakland = clusterer.story_of(CHICAGO[0].id), clusterer.story_of(OAKLAND[0].id)
    sync_clusterer(clusterer, StoryEdit("merge", tuple(f.id for f in CHICAGO + OAKLAND)), "one event")
    assert clusterer.story_of(OAKLAND[0].id) == chicago and oakland not in clusterer.stories()
    assert clusterer.pinned(chicago) and clusterer.events[-1].kind == "merge"
    records = clusterer.to_records()
    assert StoryClusterer.from_records(records).pinned(chicago)  # kept in the saved state


def test_a_split_of_an_open_story_splits_it_in_the_clusterer():
    clusterer = StoryClusterer()
    for f in CHICAGO:
        clusterer.add(f)
    sync_clusterer(clusterer, StoryEdit("split", (CHICAGO[2].id,), (CHICAGO[0].id, CHICAGO[1].id)), "a different shooting")
    assert clusterer.story_of(CHICAGO[2].id) != clusterer.story_of(CHICAGO[0].id) == clusterer.story_of(CHICAGO[1].id)


def test_merging_an_open_story_with_one_that_closed_closes_it():
    settings = ClusterSettings()
    clusterer = StoryClusterer(settings)
    clusterer.add(CHICAGO[0])
    later = past_the_window(OAKLAND[0], CHICAGO[0], settings)
    clusterer.add(later)
    assert not clusterer.story(clusterer.story_of(CHICAGO[0].id)).open
    sync_clusterer(clusterer, StoryEdit("merge", (CHICAGO[0].id, later.id)), "same case")
    assert not clusterer.story(clusterer.story_of(later.id)).open  # nothing joins half of an edited story
    assert clusterer.story_of(CHICAGO[0].id) not in clusterer.reopenable()  # nor reopens it


def test_splitting_a_reopened_story_by_its_old_articles_closes_it_for_good():
    clusterer = closed_chicago()
    chicago = clusterer.story_of(CHICAGO[0].id)
    clusterer.add(arrest(0, CHICAGO[-1].published + timedelta(days=45)))
    sync_clusterer(clusterer, StoryEdit("split", (CHICAGO[0].id,), (CHICAGO[1].id, CHICAGO[2].id, "arrest-0")), "another shooting")
    assert not clusterer.story(chicago).open and chicago not in clusterer.reopenable()
    assert clusterer.add(arrest(1, CHICAGO[-1].published + timedelta(days=46))).story != chicago
