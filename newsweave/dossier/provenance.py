"""Who credits whom, and how many independent sources stand behind a claim.

An article's upstream sources are the news outlets it credits: a wire dateline ("(CPA)"), "according to
documents viewed by The Meridian Post", "the Post reported", "citing ...", or a copy of an earlier
article's text. A claim's independent sources are the distinct roots of its mentions once every
mention is traced to the outlet that reported it: three outlets retelling one newspaper's scoop are
one source; an outlet that adds its own reporting counts for itself. Which outlet a credited name means
is `newsweave.outlets`'s to decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from newsweave.dossier.dedupe import Copy
from newsweave.model import TITLE_PARAGRAPH, AnalyzedArticle, Article, Citation, Sentence
from newsweave.outlets import Outlets, dateline_agency, outlet_key

MAX_SOURCE_WORDS = 6  # "the Post", "documents viewed by The Meridian Post": longer spans are clauses, not names


def article_citations(item: AnalyzedArticle, outlets: Outlets) -> tuple[Citation, ...]:
    """The upstream outlets an article credits, each with the first sentence (or dateline) showing it."""
    own = outlet_key(item.article.outlet)
    found: dict[str, Citation] = {}
    agency = dateline_agency(item.article.dateline)
    resolved = outlets.resolve(agency) if agency else None
    if resolved and resolved[0] != own:
        found[resolved[0]] = Citation(resolved[1], resolved[0], item.article.dateline or "", "dateline", None)
    for sentence in sorted(item.sentences, key=lambda s: s.paragraph == TITLE_PARAGRAPH):  # the body's evidence first
        for key, display, cue in _credited(sentence, outlets, own):
            found.setdefault(key, Citation(display, key, sentence.text, cue, sentence.index))
    return tuple(found.values())


def _credited(sentence: Sentence, outlets: Outlets, own: str) -> Iterable[tuple[str, str, str]]:
    for attribution in sentence.attributions:
        names: list[str | None] = []
        if attribution.source and attribution.source_span:  # the organisations named in the source span first
            start, end = attribution.source_span
            names += [e.text for e in sentence.entities if e.label == "ORG" and e.start >= start and e.end <= end]
        if attribution.source and len(attribution.source.split()) <= MAX_SOURCE_WORDS:
            names.append(attribution.source)
        if attribution.recipient:
            names.append(attribution.recipient)
        for name in names:
            resolved = outlets.resolve(name)
            if resolved and resolved[0] != own:
                yield resolved[0], resolved[1], attribution.cue
                break


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one mention of a claim comes from: the outlet that reported it, and how we know."""

    key: str
    source: str  # display name
    via: str  # "own reporting", "credits <outlet>", "copy of <article id>", "attributed in the sentence"


def mention_origins(
    mentions: Sequence[tuple[AnalyzedArticle, Sentence]],
    cites: Mapping[str, tuple[Citation, ...]],
    copies: Mapping[str, Copy],
    articles: Mapping[str, Article],
    outlets: Outlets,
) -> list[Origin]:
    """The origin of each mention of one claim (see the module docstring for the rules)."""
    own_keys = {outlet_key(item.article.outlet) for item, _ in mentions}
    cited_by_others: dict[str, int] = {}
    for item, _ in mentions:
        for c in cites.get(item.article.id, ()):
            cited_by_others[c.key] = cited_by_others.get(c.key, 0) + 1
    origins = []
    for item, sentence in mentions:
        article = item.article
        own = outlet_key(article.outlet)
        in_sentence = next(iter(_credited(sentence, outlets, own)), None)
        if in_sentence:
            origins.append(Origin(in_sentence[0], in_sentence[1], "attributed in the sentence"))
            continue
        copy = copies.get(article.id)
        if copy and copy.original in articles:
            original = articles[copy.original]
            origins.append(Origin(outlet_key(original.outlet), original.outlet or original.source, f"copy of {copy.original}"))
            continue
        shared = [
            c for c in cites.get(article.id, ())
            if c.key in own_keys or cited_by_others.get(c.key, 0) > 1
        ]
        if shared:
            origins.append(Origin(shared[0].key, shared[0].source, f"credits {shared[0].source}"))
            continue
        origins.append(Origin(own, article.outlet or article.source, "own reporting"))
    return origins
