"""The story dossier on the example corpus, against its answer key (examples/answer-key.json)."""

from __future__ import annotations

import json

import jsonschema
import pytest

from newsweave import Article, clean_paths
from newsweave.dossier.build import build_dossier
from newsweave.dossier.format import SCHEMA_PATH, document, story_to_json
from newsweave.stories import group_stories

from .conftest import EXAMPLES


def key_of(source: str) -> str:
    return source.removeprefix(f"{EXAMPLES}/")


@pytest.fixture(scope="module")
def corpus() -> list[Article]:
    return [r for r in clean_paths([str(EXAMPLES / d) for d in ("text", "html", "feeds")]) if isinstance(r, Article)]


@pytest.fixture(scope="module")
def stories(corpus, answer_key) -> dict[str, dict]:
    """Each gold story's JSON dossier, keyed by the answer key's story id; article ids mapped to keys."""
    gold = {a: s["id"] for s in answer_key["stories"] for a in s["articles"]}
    out = {}
    for group in group_stories(corpus):
        story = story_to_json(build_dossier(group))
        names = {a["id"]: key_of(a["source"]) for a in story["articles"]}
        story["_key"] = names
        out[gold[names[story["articles"][0]["id"]]]] = story
    return out


def test_stories_match_the_key_and_same_kind_events_stay_apart(corpus, answer_key):
    gold = {a: s["id"] for s in answer_key["stories"] for a in s["articles"]}
    groups = group_stories(corpus)
    assert sorted(sorted(key_of(a.source) for a in g.articles) for g in groups) == sorted(sorted(s["articles"]) for s in answer_key["stories"])
    for x, y in answer_key["same_kind_pairs"]:
        assert not any({gold[key_of(a.source)] for a in g.articles} >= {x, y} for g in groups)


def test_every_conflict_in_the_key_is_found_with_its_evidence(stories, answer_key):
    for expected in answer_key["conflicts"]:
        story = stories[expected["story"]]
        names = story["_key"]
        want = {value: set(arts) for value, arts in expected["values"].items()}
        found = [c for c in story["conflicts"] if c["kind"] == expected["kind"]]
        matches = [
            c for c in found
            if sorted(sorted(names[a] for a in v["articles"]) for v in c["values"]) == sorted(sorted(a) for a in want.values())
        ]
        assert matches, (expected["story"], expected["kind"], found)
        conflict = matches[0]
        for value in conflict["values"]:
            arts = {names[a] for a in value["articles"]}
            key_value = next(v for v, a in want.items() if a == arts)
            assert key_value in value["value"] or key_value in " ".join(value["evidence"]) or value["value"] == key_value
            assert expected["evidence"][key_value] in value["evidence"]
        assert conflict["explanation"]


def test_nothing_else_is_flagged_as_a_conflict(stories, answer_key):
    """The compatible pairs in the key (14 strikes vs more than a dozen, 30 vs 32 dead, 980 vs about 1,000 km...)
    and every other agreement are not conflicts: the dossier holds exactly the key's conflicts."""
    found = sorted((sid, c["kind"]) for sid, s in stories.items() for c in s["conflicts"])
    assert found == sorted((c["story"], c["kind"]) for c in answer_key["conflicts"])


def test_disputed_claims_are_the_conflicting_ones(stories):
    for story in stories.values():
        disputed = {c["id"] for c in story["claims"] if c["status"] == "disputed"}
        assert disputed == {c["claim"] for c in story["conflicts"]}


def test_unique_details_are_single_source_and_one_article(stories, answer_key):
    for expected in answer_key["unique_details"]:
        story = stories[expected["story"]]
        claims = [  # the claim stating it, or each clause of it where the sentence was split into two claims
            c for c in story["claims"] for m in c["mentions"]
            if story["_key"][m["article"]] == expected["article"] and (expected["text"] in m["text"] or m["text"] in expected["text"])
        ]
        assert claims, expected["text"]
        for claim in claims:
            assert claim["unique"] and claim["status"] == "single-source" and claim["independent_sources"] == 1
            assert [story["_key"][m["article"]] for m in claim["mentions"]] == [expected["article"]]


def test_translated_quote_variants_are_one_claim_and_no_conflict(stories, answer_key):
    for expected in answer_key["quote_variants"]:
        story = stories[expected["story"]]
        holders = {
            c["id"] for c in story["claims"] for v in expected["variants"] for m in c["mentions"]
            if v["text"] in m["sentence"] and story["_key"][m["article"]] == v["article"]
        }
        assert len(holders) == 1, expected
        claim = next(c for c in story["claims"] if c["id"] in holders)
        assert claim["status"] != "disputed"
        assert claim["variants"] and len(claim["variants"][0]["quotes"]) >= 2


def test_independent_sources_collapse_rewrites_onto_their_upstream(stories, answer_key):
    for expected in answer_key["independent_sources"]:
        story = stories[expected["story"]]
        anchor = expected["anchor"]
        claim = next(
            c for c in story["claims"] for m in c["mentions"]
            if story["_key"][m["article"]] == anchor["article"] and anchor["text"] in m["sentence"]
        )
        assert claim["independent_sources"] == expected["count"], (expected["claim"], claim["origins"])


def test_articles_credit_their_upstream_with_evidence(stories, answer_key):
    for expected in answer_key["upstream"]:
        story = next(s for s in stories.values() if expected["article"] in s["_key"].values())
        article = next(a for a in story["articles"] if story["_key"][a["id"]] == expected["article"])
        credited = {c["source"]: c["evidence"] for c in article["cites"]}
        assert expected["credits"] in credited, (expected["article"], credited)
        assert expected["evidence"] in credited[expected["credits"]] or credited[expected["credits"]] in expected["evidence"]


def test_syndicated_copies_point_at_the_wire_original(stories, answer_key):
    for expected in answer_key["syndicated"]:
        story = next(s for s in stories.values() if expected["original"] in s["_key"].values())
        copies = {story["_key"][a["id"]]: story["_key"][a["copy_of"]["article"]] for a in story["articles"] if a["copy_of"]}
        assert copies == {c: expected["original"] for c in expected["copies"]}


def test_json_dossier_validates_against_the_schema(stories):
    schema = json.loads(SCHEMA_PATH.read_text())
    data = document([{k: v for k, v in s.items() if k != "_key"} for s in stories.values()])
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())


def test_the_schema_rejects_a_dossier_without_claim_status(stories):
    schema = json.loads(SCHEMA_PATH.read_text())
    story = json.loads(json.dumps({k: v for k, v in stories["jets"].items() if k != "_key"}))
    del story["claims"][0]["status"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document([story]), schema)


def test_a_story_carries_its_key_entities_most_articles_first_without_its_outlets(stories):
    jets = stories["jets"]
    entities = {e["name"]: e for e in jets["entities"]}
    assert entities["Su-30MK2"]["label"] == "DESIGNATOR" and entities["Venezuela"]["articles"] == len(jets["articles"])
    counts = [(e["articles"], e["mentions"]) for e in jets["entities"]]
    assert counts == sorted(counts, reverse=True) and all(n <= len(jets["articles"]) for n, _ in counts)
    for story in stories.values():
        named = {e["name"].lower() for e in story["entities"]}
        assert not named & {o.lower() for o in story["outlets"]}  # "The Meridian Post" is who reports, not who is in it
    assert {"Lucia Navarro", "Graham Petrie", "Port Elswick"} <= {e["name"] for e in stories["election"]["entities"]}



def test_conflicts_are_listed_toll_first_then_who_and_when_then_by_the_articles_behind_them():
    from newsweave.dossier.compare import Conflict, ConflictValue
    from newsweave.dossier.format import _conflict_rank, topic

    def side(*articles):
        return ConflictValue("x", articles, ("evidence",))

    toll = Conflict("number", (side("a"), side("b")), "", about="kill")
    model = Conflict("designator", (side("a", "b", "c"), side("d", "e")), "")
    name = Conflict("name", (side("a"), side("b")), "")
    wide_date = Conflict("date", (side("a", "b"), side("c", "d")), "")
    narrow_date = Conflict("date", (side("a", "b", "c"), side("d")), "")
    crowd = Conflict("number", (side("a"), side("b")), "", about="attend")
    as_json = [{"topic": topic(c), "values": [{"articles": list(v.articles)} for v in c.values], "name": n}
               for n, c in (("model", model), ("narrow", narrow_date), ("crowd", crowd), ("wide", wide_date), ("name", name), ("toll", toll))]
    assert [c["name"] for c in sorted(as_json, key=_conflict_rank)] == ["toll", "name", "wide", "narrow", "model", "crowd"]


def test_a_number_conflict_the_dates_order_is_an_update_and_one_on_the_same_day_a_dispute():
    from datetime import date

    from newsweave.dossier.build import updated
    from newsweave.dossier.compare import Conflict, ConflictValue

    from .conftest import make_article

    day = {name: make_article(f"{name} text.", outlet=name, published=date(2025, 11, d) if d else None)
           for name, d in (("early", 1), ("late", 2), ("late2", 2), ("undated", None))}
    articles = {a.id: a for a in day.values()}

    def number(*sides):
        return Conflict("number", tuple(ConflictValue(str(n), tuple(day[x].id for x in side), ("e",)) for n, side in enumerate(sides)), "")

    assert updated(number(("late", "late2"), ("early",)), articles).verdict == "updated"  # the order of values is no matter
    assert updated(number(("early", "late"), ("late2",)), articles).verdict == "disputed"  # late and late2: the same day
    assert updated(number(("early",), ("undated",)), articles).verdict == "disputed"
    name = Conflict("name", number(("early",), ("late",)).values, "")
    assert updated(name, articles).verdict == "disputed"  # a name that changes is not an update of a number


# --- sources on real input: pasted articles with no outlet, credits after a removed header, the headline ---

PASTES = {
    "/home/ana/paste/one.txt": (
        "Navy strikes on smuggling boats rise, records show\n\n"
        "The Navy has carried out at least 14 strikes on suspected smuggling boats since September, according to "
        "documents viewed by The Harbor Ledger. The strikes used an X-30 drone, the documents show.\n\n"
        "Officials said the campaign would continue through the winter. The Ledger reported that 61 people had been "
        "killed in the strikes.\n\n© 2025 Coastline Herald. All rights reserved."
    ),
    "/home/ana/paste/two.txt": (
        "date 2025-11-01 Documents reported by The Harbor Ledger show that the Navy has conducted more than a dozen "
        "strikes on suspected smuggling boats since September. The strikes used an X-20 drone.\n\n"
        "Officials said the campaign would go on through the winter. At least 61 people have died, the newspaper said."
    ),
    "/home/ana/paste/three.txt": (
        "The Navy has carried out at least 14 strikes on smuggling boats since September, The Harbor Ledger "
        "reported.\nThe strikes used an X-30 drone.\n"
    ),
}


@pytest.fixture(scope="module")
def pasted() -> dict:
    from newsweave.ingest.clean import clean
    from newsweave.model import StoryGroup

    from .conftest import make_raw

    articles = [clean(make_raw(text, source=path)) for path, text in PASTES.items()]
    return story_to_json(build_dossier(StoryGroup("s-pasted", tuple(articles))))


def test_pasted_articles_of_no_outlet_are_sources_of_their_own_never_paths(pasted):
    names = [a["source_name"] for a in pasted["articles"]]
    assert "Coastline Herald" in names and "three.txt" in names and len(set(names)) == 3
    assert [s["known"] for s in pasted["sources"]].count(False) == 2
    shown = json.dumps({k: v for k, v in pasted.items() if k != "articles"})
    assert "/home/ana" not in shown  # no machine path in anything a person reads
    for claim in pasted["claims"]:
        assert claim["independent_sources"] <= claim["outlets"] <= len(pasted["articles"])


def test_every_paste_credits_the_ledger_once_even_after_a_removed_header_and_by_short_name(pasted):
    for article in pasted["articles"]:
        assert [c["source"] for c in article["cites"]] == ["The Harbor Ledger"], article["source_name"]
    assert pasted["independent_sources"] <= len(pasted["articles"])
    model = next(c for c in pasted["claims"] if "X-30 drone" in c["text"])
    assert model["outlets"] == 3 and model["independent_sources"] == 1  # three retellings of one scoop
    assert [o["source"] for o in model["origins"]] == ["The Harbor Ledger"]


def test_the_headline_is_the_earliest_dated_titled_article_else_the_most_central_titled_one():
    from datetime import date

    from newsweave.dossier.build import Claim, ClaimMention, headline
    from newsweave.dossier.provenance import Origin

    from .conftest import make_article

    paste = make_article("The strikes used an X-30 drone.", outlet=None, title=None, published=date(2025, 10, 30))
    late = make_article("Strikes go on.", outlet="B", title="Later report", published=date(2025, 11, 3))
    early = make_article("Strikes began.", outlet="A", title="First report", published=date(2025, 11, 1))
    assert headline([paste, late, early], []) == "First report"  # the undated... or dated paste has no title
    side = make_article("Aside.", outlet="C", title="A side story", published=None)
    main = make_article("Strikes.", outlet="D", title="The main story", published=None)
    origin = Origin("x", "x", "own reporting")
    shared = Claim("c1", "t", (ClaimMention(main.id, 0, "t", "t", origin), ClaimMention(paste.id, 0, "t", "t", origin)), 1, "corroborated")
    assert headline([side, main], [shared]) == "The main story"  # undated titles: the most central
    assert headline([side, main], []) == "A side story"  # nothing shared: the first given
    assert headline([paste], []) == "The strikes used an X-30 drone."


def test_pasted_story_validates_and_says_who_reported_first_and_whether_details_are_added(pasted):
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.validate(document([pasted]), schema)
    dated = {a["id"] for a in pasted["articles"] if a["published"]}  # the paste whose header said "date 2025-11-01"
    assert len(dated) == 1
    for claim in pasted["claims"]:
        stating = {m["article"] for m in claim["mentions"]}
        expected = ("published", next(iter(dated))) if stating & dated else ("article order", claim["mentions"][0]["article"])
        assert (claim["first_report"]["by"], claim["first_report"]["article"]) == expected
    assert {u["provenance"] for u in pasted["unique_details"]} <= {"added", "carried"}
    for u in pasted["unique_details"]:
        assert (u["carried_from"] is None) == (u["provenance"] == "added")


# --- who a claim is credited to ----------------------------------------------------------------------


def _sentence(text: str, *attributions, part=None) -> "Sentence":
    from newsweave.model import Sentence

    return Sentence(article_id="a", index=0, paragraph=0, text=text, attributions=attributions, part=part)


def _attribution(text: str, source: str, cue: str, content: str, kind: str = "reported") -> "Attribution":
    from newsweave.model import Attribution

    at = text.index(content)
    return Attribution(cue=cue, source=source, content=content, source_span=(text.index(source), text.index(source) + len(source)),
                       cue_span=(text.index(cue), text.index(cue) + len(cue)), content_span=(at, at + len(content)), kind=kind)


def test_a_claim_is_said_by_the_source_whose_content_holds_it_never_by_a_stance():
    from newsweave.dossier.build import SaidBy, said_by

    text = "The mayor said on Tuesday that the bridge would reopen in May."
    said = _attribution(text, "The mayor", "said", "that the bridge would reopen in May")
    assert said_by(_sentence(text, said)) == SaidBy("The mayor", "said", "reported", "The mayor")
    text = "The senator criticized the plan to close the bridge."
    stance = _attribution(text, "The senator", "criticized", "the plan to close the bridge", kind="attitude")
    assert said_by(_sentence(text, stance)) is None  # a stance credits no one with a fact
    text = "The bridge will reopen in May, and the mayor said the tolls would rise."
    tolls = _attribution(text, "the mayor", "said", "the tolls would rise")
    assert said_by(_sentence(text, tolls, part=(0, 29))) is None  # the clause "The bridge will reopen in May" is the outlet's
    assert said_by(_sentence(text, tolls, part=(31, len(text)))).source == "the mayor"


def test_quoted_claims_carry_their_speaker_and_he_or_she_is_the_person_last_named(stories):
    said = [(m["said_by"], c) for story in stories.values() for c in story["claims"] for m in c["mentions"] if m["said_by"]]
    cheque = [(s, c) for s, c in said if "blank cheque" in c["text"]]
    assert cheque and all(s["source"] == "he" and s["speaker"] == "Peter Lund" and s["kind"] == "quote" for s, _ in cheque)
    assert "Peter Lund" in cheque[0][1]["speakers"]
    viewed = [s for s, _ in said if s["kind"] == "documents"]
    assert viewed and {s["speaker"] for s in viewed} == {"The Meridian Post"}
    own_voice = [m for story in stories.values() for c in story["claims"] for m in c["mentions"] if m["said_by"] is None]
    assert own_voice  # the outlets' own statements are credited to no one
    details = [u["said_by"] for story in stories.values() for u in story["unique_details"] if u["said_by"]]
    assert details and all(set(d) == {"source", "speaker", "cue", "kind"} for d in details)  # the mentions' shape
