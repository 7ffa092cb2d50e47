"""Frozen records passed between newsweave's stages.

Every stage is a function from these values to these values, so a stage can be tested by building
its input by hand and can be shipped to another process unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
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

    id: str  # hash of outlet and normalised clean text: the same article twice is one article
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


_LEGAL_SUFFIX = re.compile(
    r"(?:[\s,]+(?:ltd|limited|inc|incorporated|llc|plc|co|corp|corporation|company|gmbh|ag|s\.?a|s\.?l|b\.?v|n\.?v|"
    r"media|group|holdings?|publishing|publications|newspapers?|communications|digital|network|enterprises)\.?)+$",
    re.I,
)


@lru_cache(maxsize=4096)
def outlet_key(outlet: str | None) -> str:
    """One key for the spellings of an outlet's name: "The Pinewood Gazette", "Pinewood Gazette Co."."""
    if not outlet:
        return ""
    key = normalise_for_id(outlet)
    key = re.sub(r"^the\s+", "", key)
    stripped = _LEGAL_SUFFIX.sub("", key).strip(" .,")
    return stripped or key


def outlet_initials(outlet: str | None) -> str:
    """"Continental Press Agency" -> "cpa": how wires sign their datelines."""
    words = [w for w in outlet_key(outlet).split() if w not in ("of", "and", "&")]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def names_outlet(name: str | None, outlet: str | None) -> bool:
    """Whether `name` ("CPA", "the Continental Press Agency") names `outlet`."""
    if not name or not outlet:
        return False
    key = outlet_key(name)
    return key == outlet_key(outlet) or key.replace(" ", "") == outlet_initials(outlet)


_DATELINE_AGENCY = re.compile(r"\(([^)]{2,40})\)")


def dateline_agency(dateline: str | None) -> str | None:
    """The agency a dateline credits: "LISBON, Nov 3 (CPA) -" -> "CPA"."""
    match = _DATELINE_AGENCY.search(dateline or "")
    return match.group(1).strip() if match else None


def coverage_order(article: Article) -> tuple[date, int, str]:
    """Sort key, oldest first; on one day, a wire's own copy (its dateline credits its own outlet) first."""
    own_wire = names_outlet(dateline_agency(article.dateline), article.outlet)
    return (article.published or date.max, 0 if own_wire else 1, article.id)


def article_id(outlet: str | None, text: str) -> str:
    """Stable id of an article: the same outlet publishing the same clean text is the same article.

    Two outlets that run one wire story word for word are two publications, so the outlet is part
    of the key; a re-ingested copy of one file, or the same page saved twice, is not.
    """
    key = outlet_key(outlet) + "\n" + normalise_for_id(text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


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


INF = float("inf")


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

    @property
    def exact(self) -> bool:
        return self.low == self.high and not self.approximate


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who a sentence (or part of it) is credited to, and by which cue."""

    cue: str  # "according to", "said", "reported", "told", "documents viewed by", "citing", ...
    source: str | None  # the source span's text: "The Meridian Post", "the Post", "a union spokeswoman"
    content: str  # the content span's text: what is attributed
    source_span: tuple[int, int] | None
    cue_span: tuple[int, int]
    content_span: tuple[int, int]
    kind: str = "reported"  # "quote" (direct speech), "reported" (indirect), "according_to", "citing", "documents"
    recipient: str | None = None  # who was told: "a resident told The Harbor Ledger" -> "The Harbor Ledger"


@dataclass(frozen=True, slots=True)
class Quote:
    """Direct speech in a sentence and who said it."""

    text: str  # inside the quotation marks
    speaker: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, analysed."""

    article_id: str
    index: int  # position among the article's sentences
    paragraph: int  # index into Article.paragraphs
    text: str
    entities: tuple[Entity, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    quotes: tuple[Quote, ...] = ()
    lemmas: tuple[str, ...] = ()  # lower-cased lemmas of content words, for lexical overlap
    part: tuple[int, int] | None = None  # when a sentence carries two facts, the clause this record is

    @property
    def claim_text(self) -> str:
        """What this record claims: the clause, or the whole sentence."""
        return self.text[self.part[0] : self.part[1]] if self.part else self.text


@dataclass(frozen=True, slots=True)
class Citation:
    """An upstream source an article credits, with the sentence that shows it."""

    source: str  # display name, resolved: "The Meridian Post"
    key: str  # outlet_key() of it
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
    Probabilities are the join model's (`newsweave/join_model.py`): above the join threshold, the clusterer
    would have put them together. Only open stories (coverage in the clusterer's window) are compared."""

    story: str
    headline: str
    open: bool  # False: the story has closed; nothing is compared
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
