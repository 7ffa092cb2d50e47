"""Frozen records passed between newsweave's stages.

Every stage is a function from these values to these values, so a stage can be tested by building
its input by hand and can be shipped to another process unchanged.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

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


def outlet_key(outlet: str | None) -> str:
    """One key for the spellings of an outlet's name: "The Pinewood Gazette", "Pinewood Gazette Co."."""
    if not outlet:
        return ""
    key = normalise_for_id(outlet)
    key = re.sub(r"^the\s+", "", key)
    stripped = _LEGAL_SUFFIX.sub("", key).strip(" .,")
    return stripped or key


def article_id(outlet: str | None, text: str) -> str:
    """Stable id of an article: the same outlet publishing the same clean text is the same article.

    Two outlets that run one wire story word for word are two publications, so the outlet is part
    of the key; a re-ingested copy of one file, or the same page saved twice, is not.
    """
    key = outlet_key(outlet) + "\n" + normalise_for_id(text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
