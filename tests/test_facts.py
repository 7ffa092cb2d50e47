"""Key facts: each article's toll, grouped across the story's articles, with a verdict the dates explain."""

import math
from datetime import date

import pytest

from newsweave.dossier.facts import key_facts, shown
from newsweave.model import INF, AnalyzedArticle, Casualty, Entity, Quantity, Sentence
from newsweave.nlp import analyze_articles, load_pipeline
from newsweave.nlp.casualties import article_toll

from .conftest import make_article


def count(low: float, high: float | None = None, **how) -> Quantity:
    return Quantity(f"{low}", low, low if high is None else high, unit="people", **how)


def report(outlet: str, day: int | None, *said: tuple[str, Quantity], lemmas: tuple[str, ...] = ("kill",)) -> AnalyzedArticle:
    """An article of `outlet` published on November `day` whose one sentence states the counts `said`."""
    text = f"{outlet} report on the shooting."
    article = make_article(text, outlet=outlet, published=date(2025, 11, day) if day else None)
    sentence = Sentence(article.id, 0, 0, text, lemmas=lemmas, casualties=tuple(Casualty(kind, q) for kind, q in said))
    return AnalyzedArticle(article, (sentence,))


def fact(kind: str, *articles: AnalyzedArticle):
    return next(f for f in key_facts(articles) if f.kind == kind)


def test_one_count_from_two_outlets_is_corroborated_and_from_one_single_source():
    two = fact("killed", report("The Ledger", 1, ("killed", count(3))), report("The Courier", 1, ("killed", count(3))))
    assert (two.value, two.number, two.verdict, len(two.values)) == ("3", 3.0, "corroborated", 1)
    one = fact("killed", report("The Ledger", 1, ("killed", count(3))))
    assert one.verdict == "single source"


def test_a_vaguer_count_that_agrees_is_less_specific_and_the_fact_is_the_precise_one():
    f = fact("killed", report("The Ledger", 1, ("killed", count(2, INF))), report("The Courier", 1, ("killed", count(3))))
    assert (f.value, f.verdict) == ("3", "less specific")
    assert [v.value for v in f.values] == ["at least 2", "3"]


def test_a_toll_that_rises_in_later_reports_is_updated_with_its_timeline():
    f = fact("killed", report("The Courier", 2, ("killed", count(2))), report("The Ledger", 1, ("killed", count(1))),
             report("The Post", 2, ("killed", count(2))))
    assert (f.value, f.number, f.verdict) == ("2", 2.0, "updated")
    assert [(v.value, v.published, len(v.articles)) for v in f.values] == [("1", date(2025, 11, 1), 1), ("2", date(2025, 11, 2), 2)]


def test_counts_that_differ_on_one_day_are_disputed_and_the_fact_is_what_most_report():
    f = fact("injured", report("The Ledger", 1, ("injured", count(4))), report("The Courier", 1, ("injured", count(5))),
             report("The Post", 1, ("injured", count(4))))
    assert (f.value, f.verdict) == ("4", "disputed")


def test_an_old_count_repeated_after_the_new_one_is_a_dispute_not_an_update():
    f = fact("killed", report("The Ledger", 1, ("killed", count(2))), report("The Courier", 2, ("killed", count(3))),
             report("The Post", 3, ("killed", count(2))))
    assert f.verdict == "disputed"


def test_undated_reports_are_never_called_an_update():
    f = fact("killed", report("The Ledger", 1, ("killed", count(1))), report("The Courier", None, ("killed", count(2))))
    assert f.verdict == "disputed"


def test_a_count_of_people_shot_with_no_death_mentioned_is_none_killed_and_that_many_injured():
    toll = article_toll(report("The Ledger", 1, ("shot", count(2)), lemmas=("shoot", "street")).sentences)
    assert (toll["killed"].quantity.low, toll["killed"].inferred) == (0.0, True)
    assert toll["injured"].quantity.low == toll["injured"].quantity.high == 2.0


def test_sixteen_shot_and_one_killed_is_fifteen_injured():
    toll = article_toll(report("The Ledger", 1, ("shot", count(16)), ("killed", count(1))).sentences)
    assert (toll["killed"].quantity.low, toll["injured"].quantity.low, toll["injured"].quantity.high) == (1.0, 15.0, 15.0)


def test_counts_are_shown_as_a_reader_reads_them():
    assert shown(count(3)) == "3"
    assert shown(count(14, INF)) == "at least 14"
    assert shown(count(12, INF, low_open=True)) == "more than 12"
    assert shown(count(270, 330, approximate=True)) == "about 300"
    assert shown(count(2, 4)) == "2 to 4"
    assert math.isinf(count(14, INF).high)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_the_toll_of_real_parses_is_one_fact_per_kind(nlp):
    first = make_article("Two people were killed and three were wounded in a shooting on Main Street on Sunday, police said.",
                         outlet="The Ledger", published=date(2025, 11, 2))
    second = make_article("A shooting on Main Street on Sunday left two people dead and three others wounded.",
                          outlet="The Courier", published=date(2025, 11, 2))
    facts = {f.kind: f for f in key_facts(analyze_articles([first, second], nlp))}
    assert (facts["killed"].value, facts["killed"].verdict) == ("2", "corroborated")
    assert (facts["injured"].value, facts["injured"].verdict) == ("3", "corroborated")


def test_a_statistic_over_a_year_or_a_city_is_not_the_story_toll():
    lede = "A man was killed Sunday on Main Street."
    for statistic in ("More than 500 people died in 2013 from accidental gunshots.",
                      "There have been 13 toddler shooting deaths this year.",
                      "Seven other people were wounded in shootings across Chicago Thursday.",
                      "The earthquakes of February 2023 killed more than 50,000 people."):
        article = make_article(f"{statistic}\n\n{lede}")
        sentences = (Sentence(article.id, 0, 0, statistic, casualties=(Casualty("killed", count(500)), Casualty("injured", count(7)))),
                     Sentence(article.id, 1, 1, lede, casualties=(Casualty("killed", count(1)),)))
        toll = article_toll(sentences)
        assert toll["killed"].quantity.low == 1.0 and "injured" not in toll, statistic


def test_a_later_count_fewer_articles_back_than_the_one_it_would_replace_is_a_dispute():
    # a follow-up a week later whose first count is another shooting's: the story's two reports state 3
    later = report("The Post", 9, ("killed", count(1)), ("killed", count(3)))
    f = fact("killed", report("The Ledger", 1, ("killed", count(3))), report("The Courier", 1, ("killed", count(3))), later)
    assert (f.value, f.verdict) == ("3", "disputed")
    rising = fact("killed", report("The Ledger", 1, ("killed", count(3))), report("The Post", 2, ("killed", count(4))))
    assert (rising.value, rising.verdict) == ("4", "updated")  # one article each: the dates decide


def dated(outlet: str, published: date | None, *when: tuple[str, str, str]) -> AnalyzedArticle:
    """An article whose sentences date things: each (text of the date, its label, the verb it hangs on)."""
    article = make_article(f"{outlet} report.", outlet=outlet, published=published)
    sentences = tuple(Sentence(article.id, n, 0, f"Something happened {text}.", entities=(Entity(text, label, text.lower(), 19, 19 + len(text), verb),))
                      for n, (text, label, verb) in enumerate(when))
    return AnalyzedArticle(article, sentences)


def test_the_incident_day_is_the_first_date_a_verb_of_the_incident_governs_a_weekday_counted_back():
    monday = date(2025, 11, 3)
    f = fact("date", dated("The Ledger", monday, ("Friday", "DATE", "say"), ("Sunday night", "TIME", "shoot")),
             dated("The Courier", date(2025, 11, 4), ("Nov. 2", "DATE", "shoot")))
    assert (f.value, f.verdict, f.number) == ("2025-11-02", "corroborated", None)  # "said Friday" is the outlet's day


def test_two_days_for_one_incident_are_disputed_and_an_undated_weekday_is_not_read():
    f = fact("date", dated("The Ledger", date(2025, 11, 3), ("Sunday", "DATE", "shoot")),
             dated("The Courier", date(2025, 11, 3), ("Saturday", "DATE", "shoot")),
             dated("The Post", date(2025, 11, 4), ("Sunday", "DATE", "shoot")),
             dated("The Wire", None, ("Friday", "DATE", "shoot")))
    assert (f.value, f.verdict) == ("2025-11-02", "disputed")
    assert [(v.value, len(v.articles)) for v in f.values] == [("2025-11-01", 1), ("2025-11-02", 2)]
