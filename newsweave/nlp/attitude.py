"""What a verb of attitude credits, read off the parse: its source and what it is about.

"Jeb Bush endorsed Cruz", "he criticized Clinton's record", "she described the plan as a gimmick", "a spokesman
declined to comment", "critics railed against the plan", "the plan was criticized by many". Whether a verb in
such a use is a cue at all is the fitted model's to say (`cues.attitude_probability`); this module only says
what it would credit, and to whom, as `cue_rules` and `bench/fit_cues.py` both read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.nlp.cues import CONTENT_PREPOSITIONS, NEGATING_HEADS
from newsweave.nlp.phrases import child_of, resolve_relative, subtree_range

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["attitude_reading"]


def attitude_reading(
    v: Token, speaker: Token | None, quoted: bool
) -> tuple[Token | None, list[tuple[int, int]]] | None:
    """A verb's source and contents (token ranges) as a verb of attitude's, given who speaks (`speaker`: its
    subject, or the subject of the verb it hangs on) and whether it lies inside a quotation (`quoted`).

    Active: the speaker, and its clause, else its object (with the "as" / "for" phrase or the complement that says
    what of it), else its infinitive ("declined to comment"), else the object of the preposition right after it
    ("commented on the shooting"). Passive: the agent (or no one), and the passive subject with what follows the
    verb ("Mr. Sanders has been criticized for ...", "Clinton is expected to win"). A negated verb is read too: the
    cue keeps its "not" ("did not endorse"), and the model weighs it. None inside a quotation, without a speaker,
    for the infinitive under "declined" (that is the cue), or for an impersonal "it was reported that" (the rules'
    own)."""
    if quoted or (v.dep_ == "xcomp" and v.head.lemma_.lower() in NEGATING_HEADS):
        return None
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children):
        subject = child_of(v, "nsubjpass")
        if subject is None or subject.lower_ in ("it", "there"):
            return None
        agent = child_of(v, "agent")
        by = child_of(agent, "pobj") if agent is not None else None
        tail = [c for c in v.children if c.i > v.i and (c.dep_ in ("xcomp", "ccomp", "oprd")
                                                         or (c.dep_ == "prep" and c.lower_ in ("as", "for")))]
        return (resolve_relative(by) if by is not None else None,
                [(subject.left_edge.i, max([subject.right_edge.i] + [c.right_edge.i for c in tail]))])
    if speaker is None:
        return None
    clauses = [c for c in v.children if c.dep_ == "ccomp" and c.i > v.i]
    if clauses:
        return speaker, [subtree_range(c) for c in clauses]
    obj = child_of(v, "dobj")
    if obj is None:
        infinitive = next((c for c in v.children if c.dep_ == "xcomp" and c.i > v.i), None)
        if infinitive is not None:
            return speaker, [subtree_range(infinitive)]
        prep = _prep_content(v)
        return (speaker, [subtree_range(prep)]) if prep is not None else None
    last = obj.right_edge.i
    for c in v.children:
        if c.i > obj.i and ((c.dep_ == "prep" and c.lower_ in ("as", "for")) or c.dep_ == "oprd"):
            last = max(last, c.right_edge.i)
    return speaker, [(obj.left_edge.i, last)]


def _prep_content(v: Token) -> Token | None:
    """The object of the preposition right after a verb that opens what the verb is about: "commented on the
    shooting", "called for a repeal", "spoke about his plan"."""
    prep = next((c for c in v.children if c.dep_ == "prep" and c.i > v.i and c.lower_ in CONTENT_PREPOSITIONS), None)
    if prep is None or any(t.dep_ not in ("advmod", "prt", "neg") for t in v.doc[v.i + 1 : prep.i]):
        return None
    return child_of(prep, "pobj")
