"""Quotation marks in a Doc's text: where each quotation begins and ends, and which are signed with a dash.

Quotation marks are paired once over the whole Doc, so a quotation may run over several sentences. A
quotation left open ends at the end of its paragraph; one closed without opening began at the start of
it. A quotation followed by a dash and a name (`"..." -- Steve Quinlan`) is signed by that name. Offsets
here are character offsets into the Doc's text; who said each quotation is `attribution`'s question.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["CLOSING_MARKS", "EDGE_PUNCT", "is_edge_junk", "opened", "quote_regions", "signed_quotes", "trim_span"]

# Quotation marks. Curly and guillemet marks say which way they face; straight marks (and '' or ``
# as some papers print them) open after a space or bracket and close otherwise.
OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
CLOSERS = frozenset({"\u201d", "\u00bb"})
STRAIGHT = frozenset({'"', "''", "``"})
_MARK = re.compile("''|``|[\"\u201c\u201d\u201e\u00ab\u00bb]")
EDGE_PUNCT = frozenset(",.;:!?-\u2013\u2014\u2015\"'`\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb()[]")
CLOSING_MARKS = frozenset({'"', "''", "\u201d", "\u00bb"})
SIGNATURE_DASH = re.compile(r"\s*[\u2015\u2014\u2013]\s*|\s+--?\s+")
MAX_SIGNATURE_TOKENS = 12  # `"..." -- Name, title`: longer tails after a dash are not a signature


# --- pairing quotation marks ---------------------------------------------------------------------


def quote_regions(text: str) -> tuple[tuple[int, int], ...]:
    """Inner (start, end) of each double quotation in `text`, in order.

    A quotation left open ends at the end of its paragraph (the next one reopens it, by convention);
    one closed without opening began at the start of its paragraph.
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    wanted: str | None = None
    n = len(text)

    def close(end: int) -> None:
        nonlocal open_at, wanted
        if open_at is not None:
            regions.append((open_at, end))
        open_at, wanted = None, None

    for match in _MARK.finditer(text):
        i, mark = match.start(), match.group()
        j = match.end()
        if open_at is not None:
            newline = text.find("\n", open_at, i)
            if newline != -1:
                close(newline)  # an unclosed quotation does not cross a paragraph break
        if mark in STRAIGHT:
            before = text[i - 1] if i else "\n"
            after = text[j] if j < n else "\n"
            if open_at is not None:
                if not (before.isspace() and not after.isspace() and wanted not in STRAIGHT):
                    close(i)
                continue  # else a straight quotation inside a curly one: part of it
            opens = (before.isspace() or before in "([{\u2014\u2013-") and not after.isspace()
            if opens:
                open_at, wanted = j, mark
            elif not before.isdigit():
                _orphan_close(text, regions, i)
            continue
        if open_at is not None and (mark == wanted or mark in CLOSERS):
            close(i)  # any closing mark ends an open quotation: "more hours” is common in copy
        elif mark in OPENERS:
            close(i)  # a new opening mark ends a quotation left open
            open_at, wanted = j, OPENERS[mark]
        elif mark in CLOSERS:
            _orphan_close(text, regions, i)
    if open_at is not None:
        newline = text.find("\n", open_at)
        close(newline if newline != -1 else n)
    stripped = (trim_span(text, s, e) for s, e in regions)
    return tuple((s, e) for s, e in stripped if e > s)


def _orphan_close(text: str, regions: list[tuple[int, int]], at: int) -> None:
    """A closing mark with no opening one: the quotation began at the start of the paragraph."""
    start = text.rfind("\n", 0, at) + 1
    if regions:
        start = max(start, regions[-1][1] + 1)
    if any(c.isalnum() for c in text[start:at]):
        regions.append((start, at))


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def signed_quotes(doc: Doc, quotes: tuple[tuple[int, int], ...]) -> dict[int, tuple[tuple[int, int], tuple[int, int]]]:
    """Quotations signed with a dash and a name (`"..." -- Steve Quinlan`): number -> (cue, source) in Doc chars."""
    text = doc.text
    signed = {}
    for q, (_, end) in enumerate(quotes):
        at = end
        while at < len(text) and text[at] in "\"'`\u201d\u00bb,.":
            at += 1
        dash = SIGNATURE_DASH.match(text, at)
        if dash is None or dash.group().strip() == "":
            continue
        stop = text.find("\n", dash.end())
        stop = len(text) if stop == -1 else stop
        tail = doc.char_span(dash.end(), stop, alignment_mode="contract")
        words = [t for t in tail if not is_edge_junk(t)] if tail is not None else []
        if not words or len(words) > MAX_SIGNATURE_TOKENS or not words[0].text[:1].isupper():
            continue
        if any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBZ" for t in words):
            continue  # `"..." -- the minister said so` is a clause, not a signature
        cue_start = dash.start() + len(dash.group()) - len(dash.group().lstrip())
        cue = (cue_start, cue_start + len(dash.group().strip()))
        signed[q] = (cue, (words[0].idx, words[-1].idx + len(words[-1])))
    return signed


# --- tokens at a span's edge ---------------------------------------------------------------------


def is_edge_junk(tok: Token) -> bool:
    return tok.is_space or (tok.is_punct and all(c in EDGE_PUNCT for c in tok.text))


def opened(doc: Doc, first: int, last: int) -> bool:
    """Whether tokens [first, last) open a quotation they do not close."""
    depth = 0
    for tok in doc[first:last]:
        if tok.text in OPENERS or (tok.text in STRAIGHT and tok.tag_ == "``"):
            depth += 1
        elif tok.text in CLOSERS or (tok.text in STRAIGHT and tok.tag_ == "''"):
            depth = max(depth - 1, 0)
    return depth > 0
