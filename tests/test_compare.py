from datetime import date

import numpy as np

from newsweave.dossier.compare import Statement, compare, story_conflicts
from newsweave.dossier.when import precise_day
from newsweave.model import INF, Entity, Quantity, Quote, Sentence


def statement(article: str, text: str, quantities=(), entities=(), quotes=(), published=date(2025, 11, 1)) -> Statement:
    return Statement(article, Sentence(article, 0, 0, text, entities=tuple(entities), quantities=tuple(quantities), quotes=tuple(quotes)), published)


def day(text, predicate) -> Entity:
    """A date entity with what its sentence says of it."""
    return Entity(text, "DATE", text.lower(), 0, len(text), predicate)


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


def test_compare_different_days_are_a_date_conflict():
    [conflict], _ = compare([
        statement("a", "struck late on Wednesday, Oct 29", entities=[date_entity("Wednesday, Oct 29")]),
        statement("b", "struck on Thursday, Oct 30", entities=[date_entity("Thursday, Oct 30")]),
    ])
    assert conflict.kind == "date" and [v.value for v in conflict.values] == ["2025-10-29", "2025-10-30"]


def test_compare_a_neighbouring_weekday_is_a_date_conflict():
    [conflict], _ = compare([
        statement("a", "struck on Wednesday", entities=[date_entity("Wednesday")]),
        statement("b", "struck on Thursday", entities=[date_entity("Thursday")]),
        statement("c", "struck late on Wednesday", entities=[date_entity("late on Wednesday")]),
    ])
    assert conflict.kind == "date" and [(v.value, v.articles) for v in conflict.values] == [("Wednesday", ("a", "c")), ("Thursday", ("b",))]


def test_compare_two_weekdays_both_given_by_one_article_are_not_a_disagreement():
    conflicts, _ = compare([
        statement("a", "was shot on Sunday", entities=[date_entity("Sunday")]),
        statement("a", "died on Monday", entities=[date_entity("Monday")]),
        statement("b", "died on Monday", entities=[date_entity("Monday")]),
        statement("b", "was shot on Sunday", entities=[date_entity("Sunday")]),
    ])
    assert conflicts == ()


def test_compare_the_same_first_name_with_another_surname_is_a_name_conflict():
    person = lambda text: Entity(text, "PERSON", text.lower(), 0, len(text))  # noqa: E731
    [conflict], _ = compare([
        statement("a", "Ernest Jasper, 46, was shot", entities=[person("Ernest Jasper")]),
        statement("b", "Ernest Casper, 46, was shot", entities=[person("Ernest Casper")]),
    ])
    assert conflict.kind == "name" and sorted(v.value for v in conflict.values) == ["Ernest Casper", "Ernest Jasper"]
    listed, _ = compare([  # one article naming both is naming two people
        statement("a", "Ernest Jasper and Ernest Casper were shot", entities=[person("Ernest Jasper"), person("Ernest Casper")]),
        statement("b", "Ernest Casper was shot", entities=[person("Ernest Casper")]),
    ])
    assert listed == ()


def test_compare_the_same_speaker_in_other_words_is_a_wording_variant():
    speaker = Entity("Nicolás Paredes", "PERSON", "nicolas paredes", 0, 15)
    conflicts, [variant] = compare([
        statement("a", "", entities=[speaker], quotes=[Quote("The whole house was moving like a boat", "Nicolás Paredes", 0, 10)]),
        statement("b", "", entities=[speaker], quotes=[Quote("My house swayed like a ship at sea", "Nicolás Paredes", 0, 10)]),
    ])
    assert conflicts == () and variant.speaker == "nicolas paredes" and len(variant.quotes) == 2


def test_story_conflicts_compare_counts_the_value_model_calls_one_things_across_claims():
    statements = [
        statement("a", "The strikes have killed at least 61 people.", quantities=[q("at least 61 people", 61, INF, predicate="kill")]),
        statement("b", "US strikes on boats have killed 16 people since September, officials say.",
                  quantities=[q("16 people", 16, predicate="kill")]),
        statement("b", "The storm injured 16 people.", quantities=[q("16 people", 16, predicate="injure")]),
    ]
    alike = np.array([[1.0, 0.95, 0.95], [0.95, 1.0, 0.1], [0.95, 0.1, 1.0]])
    [(conflict, members)] = story_conflicts(statements, alike, claim_of=[0, 1, 2])
    assert conflict.kind == "number" and members == (0, 1) and conflict.about == "kill"  # the injured are another toll
    vigil = [statements[0], statement("b", "Some 16 people attended a vigil.", quantities=[q("Some 16 people", 16, predicate="attend")])]
    unlike = np.array([[1.0, 0.02], [0.02, 1.0]])
    assert story_conflicts(vigil, unlike, claim_of=[0, 1]) == []  # nothing alike, another verb: not one thing's values


def test_an_article_that_gives_both_values_counts_two_things():
    statements = [
        statement("a", "He played 10 games this season.", quantities=[q("10 games", 10, unit="game", predicate="play")]),
        statement("a", "He has missed 16 games.", quantities=[q("16 games", 16, unit="game", predicate="miss")]),
        statement("b", "He played 16 games this season.", quantities=[q("16 games", 16, unit="game", predicate="play")]),
    ]
    assert story_conflicts(statements, np.full((3, 3), 0.95), claim_of=[0, 1, 2]) == []


def test_a_sentence_dated_in_another_year_is_history_not_a_disagreement():
    statements = [
        statement("a", "The quake killed at least 11 people.", quantities=[q("at least 11 people", 11, INF, predicate="kill")]),
        statement("b", "In April 2016 a quake killed more than 650 people.", quantities=[q("more than 650 people", 650, INF, low_open=True, predicate="kill")],
                  entities=[date_entity("April 2016")]),
        statement("c", "The quake killed 3 people.", quantities=[q("3 people", 3, predicate="kill")]),
    ]
    scores = np.full((3, 3), 0.9)
    found = story_conflicts(statements, scores, claim_of=[0, 1, 2], threshold=0.25)
    assert [(c.kind, members) for c, members in found] == [("number", (0, 2))]


def test_the_age_of_one_named_person_is_compared_and_never_with_an_unnamed_persons():
    def age(text, years, holder=None):
        return q(text, years, unit="age", predicate="shoot", holder=holder)
    statements = [
        statement("a", "Ernest Jasper, 46, was shot outside the bar.", quantities=[age("46", 46, "jasper")]),
        statement("b", "Police named the victim as Ernest Jasper, 47.", quantities=[age("47", 47, "jasper")]),
        statement("b", "A 21-year-old man was shot in the leg.", quantities=[age("21-year-old", 21, "the man")]),
    ]
    [(conflict, members)] = story_conflicts(statements, np.full((3, 3), 0.95), claim_of=[0, 1, 2])
    assert conflict.kind == "number" and members == (0, 1) and [v.value for v in conflict.values] == ["46", "47"]


def test_a_date_without_a_year_in_an_undated_article_takes_the_year_the_others_give():
    conflicts, _ = compare([
        statement("a", "The ceremony is on March 2, 2014.", entities=[date_entity("March 2, 2014")]),
        statement("b", "The ceremony is on March 3.", entities=[date_entity("March 3")], published=None),
    ])
    assert [(c.kind, [v.value for v in c.values]) for c in conflicts] == [("date", ["2014-03-02", "2014-03-03"])]


def test_one_name_spelled_with_a_nickname_or_a_space_is_not_a_name_conflict():
    person = lambda text: Entity(text, "PERSON", text.lower(), 0, len(text))  # noqa: E731
    conflicts, _ = compare([
        statement("a", 'Officer Jonathan "JD" De Guzman was killed', entities=[person('Jonathan "JD" De Guzman')]),
        statement("b", "Officer Jonathan DeGuzman was killed", entities=[person("Jonathan DeGuzman")]),
    ])
    assert conflicts == ()
    # real gun-violence coverage: the entity's key had lost the quote marks ("jonathan jd de guzman")
    keyed = Entity('Jonathan "JD" De Guzman', "PERSON", "jonathan jd de guzman", 0, 23)
    conflicts, _ = compare([
        statement("a", 'Jonathan "JD" De Guzman was killed', entities=[keyed]),
        statement("b", "Jonathan DeGuzman was killed", entities=[person("Jonathan DeGuzman")]),
    ])
    assert conflicts == ()


def unnamed_age(text, years, noun=None):
    return q(text, years, unit="age", predicate="shoot", holder=f"the {noun}" if noun else None)


def test_unnamed_ages_compare_words_that_could_be_one_person_never_a_boy_and_a_man():
    statements = [
        statement("a", "A 2-year-old boy was shot.", quantities=[unnamed_age("2-year-old", 2, "boy")]),
        statement("b", "A shooting involving a 5-year-old.", quantities=[unnamed_age("5-year-old", 5)]),
        statement("c", "A 21-year-old man was shot.", quantities=[unnamed_age("21-year-old", 21, "man")]),
    ]
    found = story_conflicts(statements, np.full((3, 3), 0.95), claim_of=[0, 1, 2])
    assert sorted(sorted(v.value for v in c.values) for c, _ in found) == [["2-year-old", "5-year-old"], ["21-year-old", "5-year-old"]]


def test_an_article_giving_two_boys_ages_leaves_the_boys_ages_unpaired():
    statements = [
        statement("a", "A 15-year-old boy died.", quantities=[unnamed_age("15-year-old", 15, "boy")]),
        statement("a", "A 13-year-old boy was with him.", quantities=[unnamed_age("13-year-old", 13, "boy")]),
        statement("b", "A 13-year-old boy was shot.", quantities=[unnamed_age("13-year-old", 13, "boy")]),
        statement("c", "A 15-year-old boy was shot.", quantities=[unnamed_age("15-year-old", 15, "boy")]),
    ]
    found = story_conflicts(statements, np.full((4, 4), 0.95), claim_of=[0, 1, 2, 3])
    assert [sorted(v.articles for v in c.values) for c, _ in found] == [[("b",), ("c",)]]  # b and c disagree; a names both boys


def block(article, text, number):
    words = f"{number} block"
    return statement(article, text, quantities=[q(words, number, unit="block", start=text.index(words), end=text.index(words) + len(words))])


def test_a_part_of_a_count_and_a_block_on_another_street_are_no_conflict_but_one_street_is():
    shot = lambda text, n, **kw: q(text, n, predicate="shoot", **kw)  # noqa: E731
    statements = [
        statement("a", "Five people were shot.", quantities=[shot("Five people", 5)]),
        statement("b", "Medics took two other people to hospital.", quantities=[shot("two other people", 2)]),
        statement("c", "The other three people were shot in the legs.", quantities=[shot("three people", 3, start=10, end=22)]),
        block("a", "It happened in the 400 block of Gilmer Street.", 400),
        block("b", "It happened in the 4400 block of Alan Kent Drive.", 4400),
        block("c", "It happened in the 4000 block of Gilmer Street.", 4000),
    ]
    found = story_conflicts(statements, np.full((6, 6), 0.6), claim_of=[0, 1, 2, 3, 4, 5])
    assert [(c.kind, sorted(v.value for v in c.values)) for c, _ in found] == [("number", ["400 block", "4000 block"])]


def test_the_day_something_was_said_is_no_conflict_and_the_day_of_the_shooting_is():
    statements = [
        statement("a", "Police said Friday the man was shot Monday.", entities=[day("Friday", "say"), day("Monday", "shoot")]),
        statement("b", "Police said Saturday a man was hurt in the shooting on Tuesday.", entities=[day("Saturday", "say"), day("Tuesday", "shoot")]),
    ]
    [(conflict, _)] = story_conflicts(statements, np.full((2, 2), 0.6), claim_of=[0, 1])
    assert [v.value for v in conflict.values] == ["Monday", "Tuesday"]


def test_a_death_days_after_the_shooting_in_a_sentence_unlike_the_shootings_is_no_conflict():
    statements = [
        statement("a", "The boy was shot Saturday night.", entities=[day("Saturday", "shoot")]),
        statement("b", "The boy died Monday in hospital.", entities=[day("Monday", "kill")]),
    ]
    assert story_conflicts(statements, np.array([[1.0, 0.2], [0.2, 1.0]]), claim_of=[0, 1]) == []


def test_a_misspelt_or_another_surname_is_a_conflict_and_a_middle_name_or_a_park_is_not():
    person = lambda text: Entity(text, "PERSON", text.lower(), 0, len(text))  # noqa: E731
    statements = [
        statement("a", "Spokesman Ernest Jasper said police acted fast.", entities=[person("Ernest Jasper")]),
        statement("b", "Spokesman Ernest Hargrove said officers acted fast.", entities=[person("Ernest Hargrove")]),
        statement("a", "The victim was identified as Eugene Linscomb.", entities=[person("Eugene Linscomb")]),
        statement("b", "The gunman confronted Eugene Linsomb.", entities=[person("Eugene Linsomb")]),
        statement("a", "Todd James Webb Jr. was charged.", entities=[person("Todd James Webb Jr.")]),
        statement("b", "Todd Webb was charged.", entities=[person("Todd Webb")]),
        statement("a", "The parade on Martin Luther King Day went on.", entities=[person("Martin Luther King Day")]),
        statement("b", "Shots rang out near Martin Luther King Jr. Park.", entities=[person("Martin Luther King Jr. Park")]),
    ]
    scores = np.full((8, 8), 0.52)
    found = story_conflicts(statements, scores, claim_of=list(range(8)))
    assert sorted(sorted(v.value for v in c.values) for c, _ in found) == [["Ernest Hargrove", "Ernest Jasper"],
                                                                           ["Eugene Linscomb", "Eugene Linsomb"]]


def test_two_people_of_one_first_name_are_no_conflict_where_an_article_knows_both():
    # real gun-violence coverage: spokesman John Cannon in one outlet, the resident John Wilson in another
    person = lambda text: Entity(text, "PERSON", text.lower(), 0, len(text))  # noqa: E731
    cannon = statement("a", "Spokesman John Cannon said police acted fast.", entities=[person("John Cannon")])
    wilson = statement("b", "John Wilson, first thought a second shooter, came out to help.", entities=[person("John Wilson")])
    assert [c.kind for c, _ in story_conflicts([cannon, wilson], np.full((2, 2), 0.52), claim_of=[0, 1])] == ["name"]
    writes_cannon = statement("b", "Cannon said the man was not a suspect.", entities=[person("Cannon")])
    assert story_conflicts([cannon, wilson, writes_cannon], np.full((3, 3), 0.52), claim_of=[0, 1, 2]) == []
    names_both = statement("c", "John Cannon said John Wilson came out to help.", entities=[person("John Cannon"), person("John Wilson")])
    assert story_conflicts([cannon, wilson, names_both], np.full((3, 3), 0.52), claim_of=[0, 1, 2]) == []
    text = "Lt. John McGalin said he felt safe there."
    lieutenant = statement("b", text, entities=[Entity("John McGalin", "PERSON", "john mcgalin", 4, 16)])
    text = "Spokesman John Cannon said police acted fast."
    spokesman = statement("a", text, entities=[Entity("John Cannon", "PERSON", "john cannon", 10, 21)])
    assert story_conflicts([spokesman, lieutenant], np.full((2, 2), 0.52), claim_of=[0, 1]) == []  # two titles: two people
    lieutenant = statement("b", "Spokesman John McGalin said", entities=[Entity("John McGalin", "PERSON", "john mcgalin", 10, 22)])
    assert [c.kind for c, _ in story_conflicts([spokesman, lieutenant], np.full((2, 2), 0.52), claim_of=[0, 1])] == ["name"]


def test_a_block_number_is_compared_on_one_street_whatever_its_kind_is_called_and_not_on_one_direction():
    statements = [
        block("a", "Shots were fired in the 4700 block of South Ashland Avenue.", 4700),
        block("b", "Five were shot in the 11300 block of South Forest Avenue.", 11300),
        block("a", "He lived in the 300 block of West Flournoy Street.", 300),
        block("b", "He lived nearby in the 3000 block of West Flournoy, police said.", 3000),
    ]
    found = story_conflicts(statements, np.full((4, 4), 0.6), claim_of=[0, 1, 2, 3])
    assert [sorted(v.value for v in c.values) for c, _ in found] == [["300 block", "3000 block"]]


def test_a_surname_alone_is_the_one_person_of_that_surname_and_no_one_where_a_family_shares_it():
    def age(text, years, holder):
        return q(text, years, unit="age", predicate="shoot", holder=holder)
    statements = [
        statement("a", "Travis Ruffin, 30, was hit in the arm.", quantities=[age("30", 30, "travis ruffin")]),
        statement("b", "Etyra Ruffin, 10, was grazed.", quantities=[age("10", 10, "etyra ruffin")]),
        statement("c", "Ruffin, 31, was taken to hospital.", quantities=[age("31", 31, "ruffin")]),
        statement("a", "Ernest Jasper, 46, was shot.", quantities=[age("46", 46, "ernest jasper")]),
        statement("b", "Jasper, 47, died.", quantities=[age("47", 47, "jasper")]),
    ]
    found = story_conflicts(statements, np.full((5, 5), 0.3), claim_of=[0, 1, 2, 3, 4], strict=0.5)
    assert [[v.value for v in c.values] for c, _ in found] == [["46", "47"]]


def test_a_sentence_dating_two_happenings_gives_each_its_date():
    conflicts, _ = compare([
        statement("a", "He was shot on May 2, 2025 and died on May 4, 2025.", entities=[day("May 2, 2025", "shoot"), day("May 4, 2025", "kill")]),
        statement("b", "He was shot on May 3, 2025.", entities=[day("May 3, 2025", "shoot")]),
    ])
    assert [(c.kind, [v.value for v in c.values]) for c in conflicts] == [("date", ["2025-05-02", "2025-05-03"])]


def test_days_of_sentences_the_model_calls_one_happenings_are_compared_and_others_are_not():
    statements = [
        statement("a", "Officers responded to the shooting Monday night.", entities=[day("Monday", "respond")]),
        statement("b", "The man was shot Tuesday night.", entities=[day("Tuesday", "shoot")]),
        statement("c", "A suspect was arrested Thursday.", entities=[day("Thursday", "arrest")]),
    ]
    alike = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.1], [0.1, 0.1, 1.0]])
    [(conflict, members)] = story_conflicts(statements, alike, claim_of=[0, 1, 2])
    assert [v.value for v in conflict.values] == ["Monday", "Tuesday"] and members == (0, 1)


def test_incident_verbs_come_from_the_fitted_table_without_the_verbs_of_saying():
    from newsweave.dossier.when import REPORTING, incident_verbs
    fitted = incident_verbs()
    assert {"shoot", "respond"} <= fitted and "arrest" not in fitted and not fitted & REPORTING
    assert incident_verbs(0.0) > fitted > incident_verbs(1.01) == frozenset()


def test_a_date_line_is_the_outlets_own_day_and_a_trailing_dash_is_no_other_name():
    person = lambda text: Entity(text, "PERSON", text.lower(), 0, len(text))  # noqa: E731
    statements = [
        statement("a", "MONDAY, MAY 23, 2005", entities=[day("MONDAY, MAY 23, 2005", "monday")]),
        statement("b", "Tuesday, May 24, 2005", entities=[day("Tuesday, May 24, 2005", "tuesday")]),
        statement("a", "A Vancouver man-Eric Allen Kirkpatrick-was charged.", entities=[person("Eric Allen Kirkpatrick-")]),
        statement("b", "His accused killer, Eric Kirkpatrick, appeared in court.", entities=[person("Eric Kirkpatrick")]),
    ]
    assert story_conflicts(statements, np.full((4, 4), 0.9), claim_of=[0, 1, 2, 3]) == []


def test_a_date_without_its_year_is_the_last_such_day_before_publication_or_in_the_week_after():
    assert precise_day("Nov. 23", date(2017, 1, 10))[0] == date(2016, 11, 23)
    assert precise_day("April 8", date(2013, 12, 12))[0] == date(2013, 4, 8)
    assert precise_day("Jan. 14", date(2017, 1, 10))[0] == date(2017, 1, 14)  # a hearing days ahead
    assert precise_day("Nov. 23, 2017", date(2017, 1, 10))[0] == date(2017, 11, 23)  # the year written


def test_a_shooting_dated_a_day_apart_conflicts_though_the_story_also_dates_an_earlier_one_months_before():
    # real gun-violence coverage: the courthouse shooting of July 11 vs 12, and an April incident it stems from
    statements = [
        statement("a", "Two bailiffs were shot dead on Monday, July 11, 2016.", entities=[day("Monday, July 11, 2016", "shoot")]),
        statement("b", "Two bailiffs were shot dead on Monday, July 12, 2016.", entities=[day("Monday, July 12, 2016", "shoot")]),
        statement("c", "The charges stem from a man shot on April 20, 2016.", entities=[day("April 20, 2016", "shoot")]),
    ]
    [(conflict, members)] = story_conflicts(statements, np.full((3, 3), 0.6), claim_of=[0, 1, 2])
    assert conflict.kind == "date" and [v.value for v in conflict.values] == ["2016-07-11", "2016-07-12"]


def test_alike_sentences_dating_different_happenings_months_apart_are_not_compared():
    statements = [
        statement("a", "Police work at the scene on Sunday, March 26, 2017.", entities=[day("Sunday, March 26, 2017", "work")]),
        statement("b", "Police work at a scene on Friday, March 3, 2017.", entities=[day("Friday, March 3, 2017", "stand")]),
        statement("c", "Police work at the scene on Tuesday, June 6, 2017.", entities=[day("Tuesday, June 6, 2017", "remove")]),
    ]
    assert story_conflicts(statements, np.full((3, 3), 0.9), claim_of=[0, 1, 2]) == []


def test_a_date_with_a_time_zone_name_dateutil_does_not_know_is_read_without_a_warning(recwarn):
    # real gun-violence timestamps ("... 8:42 EDT", "2:20:54 PM CST") made dateutil warn once per sentence
    assert precise_day("Tuesday, September 2, 2014 8:42 EDT", date(2014, 9, 3))[0] == date(2014, 9, 2)
    assert precise_day("January 17, 2017 2:20:54 PM XYZT", None)[0] == date(2017, 1, 17)
    assert not [w for w in recwarn if "timezone" in str(w.message).lower() or "tzname" in str(w.message)]


def test_a_toll_is_compared_between_sentences_that_differ_most_and_never_with_another_kind_of_toll():
    statements = [
        statement("a", "2 dead in overnight shooting", quantities=[q("2", 2, predicate="kill")]),
        statement("b", "Police said three men were killed when gunfire erupted outside a bar on Main Street late Friday.",
                  quantities=[q("three men", 3, unit="man", predicate="kill")]),
        statement("b", "Police said three people were killed after the argument.", quantities=[q("three people", 3, predicate="kill")]),
        statement("b", "Four people were hurt.", quantities=[q("Four people", 4, predicate="injure")]),
    ]
    scores = np.full((4, 4), 0.3)
    found = story_conflicts(statements, scores, claim_of=[0, 1, 2, 3])
    assert [(c.kind, c.about, sorted(v.value for v in c.values)) for c, _ in found] == [("number", "kill", ["2", "three people"])]
    assert story_conflicts(statements, np.full((4, 4), 0.1), claim_of=[0, 1, 2, 3]) == []  # nothing alike enough


def test_value_pairs_features_by_sparse_products_equal_those_set_by_set(monkeypatch):
    import random

    from newsweave.dossier import sameness
    from newsweave.dossier.sameness import ValueMention, candidate_pairs, pair_features

    rng = random.Random(3)
    vocabulary = "police shot killed teen street night home car officer victim".split()
    mentions = [ValueMention(k, "people" if k % 4 else "age", rng.choice(["kill", "shoot", None]), bool(k % 3), frozenset(rng.sample(vocabulary, 3)),
                             k % 5, q(f"{k % 6} people", k % 6), frozenset(rng.sample(vocabulary, 1)), frozenset(rng.sample(vocabulary, 2)),
                             1 + k % 2, rng.choice([None, "m,minor", "f,"]))
                for k in range(60)]
    articles = [f"a{k % 9}" for k in range(60)]
    scores = np.random.default_rng(0).random((60, 60))
    pairs = candidate_pairs(mentions, articles)
    assert pairs == sorted(pairs) and all(articles[i] != articles[j] and mentions[i].key == mentions[j].key for i, j in pairs)
    assert (0, 1) not in pairs or sameness.fits(mentions[0].role, mentions[1].role)
    monkeypatch.setattr(sameness, "SPARSE_FROM", 10**9)  # set by set
    by_sets = pair_features(mentions, articles, scores)
    monkeypatch.setattr(sameness, "SPARSE_FROM", 0)  # sparse products, whatever the number of pairs
    by_products = pair_features(mentions, articles, scores)
    assert (by_sets[0] == np.array(pairs)).all() and (by_products[0] == by_sets[0]).all()
    assert np.allclose(by_products[1], by_sets[1], rtol=0, atol=1e-12)
    i, j = pairs[0]
    assert by_sets[1][0, 0] == scores[i, j]  # how alike their sentences are, as the alignment says
