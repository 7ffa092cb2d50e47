import gzip
import io
import os
import sys

import pytest

from newsweave import InputError, ReadSettings, RawDocument
from newsweave.config import MAX_INFLATION_RATIO
from newsweave.ingest.files import GzipReader, expand_paths, read_file

from .conftest import MiB, gzip_repeating, traced_peak


def read_all(path, settings=ReadSettings()):
    files, errors = expand_paths([str(path)])
    results = list(errors)
    for item in files:
        results.extend(read_file(item, settings))
    return results


def test_folders_are_read_recursively_skipping_hidden_and_unknown_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("x")
    (tmp_path / "two.html").write_text("<p>x</p>")
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "three.txt").write_text("x")
    files, errors = expand_paths([str(tmp_path)])
    assert not errors
    assert sorted(f.path.removeprefix(str(tmp_path)) for f in files) == ["/a/one.txt", "/two.html"]


def test_a_missing_path_is_an_error_naming_it(tmp_path):
    _, errors = expand_paths([str(tmp_path / "nope.txt")])
    assert "nope.txt: no such file or folder" in str(errors[0])


def test_an_explicit_file_with_an_unknown_extension_is_sniffed(tmp_path):
    path = tmp_path / "page.php"
    path.write_text("<!doctype html><html><body><p>Hi</p></body></html>")
    [doc] = read_all(path)
    assert doc.kind == "html"


def test_html_gz_is_unpacked(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><body><p>Compressed page</p></body></html>"))
    [doc] = read_all(path)
    assert doc.kind == "html" and "Compressed page" in doc.content


def test_truncated_gzip_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "page.html.gz"
    body = "".join(f"<p>Paragraph {n} of the page, number {n * 7919 % 10007}.</p>" for n in range(3000))
    packed = gzip.compress(f"<html><body>{body}</body></html>".encode())
    path.write_bytes(packed[: len(packed) // 2])
    [error] = read_all(path)
    assert isinstance(error, InputError) and "truncated gzip" in str(error) and "page.html.gz" in str(error)


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n")
    [error] = read_all(path)
    assert str(error) == f"{path}: empty input: nothing to read"


def test_oversized_file_is_an_error_naming_the_cap(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    [error] = read_all(path, ReadSettings(max_bytes=1000))
    assert "1,000-byte cap" in str(error) and error.about == "max_bytes"  # the CLI's hint: --max-bytes


def test_same_bytes_give_the_same_raw_hash(tmp_path):
    (tmp_path / "a.txt").write_text("Same text.")
    (tmp_path / "b.txt").write_text("Same text.")
    [a], [b] = read_all(tmp_path / "a.txt"), read_all(tmp_path / "b.txt")
    assert a.raw_hash == b.raw_hash and a.source != b.source


def test_standard_input_is_read_and_sniffed(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b'{"text": "From a pipe."}\n{"text": "Two."}\n')))
    results = read_all("-")
    assert all(isinstance(r, RawDocument) for r in results)
    assert [r.source for r in results] == ["-#1", "-#2"]


GOOD_LINE = b'{"text": "The harbour reopened on Monday after the storm, the port authority said."}\n'


@pytest.mark.parametrize("compressed", [True, False], ids=["jsonl.gz", "jsonl"])
def test_an_over_long_json_line_is_read_through_without_being_held_and_the_next_line_is_read(tmp_path, compressed):
    chunk = os.urandom(10 * 1024).hex().encode() + b"a" * (MiB - 20 * 1024)  # 1 MiB; gzips ~80 times: no bomb
    parts = [(GOOD_LINE, 1), (b'{"text": "', 1), (chunk, 200), (b'"}\n', 1), (GOOD_LINE, 1)]
    path = tmp_path / ("dump.jsonl.gz" if compressed else "dump.jsonl")
    with path.open("wb") as out:
        if compressed:
            out.write(gzip_repeating(*parts))
        else:
            for part, count in parts:
                for _ in range(count):
                    out.write(part)
    results, peak = traced_peak(lambda: read_all(path, ReadSettings(max_bytes=MiB)))
    first, error, last = results
    assert isinstance(first, RawDocument) and isinstance(last, RawDocument) and last.source == f"{path}#3"
    assert isinstance(error, InputError) and error.about == "max_bytes"
    assert str(error) == f"{path}:2: record is {200 * MiB + 13:,} bytes, over the 1,048,576-byte cap"  # its true length
    assert peak < 50 * MiB  # the 200 MiB line was never held whole


@pytest.mark.parametrize("name, documents", [("a-dump.jsonl.gz", 1), ("a-page.html.gz", 0)])
def test_a_gzip_bomb_is_refused_as_it_inflates_and_the_batch_goes_on(tmp_path, name, documents):
    bomb = tmp_path / name  # 200 KiB inflating to 200 MiB of one line
    bomb.write_bytes(gzip_repeating((GOOD_LINE, 1), (b'{"text": "', 1), (b"a" * MiB, 200), (b'"}\n', 1)))
    (tmp_path / "b-page.html").write_text("<html><body><p>Another page</p></body></html>")
    results, peak = traced_peak(lambda: read_all(tmp_path))
    *read, error, page = results
    assert len(read) == documents and all(isinstance(r, RawDocument) for r in read)  # what came before the bomb
    assert isinstance(error, InputError) and error.source == str(bomb)
    assert f"inflates more than {MAX_INFLATION_RATIO} times its compressed size" in error.message
    assert "a decompression bomb or not a news dump" in error.message
    assert isinstance(page, RawDocument) and page.source.endswith("b-page.html")
    assert peak < 50 * MiB


def test_a_compressed_file_inflating_past_the_total_cap_is_refused_however_plain_its_ratio():
    with GzipReader("dump.jsonl.gz", io.BytesIO(gzip.compress(os.urandom(5000))), max_total=4096) as stream:
        with pytest.raises(InputError, match="inflates to more than 4,096 bytes, the limit for one compressed") as refused:
            stream.read(10_000)
    assert refused.value.source == "dump.jsonl.gz"


def test_standard_input_is_read_no_further_than_the_cap(monkeypatch, tmp_path):
    piped = tmp_path / "piped"
    piped.write_bytes(b"x" * (64 * MiB))
    with piped.open(encoding="latin-1") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        [error], peak = traced_peak(lambda: read_all("-", ReadSettings(max_bytes=1000)))
    assert "1,000-byte cap" in str(error) and peak < 8 * MiB
