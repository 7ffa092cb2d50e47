from datetime import date

from newsweave import InputError, ReadSettings
from newsweave.ingest.records import parse_date, record_to_document, records_from_json, records_from_jsonl

import pytest


def lines(*rows: str):
    return ((n, row.encode()) for n, row in enumerate(rows, start=1))


def test_jsonl_reports_a_malformed_line_by_number_and_reads_the_rest():
    results = list(records_from_jsonl("feed.jsonl", lines('{"text": "one"}', '{"text": "two"', '{"text": "three"}'), ReadSettings()))
    assert [type(r).__name__ for r in results] == ["RawDocument", "InputError", "RawDocument"]
    assert str(results[1]).startswith("feed.jsonl:2: malformed JSON line")
    assert results[2].source == "feed.jsonl#3"


def test_a_malformed_line_says_where_on_the_line_and_what_to_do():
    bad = '{"title": "Ferry", "text": "one\ttwo"}'  # a raw tab inside a string
    [error] = list(records_from_jsonl("feed.jsonl", lines(bad), ReadSettings()))
    assert str(error) == (
        "feed.jsonl:1: malformed JSON line: Invalid control character at column 32 (a tab or line break written raw "
        "inside a string; write it as \\t or \\n); the other lines are read: fix this one and read the file again "
        "to add it"
    )


def test_a_line_not_in_utf8_says_which_byte_and_what_to_do():
    [error] = list(records_from_jsonl("feed.jsonl", iter([(4, '{"text": "café"}'.encode("cp1252"))]), ReadSettings()))
    assert str(error) == ("feed.jsonl:4: malformed JSON line: not UTF-8 (byte 0xe9 at column 14); the other lines "
                          "are read: save the file as UTF-8 and read it again")


def test_a_malformed_json_file_says_line_and_column_once_and_what_to_do():
    [error] = list(records_from_json("a.json", '{"articles": [\n  {"text": "one\ttwo"}\n]}', ReadSettings()))
    assert str(error) == ("a.json: malformed JSON: Invalid control character at line 2 column 16 (a tab or line break "
                          "written raw inside a string; write it as \\t or \\n); fix it and read the file again")


def test_record_reads_the_documented_fields():
    doc = record_to_document(
        "r#1",
        {"text": "Body.", "title": "T", "url": "https://x.example/a", "outlet": "The Ledger",
         "published": "2025-11-01T08:30:00Z", "author": ["Ana Ribeiro", "Tom Keane"]},
        ReadSettings(),
    )
    assert (doc.kind, doc.hints.title, doc.hints.outlet, doc.hints.published, doc.hints.author) == (
        "text", "T", "The Ledger", date(2025, 11, 1), "Ana Ribeiro, Tom Keane")


def test_record_with_html_only_is_an_html_document():
    doc = record_to_document("r#1", {"html": "<p>Hello</p>"}, ReadSettings())
    assert doc.kind == "html" and doc.content == "<p>Hello</p>"


def test_field_map_reads_other_names():
    settings = ReadSettings(field_map={"text": "story", "published": "when"})
    doc = record_to_document("r#1", {"story": "Body text.", "when": "1 Nov 2025", "text": "ignored"}, settings)
    assert doc.content == "Body text." and doc.hints.published == date(2025, 11, 1)


def test_record_without_text_says_which_fields_exist_and_how_to_map():
    error = record_to_document("r#1", {"content_html_x": 1, "headline": "H"}, ReadSettings(field_map={}))
    assert isinstance(error, InputError)
    assert "fields present: content_html_x, headline" in str(error) and error.about == "field_map"  # the CLI: --field


def test_json_file_may_hold_a_list_under_articles():
    docs = list(records_from_json("a.json", '{"articles": [{"text": "A."}, {"text": "B."}]}', ReadSettings()))
    assert [d.source for d in docs] == ["a.json#1", "a.json#2"]


def test_same_record_has_the_same_raw_hash_whatever_its_key_order():
    a = record_to_document("x", {"text": "A", "title": "T"}, ReadSettings())
    b = record_to_document("y", {"title": "T", "text": "A"}, ReadSettings())
    assert a.raw_hash == b.raw_hash


@pytest.mark.parametrize("value, expected", [
    ("2025-11-01", date(2025, 11, 1)), ("November 1, 2025", date(2025, 11, 1)),
    (1761955200, date(2025, 11, 1)), ("not a date", None), (None, None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.filterwarnings("error")  # dateutil's UnknownTimezoneWarning, printed once per zone by `newsweave ingest`
@pytest.mark.parametrize("value, expected", [
    # as they stand in the gun-violence corpus's articles (/work/shared/data/gunviolence), under a headline
    ("Tuesday, September 2, 2014 8:42 EDT", date(2014, 9, 2)), ("September 15, 2016 9:11:51 AM CDT", date(2016, 9, 15)),
    ("January 17, 2017 2:20:54 PM CST", date(2017, 1, 17)),
    ("March 3, 2017 11:59 PM PST", date(2017, 3, 3)),  # late at night: the date as written, not moved to UTC
    ("1 Nov 2025 10:00 XYZT", date(2025, 11, 1)),  # a zone nobody knows: ignored
])
def test_parse_date_reads_a_time_zone_name_without_a_warning(value, expected):
    assert parse_date(value) == expected


def test_an_input_error_survives_pickling_for_worker_processes():
    import pickle

    error = pickle.loads(pickle.dumps(InputError("feed.jsonl", "malformed JSON line", line=7)))
    assert (error.source, error.message, error.line, str(error)) == ("feed.jsonl", "malformed JSON line", 7, "feed.jsonl:7: malformed JSON line")
