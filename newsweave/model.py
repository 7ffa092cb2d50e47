"""Frozen records passed between newsweave's stages.

Every stage is a function from these values to these values, so a stage can be tested by building
its input by hand and can be shipped to another process unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

DocumentKind = Literal["text", "markdown", "html"]


@dataclass(frozen=True, slots=True)
class Hints:
    """Metadata that came with a document from outside its text: a JSON record's fields, a feed item."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    author: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document, decoded to text but not yet cleaned."""

    source: str  # the path, `path#line` for a JSON Lines record, or the URL it came from
    kind: DocumentKind
    content: str
    raw_hash: str  # sha256 of the bytes as read: the same input twice is recognised before cleaning
    hints: Hints = field(default_factory=Hints)


@dataclass(frozen=True, slots=True)
class RemovedLine:
    """A line the cleaner took out of an article, and why; kept so every removal can be audited."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """Clean text and metadata of one news article."""

    id: str  # outlets.article_id: hash of outlet key and normalised clean text; the same article twice is one article
    source: str  # path or URL it came from
    outlet: str | None
    url: str | None
    title: str | None
    author: str | None
    published: date | None
    language: str | None
    text: str  # paragraphs separated by one blank line; headings are paragraphs too
    headings: tuple[str, ...] = ()  # the paragraphs of `text` that are section sub-headings
    dateline: str | None = None  # "CARACAS, Nov 1 (Reuters) -", taken off the first paragraph
    removed: tuple[RemovedLine, ...] = ()  # boilerplate taken out, in document order
    raw_hash: str | None = None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.text.split("\n\n") if p)

    @property
    def body_paragraphs(self) -> tuple[str, ...]:
        """The paragraphs that carry sentences: everything except sub-headings."""
        headings = set(self.headings)
        return tuple(p for p in self.paragraphs if p not in headings)


_SPACE = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """Text as compared for identity: NFKC, case-folded, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


# --- language analysis (issue: the story dossier) ------------------------------------------------
# Offsets (`start`, `end`) are character offsets into the sentence's own text.


@dataclass(frozen=True, slots=True)
class Entity:
    """A named thing in a sentence, with the key that makes spellings of one name one entity."""

    text: str
    label: str  # spaCy's label (PERSON, ORG, GPE, ...) or DESIGNATOR for model numbers like Su-30MK2
    key: str  # normalised: accents folded, a bare surname resolved to the full name, "the Post" to its outlet
    start: int
    end: int
    predicate: str | None = None  # what the sentence says of it: the lemma of the verb it hangs on ("strike", "kill")


INF = float("inf")


UNNAMED = "the "  # a Quantity.holder that is a noun, not a name: "the boy"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as an interval: "at least 61 people" is [61, inf), "more than a dozen strikes" (12, inf)."""

    text: str  # the words stating it, qualifier included: "more than a dozen strikes"
    low: float
    high: float
    low_open: bool = False  # True: low itself is excluded ("more than 12")
    high_open: bool = False  # True: high itself is excluded ("fewer than five")
    unit: str | None = None  # the head noun's lemma or a unit: "people", "strike", "km", "year", "percent"
    approximate: bool = False  # "about", "some", "nearly", "roughly": a tolerance band, not an exact value
    start: int = 0
    end: int = 0
    predicate: str | None = None  # the lemma of the verb it hangs on: "kill" in "killed 32 people", "injure" in "injuring 214"
    holder: str | None = None  # whose it is, for an age: the person's name, folded ("Ernest Jasper, 46" -> "ernest jasper"),
    # or the noun for a person not named, after UNNAMED ("a 2-year-old boy" -> "the boy")

    @property
    def exact(self) -> bool:
        return self.low == self.high and not self.approximate


@dataclass(frozen=True, slots=True)
class Casualty:
    """A statement of how many people were killed, injured, or shot (outcome not stated): "three dead" is
    ("killed", 3), "a man was wounded" ("injured", 1). Read by `nlp.casualties`."""

    kind: Literal["killed", "injured", "shot"]
    quantity: Quantity


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a sentence (or part of it) is credited to, and by which cue."""

    cue: str  # "according to", "said", "reported", "told", "documents viewed by", "citing", ...
    source: str | None  # the source span's text: "The Meridian Post", "the Post", "a union spokeswoman"
    content: str  # the content span's text: what is attributed
    source_span: tuple[int, int] | None
    cue_span: tuple[int, int]
    content_span: tuple[int, int]
    kind: str = "reported"  # "quote" (direct speech), "reported" (indirect), "according_to", "citing", "documents",
    # "attitude" (a stance the source took: "X endorsed Y", "X criticized Y"; it credits no one with a fact)
    recipient: str | None = None  # who was told: "a resident told The Harbor Ledger" -> "The Harbor Ledger"
    # the cue span of the sentence's attribution whose content holds this one's cue: "Police said the man told
    # officers he was innocent" -> the man's "told" is nested in the police's "said" (what the police report)
    nested_in: tuple[int, int] | None = None
    # where the sentence itself names the source when another word stands for it: "who" in "Jones, who said ..."
    # (`source` and `source_span` are Jones, the one it stands for); None when that is `source_span`
    source_mention: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """Direct speech in a sentence and who said it."""

    text: str  # inside the quotation marks
    speaker: str | None
    start: int
    end: int


TITLE_PARAGRAPH = -1  # `Sentence.paragraph` of the headline's sentences: a headline states a claim like any sentence


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, analysed."""

    article_id: str
    index: int  # position among the article's sentences
    paragraph: int  # index into Article.paragraphs; TITLE_PARAGRAPH for the headline
    text: str
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    quotes: tuple[Quote, ...] = ()
    lemmas: tuple[str, ...] = ()  # lower-cased lemmas of content words, for lexical overlap
    part: tuple[int, int] | None = None  # when a sentence carries two facts, the clause this record is
    fact: bool = True  # it states something: a verb of its own and a few words (not "Photo:", not a sub-heading)
    casualties: tuple[Casualty, ...] = ()  # how many were killed, injured or shot, as it says (`nlp.casualties`)

    @property
    def claim_text(self) -> str:
        """What this record claims: the clause, or the whole sentence."""
        return self.text[self.part[0] : self.part[1]] if self.part else self.text


@dataclass(frozen=True, slots=True)
class Citation:
    """An upstream source an article credits, with the sentence that shows it."""

    source: str  # display name, resolved: "The Meridian Post"
    key: str  # outlets.outlet_key() of it
    evidence: str  # the sentence (or dateline) crediting it
    cue: str
    sentence: int | None = None  # index of the evidence sentence; None for a dateline


@dataclass(frozen=True, slots=True)
class AnalyzedArticle:
    """An article with its sentences analysed and the upstream sources it credits."""

    article: Article
    sentences: tuple[Sentence, ...]
    cites: tuple[Citation, ...] = ()


# --- editors' merges and splits of stories (see edits.py) ---


@dataclass(frozen=True, slots=True)
class StoryEdit:
    """One editor's merge or split, as recorded."""

    kind: Literal["merge", "split"]
    articles: tuple[str, ...]  # merge: every article of the merged story; split: the articles moved out
    rest: tuple[str, ...] = ()  # split: the articles left behind
    before: tuple[str, ...] = ()  # the story ids it was made on
    after: tuple[str, ...] = ()  # the story ids it made
    reason: str = ""
    made_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """Another stored story a review names: its id and headline, and the join model's probability that the
    reviewed story's coverage reports its event."""

    story: str
    headline: str
    probability: float


@dataclass(frozen=True, slots=True)
class MemberFit:
    """An article of a reviewed story and the probability that it joins the rest of the story without it."""

    article: Article
    probability: float


@dataclass(frozen=True, slots=True)
class StoryReview:
    """What an editor weighing a merge or a split sees of a stored story: the other open stories its coverage
    could join, most probable first, and its own articles by how well each fits the rest, weakest first.
    Probabilities are the join model's (`newsweave/stories/join_model.py`): above the join threshold, the clusterer
    would have put them together. Only open stories (coverage in the clusterer's window) are compared."""

    story: str
    headline: str
    open: bool  # False: the story has closed; nothing is compared
    join_score: float  # the join threshold the review was made with (`ClusterSettings.join_score`)
    similar: tuple[Candidate, ...] = ()
    members: tuple[MemberFit, ...] = ()


def article_to_dict(article: Article) -> dict[str, Any]:
    """The JSON form of an article, as `newsweave clean --format jsonl` and `article --format json` print it."""
    return {
        "id": article.id,
        "source": article.source,
        "outlet": article.outlet,
        "url": article.url,
        "title": article.title,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "dateline": article.dateline,
        "headings": list(article.headings),
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
    }


# --- stories: what the clusterer reads and makes (see newsweave/stories/) ---


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """The clustering view of one article (`stories.features`). Counts are sorted (term, count) pairs, so values
    compare equal; it pickles, and round-trips through plain records (`to_record` / `from_record`)."""

    id: str
    published: date | None
    title: str  # the title, or the first line when there is none
    lede: str  # the first words of the body (`features.LEDE_WORDS`)
    words: tuple[tuple[str, int], ...] = ()  # content words (lower-cased, stop words out, plurals folded)
    names: tuple[tuple[str, int], ...] = ()  # name tokens and two-word names, accent-folded, lower-cased
    numbers: tuple[tuple[str, int], ...] = ()  # numbers as values ("21", "1000", "5.9"), years included
    dates: tuple[date, ...] = ()  # dates the text states, resolved against `published`; sorted, unique
    lede_words: tuple[str, ...] = ()  # content words of the title and lede, sorted, unique

    def to_record(self) -> dict[str, Any]:
        """Plain JSON-able values."""
        return {
            "id": self.id, "published": self.published.isoformat() if self.published else None,
            "title": self.title, "lede": self.lede, "words": dict(self.words), "names": dict(self.names),
            "numbers": dict(self.numbers), "dates": [d.isoformat() for d in self.dates], "lede_words": list(self.lede_words),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ArticleFeatures:
        published = record.get("published")
        return cls(
            id=record["id"], published=date.fromisoformat(published) if published else None,
            title=record.get("title") or "", lede=record.get("lede") or "",
            words=_counts(record.get("words") or {}), names=_counts(record.get("names") or {}),
            numbers=_counts(record.get("numbers") or {}),
            dates=tuple(sorted({date.fromisoformat(d) for d in record.get("dates") or ()})),
            lede_words=tuple(sorted(set(record.get("lede_words") or ()))),
        )


def _counts(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((k, int(v)) for k, v in counts.items() if v))


@dataclass(frozen=True, slots=True)
class TextRecord:
    """One record of a dump to cluster as it is (`newsweave cluster`): read by `ingest.dump`, clustered by
    `stories.cluster_texts`."""

    id: str  # the record's id, or `line:N` when it has none
    text: str  # stripped; "" when it has none
    title: str  # stripped; "" when it has none (or no title field was named)
    published: date | None
    origin: str  # where it was read ("path:line"): named in messages, and the seed of a story of its own


@dataclass(frozen=True, slots=True)
class StoryEvent:
    """A merge or split, as it happened: `stories` is (kept, absorbed) for a merge, (from, new) for a split."""

    kind: Literal["merge", "split"]
    at: date | None  # stream time: the newest publication date seen when it happened
    stories: tuple[str, str]
    articles: tuple[str, ...]  # the articles that changed story
    reason: str
    score: float | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """A story as the clusterer sees it: headline, key entities, summary terms, dates, articles."""

    id: str
    headline: str
    entities: tuple[str, ...]  # the heaviest names of its centroid
    terms: tuple[str, ...]  # the heaviest content words: a centroid-ish summary
    first: date | None
    last: date | None
    articles: tuple[str, ...]  # in the order they were added
    open: bool  # still in the window (can take articles)


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """A story's articles, oldest first, under its id (`stories.story_id` of the oldest)."""

    id: str
    articles: tuple[Article, ...]  # oldest first


def passes_over(profiles: int, max_bucket: int | None) -> bool:
    """Whether a name that `profiles` closed stories' follow-up profiles share is too common to look any of them
    up ("police", a big city): more than `max_bucket` (`ClusterSettings.follow_up_max_bucket`; None: no limit).
    The one rule for the clusterer's lookup in memory (`stories.follow_up.Lookup`) and the store's loading of
    the profiles a new article's names look up (`store.clustering`)."""
    return max_bucket is not None and profiles > max_bucket
