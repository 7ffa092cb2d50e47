"""Who credits whom, and how many independent sources stand behind a claim.

An article's upstream sources are the news outlets it credits: a wire dateline ("(CPA)"), "according to
documents viewed by The Meridian Post", "the Post reported", "citing ...", or a copy of an earlier
article's text. A claim's independent sources are the distinct roots of its mentions once every
mention is traced to the outlet that reported it: three outlets retelling one newspaper's scoop are
one source; an outlet that adds its own reporting counts for itself. Which outlet a credited name means
is `newsweave.outlets`'s to decide; an article of no known outlet is a source of its own
(`outlets.article_source`).

Counting (`independent_sources`): the most roots that can each be paired with a different source among
the mentions (a maximum bipartite matching of sources to the roots their mentions trace to). Five
outlets retelling one scoop are one source; two outlets reporting on their own are two; and the count
never exceeds the distinct sources among the mentions, so a story's (over all its claims' mentions)
never exceeds its articles, however many outlets one article credits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from newsweave.dossier.dedupe import Copy
from newsweave.model import TITLE_PARAGRAPH, AnalyzedArticle, Article, Citation, Sentence
from newsweave.outlets import Outlets, article_source, dateline_agency

MAX_SOURCE_WORDS = 6  # "the Post", "documents viewed by The Meridian Post": longer spans are clauses, not names


def article_citations(item: AnalyzedArticle, outlets: Outlets) -> tuple[Citation, ...]:
    """The upstream outlets an article credits, each with the first sentence (or dateline) showing it."""
    own = article_source(item.article).key
    found: dict[str, Citation] = {}
    agency = dateline_agency(item.article.dateline)
    resolved = outlets.resolve(agency) if agency else None
    if resolved and resolved[0] != own:
        found[resolved[0]] = Citation(resolved[1], resolved[0], item.article.dateline or "", "dateline", None)
    ordered = sorted(item.sentences, key=lambda s: s.paragraph == TITLE_PARAGRAPH)  # the body's evidence first
    # Upstreams named in full come first, so that a short reference ("the Ledger", "the newspaper") anywhere in
    # the article resolves to the one it names in full rather than counting as a second upstream.
    named = {key: display for sentence in ordered for key, display, _ in _credited(sentence, outlets, own)
             if len(key.split()) > 1 or key in outlets.names}  # "The Harbor Ledger", not "The Ledger"
    resolver = outlets.with_upstreams(named)
    for sentence in ordered:
        for key, display, cue in _credited(sentence, resolver, own):
            found.setdefault(key, Citation(display, key, sentence.text, cue, sentence.index))
    return tuple(found.values())


def article_resolver(outlets: Outlets, cites: Sequence[Citation]) -> Outlets:
    """The outlets as one article's sentences refer to them: with the upstreams it credits (`article_citations`)."""
    ordered = sorted(cites, key=lambda c: c.cue == "dateline")  # "the newspaper" is rather one the text credits
    return outlets.with_upstreams({c.key: c.source for c in ordered})


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
    own_keys = {article_source(item.article).key for item, _ in mentions}
    cited_by_others: dict[str, int] = {}
    for item, _ in mentions:
        for c in cites.get(item.article.id, ()):
            cited_by_others[c.key] = cited_by_others.get(c.key, 0) + 1
    origins = []
    for item, sentence in mentions:
        article = item.article
        source = article_source(article)
        resolver = article_resolver(outlets, cites.get(article.id, ()))
        in_sentence = next(iter(_credited(sentence, resolver, source.key)), None)
        if in_sentence:
            origins.append(Origin(in_sentence[0], in_sentence[1], "attributed in the sentence"))
            continue
        copy = copies.get(article.id)
        if copy and copy.original in articles:
            original = article_source(articles[copy.original])
            origins.append(Origin(original.key, original.name, f"copy of {copy.original}"))
            continue
        shared = [
            c for c in cites.get(article.id, ())
            if c.key in own_keys or cited_by_others.get(c.key, 0) > 1
        ]
        if shared:
            origins.append(Origin(shared[0].key, shared[0].source, f"credits {shared[0].source}"))
            continue
        origins.append(Origin(source.key, source.name, "own reporting"))
    return origins


def independent_sources(links: Iterable[tuple[str, str]]) -> int:
    """How many independent sources stand behind some mentions, given (source key, origin key) of each: the
    size of a maximum matching of sources to origins (scipy's Hopcroft-Karp), so each origin counted is
    vouched for by a source of its own. Never more than the distinct sources, nor than the distinct origins."""
    pairs = set(links)
    if not pairs:
        return 0
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_bipartite_matching

    sources = {s: n for n, s in enumerate(dict.fromkeys(s for s, _ in pairs))}
    origins = {o: n for n, o in enumerate(dict.fromkeys(o for _, o in pairs))}
    rows, cols = zip(*((sources[s], origins[o]) for s, o in pairs))
    graph = csr_array(([1] * len(rows), (rows, cols)), shape=(len(sources), len(origins)))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
