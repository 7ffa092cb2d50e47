"""One sentence's own attributions: the rules over its parse, cue family by cue family.

A reporting verb gives its subject (or agent) as source and its complement as content; "according to",
"citing", "documents viewed by", "in an interview with" and dash signatures have their own rules. A
content inside quotation marks becomes the whole quotation, and a quotation split by its said-clause
(`"A," she said, "B."`) gives one record per part. Only cues that lie in the sentence count here; a
quotation whose said-clause is in another sentence is `attribution`'s to resolve. Offsets returned are
character offsets into the sentence's own text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.model import Attribution
from newsweave.nlp.attitude import attitude_reading
from newsweave.nlp.cues import (
    ATTITUDE, ATTITUDE_LEMMAS, ATTITUDE_THRESHOLD, CLAUSE_VERBS, CUE_AUX, DOCUMENT_NOUNS,
    DOCUMENT_VERBS, INHERIT_DEPS, INTERVIEW_NOUNS, LOOSE_ADVERBS, NEGATING_HEADS, OBJECT_CONTENT_VERBS, PERSONAL,
    PREP_CONTENT, RECIPIENT_VERBS, SPEECH_VERBS, SUBJECT_DEPS, XCOMP_VERBS, attitude_probability, is_cue_verb,
    subject_is_source,
)
from newsweave.nlp.phrases import (
    CLAUSE_DEPS, child_of, is_that_clause, noun_phrase, range_without, resolve_relative, subtree_range,
    without_aside,
)
from newsweave.nlp.quotes import CLOSING_MARKS, EDGE_PUNCT, is_edge_junk, opened, trim_span

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["attitude_candidates", "sentence_attributions"]


def sentence_attributions(
    sent: Span, quotes: tuple[tuple[int, int], ...], signed: dict[int, tuple[tuple[int, int], tuple[int, int]]]
) -> tuple[Attribution, ...]:
    """The attributions whose cue lies in `sent`, given its Doc's quotations (`quotes.quote_regions`) and
    those signed with a dash (`quotes.signed_quotes`)."""
    return tuple(_Sentence(sent, quotes, signed).run())


def attitude_candidates(
    sent: Span, quotes: tuple[tuple[int, int], ...], signed: dict[int, tuple[tuple[int, int], tuple[int, int]]]
) -> list[tuple[Token, Token | None]]:
    """The verbs of `sent` that the hand-made rules credit no one with and that read as a verb of attitude would
    (`_Sentence.attitude_reading`), each with the source it reads: what `bench/fit_cues.py` fits the attitude
    model on."""
    here = _Sentence(sent, quotes, signed)
    here.run(fitted=False)
    out = []
    for t in sent:
        if t.tag_.startswith("VB") and not here.credited(t) and (reading := here.attitude_reading(t)) is not None:
            out.append((t, reading[0]))
    return out


def _in_lexicon(lemma: str) -> bool:
    return lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS or lemma in PREP_CONTENT


def _negated(verb: Token) -> bool:
    if child_of(verb, "neg") is not None:
        return True
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() in NEGATING_HEADS


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

    def __init__(
        self,
        sent: Span,
        doc_quotes: tuple[tuple[int, int], ...],
        signed: dict[int, tuple[tuple[int, int], tuple[int, int]]],
    ) -> None:
        self.doc_quotes = doc_quotes
        self.signed = signed
        self.sent = sent
        self.doc = sent.doc
        self.text = sent.text
        self.base = sent.start_char
        end = sent.end_char
        self.quotes = [
            (max(s, self.base) - self.base, min(e, end) - self.base) for s, e in doc_quotes if s < end and e > self.base
        ]
        self.quotes = [trim_span(self.text, s, e) for s, e in self.quotes]
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
        while first <= last and is_edge_junk(doc[first]):
            first += 1
        while last >= first and is_edge_junk(doc[last]):
            if doc[last].text in CLOSING_MARKS and opened(doc, first, last):
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
        widened = self.widen(cue_tok, cue_span, content)
        if widened != cue_span:
            cue_span, cue = widened, self.text[widened[0] : widened[1]].lower()
        content, kind = self.snap_to_quote(content, cue_span, kind)
        if kind == ATTITUDE and (inside := [t.i for t in self.sent if content[0] <= t.idx - self.base < content[1]]):
            content = self.chars((inside[0], without_aside(self.doc, inside[0], inside[-1]))) or content
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
                source_mention=self.relative_mention(cue_tok, source),
            )
        )
        self.content_of.setdefault(cue_tok.i, []).append(content)

    def relative_mention(self, cue_tok: Token, source: tuple[int, int] | None) -> tuple[int, int] | None:
        """The relative pronoun that stands for the source as the cue's subject ("Jones, who said ...": "who"),
        which is where PolNeAR's coders mark the source; None when there is none."""
        if source is None:
            return None
        for t in self.sent:
            if t.dep_ not in SUBJECT_DEPS or (antecedent := resolve_relative(t)).i == t.i:
                continue
            if (t.head.i == cue_tok.i or t.head.is_ancestor(cue_tok)) and source[0] <= antecedent.idx - self.base < source[1]:
                return self.chars((t.i, t.i))
        return None

    def widen(self, verb: Token, cue_span: tuple[int, int], content: tuple[int, int]) -> tuple[int, int]:
        """The cue as PolNeAR's annotators mark it: with the verb's auxiliaries, negation and adverbs right
        before it ("has also said", "was not criticized") and the preposition that opens the content
        ("called for", "commented on")."""
        doc, base = self.doc, self.base
        first = verb.i
        if not cue_span[0] <= verb.idx - base < cue_span[1]:
            return cue_span
        while first - 1 >= self.sent.start:
            prev = doc[first - 1]
            if prev.head.i != verb.i or not (prev.dep_ in CUE_AUX or (prev.dep_ == "advmod" and prev.tag_ == "RB")):
                break
            first -= 1
        while first < verb.i and doc[first].dep_ == "advmod" and doc[first].lower_ in LOOSE_ADVERBS:
            first += 1
        start = min(cue_span[0], doc[first].idx - base)
        end = cue_span[1]
        after = next((t for t in doc[verb.i + 1 : self.sent.end] if t.idx - base >= end), None)
        if (after is not None and after.head.i == verb.i and after.dep_ == "prep" and after.i + 1 < len(doc)
                and doc[after.i + 1].idx - base == content[0]):
            end = after.idx + len(after) - base
        return start, end

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

    def run(self, fitted: bool = True) -> list[Attribution]:
        """Every rule in turn; then (`fitted`) every verb no rule credited anyone with that the attitude model
        takes for a cue: a verb of attitude, or a verb of saying in a use the rules do not read ("said yes",
        "polls show Clinton ahead")."""
        self.verbs()
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
        if fitted:
            for tok in self.sent:
                if tok.tag_.startswith("VB") and tok.lemma_.lower() in ATTITUDE_LEMMAS and not self.credited(tok):
                    self.attitude(tok)
        self.signatures()
        return self.found

    def credited(self, tok: Token) -> bool:
        """Whether a rule already made `tok` a cue, or a part of one ("quoted" in "was quoted as saying")."""
        at = tok.idx - self.base
        return tok.i in self.content_of or any(r.cue_span[0] <= at < r.cue_span[1] for r in self.found)

    def verbs(self) -> None:
        """The verbs of saying and knowing, by the hand-made rules."""
        for tok in self.sent:
            if tok.tag_.startswith("VB") and not (tok.lemma_.lower() == "cite" and tok.tag_ == "VBG"):
                lemma = tok.lemma_.lower()
                if _in_lexicon(lemma):
                    self.verb(tok, lemma)

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
            v.tag_ == "VBN" and v.dep_ in ("advcl", "acl") and child_of(v, "aux") is None
        )  # "Asked for comment, the ministry ...": the ministry was asked
        agent = child_of(v, "agent")
        speaker = None
        if agent is not None:
            pobj = child_of(agent, "pobj")
            speaker = resolve_relative(pobj) if pobj is not None else None
        elif not passive or v.dep_ == "pcomp":
            speaker = self.subject_of(v)
        if speaker is None and lemma not in SPEECH_VERBS:
            return  # "hearing him talk about ...", "imagine that ...": no one to credit
        if lemma in CLAUSE_VERBS and speaker is not None and speaker.lower_ in PERSONAL:
            return  # "I think", "do you know": the writer or the reader, not a source
        recipient = self.recipient_of(v, lemma, passive)
        cue_span, cue = self.cue_of(v, agent)
        source = self.chars(noun_phrase(speaker, v)) if speaker is not None else None
        rec_span = self.chars(noun_phrase(recipient, v)) if recipient is not None else None
        if passive and agent is None and v.dep_ != "pcomp":
            contents = [subtree_range(c) for c in v.children if c.dep_ == "ccomp"]  # "it was reported that ..."
        else:
            contents = self.contents_of(v, lemma, recipient)
        for rng in contents:
            self.add(v, cue_span, cue, source, self.chars(rng), "reported", rec_span)

    def attitude(self, v: Token) -> None:
        """A verb of attitude ("Jeb Bush endorsed Cruz", "he criticized Clinton's record", "she described the plan
        as a gimmick"), where `attitude_reading` reads one and the fitted model (`cues.attitude_probability`) says
        PolNeAR's coders would mark it."""
        reading = self.attitude_reading(v)
        if reading is None or attitude_probability(v) < ATTITUDE_THRESHOLD:
            return
        speaker, contents = reading
        if speaker is not None and not subject_is_source(v.lemma_.lower()) and speaker.i < v.i:
            # "Melania seems to have vanished": the subject is what the content is about, not who says it
            if not (speaker.lower_ == "it" and any(c.dep_ == "ccomp" for c in v.children)):  # "it appears that"
                contents = [(min(speaker.left_edge.i, first), last) for first, last in contents]
            speaker = None
        cue_span, cue = self.cue_of(v, None)
        source = self.chars(noun_phrase(speaker, v)) if speaker is not None else None
        for rng in contents:
            self.add(v, cue_span, cue, source, self.chars(rng), ATTITUDE)

    def attitude_reading(self, v: Token) -> tuple[Token | None, list[tuple[int, int]]] | None:
        """A verb's source and contents as a verb of attitude's (`attitude.attitude_reading`)."""
        return attitude_reading(v, self.subject_of(v), self.in_quote(v))

    def reported_within(self, v: Token) -> bool:
        """Whether `v` lies in the complement clause of a reporting verb."""
        t = v
        for _ in range(6):
            if t.head.i == t.i:
                return False
            if t.dep_ in ("ccomp", "xcomp", "advcl", "relcl") and is_cue_verb(t.head):
                return True
            t = t.head
        return False

    def recipient_of(self, v: Token, lemma: str, passive: bool) -> Token | None:
        dative = child_of(v, "dative")
        if dative is not None and dative.lower_ == "to":
            dative = child_of(dative, "pobj")
        if dative is not None:
            return dative
        if lemma in RECIPIENT_VERBS:
            if passive:
                return child_of(v, "nsubjpass")
            obj = child_of(v, "dobj")
            if obj is not None and not (obj.lower_ == "it" or is_that_clause(obj)):
                return obj
        if lemma in ("say", "write", "explain", "report", "complain", "announce", "confirm"):
            to = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            if to is not None:
                return child_of(to, "pobj")
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
                    return resolve_relative(c)
                if c.dep_ == "agent" and depth > 0:
                    pobj = child_of(c, "pobj")
                    if pobj is not None:
                        return resolve_relative(pobj)
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
                obj = child_of(v, "dobj")
                if obj is not None and obj.i < xcomps[0].i and obj.right_edge.i + 1 == xcomps[0].left_edge.i:
                    return [(obj.left_edge.i, xcomps[0].right_edge.i)]  # "urged police to release the video"
                return [subtree_range(c) for c in xcomps]
        host = self.host_clause(v) if self.subject_of(v) is not None or child_of(v, "agent") else None
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
                return [subtree_range(obj)]
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
            subject = child_of(v, "nsubj")
            first = min(v.i, subject.left_edge.i) if subject is not None else v.i
            before = self.doc[first - 1] if first > self.sent.start else None
            inserted = (
                before is not None
                and before.is_punct
                and subject is not None
                and child_of(v, "dobj", "xcomp", "mark") is None
            )
        else:
            inserted = False
        if not inserted:
            return None
        return range_without(self.clause(head), subtree_range(v), head.i, self.doc)

    def naming(self, v: Token) -> list[tuple[int, int]]:
        """ "called the charges fabricated": the object and what it was called."""
        obj = child_of(v, "dobj")
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
                obj = child_of(c, "pobj", "pcomp")
                if obj is not None:
                    return [subtree_range(obj)]
        return []

    def adjacent_quotes(self, v: Token) -> list[tuple[int, int]]:
        """Quotations beside the said-clause with only its own words between: `He told reporters: "..."`."""
        own = [t.i for t in v.subtree if not self.in_quote(t) and not is_edge_junk(t)]
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
        return any(is_cue_verb(t) and t.idx - self.base != cue_at for t in self.sent if lo <= t.idx - self.base < hi)

    def signatures(self) -> None:
        """`"..." -- Steve Quinlan`: a quotation signed with a dash and a name, when the signature is here."""
        for q, (cue, source) in self.signed.items():
            if not self.base <= cue[0] < self.sent.end_char or source[1] > self.sent.end_char:
                continue
            start, end = self.doc_quotes[q]
            part = trim_span(self.text, max(start, self.base) - self.base, min(end, self.sent.end_char) - self.base)
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
                if c.dep_ in CLAUSE_DEPS and is_that_clause(c):
                    span = self.chars(subtree_range(c))
                    return [span] if span else []
        head = phrase.head
        while head.head.i != head.i and head.pos_ not in ("VERB", "AUX"):
            head = head.head
        span = self.chars(range_without(self.clause(head), subtree_range(phrase), head.i, self.doc))
        return [span] if span else []

    def according_to(self, according: Token) -> None:
        to = self.doc[according.i + 1]
        pobj = child_of(to, "pobj") or child_of(according, "pobj")
        if pobj is None:
            return
        seen = next((c for c in pobj.children if c.lemma_.lower() in DOCUMENT_VERBS and c.dep_ == "acl"), None)
        if seen is not None and self.documents(seen, according):
            return
        source = self.chars(noun_phrase(pobj))
        cue_span = self.raw_chars(according.i, to.i)
        for content in self.phrase_content(according, pobj):
            self.add(according, cue_span, "according to", source, content, "according_to")

    def citing(self, citing: Token) -> None:
        obj = child_of(citing, "dobj", "pobj")
        if obj is None:
            return
        source = self.chars(noun_phrase(obj))
        cue_span = self.raw_chars(citing.i, citing.i)
        for content in self.phrase_content(citing, obj):
            self.add(citing, cue_span, "citing", source, content, "citing")

    def documents(self, seen: Token, according: Token | None) -> bool:
        """ "documents viewed by X": X is the source. Returns whether a record was made."""
        noun = seen.head
        if noun.lemma_.lower() not in DOCUMENT_NOUNS:
            return False
        agent = child_of(seen, "agent")
        pobj = child_of(agent, "pobj") if agent is not None else None
        if pobj is None:
            return False
        source = self.chars(noun_phrase(pobj))
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
        pobj = child_of(with_, "pobj") if with_ is not None else None
        if pobj is None:
            return
        prep, verb = noun.head, noun.head.head
        recipient = self.chars(noun_phrase(pobj))
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
        source = self.chars(noun_phrase(speaker, verb)) if speaker is not None else None
        cue_span = self.raw_chars(prep.i, with_.i)
        host = range_without(self.clause(verb), subtree_range(prep), verb.i, self.doc)
        if speaker is not None:
            host = range_without(host, subtree_range(speaker), verb.i, self.doc)
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
