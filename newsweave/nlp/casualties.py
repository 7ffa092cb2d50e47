"""How many were killed, injured or shot, as a sentence states it: casualty counts read off the parse.

"The strikes have killed at least 61 people" is a toll of 61 or more killed; "3 dead, 22 wounded" is
three killed and 22 injured; "no one was injured" is none injured. The numbers are those `numbers` reads
(with the tokens they hang on); what is added here is which casualty word governs each count. The word
tables are tuned on the gun-violence development corpus (`bench/numbers.py` scores them).

Example:
    doc = nlp("The quake killed 32 people, injuring more than 200.")
    [(c.kind, c.quantity.low) for c in casualties(doc)]  # [("killed", 32.0), ("injured", 200.0)]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterator, Literal, Sequence

from newsweave.model import INF, UNNAMED, Casualty, Quantity, Sentence
from newsweave.nlp.numbers import AGE_DIVISOR, PERSON_NOUNS, Mention, digit_value, mentions, words_value

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Casualty", "CasualtyKind", "TollReading", "article_toll", "casualties", "toll_statements"]

# The words that say a count is of dead, injured or shot people.
_KILLED = {"kill", "killed", "die", "died", "dead", "slay", "slain", "murder", "murdered", "fatally", "execute",
           "perish", "mortally"}
_INJURED = {"injure", "injured", "wound", "wounded", "hurt", "hospitalize", "hospitalise", "hospitalized"}
_SHOT = {"shoot", "shot"}
_FATAL_ADVERBS = {"fatally", "mortally"}
_STATE_VERBS = {"be", "remain", "leave", "pronounce", "find", "declare", "confirm", "report", "list", "lay"}
_SUFFER = {"suffer", "sustain", "receive"}  # "suffered a gunshot wound", "sustained injuries"
_WOUND_NOUNS = {"wound", "wounds", "injury", "injuries"}
_FATAL_WORDS = {"fatal", "mortal", "deadly", "fatally", "mortally"}  # "suffered a fatal gunshot wound"
_GUNSHOT = {"gunshot", "gun", "bullet"}  # "suffered a gunshot wound" says he was shot, not that he lived
# "a double homicide", "a triple shooting": the count is in the adjective
_MULTIPLE = {"double": 2.0, "triple": 3.0, "quadruple": 4.0, "quintuple": 5.0}
_MULTIPLE_NOUNS = {"homicide": "killed", "murder": "killed", "slaying": "killed", "killing": "killed",
                   "shooting": "shot"}
_NONE_SUBJECTS = {"nobody", "none"}
# "a man", "his wife", "the victim": one person, as subject or object of a casualty word. "the", "his" and names
# point at someone the story already knows, often one of several: `article_toll` takes them last.
_ONE_DETS = {"a", "an", "his", "her", "their", "the"}
_INTRANSITIVE = {"die", "perish"}  # their subject is the one who died, never the one who shot
_AIMED = {"into", "toward", "towards"}  # "he shot into the van": the subject fired ("at" is as often a place)
_SEVERITY = {"critically", "seriously", "severely", "gravely", "badly", "slightly", "mildly"}
_ORDINALS = {"second": 2.0, "third": 3.0, "fourth": 4.0, "fifth": 5.0, "sixth": 6.0, "seventh": 7.0, "eighth": 8.0,
             "ninth": 9.0, "tenth": 10.0}
_REFLEXIVES = {"himself", "herself", "themselves", "self"}
_WEAPONS = {"gun", "weapon", "rifle", "shotgun", "handgun", "pistol", "firearm"}  # "turned the gun on himself"

CasualtyKind = Literal["killed", "injured", "shot"]


def _kind_of(tok: Token) -> str | None:
    lemma, low = tok.lemma_.lower(), tok.lower_
    if lemma in _KILLED or low in _KILLED:
        return "killed"
    if lemma in _INJURED or low in _INJURED:
        return "injured"
    if lemma in _SHOT or low in _SHOT:
        return "shot"
    return None


def _own_arguments(verb: Token) -> bool:
    """ "killing 2" in "shot 4, killing 2" has its own object: its outcome is not the first verb's."""
    return any(c.dep_ in ("dobj", "nsubj", "nsubjpass") for c in verb.children)


def _about(clause: Token) -> bool:
    """ "a boy who was shot": a relative clause whose subject is the noun it hangs on."""
    return clause.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that")
                                          for c in clause.children) and not any(c.dep_ == "dobj" for c in clause.children)


def _verb_kind(verb: Token) -> str | None:
    """What a verb says happened to its subject or object: "killed", "shot dead", "shot and wounded"."""
    children = list(verb.children)
    if any(c.dep_ == "neg" for c in children):
        return None  # "was not injured"
    if any(c.lower_ in _FATAL_ADVERBS for c in children):
        return "killed"  # "fatally shot", "fatally wounded"
    lemma = verb.lemma_.lower()
    if lemma in _STATE_VERBS:  # "two are dead", "left two dead", "was pronounced dead"
        for child in children:
            outcome = _kind_of(child)
            if child.dep_ in ("acomp", "attr", "oprd", "xcomp", "ccomp", "dobj") and outcome in ("killed", "injured"):
                return outcome
    if lemma in _SUFFER:  # "suffered injuries"; "suffered a gunshot wound" does not say whether he lived
        wound = next((c for c in children if c.dep_ == "dobj" and c.lemma_.lower() in _WOUND_NOUNS), None)
        if wound is None:
            return None
        words = {t.lower_ for t in wound.lefts}
        if words & _FATAL_WORDS:
            return "killed"  # "suffered a fatal gunshot wound"
        return "shot" if words & _GUNSHOT else "injured"
    kind = _kind_of(verb)
    if kind == "shot":
        for child in children:
            if child.dep_ in ("oprd", "acomp", "xcomp", "conj", "advcl", "advmod") and not _own_arguments(child) \
                    and _kind_of(child) in ("killed", "injured"):
                return _kind_of(child)  # "shot dead", "shot and killed", "shot and wounded"
            if child.dep_ == "prep" and child.lower_ == "to" and any(g.lemma_ == "death" for g in child.children):
                return "killed"  # "shot to death"
    return kind


def _shooter_subject(verb: Token) -> bool:
    """Whether the subject of an active casualty verb is the one who shot: "a man shot his wife", "a gunman shot
    and killed three officers" (an object that is not the subject itself, as in "shot himself"), "he shot into the
    van", "he is believed to have shot". Not in a headline's "Two men killed in shooting"."""
    for v in (verb, *(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB")):
        for c in v.children:
            if c.dep_ == "dobj" and c.lower_ not in _REFLEXIVES or c.dep_ == "aux" and c.lemma_ == "have" \
                    or c.dep_ == "prep" and c.lower_ in _AIMED:
                return True
    return False


def _governor_kind(tok: Token) -> str | None:
    """The casualty word governing a counted token: its verb or a modifier. The subject of an active verb with
    a victim for object is the one who shot, not one shot: "a woman fatally shot her husband"."""
    for child in tok.children:
        if child.lower_ in _FATAL_ADVERBS:
            return "killed"  # "16 shot, one fatally"
        if child.dep_ in ("amod", "acl", "relcl") and _kind_of(child) and (not _own_arguments(child) or _about(child)):
            return _verb_kind(child) if child.pos_ == "VERB" else _kind_of(child)  # "two people killed"
    if tok.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "appos", "conj"):
        head = tok.head
        if tok.dep_ in ("appos", "conj"):
            if head.pos_ in ("NOUN", "NUM", "PRON", "PROPN") and head.dep_ in ("nsubj", "nsubjpass", "dobj"):
                head = head.head
            else:
                return None
        if tok.dep_ == "nsubj" and _kind_of(head) is not None and head.lemma_.lower() not in _INTRANSITIVE \
                and _shooter_subject(head):
            return None
        if head.pos_ in ("VERB", "AUX", "ADJ") or head.lower_ == "shot":  # a headline's "Teen shot in ...": NOUN
            return _verb_kind(head)
        return None
    verb = tok.head.head
    if tok.dep_ == "pobj" and tok.head.lower_ == "to" and verb.lemma_ in ("rise", "climb", "increase", "reach") \
            and any(c.lemma_ == "toll" or c.lower_ == "dead" for c in verb.subtree):
        return "killed"  # "the death toll rose to 32"
    return None


def _reading(sent: Span, m: Mention) -> str | None:
    doc = sent.doc
    q = m.quantity
    if q.unit is not None and q.unit not in PERSON_NOUNS and q.unit != "shot":
        return None
    if m.last < sent.end and q.unit != "shot":  # the word right after: "32 killed", "two dead", "4 injured"
        after = doc[m.last]
        kind = _kind_of(after)
        if kind and after.pos_ in ("VERB", "ADJ") and not _own_arguments(after):
            return _verb_kind(after) if after.pos_ == "VERB" else kind
    if q.unit == "shot" and m.noun == m.anchor + 1 and doc[m.noun].lower_ == "shot":
        # "16 shot", "1 shot dead": the parser takes the participle for the noun "shot"
        if m.noun + 1 < sent.end and _kind_of(doc[m.noun + 1]) in ("killed", "injured"):
            return _kind_of(doc[m.noun + 1])
        return "shot" if q.low > 1 else None
    if q.unit is not None and q.unit not in PERSON_NOUNS:
        return None
    return _governor_kind(_target(doc, m))


def _target(doc: Doc, m: Mention) -> Token:
    """The token standing for the counted people in the parse: the noun the number modifies, or the number."""
    anchor = doc[m.anchor]
    if anchor.dep_ == "conj" and anchor.head.dep_ in ("nummod", "quantmod"):
        anchor = anchor.head  # "between 20 and 30 people", "two or three people"
    return doc[m.noun] if m.noun is not None and anchor.dep_ in ("nummod", "quantmod") else doc[m.anchor]


def _coordination(tok: Token) -> list[Token]:
    """ "A 2-year-old girl and four other people": every member of the coordination holding `tok`."""
    root = tok
    while root.dep_ == "conj" and root.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        root = root.head
    members, todo = [], [root]
    while todo:
        member = todo.pop()
        members.append(member)
        todo.extend(c for c in member.children if (c.dep_ == "conj" or c.dep_ == "appos" and _listed(member, c))
                    and not any(_kind_of(t) for t in tok.doc[min(member.i, c.i) + 1 : max(member.i, c.i)]))
    return sorted(members, key=lambda t: t.i)  # "Toddler killed, adult hurt": two counts, each with its own word


def _listed(head: Token, appos: Token) -> bool:
    """Whether a noun in apposition is one more in a list ("killed 2 adults, 2 teens", "kills husband, infant son")
    rather than the same people again ("the victim, a 23-year-old man", "his wife, Maria")."""
    if appos.pos_ != "NOUN" or appos.lemma_.lower() not in PERSON_NOUNS and appos.lower_ not in PERSON_NOUNS:
        return False
    if any(c.dep_ == "nummod" for c in appos.children):
        return True
    return not any(c.dep_ in ("det", "poss") for t in (head, appos) for c in t.children)


def _member_count(tok: Token) -> float | None:
    """How many people one member of a coordination is: "a man" 1, "Riley" 1, "two sons" 2, "a third man" 1,
    else None."""
    number = next((c for c in tok.children if c.dep_ == "nummod"), tok if tok.pos_ == "NUM" else None)
    if number is not None:
        return _count_value(number)
    if tok.pos_ == "PROPN" and (tok.ent_type_ == "PERSON" or tok.lower_ in PERSON_NOUNS):
        return 1.0  # "Riley", a headline's "Father"
    age_noun = tok.lower_ == "old" and tok.i >= 2 and tok.doc[tok.i - 2].lower_ in AGE_DIVISOR
    if tok.tag_ == "NN" and (tok.lemma_.lower() in PERSON_NOUNS or age_noun):
        return 1.0  # "two members of the band and a third musician": the ordinal one is one more
    return None


def _with_coordinated(sent: Span, m: Mention) -> tuple[int, Quantity]:
    """A count together with the people coordinated with it: "a girl and four other people" is 5."""
    doc = sent.doc
    target = _target(doc, m)
    members = _coordination(target)
    if len(members) < 2:
        return m.first, m.quantity
    extra = 0.0
    for member in members:
        if member.i != target.i:
            if member.i + 1 < len(doc) and _kind_of(doc[member.i + 1]) is not None:
                return m.first, m.quantity  # "three dead and 12 injured": a count with its own casualty word is its own
            count = _member_count(member)
            if count is None:
                return m.first, m.quantity
            extra += count
    q = m.quantity
    first = min(members[0].left_edge.i, m.first)
    last = max(members[-1].i + 1, m.last)
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    total = Quantity(text=doc[first:last].text, low=q.low + extra, high=q.high + extra, low_open=q.low_open,
                     high_open=q.high_open, unit=q.unit, approximate=q.approximate,
                     start=start - sent.start_char, end=end - sent.start_char)
    return first, total


def _count_value(number: Token) -> float | None:
    """The value of a number token: "12" or "twelve"."""
    value = digit_value(number.text)
    return value if value is not None else words_value(number.lower_)


def _is_ordinal(tok: Token) -> bool:
    return tok.ent_type_ == "ORDINAL" or (tok.like_num and tok.is_alpha and words_value(tok.lower_) is None)


def _word_readings(sent: Span) -> list[tuple[int, Casualty]]:
    """Counts said without a number: "a man was killed" (1), "both men died" (2), "no one was hurt" (0),
    "a double homicide" (2 killed)."""
    out: list[tuple[int, Casualty]] = []
    doc = sent.doc
    for tok in sent:
        low = tok.lower_
        if low in _MULTIPLE and tok.head.lemma_.lower() in _MULTIPLE_NOUNS and tok.head.i > tok.i:
            noun = tok.head
            kind = _MULTIPLE_NOUNS[noun.lemma_.lower()]
            out.append((tok.i, _casualty(sent, kind, tok.i, noun.i + 1, _MULTIPLE[low])))
            continue
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "ROOT"):  # ROOT: a headline's "Toddler killed, adult hurt"
            continue
        det = next((c for c in tok.children
                    if c.dep_ in ("det", "predet") or c.dep_ == "poss" and c.lower_ in _ONE_DETS), None)
        whole = _whole_of(tok) if low == "one" else None
        if whole is not None:  # "one of the five victims died": one dead, five shot
            kind = _governor_kind(tok)
            if kind in TOLL_KINDS:
                out.extend(_whole_shot(sent, whole))
            if kind == "killed":
                out.append((tok.i, _casualty(sent, kind, tok.i, tok.i + 1, 1.0)))
            continue
        if low == "one" and det is not None and det.lower_ == "no" or low in _NONE_SUBJECTS:
            if tok.i + 1 < sent.end and doc[tok.i + 1].lower_ in ("else", "other", "of"):
                continue  # "no one else was hurt": the victims before it are not in it
            kind = _verb_kind(tok.head)
            if kind:
                first = det.i if det is not None else tok.i
                out.append((first, _casualty(sent, kind, first, tok.i + 1, 0.0)))
            continue
        if low in ("injuries", "injury") and det is not None and det.lower_ == "no" \
                and not any(c.lower_ in ("other", "further", "more", "serious") for c in tok.children):
            out.append((det.i, _casualty(sent, "injured", det.i, tok.i + 1, 0.0)))  # "there were no injuries"
            continue
        age_noun = low == "old" and tok.i >= 2 and doc[tok.i - 2].lower_ in AGE_DIVISOR  # "a 17-year-old"
        named = tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON"
        person = low in PERSON_NOUNS or tok.lemma_.lower() in PERSON_NOUNS or age_noun or named
        if not person:
            continue
        ordinal = next((c for c in tok.children if _is_ordinal(c)), None)
        if ordinal is not None:  # "a third man died" is one more, not one in all: at least three
            rank = _ORDINALS.get(ordinal.lower_)
            kind = _governor_kind(tok) if rank else None
            if kind and det is not None and det.lower_ in ("a", "an", "the"):
                c = _casualty(sent, kind, det.i, tok.i + 1, rank, holder=f"{UNNAMED}{ordinal.lower_} {low}")
                out.append((det.i, Casualty(kind, replace(c.quantity, high=INF))))
            continue
        if tok.dep_ == "conj" or any(c.dep_ == "nummod" for c in tok.children):
            continue
        group = _coordination(tok)
        counts = [_member_count(t) for t in group]
        if len(group) > 1 and any(t.pos_ != "PROPN" and any(c.dep_ == "nummod" for c in t.children) for t in group):
            continue  # "a man and two teens": read with the number
        if len(group) > 1 and (None in counts or group[0].i != tok.i):
            continue
        singular = tok.tag_ == "NN" or age_noun or (tok.tag_ == "NNP" and low in PERSON_NOUNS)
        holder = None  # one person picked out: "the victim", "his wife", "Jordan Smith", a headline's "Teen"
        if det is not None:
            value = 1.0 if det.lower_ in _ONE_DETS and singular else 2.0 if det.lower_ == "both" else None
            first = det.i
            if value == 1.0 and det.lower_ not in ("a", "an"):
                holder = UNNAMED + doc[det.i + 1 : tok.i + 1].text.lower()
        elif named:
            first = next(t.i for t in tok.subtree if t.ent_type_ == "PERSON")  # "Jordan Smith was killed"
            value, holder = 1.0, doc[first : tok.i + 1].text.lower()
        elif singular and not any(c.dep_ in ("poss", "nmod") for c in tok.children):
            value, first = 1.0, tok.left_edge.i  # a headline's "Teen injured in shooting", often one of several
            holder = UNNAMED + doc[first : tok.i + 1].text.lower()
        else:
            continue
        kind = _governor_kind(tok) if value is not None else None
        if kind:
            if len(group) > 1:
                value, holder = sum(counts), None
            out.append((first, _casualty(sent, kind, first, group[-1].i + 1, value, holder=holder)))
    return out


def _casualty(sent: Span, kind: str, first: int, last: int, value: float, holder: str | None = None) -> Casualty:
    doc = sent.doc
    start, end = doc[first].idx, doc[last - 1].idx + len(doc[last - 1].text)
    return Casualty(kind, Quantity(text=doc[first:last].text, low=value, high=value, unit="people",
                                   start=start - sent.start_char, end=end - sent.start_char, holder=holder))


def casualties(sent: Span | Doc) -> tuple[Casualty, ...]:
    """How many were killed, injured or shot, as stated in a sentence (or in each sentence of a Doc).

    A quantity counting people (no unit, or a person noun) is a casualty count when a casualty word
    governs it: its verb ("killed 16 people", "61 people have died", "injuring more than 200", "shot and
    wounded", "shot dead", "fatally shot", "suffered injuries"), the word right after it ("32 killed", "two
    dead", "4 injured", "16 shot"), or a modifier ("two people killed in the crash", "one fatally", "a boy who
    was shot"); "the toll
    rose to 32" counts the dead. "shot" with no outcome is kind "shot" (killed or wounded), and so is "suffered
    a gunshot wound" ("a fatal gunshot wound" is killed). The subject of an active verb with a victim for object
    is the one who shot and is not counted ("a woman fatally shot her husband and her son" is two killed).
    Ranges are read ("between 20 and 30 people were hurt" is 20 to 30 injured), and lists ("killed 3 adults, 2
    children" is five). Counts without a number: "a man was killed" is one, and so are "his wife", "the victim",
    a person's name and a headline's "Teen wounded" (these carry a `Quantity.holder`: one person picked out,
    whom `article_toll` takes last); "both men died" is two, "a double homicide" two killed, "a triple
    shooting" three shot; "a third victim died" is at least three killed; "no one was injured", "nobody was
    hurt", "there were no injuries" are zero; "no one else was hurt" is not read (it counts only some of the
    victims). Parts of a whole: "one of the four victims died" is one killed and four shot; "three of them
    were injured" is no injured count (the others may be hurt worse, or dead), nor is "two critically injured"
    beside "four shot". A negated verb ("was not injured") reads nothing. A gunman who killed himself is one of
    the dead: "killed 3 people, then himself", "killing 2, then himself", "7 slain by a gunman who then killed
    himself", "killed his two sons before turning the gun on himself" count him. Readings are in sentence
    order; offsets are relative to the sentence they come from.
    """
    if not hasattr(sent, "start_char"):
        return tuple(c for s in sent.sents for c in casualties(s))
    if not any(_kind_of(t) or t.lower_ in _MULTIPLE or t.lower_ in _WOUND_NOUNS for t in sent):
        return ()
    doc = sent.doc
    found: list[tuple[int, Casualty]] = []
    graded: list[Casualty] = []
    suicide = _suicide(sent)
    for m in mentions(sent):
        kind = _reading(sent, m)
        if kind is None:
            continue
        target = _target(doc, m)
        whole = _whole_of(target)
        if whole is not None and kind in TOLL_KINDS:
            found.extend(_whole_shot(sent, whole))
            if kind == "injured":
                continue  # "three of the men suffered minor injuries": the others may be hurt worse, or dead
        first, quantity = _with_coordinated(sent, m)
        casualty = Casualty(kind, quantity)
        if suicide is not None and kind == "killed" and first < suicide \
                and _killed_by_someone(_coordination(target)[0]):
            casualty = _plus_shooter(sent, casualty, suicide)  # the killer's victims, then himself
        if kind == "injured" and _graded(target):
            graded.append(casualty)
        found.append((first, casualty))
    found.extend(_word_readings(sent))
    if graded:  # "four shot, two critically injured": the two are some of the four
        found = [(i, c) for i, c in found if not (c in graded and any(
            o.kind in ("shot", "injured") and o.quantity.low > c.quantity.high for _, o in found))]
    found.sort(key=lambda pair: pair[0])
    return tuple(c for _, c in found)


def _whole_of(tok: Token) -> Token | None:
    """The group a count is part of: "them" in "two of them", "victims" in "three of the five victims"."""
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    whole = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    if whole is None:
        return None
    if whole.lower_ in ("them", "those", "these", "us") or any(c.dep_ in ("det", "poss") for c in whole.children):
        return whole
    return None


def _whole_shot(sent: Span, whole: Token) -> list[tuple[int, Casualty]]:
    """ "two of the four victims died": the four were shot (the outcome of the others is not said)."""
    number = next((c for c in whole.children if c.dep_ == "nummod"), None)
    if number is None:
        return []
    value = _count_value(number)
    if value is None or whole.lemma_.lower() not in PERSON_NOUNS:
        return []
    return [(number.i, _casualty(sent, "shot", number.i, whole.i + 1, value))]


def _graded(tok: Token) -> bool:
    """Whether the casualty word of a count grades the harm: "two critically injured", "were seriously wounded"."""
    words = [tok.head, *(c for c in tok.children if c.dep_ in ("acl", "amod", "relcl"))]
    return any(c.dep_ == "advmod" and c.lower_ in _SEVERITY for w in words for c in w.children)


def _suicide(sent: Span) -> int | None:
    """Where a sentence says the gunman killed himself: "then killed himself", "killing 2, then himself",
    "before taking his own life", "fatally shot himself", "turned the gun on himself", "committed suicide".
    None when it does not. (The Gun Violence Archive counts a shooter who turned the gun on himself among the
    dead; "shot himself" alone is not said to be fatal.)"""
    for tok in sent:
        low = tok.lower_
        if low in _REFLEXIVES and tok.dep_ in ("dobj", "conj", "pobj", "npadvmod"):
            head = tok.head
            if head.dep_ == "prep" and head.lower_ == "on":  # "turned the gun on himself"
                verb = head.head
                if verb.lemma_ == "turn" and any(c.dep_ == "dobj" and c.lemma_ in _WEAPONS for c in verb.children):
                    return tok.i
                continue
            verb = head
            while verb.pos_ not in ("VERB", "AUX") and verb.dep_ in ("conj", "dobj", "appos") and verb.head.i != verb.i:
                verb = verb.head  # "killed three people and himself", "killing 2, then himself"
            if verb.pos_ == "VERB" and _verb_kind(verb) == "killed":
                return tok.i
        elif tok.lemma_ == "life" and any(c.lower_ == "own" for c in tok.children) and tok.head.lemma_ == "take":
            return tok.i
        elif tok.lemma_ == "suicide" and tok.dep_ == "dobj" and tok.head.lemma_ == "commit":
            return tok.i
    return None


def _killed_by_someone(tok: Token) -> bool:
    """ "killed 3 people", "7 were slain by a gunman", "Two boys killed": the count is of those someone killed,
    not of all the dead ("four are dead", "three people died")."""
    if tok.dep_ in ("dobj", "nsubjpass"):
        return True
    verb = tok.head
    return tok.dep_ == "nsubj" and verb.tag_ == "VBN" and verb.lemma_.lower() not in _INTRANSITIVE \
        and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _plus_shooter(sent: Span, c: Casualty, suicide: int) -> Casualty:
    """ "killed 3 people, then himself" is four dead: the count of those he killed grows by one."""
    q = c.quantity
    doc = sent.doc
    end = doc[suicide].idx + len(doc[suicide].text)
    return Casualty("killed", Quantity(
        text=sent.text[q.start : end - sent.start_char], low=q.low + 1, high=q.high + 1, low_open=q.low_open,
        high_open=q.high_open, unit=q.unit, approximate=q.approximate, start=q.start, end=end - sent.start_char))


# --- an article's toll --------------------------------------------------------------------------------------

TOLL_KINDS = ("killed", "injured")
INFERRED_NO_DEATH, INFERRED_LESS = " (no death mentioned)", " less "  # marks on readings inferred from a "shot" count
_DEATH_LEMMAS = {"kill", "die", "dead", "death", "fatal", "fatally", "murder", "homicide", "slay", "slain"}
# A count over a period or a place wider than one incident is a statistic, not this story's toll: "more than 500
# people died in 2013 from accidental gunshots", "13 toddler shooting deaths this year", "39 people were shot
# across the city over the holiday weekend".
AGGREGATE = re.compile(
    r"\b(?:this|last|each|every|per|a|the past|so far this) (?:year|month)\b|\b(?:in|of) (?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? )?(?:19|20)\d\d\b|\bsince (?:19|20)\d\d\b"
    r"|\bso far\b|\bacross (?:the )?(?:city|country|state|nation|region|county|u\.?s\.?|america|[A-Z][a-z]+)\b|\bnationwide\b"
    r"|\bannually\b|\bstatistics?\b|\bin \d+ (?:hours|days)\b|\b\d+-hour (?:span|period)\b|\bweekend (?:of )?(?:violence|shootings)\b"
    r"|\b(?:separate|several|multiple|two|three|four|five|different) (?:\w+ )?(?:shootings|incidents|attacks)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TollReading:
    """How many an article says were killed (or injured), and the sentence saying it."""

    kind: str  # "killed" | "injured"
    quantity: Quantity
    sentence: int  # `Sentence.index` of the evidence
    evidence: str
    inferred: bool = False  # from a count of people shot: "two were shot" and no word of a death is 0 killed


def toll_statements(sentences: Sequence[Sentence]) -> Iterator[Sentence]:
    """The sentences stating casualties of this story: those with a casualty count that is no statistic (`AGGREGATE`)."""
    return (s for s in sentences if s.casualties and not AGGREGATE.search(s.text))


def article_toll(sentences: Sequence[Sentence]) -> dict[str, TollReading]:
    """The killed and injured counts an article states: for each, its FIRST statement in text order (headline
    first): the headline or the lede states the toll, later sentences tell of other victims, other shootings and
    earlier counts (`bench/numbers.py` measures this against the Gun Violence Archive's record). A count of one
    person picked out ("the victim died", "Jordan Smith was wounded", a headline's "Teen killed": a
    `Quantity.holder`) or of "a third victim" comes last: such a sentence tells of one of the victims, and a
    count of all of them, later on, is the toll.

    A count of people "shot" (outcome not stated) completes it as the archive counts (everyone shot who did not
    die is injured): with no word of a death anywhere in the article, killed is 0 (so it is, too, when only the
    injured are counted); with no injured statement, injured is shot minus killed ("16 shot, one fatally" is 15
    injured), and so it is when the injured statement comes after the shot count and counts fewer ("Four shot"
    then "two were critically injured": the two are some of them). A shot count smaller than the dead is of some
    victims only and completes nothing."""
    first: dict[str, tuple[Casualty, Sentence]] = {}
    known: dict[str, tuple[Casualty, Sentence]] = {}
    for sentence in toll_statements(sentences):
        for casualty in sentence.casualties:
            (known if casualty.quantity.holder is not None else first).setdefault(casualty.kind, (casualty, sentence))
        if len(first) == 3:
            break
    for kind, pair in known.items():
        first.setdefault(kind, pair)
    out = {kind: TollReading(kind, c.quantity, s.index, s.text) for kind, (c, s) in first.items() if kind in TOLL_KINDS}
    no_death = not any(lemma in _DEATH_LEMMAS for s in sentences for lemma in s.lemmas)
    counted = first.get("shot") or first.get("injured")
    if "killed" not in out and no_death and counted is not None:
        said = counted[1]
        out["killed"] = TollReading("killed", Quantity(f"{counted[0].quantity.text}{INFERRED_NO_DEATH}", 0.0, 0.0,
                                                       unit="people"), said.index, said.text, inferred=True)
    if "shot" not in first or "killed" not in out:
        return out
    shot, said = first["shot"][0].quantity, first["shot"][1]
    killed, injured = out["killed"].quantity, out.get("injured")
    if shot.low < killed.high:
        return out  # "the gunman also shot his father" after "killed three": some of the victims
    if injured is not None and not injured.inferred and said.index < injured.sentence \
            and shot.low - killed.high > injured.quantity.high:
        del out["injured"]  # "Four people were shot" ... "two were critically injured"
    if "injured" not in out:
        low, high = max(0.0, shot.low - killed.high), max(0.0, shot.high - killed.low)
        out["injured"] = TollReading("injured", Quantity(f"{shot.text}{INFERRED_LESS}{killed.text}", low, high, unit="people",
                                                         approximate=shot.approximate or killed.approximate),
                                     said.index, said.text, inferred=True)
    return out
