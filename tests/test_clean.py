from datetime import date

import pytest

from newsweave import InputError, clean, detect_language, drop_residue, learn_residue
from newsweave.ingest import boilerplate as bp

from .conftest import DATA, make_raw

STORY = (
    "Officials confirmed on Tuesday that the night ferry would stop running from December, citing costs.\n\n"
    "The service has carried about 1,000 passengers a week since 2019, according to the port authority."
)


def test_date_header_glued_to_the_first_sentence_becomes_the_date():
    article = clean(make_raw("Ferry to stop\n\ndate 2025-11-01 Venezuelan President Nicolás Maduro said the ferry would stop.\n\n" + STORY))
    assert article.published == date(2025, 11, 1)
    assert article.text.startswith("Venezuelan President Nicolás Maduro said")
    assert bp.DATE_HEADER in {r.reason for r in article.removed}


@pytest.mark.filterwarnings("error")  # dateutil's UnknownTimezoneWarning for "CDT", as the gun-violence corpus has it
def test_a_timestamp_line_with_a_us_time_zone_is_the_date_without_a_warning():
    article = clean(make_raw("Ferry to stop\n\nSeptember 15, 2016 9:11:51 AM CDT\n\n" + STORY))
    assert article.published == date(2016, 9, 15)
    assert bp.TIMESTAMP in {r.reason for r in article.removed}


def test_wire_dateline_is_taken_off_the_first_sentence():
    article = clean(make_raw("Port strike\n\nCARACAS, Nov 1 (Reuters) - Dockworkers walked out on Monday over pay.\n\n" + STORY))
    assert article.dateline == "CARACAS, Nov 1 (Reuters) -"
    assert article.text.startswith("Dockworkers walked out")


def test_first_line_is_the_title_and_not_part_of_the_text():
    article = clean(make_raw("Night ferry to stop in December\n\n" + STORY))
    assert article.title == "Night ferry to stop in December"
    assert "Night ferry to stop" not in article.text


def test_sub_headings_are_kept_as_headings():
    article = clean(make_raw("Title here\n\n" + STORY + "\n\nWhat happens next\n\n" + STORY))
    assert article.headings == ("What happens next",)
    assert "What happens next" in article.paragraphs
    assert "What happens next" not in article.body_paragraphs


def test_outlet_comes_from_a_copyright_line_and_author_from_a_byline():
    article = clean(make_raw("Title\n\nBy Ana Ribeiro\n\n" + STORY + "\n\n© 2025 The Harbor Ledger. All rights reserved."))
    assert (article.outlet, article.author) == ("The Harbor Ledger", "Ana Ribeiro")


def test_a_known_news_site_s_address_names_its_outlet_before_a_copyright_line_and_a_platform_names_none():
    text = "Title\n\n" + STORY + "\n\n© 2025 The Harbor Ledger. All rights reserved."
    from_site = clean(make_raw(text, url="https://www.latimes.com/california/story/2025-11-01/ferry"))
    assert from_site.outlet == "Los Angeles Times"  # the shipped table of news sites (newsweave/data/sources.toml)
    archived = clean(make_raw(text, url="http://web.archive.org/web/20150101000000/http://chicago.suntimes.com/news/x"))
    assert archived.outlet == "Chicago Sun-Times"
    unknown = clean(make_raw(text, url="https://ferry-news.example/a"))
    assert unknown.outlet == "The Harbor Ledger"  # no known site: the copyright line
    stated = clean(make_raw(text, url="https://www.latimes.com/x", outlet="The Ferry Gazette"))
    assert stated.outlet == "The Ferry Gazette"  # what the input states wins


def test_a_related_list_is_removed_with_its_headlines():
    text = "Title\n\n" + STORY + "\n\nRelated:\nNavy strikes another boat\nCoast guard on alert\n\nThe ferry will be sold."
    article = clean(make_raw(text + " The buyer is not yet known, officials said on Tuesday evening."))
    removed = [r.text for r in article.removed if r.reason == bp.RELATED]
    assert removed == ["Related:", "Navy strikes another boat", "Coast guard on alert"]
    assert "The ferry will be sold." in article.text


def test_hard_wrapped_lines_are_joined_into_one_paragraph():
    article = clean(make_raw("Title\n\nOfficials confirmed on Tuesday that the night\nferry would stop running from December.\n\n" + STORY))
    assert article.paragraphs[0] == "Officials confirmed on Tuesday that the night ferry would stop running from December."


def test_every_removed_line_keeps_its_reason():
    article = clean(make_raw("Title\n\nAdvertisement\n\n" + STORY + "\n\nShare this article"))
    assert [(r.text, r.reason) for r in article.removed[1:]] == [("Advertisement", bp.AD), ("Share this article", bp.SHARE)]


def test_html_debris_inside_the_article_goes_and_the_story_stays():
    html = (DATA / "debris-inside-article.html").read_text()
    article = clean(make_raw(html, kind="html", source="page.html"))
    assert article.title == "Harbour cranes stand idle as strike enters third day"
    assert (article.outlet, article.author, article.published) == ("The Tidewater Times", "Ines Carvalho", date(2025, 11, 4))
    assert article.headings == ("What the union wants",)
    for debris in ("Advertisement", "Share this article", "Comments are moderated", "is a reporter for", "cookies", "©", "Home"):
        assert debris not in article.text
    assert article.text.startswith("Container ships queued outside the harbour")
    assert '"Our members are not asking for the moon," a union spokeswoman said.' in article.text
    assert {r.reason for r in article.removed} >= {bp.AD, bp.SHARE, bp.COMMENTS, bp.BIO}


def test_truncated_html_is_an_error_saying_what_to_do():
    html = (DATA / "truncated.html").read_text()
    with pytest.raises(InputError, match="truncated download"):
        clean(make_raw(html, kind="html", source="truncated.html"))


DEEP = 100_000  # levels of nesting: a broken page generator's, ~1.5 MB of tags
PARAGRAPH = (
    "Officials confirmed on Tuesday that the night ferry would stop running from December, citing rising fuel costs. "
    "The service has carried about 1,000 passengers a week since 2019, according to the port authority. "
    "Its last crossing is planned for the first Sunday of December, the operator said in a statement on Monday."
)


def _nested_page(tag: str) -> str:
    return (f"<!DOCTYPE html><html><head><title>Night ferry to stop</title></head><body>{f'<{tag}>' * DEEP}"
            f"<h1>Night ferry to stop in December</h1><p>{PARAGRAPH}</p>{f'</{tag}>' * DEEP}</body></html>")


def test_an_article_inside_100000_nested_divs_is_read():
    article = clean(make_raw(_nested_page("div"), kind="html", source="deep.html"))
    assert article.text == PARAGRAPH


def test_a_page_nested_too_deep_to_flatten_says_so_not_that_it_has_no_text():
    with pytest.raises(InputError) as error:
        clean(make_raw(_nested_page("blockquote"), kind="html", source="deep.html"))
    assert "nested 100,001 levels deep, beyond what the HTML parser reads (256 levels)" in str(error.value)
    assert "no main text" not in str(error.value)


def test_a_page_with_no_story_is_an_error():
    with pytest.raises(InputError, match="no article text"):
        clean(make_raw("Home\n\nAdvertisement\n\nSign up for our newsletter\n\n© 2025 The Ledger"))


def test_language_is_detected():
    assert clean(make_raw("Titel\n\nDie Regierung hat am Dienstag bestätigt, dass die Nachtfähre ab Dezember nicht mehr fährt, weil die Kosten zu hoch sind.")).language == "de"


@pytest.mark.parametrize("text, code", [
    ("Le maire a confirmé mardi la fermeture du port.", "fr"),  # short: lingua's full mode
    ("Le maire a confirmé mardi la fermeture du port de pêche, après trois nuits de tempête qui ont endommagé les "
     "quais. Les pêcheurs attendent une aide de la région avant la fin du mois.", "fr"),  # long: its low-accuracy mode
    ("El alcalde confirmó el martes el cierre del puerto pesquero tras tres noches de tormenta que dañaron los "
     "muelles, y los pescadores esperan ayuda de la región antes de fin de mes.", "es"),
    ("The mayor confirmed on Tuesday that the fishing port will close after three nights of storms damaged the "
     "quays, and fishermen expect help from the region before the end of the month.", "en"),
])
def test_language_is_detected_in_short_and_long_text(text, code):
    assert detect_language(text) == code


def test_a_short_article_is_read_with_its_headline_by_the_fast_detector(monkeypatch):
    from newsweave.ingest import clean as cleaning

    modes = []
    detector = cleaning._detector

    def recorded(low_accuracy: bool = False):  # noqa: ANN202
        modes.append(low_accuracy)
        return detector(low_accuracy)
    monkeypatch.setattr(cleaning, "_detector", recorded)
    body = "Le maire a confirmé mardi la fermeture du port de pêche, après trois nuits de tempête."  # 80-119 characters: alone, the slow full mode
    article = clean(make_raw(f"Tempête : le port de pêche de la ville fermé après trois nuits de vent\n\n{body}"))
    assert article.language == "fr" and modes == [True]


def _outlet_article(n: int, body: str):
    return clean(make_raw(f"Story {n}\n\n{body}\n\nThe Ledger — independent journalism since 1921", source=f"{n}.txt", outlet="The Ledger"))


def test_template_residue_is_learned_across_one_outlets_unrelated_articles():
    a = _outlet_article(1, STORY)
    b = _outlet_article(2, "A new bridge over the river opened on Friday after four years of building work, the council said.")
    residue = learn_residue([a, b])
    cleaned = drop_residue(a, residue)
    assert "independent journalism since 1921" not in cleaned.text
    assert cleaned.removed[-1].reason == bp.TEMPLATE
    assert cleaned.id != a.id


def test_shared_paragraphs_of_two_versions_of_one_story_are_not_residue():
    a = _outlet_article(1, STORY)
    b = _outlet_article(2, STORY + "\n\nThis story has been updated with the port authority's figures.")
    assert learn_residue([a, b]) == {}


def test_residue_is_not_learned_across_outlets():
    a = clean(make_raw(f"T\n\n{STORY}\n\nPrinted in the evening edition", outlet="A"))
    b = clean(make_raw("T\n\nA new bridge opened on Friday after four years of building work, the council said.\n\nPrinted in the evening edition", outlet="B"))
    assert learn_residue([a, b]) == {}


def test_the_same_text_from_one_outlet_has_one_id_whatever_the_file():
    a = clean(make_raw("T\n\n" + STORY, source="a.txt", outlet="X"))
    b = clean(make_raw("T\n\n" + STORY.replace(" ", "  "), source="b.txt", outlet="X"))
    c = clean(make_raw("T\n\n" + STORY, source="c.txt", outlet="Y"))
    assert a.id == b.id != c.id


def test_a_named_outlet_beats_a_host_name_as_the_site_name():
    html = (DATA / "debris-inside-article.html").read_text().replace('<meta property="og:site_name" content="The Tidewater Times">', "")
    article = clean(make_raw(html, kind="html", source="https://tidewater.example/a", url="https://tidewater.example/a"))
    assert article.outlet == "The Tidewater Times"  # from its copyright and bio lines, not "tidewater.example"
