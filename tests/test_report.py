"""The renderers: one JSON dossier document as text, Markdown and HTML, all saying the same thing."""

from __future__ import annotations

import copy
import json
import re

import jsonschema
import pytest

from newsweave import Article, clean_paths
from newsweave.dossier.build import build_dossiers
from newsweave.dossier.format import SCHEMA_PATH, document, story_to_json
from newsweave.report import RENDERERS, render_html, render_json, render_markdown, render_text
from newsweave.stories import group_stories

from .conftest import EXAMPLES, ROOT, example_source


def _article(id: str, outlet: str, published: str | None, cites=(), copy_of=None) -> dict:
    return {"id": id, "source": f"{id}.txt", "outlet": outlet, "url": None, "title": f"Jets move ({outlet})",
            "author": None, "published": published, "language": "en", "dateline": None, "headings": [], "text": "",
            "removed": [], "cites": list(cites), "copy_of": copy_of}


def _claim(id: str, text: str, articles: list[str], status: str, sources: int, origin: str) -> dict:
    mentions = [{"article": a, "sentence": text, "text": text, "index": 0, "origin": origin} for a in articles]
    return {"id": id, "text": text, "mentions": mentions,
            "origins": [{"source": origin, "articles": articles, "via": ["own reporting"]}],
            "independent_sources": sources, "outlets": len(articles), "status": status, "unique": len(articles) == 1,
            "variants": []}


def small_document() -> dict:
    """One story by hand: three articles from three outlets, three claims (one disputed, one unique), one conflict."""
    story = {
        "id": "s0001", "headline": "Venezuela moves jets to its coast",
        "first_published": "2025-11-01", "last_published": "2025-11-02",
        "outlets": ["Harbor Ledger", "Northgate Daily", "The Meridian Post"],
        "entities": [{"name": "Venezuela", "label": "GPE", "articles": 3, "mentions": 4}],
        "independent_sources": 2,
        "articles": [
            _article("a1", "The Meridian Post", "2025-11-01"),
            _article("a2", "Northgate Daily", "2025-11-02", cites=[{
                "source": "The Meridian Post", "cue": "reported",
                "evidence": "The jets are Su-30MK2, the Post reported.",
            }]),
            _article("a3", "Harbor Ledger", None,
                     copy_of={"article": "a1", "kind": "near-duplicate", "similarity": 0.93}),
        ],
        "claims": [
            _claim("k1", "The jets are Su-30MK2.", ["a1", "a2"], "disputed", 1, "The Meridian Post"),
            _claim("k2", "Venezuela moved jets to its coast.", ["a1", "a2", "a3"], "corroborated", 2,
                   "The Meridian Post"),
            _claim("k3", "Twelve jets landed at Punto Fijo.", ["a2"], "single-source", 1, "Northgate Daily"),
        ],
        "conflicts": [{"claim": "k1", "kind": "designator", "explanation": "The outlets name different models.",
                       "values": [{"value": "Su-30MK2", "articles": ["a1"], "evidence": ["The jets are Su-30MK2."]},
                                  {"value": "Su-20MK2", "articles": ["a2"], "evidence": ["The jets are Su-20MK2."]}]}],
        "unique_details": [{"claim": "k3", "article": "a2", "outlet": "Northgate Daily",
                            "text": "Twelve jets landed at Punto Fijo.",
                            "sentence": "Twelve jets landed at Punto Fijo."}],
    }
    return document([story])


def _fact(kind: str, value: str, verdict: str, *values: tuple[str, list[str], str | None, list[str]]) -> dict:
    number = float(value) if value.isdigit() else None
    return {"kind": kind, "value": value, "number": number, "verdict": verdict,
            "values": [{"value": v, "articles": a, "published": d, "evidence": e} for v, a, d, e in values]}


HOSTILE = "<script>alert(3)</script> | *two* [red]died[/red]"


def facts_document() -> dict:
    """The small document with key facts: a toll that rose (updated) and an injured count the outlets dispute."""
    data = small_document()
    data["stories"][0]["facts"] = [
        _fact("killed", "2", "updated",
              ("1", ["a1"], "2025-11-01", ["One person was killed, officials said."]),
              ("2", ["a2"], "2025-11-02", [f"Two people were killed. {HOSTILE}"])),
        _fact("injured", "4", "disputed",
              ("4", ["a1", "a3"], "2025-11-01", ["Four were hurt.", "Four people were injured."]),
              ("5", ["a2"], "2025-11-02", ["Five were hurt."])),
    ]
    return data


def test_the_document_with_facts_is_a_valid_dossier_and_every_format_shows_the_facts_first():
    data = facts_document()
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()), format_checker=jsonschema.FormatChecker())
    text, md, html = render_text(data), render_markdown(data), render_html(data)
    assert text.index("Key facts") < text.index("Conflicts") < text.index("Claims reported")
    assert md.index("## Key facts") < md.index("## Conflicts") < md.index("## Claims")
    assert html.index("<h2>Key facts</h2>") < html.index("<h2>Conflicts</h2>") < html.index("<h2>Who says what</h2>")
    assert text.index("Key entities") < text.index("Key facts")  # under the story's header lines


def test_a_story_without_facts_renders_as_before_with_no_key_facts_section():
    with_facts, without, empty = facts_document(), small_document(), small_document()
    empty["stories"][0]["facts"] = []
    for render in (render_text, render_markdown, render_html):
        assert "Key facts" in render(with_facts), render.__name__
        assert render(empty) == render(without) and "Key facts" not in render(empty), render.__name__


def test_text_key_facts_give_a_line_a_fact_with_the_update_timeline_and_the_disputed_values():
    data = facts_document()
    data["stories"][0]["articles"][1]["outlet"] = "Northgate [bold]Daily[/bold]"  # Rich markup: printed, not applied
    text = render_text(data, width=200)
    block = text[text.index("Key facts"):text.index("Conflicts")]
    lines = [re.sub(r"\s+", " ", line).strip() for line in block.splitlines()[1:] if line.strip()]
    assert lines == [
        "Killed: 2 (updated: 1 on 2025-11-01 by The Meridian Post → 2 on 2025-11-02 by Northgate [bold]Daily[/bold])",
        "Injured: 4 (disputed: 4 — The Meridian Post, Harbor Ledger; 5 — Northgate [bold]Daily[/bold])",
    ]
    killed, injured = block.splitlines()[1:3]
    assert killed.startswith("  Killed: 2 ") and injured.startswith("  Injured: 4  (disputed")
    assert killed.index("(updated") == injured.index("(disputed")  # the notes in one column, wrapping under themselves


@pytest.mark.parametrize(("fact", "line"), [
    (_fact("injured", "3", "corroborated", ("3", ["a1", "a2", "a3"], "2025-11-01", ["3 hurt."] * 3)),
     "Injured: 3 (corroborated by 3 outlets)"),
    (_fact("injured", "3", "single source", ("3", ["a2"], "2025-11-02", ["3 hurt."])),
     "Injured: 3 (single source: Northgate Daily)"),
    (_fact("injured", "3", "less specific", ("at least 2", ["a1"], "2025-11-01", ["At least 2 hurt."]),
           ("3", ["a2", "a3"], "2025-11-02", ["3 hurt.", "3 hurt."])),
     'Injured: 3 (less specific: "at least 2" — The Meridian Post)'),
])
def test_text_key_facts_name_who_reports_a_corroborated_single_source_or_less_specific_fact(fact, line):
    data = small_document()
    data["stories"][0]["facts"] = [fact]
    text = render_text(data, width=200)
    block = text[text.index("Key facts"):text.index("Conflicts")]
    assert [re.sub(r"\s+", " ", b).strip() for b in block.splitlines()[1:] if b.strip()] == [line]


def test_the_readme_key_facts_example_is_what_the_text_report_prints():
    data = small_document()
    story = data["stories"][0]
    for article, outlet in zip(story["articles"], ("The Ledger", "The Courier", "The Post")):
        article["outlet"], article["published"] = outlet, article["published"] or "2025-11-02"
    story["facts"] = [
        _fact("killed", "2", "updated", ("1", ["a1"], "2025-11-01", ["One died."]),
              ("2", ["a2", "a3"], "2025-11-02", ["Two died.", "Two died."])),
        _fact("injured", "3", "less specific", ("at least 2", ["a1"], "2025-11-01", ["At least 2 hurt."]),
              ("3", ["a2", "a3"], "2025-11-02", ["3 hurt.", "3 hurt."])),
    ]
    text = render_text(data)
    printed = [line.rstrip() for line in text[text.index("Key facts"):text.index("\n\nConflicts")].splitlines()]
    readme = re.search(r"```\n(Key facts\n.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    assert printed == readme.splitlines()


def test_markdown_key_facts_table_has_values_with_outlets_and_dates_and_evidence_for_disputed_and_updated():
    md = render_markdown(facts_document())
    section = md[md.index("## Key facts"):md.index("## Conflicts")]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert rows[0] == "| fact | value | verdict | reported (first report) |"
    assert rows[1] == ("| Killed | **2** | updated | "
                       "1: The Meridian Post (2025-11-01) → 2: Northgate Daily (2025-11-02) |")
    assert rows[2] == ("| Injured | **4** | disputed | 4: The Meridian Post, Harbor Ledger (2025-11-01); "
                       "5: Northgate Daily (2025-11-02) |")
    assert "  - **1**, 2025-11-01 — The Meridian Post: “One person was killed, officials said.”" in section
    assert "Harbor Ledger: “Four people were injured.”" in section
    assert "\\| \\*two\\*" in section  # the evidence's pipe and stars kept literal


def test_html_key_facts_table_styles_verdicts_orders_the_timeline_and_escapes_evidence():
    data = facts_document()
    data["stories"][0]["articles"][2]["outlet"] = "<img src=x onerror=alert(4)>"
    html = render_html(data)
    section = html[html.index("<h2>Key facts</h2>"):html.index("<h2>Conflicts</h2>")]
    assert '<td class="status-updated">updated</td>' in section
    assert '<td class="status-disputed">disputed</td>' in section
    timeline = section[section.index("<ol>"):section.index("</ol>")]
    assert timeline.index("<b>1</b>") < timeline.index("<b>2</b>") < len(timeline)
    assert "first reported 2025-11-01" in timeline and '<li class="current"><b>2</b>' in timeline
    assert "One person was killed, officials said." in timeline  # evidence, for an update and a dispute
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in section and "&lt;img src=x onerror=alert(4)&gt;" in section


COUNTS = re.compile(
    r"(\d+) articles from (\d+) outlets\W+(\d+) independent sources\W+(\d+) claims\W+(?:<[^>]*>)?(\d+) conflicts"
)


def test_the_small_document_is_a_valid_dossier():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.validate(small_document(), schema, format_checker=jsonschema.FormatChecker())


def test_text_markdown_and_html_of_one_document_say_the_same_counts():
    data = small_document()
    rendered = {name: RENDERERS[name](data) for name in ("text", "markdown", "html")}
    counts = {name: COUNTS.findall(out) for name, out in rendered.items()}
    assert counts == {name: [("3", "3", "2", "3", "1")] for name in rendered}
    for out in rendered.values():  # the conflict's two values, the unique detail, the credit and the copy, everywhere
        assert "Su-30MK2" in out and "Su-20MK2" in out and "Punto Fijo" in out
        assert "credits The Meridian Post" in re.sub(r"</?b>", "", out) and "near-duplicate of The Meridian Post" in out


def test_json_renders_the_document_itself():
    data = small_document()
    assert json.loads(render_json(data)) == data and render_json(data).endswith("}\n")


def test_html_escapes_untrusted_text_everywhere_it_shows():
    data = small_document()
    story = data["stories"][0]
    evil = "<script>alert(1)</script>"
    story["headline"] = story["claims"][1]["text"] = story["unique_details"][0]["text"] = evil
    story["articles"][1]["outlet"] = story["articles"][0]["title"] = "<img src=x onerror=alert(2)>"
    story["articles"][1]["cites"][0]["evidence"] = evil
    html = render_html(data)
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;") >= 4 and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_markdown_and_text_keep_untrusted_text_literal():
    data = small_document()
    data["stories"][0]["claims"][1]["text"] = "Jets | moved *fast* [red]now[/red]"
    md = render_markdown(data)
    row = next(line for line in md.splitlines() if "Jets \\|" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # the pipe in the cell escaped: still six columns
    assert "\\*fast\\*" in row
    assert "[red]now[/red]" in render_text(data)  # Rich markup in article text is printed, not applied


# --- the example corpus's dossiers ---


@pytest.fixture(scope="module")
def examples(answer_key) -> dict[str, dict]:
    """A JSON document of each example story, keyed by the answer key's story id."""
    corpus = [r for r in clean_paths([str(EXAMPLES / d) for d in ("text", "html", "feeds")]) if isinstance(r, Article)]
    gold = {example_source(a): s["id"] for s in answer_key["stories"] for a in s["articles"]}
    dossiers = build_dossiers(group_stories(corpus))
    return {gold[d.articles[0].article.source]: document([story_to_json(d)]) for d in dossiers}


def test_text_report_shows_conflicts_unique_details_and_provenance(examples):
    text = render_text(examples["jets"])
    assert "Conflicts" in text and "Su-20MK2" in text and "Su-30MK2" in text
    assert "Unique details" in text and "Punto Fijo" in text
    assert "credits The Meridian Post" in text


def test_markdown_report_has_a_conflict_section_and_claim_table(examples):
    md = render_markdown(examples["quake-ecuador"])
    assert "## Conflicts" in md and "2025-10-30" in md and "| status |" in md
    assert "## Wording variants" in md


def test_html_report_is_self_contained_and_escapes_text(examples):
    data = copy.deepcopy(examples["jets"])
    data["stories"][0]["claims"][0]["text"] = "<script>alert(1)</script>"
    html = render_html(data)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html.replace('content="newsweave', "")
    assert 'class="conflict"' in html and "<mark>Su-20MK2</mark>" in html


def test_reports_name_the_key_entities(examples):
    data = examples["jets"]
    assert "Key entities: " in render_text(data) and "Su-30MK2" in render_text(data).split("Key entities: ")[1]
    assert "Key entities: " in render_markdown(data) and 'class="entities"' in render_html(data)


def test_a_dossier_stored_before_sources_counts_each_article_of_no_known_outlet_as_its_own_source():
    from newsweave.report import sources_phrase

    articles = [{"id": "a1", "outlet": "The Ledger", "title": "T", "source": "a.txt"},
                {"id": "a2", "outlet": "the Ledger", "title": "T", "source": "b.txt"},
                {"id": "a3", "outlet": None, "title": "Same title", "source": "/x/c.txt"},
                {"id": "a4", "outlet": None, "title": "Same title", "source": "/x/d.txt"},
                {"id": "a5", "outlet": None, "title": "Same title", "source": "/x/e.txt"}]
    # one outlet in two spellings, three articles of no known outlet however alike their titles
    assert sources_phrase({"articles": articles, "outlets": ["The Ledger"]}) == "4 sources (3 of no known outlet)"
