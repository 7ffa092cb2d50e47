"""Settings objects, one per stage, with the defaults documented where they are set."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

MAX_INPUT_BYTES = 10 * 1024 * 1024  # 10 MiB: a news page is rarely over 2 MiB; larger is a dump or not an article
# Compressed input is refused while it inflates, not after: the size on disk says little about the size inside.
MAX_INFLATION_RATIO = 200  # news text gzips 5-10 times (JSON and WARC headers a little more); a bomb, ~1000 times
MIN_INFLATED_FOR_RATIO = 1024 * 1024  # below 1 MiB inflated any ratio is harmless (a small, repetitive sitemap)
MAX_INFLATED_BYTES = 4 * 1024**3  # 4 GiB from one compressed .gz file: ~1M articles as JSON Lines; split a bigger dump
MIN_ARTICLE_CHARS = 80  # less clean text than this is a navigation page, a paywall stub or a broken file
DEFAULT_EMBEDDER = "static"  # claim alignment's sentence embeddings: the static model shipped in the package (no torch)

# JSON/JSONL record fields newsweave reads, each with the names it accepts, first match wins.
DEFAULT_FIELD_ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "text": ("text", "content", "body", "articleBody", "maintext"),
        "html": ("html", "raw_html", "page"),
        "title": ("title", "headline"),
        "url": ("url", "link", "uri", "canonical_url"),
        "outlet": ("outlet", "site_name", "sitename", "publisher", "source_name", "source"),
        "published": ("published", "date", "published_at", "datePublished", "pubdate", "dct", "date_publish"),
        "author": ("author", "authors", "byline"),
        "language": ("language", "lang"),
    }
)


@dataclass(frozen=True, slots=True)
class ReadSettings:
    """How inputs are read: the size cap and which JSON fields hold what."""

    max_bytes: int = MAX_INPUT_BYTES
    field_map: Mapping[str, str] = field(default_factory=dict)  # our field -> the record's field name
    outlet: str | None = None  # the outlet of documents that state none in their record (`--outlet` for pasted text)

    def fields(self, name: str) -> tuple[str, ...]:
        """The record keys tried for one of our fields: the mapped name alone, else the aliases."""
        if name in self.field_map:
            return (self.field_map[name],)
        return DEFAULT_FIELD_ALIASES[name]


@dataclass(frozen=True, slots=True)
class CleanSettings:
    """How articles are cleaned."""

    min_chars: int = MIN_ARTICLE_CHARS
    learn_residue: bool = True  # drop lines that recur across articles of one outlet
    residue_min_articles: int = 2  # a line seen in this many unrelated articles of one outlet is template
    detect_language: bool = True
