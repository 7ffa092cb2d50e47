import codecs
import random
import struct

import pytest

from newsweave.ingest.decode import DecodeError, decode, normalise_text


def test_decode_reads_windows_1252_accents_and_curly_quotes():
    text, encoding = decode("Nicolás said “never” at the café.".encode("cp1252"))
    assert text == "Nicolás said “never” at the café."
    assert encoding.startswith("cp125") or encoding == "windows-1252"


def test_decode_honours_a_utf16_byte_order_mark():
    data = codecs.BOM_UTF16_LE + "Ölpreis steigt".encode("utf-16-le")
    assert decode(data)[0] == "Ölpreis steigt"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [
    "Ölpreis steigt: the café owner said prices rose 3% on Monday.\nOfficials confirmed it.",
    "Министр обороны заявил, что войска будут переброшены к побережью в течение недели.",
], ids=["latin", "cyrillic"])
def test_decode_reads_utf16_without_a_byte_order_mark(encoding, text):
    assert decode(text.encode(encoding)) == (text, encoding)


def test_decode_reads_an_html_page_saved_as_utf16_without_a_byte_order_mark():
    page = "<html><head><title>Ferry</title></head><body><p>Officials said the ferry stops.</p></body></html>"
    assert decode(page.encode("utf-16-le"), html=True) == (page, "utf-16-le")


def test_decode_still_calls_16_bit_samples_binary():
    rng = random.Random(1)  # a quiet stretch of 16-bit audio: NULs in the high byte of every small sample
    samples = b"".join(struct.pack("<h", rng.randint(-300, 300)) for _ in range(4000))
    with pytest.raises(DecodeError, match=r"binary data \(NUL bytes\)"):
        decode(samples)


def test_decode_strips_a_utf8_bom_and_normalises_crlf():
    text, _ = decode(codecs.BOM_UTF8 + "first line\r\nsecond line\rthird".encode())
    assert text == "first line\nsecond line\nthird"


def test_decode_uses_the_pages_declared_charset_for_html():
    html = '<html><head><meta charset="iso-8859-1"></head><body>Señor Muñoz</body></html>'.encode("latin-1")
    assert "Señor Muñoz" in decode(html, html=True)[0]


def test_decode_repairs_mojibake():
    assert normalise_text("CafÃ© owner said") == "Café owner said"


def test_decode_collapses_non_breaking_and_zero_width_spaces():
    assert normalise_text("a\u00a0\u00a0b\u200bc  d") == "a bc d"


@pytest.mark.parametrize(
    "data, what",
    [(b"%PDF-1.7\n...", "PDF"), (b"\x89PNG\r\n\x1a\n....", "PNG"), (b"abc\x00\x00\x01def", "NUL")],
)
def test_decode_refuses_binary_data_and_names_it(data, what):
    with pytest.raises(DecodeError, match=what):
        decode(data)


def test_decode_reads_a_cyrillic_code_page():
    text = "Министр обороны заявил, что войска будут переброшены к побережью в течение недели."
    assert decode(text.encode("cp1251"))[0] == text
