import pytest

from newsweave.ingest import boilerplate as bp


@pytest.mark.parametrize(
    "line, reason",
    [
        ("Advertisement", bp.AD),
        ("ADVERTISEMENT", bp.AD),
        ("Anzeige", bp.AD),
        ("Publicidad", bp.AD),
        ("Reklam yükleniyor...", bp.AD),
        ("Pubblicità", bp.AD),
        ("Реклама", bp.AD),
        ("Scroll to continue with content", bp.AD),
        ("Comments are moderated before they appear. Keep comments civil; we reserve the right to remove abusive posts.", bp.COMMENTS),
        ("Join the conversation", bp.COMMENTS),
        ("12 Comments", bp.COMMENTS),
        ("Share this article", bp.SHARE),
        ("Facebook · X · Email", bp.SHARE),
        ("Sign up for our morning newsletter", bp.SUBSCRIBE),
        ("Subscribe for $1 a week", bp.SUBSCRIBE),
        ("Follow us on Telegram for breaking news", bp.SUBSCRIBE),
        ("By Ana Ribeiro ✉ ana.ribeiro@harborledger.example", bp.BYLINE),
        ("Contact the author: tips@harborledger.example", bp.CONTACT),
        ("Tom Keane is a writer and editor for The Harbor Ledger covering defence.", bp.BIO),
        ("© 2025 The Harbor Ledger. All rights reserved.", bp.COPYRIGHT),
        ("Copyright 2025 Northgate Daily Media Ltd.", bp.COPYRIGHT),
        ("We use cookies to improve your experience. By continuing you accept our cookie policy.", bp.COOKIES),
        ("Photo: Reuters/Jane Doe", bp.CAPTION),
    ],
)
def test_classify_names_the_kind_of_debris(line, reason):
    verdict = bp.classify(line)
    assert verdict is not None and verdict.reason == reason


@pytest.mark.parametrize(
    "line",
    [
        '"We will defend our sovereign rights by every means," the minister said.',
        "Asked for comments on the report, the ministry declined to respond.",
        "The bakery had handed out cookies to rescue workers through the night, residents said.",
        "An advertisement for the tender appeared in the official gazette on Monday.",
        "By the end of the week, more than 200 families had left the valley.",
        "Vietnam is one of the region's most vocal critics of the claims.",
        "Sign language interpreters joined the rescue teams, officials said, as the count of the missing rose to 40.",
        "Regional tensions",
    ],
)
def test_classify_keeps_story_sentences_that_look_like_debris(line):
    assert bp.classify(line) is None


def test_byline_gives_the_author_without_the_role():
    assert bp.classify("By Maria José da Silva, Staff Writer").author == "Maria José da Silva"
    assert bp.classify("By Ana Ribeiro and Tom Keane").author == "Ana Ribeiro, Tom Keane"


def test_bio_and_copyright_name_the_outlet():
    assert bp.classify("Tom Keane is a writer and editor for The Harbor Ledger covering defence.").outlet == "The Harbor Ledger"
    assert bp.classify("© 2025 The Harbor Ledger. All rights reserved.").outlet == "The Harbor Ledger"


def test_related_marker_opens_a_list():
    assert bp.related_marker("Related:") == (True, None)
    assert bp.related_marker("Read more: Navy strikes another boat") == (True, "Navy strikes another boat")
    assert bp.related_marker("Related reporting from the coast showed the boats were empty.")[0] is False
