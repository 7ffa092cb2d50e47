"""Web archives: HTML responses become articles with their URL and crawl date; the rest is counted; damage is reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsweave import InputError, RawDocument, ReadSettings, open_store
from newsweave.ingest.warc import ArchiveStats, is_archive, read_archive
from newsweave.pipeline import ingest_sources

from .conftest import WEB, write_warc
from .conftest import MiB, gzip_repeating, traced_peak


def read_all(path: Path, settings: ReadSettings = ReadSettings()) -> tuple[list, ArchiveStats]:
    stats = ArchiveStats()
    return list(read_archive(str(path), settings, stats)), stats


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_documents_and_other_records_are_counted(tmp_path, gzip):
    path = write_warc(tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc"), gzip=gzip)
    results, stats = read_all(path)
    assert all(isinstance(r, RawDocument) for r in results)
    jets, port = results
    assert jets.source == jets.hints.url == "https://harborledger.example/news/jets"  # canonical: no tracking
    assert jets.kind == "html" and jets.hints.published is None  # the page has its own date
    assert port.source == "https://cpa.example/wire/lisbon-port" and port.hints.published == date(2025, 11, 4)  # the crawl's
    assert stats.records == 7 and stats.documents == 2
    assert stats.skipped == {"warcinfo record": 1, "request record": 1, "revisit record": 1, "not HTML (image/png)": 1, "HTTP 404 response": 1}


def record_offsets(path: Path) -> list[tuple[int, int]]:
    """(offset, length) of each record, as warcio finds them."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        return [(records.get_record_offset(), records.get_record_length()) for _ in records]


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_archive_yields_what_was_read_and_says_where_it_stopped(tmp_path, gzip):
    whole = write_warc(tmp_path / ("whole.warc.gz" if gzip else "whole.warc"), gzip=gzip)
    offset, length = record_offsets(whole)[3]  # the second page
    path = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    path.write_bytes(whole.read_bytes()[: offset + length // 2])
    results, stats = read_all(path)
    *docs, error = results
    assert [d.source for d in docs] == ["https://harborledger.example/news/jets"]
    assert isinstance(error, InputError) and error.source == str(path) and error.message.startswith("truncated archive: ")
    assert "the 3 records before " in error.message and f"{offset:,}" in error.message
    assert "download the archive again to read the rest" in error.message


def test_something_else_named_warc_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "junk.warc"
    path.write_bytes(b"this is not a web archive\r\n\r\n")
    [error] = read_all(path)[0]
    assert str(error) == f"{path}: not a WARC or ARC archive: it should start with WARC/ or filedesc://, not 'this is not a web ar'"


def test_damage_inside_an_archive_stops_reading_with_the_record_number(tmp_path):
    whole = write_warc(tmp_path / "whole.warc", gzip=False).read_bytes()
    offset, _ = record_offsets(tmp_path / "whole.warc")[3]
    path = tmp_path / "damaged.warc"
    path.write_bytes(whole[:offset] + b"WARC/1.1\r\nnot a header\r\n\r\n" + whole[offset:])
    results, _ = read_all(path)
    *docs, error = results
    assert [d.source for d in docs] == ["https://harborledger.example/news/jets"]
    assert error.source == str(path) and error.message.startswith("truncated or damaged archive: reading stopped after record 3, at byte ")


def test_an_arc_file_is_read_too(tmp_path):
    body = (WEB / "undated-port.html").read_bytes()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    version = b"1 0 newsweave\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = b"filedesc://old.arc 0.0.0.0 20041103100000 text/plain %d\n%s\n" % (len(version), version)
    arc += b"http://cpa.example/2004/port 192.0.2.1 20041103100000 text/html %d\n%s\n" % (len(http), http)
    path = tmp_path / "old.arc"
    path.write_bytes(arc)
    [doc], stats = read_all(path)
    assert doc.source == "http://cpa.example/2004/port" and doc.hints.published == date(2004, 11, 3)
    assert stats.skipped == {"warcinfo record": 1}


def test_a_record_over_the_size_cap_is_reported_and_the_rest_read(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", gzip=True)
    results, stats = read_all(path, ReadSettings(max_bytes=3000))
    [error] = [r for r in results if isinstance(r, InputError)]
    assert error.source == "https://harborledger.example/news/jets" and "3,000-byte cap" in error.message and "record 3 of" in error.message
    assert [r.source for r in results if isinstance(r, RawDocument)] == ["https://cpa.example/wire/lisbon-port"]


def test_archives_are_told_by_their_extension():
    assert all(map(is_archive, ["a.warc", "B.WARC.GZ", "c.arc", "d.arc.gz"])) and not is_archive("a.warc.txt")


def test_an_archive_is_ingested_and_a_truncated_one_stores_what_was_read(tmp_path):
    store = open_store(str(tmp_path / "warc.db"))
    good = write_warc(tmp_path / "crawl.warc.gz", gzip=True)
    whole = write_warc(tmp_path / "whole.warc", gzip=False).read_bytes()
    cut = tmp_path / "cut.warc"
    offset, length = record_offsets(tmp_path / "whole.warc")[3]
    cut.write_bytes(whole[: offset + length // 2])
    report = ingest_sources([str(cut), str(good)], store)
    assert len(report.added) == 2 and len(report.known) == 1  # the cut archive's first page is the good one's too
    [failure] = report.failed
    assert failure.source == str(cut) and "truncated archive" in failure.message
    assert report.skipped["revisit record"] == 1 and report.skipped["request record"] == 2
    port = next(a for a in store.articles() if a.source == "https://cpa.example/wire/lisbon-port")
    assert port.published == date(2025, 11, 4) and port.url == "https://cpa.example/wire/lisbon-port"


PAGES = ["https://harborledger.example/news/jets", "https://cpa.example/wire/lisbon-port"]  # write_warc's two


def warc_head(uri: str, length: int) -> bytes:
    """A response record's WARC headers, for a block (HTTP headers and body) of `length` bytes."""
    return (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2025-11-04T08:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{uri.rsplit('/', 1)[-1]}>\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def test_a_record_inflating_like_a_bomb_stops_the_archive_as_it_inflates(tmp_path):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
    head = warc_head("https://news.example/bomb", len(http) + 200 * MiB)
    bomb = gzip_repeating((head + http, 1), (b" " * MiB, 200), (b"\r\n\r\n", 1))  # 200 KiB inflating to 200 MiB
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(write_warc(tmp_path / "good.warc.gz", gzip=True).read_bytes() + bomb)
    (results, stats), peak = traced_peak(lambda: read_all(path))
    *docs, error = results
    assert [d.source for d in docs] == PAGES
    assert isinstance(error, InputError) and error.source == str(path)
    assert error.message.startswith("inflates more than 200 times its compressed size (")
    assert "(in record 8, at byte " in error.message and "the 7 records before it were read)" in error.message
    assert peak < 50 * MiB


def test_headers_that_never_end_are_damage_and_are_not_held(tmp_path):
    path = tmp_path / "crawl.warc"
    with path.open("wb") as out:
        out.write(write_warc(tmp_path / "good.warc", gzip=False).read_bytes())
        out.write(b"WARC/1.0\r\nWARC-Type: response\r\nX-Junk: ")
        for _ in range(64):
            out.write(b"x" * MiB)  # and no end of line
    (results, _), peak = traced_peak(lambda: read_all(path))
    *docs, error = results
    assert len(docs) == 2 and isinstance(error, InputError)
    assert error.message.startswith("truncated or damaged archive: reading stopped after record 7, at byte ")
    assert "run on past 1,048,576 bytes" in error.message and peak < 50 * MiB


def test_a_huge_chunk_of_a_page_is_not_held_and_the_records_after_it_are_read(tmp_path):
    size = 64 * MiB
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    body = b"%x\r\n<p>" % size + b"x" * (size - 3) + b"\r\n0\r\n\r\n"  # one chunk of 64 MiB
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_head("https://news.example/huge", len(http) + len(body)) + http + body + b"\r\n\r\n"
                     + write_warc(tmp_path / "good.warc", gzip=False).read_bytes())
    del body
    (results, _), peak = traced_peak(lambda: read_all(path, ReadSettings(max_bytes=MiB)))
    error, *docs = results
    assert isinstance(error, InputError) and error.source == "https://news.example/huge" and error.about == "max_bytes"
    assert "larger than the 1,048,576-byte cap for one input (record 1 of" in error.message
    assert [d.source for d in docs] == PAGES
    assert peak < 50 * MiB
