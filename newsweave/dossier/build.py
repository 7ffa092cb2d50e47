"""A story's dossier: its articles, their claims aligned, conflicts, unique details, and how many
independent sources stand behind each claim. The stages in order, for one story."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Mapping, Sequence

from newsweave.config import DEFAULT_EMBEDDER
from newsweave.dossier.claims import Embedder, Mention, cluster_claims, default_model, similarity_matrix
from newsweave.dossier.compare import Conflict, Statement, Variant, story_conflicts, wording_variants
from newsweave.dossier.dedupe import Copy, find_copies
from newsweave.dossier.facts import Fact, key_facts
from newsweave.dossier.provenance import (
    Origin, article_citations, article_resolver, independent_sources, mention_links, mention_origins, source_outlet,
    story_speakers,
)
from newsweave.model import AnalyzedArticle, Article, Sentence, StoryGroup
from newsweave.nlp.cues import ATTITUDE
from newsweave import nlp as language  # its names load on first use: spaCy only once a story is analysed
from newsweave.outlets import Outlets

if TYPE_CHECKING:  # spaCy is heavy to import; a pipeline is only passed through here
    from spacy.language import Language

CORROBORATED = "corroborated"
SINGLE_SOURCE = "single-source"
DISPUTED = "disputed"
UPDATED = "updated"  # every conflict of the claim is a number the later reports changed (`updated`)
SAID_BY_SHARE = 0.4  # "The mayor said on Tuesday that the bridge would reopen": the content is 60% of the sentence


@dataclass(frozen=True, slots=True)
class SaidBy:
    """Who a sentence credits with the claim it states, by which cue: "the mayor" / "said" / "quote"."""

    source: str  # as the sentence writes it: "she", "the provincial governor, Kemal Yavuz"
    cue: str
    kind: str  # the attribution's kind: "quote", "reported", "according_to", "citing", "documents"
    speaker: str  # who that is: the outlet "the Post" stands for; for "he" or "she", the person last named; else `source`


@dataclass(frozen=True, slots=True)
class ClaimMention:
    article: str
    sentence: int  # index into the article's analysed sentences
    text: str  # the whole sentence, as evidence
    claim_text: str  # the clause of it that states the claim (the whole sentence unless it carries two facts)
    origin: Origin
    said_by: SaidBy | None = None  # whom the sentence credits with it ("the mayor said"); None: the outlet's own voice


@dataclass(frozen=True, slots=True)
class FirstReport:
    """The article that stated a claim first, and how that is known: "published" (the earliest published time among
    its articles) or "article order" (none of them is dated: the first in the story's order, which then says
    nothing about time)."""

    article: str
    by: str


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    text: str
    mentions: tuple[ClaimMention, ...]
    independent_sources: int
    status: str
    conflicts: tuple[Conflict, ...] = ()
    variants: tuple[Variant, ...] = ()
    first: FirstReport | None = None  # which article stated it first (`first_report`)

    @property
    def unique(self) -> bool:
        """Stated by one article only: that outlet's unique detail."""
        return len({m.article for m in self.mentions}) == 1

    @property
    def origins(self) -> tuple[Origin, ...]:
        return tuple({o.key: o for o in (m.origin for m in self.mentions)}.values())


@dataclass(frozen=True, slots=True)
class StoryDossier:
    id: str
    headline: str
    articles: tuple[AnalyzedArticle, ...]  # oldest first
    claims: tuple[Claim, ...]
    copies: tuple[Copy, ...] = ()
    facts: tuple[Fact, ...] = ()  # the key facts at a glance (`facts.key_facts`)

    @property
    def conflicts(self) -> tuple[tuple[Claim, Conflict], ...]:
        return tuple((c, k) for c in self.claims for k in c.conflicts)

    @property
    def independent_sources(self) -> int:
        """Independent sources behind the story's claims, counted over all their mentions as for one claim
        (`provenance.independent_sources`): never more than its sources, so never more than its articles."""
        articles = {item.article.id: item.article for item in self.articles}
        return independent_sources(mention_links(((articles[m.article], m.origin) for c in self.claims for m in c.mentions), articles))


def build_dossier(story: StoryGroup, *, embedder: Embedder | str | None = DEFAULT_EMBEDDER, nlp: Language | None = None) -> StoryDossier:
    """Analyse one story's articles and compare what they say. `embedder`: an embedder, the name of one
    (`nlp.EMBEDDERS`), or None for claim alignment without sentence embeddings."""
    return build_dossiers([story], embedder=embedder, nlp=nlp)[0]


def build_dossiers(
    stories: Sequence[StoryGroup], *, embedder: Embedder | str | None = DEFAULT_EMBEDDER, nlp: Language | None = None
) -> list[StoryDossier]:
    """Dossiers of many stories, their articles analysed in one spaCy stream (small stories one by one
    would leave spaCy's batching half empty)."""
    articles = [a for s in stories for a in s.articles]
    analyzed = {item.article.id: item for item in language.analyze_articles(articles, nlp)}
    embedder = _embedder(embedder)
    return [story_dossier(story, analyzed, embedder=embedder) for story in stories]


def story_dossier(
    story: StoryGroup, analyzed: Mapping[str, AnalyzedArticle], *, embedder: Embedder | str | None = DEFAULT_EMBEDDER
) -> StoryDossier:
    """One story's dossier from its articles analysed already (by article id): the story-level steps alone."""
    outlets = Outlets.of(story.articles)
    items = language.resolve_story_entities([analyzed[a.id] for a in story.articles], outlets.names.values())
    return dossier_from_analyzed(story.id, items, embedder=embedder, outlets=outlets)


def dossier_from_analyzed(
    story_id: str, analyzed: Sequence[AnalyzedArticle], *, embedder: Embedder | str | None = DEFAULT_EMBEDDER,
    outlets: Outlets | None = None,
) -> StoryDossier:
    embedder = _embedder(embedder)
    articles = [item.article for item in analyzed]
    outlets = outlets or Outlets.of(articles)
    analyzed = [_with_cites(item, outlets) for item in analyzed]
    cites = {item.article.id: item.cites for item in analyzed}
    copies = find_copies(articles, {a: {c.key for c in found} for a, found in cites.items()})
    by_copy = {c.copy: c for c in copies}
    article_by_id = {a.id: a for a in articles}
    flat = [(item, s) for item in analyzed for s in item.sentences if s.fact]  # a claim states a fact: no fragments
    model = default_model(embedder)
    scores = similarity_matrix([s for _, s in flat], embedder, model)
    groups = cluster_claims([item.article.id for item, _ in flat], scores, model)
    claim_of = [0] * len(flat)
    for c, group in enumerate(groups):
        for k in group:
            claim_of[k] = c
    statements = [Statement(item.article.id, sentence, item.article.published) for item, sentence in flat]
    disputes: dict[int, list[Conflict]] = {}
    for conflict, members in story_conflicts(statements, scores, claim_of):
        home = Counter(claim_of[k] for k in members).most_common(1)[0][0]  # the claim most of its statements are in
        disputes.setdefault(home, []).append(conflict)
    quoted = story_speakers(analyzed)
    said = {item.article.id: article_speakers(item, outlets) for item in analyzed}
    order = {a.id: n for n, a in enumerate(articles)}
    claims = []
    for c, group in enumerate(groups):
        pairs = [flat[k] for k in group]
        origins = mention_origins(pairs, cites, by_copy, article_by_id, outlets, quoted)
        variants = wording_variants([statements[k] for k in group])
        conflicts = tuple(updated(k, article_by_id) for k in disputes.get(c, ()))
        independent = independent_sources(mention_links(((item.article, o) for (item, _), o in zip(pairs, origins)), article_by_id))
        status = (UPDATED if all(k.verdict == UPDATED for k in conflicts) else DISPUTED) if conflicts \
            else CORROBORATED if independent >= 2 else SINGLE_SOURCE
        mentions = tuple(ClaimMention(item.article.id, s.index, s.text, s.claim_text, o, said[item.article.id].get((s.index, s.part)))
                         for (item, s), o in zip(pairs, origins))
        group_mentions = [Mention(item.article.id, s.index) for item, s in pairs]
        claims.append(Claim(_claim_id(story_id, group_mentions), pairs[0][1].claim_text, mentions, independent, status, conflicts,
                            variants, first_report([item.article for item, _ in pairs], order)))
    return StoryDossier(story_id, headline(articles, claims), tuple(analyzed), tuple(claims), copies, key_facts(analyzed))


def article_speakers(item: AnalyzedArticle, outlets: Outlets) -> dict[tuple[int, tuple[int, int] | None], SaidBy]:
    """Whom each of an article's sentences (index, part) credits with its claim (`said_by`): an outlet the article
    credits by that cue under its full name ("the Post reported": The Meridian Post), and "he" and "she" as the
    person the article last named as a source ("Councillor Peter Lund said ... . 'A blank cheque,' he said."),
    the usual reading of a news article's pronoun speakers (spaCy's pipeline has no coreference)."""
    out, named = {}, None
    resolver = article_resolver(outlets, item.cites)
    for sentence in item.sentences:
        found = said_by(sentence)
        if found is not None and (outlet := source_outlet(sentence, found.source, resolver)) is not None:
            found = replace(found, speaker=outlet)  # "the Post reported", "the newspaper said": The Meridian Post
        for a in sentence.attributions:
            people = [e.text for e in sentence.entities if e.label == "PERSON" and a.source and e.text in a.source]
            if people:
                named = max(people, key=lambda name: len(name.split()))  # a full name over a one-word misreading
        if found is not None:
            if found.source.lower() in ("he", "she") and named is not None:
                found = replace(found, speaker=named)
            out[(sentence.index, sentence.part)] = found
    return out


def said_by(sentence: Sentence) -> SaidBy | None:
    """Whom `sentence` credits with what it claims: of its attributions that state something (a stance, kind
    "attitude", credits no one with a fact) and name a source, the one whose content holds the most of the claim's
    clause, if that is at least `SAID_BY_SHARE` of it."""
    claim = sentence.part or (0, len(sentence.text))
    best, most = None, 0
    for a in sentence.attributions:
        if a.kind == ATTITUDE or not a.source:
            continue
        overlap = min(a.content_span[1], claim[1]) - max(a.content_span[0], claim[0])
        if overlap > most:
            best, most = a, overlap
    if best is None or most < SAID_BY_SHARE * (claim[1] - claim[0]):
        return None
    return SaidBy(best.source, best.cue, best.kind, best.source)


def first_report(articles: Sequence[Article], order: Mapping[str, int]) -> FirstReport:
    """Which of a claim's articles stated it first: the earliest published (the first in `order` on a tie); when
    none is dated, the first in `order`, said so."""
    dated = [a for a in articles if a.published]
    if dated:
        first = min(dated, key=lambda a: (a.published, order.get(a.id, 0)))
        return FirstReport(first.id, "published")
    return FirstReport(min(articles, key=lambda a: order.get(a.id, 0)).id, "article order")


def headline(articles: Sequence[Article], claims: Sequence[Claim]) -> str:
    """The story's headline: the title of its earliest dated titled article; with no dated titled article, the
    title of the most central one (the most mentions in claims other articles state too; the first given on a
    tie). An untitled article (a paste's lines) never gives it while a titled one exists; with none titled,
    the opening words of the first article."""
    titled = [a for a in articles if a.title and a.title.strip()]
    if not titled:
        return " ".join(articles[0].text[:80].split()) if articles else ""
    dated = [a for a in titled if a.published]
    if dated:
        return min(dated, key=lambda a: a.published).title or ""  # type: ignore[arg-type,return-value]
    shared = Counter(m.article for c in claims if not c.unique for m in c.mentions)
    order = {a.id: n for n, a in enumerate(articles)}
    return max(titled, key=lambda a: (shared[a.id], -order[a.id])).title or ""


def updated(conflict: Conflict, articles: Mapping[str, Article]) -> Conflict:
    """The conflict marked `updated` when it is a number the dates explain: every article of one value published
    on an earlier day than every article of the next (a toll that rises in later reports). Undated articles,
    and any other kind of conflict, leave it disputed."""
    if conflict.kind != "number":
        return conflict
    days = [[articles[a].published for a in v.articles] for v in conflict.values]
    if any(d is None for side in days for d in side):
        return conflict
    spans = sorted((min(side), max(side)) for side in days)  # type: ignore[type-var]
    if all(earlier[1] < later[0] for earlier, later in zip(spans, spans[1:])):
        return replace(conflict, verdict=UPDATED)
    return conflict


def _embedder(embedder: Embedder | str | None) -> Embedder | None:
    """An embedder given by name is loaded (once per process)."""
    return language.get_embedder(embedder) if isinstance(embedder, str) else embedder


def _with_cites(item: AnalyzedArticle, outlets: Outlets) -> AnalyzedArticle:
    return AnalyzedArticle(item.article, item.sentences, article_citations(item, outlets))


def _claim_id(story_id: str, group: Sequence[Mention]) -> str:
    first = group[0]
    return "c" + hashlib.sha256(f"{story_id}:{first.article}:{first.sentence}".encode()).hexdigest()[:11]

