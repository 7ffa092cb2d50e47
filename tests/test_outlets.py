"""Outlet identity: keys, initials, short names, resolving credited names, one display name per outlet, and
the article id and coverage order that hang on the outlet."""

from __future__ import annotations

from datetime import date

from newsweave.model import Article, Entity
from newsweave.outlets import (
    Outlets, article_id, coverage_order, dateline_agency, harmonise_outlets, names_outlet, outlet_initials, outlet_key,
    rename_outlet, short_outlet_match,
)


def article(outlet: str | None, text: str = "Jets moved to the coast.", published: date | None = None,
            dateline: str | None = None) -> Article:
    return Article(id=article_id(outlet, text), source=f"{outlet}.txt", outlet=outlet, url=None, title=None,
                   author=None, published=published, language="en", text=text, dateline=dateline)


POST = article("The Meridian Post", "The scoop.")
WIRE = article("Continental Press Agency", "The wire story.")
OUTLETS = Outlets.of([POST, WIRE, article("Northgate Daily", "x")])


def test_outlet_key_folds_the_spellings_of_one_name():
    spellings = ("The Pinewood Gazette", "Pinewood Gazette Co.", "PINEWOOD  GAZETTE")
    assert {outlet_key(s) for s in spellings} == {"pinewood gazette"}
    assert outlet_key("Ledger Ltd") == "ledger"
    assert outlet_key("The Network") == "network"  # a suffix word alone is the name
    assert outlet_key(None) == outlet_key("") == ""
    assert outlet_key("The Times") != outlet_key("The Sunday Times")


def test_a_name_names_an_outlet_by_its_key_or_its_initials():
    assert outlet_initials("Continental Press Agency") == "cpa" and outlet_initials("Reuters") == ""
    assert names_outlet("CPA", "Continental Press Agency") and names_outlet("C P A", "Continental Press Agency")
    assert names_outlet("the Continental Press Agency", "Continental Press Agency")
    assert not names_outlet("CP", "Continental Press Agency") and not names_outlet("R", "Reuters")
    assert not names_outlet(None, "Reuters") and not names_outlet("Reuters", None)


def test_a_dateline_credits_the_agency_in_its_brackets():
    assert dateline_agency("LISBON, Nov 3 (CPA) -") == "CPA"
    assert dateline_agency("CARACAS, Nov 1 -") is None and dateline_agency(None) is None


def test_a_short_name_is_the_one_outlet_whose_name_ends_with_it():
    keys = {"meridian post": "The Meridian Post", "northgate daily": "Northgate Daily"}
    assert short_outlet_match("the Post", keys) == "meridian post"
    assert short_outlet_match("Northgate Daily", keys) == "northgate daily"
    assert short_outlet_match("the Post", {**keys, "harbor post": "Harbor Post"}) is None  # two Posts: neither
    assert short_outlet_match("the Pentagon", keys) is None


def test_resolve_knows_outlets_by_name_short_name_and_initials():
    assert OUTLETS.resolve("the Post") == ("meridian post", "The Meridian Post")
    assert OUTLETS.resolve("CPA") == ("continental press agency", "Continental Press Agency")
    assert OUTLETS.resolve("documents viewed by The Meridian Post")[1] == "The Meridian Post"
    assert OUTLETS.resolve("The Daily Planet") == ("daily planet", "The Daily Planet")  # a news outlet by its name
    assert OUTLETS.resolve("the Pentagon") is None and OUTLETS.resolve("a resident") is None


def test_an_entity_naming_an_outlet_is_known_by_its_text_or_its_resolved_key():
    assert OUTLETS.named_by(Entity("Meridian Post", "ORG", "meridian post", 0, 13))
    assert OUTLETS.named_by(Entity("the Post", "ORG", "meridian post", 0, 8))  # resolved across the story
    assert not OUTLETS.named_by(Entity("the Post Office", "ORG", "post office", 0, 15))


def test_one_display_name_per_outlet_the_longest_and_renaming_keeps_the_id():
    bare, full = article("Pinewood Gazette"), article("The Pinewood Gazette", "Another story.")
    names = harmonise_outlets([bare, full, article(None)])
    assert names == {"pinewood gazette": "The Pinewood Gazette"}
    renamed = rename_outlet(bare, names)
    assert renamed.outlet == "The Pinewood Gazette"
    assert renamed.id == bare.id == article_id("The Pinewood Gazette", bare.text)
    assert rename_outlet(full, names) is full


def test_article_id_keys_on_the_outlet_and_the_folded_text():
    text = "Jets moved to the coast."
    assert article_id("The Meridian Post", text) == "c0013c1dfcf0640d"  # ids are stored: they never change
    assert article_id("Meridian Post Ltd.", "JETS  moved to the coast.") == "c0013c1dfcf0640d"
    assert article_id("Northgate Daily", text) != "c0013c1dfcf0640d"  # one wire story, two outlets: two articles


def test_coverage_order_is_oldest_first_and_a_wires_own_copy_first_on_its_day():
    day = date(2025, 11, 3)
    wire = article("Continental Press Agency", "Wire copy.", day, "LISBON, Nov 3 (CPA) -")
    paper = article("Northgate Daily", "Wire copy, run.", day, "LISBON, Nov 3 (CPA) -")  # id sorts before the wire's
    earlier = article("Northgate Daily", "Yesterday.", date(2025, 11, 2))
    undated = article("Northgate Daily", "Undated.")
    assert sorted([undated, paper, wire, earlier], key=coverage_order) == [earlier, wire, paper, undated]


def test_a_known_outlet_or_wire_is_one_source_by_any_of_its_names_and_a_family_counts_once():
    from newsweave.outlets import article_source, independence_key, source_key

    times = article("Los Angeles Times", "The fire spread.")
    story = Outlets.of([times, article("Northgate Daily", "x")])
    assert story.resolve("the L.A. Times") == (article_source(times).key, "Los Angeles Times")
    assert source_key("AP") == source_key("The Associated Press") == source_key("Associated Press")
    assert independence_key(source_key("Chicago Tribune")) == independence_key(source_key("Baltimore Sun"))
    assert independence_key(source_key("The Harbor Ledger")) == "harbor ledger"  # unknown: itself
    assert story.resolve("Chicago Police Department News Affairs") is None
    assert story.resolve("the Los Angeles Times, UPDATE: 3:10 p.m.") == story.resolve("the L.A. Times")  # a span run on
