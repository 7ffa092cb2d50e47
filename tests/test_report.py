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

from .conftest import EXAMPLES, example_source


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
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # the pipe in the cell escaped: still five columns
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
