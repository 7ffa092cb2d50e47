from datetime import date, timedelta

from newsweave.stories import STORY_WINDOW_DAYS, group_stories

from .conftest import make_article

QUAKE = "A strong earthquake struck {place} on {day}, killing {n} people, officials in {place} said, as rescue teams searched the rubble."


def quake(place, n, day, published, outlet):
    return make_article(" ".join(QUAKE.format(place=place, n=n, day=day) for _ in range(3)), outlet=outlet, published=published, title=f"Quake in {place}")


TURKEY = ("The magnitude 5.9 earthquake in Malatya province flattened apartment blocks in Doğanşehir, and the interior "
          "ministry said 32 people died. Turkish rescue crews worked through the night near the East Anatolian Fault.")
ECUADOR = ("Adobe houses collapsed across Chimborazo province after the magnitude 6.3 quake in the Ecuadorian Andes, "
           "killing 11. Landslides cut the Pan-American Highway south of Riobamba, Ecuador's risk agency said.")


def test_two_earthquakes_in_different_places_are_two_stories():
    articles = [
        make_article(TURKEY, outlet="A", published=date(2025, 10, 22)), make_article(TURKEY + " Aftershocks followed.", outlet="B", published=date(2025, 10, 23)),
        make_article(ECUADOR, outlet="C", published=date(2025, 10, 30)), make_article(ECUADOR + " Schools closed.", outlet="D", published=date(2025, 10, 30)),
    ]
    stories = group_stories(articles)
    assert sorted(sorted(a.outlet for a in s.articles) for s in stories) == [["A", "B"], ["C", "D"]]


def test_a_story_keeps_the_id_of_its_oldest_article_when_coverage_is_added():
    first = quake("Malatya", 30, "Wednesday", date(2025, 10, 22), "A")
    later = quake("Malatya", 32, "Wednesday", date(2025, 10, 23), "B")
    [alone] = group_stories([first])
    [together] = group_stories([later, first])
    assert alone.id == together.id and together.articles[0] == first


def test_articles_further_apart_than_the_window_never_join_but_as_a_follow_up():
    from newsweave.stories import ClusterSettings

    a = quake("Malatya", 30, "Wednesday", date(2025, 1, 1), "A")
    b = quake("Malatya", 30, "Wednesday", date(2025, 1, 1 + STORY_WINDOW_DAYS + 1), "B")
    assert len(group_stories([a, b], ClusterSettings(follow_up_days=None))) == 2
    # the same report two weeks on: only the follow-up model may take it into the story (and does)
    assert len(group_stories([a, b])) == 1


# --- the incremental clusterer ------------------------------------------------------------------------

from collections import Counter  # noqa: E402
import json  # noqa: E402
from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from newsweave import Article, clean_paths  # noqa: E402
import newsweave.stories.clusterer as cluster_module  # noqa: E402
from newsweave.errors import ClusterError  # noqa: E402
from newsweave.ingest.dump import read_dump  # noqa: E402
from newsweave.stories import ClusterSettings, StoryClusterer, cluster_records, cluster_texts, story_id, text_features  # noqa: E402
from newsweave.stories.background import Background  # noqa: E402
from newsweave.stories.index import most_shared  # noqa: E402

from .conftest import CHICAGO, EXAMPLES, OAKLAND, arrest, closed_chicago, past_the_window, shooting  # noqa: E402


def test_add_opens_a_story_then_joins_reports_of_the_same_event():
    clusterer = StoryClusterer()
    first = clusterer.add(CHICAGO[0])
    assert not first.joined and first.story == story_id(make_article(id=CHICAGO[0].id))
    second = clusterer.add(CHICAGO[1])
    assert second.joined and second.story == first.story and second.score >= clusterer.settings.join_score


def test_two_shootings_in_different_cities_stay_two_stories():
    clusterer = StoryClusterer()
    for f in sorted(CHICAGO + OAKLAND, key=lambda f: (f.published, f.id)):
        clusterer.add(f)
    groups = sorted(sorted(s.articles) for s in clusterer.stories().values())
    assert groups == [sorted(f.id for f in CHICAGO), sorted(f.id for f in OAKLAND)]


def _alternating(settings: ClusterSettings) -> StoryClusterer:
    """Four reports each of a Chicago and an Oakland shooting (one template, other names and numbers), alternating."""
    chicago = [shooting(i, "Chicago", "Marcus Reed", 24, "West 63rd Street", "Eddie Johnson", 19, "Monday", date(2016, 3, 7)) for i in range(4)]
    oakland = [shooting(i, "Oakland", "Luis Ortega", 31, "Foothill Boulevard", "Sean Whent", 27, "Tuesday", date(2016, 3, 8)) for i in range(4)]
    clusterer = StoryClusterer(settings)
    for c, o in zip(chicago, oakland):
        clusterer.add(c)
        clusterer.add(o)
    return clusterer


def test_a_story_of_two_look_alike_events_is_split_when_each_half_holds_together_far_better_than_both():
    # a join threshold of 0 puts every article in the one story (and the first article, with no story to join, opens it)
    merged = _alternating(ClusterSettings(join_score=0.0, split_score=None, split_cohesion=None))
    assert len(merged) == 1 and not merged.events
    # their halves still average above the first test's threshold: the template's words are shared
    assert not _alternating(ClusterSettings(join_score=0.0, split_cohesion=None)).events
    clusterer = _alternating(ClusterSettings(join_score=0.0, split_score=None))
    groups = sorted(sorted(s.articles) for s in clusterer.stories().values())
    assert groups == [[f"Chicago-{i}" for i in range(4)], [f"Oakland-{i}" for i in range(4)]]
    [event] = clusterer.events
    assert event.kind == "split" and "resemble each other" in event.reason


def test_the_cohesion_ratio_compares_the_similarity_between_two_groups_with_their_own():
    from newsweave.stories.split import cohesion_ratio

    first = np.array([True, True, True, False, False, False])
    two_groups = np.where(first[:, None] == first[None, :], 0.8, 0.2)
    np.fill_diagonal(two_groups, 0.0)
    assert cohesion_ratio(two_groups, first) == pytest.approx(0.25)
    uniform = np.full((6, 6), 0.5)
    np.fill_diagonal(uniform, 0.0)
    assert cohesion_ratio(uniform, first) == pytest.approx(1.0)
    assert cohesion_ratio(np.zeros((6, 6)), first) == 1.0  # neither group holds together: no evidence of two events


def test_an_article_past_the_window_opens_a_new_story():
    clusterer = StoryClusterer(ClusterSettings(follow_up_days=None))  # with follow-ups, the follow-up model may take it (below)
    clusterer.add(CHICAGO[0])
    late = replace(CHICAGO[1], published=CHICAGO[0].published + timedelta(days=STORY_WINDOW_DAYS + 1))
    assignment = clusterer.add(late)
    assert not assignment.joined and len(clusterer) == 2


def test_stories_close_after_their_window_and_grace_and_leave_the_index():
    settings = ClusterSettings()
    clusterer = StoryClusterer(settings)
    clusterer.add(CHICAGO[0])
    much_later = past_the_window(OAKLAND[0], CHICAGO[0], settings)
    clusterer.add(much_later)
    chicago = clusterer.story(clusterer.story_of(CHICAGO[0].id))
    assert not chicago.open and chicago.entities and "chicago" in chicago.entities
    assert CHICAGO[0].id not in clusterer.open_articles() and not clusterer.indexed(chicago.id)
    with pytest.raises(ClusterError, match="has closed: it keeps no centroid"):
        clusterer.centroid(chicago.id, "n")
    assert clusterer.indexed(clusterer.story_of(OAKLAND[0].id))
    assert clusterer.open_stories() == (clusterer.story_of(OAKLAND[0].id),) and clusterer.open_articles() == (much_later.id,)


def test_stories_past_the_window_of_an_article_take_no_candidate_place_of_those_within_it(monkeypatch):
    monkeypatch.setattr(cluster_module, "EXACT_BELOW", 0)  # find candidates by band keys however few stories are open
    settings = ClusterSettings(max_candidates=1, follow_up_days=None)
    day = date(2016, 3, 30)
    passed = shooting(5, "Chicago", "Marcus Reed", 24, "West 63rd Street", "Eddie Johnson", 19, "Monday", day - timedelta(days=17))
    near = replace(CHICAGO[1], published=day - timedelta(days=2), words=CHICAGO[1].words[::2])  # half the words
    article = replace(CHICAGO[2], published=day)
    assert passed.words == article.words  # the same text (and band keys) as the article's, 17 days earlier
    clusterer = StoryClusterer(settings)
    assert not clusterer.add(passed).joined and not clusterer.add(near).joined  # 15 days apart: two stories
    old = clusterer.story(clusterer.story_of(passed.id))
    assert old.open and (day - old.last).days > settings.window_days  # in its grace period, still in the index
    hits = clusterer.band_hits(article)
    assert hits[old.id] > hits[clusterer.story_of(near.id)]  # the story past the window shares more band keys
    assignment = clusterer.add(article)
    assert assignment.joined and assignment.story == clusterer.story_of(near.id)


def test_a_follow_up_past_the_window_of_a_story_still_in_its_grace_period_joins_it():
    day = CHICAGO[-1].published + timedelta(days=STORY_WINDOW_DAYS + 3)  # the story has not closed yet
    clusterer = StoryClusterer()
    for f in CHICAGO:
        clusterer.add(f)
    chicago = clusterer.story_of(CHICAGO[0].id)
    assignment = clusterer.add(arrest(0, day))
    assert assignment.joined and assignment.story == chicago and assignment.score >= clusterer.settings.follow_up_score
    assert clusterer.story(chicago).open and not clusterer.held(chicago)  # it never closed: its articles keep their vectors
    # the follow-up model decides it, as for a closed story: without follow-ups the report opens a story of its own
    off = StoryClusterer(ClusterSettings(follow_up_days=None))
    for f in CHICAGO:
        off.add(f)
    assert not off.add(arrest(0, day)).joined


def test_the_same_article_twice_is_one_article():
    clusterer = StoryClusterer()
    first = clusterer.add(CHICAGO[0])
    again = clusterer.add(CHICAGO[0])
    assert again.story == first.story and len(clusterer.assignments()) == 1


def test_merge_and_split_are_recorded_and_move_articles():
    clusterer = StoryClusterer()
    for f in sorted(CHICAGO + OAKLAND, key=lambda f: (f.published, f.id)):
        clusterer.add(f)
    chicago, oakland = clusterer.story_of(CHICAGO[0].id), clusterer.story_of(OAKLAND[0].id)
    merged = clusterer.merge(chicago, oakland, "an editor says these are one story")
    assert merged.kind == "merge" and merged.stories == (chicago, oakland) and set(merged.articles) == {f.id for f in OAKLAND}
    assert len(clusterer) == 1 and {clusterer.story_of(f.id) for f in CHICAGO + OAKLAND} == {chicago}
    split = clusterer.split(chicago, [f.id for f in OAKLAND], "an editor undid the merge")
    assert split.kind == "split" and split.stories[0] == chicago and split.stories[1] == story_id(make_article(id=OAKLAND[0].id))
    assert {clusterer.story_of(f.id) for f in OAKLAND} == {split.stories[1]} and [e.kind for e in clusterer.events] == ["merge", "split"]
    # the split-off story scores its own articles as before: its centroid was rebuilt from them
    assert clusterer.add(shooting(9, "Oakland", "Luis Ortega", 31, "Foothill Boulevard", "Sean Whent", 27, "Tuesday", date(2016, 3, 12))).story == split.stories[1]


def test_member_fit_puts_an_article_merged_in_by_mistake_first_and_similar_stories_names_the_other():
    clusterer = StoryClusterer()
    for f in sorted(CHICAGO + OAKLAND[:1], key=lambda f: (f.published, f.id)):
        clusterer.add(f)
    chicago, oakland = clusterer.story_of(CHICAGO[0].id), clusterer.story_of(OAKLAND[0].id)
    assert [s for s, _ in clusterer.similar_stories(chicago)] == [oakland]
    clusterer.merge(chicago, oakland, "an editor's slip")
    fit = clusterer.member_fit(chicago)
    assert [a for a, _ in fit][0] == OAKLAND[0].id and sorted(a for a, _ in fit) == sorted(f.id for f in CHICAGO + OAKLAND[:1])
    assert fit[0][1] < clusterer.settings.join_score <= min(p for _, p in fit[1:])
    # reading the fit leaves the story as it was
    assert clusterer.story(chicago).articles == tuple(f.id for f in CHICAGO) + (OAKLAND[0].id,)
    assert clusterer.member_fit(chicago) == fit


def test_split_refuses_to_empty_a_story():
    clusterer = StoryClusterer()
    for f in CHICAGO:
        clusterer.add(f)
    with pytest.raises(ValueError, match="keep at least one"):
        clusterer.split(clusterer.story_of(CHICAGO[0].id), [f.id for f in CHICAGO], "all of it")


def test_state_round_trips_through_plain_records_and_goes_on_the_same():
    a, b = StoryClusterer(), None
    for f in CHICAGO[:2] + OAKLAND[:2]:
        a.add(f)
    records = json.loads(json.dumps(a.to_records()))  # plain JSON: no dates or tuples left in it
    b = StoryClusterer.from_records(records)
    assert b.stories() == a.stories() and b.assignments() == a.assignments() and b.df == a.df
    assert b.add(CHICAGO[2]) == a.add(CHICAGO[2]) and b.add(OAKLAND[2]) == a.add(OAKLAND[2])
    assert b.to_records() == a.to_records()


def test_a_restored_clusterer_still_closes_its_open_stories():
    settings = ClusterSettings()
    saved = StoryClusterer(settings)
    saved.add(CHICAGO[0])
    restored = StoryClusterer.from_records(json.loads(json.dumps(saved.to_records())))
    much_later = past_the_window(OAKLAND[0], CHICAGO[0], settings)
    restored.add(much_later)
    chicago = restored.story(restored.story_of(CHICAGO[0].id))
    assert not chicago.open and CHICAGO[0].id not in restored.open_articles() and not restored.indexed(chicago.id)


def test_the_candidates_are_the_stories_sharing_most_band_keys_ties_by_id():
    hits = Counter({"s3": 2, "s1": 2, "s2": 5, "s4": 1, "s0": 2})
    assert most_shared(hits, 3) == ["s2", "s0", "s1"]  # s3 shares as many as s1: the lower id goes first
    assert most_shared(hits, 1) == ["s2"]
    assert most_shared(hits, 9) == ["s2", "s0", "s1", "s3", "s4"]


def test_cluster_records_returns_stories_by_id_with_headline_and_dates():
    stories = cluster_records(OAKLAND + CHICAGO)
    assert len(stories) == 2
    chicago = stories[story_id(make_article(id=CHICAGO[0].id))]
    assert chicago.headline == "Man shot dead in Chicago" and chicago.first == date(2016, 3, 7) and chicago.last == date(2016, 3, 9)
    assert chicago.articles == tuple(f.id for f in CHICAGO) and "marcus reed" in chicago.entities


def test_blocking_finds_the_same_stories_as_scoring_every_open_story():
    many = [shooting(i, f"Town{i}", f"Victim{i} Person{i}", 20 + i, f"Street{i} Road", f"Chief{i}", 30 + i % 9, "Monday", date(2016, 3, 7)) for i in range(80)]
    feats = many + CHICAGO + OAKLAND
    blocked = cluster_records(feats)
    exact = cluster_records(feats, ClusterSettings(blocking=False))
    assert {s.articles for s in blocked.values()} == {s.articles for s in exact.values()}


def test_group_stories_on_the_example_corpus_equals_the_answer_key(answer_key):
    corpus = [r for r in clean_paths([str(EXAMPLES / d) for d in ("text", "html", "feeds")]) if isinstance(r, Article)]
    groups = group_stories(corpus)
    key = lambda a: a.source.removeprefix(f"{EXAMPLES}/")  # noqa: E731
    assert sorted(sorted(key(a) for a in g.articles) for g in groups) == sorted(sorted(s["articles"]) for s in answer_key["stories"])
    assert all(g.id == story_id(g.articles[0]) for g in groups)


def test_cluster_jsonl_writes_every_record_clusters_title_only_ones_and_gives_empty_ones_their_own_story(tmp_path, caplog):
    rows = [{"doc": f.id, "body": f"{f.lede}", "head": f.title, "day": f.published.isoformat()} for f in CHICAGO + OAKLAND]
    rows.insert(2, {"doc": "empty-1", "body": "", "head": ""})
    rows.append({"doc": "empty-2"})
    rows.append({"doc": "title-only", "body": " ", "head": "Marcus Reed shot dead on West 63rd Street in Chicago", "day": "2016-03-08"})
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    pairs = list(cluster_texts(read_dump(str(path), "doc", "body", title_field="head", date_field="day")))
    assert [rid for rid, _ in pairs] == [r["doc"] for r in rows]
    story = dict(pairs)
    assert len({story[f.id] for f in CHICAGO}) == 1 and len({story[f.id] for f in OAKLAND}) == 1 and story[CHICAGO[0].id] != story[OAKLAND[0].id]
    assert story["empty-1"] != story["empty-2"] and story["empty-1"] not in {story[f.id] for f in CHICAGO + OAKLAND}
    assert "empty-1" in caplog.text and "story of its own" in caplog.text
    assert story["title-only"] == story[CHICAGO[0].id]  # no body, but its headline names the event


def test_similar_stories_with_many_open_stories_scores_only_the_ones_sharing_band_keys(monkeypatch):
    monkeypatch.setattr("newsweave.stories.clusterer.EXACT_BELOW", 1)  # blocking from the second open story on
    shootings = StoryClusterer()
    for f in sorted(CHICAGO + OAKLAND, key=lambda f: (f.published, f.id)):
        shootings.add(f)
    chicago, oakland = shootings.story_of(CHICAGO[0].id), shootings.story_of(OAKLAND[0].id)
    assert chicago != oakland and [s for s, _ in shootings.similar_stories(chicago)] == [oakland]  # they share keys
    festivals = [text_features(f"fest-{k}", f"The {word} festival in Lowestoft drew crowds on Saturday, organisers said.",
                               published=date(2016, 3, 7)) for k, word in enumerate(("kite", "jazz"))]
    mixed = StoryClusterer()
    for f in sorted(CHICAGO[:1] + festivals, key=lambda f: (f.published, f.id)):
        mixed.add(f)
    festival = mixed.story_of(festivals[0].id)
    assert mixed.similar_stories(festival) == []  # no band key in common with the shooting: not scored
    monkeypatch.setattr("newsweave.stories.clusterer.EXACT_BELOW", 1000)
    assert [s for s, _ in mixed.similar_stories(festival)] == [mixed.story_of(CHICAGO[0].id)]


# --- follow-ups: a closed story reopened by a report weeks later ----------------------------------------


def test_a_follow_up_weeks_after_a_story_closed_reopens_it_with_its_old_articles():
    clusterer = closed_chicago()
    chicago = clusterer.story_of(CHICAGO[0].id)
    assignment = clusterer.add(arrest(0, CHICAGO[-1].published + timedelta(days=45)))
    assert assignment.joined and assignment.story == chicago and assignment.score >= clusterer.settings.follow_up_score
    story = clusterer.story(chicago)
    assert story.open and story.articles == (*(f.id for f in CHICAGO), "arrest-0")
    assert clusterer.held(chicago) == tuple(f.id for f in CHICAGO)
    # the reopened story takes later coverage as any open story: a second report of the arrest joins it
    assert clusterer.add(arrest(1, CHICAGO[-1].published + timedelta(days=46))).story == chicago
    assert clusterer.member_fit(chicago) and {a for a, _ in clusterer.member_fit(chicago)} == {"arrest-0", "arrest-1"}


def test_without_follow_ups_or_past_the_follow_up_period_the_report_opens_a_story_of_its_own():
    later = CHICAGO[-1].published + timedelta(days=45)
    off = closed_chicago(ClusterSettings(follow_up_days=None))
    assert not off.add(arrest(0, later)).joined and not off.reopenable()
    short = closed_chicago(ClusterSettings(follow_up_days=30))  # the Oakland report, 42 days on, expired Chicago's profile
    assert not short.add(arrest(0, later)).joined


def test_a_young_story_that_the_next_report_shows_to_follow_up_a_closed_one_is_merged_into_it():
    later = CHICAGO[-1].published + timedelta(days=45)
    first = arrest(0, later)  # a brief first report: no names to look the closed story up by, so it opens a story
    first = replace(first, names=(), words=tuple((w, c) for w, c in first.words if w in ("arrest", "charged", "murder")), lede_words=("arrest",))
    clusterer = closed_chicago()
    chicago = clusterer.story_of(CHICAGO[0].id)
    assert not clusterer.add(first).joined
    young = clusterer.story_of(first.id)
    second = clusterer.add(arrest(1, later + timedelta(days=1)))  # joins the first report, and follows up Chicago
    assert second.joined and second.story == chicago
    story = clusterer.story(chicago)
    assert story.open and story.articles == (*(f.id for f in CHICAGO), "arrest-0", "arrest-1")
    [event] = clusterer.events
    assert event.kind == "merge" and event.stories == (chicago, young) and "follows up" in event.reason
    off = closed_chicago(ClusterSettings(young_follow_up_size=None))
    off.add(first)
    assert off.add(arrest(1, later + timedelta(days=1))).story == off.story_of(first.id) != off.story_of(CHICAGO[0].id)


def test_a_follow_up_of_another_event_does_not_reopen_a_closed_story():
    clusterer = closed_chicago()
    other = arrest(0, CHICAGO[-1].published + timedelta(days=45), victim="Dana Whitfield")
    other = replace(other, names=tuple((n, c) for n, c in other.names if "chicago" not in n and "johnson" not in n))
    assignment = clusterer.add(replace(other, words=(("festival", 2), ("parade", 1), ("music", 1)), lede_words=("festival",)))
    assert not assignment.joined and assignment.story != clusterer.story_of(CHICAGO[0].id)


def test_a_reopened_story_round_trips_through_records_and_refuses_to_split_out_its_old_articles():
    clusterer = closed_chicago()
    chicago = clusterer.story_of(CHICAGO[0].id)
    clusterer.add(arrest(0, CHICAGO[-1].published + timedelta(days=45)))
    records = json.loads(json.dumps(clusterer.to_records()))
    [record] = [r for r in records if r["type"] == "story" and r["id"] == chicago]
    assert record["open"] and record["seed"]["held"] == [f.id for f in CHICAGO] and "kept" not in record
    restored = StoryClusterer.from_records(records)
    assert restored.stories() == clusterer.stories() and restored.to_records() == records
    later = arrest(1, CHICAGO[-1].published + timedelta(days=46))
    assert restored.add(later) == clusterer.add(later)
    with pytest.raises(ValueError, match="follow-up reopened it"):
        clusterer.split(chicago, [CHICAGO[0].id], "an editor")
    clusterer.split(chicago, ["arrest-1"], "an editor")  # an article it took since has its vectors
    assert clusterer.story_of("arrest-1") != chicago


def test_a_closed_story_keeps_a_profile_in_its_record_that_a_restored_clusterer_looks_up():
    clusterer = closed_chicago()
    chicago = clusterer.story_of(CHICAGO[0].id)
    records = json.loads(json.dumps(clusterer.to_records()))
    [record] = [r for r in records if r["type"] == "story" and r["id"] == chicago]
    assert not record["open"] and "marcus reed" in [n.lower() for n in record["kept"]["names"]]
    restored = StoryClusterer.from_records(records)
    assert restored.add(arrest(0, CHICAGO[-1].published + timedelta(days=45))).story == chicago


def test_merging_a_reopened_story_moves_its_old_articles_and_seed():
    clusterer = closed_chicago()
    chicago = clusterer.story_of(CHICAGO[0].id)
    clusterer.add(arrest(0, CHICAGO[-1].published + timedelta(days=45)))
    oakland = clusterer.story_of(OAKLAND[0].id)
    clusterer.merge(oakland, chicago, "an editor")
    story = clusterer.story(oakland)
    assert set(story.articles) == {OAKLAND[0].id, "arrest-0", *(f.id for f in CHICAGO)}
    assert set(clusterer.held(oakland)) == {f.id for f in CHICAGO}
    assert clusterer.indexed(oakland) and not clusterer.indexed(chicago)
    restored = StoryClusterer.from_records(json.loads(json.dumps(clusterer.to_records())))
    assert restored.assignments() == clusterer.assignments() and restored.held(oakland) == clusterer.held(oakland)
    for c in ("w", "n", "u", "l"):  # the same sums, added in another order
        (restored_centroid, restored_norm2), (centroid, norm2) = restored.centroid(oakland, c), clusterer.centroid(oakland, c)
        assert restored_norm2 == pytest.approx(norm2) and restored_centroid == pytest.approx(centroid)


# --- stragglers: first reports that each opened a story come together as the story grows ------------------

VICTIM_FIRST = text_features("victim-first", "Marcus Reed, 24, was shot and killed on West 63rd Street on Monday night. Neighbours "
                             "heard several shots and found Marcus Reed in a parked car.", title="Marcus Reed shot dead", published=date(2016, 3, 7))
POLICE_FIRST = text_features("police-first", "Chicago Police Chief Eddie Johnson said detectives were questioning a 19-year-old man after "
                             "Monday's killing in Englewood. Eddie Johnson asked witnesses to come forward.",
                             title="Chicago police question teen after Englewood killing", published=date(2016, 3, 7))


@pytest.mark.parametrize("settings, stories", [(ClusterSettings(straggler_size=None), 2), (ClusterSettings(), 1)])
def test_a_first_report_alone_joins_the_story_once_its_coverage_bridges_them(settings, stories):
    # one report names the victim and the street, the other the police chief: neither joins the other's story; the
    # full report joins the first, and then the police report fits the grown story (unless stragglers are off)
    clusterer = StoryClusterer(settings)
    assert not clusterer.add(VICTIM_FIRST).joined and not clusterer.add(POLICE_FIRST).joined
    assert clusterer.add(CHICAGO[1]).story == clusterer.story_of(VICTIM_FIRST.id)
    assert len(clusterer) == stories
    if stories == 1:
        [event] = clusterer.events
        assert event.kind == "merge" and event.articles == (POLICE_FIRST.id,) and "now join it" in event.reason
        assert clusterer.story(clusterer.story_of(POLICE_FIRST.id)).id == story_id(make_article(id=VICTIM_FIRST.id))


# --- add_stream: the articles' vectors made by a second process -----------------------------------------

CITIES = [("Chicago", "Marcus Reed", 24, "West 63rd Street", "Eddie Johnson", 19), ("Oakland", "Luis Ortega", 31, "Foothill Boulevard", "Sean Whent", 27),
          ("Memphis", "Darnell Price", 17, "Lamar Avenue", "Toney Armstrong", 22), ("Tulsa", "Kevin Marsh", 45, "Peoria Avenue", "Chuck Jordan", 33),
          ("Fresno", "Ana Ibarra", 29, "Blackstone Avenue", "Jerry Dyer", 18), ("Dayton", "Tyrell Banks", 20, "Salem Avenue", "Richard Biehl", 21)]


def _stream() -> list:
    """Three reports each of six shootings over nine days, interleaved, and one report sent twice."""
    reports = [shooting(i, city, victim, age, street, chief, suspect, "Monday", date(2016, 3, 7 + k + i))
               for k, (city, victim, age, street, chief, suspect) in enumerate(CITIES) for i in range(3)]
    ordered = sorted(reports, key=lambda f: (f.published, f.id))
    return ordered[:9] + [ordered[4]] + ordered[9:]


def _receipts(monkeypatch) -> list:
    """Record the batches the background process sends back (and make batches of 4 articles, to have several)."""
    batches = []
    receive = Background.receive

    def counted(self):
        out = receive(self)
        batches.append(len(out))
        return out

    monkeypatch.setattr(Background, "receive", counted)
    monkeypatch.setattr(Background, "BATCH", 4)
    return batches


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_add_stream_in_the_background_makes_the_same_stories_and_frequencies_as_add(monkeypatch, method):
    if method == "spawn":  # as in a process running other threads (a web server, a Dask worker)
        monkeypatch.setattr("threading.active_count", lambda: 2)
    stream = _stream()
    one, two = StoryClusterer(), StoryClusterer()
    for c in (one, two):
        c.add(stream[0])  # added before the stream: passed over in it
        c.prime(stream[5:12])  # counted before: the stream does not count them again
    expected = [one.add(f) for f in stream]
    batches = _receipts(monkeypatch)
    assert list(two.add_stream(stream, background=True)) == expected
    assert len(batches) == 5 and sum(batches) == len(stream) - 2  # the two duplicates were not sent
    assert two.df == one.df and two.n_docs == one.n_docs and two.stories() == one.stories()
    assert two.to_records() == one.to_records()


def test_a_stream_stopped_early_keeps_the_frequencies_of_the_articles_it_added(monkeypatch):
    stream = _stream()
    _receipts(monkeypatch)
    whole, stopped = StoryClusterer(), StoryClusterer()
    for f in stream:
        whole.add(f)
    running = stopped.add_stream(stream, background=True)
    for _ in range(6):  # the background process has counted batches further ahead than this
        next(running)
    running.close()
    assert stopped.n_docs == 6 and stopped.df == _added(stream[:6]).df
    for f in stream[6:]:  # and it goes on as if it had never stopped
        stopped.add(f)
    assert stopped.to_records() == whole.to_records()


def _added(features) -> StoryClusterer:
    clusterer = StoryClusterer()
    for f in features:
        clusterer.add(f)
    return clusterer


def test_add_prime_and_saving_refuse_while_a_background_stream_runs_and_work_after_it(monkeypatch):
    stream = _stream()
    clusterer = StoryClusterer()
    running = clusterer.add_stream(stream[:-1], background=True)
    next(running)
    for refused in (lambda: clusterer.add(stream[-1]), lambda: clusterer.prime(stream[-1:]), clusterer.to_records):
        with pytest.raises(RuntimeError, match="while a stream is being added"):
            refused()
    list(running)
    assert clusterer.add(stream[-1]) == _added(stream[:-1]).add(stream[-1])


def test_a_background_process_that_fails_is_a_clear_error():
    broken = replace(CHICAGO[1], words=((1, 1),))  # not a term: the background process fails on it
    clusterer = StoryClusterer()
    with pytest.raises(ClusterError, match=r"background process preparing articles failed \(TypeError.*background=False"):
        list(clusterer.add_stream([CHICAGO[0], broken, CHICAGO[2]], background=True))
    assert clusterer.assignments() == {} and clusterer.n_docs == 0  # its batch was not added, nor half-added
    assert clusterer.add(CHICAGO[0]) == StoryClusterer().add(CHICAGO[0]) and clusterer.df == _added(CHICAGO[:1]).df


def test_a_short_stream_is_added_in_this_process_unless_asked(monkeypatch):
    started = []
    monkeypatch.setattr(Background, "start", classmethod(lambda cls, *state: started.append(state)))  # returns None
    clusterer = StoryClusterer()
    assert [a.story for a in clusterer.add_stream(CHICAGO)] == [clusterer.story_of(CHICAGO[0].id)] * 3
    assert started == []  # fewer than Background.MIN articles: no process started
    list(StoryClusterer().add_stream(iter(OAKLAND), background=True))
    assert len(started) == 1  # asked; where none can start, the stream is added here


def test_words_common_in_news_weigh_little_however_few_articles_a_batch_holds(monkeypatch):
    from newsweave.stories import vectors

    a = text_features("a", "Police said the gunman fired at the Lakeview ferry terminal on Tuesday.", title="Gunman fires at Lakeview ferry")
    b = text_features("b", "Police said a gunman opened fire at the ferry terminal in Lakeview.", title="Shots at Lakeview ferry terminal")
    df = Counter(k for f in (a, b) for k in vectors.keys_of(f))
    weights = vectors.vectorise(vectors.terms_of(a), dict(df), 2, counted=True)["w"]
    prior = vectors.reference_frequencies()
    assert prior["wpolice"] > 10 * prior.get("wferry", 0.0)  # the shipped reference corpus: "police" is everywhere
    with_reference = weights["ferry"] / weights["police"]
    monkeypatch.setattr(vectors, "reference_frequencies", lambda: {})
    monkeypatch.setattr(vectors, "REFERENCE_ARTICLES", 0)
    alone = vectors.vectorise(vectors.terms_of(a), dict(df), 2, counted=True)["w"]
    # counted over the batch alone, both words of both articles weigh what their counts say, and nothing tells them
    # apart; with the reference, the event's word weighs far more
    assert with_reference > 3 * alone["ferry"] / alone["police"]


def test_one_events_coverage_clustered_alone_is_one_story():
    tellings = [
        ("Ferry crash", "A passenger ferry struck the harbour wall at Port Elwin on Sunday evening, injuring eleven people, the "
                        "coastguard said. The vessel, the Morning Gull, had left the island of Carrow an hour earlier."),
        ("Eleven hurt as ferry hits harbour wall", "Eleven passengers were hurt when the Morning Gull ferry from Carrow hit the wall "
                                                   "of Port Elwin harbour on Sunday, according to coastguard officials."),
        ("Port Elwin ferry accident", "Coastguard officers said the ferry Morning Gull collided with the Port Elwin harbour wall late "
                                      "on Sunday after crossing from Carrow. Eleven people were taken to hospital."),
        ("Steering fault suspected in Morning Gull crash", "Investigators believe a steering fault sent the Morning Gull into the "
                                                           "harbour wall at Port Elwin, the ferry operator said on Monday."),
    ]
    feats = [text_features(f"a{k}", body, title=title, published=date(2026, 3, 1 + (k == 3))) for k, (title, body) in enumerate(tellings)]
    assert len(cluster_records(feats)) == 1
    assert len(cluster_records(list(reversed(feats)))) == 1
