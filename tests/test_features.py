"""What story clustering reads from an article: names, numbers, dates, words, title and lede."""

import pickle
from datetime import date

from newsweave.model import ArticleFeatures
from newsweave.stories.features import features, fold, text_features

from .conftest import make_article

TEXT = ("FRANKLIN (Feb. 4, 2014) - Johnson County authorities believe 21-year-old Andy Parish knew he was going to die.\n\n"
        "Around 10:30 Monday night, Franklin Police say Parish took a handgun to a house on Bridlewood Drive. "
        "Police said 1,200 rounds and an AK-47 were found. Investigators in Doğanşehir were not involved, "
        "investigators said.")


def test_names_are_capitalised_runs_datelines_and_designators_not_sentence_starts():
    f = text_features("x", TEXT, title="Franklin murder-suicide suspect argued with ex", published=date(2014, 2, 4))
    names = dict(f.names)
    assert {"franklin", "andy parish", "parish", "johnson county", "bridlewood drive", "ak-47", "dogansehir"} <= set(names)
    assert "franklin police" in names and "around" not in names  # "Around": a stop word
    assert "investigators" not in names  # a sentence start the article also writes in lower case
    assert names["franklin"] >= 3  # the dateline counts as a name too


def test_numbers_are_values_and_times_and_dates_are_not_numbers():
    f = text_features("x", TEXT, published=date(2014, 2, 4))
    numbers = dict(f.numbers)
    assert {"21", "1200", "47", "2014"} <= set(numbers)
    assert "10" not in numbers and "30" not in numbers and "4" not in numbers


def test_stated_dates_are_resolved_against_the_publication_date():
    f = text_features("x", TEXT, published=date(2014, 2, 4))
    assert f.dates == (date(2014, 2, 3), date(2014, 2, 4))  # "Monday" before Tuesday Feb 4; "Feb. 4, 2014"
    new_year = text_features("y", "The shooting happened on Dec. 30 near the mall.", published=date(2015, 1, 2))
    assert new_year.dates == (date(2014, 12, 30),)  # a month-day far in the future means last year
    assert text_features("z", "It happened on Monday.").dates == ()  # no publication date: weekdays mean nothing


def test_content_words_drop_stop_words_fold_plurals_and_count_the_title_twice():
    f = text_features("x", "Shootings and victims: the victims were shot.", title="Victims")
    words = dict(f.words)
    assert words["victim"] == 4 and words["shooting"] == 1 and "the" not in words and "were" not in words


def test_title_case_titles_give_no_names_of_their_own():
    f = text_features("x", "A man was hurt on Main Street.", title="Man Hurt In Shooting On Main Street")
    assert "hurt" not in dict(f.names) and "main street" in dict(f.names)


def test_lede_is_the_first_words_and_lede_words_include_the_title():
    f = text_features("x", " ".join(f"w{i}" for i in range(100)) + " tornado", title="Storm warning")
    assert f.lede.split()[-1] == "w59" and "tornado" not in f.lede_words and {"storm", "warning"} <= set(f.lede_words)


def test_features_of_an_article_take_its_dateline_and_fold_accents():
    article = make_article("Rescue teams searched the rubble in Doğanşehir.", dateline="MALATYA, Turkey, Oct 22 (CPA) -",
                           published=date(2025, 10, 22), title="Quake in Malatya")
    f = features(article)
    assert f.id == article.id and f.published == date(2025, 10, 22) and f.title == "Quake in Malatya"
    assert {"malatya", "turkey", "dogansehir", "cpa"} <= set(dict(f.names)) and date(2025, 10, 22) in f.dates
    assert fold("Nicolás") == "nicolas"


def test_features_round_trip_through_records_and_pickle():
    f = text_features("x", TEXT, title="Franklin shooting", published=date(2014, 2, 4))
    assert ArticleFeatures.from_record(f.to_record()) == f
    assert pickle.loads(pickle.dumps(f)) == f
    assert text_features("e", "").words == () and text_features("e", "").title == ""


def test_a_body_foreign_to_its_headline_is_set_aside_and_the_headline_describes_the_event():
    widget = "Sign in using your account with\nWelcome back. Please sign in\nBy submitting your registration information, you agree to our Terms."
    f = text_features("p1", widget, title="Child critically hurt in Parkway Village shooting", published=date(2016, 5, 2))
    assert {w for w, _ in f.words} == {"child", "critically", "hurt", "parkway", "village", "shooting"}
    assert "sign" not in {w for w, _ in f.words} and f.lede == ""
    real = text_features("p2", "A child was critically hurt in a shooting in Parkway Village on Monday, police said.",
                         title="Child critically hurt in Parkway Village shooting", published=date(2016, 5, 2))
    assert "police" in {w for w, _ in real.words}  # a body that tells the headline's event is kept
    short = text_features("p3", widget, title="Update", published=date(2016, 5, 2))
    assert "sign" in {w for w, _ in short.words}  # a one-word headline is no evidence against the body


def test_stop_words_are_scikit_learns_english_list_and_ours():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from newsweave.stories.features import STOP_WORDS, _english_stop_words

    assert _english_stop_words() == frozenset(ENGLISH_STOP_WORDS)
    assert STOP_WORDS >= ENGLISH_STOP_WORDS and {"said", "according"} <= STOP_WORDS
