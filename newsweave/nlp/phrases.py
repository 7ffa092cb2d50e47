"""Token ranges over spaCy's dependency parse: a noun phrase, a subtree, a clause less an inserted phrase.

What the attribution rules cut sources and contents from. A range is (first, last) token indices in the
Doc, both included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.nlp.quotes import is_edge_junk

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "child_of", "is_that_clause", "noun_phrase", "range_without", "resolve_relative", "subtree_range", "without_aside",
]

RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
CLAUSE_DEPS = frozenset({"relcl", "acl", "ccomp"})


def subtree_range(tok: Token) -> tuple[int, int]:
    """The tokens `tok` governs, itself included."""
    return tok.left_edge.i, tok.right_edge.i


def range_without(
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
        if left and all(is_edge_junk(doc[i]) for i in range(left[0], left[1] + 1)):
            left = None
        if right and all(is_edge_junk(doc[i]) for i in range(right[0], right[1] + 1)):
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
        and all(is_edge_junk(doc[i]) or doc[i].pos_ in ("CCONJ", "ADV", "INTJ") for i in range(left[0], left[1] + 1))
    ):
        return right  # "Yet, as X observed, Y": a conjunction or adverb before the cut is not the subject
    if not left and not right:
        return None  # the phrase is the whole clause: a parse error, nothing to attribute
    return host


def is_that_clause(tok: Token) -> bool:
    first = tok.left_edge
    return first.lower_ == "that" and first.dep_ == "mark"


def noun_phrase(tok: Token, cue: Token | None = None) -> tuple[int, int]:
    """The noun phrase headed by `tok`, less what is not part of it.

    Cut off: a "that"-clause the parser hung on it ("citing the Post, that the army ..." is the
    content, not the source), and the clause holding the cue itself ("Jones, who said ..." -> "Jones").
    """
    first, last = subtree_range(tok)
    for child in tok.rights:
        if child.dep_ in CLAUSE_DEPS and is_that_clause(child):
            last = min(last, child.left_edge.i - 1)
    if cue is not None and first <= cue.i <= last and cue.i != tok.i:
        for child in tok.rights:
            if child.left_edge.i <= cue.i <= child.right_edge.i:
                last = min(last, child.left_edge.i - 1)
        for child in tok.lefts:
            if child.left_edge.i <= cue.i <= child.right_edge.i:
                first = max(first, child.right_edge.i + 1)
    return first, last


def resolve_relative(tok: Token) -> Token:
    """ "who" in "Jones, who said ..." stands for Jones."""
    if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def child_of(tok: Token, *deps: str) -> Token | None:
    """The first child of `tok` attached by one of `deps`, or None."""
    return next((c for c in tok.children if c.dep_ in deps), None)


ASIDE_DEPS = frozenset({"relcl", "acl", "advcl"})


def without_aside(doc: Doc, first: int, last: int) -> int:
    """The last token of tokens [first, last] less a clause set off by a comma at their end, which PolNeAR's coders
    leave out of what a stance is about: "acknowledged the reality of climate change, which makes him an outlier".
    (Not of what is said: they keep it in "said that Trump had claimed a loss, which could have allowed him ...")"""
    for tok in doc[first + 1 : last + 1]:
        start = tok.left_edge.i
        if (tok.dep_ in ASIDE_DEPS and first < start - 1 and doc[start - 1].text == ","
                and tok.right_edge.i >= last and first <= tok.head.i < start):
            return start - 2
    return last
