"""Bytes to text: encoding detection and Unicode normalisation, with errors a user can act on."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy

from newsweave.errors import DecodeError

# Signatures of formats that are certainly not articles, named in the error message.
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"),
    (b"\x1f\x8b", "gzip-compressed data (name it .gz to have it unpacked)"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-16 written without a byte-order mark (Windows tools' "Unicode"): every character below U+0100 (Latin
# letters, digits, spaces, markup) has a NUL as one byte of its pair, always the same one, while a character
# with a NUL in the other byte (U+3000, U+0400...) is rare. A head is taken for UTF-16 when at least this share
# of its pairs has a NUL at one position (spaces and punctuation alone give a Cyrillic or Greek text ~15%)...
UTF16_MIN_NUL_SHARE = 0.1
UTF16_NUL_RATIO = 20  # ...that position holds at least 20 times the NULs of the other (binary data: both alike)...
UTF16_MIN_PRINTABLE_SHARE = 0.98  # ...and this share of the characters it decodes to is printable or whitespace
SNIFF_BYTES = 8192  # the head looked at for NULs and BOM-less UTF-16
CP1252_CHAOS_MARGIN = 0.05  # how much "messier" windows-1252 may read than the detector's pick and still win
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_latin_ligatures=False, normalization="NFC")
_HORIZONTAL_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of `data`, or None when it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    head = data[:SNIFF_BYTES]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in head and utf16_without_bom(head) is None:
        return "binary data (NUL bytes)"
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when `data` reads as UTF-16 written without a byte-order mark, else None:
    NULs at one byte position of its pairs and (almost) none at the other, and its head decoding to printable
    text (see UTF16_MIN_NUL_SHARE)."""
    head = data[:SNIFF_BYTES]
    if b"\x00" not in head or len(head) < 2:
        return None
    pairs = len(head) // 2
    nul_first, nul_second = head[0::2].count(0), head[1::2].count(0)
    for encoding, nul, other in (("utf-16-le", nul_second, nul_first), ("utf-16-be", nul_first, nul_second)):
        if nul >= UTF16_MIN_NUL_SHARE * pairs and other * UTF16_NUL_RATIO <= nul:
            try:  # a pair of surrogates cut at the head's end is not an error
                text = codecs.getincrementaldecoder(encoding)().decode(head[: pairs * 2], final=False)
            except UnicodeDecodeError:
                return None
            printable = sum(c.isprintable() or c.isspace() for c in text)
            return encoding if text and printable >= UTF16_MIN_PRINTABLE_SHARE * len(text) else None
    return None


def decode(data: bytes, *, html: bool = False) -> tuple[str, str]:
    """Decode bytes to normalised text; return the text and the encoding used.

    The order: a byte-order mark, UTF-16 without one (NULs at every other byte), strict UTF-8, the page's
    own `<meta charset>` (HTML only), then charset-normalizer's detection among legacy code pages.
    """
    what = sniff_binary(data)
    if what:
        raise DecodeError(f"this is {what}, not an article")
    encoding = _detect(data, html=html)
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
    if html:  # markup is parsed as is; its extracted text is normalised by the cleaner, far cheaper than the page
        return text.replace("\r\n", "\n"), encoding
    return normalise_text(text), encoding


def _detect(data: bytes, *, html: bool) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    utf16 = utf16_without_bom(data)
    if utf16:  # before UTF-8: its ASCII-range characters with their NULs are valid UTF-8 too
        return utf16
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            declared = match.group(1).decode("ascii", "replace")
            try:
                codecs.lookup(declared)
                data.decode(declared)
                return declared
            except (LookupError, UnicodeDecodeError):
                pass
    matches = charset_normalizer.from_bytes(data[:200_000])
    best = matches.best()
    if best is None:
        raise DecodeError("not text in any known encoding (undecodable bytes); save it as UTF-8 and retry")
    # Single-byte Latin code pages are hard to tell apart from a few accents; windows-1252 is by far the
    # most common on the web (browsers read "latin-1" as it), so it wins a near tie.
    for match in matches:
        if "cp1252" in match.could_be_from_charset and match.chaos <= best.chaos + CP1252_CHAOS_MARGIN:
            try:
                data.decode("cp1252")
                return "cp1252"
            except UnicodeDecodeError:
                break
    return best.encoding


def normalise_text(text: str) -> str:
    """Repair mojibake, normalise to NFC and LF line endings, collapse horizontal space per line."""
    text = ftfy.fix_text(text, _FTFY)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    return "\n".join(_HORIZONTAL_SPACE.sub(" ", line).strip() for line in text.split("\n"))
