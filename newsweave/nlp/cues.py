"""The cue lexicon: the words that make a sentence credit a source, and what each takes for content.

Our own domain layer over spaCy's parse, curated by hand: the verbs of saying and of knowing, the verbs
whose object is the person addressed or what was said, the nouns of documents and interviews. Which
pattern each cue makes, and the record it gives, is the table in `attribution`; the rules that read
them are in `cue_rules`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "CLAUSE_VERBS", "DOCUMENT_NOUNS", "DOCUMENT_VERBS", "INHERIT_DEPS", "INTERVIEW_NOUNS", "NEGATING_HEADS",
    "OBJECT_CONTENT_VERBS", "PERSONAL", "PREP_CONTENT", "RECIPIENT_VERBS", "SPEECH_VERBS", "SUBJECT_DEPS",
    "XCOMP_VERBS", "is_cue_verb",
]

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
DOCUMENT_VERBS = frozenset("view see review obtain examine read describe inspect access report publish cite".split())
INTERVIEW_NOUNS = frozenset({"interview", "conversation"})
# A verb under one of these did not happen: "declined to say", "refused to confirm".
NEGATING_HEADS = frozenset("decline refuse fail".split())
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
# Links along which a verb without a subject borrows its head's: "..., saying", "and added", "went on to say".
INHERIT_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "prep"})
PERSONAL = frozenset({"i", "we", "you"})


def is_cue_verb(tok: Token) -> bool:
    """Whether `tok` is a verb of saying or of knowing, used as a verb."""
    lemma = tok.lemma_.lower()
    return tok.tag_.startswith("VB") and (lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS)
