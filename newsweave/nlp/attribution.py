"""Who said what, by which cue: attributions and quotations in one parsed sentence.

Rules over spaCy's dependency parse and a curated cue lexicon, with a small logistic model (fitted on PolNeAR
train by `bench/fit_cues.py`) for the verbs the rules leave: the cost is a walk over the sentence's tokens, a
few per cent of the parse itself. Every offset returned is a character
offset into the sentence's own text (``sent.text``, i.e. relative to ``sent.start_char``).

The cue families, and the record each gives:

=================================================  ============  ==========================================
pattern                                            kind          source / content
=================================================  ============  ==========================================
"X said (that) Y", "Y, X said", "said X, appos"    reported      nsubj / ccomp, or the clause it sits in
"X told Y that Z", "X said in an interview with Y" reported      X / Z; recipient Y
"X was quoted as saying Y", "X, saying Y"          reported      X / Y
"X has learned that Y", "a poll found that Y"      reported      X / Y (these verbs need a clause)
"Y, as first reported by X"                        reported      X / Y
"according to X, Y"                                according_to  X / the clause it modifies
"Y, X reported, citing Z"                          citing        Z / what X reported
"according to documents viewed by X"               documents     X / the clause it modifies
``"Y" -- X`` (a quotation signed with a dash)      quote         X / Y
=================================================  ============  ==========================================

Direct speech. Quotation marks are paired once over the whole Doc, so a quotation may run over several
sentences. A content inside quotation marks becomes the whole quotation (kind "quote"); a quotation
split by its said-clause (``"A," she said, "B."``) gives one record per part, with the same cue and
source. A sentence that is part of a quotation whose said-clause lies in another sentence
(``"A," he said. "B. C."``) gets a record with that speaker and cue text, but ``source_span`` None and
an empty ``cue_span`` (0, 0): neither lies in this sentence.

Negated and declined speech ("did not say", "declined to confirm") credits no one with a fact: at most it is
read as a stance (kind "attitude", below), its "not" kept in the cue ("did not confirm").

Verbs of attitude ("X endorsed Y", "X criticized Y's record", "X railed against Y", "Y was criticized by X")
and verbs of saying in uses the rules leave ("72 percent said yes") are read where a model fitted on PolNeAR
train says its coders would mark them (`cues.attitude_probability`): kind "attitude", a stance, which
provenance never takes for a credit. A cue's span takes in its auxiliaries, negation and the adverbs right
before it and the preposition opening its content ("has also said", "did not endorse", "called for").

The analysis of a Doc's quotation marks and of each sentence is memoised per Doc (weakly, beside it):
the answer never changes, only the work is saved when neighbouring sentences ask for it.

Where the parts are: the cue lexicon in `cues`, quotation marks in `quotes`, token ranges of the parse in
`phrases`, the rules that find one sentence's own attributions in `cue_rules`, what a verb of attitude credits
in `attitude`. This module puts them
together per Doc and gives a quotation whose said-clause lies in another sentence its speaker.
"""

from __future__ import annotations

import weakref
from dataclasses import replace
from typing import TYPE_CHECKING

from newsweave.model import Attribution, Quote
from newsweave.nlp.cue_rules import sentence_attributions
from newsweave.nlp.cues import is_cue_verb
from newsweave.nlp.quotes import is_edge_junk, quote_regions, signed_quotes, trim_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["analyse_sentence", "extract_attributions", "extract_quotes"]

_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Doc -> its memo, gone with the Doc


def _memo(doc: Doc) -> dict:
    """The Doc's quotation marks and each sentence's own attributions, computed once per Doc.

    Kept beside the Doc (weakly), not in ``doc.user_data``, so the Doc still serialises.
    """
    memo = _MEMO.get(doc)
    if memo is None or memo["length"] != len(doc):
        quotes = quote_regions(doc.text)
        memo = {"length": len(doc), "quotes": quotes, "local": {}, "signed": signed_quotes(doc, quotes)}
        _MEMO[doc] = memo
    return memo


def _local(sent: Span, memo: dict) -> tuple[Attribution, ...]:
    """The attributions whose cue lies in `sent` (memoised per Doc)."""
    key = (sent.start, sent.end)
    found = memo["local"].get(key)
    if found is None:
        found = sentence_attributions(sent, memo["quotes"], memo["signed"])
        memo["local"][key] = found
    return found


# --- quotations whose said-clause is in another sentence -----------------------------------------


def _speaker_elsewhere(doc: Doc, memo: dict, q: int, sent: Span) -> Attribution | None:
    """The attribution, found in another sentence, of the Doc's quotation number `q`."""
    quotes = memo["quotes"]
    start, end = quotes[q]
    record = _attribution_in(doc, memo, start, end, sent)
    if record is not None:
        return record
    # `"A," he said. "B."`: the quotation before, with only its said-clause between the two
    if q > 0:
        prev_start, prev_end = quotes[q - 1]
        between = doc.char_span(prev_end, start, alignment_mode="expand")
        if between is not None and "\n" not in doc.text[prev_end:start]:
            cues = [t for t in between if is_cue_verb(t)]
            words = [t for t in between if not is_edge_junk(t) and prev_end <= t.idx < start]
            # only the said-clause between them: its verb, speaker and adverbials
            if len(cues) == 1 and all(t.i == cues[0].i or cues[0].is_ancestor(t) for t in words):
                record = _attribution_in(doc, memo, prev_start, prev_end, sent)
                if record is not None and cues[0].text.lower() in record.cue.split():
                    return record
    return None


def _attribution_in(doc: Doc, memo: dict, start: int, end: int, sent: Span) -> Attribution | None:
    """A quote attribution made in a sentence other than `sent` for any part of doc chars [start, end)."""
    seen: set[int] = set()
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is None:
        return None
    tokens = list(first)
    if tokens:  # the sentence right after the quotation holds `"...," he said` when it ends a sentence
        nxt = tokens[-1].i + 1
        if nxt < len(doc):
            tokens.append(doc[nxt])
    for tok in tokens:
        other = tok.sent
        if other.start in seen or other.start == sent.start:
            continue
        seen.add(other.start)
        for record in _local(other, memo):
            if record.kind != "quote" or record.source is None:
                continue
            c0, c1 = record.content_span[0] + other.start_char, record.content_span[1] + other.start_char
            if start <= c0 and c1 <= end:
                return record
    return None


def analyse_sentence(sent: Span) -> tuple[tuple[Attribution, ...], tuple[Quote, ...]]:
    """Attributions and quotations of one parsed sentence, in one pass (what the two functions below share)."""
    doc = sent.doc
    memo = _memo(doc)
    found = list(_local(sent, memo))
    base, end = sent.start_char, sent.end_char
    text = sent.text
    parts: list[tuple[int, int, int]] = []  # (start, end) in the sentence, and the Doc quotation's number
    for q, (s, e) in enumerate(memo["quotes"]):
        if s < end and e > base:
            part = trim_span(text, max(s, base) - base, min(e, end) - base)
            if part[1] > part[0]:
                parts.append((part[0], part[1], q))
    for s, e, q in parts:
        if any(_says(r, s, e) for r in found):
            continue
        signed = memo["signed"].get(q)
        if signed is not None:
            (c0, c1), (s0, s1) = signed
            found.append(_elsewhere(doc.text[c0:c1], doc.text[s0:s1], None, text, (s, e)))
            continue
        whole = memo["quotes"][q]
        if whole[0] >= base and whole[1] <= end and not _continued(memo["quotes"], q, doc.text, base, end):
            continue  # a quotation wholly in this sentence and said by no one here
        record = _speaker_elsewhere(doc, memo, q, sent)
        if record is not None:
            found.append(_elsewhere(record.cue, record.source, record.recipient, text, (s, e)))
    found = _nesting(found)
    attributions = tuple(
        sorted(found, key=lambda r: (r.content_span[0] if r.cue_span == (0, 0) else r.cue_span[0], r.content_span[0]))
    )
    quotes = []
    for s, e, _ in parts:
        covering = [r for r in attributions if _says(r, s, e)]
        covering.sort(key=lambda r: r.content_span[1] - r.content_span[0])
        quotes.append(Quote(text=text[s:e], speaker=covering[0].source if covering else None, start=s, end=e))
    return attributions, tuple(quotes)


def _nesting(found: list[Attribution]) -> list[Attribution]:
    """Each attribution with the one whose content holds its cue (`nested_in`; the narrowest, if several):
    "Police said the man told officers ..." reports the man's words as the police's. What the sentence itself
    credits is the outermost: PolNeAR's coders mark only those (no gold cue of its dev or train part lies in
    another relation's content), and `bench/attribution.py` scores them."""
    out = []
    for a in found:
        if a.cue_span == (0, 0):
            out.append(a)
            continue
        outers = [b for b in found if b is not a and b.cue_span != (0, 0)
                  and b.content_span[0] <= a.cue_span[0] < b.content_span[1]]
        if outers:
            narrowest = min(outers, key=lambda b: b.content_span[1] - b.content_span[0])
            a = replace(a, nested_in=narrowest.cue_span)
        out.append(a)
    return out


def _elsewhere(cue: str, source: str | None, recipient: str | None, text: str, content: tuple[int, int]) -> Attribution:
    """A quotation part attributed by a cue in another sentence: no cue or source span here."""
    return Attribution(
        cue=cue,
        source=source,
        content=text[content[0] : content[1]],
        source_span=None,
        cue_span=(0, 0),
        content_span=content,
        kind="quote",
        recipient=recipient,
    )


def _says(record: Attribution, start: int, end: int) -> bool:
    """Whether `record` attributes the quotation part [start, end) to someone outside it."""
    inside = record.content_span[0] <= start and end <= record.content_span[1]
    if not inside:
        return False
    elsewhere = record.cue_span == (0, 0) and record.source_span is None
    return elsewhere or not start <= record.cue_span[0] < end


def _continued(quotes: tuple[tuple[int, int], ...], q: int, text: str, base: int, end: int) -> bool:
    """Whether quotation `q`, wholly inside [base, end), follows another one from the sentence before."""
    if q == 0:
        return False
    prev_end = quotes[q - 1][1]
    return prev_end < base and "\n" not in text[prev_end : quotes[q][0]]


def extract_attributions(sent: Span) -> tuple[Attribution, ...]:
    """Who the sentence credits, for what, by which cue; () when it credits no one.

    Example:
        >>> doc = nlp("Venezuela is moving jets to its coast, the Post reported, citing internal orders.")
        >>> [(a.cue, a.source, a.kind) for a in extract_attributions(next(doc.sents))]
        [('reported', 'the Post', 'reported'), ('citing', 'internal orders', 'citing')]
    """
    return analyse_sentence(sent)[0]


def extract_quotes(sent: Span) -> tuple[Quote, ...]:
    """Direct speech in the sentence (the text inside each pair of double quotation marks) and its speaker.

    Example:
        >>> doc = nlp('"We will not be intimidated," Maduro said, "and we will defend our coast."')
        >>> [(q.text, q.speaker) for q in extract_quotes(next(doc.sents))]
        [('We will not be intimidated', 'Maduro'), ('and we will defend our coast.', 'Maduro')]
    """
    return analyse_sentence(sent)[1]
