"""A JSON Lines dump read as `newsweave cluster` reads it: records as they are, a bad line named."""

from __future__ import annotations

import json
from datetime import date

import pytest

from newsweave.errors import InputError
from newsweave.ingest.dump import read_dump
from newsweave.model import TextRecord


def test_cluster_jsonl_names_a_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "fine"}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:2"):
        list(read_dump(str(path), "id", "text"))
    path.write_text('{"id": "a", "text": "fine"}\n\n["a", "list"]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.jsonl:3.*not a JSON object"):
        list(read_dump(str(path), "id", "text"))


def test_read_dump_names_records_without_an_id_by_their_line_and_strips_what_it_reads(tmp_path):
    rows = [{"id": "a", "text": " Body. ", "head": " Title ", "day": "2016-03-07T10:00:00Z"}, {"text": "No id.", "day": "Monday"},
            {"id": 7, "text": 7}]
    path = tmp_path / "dump.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    records = list(read_dump(str(path), "id", "text", title_field="head", date_field="day"))
    assert records == [
        TextRecord("a", "Body.", "Title", date(2016, 3, 7), f"{path}:1"),
        TextRecord("line:2", "No id.", "", None, f"{path}:2"),  # a date that is not ISO is no date
        TextRecord("7", "", "", None, f"{path}:3"),  # a text that is not a string is no text
    ]
