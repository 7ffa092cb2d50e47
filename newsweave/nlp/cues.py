"""The cue lexicon: the words that make a sentence credit a source, and what each takes for content.

Our own domain layer over spaCy's parse. Curated by hand: the verbs of saying and of knowing, the verbs
whose object is the person addressed or what was said, the nouns of documents and interviews. Fitted on
real news: the verbs of attitude ("endorsed", "criticized", "accused", "described ... as") and the uses of
them that PolNeAR's coders mark as cues (`attitude_probability`; `attitude_cues.json`, by
`bench/fit_cues.py`). Which pattern each cue makes, and the record it gives, is the table in
`attribution`; the rules that read them are in `cue_rules`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "ATTITUDE", "ATTITUDE_LEMMAS", "ATTITUDE_PATH", "ATTITUDE_THRESHOLD", "CLAUSE_VERBS", "DOCUMENT_NOUNS",
    "DOCUMENT_VERBS", "INHERIT_DEPS", "INTERVIEW_NOUNS", "NEGATING_HEADS", "OBJECT_CONTENT_VERBS", "PERSONAL",
    "PREP_CONTENT", "RECIPIENT_VERBS", "SPEECH_VERBS", "SUBJECT_DEPS",
    "XCOMP_VERBS", "attitude_features", "attitude_probability", "is_cue_verb", "lemma_logit", "subject_is_source",
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
# A cue's span takes in the verb's auxiliaries and negation ("has not said": 98% and 93% of PolNeAR dev's
# gold cues with one), and the adverbs right before it but these, which annotators leave out as often as not
CUE_AUX = frozenset({"aux", "auxpass", "neg"})
LOOSE_ADVERBS = frozenset("however meanwhile more still even ago".split())
# The prepositions whose object a verb of attitude can be about ("commented on", "called for", "spoke about")
CONTENT_PREPOSITIONS = frozenset("about against on for of with to at over into".split())


# Verbs of attitude, fitted (`bench/fit_cues.py`): a verb the rules over the lexicons above credit no one with,
# whose lemma PolNeAR's train part shows often enough, is read as a verb of attitude (`attitude.attitude_reading`)
# where a logistic model over its lemma's train cue rate and its use in the sentence (tense,
# voice, dependency, subject and object) puts the chance that PolNeAR's coders would mark it at
# `ATTITUDE_THRESHOLD` or more: "endorsed Cruz", "criticized the plan", "declined to comment", "was criticized by
# many", and the verbs of saying in uses the rules leave ("said yes", "is expected to win").
ATTITUDE_PATH = Path(__file__).with_name("attitude_cues.json")
ATTITUDE = "attitude"  # the `Attribution.kind` they give: a stance, not a fact the source is credited with
# Chosen on PolNeAR dev (`bench/attribution.py --attitude-threshold`): content overlap F1 0.679 without the verbs
# of attitude; at 0.5 / 0.4 / 0.3: 0.746 / 0.751 / 0.751, source F1 0.746 / 0.745 / 0.741, content precision
# 0.893 / 0.877 / 0.841. Checked again with the refit of stop 36 (negations, prepositional objects): at 0.5 / 0.45
# / 0.4 content 0.751 / 0.754 / 0.757, source 0.759 / 0.762 / 0.761, relation 0.639 / 0.640 / 0.637; on train
# 0.45 against 0.4: content -0.003, relation +0.001. Kept.
ATTITUDE_THRESHOLD = 0.4
_ATTITUDE = json.loads(ATTITUDE_PATH.read_text(encoding="utf-8"))
ATTITUDE_LEMMAS = frozenset(_ATTITUDE["verbs"])
_MODALS = frozenset("will would could should may might can must".split())
SOURCE_SMOOTHING = 5.0  # marked uses of shrinkage toward the rate at which a marked use's subject is its source


def lemma_logit(cues: float, seen: float, prior: float, smoothing: float) -> float:
    """The log-odds of a lemma's cue rate, shrunk toward the prior rate of all verbs by `smoothing` occurrences."""
    rate = (cues + smoothing * prior) / (seen + smoothing)
    return math.log(rate / (1.0 - rate))


def attitude_features(v: Token, logit: float) -> list[float]:
    """The features of a verb for the attitude model, in the order of `attitude_cues.json`'s `features`."""
    tag, dep = v.tag_, v.dep_
    subject = next((c for c in v.children if c.dep_ == "nsubj"), None)
    obj = next((c for c in v.children if c.dep_ == "dobj"), None)
    auxes = {c.lower_ for c in v.children if c.dep_ == "aux"}
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children)
    clause = any(c.dep_ == "ccomp" for c in v.children)
    return [
        logit,
        float(tag == "VBD"), float(tag in ("VBZ", "VBP")), float(tag == "VBG"), float(tag == "VBN"), float(tag == "VB"),
        float(dep == "ROOT"), float(dep == "conj"), float(dep in ("ccomp", "xcomp")),
        float(dep in ("advcl", "acl", "pcomp")), float(dep == "relcl"), float(clause),
        float(obj is not None and obj.pos_ == "PRON"), float(obj is not None and obj.pos_ == "PROPN"),
        float(subject is None), float(subject is not None and subject.pos_ == "PRON"),
        float(subject is not None and subject.pos_ == "PROPN"),
        float(bool(auxes & _MODALS)), float("to" in auxes),
        float(v.head.i != v.i and is_cue_verb(v.head)),
        float(passive),
        float(not passive and obj is None and not clause and any(c.dep_ == "xcomp" and c.i > v.i for c in v.children)),
        float(passive and any(c.dep_ == "agent" for c in v.children)),
        float(any(c.dep_ == "neg" for c in v.children)),
        float(not passive and obj is None and not clause and not any(c.dep_ == "xcomp" for c in v.children)),
    ]


def subject_is_source(lemma: str) -> bool:
    """Whether a verb of attitude's subject is its source, as PolNeAR's coders mark the lemma's uses in train
    ("Jeb Bush endorsed Cruz": yes; "Melania seems to have vanished", "the plan appears to fail": no, the subject
    is part of the content and no one is credited). Shrunk toward the rate of all lemmas; unknown lemmas: yes."""
    counts = _ATTITUDE["verbs"].get(lemma)
    if counts is None:
        return True
    _, _, marked, sourced = counts
    rate = (sourced + SOURCE_SMOOTHING * _ATTITUDE["subject_source_rate"]) / (marked + SOURCE_SMOOTHING)
    return rate >= 0.5


def attitude_probability(v: Token) -> float:
    """How likely PolNeAR's coders would mark `v` as a cue (0 for a lemma the model has no rate for)."""
    counts = _ATTITUDE["verbs"].get(v.lemma_.lower())
    if counts is None:
        return 0.0
    x = attitude_features(v, lemma_logit(counts[0], counts[1], _ATTITUDE["prior"], _ATTITUDE["smoothing"]))
    z = _ATTITUDE["intercept"] + sum(w * f for w, f in zip(_ATTITUDE["weights"], x))
    return 1.0 / (1.0 + math.exp(-z))


def is_cue_verb(tok: Token) -> bool:
    """Whether `tok` is a verb of saying or of knowing, used as a verb."""
    lemma = tok.lemma_.lower()
    return tok.tag_.startswith("VB") and (lemma in SPEECH_VERBS or lemma in CLAUSE_VERBS)
