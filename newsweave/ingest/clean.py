"""Raw documents to clean articles: main text and metadata out, site debris away, every removal kept.

HTML goes through trafilatura first (main text, title, author, date, site name; comments dropped);
its paragraphs then take the same second pass as plain text, because extractors keep debris that the
markup does not give away (an "Advertisement" paragraph inside `<article>`, say). Across a batch,
lines that recur in unrelated articles of one outlet are learned as template residue and dropped.
The outlet is the input's own (a record's field, `--outlet`), else the page's site name, else the shipped
table of news sites by the address's host (`newsweave.sources`), else a bio or copyright line, else the host.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import TYPE_CHECKING, Iterable, Mapping

from lxml import etree

from newsweave.ingest import boilerplate as bp
from newsweave.config import CleanSettings
from newsweave.errors import InputError
from newsweave.ingest.decode import normalise_text
from newsweave.ingest.records import parse_date, parse_datetime
from newsweave.model import Article, RawDocument, RemovedLine, normalise_for_id
from newsweave.outlets import article_id, outlet_key
from newsweave.sources import known_sources

if TYPE_CHECKING:
    from trafilatura.settings import Document

log = logging.getLogger(__name__)

LANGUAGE_SAMPLE_CHARS = 1500  # enough text for a sure guess; more only costs time
RESIDUE_MAX_WORDS = 40  # template lines are short; long shared paragraphs are a story's own updates
RESIDUE_UNRELATED_JACCARD = 0.5  # two articles sharing more of their paragraphs than this are versions of one story
FIRST_PARAGRAPHS_SEARCHED = 3  # a date header or dateline sits on the story's first sentence, behind at most a masthead
# libxml2's HTML parser (lxml's, and so trafilatura's) drops whatever is nested deeper than 256 elements: a page
# whose text sits deeper reads as empty. Such a page is read again with its layout wrappers flattened: every
# FLATTENED_TAGS tag below the first WRAPPER_KEEP_DEPTH levels of them is taken out (they hold layout, not
# text; 64 levels keep the structure trafilatura scores a real page by). Only a page that gave no text is
# measured and flattened, so the pages the parser reads whole are read as they are.
HTML_PARSER_MAX_DEPTH = 256
FLATTENED_TAGS = ("div", "span", "section", "font", "center")
WRAPPER_KEEP_DEPTH = 64

_DATE_HEADER = re.compile(
    r"^(?:(?:date|dated|published|posted|updated)\s*:?\s*)?(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?\s+(?=\S)",
    re.I,
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"^(?P<line>(?:(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'’.-]+){{0,3}})(?:,\s*[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?"
    rf"(?:,?\s+{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?\s*)?(?:\((?P<agency>[^)]{{2,40}})\)\s*)?[-–—]+)\s+(?=\S)"
)
_TIMESTAMP = re.compile(
    r"^(?:(?:published|updated|posted|last updated|first published|date|dated)(?:\s+on)?\s*:?\s*)?(?P<when>.+)$", re.I
)
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_HAS_DAY_MONTH = re.compile(rf"{_MONTH}|\b\d{{1,2}}[./-]\d{{1,2}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b", re.I)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_MD_BULLET = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^>]*?(/?)>")
_WRAPPER_TAG = re.compile(rf"<(/?)({'|'.join(FLATTENED_TAGS)})\b[^>]*>", re.I)
# Tags that never hold others (void), or whose end tag the parser implies at the next sibling: neither nests
_NOT_NESTING = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "caption",
    "rb", "rt", "rp", "html", "head", "body",
})


@dataclass(frozen=True, slots=True)
class _Unit:
    """A paragraph on its way through the cleaner: its text, whether it is a heading, its source block."""

    text: str
    heading: bool = False
    block: int = 0
    title: bool = False  # a markdown `# title`


@dataclass(slots=True)
class _Found:
    """Metadata the cleaner found inside the text, local to one call."""

    title: str | None = None
    author: str | None = None
    outlet_from_bio: str | None = None
    outlet_from_copyright: str | None = None
    published: date | None = None
    dateline: str | None = None
    site_name: str | None = None
    language: str | None = None


def clean(doc: RawDocument, settings: CleanSettings = CleanSettings()) -> Article:
    """Clean one document. Raises InputError when it holds no article text."""
    found = _Found()
    removed: list[RemovedLine] = []
    if doc.kind == "html":
        units = _html_units(doc, found)
    else:
        units = _text_units(doc.content, markdown=doc.kind == "markdown")
        units = _take_title(units, doc.hints.title, removed, found)
    kept = _drop_debris(units, removed, found)
    if doc.kind != "html":
        kept = _mark_headings(kept)
    kept = _take_first_line_metadata(kept, removed, found)
    kept = _drop_timestamps(kept, removed, found)
    title = doc.hints.title or found.title
    if title:
        kept = _drop_title_repeats(kept, title, removed)
    body = "\n\n".join(u.text for u in kept)
    body_chars = sum(len(u.text) for u in kept if not u.heading)
    if body_chars < settings.min_chars:
        detail = f" after removing {len(removed)} lines of site debris" if removed else ""
        raise InputError(
            doc.source,
            f"no article text: {body_chars} characters of story text{detail} (fewer than {settings.min_chars}); "
            "is this an index page, a paywall stub or a broken file?",
        )
    site = found.site_name
    host_only = bool(site) and " " not in site and "." in site  # trafilatura falls back to the host name
    known = known_sources().by_host(doc.hints.url) if doc.hints.url else None  # the shipped table of news sites
    outlet = (
        doc.hints.outlet or (None if host_only else site) or (known.name if known else None)
        or found.outlet_from_bio or found.outlet_from_copyright or site
    )
    language = doc.hints.language or found.language
    if settings.detect_language and not language:
        short = len(body) < LOW_ACCURACY_CHARS and title  # with its headline, a short text is read as fast as a long one
        language = detect_language(f"{title}\n{body}" if short else body)
    return Article(
        id=article_id(outlet, body),
        source=doc.source,
        outlet=outlet,
        url=doc.hints.url,
        title=_strip_site_from_title(title, outlet) if title else None,
        author=doc.hints.author or found.author,
        published=doc.hints.published or found.published,
        language=language,
        text=body,
        headings=tuple(u.text for u in kept if u.heading),
        dateline=found.dateline,
        removed=tuple(removed),
        raw_hash=doc.raw_hash,
    )


Residue = Mapping[str, frozenset[str]]  # outlet key -> normalised lines that are template, not news


def learn_residue(articles: Iterable[Article], settings: CleanSettings = CleanSettings()) -> Residue:
    """Lines that recur in unrelated articles of the same outlet: mastheads, slogans, edition notes.

    Two articles that share most of their paragraphs are versions of one story, and what they share
    is news; a line counts only when it recurs across articles that otherwise differ.
    """
    by_outlet: dict[str, list[frozenset[str]]] = defaultdict(list)
    for article in articles:
        if article.outlet:
            lines = frozenset(normalise_for_id(p) for p in article.paragraphs)
            by_outlet[outlet_key(article.outlet)].append(lines)
    residue: dict[str, frozenset[str]] = {}
    for outlet, docs in by_outlet.items():
        if len(docs) < settings.residue_min_articles:
            continue
        holders: dict[str, list[frozenset[str]]] = defaultdict(list)
        for lines in docs:
            for line in lines:
                if bp.words(line) <= RESIDUE_MAX_WORDS:
                    holders[line].append(lines)
        template = frozenset(
            line for line, docs_with in holders.items()
            if len(docs_with) >= settings.residue_min_articles and _unrelated_pair(docs_with, line)
        )
        if template:
            residue[outlet] = template
    return residue


def _unrelated_pair(docs: list[frozenset[str]], line: str) -> bool:
    for a, b in combinations(docs[:50], 2):
        a, b = a - {line}, b - {line}
        if not a or not b or len(a & b) / len(a | b) < RESIDUE_UNRELATED_JACCARD:
            return True
    return False


def drop_residue(article: Article, residue: Residue) -> Article:
    """The article without its outlet's template lines; unchanged when there are none."""
    template = residue.get(outlet_key(article.outlet), frozenset())
    if not template:
        return article
    keep = [p for p in article.paragraphs if normalise_for_id(p) not in template]
    dropped = [p for p in article.paragraphs if normalise_for_id(p) in template]
    if not dropped:
        return article
    text = "\n\n".join(keep)
    return replace(
        article,
        id=article_id(article.outlet, text),
        text=text,
        headings=tuple(h for h in article.headings if normalise_for_id(h) not in template),
        removed=article.removed + tuple(RemovedLine(p, bp.TEMPLATE) for p in dropped),
    )


# --- units from HTML and from text ---------------------------------------------------------------


def _html_units(doc: RawDocument, found: _Found) -> list[_Unit]:
    if _looks_truncated(doc.content):
        raise InputError(doc.source, "the HTML ends before </body> or </html>: a truncated download? Save or fetch the page again")
    result = _extract(doc)
    if result is None and (depth := nesting_depth(doc.content)) > HTML_PARSER_MAX_DEPTH:
        flat = flatten_wrappers(doc.content)
        result = _extract(doc, flat)
        if result is None and nesting_depth(flat) > HTML_PARSER_MAX_DEPTH:
            raise InputError(
                doc.source,
                f"the HTML is nested {depth:,} levels deep, beyond what the HTML parser reads ({HTML_PARSER_MAX_DEPTH} "
                f"levels), even with its {', '.join(FLATTENED_TAGS)} wrappers flattened; save the article's text "
                "as a .txt file and read that",
            )
    if result is None:
        raise InputError(doc.source, "no main text found in the HTML (an index page, a paywall stub or an empty page?)")
    found.title = result.title or None
    found.author = result.author or None
    found.site_name = result.sitename or None
    found.published = parse_date(result.date) if result.date else None
    found.language = result.language or None
    units: list[_Unit] = []

    def add_lines(text: str, *, heading: bool, block: int) -> None:
        for line in normalise_text(text).split("\n"):
            line = _SPACE.sub(" ", line).strip()
            if line:
                units.append(_Unit(line, heading=heading, block=block))

    add_lines(result.body.text or "", heading=False, block=-1)
    for block, element in enumerate(result.body):
        tail = element.tail or ""
        if element.tag == "list":
            items = element.iter("item")
        elif element.tag == "table":
            items = element.iter("row")
        elif element.tag in ("graphic", "lb"):
            add_lines(tail, heading=False, block=block)
            continue
        else:
            items = iter([element])
        for item in items:
            if element.tag == "table":
                text = " | ".join(_element_text(cell) for cell in item.iter("cell"))
            else:
                text = _element_text(item)
            add_lines(text, heading=element.tag == "head", block=block)
        add_lines(tail, heading=False, block=block)  # trafilatura leaves loose text as the tail of the element before
    return units


def _extract(doc: RawDocument, html: str | None = None) -> Document | None:
    """trafilatura's main text and metadata of the page (or of `html`, the page rewritten), None when it finds
    no text."""
    import trafilatura  # here: only HTML needs it, and a process reading text files spares its import (0.2 s)

    try:
        result = trafilatura.bare_extraction(
            doc.content if html is None else html, url=doc.hints.url, include_comments=False, with_metadata=True,
            include_tables=True,
        )
    except Exception as exc:  # trafilatura raises assorted errors on broken markup
        raise InputError(doc.source, f"cannot parse the HTML: {exc}") from None
    return None if result is None or result.body is None or not len(result.body) else result


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest, read from its tags as written (no parser: a parser is what stops)."""
    depth = deepest = 0
    for tag in _TAG.finditer(html):
        if tag.group(3) or tag.group(2).lower() in _NOT_NESTING:
            continue
        if tag.group(1):
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def flatten_wrappers(html: str) -> str:
    """The page without its FLATTENED_TAGS tags below the first WRAPPER_KEEP_DEPTH levels of them, each end
    tag dropped with its start tag: one pass over the tags, linear in the page's length."""
    kept: dict[str, list[bool]] = defaultdict(list)  # per tag name, open elements: whether each one's tags stay
    open_kept = 0
    parts: list[str] = []
    start = 0
    for tag in _WRAPPER_TAG.finditer(html):
        name = tag.group(2).lower()
        if tag.group(1):
            if not kept[name]:
                continue  # a stray end tag: left for the parser to ignore
            keep = kept[name].pop()
            open_kept -= keep
        else:
            keep = open_kept < WRAPPER_KEEP_DEPTH
            kept[name].append(keep)
            open_kept += keep
        if not keep:
            parts.append(html[start:tag.start()])
            start = tag.end()
    parts.append(html[start:])
    return "".join(parts)


def _element_text(element: etree._Element) -> str:
    for br in element.iter("lb"):
        br.tail = "\n" + (br.tail or "")
    return "".join(element.itertext())  # descendants' tails, never the element's own


def _looks_truncated(html: str) -> bool:
    head = html[:1024].lstrip().lower()
    if not head.startswith(("<!doctype", "<html")):
        return False  # a fragment (a JSON record's `html`) has no closing tags to miss
    tail = html[-4096:].lower()
    return "</html" not in tail and "</body" not in tail


def _text_units(text: str, *, markdown: bool) -> list[_Unit]:
    units: list[_Unit] = []
    for block, chunk in enumerate(re.split(r"\n\s*\n", text)):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        for line in _unwrap(lines):
            if markdown:
                match = _MD_HEADING.match(line)
                if match:
                    level, line = len(match.group(1)), match.group(2)
                    units.append(_Unit(line, heading=level > 1, block=block, title=level == 1))
                    continue
                line = _MD_BULLET.sub("", line)
            units.append(_Unit(line, block=block))
    return units


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines: a line that stops mid-sentence and a next line starting in lower case."""
    out: list[str] = []
    for line in lines:
        if out and not out[-1].endswith(tuple(bp._TERMINAL) + (":",)) and line[:1].islower():
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


# --- passes over units ---------------------------------------------------------------------------


def _take_title(units: list[_Unit], hinted: str | None, removed: list[RemovedLine], found: _Found) -> list[_Unit]:
    """The first line of a text article is its title when it reads like one."""
    if not units:
        return units
    first = units[0]
    if hinted and normalise_for_id(first.text) == normalise_for_id(hinted):
        removed.append(RemovedLine(first.text, bp.TITLE))
        return units[1:]
    if hinted:
        return units
    is_title = first.title or (
        len(units) > 1 and bp.words(first.text) <= 30 and not first.text.endswith(".")
        and bp.classify(first.text) is None and not bp.related_marker(first.text)[0]
        and not _DATE_HEADER.match(first.text)
    )
    if is_title:
        found.title = first.text
        removed.append(RemovedLine(first.text, bp.TITLE))
        return units[1:]
    return units


def _drop_debris(units: list[_Unit], removed: list[RemovedLine], found: _Found) -> list[_Unit]:
    kept: list[_Unit] = []
    related_block: int | None = None
    for index, unit in enumerate(units):
        if related_block is not None:
            if bp.is_headline_like(unit.text) and bp.classify(unit.text) is None and (
                unit.block == related_block or not _body_follows(units, index)
            ):
                removed.append(RemovedLine(unit.text, bp.RELATED))
                continue
            related_block = None
        is_marker, _rest = bp.related_marker(unit.text)
        if is_marker:
            removed.append(RemovedLine(unit.text, bp.RELATED))
            related_block = unit.block
            continue
        verdict = bp.classify(unit.text)
        if verdict is None:
            kept.append(unit)
            continue
        removed.append(RemovedLine(unit.text, verdict.reason))
        if verdict.author and not found.author:
            found.author = verdict.author
        if verdict.outlet and verdict.reason == bp.BIO:
            found.outlet_from_bio = found.outlet_from_bio or verdict.outlet
        elif verdict.outlet:
            found.outlet_from_copyright = found.outlet_from_copyright or verdict.outlet
    return kept


def _body_follows(units: list[_Unit], index: int) -> bool:
    nxt = units[index + 1] if index + 1 < len(units) else None
    return nxt is not None and _is_body(nxt.text)


def _is_body(text: str) -> bool:
    return bp.ends_as_sentence(text) and bp.words(text) > 8 and bp.classify(text) is None


def _mark_headings(units: list[_Unit]) -> list[_Unit]:
    """A short line with no closing punctuation, between story paragraphs, is a section sub-heading."""
    out = list(units)
    for i, unit in enumerate(out):
        if unit.heading or i == 0 or i + 1 >= len(out):
            continue
        text = unit.text
        if (
            bp.words(text) <= 10 and len(text) <= 80 and (text[0].isupper() or text[0].isdigit())
            and not text.endswith((".", "!", "?", ",", ";", ":", '"', "”", "…")) and _is_body(out[i + 1].text)
        ):
            out[i] = replace(unit, heading=True)
    return out


def _take_first_line_metadata(units: list[_Unit], removed: list[RemovedLine], found: _Found) -> list[_Unit]:
    """A date header or a wire dateline glued to the first sentence becomes metadata.

    The story's first sentence may sit behind a masthead line the cleaner cannot know yet (template
    residue is learned later, across the batch), so the first few paragraphs are looked at.
    """
    out = list(units)
    candidates = [i for i, u in enumerate(units) if not u.heading][:FIRST_PARAGRAPHS_SEARCHED]
    date_done = dateline_done = False
    for index in candidates:
        text = out[index].text
        match = None if date_done else _DATE_HEADER.match(text)
        if match:
            removed.append(RemovedLine(match.group(0).strip(), bp.DATE_HEADER))
            found.published = found.published or parse_date(match.group("date"))
            text = text[match.end():]
            date_done = True
        match = None if dateline_done else _DATELINE.match(text)
        if match and (match.group("place") or match.group("agency")):
            found.dateline = match.group("line").strip()
            removed.append(RemovedLine(found.dateline, bp.DATELINE))
            text = text[match.end():]
            text = text[:1].upper() + text[1:]
            dateline_done = True
        if text != out[index].text:
            out[index] = replace(out[index], text=text)
        if date_done and dateline_done:
            break
    return out


def _drop_timestamps(units: list[_Unit], removed: list[RemovedLine], found: _Found) -> list[_Unit]:
    kept: list[_Unit] = []
    for unit in units:
        when = _timestamp(unit.text)
        if when is None:
            kept.append(unit)
            continue
        removed.append(RemovedLine(unit.text, bp.TIMESTAMP))
        found.published = found.published or when
    return kept


def _timestamp(text: str) -> date | None:
    if bp.words(text) > 10 or not _HAS_YEAR.search(text) or not _HAS_DAY_MONTH.search(text):
        return None
    match = _TIMESTAMP.match(text)
    when = match.group("when") if match else text
    when = re.sub(r"\s*[|·•]\s*|\bat\b", " ", when).strip(" .")
    return parse_date(when) if _parses_whole(when) else None


def _parses_whole(text: str) -> bool:
    try:
        parse_datetime(text)
        return True
    except (ValueError, OverflowError):
        return False


def _drop_title_repeats(units: list[_Unit], title: str, removed: list[RemovedLine]) -> list[_Unit]:
    key = normalise_for_id(title)
    kept = []
    for unit in units:
        if normalise_for_id(unit.text) == key:
            removed.append(RemovedLine(unit.text, bp.TITLE))
        else:
            kept.append(unit)
    return kept


def _strip_site_from_title(title: str, outlet: str | None) -> str:
    """"Jets move to coast | The Harbor Ledger" -> "Jets move to coast"."""
    if not outlet:
        return title
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) > 1 and normalise_for_id(parts[-1]) == normalise_for_id(outlet):
        return " - ".join(parts[:-1]) if len(parts) > 2 else parts[0]
    return title


# --- language ------------------------------------------------------------------------------------

_LANGUAGES = ("ENGLISH", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH", "TURKISH",
              "RUSSIAN", "ARABIC", "POLISH", "SWEDISH", "UKRAINIAN", "CHINESE", "JAPANESE")


# From this many characters on, lingua's low-accuracy mode (trigram models only) is used: lingua documents it as
# as accurate as the full mode on text this long, and it labels all 2,936 gun-violence articles of 120+ characters
# as the full mode does; a process loads its models in 0.3 s instead of 3.3 s (the full mode's models load on
# first use, so every `analyze` and every worker paid it). Shorter text gets the full mode, and loads its models
# (1.8-3.3 s, once a process): so a short article's language is read from its headline and text together.
LOW_ACCURACY_CHARS = 120


@lru_cache(maxsize=2)
def _detector(low_accuracy: bool = False):  # noqa: ANN202 - lingua's type
    from lingua import Language, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in _LANGUAGES))
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, from a detector limited to common news languages."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    language = _detector(len(sample) >= LOW_ACCURACY_CHARS).detect_language_of(sample)
    return language.iso_code_639_1.name.lower() if language else None
