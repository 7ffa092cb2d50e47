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
from newsweave.nlp.cues import ATTITUDE, DOCUMENT_NOUNS
from newsweave.model import TITLE_PARAGRAPH, AnalyzedArticle, Article, Attribution, Citation, Sentence, normalise_for_id
from newsweave.outlets import Outlets, article_source, dateline_agency, independence_key
from newsweave.sources import known_sources, wire_credits

WIRE_COPY = "wire copy"  # the cue of a citation saying the article carries a wire's copy (`sources.wire_credits`)
MAX_SOURCE_WORDS = 6  # "the Post", "documents viewed by The Meridian Post": longer spans are clauses, not names


def article_citations(item: AnalyzedArticle, outlets: Outlets) -> tuple[Citation, ...]:
    """The upstream outlets an article credits, each with the first sentence (or dateline) showing it."""
    own = article_source(item.article).key
    found: dict[str, Citation] = {}
    article = item.article
    for credit in wire_credits(article.text, dateline=article.dateline, author=article.author,
                               removed=[line.text for line in article.removed], sources=known_sources()):
        key, display = outlets.resolve(credit.wire.name) or (credit.wire.name, credit.wire.name)
        if key != own:  # a wire's own article carries its own copy
            found.setdefault(key, Citation(display, key, credit.evidence, f"{WIRE_COPY} ({credit.where})", None))
    agency = dateline_agency(article.dateline)
    resolved = outlets.resolve(agency) if agency else None
    if resolved and resolved[0] != own:
        found.setdefault(resolved[0], Citation(resolved[1], resolved[0], article.dateline or "", "dateline", None))
    ordered = sorted(item.sentences, key=lambda s: s.paragraph == TITLE_PARAGRAPH)  # the body's evidence first
    # Upstreams named in full come first, so that a short reference ("the Ledger", "the newspaper") anywhere in
    # the article resolves to the one it names in full rather than counting as a second upstream.
    credited = {key: display for sentence in ordered for key, display, _ in _credited(sentence, outlets, own)}
    named = {key: display for key, display in credited.items()  # "The Harbor Ledger", not "The Ledger" beside it
             if (len(key.split()) > 1 or key in outlets.names) and not any(k.endswith(" " + key) for k in credited)}
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
        if attribution.kind == ATTITUDE:
            continue  # "The Times endorsed Clinton" tells of the Times; it does not take the story from it
        for name in _source_names(sentence, attribution) + ([attribution.recipient] if attribution.recipient else []):
            resolved = outlets.resolve(name)
            if resolved and resolved[0] != own:
                yield resolved[0], resolved[1], attribution.cue
                break


def _source_names(sentence: Sentence, attribution: Attribution) -> list[str]:
    """The names an attribution's source may be an outlet by: the organisations named in its span first, then the
    whole source if it is short ("the Post", "the newspaper")."""
    names = []
    if attribution.source and attribution.source_span:
        start, end = attribution.source_span
        names += [e.text for e in sentence.entities if e.label == "ORG" and e.start >= start and e.end <= end]
    if attribution.source and len(attribution.source.split()) <= MAX_SOURCE_WORDS:
        names.append(attribution.source)
    return names


def source_outlet(sentence: Sentence, source: str, outlets: Outlets) -> str | None:
    """The outlet (display name) that the attribution of `sentence` with source text `source` names, as one
    article's sentences refer to outlets (`article_resolver`): "the Post", "the newspaper" -> "The Meridian Post"."""
    for attribution in sentence.attributions:
        if attribution.source == source:
            for name in _source_names(sentence, attribution):
                resolved = outlets.resolve(name)
                if resolved:
                    return resolved[1]
    return None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one mention of a claim comes from: the outlet that reported it, and how we know."""

    key: str
    source: str  # display name
    via: str  # "own reporting", "credits <outlet>", "copy of <article id>", "attributed in the sentence"
    carried: bool = False  # from an upstream other articles of the story share (or a copy): not the outlet's own addition
    copy_of: str | None = None  # the article this mention's article copies: it vouches for nothing the original does not


def mention_origins(
    mentions: Sequence[tuple[AnalyzedArticle, Sentence]],
    cites: Mapping[str, tuple[Citation, ...]],
    copies: Mapping[str, Copy],
    articles: Mapping[str, Article],
    outlets: Outlets,
    quoted: Mapping[str, int] | None = None,
) -> list[Origin]:
    """The origin of each mention of one claim. `cites` and `articles` are the whole story's (by article id);
    `quoted`: how many of the story's articles attribute statements to each speaker (`speaker_key`).

    - a copy of another article: where the original's mention traces to when it states the claim too, else the
      original's source; carried;
    - credited in the sentence ("..., the Post reported"): that outlet; carried when the story shares it (an
      outlet of the story, or credited by another article), else the article's own source it quotes;
    - an article carrying a wire's copy (its dateline, byline or credit line: `sources.wire_credits`): the wire,
      carried, unless the sentence quotes a speaker of its own that no other article quotes;
    - an article crediting an upstream that states the claim too (an outlet among its mentions), or one
      the story shares without its article (credited by another article too): that upstream, carried,
      unless the sentence quotes a speaker of its own that no other article quotes (its own reporting); an
      upstream whose article is in the story and does not state it did not give it;
    - else the article's own source, own reporting.
    """
    story_keys = {article_source(a).key for a in articles.values()}
    own_keys = {article_source(item.article).key for item, _ in mentions}
    cited_by: dict[str, int] = {}
    for article_cites in cites.values():
        for c in article_cites:
            cited_by[c.key] = cited_by.get(c.key, 0) + 1
    quoted = quoted or {}
    origins: list[Origin] = []
    copied: list[tuple[int, Copy]] = []
    for item, sentence in mentions:
        article = item.article
        source = article_source(article)
        copy = copies.get(article.id)
        if copy and copy.original in articles:
            original = article_source(articles[copy.original])
            copied.append((len(origins), copy))
            origins.append(Origin(original.key, original.name, f"copy of {copy.original}", True, copy.original))
            continue
        in_sentence = next(iter(_credited(sentence, article_resolver(outlets, cites.get(article.id, ())), source.key)), None)
        if in_sentence:
            shared = in_sentence[0] in story_keys or cited_by.get(in_sentence[0], 0) > 1
            origins.append(Origin(in_sentence[0], in_sentence[1], "attributed in the sentence", shared))
            continue
        shared = [c for c in cites.get(article.id, ()) if c.cue.startswith(WIRE_COPY) or c.key in own_keys
                  or c.key not in story_keys and cited_by.get(c.key, 0) > 1]
        own_speaker = any(quoted.get(speaker_key(a.source), 0) == 1 for a in sentence.attributions
                          if a.kind != ATTITUDE and is_speaker(a.source))
        if shared and not own_speaker:
            origins.append(Origin(shared[0].key, shared[0].source, f"credits {shared[0].source}", True))
            continue
        origins.append(Origin(source.key, source.name, "own reporting"))
    # a copy says what its original says, from where the original has it: the origin of the original's mention of the
    # same sentence (else its first) when the original states the claim too
    of_article: dict[str, list[tuple[str, Origin]]] = {}
    for n, (item, sentence) in enumerate(mentions):
        if item.article.id not in copies:
            of_article.setdefault(item.article.id, []).append((normalise_for_id(sentence.text), origins[n]))
    for n, copy in copied:
        stated = of_article.get(copy.original)
        if stated:
            text = normalise_for_id(mentions[n][1].text)
            upstream = next((o for t, o in stated if t == text), stated[0][1])
            origins[n] = Origin(upstream.key, upstream.source, f"copy of {copy.original}", True, copy.original)
    return _follow_chains(origins, [article_source(item.article).key for item, _ in mentions])


def _follow_chains(origins: list[Origin], sources: list[str]) -> list[Origin]:
    """A mention crediting an outlet whose own mention of the claim credits another traces to that other: the
    chain the Valley Record-Journal -> the Lakeside Courier -> AP ends at AP."""
    further = {}
    for source, origin in zip(sources, origins):
        if origin.key != source:
            further.setdefault(source, origin)
    out = []
    for origin in origins:
        seen = {origin.key}
        while origin.key in further and further[origin.key].key not in seen:
            upstream = further[origin.key]
            seen.add(upstream.key)
            origin = Origin(upstream.key, upstream.source, origin.via, True, origin.copy_of)
        out.append(origin)
    return out


def is_speaker(name: str | None) -> bool:
    """Whether an attribution's source is someone an outlet can quote ("a resident", "Mayor Diaz"), not papers
    it read ("the documents show", "records show": those are the upstream's)."""
    if not name:
        return False
    words = speaker_key(name).split()
    return bool(words) and words[-1].rstrip("s") not in DOCUMENT_NOUNS and words[-1] not in DOCUMENT_NOUNS


def speaker_key(name: str) -> str:
    """One key for the spellings of a speaker: "the minister", "The Minister"."""
    return " ".join(name.lower().removeprefix("the ").split())


def story_speakers(items: Iterable[AnalyzedArticle]) -> dict[str, int]:
    """How many articles attribute statements to each speaker (`speaker_key`): `mention_origins`'s `quoted`."""
    counts: dict[str, int] = {}
    for item in items:
        for key in {speaker_key(a.source) for s in item.sentences for a in s.attributions
                    if a.kind != ATTITUDE and is_speaker(a.source)}:
            counts[key] = counts.get(key, 0) + 1
    return counts


def mention_links(mentions: Iterable[tuple[Article, Origin]], articles: Mapping[str, Article]) -> list[tuple[str, str]]:
    """(source key, origin key) of each mention, for `independent_sources`: a copy's mention is its original's
    source's when the original states it too (a copy vouches for nothing its original does not, and a source
    that does not state it is never counted)."""
    mentions = list(mentions)
    stating = {article.id for article, _ in mentions}
    links = []
    for article, origin in mentions:
        vouching = articles[origin.copy_of] if origin.copy_of in stating and origin.copy_of in articles else article
        links.append((article_source(vouching).key, origin.key))
    return links


def independent_sources(links: Iterable[tuple[str, str]]) -> int:
    """How many independent sources stand behind some mentions, given (source key, origin key) of each: the
    size of a maximum matching of sources to origins (scipy's Hopcroft-Karp), so each origin counted is
    vouched for by a source of its own. Never more than the distinct sources, nor than the distinct origins."""
    pairs = {(independence_key(s), independence_key(o)) for s, o in links}  # one family of outlets counts once
    if not pairs:
        return 0
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_bipartite_matching

    sources = {s: n for n, s in enumerate(dict.fromkeys(s for s, _ in pairs))}
    origins = {o: n for n, o in enumerate(dict.fromkeys(o for _, o in pairs))}
    rows, cols = zip(*((sources[s], origins[o]) for s, o in pairs))
    graph = csr_array(([1] * len(rows), (rows, cols)), shape=(len(sources), len(origins)))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())
