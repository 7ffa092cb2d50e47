from dataclasses import replace
from datetime import date

from newsweave.dossier.dedupe import find_copies

from .conftest import make_article

WIRE = " ".join(
    f"Paragraph {n} of the wire story says the port of Lisbon stayed shut on Monday while {n * 3} ships waited offshore."
    for n in range(12)
)


def test_a_verbatim_copy_with_a_new_last_line_points_at_the_earlier_original():
    original = make_article(WIRE, outlet="Wire", published=date(2025, 11, 3))
    copy = make_article(WIRE + " This story was updated by the Gazette.", outlet="Gazette", published=date(2025, 11, 4))
    [link] = find_copies([copy, original])
    assert (link.copy, link.original, link.kind) == (copy.id, original.id, "near-duplicate")


def test_on_the_same_day_the_wire_that_signs_its_own_dateline_is_the_original():
    wire = make_article(WIRE, outlet="Continental Press Agency", published=date(2025, 11, 3), dateline="LISBON (CPA) -")
    copy = make_article(WIRE + " Extra.", outlet="Aaa Gazette", published=date(2025, 11, 3), dateline="LISBON (CPA) -")
    [link] = find_copies([copy, wire])
    assert link.original == wire.id


def test_a_rewrite_that_lifts_paragraphs_is_partial_reuse():
    original = make_article(WIRE, outlet="Wire", published=date(2025, 11, 3))
    lifted = " ".join(WIRE.split(". ")[:8]) + ". " + " ".join(
        f"Our reporter at the gate counted {n} lorries and spoke to drivers about delay number {n}." for n in range(10)
    )
    [link] = find_copies([original, make_article(lifted, outlet="Other", published=date(2025, 11, 4))])
    assert link.kind == "partial"


def test_different_stories_are_not_copies():
    a = make_article(WIRE, outlet="Wire")
    b = make_article(" ".join(f"A council vote number {n} on the rail link passed {n} to 2 on Tuesday night." for n in range(12)), outlet="B")
    assert find_copies([a, b]) == ()


def test_a_chain_of_copies_points_at_the_root():
    a = make_article(WIRE, outlet="A", published=date(2025, 11, 1))
    b = make_article(WIRE + " B.", outlet="B", published=date(2025, 11, 2))
    c = replace(make_article(WIRE + " B. C.", outlet="C", published=date(2025, 11, 3)))
    links = {link.copy: link.original for link in find_copies([a, b, c])}
    assert links == {b.id: a.id, c.id: a.id}


def test_an_article_crediting_the_other_is_the_copy_whatever_the_order_of_dates_and_ids():
    source = make_article(WIRE, outlet="The Lakeside Courier", published=date(2025, 11, 4))
    retold = make_article(WIRE + " The Courier reported it first.", outlet="Valley Record-Journal", published=date(2025, 11, 3))
    [by_date] = find_copies([source, retold])
    assert by_date.original == retold.id  # no credits known: the earlier is the original
    [by_credit] = find_copies([source, retold], {retold.id: {"lakeside courier"}})
    assert (by_credit.copy, by_credit.original) == (retold.id, source.id)
