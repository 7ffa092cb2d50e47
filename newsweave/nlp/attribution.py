"""Who said what, by which cue: attributions and quotations in one parsed sentence.

Rules over spaCy's dependency parse and a curated cue lexicon, no model of our own: the cost is a walk
over the sentence's tokens, a few per cent of the parse itself. Every offset returned is a character
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

Negated and declined speech ("did not say", "declined to confirm") is not an attribution.

The analysis of a Doc's quotation marks and of each sentence is memoised per Doc (weakly, beside it):
the answer never changes, only the work is saved when neighbouring sentences ask for it.
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING

from newsweave.model import Attribution, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["analyse_sentence", "extract_attributions", "extract_quotes"]

# --- the cue lexicon: our own domain layer --------------------------------------------------------

# Verbs of saying: their content may be a clause, direct speech beside them, or the clause they are
# inserted into ("Y, X said").
SPEECH_VERBS = frozenset(
    """
    acknowledge add admit advise affirm agree allege announce answer argue ask assert assure boast
    brag brief caution charge cite claim comment complain concede confess confirm contend counter
    declare demand deny disclose dispute echo emphasise emphasize estimate exclaim explain forecast
    inform insist joke lament maintain mention note notify observe plead pledge point predict proclaim
    promise propose protest question quip recall recount reiterate remark remind repeat reply report
    respond retort reveal say scream shout speculate state stress suggest swear tell testify threaten
    tweet urge vow warn whisper write yell
    """.split()
)
# Verbs of knowing, believing and showing: an attribution only with a clause for content ("a poll
# found that ...", "the Post has learned that ..."); "found a wallet" is not one.
CLAUSE_VERBS = frozenset(
    """
    believe conclude doubt expect fear feel find guess hear hope imagine indicate know learn realize
    realise reckon recognize show suspect think understand worry
    """.split()
)
# Whose direct object is the person addressed, not what was said: "told reporters that ...".
RECIPIENT_VERBS = frozenset("tell ask inform notify assure remind advise brief urge warn caution instruct".split())
# Whose direct object is what was said: "announced a ceasefire", "denied the report".
OBJECT_CONTENT_VERBS = frozenset(
    """
    acknowledge admit allege announce cite claim confirm demand deny disclose dispute echo estimate
    forecast mention predict pledge promise propose question reiterate repeat report reveal
    """.split()
)
# Whose infinitive complement is the content: "promised to cut taxes", "urged Congress to act".
XCOMP_VERBS = frozenset("agree ask claim demand pledge promise propose swear threaten urge vow warn".split())
# Verb + preposition whose object is the content: "warned of a crisis", "called for a recount".
PREP_CONTENT = {
    "warn": {"of", "about", "against"},
    "speak": {"of", "about"},
    "talk": {"about"},
    "call": {"for"},
    "ask": {"for", "about"},
    "complain": {"about", "of"},
    "comment": {"on"},
    "write": {"about", "of"},
    "testify": {"about"},
    "argue": {"for", "against"},
    "boast": {"about", "of"},
    "brag": {"about"},
}
# "documents viewed by X": what an outlet saw, and the verbs that say it saw it.
DOCUMENT_NOUNS = frozenset(
    """
    document file record memo memorandum email e-mail letter order cable message transcript recording
    minute note paper report draft copy footage image photo photograph video data assessment analysis
    """.split()
)
DOCUMENT_VERBS = frozenset("view see review obtain examine read describe inspect access".split())
INTERVIEW_NOUNS = frozenset({"interview", "conversation"})
# A verb under one of these did not happen: "declined to say", "refused to confirm".
NEGATING_HEADS = frozenset("decline refuse fail".split())
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Links along which a verb without a subject borrows its head's: "..., saying", "and added", "went on to say".
INHERIT_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep"})
PERSONAL = frozenset({"i", "we", "you"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
CLAUSE_DEPS = frozenset({"relcl", "acl", "ccomp"})
MAX_SIGNATURE_TOKENS = 12  # `"..." -- Name, title`: longer tails after a dash are not a signature

# Quotation marks. Curly and guillemet marks say which way they face; straight marks (and '' or ``
# as some papers print them) open after a space or bracket and close otherwise.
OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
CLOSERS = frozenset({"\u201d", "\u00bb"})
STRAIGHT = frozenset({'"', "''", "``"})
_MARK = re.compile("''|``|[\"\u201c\u201d\u201e\u00ab\u00bb]")
EDGE_PUNCT = frozenset(",.;:!?-\u2013\u2014\u2015\"'`\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb()[]")
SIGNATURE_DASH = re.compile(r"\s*[\u2015\u2014\u2013]\s*|\s+--?\s+")

CLOSING_MARKS = frozenset({'"', "''", "\u201d", "\u00bb"})
_MEMO: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Doc -> its memo, gone with the Doc


# --- quotation marks ----------------------------------------------------------------------------


def _quote_regions(text: str) -> tuple[tuple[int, int], ...]:
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
    stripped = (_strip(text, s, e) for s, e in regions)
    return tuple((s, e) for s, e in stripped if e > s)


def _orphan_close(text: str, regions: list[tuple[int, int]], at: int) -> None:
    """A closing mark with no opening one: the quotation began at the start of the paragraph."""
    start = text.rfind("\n", 0, at) + 1
    if regions:
        start = max(start, regions[-1][1] + 1)
    if any(c.isalnum() for c in text[start:at]):
        regions.append((start, at))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _memo(doc: Doc) -> dict:
    """The Doc's quotation marks and each sentence's own attributions, computed once per Doc.

    Kept beside the Doc (weakly), not in ``doc.user_data``, so the Doc still serialises.
    """
    memo = _MEMO.get(doc)
    if memo is None or memo["length"] != len(doc):
        quotes = _quote_regions(doc.text)
        memo = {"length": len(doc), "quotes": quotes, "local": {}, "signed": _signatures(doc, quotes)}
        _MEMO[doc] = memo
    return memo


def _signatures(doc: Doc, quotes: tuple[tuple[int, int], ...]) -> dict[int, tuple[tuple[int, int], tuple[int, int]]]:
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
        words = [t for t in tail if not _is_edge_junk(t)] if tail is not None else []
        if not words or len(words) > MAX_SIGNATURE_TOKENS or not words[0].text[:1].isupper():
            continue
        if any(t.pos_ in ("VERB", "AUX") and t.tag_ != "VBZ" for t in words):
            continue  # `"..." -- the minister said so` is a clause, not a signature
        cue_start = dash.start() + len(dash.group()) - len(dash.group().lstrip())
        cue = (cue_start, cue_start + len(dash.group().strip()))
        signed[q] = (cue, (words[0].idx, words[-1].idx + len(words[-1])))
    return signed


# --- spans ---------------------------------------------------------------------------------------


def _is_edge_junk(tok: Token) -> bool:
    return tok.is_space or (tok.is_punct and all(c in EDGE_PUNCT for c in tok.text))


def _opened(doc: Doc, first: int, last: int) -> bool:
    """Whether tokens [first, last) open a quotation they do not close."""
    depth = 0
    for tok in doc[first:last]:
        if tok.text in OPENERS or (tok.text in STRAIGHT and tok.tag_ == "``"):
            depth += 1
        elif tok.text in CLOSERS or (tok.text in STRAIGHT and tok.tag_ == "''"):
            depth = max(depth - 1, 0)
    return depth > 0


def _subtree(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def _without(
    host: tuple[int, int] | None, cut: tuple[int, int], keep: int, doc: Doc | None = None
) -> tuple[int, int] | None:
    """`host` less `cut`, as one range: the side holding token `keep` when `cut` is inside, else what is left.

    When `keep` (the clause's verb) lies after an inner `cut`, all of `host` is kept: "The jets,
    according to X, were moved" would otherwise lose its subject.
    """
    if host is None:
        return None
    left = (host[0], cut[0] - 1) if cut[0] > host[0] else None
    right = (cut[1] + 1, host[1]) if cut[1] < host[1] else None
    if doc is not None:  # a side of nothing but punctuation is no side
        if left and all(_is_edge_junk(doc[i]) for i in range(left[0], left[1] + 1)):
            left = None
        if right and all(_is_edge_junk(doc[i]) for i in range(right[0], right[1] + 1)):
            right = None
    if left and (not right or left[0] <= keep <= left[1]):
        return left
    if right and not left:
        return right
    if (
        left
        and right
        and right[0] <= keep <= right[1]
        and doc is not None
        and all(_is_edge_junk(doc[i]) or doc[i].pos_ in ("CCONJ", "ADV", "INTJ") for i in range(left[0], left[1] + 1))
    ):
        return right  # "Yet, as X observed, Y": a conjunction or adverb before the cut is not the subject
    if not left and not right:
        return None  # the phrase is the whole clause: a parse error, nothing to attribute
    return host


def _that_clause(tok: Token) -> bool:
    first = tok.left_edge
    return first.lower_ == "that" and first.dep_ == "mark"


def _phrase(tok: Token, cue: Token | None = None) -> tuple[int, int]:
    """The noun phrase headed by `tok`, less what is not part of it.

    Cut off: a "that"-clause the parser hung on it ("citing the Post, that the army ..." is the
    content, not the source), and the clause holding the cue itself ("Jones, who said ..." -> "Jones").
    """
    first, last = _subtree(tok)
    for child in tok.rights:
        if child.dep_ in CLAUSE_DEPS and _that_clause(child):
            last = min(last, child.left_edge.i - 1)
    if cue is not None and first <= cue.i <= last and cue.i != tok.i:
        for child in tok.rights:
            if child.left_edge.i <= cue.i <= child.right_edge.i:
                last = min(last, child.left_edge.i - 1)
        for child in tok.lefts:
            if child.left_edge.i <= cue.i <= child.right_edge.i:
                first = max(first, child.right_edge.i + 1)
    return first, last


def _resolve_relative(tok: Token) -> Token:
    """ "who" in "Jones, who said ..." stands for Jones."""
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _negated(verb: Token) -> bool:
    if _child(verb, "neg") is not None:
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in NEGATING_HEADS


def _is_cue_verb(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    return tok.tag_.startswith("VB") and (lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS)


def _with_recipient(record: Attribution, recipient: str) -> Attribution:
    return Attribution(
        cue=record.cue,
        source=record.source,
        content=record.content,
        source_span=record.source_span,
        cue_span=record.cue_span,
        content_span=record.content_span,
        kind=record.kind,
        recipient=recipient,
    )


# --- one sentence's own attributions ------------------------------------------------------------


class _Sentence:
    """One sentence under analysis: its quotation parts and the attributions found in it."""

    def __init__(self, sent: Span, memo: dict) -> None:
        doc_quotes = memo["quotes"]
        self.doc_quotes = doc_quotes
        self.signed = memo["signed"]
        self.sent = sent
        self.doc = sent.doc
        self.text = sent.text
        self.base = sent.start_char
        end = sent.end_char
        self.quotes = [
            (max(s, self.base) - self.base, min(e, end) - self.base) for s, e in doc_quotes if s < end and e > self.base
        ]
        self.quotes = [_strip(self.text, s, e) for s, e in self.quotes]
        self.quotes = [q for q in self.quotes if q[1] > q[0]]
        self.found: list[Attribution] = []
        self.content_of: dict[int, list[tuple[int, int]]] = {}  # cue token -> its contents (char spans)
        self.claimed: set[tuple[int, int]] = set()  # quotation parts given to an attribution

    # -- offsets --

    def chars(self, rng: tuple[int, int] | None) -> tuple[int, int] | None:
        """Character span of a token range, clipped to the sentence and stripped of edge punctuation."""
        if rng is None:
            return None
        doc = self.doc
        first, last = max(rng[0], self.sent.start), min(rng[1], self.sent.end - 1)
        while first <= last and _is_edge_junk(doc[first]):
            first += 1
        while last >= first and _is_edge_junk(doc[last]):
            if doc[last].text in CLOSING_MARKS and _opened(doc, first, last):
                break  # keep the closing mark of a quotation the content opens: 'called them "deplorables."'
            last -= 1
        if first > last:
            return None
        return doc[first].idx - self.base, doc[last].idx + len(doc[last]) - self.base

    def raw_chars(self, first: int, last: int) -> tuple[int, int]:
        return self.doc[first].idx - self.base, self.doc[last].idx + len(self.doc[last]) - self.base

    def clause(self, head: Token) -> tuple[int, int]:
        return max(head.left_edge.i, self.sent.start), min(head.right_edge.i, self.sent.end - 1)

    def in_quote(self, tok: Token) -> bool:
        at = tok.idx - self.base
        return any(s <= at < e for s, e in self.quotes)

    # -- recording --

    def add(
        self,
        cue_tok: Token,
        cue_span: tuple[int, int],
        cue: str,
        source: tuple[int, int] | None,
        content: tuple[int, int] | None,
        kind: str,
        recipient: tuple[int, int] | None = None,
    ) -> None:
        if content is None:
            return
        content, kind = self.snap_to_quote(content, cue_span, kind)
        if content[1] <= content[0] or (content[0] <= cue_span[0] < content[1] and kind == "quote"):
            return
        if source and source[0] < content[1] and content[0] < source[1]:
            if not content[0] <= cue_span[0] < content[1]:  # "The plan, he said, is dead" keeps "he"
                source = None  # a source inside its own content is a parse error; keep the content
        if any(r.cue_span == cue_span and r.content_span == content for r in self.found):
            return
        text = self.text
        self.found.append(
            Attribution(
                cue=cue,
                source=text[source[0] : source[1]] if source else None,
                content=text[content[0] : content[1]],
                source_span=source,
                cue_span=cue_span,
                content_span=content,
                kind=kind,
                recipient=text[recipient[0] : recipient[1]] if recipient else None,
            )
        )
        self.content_of.setdefault(cue_tok.i, []).append(content)

    def snap_to_quote(
        self, content: tuple[int, int], cue_span: tuple[int, int], kind: str
    ) -> tuple[tuple[int, int], str]:
        """A content inside quotation marks, with its cue outside them, is the whole quotation."""
        for q in self.quotes:
            if q[0] <= cue_span[0] < q[1]:
                continue
            inside = q[0] - 1 <= content[0] and content[1] <= q[1] + 1
            covers = content[0] <= q[0] and q[1] <= content[1] and not _words_outside(self.text, content, q)
            if inside or covers:
                self.claimed.add(q)
                return q, ("quote" if kind == "reported" else kind)
        return content, kind

    # -- the rules, in order --

    def run(self) -> list[Attribution]:
        for tok in self.sent:
            if tok.tag_.startswith("VB") and not (tok.lemma_.lower() == "cite" and tok.tag_ == "VBG"):
                lemma = tok.lemma_.lower()
                if lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS or lemma in PREP_CONTENT:
                    self.verb(tok, lemma)
        self.split_quotes()
        for tok in self.sent:
            lemma = tok.lemma_.lower()
            if tok.lower_ == "according" and tok.i + 1 < self.sent.end and self.doc[tok.i + 1].lower_ == "to":
                self.according_to(tok)
            elif lemma == "cite" and tok.tag_ == "VBG" and tok.dep_ in ("advcl", "acl", "xcomp", "conj", "prep"):
                self.citing(tok)
            elif lemma in DOCUMENT_VERBS and tok.dep_ == "acl" and not self.under_according(tok):
                self.documents(tok, None)
            elif tok.lower_ in INTERVIEW_NOUNS and tok.head.lower_ in ("in", "during"):
                self.interview(tok)
        self.signatures()
        return self.found

    def verb(self, v: Token, lemma: str) -> None:
        """A reporting verb: speaker from its subject (or agent), content from its complement."""
        if _negated(v):
            return
        if self.in_quote(v):
            return  # "I think ..." inside a quotation is the speaker's, not a source of the article
        if lemma in CLAUSE_VERBS and self.reported_within(v):
            return  # "she said he thinks ...": the outer verb is the attribution
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in v.children):
            return  # "pointed out that ...", not "pointed at"
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children) or (
            v.tag_ == "VBN" and v.dep_ in ("advcl", "acl") and _child(v, "aux") is None
        )  # "Asked for comment, the ministry ...": the ministry was asked
        agent = _child(v, "agent")
        speaker = None
        if agent is not None:
            pobj = _child(agent, "pobj")
            speaker = _resolve_relative(pobj) if pobj is not None else None
        elif not passive or v.dep_ == "pcomp":
            speaker = self.subject_of(v)
        if speaker is None and lemma not in SPEECH_VERBS:
            return  # "hearing him talk about ...", "imagine that ...": no one to credit
        if lemma in CLAUSE_VERBS and speaker is not None and speaker.lower_ in PERSONAL:
            return  # "I think", "do you know": the writer or the reader, not a source
        recipient = self.recipient_of(v, lemma, passive)
        cue_span, cue = self.cue_of(v, agent)
        source = self.chars(_phrase(speaker, v)) if speaker is not None else None
        rec_span = self.chars(_phrase(recipient, v)) if recipient is not None else None
        if passive and agent is None and v.dep_ != "pcomp":
            contents = [_subtree(c) for c in v.children if c.dep_ == "ccomp"]  # "it was reported that ..."
        else:
            contents = self.contents_of(v, lemma, recipient)
        for rng in contents:
            self.add(v, cue_span, cue, source, self.chars(rng), "reported", rec_span)

    def reported_within(self, v: Token) -> bool:
        """Whether `v` lies in the complement clause of a reporting verb."""
        t = v
        for _ in range(6):
            if t.head.i == t.i:
                return False
            if t.dep_ in ("ccomp", "xcomp", "advcl", "relcl") and _is_cue_verb(t.head):
                return True
            t = t.head
        return False

    def recipient_of(self, v: Token, lemma: str, passive: bool) -> Token | None:
        dative = _child(v, "dative")
        if dative is not None and dative.lower_ == "to":
            dative = _child(dative, "pobj")
        if dative is not None:
            return dative
        if lemma in RECIPIENT_VERBS:
            if passive:
                return _child(v, "nsubjpass")
            obj = _child(v, "dobj")
            if obj is not None and not (obj.lower_ == "it" or _that_clause(obj)):
                return obj
        if lemma in ("say", "write", "explain", "report", "complain", "announce", "confirm"):
            to = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            if to is not None:
                return _child(to, "pobj")
        return None

    def cue_of(self, v: Token, agent: Token | None) -> tuple[tuple[int, int], str]:
        first, last = v.i, v.i
        prt = next((c for c in v.children if c.dep_ == "prt" and c.i == v.i + 1), None)
        if prt is not None:
            last = prt.i
        if agent is not None and agent.i == last + 1:
            last = agent.i
            mark = next((c for c in v.children if c.dep_ == "mark" and c.lower_ == "as"), None)
            if mark is not None and all(self.doc[i].dep_ in ("advmod", "mark") for i in range(mark.i, v.i)):
                first = mark.i  # "as first reported by"
        if v.dep_ == "pcomp" and v.head.lower_ == "as" and v.head.head.lemma_.lower() == "quote":
            first = v.head.head.i  # "quoted as saying"
        span = self.raw_chars(first, last)
        return span, self.text[span[0] : span[1]].lower()

    def subject_of(self, v: Token) -> Token | None:
        """Who speaks: the subject, or the subject of the verb this one hangs on ("X ..., saying")."""
        t = v
        for depth in range(5):
            children = sorted(t.children, key=lambda c: self.in_quote(c) and not self.in_quote(v))
            for c in children:  # a subject inside the quotation is the parser's mistake: `"...mode," said X`
                if c.dep_ in SUBJECT_DEPS and not (c.dep_ == "nsubjpass" and depth == 0):
                    if c.dep_ != "nsubj" and c.lower_ in ("it", "there"):
                        return None
                    return _resolve_relative(c)
                if c.dep_ == "agent" and depth > 0:
                    pobj = _child(c, "pobj")
                    if pobj is not None:
                        return _resolve_relative(pobj)
            if t.dep_ in INHERIT_DEPS and t.head.i != t.i:
                t = t.head
                continue
            if t.dep_ == "relcl" and t.head.i != t.i:
                return t.head
            return None
        return None

    def contents_of(self, v: Token, lemma: str, recipient: Token | None) -> list[tuple[int, int]]:
        speech = lemma in SPEECH_VERBS
        if lemma == "call":
            return self.naming(v) or self.prep_content(v, lemma)
        if not speech and lemma not in CLAUSE_VERBS:
            return self.prep_content(v, lemma)  # "talked about": nothing else
        clauses = [
            c
            for c in v.children
            if (c.dep_ == "ccomp" or (c.dep_ == "parataxis" and c.i > v.i and speech))
            and not (c.tag_.startswith("NN") and c.i > v.i and self.doc[c.left_edge.i - 1].text == ",")
        ]
        if clauses:
            # "a measure that officials said was meant to ...": the relative pronoun is not what was said
            return [(max(c.left_edge.i, v.i + 1) if c.i > v.i else c.left_edge.i, c.right_edge.i) for c in clauses]
        if lemma in XCOMP_VERBS:
            xcomps = [c for c in v.children if c.dep_ == "xcomp"]
            if xcomps:
                return [_subtree(c) for c in xcomps]
        host = self.host_clause(v) if self.subject_of(v) is not None or _child(v, "agent") else None
        if host is not None:
            return [host]  # "Y, X said", "Y, as X said": not "Y, as predicted"
        if not speech:
            return self.prep_content(v, lemma)
        quotes = self.adjacent_quotes(v)
        if quotes:
            return quotes
        prep = self.prep_content(v, lemma)
        if prep:
            return prep
        if lemma in OBJECT_CONTENT_VERBS:
            obj = next((c for c in v.children if c.dep_ == "dobj" and (recipient is None or c.i != recipient.i)), None)
            if obj is not None and obj.tag_ not in ("PRP", "WP", "WDT", "DT", "EX"):
                return [_subtree(obj)]
        return []

    def host_clause(self, v: Token) -> tuple[int, int] | None:
        """The clause a said-clause is inserted into: "The plan, he said, is dead", "Y, as X said"."""
        head = v.head
        if head.i == v.i:
            return None
        as_mark = any(c.dep_ == "mark" and c.lower_ == "as" for c in v.children)
        if v.dep_ == "advcl":
            inserted = as_mark
        elif v.dep_ in ("parataxis", "ccomp"):
            # set off by punctuation, with a speaker and nothing said of its own: "Y, X said", "Y -- X says"
            subject = _child(v, "nsubj")
            first = min(v.i, subject.left_edge.i) if subject is not None else v.i
            before = self.doc[first - 1] if first > self.sent.start else None
            inserted = (
                before is not None
                and before.is_punct
                and subject is not None
                and _child(v, "dobj", "xcomp", "mark") is None
            )
        else:
            inserted = False
        if not inserted:
            return None
        return _without(self.clause(head), _subtree(v), head.i, self.doc)

    def naming(self, v: Token) -> list[tuple[int, int]]:
        """ "called the charges fabricated": the object and what it was called."""
        obj = _child(v, "dobj")
        named = [c for c in v.children if c.dep_ in ("oprd", "xcomp", "ccomp") and c.i > v.i]
        if obj is None or not named:
            return []
        return [(obj.left_edge.i, max(c.right_edge.i for c in named))]

    def prep_content(self, v: Token, lemma: str) -> list[tuple[int, int]]:
        preps = PREP_CONTENT.get(lemma)
        if not preps:
            return []
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                obj = _child(c, "pobj", "pcomp")
                if obj is not None:
                    return [_subtree(obj)]
        return []

    def adjacent_quotes(self, v: Token) -> list[tuple[int, int]]:
        """Quotations beside the said-clause with only its own words between: `He told reporters: "..."`."""
        own = [t.i for t in v.subtree if not self.in_quote(t) and not _is_edge_junk(t)]
        if not own:
            return []
        start, end = self.raw_chars(min(own), max(own))
        picked = []
        for q in self.quotes:
            gap = self.text[q[1] : start] if q[1] <= start else self.text[end : q[0]] if q[0] >= end else None
            # set off by a comma, colon or dash: `"A," he said`, `he said: "A"`; not a title beside it
            if (
                gap is not None
                and all(c.isspace() or c in EDGE_PUNCT for c in gap)
                and any(c in ",:\u2014\u2013" for c in gap)
            ):
                rng = self.token_range(q)
                if rng:
                    picked.append(rng)
        return picked

    def token_range(self, span: tuple[int, int]) -> tuple[int, int] | None:
        toks = [t.i for t in self.sent if t.idx - self.base >= span[0] and t.idx + len(t) - self.base <= span[1]]
        return (toks[0], toks[-1]) if toks else None

    def split_quotes(self) -> None:
        """`"A," she said, "B."`: the part the parse left out gets the same cue and source."""
        for record in list(self.found):
            if record.kind != "quote":
                continue
            for q in self.quotes:
                if q in self.claimed:
                    continue
                if q[0] >= record.content_span[1]:
                    lo, hi = record.content_span[1], q[0]
                else:
                    lo, hi = q[1], record.content_span[0]
                if not lo <= record.cue_span[0] < hi or any(lo <= o[0] and o[1] <= hi for o in self.quotes):
                    continue
                if self.other_cue_between(lo, hi, record.cue_span[0]):
                    continue
                self.claimed.add(q)
                self.found.append(_moved(record, self.text, q))

    def other_cue_between(self, lo: int, hi: int, cue_at: int) -> bool:
        """Whether a reporting verb other than the one at `cue_at` lies between two quotation parts."""
        return any(_is_cue_verb(t) and t.idx - self.base != cue_at for t in self.sent if lo <= t.idx - self.base < hi)

    def signatures(self) -> None:
        """`"..." -- Steve Quinlan`: a quotation signed with a dash and a name, when the signature is here."""
        for q, (cue, source) in self.signed.items():
            if not self.base <= cue[0] < self.sent.end_char or source[1] > self.sent.end_char:
                continue
            start, end = self.doc_quotes[q]
            part = _strip(self.text, max(start, self.base) - self.base, min(end, self.sent.end_char) - self.base)
            if part[1] <= part[0] or part in self.claimed:
                continue
            self.claimed.add(part)
            cue_span = (cue[0] - self.base, cue[1] - self.base)
            source_span = (source[0] - self.base, source[1] - self.base)
            self.found.append(
                Attribution(
                    cue=self.text[cue_span[0] : cue_span[1]],
                    source=self.text[source_span[0] : source_span[1]],
                    content=self.text[part[0] : part[1]],
                    source_span=source_span,
                    cue_span=cue_span,
                    content_span=part,
                    kind="quote",
                )
            )

    def reused_content(self, head: Token) -> list[tuple[int, int]]:
        """Content already found for the reporting verb a phrase hangs on ("X reported Y, citing Z")."""
        t = head
        for _ in range(3):
            if t.i in self.content_of:
                return self.content_of[t.i]
            if t.head.i == t.i:
                break
            t = t.head
        return []

    def phrase_content(self, phrase: Token, source_tok: Token | None) -> list[tuple[int, int]]:
        """Content of a prepositional or participial cue: the clause it modifies, less the phrase itself."""
        reused = self.reused_content(phrase.head)
        if reused:
            return reused
        if source_tok is not None:
            for c in source_tok.rights:
                if c.dep_ in CLAUSE_DEPS and _that_clause(c):
                    span = self.chars(_subtree(c))
                    return [span] if span else []
        head = phrase.head
        while head.head.i != head.i and head.pos_ not in ("VERB", "AUX"):
            head = head.head
        span = self.chars(_without(self.clause(head), _subtree(phrase), head.i, self.doc))
        return [span] if span else []

    def according_to(self, according: Token) -> None:
        to = self.doc[according.i + 1]
        pobj = _child(to, "pobj") or _child(according, "pobj")
        if pobj is None:
            return
        seen = next((c for c in pobj.children if c.lemma_.lower() in DOCUMENT_VERBS and c.dep_ == "acl"), None)
        if seen is not None and self.documents(seen, according):
            return
        source = self.chars(_phrase(pobj))
        cue_span = self.raw_chars(according.i, to.i)
        for content in self.phrase_content(according, pobj):
            self.add(according, cue_span, "according to", source, content, "according_to")

    def citing(self, citing: Token) -> None:
        obj = _child(citing, "dobj", "pobj")
        if obj is None:
            return
        source = self.chars(_phrase(obj))
        cue_span = self.raw_chars(citing.i, citing.i)
        for content in self.phrase_content(citing, obj):
            self.add(citing, cue_span, "citing", source, content, "citing")

    def documents(self, seen: Token, according: Token | None) -> bool:
        """ "documents viewed by X": X is the source. Returns whether a record was made."""
        noun = seen.head
        if noun.lemma_.lower() not in DOCUMENT_NOUNS:
            return False
        agent = _child(seen, "agent")
        pobj = _child(agent, "pobj") if agent is not None else None
        if pobj is None:
            return False
        source = self.chars(_phrase(pobj))
        cue_span = self.raw_chars(noun.i, agent.i)
        cue = self.text[cue_span[0] : cue_span[1]].lower()
        if according is not None:
            contents = self.phrase_content(according, pobj)
        elif noun.dep_ in ("nsubj", "nsubjpass"):
            contents = self.content_of.get(noun.head.i, [])
        else:
            contents = self.phrase_content(noun, None)
        for content in contents:
            self.add(seen, cue_span, cue, source, content, "documents")
        return bool(contents)

    def under_according(self, tok: Token) -> bool:
        t = tok
        for _ in range(4):
            if t.lower_ == "according":
                return True
            if t.head.i == t.i:
                return False
            t = t.head
        return False

    def interview(self, noun: Token) -> None:
        """ "in an interview with X": X heard it; the speaker is the subject of the clause."""
        with_ = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("with", "on")), None)
        pobj = _child(with_, "pobj") if with_ is not None else None
        if pobj is None:
            return
        prep, verb = noun.head, noun.head.head
        recipient = self.chars(_phrase(pobj))
        if recipient is None:
            return
        if verb.i in self.content_of:
            cue_at = verb.idx - self.base
            for k, record in enumerate(self.found):
                if record.cue_span[0] == cue_at and record.recipient is None:
                    self.found[k] = _with_recipient(record, self.text[recipient[0] : recipient[1]])
            return
        if verb.pos_ not in ("VERB", "AUX") or _negated(verb):
            return
        speaker = self.subject_of(verb)
        source = self.chars(_phrase(speaker, verb)) if speaker is not None else None
        cue_span = self.raw_chars(prep.i, with_.i)
        host = _without(self.clause(verb), _subtree(prep), verb.i, self.doc)
        if speaker is not None:
            host = _without(host, _subtree(speaker), verb.i, self.doc)
        cue = self.text[cue_span[0] : cue_span[1]].lower()
        self.add(noun, cue_span, cue, source, self.chars(host), "reported", recipient)


def _moved(record: Attribution, text: str, content: tuple[int, int]) -> Attribution:
    """The same attribution for another part of the quotation."""
    return Attribution(
        cue=record.cue,
        source=record.source,
        content=text[content[0] : content[1]],
        source_span=record.source_span,
        cue_span=record.cue_span,
        content_span=content,
        kind="quote",
        recipient=record.recipient,
    )


def _words_outside(text: str, outer: tuple[int, int], hole: tuple[int, int]) -> bool:
    rest = text[outer[0] : hole[0]] + text[hole[1] : outer[1]]
    return any(c.isalnum() for c in rest)


def _local(sent: Span, memo: dict) -> tuple[Attribution, ...]:
    """The attributions whose cue lies in `sent` (memoised per Doc)."""
    key = (sent.start, sent.end)
    found = memo["local"].get(key)
    if found is None:
        found = tuple(_Sentence(sent, memo).run())
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
            cues = [t for t in between if _is_cue_verb(t)]
            words = [t for t in between if not _is_edge_junk(t) and prev_end <= t.idx < start]
            # only the said-clause between them: its verb, speaker and adverbials
            if len(cues) == 1 and all(t.i == cues[0].i or cues[0].is_ancestor(t) for t in words):
                record = _attribution_in(doc, memo, prev_start, prev_end, sent)
                if record is not None and record.cue == cues[0].text.lower():
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
            part = _strip(text, max(s, base) - base, min(e, end) - base)
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
    attributions = tuple(
        sorted(found, key=lambda r: (r.content_span[0] if r.cue_span == (0, 0) else r.cue_span[0], r.content_span[0]))
    )
    quotes = []
    for s, e, _ in parts:
        covering = [r for r in attributions if _says(r, s, e)]
        covering.sort(key=lambda r: r.content_span[1] - r.content_span[0])
        quotes.append(Quote(text=text[s:e], speaker=covering[0].source if covering else None, start=s, end=e))
    return attributions, tuple(quotes)


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
