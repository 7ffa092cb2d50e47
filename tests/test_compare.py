from datetime import date

from newsweave.dossier.compare import Statement, compare
from newsweave.model import INF, Entity, Quantity, Quote, Sentence


def statement(article: str, text: str, quantities=(), entities=(), quotes=(), published=date(2025, 11, 1)) -> Statement:
    return Statement(article, Sentence(article, 0, 0, text, entities=tuple(entities), quantities=tuple(quantities), quotes=tuple(quotes)), published)


def q(text, low, high=None, unit="people", **kw) -> Quantity:
    return Quantity(text, float(low), float(low if high is None else high), unit=unit, **kw)


def test_compare_more_than_a_dozen_is_compatible_with_14():
    conflicts, _ = compare([
        statement("a", "more than a dozen strikes", [q("more than a dozen strikes", 12, INF, unit="strike", low_open=True)]),
        statement("b", "14 strikes", [q("14 strikes", 14, unit="strike")]),
    ])
    assert conflicts == ()


def test_compare_at_least_61_conflicts_with_16_and_explains_it():
    [conflict], _ = compare([
        statement("a", "killed at least 61 people", [q("at least 61 people", 61, INF)]),
        statement("b", "killed at least 61 people", [q("61 people", 61)]),
        statement("c", "killed 16 people", [q("16 people", 16)]),
    ])
    assert conflict.kind == "number"
    assert [(v.value, v.articles) for v in conflict.values] == [("at least 61 people", ("a", "b")), ("16 people", ("c",))]
    assert "16" in conflict.explanation and "61" in conflict.explanation


def test_compare_different_units_are_not_compared():
    conflicts, _ = compare([
        statement("a", "5,000 troops", [q("5,000 troops", 5000, unit="troop")]),
        statement("b", "two squadrons", [q("two squadrons", 2, unit="squadron")]),
    ])
    assert conflicts == ()


def designator(key):
    return Entity(key, "DESIGNATOR", key.upper(), 0, len(key))


def test_compare_a_typo_in_a_model_number_is_a_designator_conflict():
    [conflict], _ = compare([
        statement("a", "Su-30MK2 jets", entities=[designator("Su-30MK2")]),
        statement("b", "Su-30MK2 jets", entities=[designator("Su-30MK2")]),
        statement("c", "Su-20MK2 jets", entities=[designator("Su-20MK2")]),
    ])
    assert conflict.kind == "designator"
    assert [(v.value, v.articles) for v in conflict.values] == [("Su-30MK2", ("a", "b")), ("Su-20MK2", ("c",))]


def test_compare_two_different_aircraft_families_are_not_a_conflict():
    conflicts, _ = compare([statement("a", "F-16 jets", entities=[designator("F-16")]), statement("b", "Su-30 jets", entities=[designator("Su-30")])])
    assert conflicts == ()


def test_compare_an_article_listing_both_models_is_not_disagreeing():
    conflicts, _ = compare([
        statement("a", "Buk-M2E and Buk-M1", entities=[designator("Buk-M2E"), designator("Buk-M1")]),
        statement("b", "Buk-M2E", entities=[designator("Buk-M2E")]),
    ])
    assert conflicts == ()


def date_entity(text):
    return Entity(text, "DATE", text.lower(), 0, len(text))


def test_compare_different_days_are_a_date_conflict_and_weekdays_alone_are_not():
    [conflict], _ = compare([
        statement("a", "struck late on Wednesday, Oct 29", entities=[date_entity("Wednesday, Oct 29")]),
        statement("b", "struck on Thursday, Oct 30", entities=[date_entity("Thursday, Oct 30")]),
    ])
    assert conflict.kind == "date" and [v.value for v in conflict.values] == ["2025-10-29", "2025-10-30"]
    conflicts, _ = compare([
        statement("a", "on Wednesday", entities=[date_entity("Wednesday")]),
        statement("b", "on Thursday", entities=[date_entity("Thursday")]),
    ])
    assert conflicts == ()


def test_compare_the_same_speaker_in_other_words_is_a_wording_variant():
    speaker = Entity("Nicolás Paredes", "PERSON", "nicolas paredes", 0, 15)
    conflicts, [variant] = compare([
        statement("a", "", entities=[speaker], quotes=[Quote("The whole house was moving like a boat", "Nicolás Paredes", 0, 10)]),
        statement("b", "", entities=[speaker], quotes=[Quote("My house swayed like a ship at sea", "Nicolás Paredes", 0, 10)]),
    ])
    assert conflicts == () and variant.speaker == "nicolas paredes" and len(variant.quotes) == 2
