import gzip
import io
import sys

from newsweave import InputError, ReadSettings, RawDocument
from newsweave.ingest.files import expand_paths, read_file


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
