"""RSS and Atom feeds and news sitemaps: the article addresses they list, with their items' metadata.

Pure functions of bytes already fetched. Every XML document is first parsed with defusedxml, which
refuses entity declarations (the trick behind "billion laughs" bombs and external-file reads), before
feedparser sees a byte; feedparser is then handed the bytes as a stream, never a string it could take
for a URL or a file name.
"""

from __future__ import annotations

import html
import io
import logging
import re
import zlib
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from newsweave.errors import InputError
from newsweave.model import Hints, RawDocument
from newsweave.ingest.files import Inflation
from newsweave.ingest.records import parse_date
from newsweave.ingest.urls import canonical_url

log = logging.getLogger(__name__)

MAX_ITEMS = 500  # addresses read from one feed or sitemap: a news sitemap lists two days; more is a whole site
ROOT_SNIFF_BYTES = 4096  # the root element sits after at most a declaration, comments and a doctype

FeedKind = Literal["rss", "atom", "sitemap", "sitemapindex"]
SourceKind = Literal["html", "feed", "sitemap"]

_FEED_ROOTS = {"rss": "rss", "feed": "atom", "RDF": "rss"}
_SITEMAP_ROOTS = {"urlset": "sitemap", "sitemapindex": "sitemapindex"}
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SKIP_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^[>]*(?:\[.*?\])?\s*>)", re.S | re.I)
_FIRST_TAG = re.compile(rb"\s*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_RISKY_MARKUP = re.compile(rb"<!\s*(?:ENTITY|DOCTYPE)", re.I)
_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^)]+)\)$")
_TAG = re.compile(r"<[^>]+>")
_LANGUAGE = re.compile(r"^([A-Za-z]{2})(?:[-_].*)?$")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])")


@dataclass(frozen=True, slots=True)
class FeedItem:
    """An article address a feed or sitemap lists, with the metadata the item carries."""

    url: str  # canonical
    hints: Hints  # title, published, author, outlet (the original publisher, RSS <source>), language


@dataclass(frozen=True, slots=True)
class Feed:
    """What a feed or sitemap lists. A malformed document keeps the items read before the damage."""

    source: str
    kind: FeedKind
    title: str | None = None
    items: tuple[FeedItem, ...] = ()
    sitemaps: tuple[str, ...] = ()  # a sitemap index: the sitemaps it lists
    skipped: int = 0  # items with no http(s) link
    error: InputError | None = None  # what could not be read


def classify(data: bytes, content_type: str | None = None) -> SourceKind | None:
    """Whether fetched bytes are an HTML page, a feed or a sitemap (by the root element, else the
    Content-Type), or None for anything else (an image, a PDF, JSON...)."""
    root = root_element(data)
    if root in _FEED_ROOTS:
        return "feed"
    if root in _SITEMAP_ROOTS:
        return "sitemap"
    media = (content_type or "").split(";")[0].strip().lower()
    if (root or "").lower() == "html" or media in _HTML_TYPES:
        return "html"
    if not media or media in ("text/plain", "application/octet-stream"):
        head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
            return "html"
    return None


def root_element(data: bytes) -> str | None:
    """The local name of the first element (`rss`, `feed`, `urlset`, `html`), skipping the XML
    declaration, comments and a doctype; None when the bytes do not start like markup."""
    head = data[:ROOT_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")
    position = 0
    while match := _SKIP_PROLOG.match(head, position):
        if match.end() == position:
            break
        position = match.end()
    tag = _FIRST_TAG.match(head, position)
    return tag.group(2).decode("ascii") if tag else None


def gunzip(source: str, data: bytes, max_bytes: int) -> bytes:
    """Unpack a gzip-compressed sitemap (`sitemap.xml.gz`), refusing to inflate past `max_bytes`, or like a bomb."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(source, f"damaged gzip data ({exc})") from None
    Inflation(source, compressed=len(data) - len(inflater.unconsumed_tail), inflated=len(out)).check()
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise InputError(source, f"unpacks to more than the {max_bytes:,}-byte cap", about="max_bytes")
    return out


def parse_xml(source: str, data: bytes) -> Element:
    """Parse XML with defusedxml: entity declarations and external references are refused."""
    try:
        return SafeET.fromstring(data)
    except (EntitiesForbidden, ExternalReferenceForbidden, DTDForbidden) as exc:
        raise InputError(source, _refusal(exc)) from None
    except DefusedXmlException as exc:
        raise InputError(source, f"refused: unsafe XML ({exc})") from None
    except ParseError as exc:
        raise InputError(source, f"malformed XML: {exc}") from None


def read_feed(source: str, data: bytes, content_type: str | None = None) -> Feed:
    """A feed or a sitemap, told apart by the root element."""
    root = root_element(data)
    if root in _SITEMAP_ROOTS:
        return parse_sitemap(source, data)
    return parse_feed(source, data, content_type)


def parse_feed(source: str, data: bytes, content_type: str | None = None) -> Feed:
    """RSS (0.9x, 1.0, 2.0) or Atom. Raises InputError for unsafe XML and for a document that is not a feed.

    Malformed XML (an undefined entity such as `&nbsp;`, a truncated download) is read by feedparser's
    lenient parser when it declares no entities at all; the items found are kept and `Feed.error` says
    what was wrong. `source` is the feed's URL: relative item links are resolved against it.
    """
    damage: str | None = None
    try:
        parse_xml(source, data)
    except InputError as exc:
        if not exc.message.startswith("malformed XML") or _RISKY_MARKUP.search(data) or _wide_encoding(data):
            raise
        damage = exc.message
    headers = {"content-location": source, "content-type": content_type or "application/xml"}
    # A stream, so feedparser never takes the bytes for a URL or a file name; item HTML is never used, so not sanitised.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    version = parsed.get("version") or ""
    if not version and not parsed.entries:
        if damage:
            raise InputError(source, f"{damage}; no feed items could be read")
        raise InputError(source, f"not an RSS or Atom feed (the document's root is <{root_element(data) or '?'}>)")
    feed_info = parsed.get("feed", {})
    language = _language(feed_info.get("language"))
    items: list[FeedItem] = []
    skipped = 0
    for entry in parsed.entries:
        item = _feed_item(entry, language)
        if item is None:
            skipped += 1
        else:
            items.append(item)
    if damage and not items:
        raise InputError(source, f"{damage}; no feed items could be read")
    kept = f"{damage}; the items still readable ({len(items)}) were kept; ask the publisher to fix the feed"
    error = InputError(source, kept) if damage else None
    kind: FeedKind = "atom" if version.startswith("atom") else "rss"
    return Feed(source, kind, _text(feed_info.get("title")), tuple(items), skipped=skipped, error=error)


def parse_sitemap(source: str, data: bytes) -> Feed:
    """A sitemap (`<urlset>`, with Google News `news:` elements when present) or a sitemap index.

    A plain sitemap's addresses are ordered newest `lastmod` first, so a cap keeps the latest news.
    """
    root = parse_xml(source, data)
    name = _local(root.tag)
    if name == "sitemapindex":
        locations = [_child_text(node, "loc") for node in root if _local(node.tag) == "sitemap"]
        return Feed(source, "sitemapindex", sitemaps=tuple(urljoin(source, loc) for loc in locations if loc))
    if name != "urlset":
        raise InputError(source, f"not a sitemap (the document's root is <{name}>)")
    found: list[tuple[str, FeedItem]] = []
    skipped = 0
    for node in root:
        if _local(node.tag) != "url":
            continue
        try:
            url = canonical_url(urljoin(source, _child_text(node, "loc") or ""))  # a relative <loc> is read leniently
        except InputError:
            skipped += 1
            continue
        news = next((child for child in node if _local(child.tag) == "news"), None)
        hints = Hints(url=url)
        if news is not None:
            publication = next((child for child in news if _local(child.tag) == "publication"), None)
            hints = Hints(
                url=url,
                title=_text(_child_text(news, "title")),
                published=parse_date(_child_text(news, "publication_date")),
                outlet=_text(_child_text(publication, "name")) if publication is not None else None,
                language=_language(_child_text(publication, "language")) if publication is not None else None,
            )
        found.append((_child_text(node, "lastmod") or "", FeedItem(url, hints)))
    found.sort(key=lambda pair: pair[0], reverse=True)  # ISO dates sort as text; stable for the rest
    return Feed(source, "sitemap", items=tuple(item for _, item in found), skipped=skipped)


# --- item metadata on the article fetched from the item's link ----------------------------------


def page_hints(html_text: str, url: str | None = None) -> Hints:
    """The metadata a page states itself: title, author, site name, and a date from its markup or its URL.

    trafilatura is asked without the URL, because with one it falls back to the host name as site
    name, which is not the page naming its outlet.
    """
    import trafilatura  # here: only a fetched page needs it (see `clean._extract`)

    try:
        meta = trafilatura.extract_metadata(html_text)
    except Exception:  # noqa: BLE001 - trafilatura raises assorted errors on broken markup; clean() will report it
        meta = None
    published = parse_date(meta.date) if meta is not None and meta.date else None
    if published is None and url:
        match = _URL_DATE.search(url)
        published = _valid_date(*map(int, match.groups())) if match else None
    if meta is None:
        return Hints(published=published)
    return Hints(title=meta.title or None, author=meta.author or None, published=published, outlet=meta.sitename or None)


def fill_missing(doc: RawDocument, extra: Hints, *, url: str | None = None) -> RawDocument:
    """`doc` with `extra`'s metadata as hints for the fields the page itself lacks (the page wins), and `url`.

    A feed item's title, date, author and original publisher, or a crawl's date, fill gaps only.
    """
    if not (extra.title or extra.outlet or extra.published or extra.author):
        return replace(doc, hints=replace(doc.hints, url=url or doc.hints.url or extra.url))
    stated = page_hints(doc.content, url) if doc.kind == "html" else doc.hints
    hints = Hints(
        title=doc.hints.title or (None if stated.title else extra.title),
        url=url or doc.hints.url or extra.url,
        outlet=doc.hints.outlet or (None if stated.outlet else extra.outlet),
        published=doc.hints.published or (None if stated.published else extra.published),
        author=doc.hints.author or (None if stated.author else extra.author),
        language=doc.hints.language,  # the page's own markup or language detection beat a feed's channel language
    )
    return replace(doc, hints=hints)


# --- helpers ----------------------------------------------------------------------------------------


def _feed_item(entry: Any, language: str | None) -> FeedItem | None:
    link = entry.get("link") or next(
        (l.get("href") for l in entry.get("links", ()) if l.get("rel", "alternate") == "alternate" and l.get("href")), None
    )
    try:
        url = canonical_url(link or "")
    except InputError:
        return None
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    source = entry.get("source") or {}
    hints = Hints(
        title=_text(entry.get("title")),
        url=url,
        outlet=_text(source.get("title")) if isinstance(source, dict) else None,
        published=date(*published[:3]) if published else None,
        author=_author(entry),
        language=language,
    )
    return FeedItem(url, hints)


def _author(entry: Any) -> str | None:
    raw = _text(entry.get("author"))
    if not raw:
        return None
    match = _EMAIL_NAME.match(raw)  # RSS <author>: "editor@outlet.example (Ana Ruiz)"
    if match:
        return match.group("name").strip() or None
    return None if "@" in raw and " " not in raw else raw


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(html.unescape(_TAG.sub(" ", value)).split())
    return text or None


def _language(value: Any) -> str | None:
    match = _LANGUAGE.match(value.strip()) if isinstance(value, str) else None
    return match.group(1).lower() if match else None


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(node: Element | None, name: str) -> str | None:
    if node is None:
        return None
    child = next((c for c in node if _local(c.tag) == name), None)
    return child.text.strip() if child is not None and child.text and child.text.strip() else None


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _wide_encoding(data: bytes) -> bool:
    """UTF-16/32 hide `<!ENTITY` from a byte search: no lenient fallback for them."""
    return data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"<\x00")) or b"\x00" in data[:64]


def _refusal(exc: Exception) -> str:
    if isinstance(exc, EntitiesForbidden):
        return (
            "refused: the XML declares entities (<!ENTITY>), the trick behind entity-expansion bombs and "
            "external-file reads; feeds and sitemaps never need them"
        )
    if isinstance(exc, ExternalReferenceForbidden):
        return "refused: the XML references an external resource; feeds and sitemaps never need one"
    return "refused: the XML carries a document type definition; feeds and sitemaps never need one"
