"""Known news sources: the shipped table (unique names and domains, families that exist, a comment per
credit), looking sources up by host, by name and by family, and reading which wires an article carries."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from newsweave.errors import ConfigError
from newsweave.outlets import outlet_key
from newsweave.sources import known_sources, load_sources, wire_credits

SOURCES = known_sources()
SHIPPED = (resources.files("newsweave") / "data" / "sources.toml").read_text(encoding="utf-8")


def name_of(source) -> str | None:  # noqa: ANN001 - a KnownSource or None
    return source.name if source else None


def credited(text: str = "", **where) -> dict[str, str]:
    """{wire short form: where its evidence stood} for an article."""
    return {c.wire.short: c.where for c in wire_credits(text, **where)}


# --- the shipped table ----------------------------------------------------------------------------


def test_the_table_holds_the_wires_outlets_and_families_it_promises():
    shorts = {w.short for w in SOURCES.wires}
    assert {"AP", "Reuters", "AFP", "UPI", "dpa", "EFE", "ANSA", "PA", "CP", "Xinhua", "TASS", "Kyodo", "Yonhap", "AAP",
            "PTI", "ANI", "Bloomberg", "NewsCore", "Interfax", "RIA Novosti", "AA"} <= shorts
    assert len(SOURCES.outlets) >= 300
    assert {"Gannett", "Tegna", "Tribune Publishing", "McClatchy", "Hearst", "Advance Local", "Lee Enterprises",
            "Digital First Media", "Cox Media Group", "Sinclair Broadcast Group", "Nexstar Media Group",
            "Gray Television",
            "Raycom Media", "E. W. Scripps", "Graham Media Group", "NBCUniversal", "Disney", "CBS", "Fox", "Patch",
            "DNAinfo", "News Corp", "Daily Mail and General Trust", "Reach plc", "Guardian Media Group", "BBC",
            "CNN"} <= set(SOURCES.families)


def test_no_domain_or_name_belongs_to_two_sources():
    domains = [d for s in SOURCES.wires + SOURCES.outlets for d in s.domains]
    assert len(domains) == len(set(domains))
    owner: dict[str, str] = {}
    for source in SOURCES.wires + SOURCES.outlets:
        for spelling in (source.name, *source.aliases, *([source.short] if source.short else [])):
            key = outlet_key(spelling)
            assert owner.setdefault(key, source.name) == source.name, f"{spelling!r}: {owner[key]} and {source.name}"


def test_every_outlets_family_exists_and_every_family_has_members():
    for outlet in SOURCES.outlets:
        assert outlet.family is None or outlet.family in SOURCES.families, outlet.name
    for family in SOURCES.families.values():
        assert family.kind in ("owner", "newsroom") and family.note
        assert SOURCES.members(family.name), f"{family.name} has no outlet"


def test_every_wire_has_credits_and_every_credit_a_comment_above_it():
    for wire in SOURCES.wires:
        assert any(c.wire == wire.name for c in SOURCES.credits), wire.name
    lines = SHIPPED.splitlines()
    for n, line in enumerate(lines):
        if line.lstrip().startswith("{ at ="):
            above = lines[n - 1].lstrip()
            assert above.startswith("#") or above.startswith("{ at ="), f"line {n + 1} has no comment: {line.strip()}"


def test_the_table_is_read_once():
    assert known_sources() is known_sources()


# --- errors in the file ---------------------------------------------------------------------------

FAMILY = '[[family]]\nname = "Pinewood Group"\nkind = "owner"\nnote = "x"\n'
OUTLET = '[[outlet]]\nname = "The Pinewood Gazette"\ndomains = ["pinewood.example"]\nfamily = "Pinewood Group"\n'


def test_a_small_file_loads():
    sources = load_sources(FAMILY + OUTLET, "mine.toml")
    assert name_of(sources.by_host("news.pinewood.example")) == "The Pinewood Gazette"
    assert sources.family("Pinewood Gazette") == "Pinewood Group"


@pytest.mark.parametrize("text, says", [
    ("[[outlet]\nname = 1", "is not valid TOML"),
    (OUTLET, "family 'Pinewood Group' is not a [[family]]"),
    (FAMILY + OUTLET.replace("pinewood.example", "co.uk"), "public suffix"),
    (FAMILY + OUTLET + OUTLET.replace("The Pinewood", "Other"), "domain 'pinewood.example' is listed for both"),
    (FAMILY + OUTLET + OUTLET.replace("pinewood.example", "pine.example"), "is both 'The Pinewood Gazette'"),
    ('[[wire]]\nname = "W"\ndomains = []\ncredits = [{ at = "line", pattern = "(" }]', "not a regular expression"),
    ('[[wire]]\nname = "W"\ndomains = []\ncredits = [{ at = "somewhere", pattern = "x" }]', "needs at"),
    ('[[outlet]]\ndomains = ["a.example"]', "[[outlet]] #1 has no name"),
])
def test_a_malformed_file_is_refused_naming_the_file_and_the_fault(text, says):
    with pytest.raises(ConfigError) as error:
        load_sources(text, "my/sources.toml")
    assert str(error.value).startswith("my/sources.toml: ") and says in str(error.value)


# --- by host --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, name", [
    ("apnews.com", "Associated Press"),
    ("https://bigstory.ap.org/article/abc", "Associated Press"),
    ("http://web.archive.org/web/20160617212336/http://fox59.com:80/2014/02/04/update/", "FOX59 (WXIN)"),
    ("web.archive.org/web/20160101000000id_/https://www.wsbtv.com/news", "WSB-TV (Channel 2 Action News)"),
    ("https://www.bbc.co.uk/news/world-123", "BBC News"),
    ("https://m.startribune.com/x", "Star Tribune"),
    ("https://amp.theguardian.com/us-news/2016", "The Guardian"),
    ("chicago.suntimes.com", "Chicago Sun-Times"),
    ("homicides.suntimes.com", "Chicago Sun-Times"),
    ("http://homicide.latimes.com/post/x", "Los Angeles Times"),
    ("WWW.NYTIMES.COM:443", "The New York Times"),
    ("en.yna.co.kr", "Yonhap News Agency"),
    ("chicago.cbslocal.com", "CBS 2 Chicago (WBBM-TV)"),
    ("newyork.cbslocal.com", "CBS 2 New York (WCBS-TV)"),
    ("abcnews.go.com", "ABC News"),
    ("wmcactionnews5.com", "Action News 5 (WMC)"),
])
def test_by_host_finds_the_outlet_of_a_url_or_host(url, name):
    assert name_of(SOURCES.by_host(url)) == name


@pytest.mark.parametrize("url", ["co.uk", "www.co.uk", "unknown.co.uk", "com", "cbslocal.com", "go.com", "example.com",
                                 "", "http://[::1", None])
def test_by_host_never_answers_for_a_bare_suffix_a_shared_host_or_nothing(url):
    assert SOURCES.by_host(url) is None


def test_by_host_answers_none_for_hosts_that_are_no_news_outlet():
    for url in ("https://www.facebook.com/police/posts/1", "usgunviolence.wordpress.com", "odmp.org", "oscar.go.com"):
        assert SOURCES.by_host(url) is None and SOURCES.is_not_news(url), url
    assert not SOURCES.is_not_news("chicagotribune.com")


# --- by name --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, found", [
    ("The Associated Press", "Associated Press"), ("Associated Press", "Associated Press"), ("AP", "Associated Press"),
    ("A.P.", "Associated Press"), ("REUTERS", "Reuters"), ("Agence France-Presse", "Agence France-Presse"),
    ("AFP", "Agence France-Presse"), ("United Press International", "United Press International"),
    ("L.A. Times", "Los Angeles Times"), ("LA Times", "Los Angeles Times"),
    ("the Times-Picayune", "The Times-Picayune"),
    ("WMC-TV", "Action News 5 (WMC)"), ("The Canadian Press", "The Canadian Press"), ("Press Association", "PA Media"),
])
def test_by_name_finds_a_source_by_name_alias_or_short_form(name, found):
    assert name_of(SOURCES.by_name(name)) == found


@pytest.mark.parametrize("name", ["AP-NORC poll", "AP Photo", "Rep. AP Smith", "Associated Press-GfK", "Times", "",
                                  None, "the Post"])
def test_by_name_matches_whole_names_only(name):
    assert SOURCES.by_name(name) is None


def test_a_short_form_answers_for_its_wire_wherever_it_stands_alone():
    # documented ambiguity: by_name is for names known to be news organisations
    assert name_of(SOURCES.by_name("PA")) == "PA Media" and name_of(SOURCES.by_name("CP")) == "The Canadian Press"


def test_family_of_an_outlet_a_wire_and_a_family():
    assert SOURCES.family("WSB-TV") == "Cox Media Group"
    assert SOURCES.family("los angeles times") == "Tribune Publishing"  # an outlet key
    assert SOURCES.family("The Associated Press") == "Associated Press"  # a wire is its own family
    assert SOURCES.family("Gannett") == "Gannett"
    assert SOURCES.family("The Pinewood Gazette") is None and SOURCES.family("The Boston Globe") is None


# --- wire credits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, where", [
    ("Title.\n\nWASHINGTON (AP) — The Senate voted on Tuesday.", {"AP": "opening"}),
    ("HEMPSTEAD, N.Y., Sept. 26 (UPI) — Jill Stein was escorted off the premises.", {"UPI": "opening"}),
    ("AP — A man was shot on Tuesday.", {"AP": "opening"}),
    ("(Reuters) - Shares fell.", {"Reuters": "opening"}),
    ("Dec 29 (Reuters) - Hillary Clinton on Tuesday said ...", {"Reuters": "opening"}),
    ("New York (AFP) – Susan Sarandon is not sure.", {"AFP": "opening"}),
    ("BEIJING, Nov. 3 (Xinhua) -- China said.", {"Xinhua": "opening"}),
    ("MOSCOW, November 3. /TASS/. Russia said.", {"TASS": "opening"}),
    ("NEW YORK, Nov. 3, 2016 /PRNewswire/ -- Acme today announced.", {"PRNewswire": "opening"}),
    ("SAN FRANCISCO--(BUSINESS WIRE)--Acme today announced.", {"Business Wire": "opening"}),
    ("RIO DE JANEIRO, Brazil, Nov. 3 (AP) — Police said.", {"AP": "opening"}),
    ("Madrid, 3 nov (EFE).- El Gobierno aprobó hoy.", {"EFE": "opening"}),
    ("(ANSA) - ROME, Nov 3 - Italy said.", {"ANSA": "opening"}),
    ("ANKARA (AA) - Turkey said.", {"AA": "opening"}),
    ("The vote was close.\n\nCopyright 2016 The Associated Press. All rights reserved.", {"AP": "credit line"}),
    ("The vote was close.\n\nAssociated Press writer Jane Roe in Denver contributed to this report.",
     {"AP": "credit line"}),
    ("The vote was close.\n\nThe Associated Press contributed to this report.", {"AP": "credit line"}),
    ("The vote was close.\n\n(Reporting by Valerie Volcovici; Editing by Will Dunham.)", {"Reuters": "sign-off"}),
    ("The vote was close. (Reporting by Amanda Becker in Washington; Editing by", {"Reuters": "sign-off"}),
    ("The Huffington Post has supplemented this Reuters article with quotes.", {"Reuters": "credit line"}),
    ("The vote was close.\n\n© 2016 AFP", {"AFP": "credit line"}),
    ("Copyright 2016 United Press International, Inc. All Rights Reserved.", {"UPI": "credit line"}),
    ("The vote was close.\n\nThe Canadian Press, 2016", {"CP": "credit line"}),
])
def test_wire_credits_reads_each_form_of_credit(text, where):
    assert credited(text) == where


@pytest.mark.parametrize("dateline, wire", [("LISBON, Nov 3 (AP) —", "AP"), ("CARACAS, Nov 1 (Reuters) -", "Reuters"),
                                            ("AP —", "AP"), ("TORONTO (CP) —", "CP")])
def test_wire_credits_reads_the_dateline(dateline, wire):
    assert credited("The text.", dateline=dateline) == {wire: "dateline"}


@pytest.mark.parametrize("author, wire", [
    ("AP", "AP"), ("Associated Press", "AP"), ("By JOHN DOE Associated Press", "AP"), ("By Tom Hays, AP Writer", "AP"),
    ("Reuters Staff", "Reuters"), ("Jane Roe and John Doe, The Associated Press", "AP"), ("AFP", "AFP"),
    ("Agence France-Presse", "AFP"), ("By Jane Roe | Reuters", "Reuters"),
])
def test_wire_credits_reads_the_byline(author, wire):
    assert credited("The text.", author=author) == {wire: "byline"}


def test_wire_credits_reads_the_lines_the_cleaner_removed():
    removed = ["Share this story", "Copyright 2016 The Associated Press. All rights reserved. This material may not be "
                                   "published, broadcast, rewritten or redistributed."]
    assert credited("The vote was close.", removed=removed) == {"AP": "removed line"}


def test_wire_credits_gives_each_wire_once_with_its_first_evidence():
    text = "WASHINGTON (AP) — The Senate voted.\n\nCopyright 2016 The Associated Press."
    (credit,) = wire_credits(text, author="AP")
    assert credit.where == "byline" and credit.wire.name == "Associated Press" and credit.evidence == "AP"
    signed = text + "\n\n(Reporting by Jane Roe; Editing by John Doe)"
    assert credited(signed) == {"AP": "opening", "Reuters": "sign-off"}


@pytest.mark.parametrize("text", [
    "Title.\n\nThe senator told The Associated Press in an interview that she would run.",
    "Title.\n\nReuters reported last week that the talks had stalled.",
    "Title.\n\nShe leads, based on an Associated Press count of delegates.",
    "Title.\n\nA man waves a flag in Dallas. (AP Photo/Evan Vucci)",
    "Title.\n\nCarlos Barria / Reuters.",
    "Title.\n\nA Reuters/Ipsos poll showed Trump leading, and a later AP-GfK poll agreed.",
    "Title.\n\nThe foundation contributed $5 million, the Associated Press learned.",
    "Title.\n\nAccording to AFP, the minister resigned. UPI said the same, citing Xinhua.",
    "Title.\n\nThe poll was conducted for Reuters (Reuters/Ipsos) in October, and the AP reported it.\n\n"
    "More text follows here, with the agency (AP) named in a sentence well past the opening lines.",
])
def test_a_wire_named_in_reporting_is_a_citation_not_a_credit(text):
    assert wire_credits(text) == ()


@pytest.mark.parametrize("author", ["A.A. Gill", "Michael Bloomberg", "Jane Roe, Washington Post", "Staff Reports"])
def test_a_byline_that_names_no_wire_credits_none(author):
    assert wire_credits("The text.", author=author) == ()


def test_a_dateline_with_no_agency_credits_none():
    assert wire_credits("The text.", dateline="PITTSBURGH —") == ()
    assert wire_credits("PITTSBURGH (PA) — A man was shot.") == ()  # "(PA)" is Pennsylvania as often as PA Media


def test_evidence_is_the_line_that_shows_the_credit_cut_to_a_readable_length():
    long_paragraph = "word " * 200 + "(Reporting by Jane Roe; Editing by John Doe)"
    (credit,) = wire_credits("Title.\n\n" + long_paragraph)
    assert credit.where == "sign-off" and "Reporting by Jane Roe" in credit.evidence and len(credit.evidence) < 300
    assert re.match(r"^…", credit.evidence)
