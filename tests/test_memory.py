import gzip

from newsweave import InputError, RawDocument, ReadSettings
from newsweave.ingest.memory import read_paste, read_record, read_upload, upload_label

from .conftest import MiB, gzip_repeating, traced_peak

PAGE = b"<html><body><article><p>The harbour reopened on Monday after the storm, the port authority said.</p></article></body></html>"


def test_an_upload_is_read_by_its_name_as_a_file_is_and_its_path_is_dropped_from_the_label():
    [doc] = read_upload("../../uploads/Harbour.HTML.gz", gzip.compress(PAGE))
    assert isinstance(doc, RawDocument) and doc.source == "upload:Harbour.HTML.gz" and doc.kind == "html"
    assert upload_label("C:\\Users\\me\\<b>notes</b>.txt") == "b_.txt" and upload_label(None) == "upload"


def test_an_upload_with_an_unknown_name_is_sniffed_and_a_damaged_gzip_fails_as_a_files_does():
    [doc] = read_upload("page", PAGE)
    assert isinstance(doc, RawDocument) and doc.kind == "html"
    [error] = read_upload("page.txt.gz", b"not gzip at all")
    assert isinstance(error, InputError) and error.source == "upload:page.txt.gz"
    assert "damaged or truncated gzip data" in error.message and "download the file again" in error.message


def test_an_upload_over_the_cap_is_an_error_naming_it():
    [error] = read_upload("big.txt", b"x" * 600, ReadSettings(max_bytes=500))
    assert isinstance(error, InputError) and "larger than the 500-byte cap" in error.message


def test_a_gzip_bomb_upload_is_refused_as_it_inflates():
    bomb = gzip_repeating((b'{"text": "', 1), (b"a" * MiB, 200), (b'"}\n', 1))  # 200 KiB inflating to 200 MiB
    [error], peak = traced_peak(lambda: list(read_upload("dump.jsonl.gz", bomb)))
    assert isinstance(error, InputError) and error.source == "upload:dump.jsonl.gz"
    assert "inflates more than 200 times its compressed size" in error.message and peak < 50 * MiB


def test_metadata_typed_beside_a_paste_wins_and_makes_it_another_input():
    text = "Harbour reopens\n\nThe harbour reopened on Monday after the storm, the port authority said."
    [plain] = read_paste(text)
    [titled] = read_paste(text, title=" Port reopens ", outlet="The Ledger", published="2024-03-04")
    assert titled.hints.title == "Port reopens" and titled.hints.outlet == "The Ledger" and str(titled.hints.published) == "2024-03-04"
    assert plain.raw_hash != titled.raw_hash and plain.source.startswith("paste:")
    [error] = read_paste(text, format="pdf")
    assert isinstance(error, InputError) and "choose one of text, markdown, html, sniff" in error.message


def test_an_api_record_is_read_as_a_json_input_under_its_url():
    [doc] = read_record({"text": "The harbour reopened on Monday.", "title": "Port reopens", "url": "https://news.example/port"})
    assert isinstance(doc, RawDocument) and doc.source == "https://news.example/port#1"  # record 1 of that input
    assert doc.hints.title == "Port reopens" and doc.hints.url == "https://news.example/port"
