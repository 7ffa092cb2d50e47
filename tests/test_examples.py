"""The example corpus against its answer key (examples/answer-key.json, explained in examples/README.md)."""

from __future__ import annotations

import json

import pytest

from newsweave import Article, InputError, clean_paths
from newsweave.ingest import boilerplate as bp
from newsweave.model import normalise_for_id

from .conftest import EXAMPLES


@pytest.fixture(scope="module")
def cleaned() -> dict[str, Article]:
    """The whole corpus cleaned as one batch (so template residue is learned), keyed like the answer key."""
    results = list(clean_paths([str(EXAMPLES / "text"), str(EXAMPLES / "html"), str(EXAMPLES / "feeds")]))
    errors = [r for r in results if isinstance(r, InputError)]
    assert not errors, errors
    return {r.source.removeprefix(f"{EXAMPLES}/"): r for r in results}


def keys(answer_key):
    return sorted(answer_key["articles"])


def test_every_article_in_the_key_is_read_and_nothing_else(cleaned, answer_key):
    assert sorted(cleaned) == keys(answer_key)


def test_clean_text_is_exactly_the_story_paragraphs_in_order(cleaned, answer_key):
    for key, expected in answer_key["articles"].items():
        assert list(cleaned[key].paragraphs) == expected["body"], key


def is_html(key: str) -> bool:
    path, _, line = key.partition("#")
    if not line:
        return path.endswith(".html")
    record = json.loads((EXAMPLES / path).read_text(encoding="utf-8").splitlines()[int(line) - 1])
    return "html" in record and "text" not in record


def test_every_planted_piece_of_debris_is_removed(cleaned, answer_key):
    for key, expected in answer_key["articles"].items():
        article = cleaned[key]
        text = normalise_for_id(article.text)
        removed = normalise_for_id(" ".join(r.text for r in article.removed))
        for debris in expected["debris"] + expected.get("template_residue", []):
            assert normalise_for_id(debris) not in text, (key, debris)
            if not is_html(key):  # in HTML, trafilatura drops some debris before the line cleaner sees it
                assert normalise_for_id(debris) in removed, (key, debris)


def test_debris_that_survives_html_extraction_is_removed_with_a_reason(cleaned, answer_key):
    reasons = {r.reason for key in answer_key["articles"] if is_html(key) for r in cleaned[key].removed}
    assert {bp.AD, bp.SHARE, bp.COMMENTS, bp.BIO} <= reasons


def test_template_residue_is_learned_from_the_pile(cleaned, answer_key):
    learned = 0
    for key, expected in answer_key["articles"].items():
        reasons = {r.text: r.reason for r in cleaned[key].removed}
        for line in expected.get("template_residue", []):
            assert reasons.get(line) == bp.TEMPLATE, (key, line)
            learned += 1
    assert learned >= 4


def test_traps_that_look_like_debris_are_kept(cleaned, answer_key):
    traps = [(k, t) for k, e in answer_key["articles"].items() for t in e.get("traps", [])]
    assert len(traps) >= 4
    for key, trap in traps:
        assert trap in cleaned[key].text, (key, trap)


def test_sub_headings_are_kept_as_headings(cleaned, answer_key):
    for key, expected in answer_key["articles"].items():
        assert list(cleaned[key].headings) == expected["headings"], key


@pytest.mark.parametrize("field", ["title", "outlet", "author", "dateline"])
def test_metadata_hidden_in_the_text_is_found(cleaned, answer_key, field):
    for key, expected in answer_key["articles"].items():
        assert getattr(cleaned[key], field) == expected[field], (key, field)


def test_publication_dates_are_found_including_glued_date_headers(cleaned, answer_key):
    for key, expected in answer_key["articles"].items():
        published = cleaned[key].published
        assert (published.isoformat() if published else None) == expected["published"], key


def test_the_windows_1252_and_crlf_files_read_cleanly(cleaned):
    quake = next(a for k, a in cleaned.items() if k.endswith("cp1252.txt"))
    assert "Nicolás" in quake.text and "\r" not in quake.text
    port = next(a for k, a in cleaned.items() if "crlf" in k)
    assert "\r" not in port.text and "\n\n" in port.text


def test_every_article_is_in_english(cleaned):
    assert {a.language for a in cleaned.values()} == {"en"}
