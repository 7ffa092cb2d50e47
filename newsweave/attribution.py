"""Who said what, by which cue: attributions and quotes in one parsed sentence.

Rules over spaCy's dependency parse, no model of our own, so the cost is a walk over the sentence's
tokens (a few per cent of the parse itself). Every offset returned is a character offset into the
sentence's own text (``sent.text``, i.e. relative to ``sent.start_char``).

The cue families, each with the record it gives:

=================================================  ===============  ===================================
pattern                                            kind             source / content
=================================================  ===============  ===================================
"X said (that) Y", "Y, X said", "said X, appos"    reported/quote   nsubj / ccomp, or the host clause
"X told Y that Z"                                  reported         X / Z, recipient Y
"X was quoted as saying Y"                         reported/quote   X / Y
"according to X, Y"                                according_to     X / the clause it modifies
"Y, X reported, citing Z"                          citing           Z / the content X reported
"according to documents viewed by X"               documents        X / the clause it modifies
"Y, as first reported by X"                        reported         X / Y
"X has learned that Y", "a poll found that Y"      reported         X / Y (clause required)
"in an interview with X, Y said Z"                 (the said one)   recipient X
=================================================  ===============  ===================================

Direct speech: a content that lies inside quotation marks becomes the whole quotation (kind
"quote"), and a quotation split by its said-clause (``"A," she said, "B."``) gives one record per
part, both with the same cue and source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.model import Attribution, Quote

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["analyse_sentence", "extract_attributions", "extract_quotes"]

# --- the cue lexicon: our own domain layer --------------------------------------------------------

# Verbs of saying: their content may be a clause, direct speech beside them, or the clause they
# are inserted into ("Y, X said").
SPEECH_VERBS = frozenset(
    """
    acknowledge add admit advise affirm agree allege announce answer argue ask assert assure boast
    brag brief caution charge claim comment complain concede confess confirm contend counter declare
    demand deny disclose dispute echo emphasise emphasize estimate exclaim explain forecast insist
    inform joke lament maintain mention note notify observe plead pledge predict proclaim promise
    propose protest question quip recall recount reiterate remark remind repeat reply report respond
    retort reveal say scream shout speculate state stress suggest swear tell testify threaten tweet
    urge vow warn whisper write yell
    """.split()
)
# Verbs of knowing, believing and showing: an attribution only with a clause for content
# ("a poll found that ...", "the Post has learned that ..."); "found a wallet" is not one.
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
# A verb under one of these did not happen: "declined to say", "refused to confirm".
NEGATING_HEADS = frozenset("decline refuse fail".split())
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Links along which a verb without a subject borrows its head's: "..., saying", "and added", "went on to say".
INHERIT_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})

# Quotation marks. Straight marks (and '' as some papers print them) open or close by context.
OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}
CLOSERS = frozenset({"\u201d", "\u00bb"})
STRAIGHT = ('"', "''", "``")
EDGE_PUNCT = frozenset(",.;:!?-\u2013\u2014\u2015\"'`\u2018\u2019\u201c\u201d\u201e\u00ab\u00bb()[]")


# --- quotes -----------------------------------------------------------------------------------


def _quote_regions(text: str) -> list[tuple[int, int]]:
    """Inner (start, end) of each double quotation in `text`.

    A quotation left open runs to the end of the text and one closed without opening began at its
    start: a sentence is often one piece of a longer quotation.
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    closer_wanted: str | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        mark = ch
        if ch in "'`" and i + 1 < n and text[i + 1] == ch:
            mark = ch * 2
        elif ch == "'" or ch == "`":
            i += 1
            continue
        width = len(mark)
        if open_at is not None and (mark == closer_wanted or (mark in STRAIGHT and closer_wanted in STRAIGHT)):
            regions.append((open_at, i))
            open_at, closer_wanted = None, None
        elif mark in OPENERS and open_at is None:
            open_at, closer_wanted = i + width, OPENERS[mark]
        elif mark in STRAIGHT:
            before = text[i - 1] if i else " "
            after = text[i + width] if i + width < n else " "
            opens = (before.isspace() or before in "([{\u2014\u2013-") and not after.isspace()
            if opens and open_at is None:
                open_at, closer_wanted = i + width, mark
            elif not opens and open_at is None and not regions and not before.isdigit():
                regions.append((0, i))  # closes a quotation opened in an earlier sentence
        elif mark in CLOSERS and open_at is None and not regions:
            regions.append((0, i))
        i += width
    if open_at is not None:
        regions.append((open_at, n))
    return [(s, e) for s, e in (_strip(text, s, e) for s, e in regions) if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


# --- spans ------------------------------------------------------------------------------------


def _is_edge_junk(tok: Token) -> bool:
    return tok.is_space or (tok.is_punct and all(c in EDGE_PUNCT for c in tok.text))


def _trim(sent: Span, first: int, last: int) -> tuple[int, int] | None:
    """Doc token range [first, last], clipped to the sentence and stripped of edge punctuation."""
    doc = sent.doc
    first, last = max(first, sent.start), min(last, sent.end - 1)
    while first <= last and _is_edge_junk(doc[first]):
        first += 1
    while last >= first and _is_edge_junk(doc[last]):
        last -= 1
    return (first, last) if first <= last else None


def _chars(sent: Span, rng: tuple[int, int]) -> tuple[int, int]:
    doc = sent.doc
    return doc[rng[0]].idx - sent.start_char, doc[rng[1]].idx + len(doc[rng[1]]) - sent.start_char


def _subtree(tok: Token) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def _without(host: tuple[int, int], cut: tuple[int, int], keep: int) -> tuple[int, int]:
    """`host` minus `cut` as one range: the side holding token `keep`; all of `host` when `cut` is inside it
    and `keep` lies after it (the subject would be lost)."""
    left = (host[0], cut[0] - 1) if cut[0] > host[0] else None
    right = (cut[1] + 1, host[1]) if cut[1] < host[1] else None
    if left and (not right or left[0] <= keep <= left[1]):
        return left
    if right and not left:
        return right
    return host


def _source_range(tok: Token) -> tuple[int, int]:
    """A noun phrase's tokens, without a "that"-clause hung on it by mistake ("citing the Post, that ...")."""
    first, last = _subtree(tok)
    for child in tok.rights:
        if child.dep_ in ("relcl", "acl", "ccomp") and _that_clause(child):
            last = min(last, child.left_edge.i - 1)
    return first, last


def _that_clause(tok: Token) -> bool:
    first = tok.left_edge
    return first.lower_ == "that" and first.dep_ == "mark"


def _resolve_relative(tok: Token) -> Token:
    """"who" in "Jones, who said ..." stands for Jones."""
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def _noun_phrase(tok: Token) -> tuple[int, int]:
    """The noun phrase of `tok`, cut before a relative clause that contains the attribution itself."""
    first, last = _source_range(tok)
    return first, last


# --- the analysis -----------------------------------------------------------------------------


class _Sentence:
    """One sentence under analysis: its quotations and the attributions found so far."""

    def __init__(self, sent: Span) -> None:
        self.sent = sent
        self.doc = sent.doc
        self.text = sent.text
        self.quotes = _quote_regions(self.text)
        self.found: list[Attribution] = []
        self.content_of: dict[int, list[tuple[int, int]]] = {}  # cue token -> content char spans
        self.claimed: set[tuple[int, int]] = set()  # quotation regions given to some attribution

    # -- helpers over this sentence --

    def chars(self, rng: tuple[int, int] | None) -> tuple[int, int] | None:
        if rng is None:
            return None
        trimmed = _trim(self.sent, *rng)
        return _chars(self.sent, trimmed) if trimmed else None

    def in_quote(self, char: int) -> tuple[int, int] | None:
        for q in self.quotes:
            if q[0] <= char < q[1]:
                return q
        return None

    def token_in_quote(self, tok: Token) -> bool:
        return self.in_quote(tok.idx - self.sent.start_char) is not None

    def add(
        self,
        cue_tok: Token,
        cue_span: tuple[int, int],
        cue: str,
        source: tuple[int, int] | None,
        content: tuple[int, int],
        kind: str,
        recipient: tuple[int, int] | None = None,
    ) -> None:
        content, kind = self.snap_to_quote(content, cue_span, kind)
        if content[1] <= content[0]:
            return
        if source and source[0] < content[1] and content[0] < source[1]:
            if kind == "quote":
                return
            source = None  # a source inside its own content is a parse error; keep the content
        text = self.text
        record = Attribution(
            cue=cue,
            source=text[source[0] : source[1]] if source else None,
            content=text[content[0] : content[1]],
            source_span=source,
            cue_span=cue_span,
            content_span=content,
            kind=kind,
            recipient=text[recipient[0] : recipient[1]] if recipient else None,
        )
        if any(r.cue_span == cue_span and r.content_span == content for r in self.found):
            return
        self.found.append(record)
        self.content_of.setdefault(cue_tok.i, []).append(content)

    def snap_to_quote(
        self, content: tuple[int, int], cue_span: tuple[int, int], kind: str
    ) -> tuple[tuple[int, int], str]:
        """Content lying inside quotation marks (with the cue outside them) is the whole quotation."""
        for q in self.quotes:
            if q[0] <= cue_span[0] < q[1]:
                continue
            inside = q[0] - 1 <= content[0] and content[1] <= q[1] + 1
            covers = content[0] <= q[0] and q[1] <= content[1] and not _has_words(self.text, content, q)
            if inside or covers:
                self.claimed.add(q)
                return q, ("quote" if kind == "reported" else kind)
        return content, kind

    # -- rules --

    def run(self) -> None:
        for tok in self.sent:
            lemma = tok.lemma_.lower()
            if tok.lower_ == "according" and tok.i + 1 < self.sent.end and self.doc[tok.i + 1].lower_ == "to":
                continue  # handled after the verbs, so it can reuse their content
            if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                if lemma == "cite" and tok.tag_ == "VBG":
                    continue
                if lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS or lemma in PREP_CONTENT:
                    self.verb(tok, lemma)
        self.split_quotes()
        for tok in self.sent:
            if tok.lower_ == "according" and tok.i + 1 < self.sent.end and self.doc[tok.i + 1].lower_ == "to":
                self.according_to(tok)
            elif tok.lemma_.lower() == "cite" and tok.tag_ == "VBG" and tok.dep_ in ("advcl", "acl", "xcomp", "conj"):
                self.citing(tok)
            elif tok.lemma_.lower() in DOCUMENT_VERBS and tok.dep_ == "acl" and not self.under_according(tok):
                self.documents(tok, None)
            elif tok.lower_ == "interview" and tok.head.lower_ in ("in", "during"):
                self.interview(tok)

    def verb(self, v: Token, lemma: str) -> None:
        if any(c.dep_ == "neg" for c in v.children):
            return
        if v.dep_ == "xcomp" and v.head.lemma_.lower() in NEGATING_HEADS:
            return
        if lemma == "point" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in v.children):
            return
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
        agent = next((c for c in v.children if c.dep_ == "agent"), None)
        speaker = None
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            speaker = _resolve_relative(pobj) if pobj is not None else None
        elif not passive:
            speaker = self.subject_of(v)
        elif lemma == "say" and v.dep_ == "pcomp":
            speaker = self.subject_of(v)
        recipient = None
        if lemma in RECIPIENT_VERBS or lemma in ("say", "write"):
            rec = next((c for c in v.children if c.dep_ in ("dative", "dobj") and c.pos_ != "PRON" or c.dep_ == "dative"), None)
            if rec is not None and rec.dep_ == "dative" and rec.lower_ == "to":
                rec = next((c for c in rec.children if c.dep_ == "pobj"), None)
            if rec is not None and (lemma in RECIPIENT_VERBS or rec.dep_ == "dative"):
                recipient = rec
            if passive and lemma in RECIPIENT_VERBS:
                recipient = next((c for c in v.children if c.dep_ == "nsubjpass"), recipient)
        cue_span, cue = self.cue_of(v, agent)
        source = self.chars(_noun_phrase(speaker)) if speaker is not None else None
        rec_span = self.chars(_noun_phrase(recipient)) if recipient is not None else None
        contents = self.contents_of(v, lemma, recipient)
        for rng in contents:
            span = self.chars(rng)
            if span:
                self.add(v, cue_span, cue, source, span, "reported", rec_span)

    def cue_of(self, v: Token, agent: Token | None) -> tuple[tuple[int, int], str]:
        first, last = v.i, v.i
        for c in v.children:
            if c.dep_ == "prt" and c.i == last + 1:
                last = c.i
        if agent is not None and agent.i == last + 1:
            last = agent.i
            mark = next((c for c in v.children if c.dep_ == "mark" and c.lower_ == "as"), None)
            if mark is not None and all(self.doc[i].dep_ in ("advmod", "mark") for i in range(mark.i, v.i)):
                first = mark.i
        if v.dep_ == "pcomp" and v.head.lower_ == "as" and v.head.head.lemma_.lower() == "quote":
            first = v.head.head.i  # "quoted as saying"
        span = _chars(self.sent, (first, last))
        return span, self.text[span[0] : span[1]].lower()

    def subject_of(self, v: Token) -> Token | None:
        t = v
        for depth in range(5):
            for c in t.children:
                if c.dep_ in SUBJECT_DEPS and not (c.dep_ == "nsubjpass" and depth == 0):
                    if c.lower_ in ("it", "there") and c.dep_ != "nsubj":
                        return None
                    return _resolve_relative(c)
                if c.dep_ == "agent" and depth > 0:
                    pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return _resolve_relative(pobj)
            if t.dep_ in INHERIT_DEPS and t.head is not t:
                t = t.head
                continue
            if t.dep_ == "relcl" and t.head is not t:
                return t.head
            return None
        return None

    def contents_of(self, v: Token, lemma: str, recipient: Token | None) -> list[tuple[int, int]]:
        speech = lemma in SPEECH_VERBS
        clauses = [c for c in v.children if c.dep_ == "ccomp" or (c.dep_ == "parataxis" and c.i > v.i and speech)]
        if clauses:
            return [_subtree(c) for c in clauses]
        if lemma in XCOMP_VERBS:
            xcomps = [c for c in v.children if c.dep_ == "xcomp"]
            if xcomps:
                return [_subtree(c) for c in xcomps]
        host = self.host_clause(v)
        if host is not None:
            return [host]
        if not speech:
            if lemma in PREP_CONTENT:
                return self.prep_content(v, lemma)
            return []
        quotes = self.adjacent_quotes(v)
        if quotes:
            return quotes
        prep = self.prep_content(v, lemma)
        if prep:
            return prep
        if lemma in OBJECT_CONTENT_VERBS:
            obj = next((c for c in v.children if c.dep_ == "dobj" and c is not recipient), None)
            if obj is not None and obj.lower_ not in ("it", "this", "that", "so"):
                return [_subtree(obj)]
        return []

    def host_clause(self, v: Token) -> tuple[int, int] | None:
        """The clause a said-clause is inserted into: "The plan, he said, is dead", "Y, as X said"."""
        head = v.head
        if head is v:
            return None
        inserted = v.dep_ == "parataxis" or (
            v.dep_ in ("ccomp", "advcl") and v.i > head.i and not any(c.dep_ == "mark" and c.lower_ != "as" for c in v.children)
        )
        if v.dep_ == "advcl" and not any(c.dep_ == "mark" and c.lower_ == "as" for c in v.children):
            inserted = False
        if not inserted:
            return None
        host = (max(head.left_edge.i, self.sent.start), min(head.right_edge.i, self.sent.end - 1))
        return _without(host, _subtree(v), head.i)

    def prep_content(self, v: Token, lemma: str) -> list[tuple[int, int]]:
        preps = PREP_CONTENT.get(lemma)
        if not preps:
            return []
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if pobj is not None:
                    return [_subtree(pobj)]
        return []

    def adjacent_quotes(self, v: Token) -> list[tuple[int, int]]:
        """Quotations beside the said-clause, with only its own words between: `He told reporters: "..."`."""
        own = [t for t in v.subtree if not self.token_in_quote(t) and not _is_edge_junk(t)]
        if not own:
            return []
        start = self.doc[min(t.i for t in own)].idx - self.sent.start_char
        last = self.doc[max(t.i for t in own)]
        end = last.idx + len(last) - self.sent.start_char
        picked = []
        for q in self.quotes:
            gap = self.text[q[1] : start] if q[1] <= start else self.text[end : q[0]] if q[0] >= end else None
            if gap is not None and all(c.isspace() or c in EDGE_PUNCT for c in gap):
                picked.append(self.token_range(q))
        return [p for p in picked if p]

    def token_range(self, span: tuple[int, int]) -> tuple[int, int] | None:
        base = self.sent.start_char
        toks = [t.i for t in self.sent if t.idx - base >= span[0] and t.idx + len(t) - base <= span[1]]
        return (toks[0], toks[-1]) if toks else None

    def split_quotes(self) -> None:
        """`"A," she said, "B."`: the part the parse left out gets the same cue and source."""
        for record in list(self.found):
            if record.kind != "quote":
                continue
            for q in self.quotes:
                if q in self.claimed:
                    continue
                lo, hi = (record.content_span[1], q[0]) if q[0] >= record.content_span[1] else (q[1], record.content_span[0])
                if not lo <= record.cue_span[0] < hi:
                    continue
                between = [t for t in self.sent if lo <= t.idx - self.sent.start_char < hi and not _is_edge_junk(t)]
                cue_tok = next((t for t in between if t.idx - self.sent.start_char == record.cue_span[0]), None)
                if cue_tok is None or not all(t is cue_tok or cue_tok.is_ancestor(t) for t in between if t.i != cue_tok.i):
                    if cue_tok is None:
                        continue
                    # the words between must belong to the said-clause: its verb, subject, adverbials
                    if any(self.is_cue(t) for t in between if t is not cue_tok):
                        continue
                self.claimed.add(q)
                self.found.append(
                    Attribution(
                        cue=record.cue,
                        source=record.source,
                        content=self.text[q[0] : q[1]],
                        source_span=record.source_span,
                        cue_span=record.cue_span,
                        content_span=q,
                        kind="quote",
                        recipient=record.recipient,
                    )
                )

    def is_cue(self, tok: Token) -> bool:
        lemma = tok.lemma_.lower()
        return tok.tag_.startswith("VB") and (lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS)

    def reused_content(self, head: Token) -> list[tuple[int, int]]:
        """Content already found for the attribution verb a phrase hangs on ("X reported Y, citing Z")."""
        t = head
        for _ in range(3):
            if t.i in self.content_of:
                return self.content_of[t.i]
            if t.head is t:
                break
            t = t.head
        return []

    def phrase_content(self, phrase: Token, source_tok: Token | None) -> list[tuple[int, int]]:
        """Content of a prepositional or participial cue phrase: the clause it modifies, less itself."""
        reused = self.reused_content(phrase.head)
        if reused:
            return reused
        if source_tok is not None:
            for c in source_tok.rights:
                if c.dep_ in ("relcl", "acl", "ccomp") and _that_clause(c):
                    span = self.chars(_subtree(c))
                    return [span] if span else []
        head = phrase.head
        while head.head is not head and head.pos_ not in ("VERB", "AUX"):
            head = head.head
        host = (max(head.left_edge.i, self.sent.start), min(head.right_edge.i, self.sent.end - 1))
        span = self.chars(_without(host, _subtree(phrase), head.i))
        return [span] if span else []

    def according_to(self, according: Token) -> None:
        to = self.doc[according.i + 1]
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in according.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return
        phrase = according if to.head is according or to.head is not according.head else according
        seen = next((c for c in pobj.children if c.lemma_.lower() in DOCUMENT_VERBS and c.dep_ == "acl"), None)
        if seen is not None and self.documents(seen, according):
            return
        source = self.chars(_source_range(pobj))
        cue_span = _chars(self.sent, (according.i, to.i))
        for content in self.phrase_content(phrase, pobj):
            self.add(according, cue_span, "according to", source, content, "according_to")

    def citing(self, citing: Token) -> None:
        obj = next((c for c in citing.children if c.dep_ in ("dobj", "pobj")), None)
        if obj is None:
            return
        source = self.chars(_source_range(obj))
        cue_span = _chars(self.sent, (citing.i, citing.i))
        for content in self.phrase_content(citing, obj):
            self.add(citing, cue_span, "citing", source, content, "citing")

    def documents(self, seen: Token, according: Token | None) -> bool:
        """ "documents viewed by X": X is the source. Returns whether a record was made."""
        noun = seen.head
        if noun.lemma_.lower() not in DOCUMENT_NOUNS:
            return False
        agent = next((c for c in seen.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if pobj is None:
            return False
        source = self.chars(_source_range(pobj))
        cue_span = _chars(self.sent, (noun.i, agent.i))
        cue = f"{noun.text} {seen.text} by".lower()
        if according is not None:
            contents = self.phrase_content(according, pobj)
        elif noun.dep_ in ("nsubj", "nsubjpass") and noun.head.i in self.content_of:
            contents = self.content_of[noun.head.i]
        else:
            contents = self.phrase_content(noun, None) if noun.dep_ not in ("nsubj", "nsubjpass") else []
        for content in contents:
            self.add(seen, cue_span, cue, source, content, "documents")
        return bool(contents)

    def under_according(self, tok: Token) -> bool:
        t = tok
        for _ in range(4):
            if t.lower_ == "according":
                return True
            if t.head is t:
                return False
            t = t.head
        return False

    def interview(self, noun: Token) -> None:
        """ "in an interview with X": X is who heard it; the speaker is the clause's subject."""
        with_ = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("with", "on")), None)
        pobj = next((c for c in with_.children if c.dep_ == "pobj"), None) if with_ is not None else None
        if pobj is None:
            return
        prep = noun.head
        verb = prep.head
        recipient = self.chars(_source_range(pobj))
        if verb.i in self.content_of:
            cue_start = self.found[0].cue_span if self.found else None
            for k, record in enumerate(self.found):
                if record.cue_span[0] == _chars(self.sent, (verb.i, verb.i))[0] and record.recipient is None:
                    self.found[k] = _replace_recipient(record, self.text, recipient)
            del cue_start
            return
        if verb.pos_ not in ("VERB", "AUX"):
            return
        speaker = self.subject_of(verb)
        source = self.chars(_noun_phrase(speaker)) if speaker is not None else None
        cue_span = _chars(self.sent, (prep.i, with_.i))
        host = (max(verb.left_edge.i, self.sent.start), min(verb.right_edge.i, self.sent.end - 1))
        host = _without(host, _subtree(prep), verb.i)
        if speaker is not None:
            host = _without(host, _subtree(speaker), verb.i)
        content = self.chars(host)
        if content:
            self.add(noun, cue_span, self.text[cue_span[0] : cue_span[1]].lower(), source, content, "reported", recipient)


def _replace_recipient(record: Attribution, text: str, span: tuple[int, int] | None) -> Attribution:
    if span is None:
        return record
    return Attribution(
        cue=record.cue,
        source=record.source,
        content=record.content,
        source_span=record.source_span,
        cue_span=record.cue_span,
        content_span=record.content_span,
        kind=record.kind,
        recipient=text[span[0] : span[1]],
    )


def _has_words(text: str, outer: tuple[int, int], hole: tuple[int, int]) -> bool:
    rest = text[outer[0] : hole[0]] + text[hole[1] : outer[1]]
    return any(c.isalnum() for c in rest)


def analyse_sentence(sent: Span) -> tuple[tuple[Attribution, ...], tuple[Quote, ...]]:
    """Attributions and quotations of one parsed sentence, in one pass (what the two functions below share)."""
    state = _Sentence(sent)
    state.run()
    attributions = tuple(sorted(state.found, key=lambda r: (r.cue_span[0], r.content_span[0])))
    quotes = []
    for q in state.quotes:
        covering = [r for r in attributions if r.content_span[0] <= q[0] and q[1] <= r.content_span[1]]
        covering.sort(key=lambda r: (r.content_span[1] - r.content_span[0], r.kind != "quote"))
        speaker = covering[0].source if covering else None
        quotes.append(Quote(text=state.text[q[0] : q[1]], speaker=speaker, start=q[0], end=q[1]))
    return attributions, tuple(quotes)


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
