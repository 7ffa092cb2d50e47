"""Who an outlet is and how its name is written: the one place that decides when two names are one outlet.

An outlet is known by its key (`outlet_key`): its name case-folded, without a leading "The" or a legal or
corporate suffix, so "The Pinewood Gazette", "Pinewood Gazette" and "Pinewood Gazette Co." are one outlet.
What follows from that, decided here and nowhere else:

- a name in a sentence or a dateline names an outlet when it has its key or its initials ("CPA" for the
  Continental Press Agency: `names_outlet`), or is the end of the one story outlet's name ("the Post" for
  The Meridian Post: `short_outlet_match`); `dateline_agency` reads the credited agency off a dateline;
- `Outlets` resolves the names articles credit to the outlets of a pile of articles, and knows an outlet
  it has no article of only by a news word in its name (`MEDIA_NAME`: "The Daily Planet");
- one display name per outlet across a batch (`harmonise_outlets`, `rename_outlet`);
- an article's identity and order, which hang on its outlet: `article_id` hashes the outlet's key with
  the text (so renaming an outlet to another spelling keeps its articles' ids), and `coverage_order`
  puts a wire's own copy before the papers that ran it on the same day.

- who an article is as a source (`article_source`): its outlet, or, when no outlet is known, a source of
  its own, labelled by its title or its file's name (never a machine path, never folded with other
  articles of no known outlet);
- which key a name has as a source (`source_key`): a known outlet's or wire's own, whatever alias names
  it ("L.A. Times", "The Associated Press": the shipped table, `newsweave.sources`), and what counts once
  when independent sources are counted (`independence_key`: a publisher family).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import date
from pathlib import PurePath
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from newsweave.model import Article, Entity, normalise_for_id
from newsweave.sources import known_sources, outlet_key

NAMES_CACHED = 16384  # names whose keys are remembered: a 200-article story asks for the keys of a few thousand 140,000 times
_DATELINE_AGENCY = re.compile(r"\(([^)]{2,40})\)")
_SEEN_BY = re.compile(r"^(?:documents|records|papers|files)\s+(?:viewed|seen|reviewed|obtained)\s+by\s+", re.I)

# Names that make an organisation a news outlet even when no article of it is in the pile.
MEDIA_NAME = re.compile(
    r"\b(?:post|times|news|press|agency|herald|gazette|journal|daily|tribune|courier|ledger|sentinel|observer|"
    r"chronicle|telegraph|guardian|wire|radio|tv|television|magazine|network|broadcasting|reuters|afp|ap|"
    r"bloomberg|bbc|cnn|newspaper|bulletin|dispatch|examiner|inquirer|record|star|mirror|express)\b",
    re.I,
)
# ...unless the name says it is an office of government, the police, a court or a school, or a person's rank:
# "Chicago Police Department News Affairs", "the Office of Public Affairs", "the VFW post commander".
NOT_MEDIA = re.compile(
    r"\b(?:police|sheriff'?s?|department|dept|office|ministry|council|court|university|college|school|hospital|"
    r"commission|bureau|county|city of|government|army|navy|military|embassy|senate|congress|parliament|"
    r"commander|chief|officer|spokes(?:man|woman|person)|sergeant|lieutenant|captain)\b",
    re.I,
)

# How an article refers back to an upstream it has named in full: "the newspaper reported", "told the agency".
GENERIC_REFERENCE = re.compile(
    r"(?:the|that|this)\s+(?:(?:news|wire|daily|weekly|local|british|american|french|german)\s+)?"
    r"(?:newspaper|paper|daily|agency|wire(?:\s+service)?|service|outlet|publication|network|broadcaster|station|"
    r"magazine|website|site|tabloid)",
    re.I,
)

# --- names and keys ------------------------------------------------------------------------------


@lru_cache(maxsize=NAMES_CACHED)
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


def short_outlet_match(key: str, outlet_keys: Mapping[str, str]) -> str | None:
    """The outlet key a mention names: itself, or the one outlet whose name ends with it ("post")."""
    key = outlet_key(key)
    if key in outlet_keys:
        return key
    matches = [k for k in outlet_keys if k.endswith(" " + key)]
    return matches[0] if len(matches) == 1 else None


def dateline_agency(dateline: str | None) -> str | None:
    """The agency a dateline credits: "LISBON, Nov 3 (CPA) -" -> "CPA"."""
    match = _DATELINE_AGENCY.search(dateline or "")
    return match.group(1).strip() if match else None


@lru_cache(maxsize=NAMES_CACHED)
def source_key(name: str | None) -> str:
    """The key of the source a name means: a known outlet's or wire's own key whatever spelling or alias names it
    ("L.A. Times" and "Los Angeles Times", "AP" and "The Associated Press": `newsweave/data/sources.toml`),
    else the name's `outlet_key`. (Article ids keep `outlet_key`, so that the table growing never changes them.)"""
    known = known_sources().by_name(name) if name else None
    return outlet_key(known.name) if known else outlet_key(name)


def independence_key(key: str) -> str:
    """What counts once when independent sources are counted: a known outlet's family ("Tribune Publishing":
    its papers carry each other's copy), else the source itself (a wire is its own family)."""
    family = known_sources().family(key) if key and not key.startswith(UNKNOWN_SOURCE) else None
    return f"family: {family}" if family else key


# --- the outlets of a pile of articles -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlets:
    """The outlets of a pile of articles, by key, to resolve the names sentences credit."""

    names: Mapping[str, str] = field(default_factory=dict)  # outlet key -> display name
    generic: tuple[str, str] | None = None  # (key, display) "the newspaper" means, in one article (`with_upstreams`)
    # the names looked up by their key, initials and short forms (`_NameIndex`): built on the first lookup, so a
    # lookup does not go over every outlet of the story (a 200-article story resolves thousands of names)
    _index: _NameIndex | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, articles: Iterable[Article]) -> Outlets:
        names: dict[str, str] = {}
        for a in articles:
            if a.outlet:
                names.setdefault(source_key(a.outlet), a.outlet)
        return cls(names)

    def resolve(self, name: str | None) -> tuple[str, str] | None:
        """(key, display name) of the news outlet `name` refers to, or None when it is no outlet."""
        if not name:
            return None
        name = _SEEN_BY.sub("", name.strip())
        name = re.split(r"\s*[,;:(]\s*", name, maxsplit=1)[0]  # "The Lakeside Courier, UPDATE: 3:10 p.m.": the name
        if not name:
            return None
        if self.generic and GENERIC_REFERENCE.fullmatch(name):
            return self.generic
        known = known_sources().by_name(name) if len(name) > 2 or name.isupper() else None
        if known is not None:  # a known outlet or wire, by any of its names: "L.A. Times", "The Associated Press"
            key = outlet_key(known.name)
            return key, self.names.get(key, known.name)
        index = self._index
        if index is None:
            index = _index_of(tuple(self.names.items()))
            object.__setattr__(self, "_index", index)  # a cache: what the outlets are does not change
        named = index.naming(name)  # the first outlet `names_outlet` says the name names
        if named:
            return named
        key = index.short_match(name)  # as `short_outlet_match`
        if key:
            return key, self.names[key]
        if MEDIA_NAME.search(name) and not NOT_MEDIA.search(name) and (name[:1].isupper() or re.match(r"^the\s+[A-Z]", name)):
            display = re.sub(r"^the\s+", "The ", name.strip())
            return outlet_key(display), display
        return None

    def with_upstreams(self, named: Mapping[str, str]) -> Outlets:
        """These outlets and the upstreams one article names in full (key -> display name), so that its short
        references resolve to them: "the Ledger" after "The Harbor Ledger", and "the newspaper", "the paper",
        "the agency" to the one upstream it names (the first it names when several)."""
        if not named:
            return self
        return Outlets({**self.names, **{k: v for k, v in named.items() if k not in self.names}}, next(iter(named.items())))

    def named_by(self, entity: Entity) -> bool:
        """Whether an entity is one of these outlets, by its text or by its key ("the Post", once a story's
        entities are resolved, has the key of The Meridian Post)."""
        return source_key(entity.text) in self.names or outlet_key(entity.key) in self.names


@dataclass(frozen=True, slots=True)
class _NameIndex:
    """One story's outlet names by what names them: the key of the display name and its initials (the first
    outlet in order for each, as `names_outlet` tried them in turn), and each key's word-final parts ("post" of
    "meridian post", for `short_outlet_match`)."""

    by_key: Mapping[str, tuple[int, str, str]]  # outlet_key(display) -> (position, key, display)
    by_initials: Mapping[str, tuple[int, str, str]]
    by_ending: Mapping[str, tuple[str, ...]]  # "post" -> the keys ending in " post"
    keys: frozenset[str]

    @classmethod
    def of(cls, names: Mapping[str, str]) -> _NameIndex:
        by_key: dict[str, tuple[int, str, str]] = {}
        by_initials: dict[str, tuple[int, str, str]] = {}
        by_ending: dict[str, list[str]] = defaultdict(list)
        for position, (key, display) in enumerate(names.items()):
            by_key.setdefault(outlet_key(display), (position, key, display))
            initials = outlet_initials(display)
            if initials:
                by_initials.setdefault(initials, (position, key, display))
            words = key.split(" ")
            for i in range(1, len(words)):
                by_ending[" ".join(words[i:])].append(key)
        return cls(by_key, by_initials, {k: tuple(v) for k, v in by_ending.items()}, frozenset(names))

    def naming(self, name: str) -> tuple[str, str] | None:
        key = outlet_key(name)
        found = [f for f in (self.by_key.get(key), self.by_initials.get(key.replace(" ", ""))) if f]
        if not found:
            return None
        _, outlet, display = min(found)
        return outlet, display

    def short_match(self, name: str) -> str | None:
        key = outlet_key(name)
        if key in self.keys:
            return key
        matches = self.by_ending.get(key, ())
        return matches[0] if len(matches) == 1 else None


def harmonise_outlets(articles: Iterable[Article]) -> dict[str, str]:
    """One display name per outlet across a batch: "Pinewood Gazette" and "The Pinewood Gazette" are one.

    The longest spelling wins, being the most complete ("The ..."); ties go to the alphabetically first.
    """
    spellings: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        if article.outlet:
            spellings[outlet_key(article.outlet)].add(article.outlet)
    return {key: min(names, key=lambda name: (-len(name), name)) for key, names in spellings.items()}


def rename_outlet(article: Article, names: Mapping[str, str]) -> Article:
    """The article under its outlet's harmonised name (its id, keyed on the outlet key, does not change)."""
    name = names.get(outlet_key(article.outlet))
    return replace(article, outlet=name) if name and name != article.outlet else article


# --- what of an article hangs on its outlet ------------------------------------------------------


def article_id(outlet: str | None, text: str) -> str:
    """Stable id of an article: the same outlet publishing the same clean text is the same article.

    Two outlets that run one wire story word for word are two publications, so the outlet is part
    of the key; a re-ingested copy of one file, or the same page saved twice, is not.
    """
    key = outlet_key(outlet) + "\n" + normalise_for_id(text)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def coverage_order(article: Article) -> tuple[date, int, str]:
    """Sort key, oldest first; on one day, a wire's own copy (its dateline credits its own outlet) first."""
    own_wire = names_outlet(dateline_agency(article.dateline), article.outlet)
    return (article.published or date.max, 0 if own_wire else 1, article.id)


# --- an article as a source ------------------------------------------------------------------------

UNKNOWN_SOURCE = "~"  # keys of articles of no known outlet start with it (no outlet key can: `outlet_key` folds text)
_LABEL_CHARS = 80


@dataclass(frozen=True, slots=True)
class Source:
    """Who an article is as a source: its outlet, or, when no outlet is known, itself."""

    key: str  # the outlet's key, or UNKNOWN_SOURCE + the article's id
    name: str  # what a person reads: the outlet's name, else the article's title or file name
    known: bool  # False: the name labels the article, it names no outlet


def article_source(article: Article) -> Source:
    """The article's source: its outlet when known; else the article is a source of its own, labelled by its
    title, else its file's name (or its web address's host, "pasted text", "standard input"), never folded
    with other articles of no known outlet."""
    if article.outlet:
        return Source(source_key(article.outlet), article.outlet, True)
    return Source(UNKNOWN_SOURCE + article.id, source_label(article.title, article.source, article.id), False)


def source_label(title: str | None, source: str | None, article_id: str) -> str:
    """A person-readable name for an article of no known outlet: "Strikes continue", "a2.txt", "example.org"."""
    if title and title.strip():
        title = " ".join(title.split())
        return title if len(title) <= _LABEL_CHARS else title[: _LABEL_CHARS - 1].rstrip() + "…"
    source = (source or "").strip()
    if re.match(r"^https?://", source, re.I):
        host = urlsplit(source).hostname or ""
        if host:
            return re.sub(r"^www\d?\.", "", host)
    if source.startswith("paste:"):
        return f"pasted text {source[6:12]}"
    if source in ("-", "") or source.startswith("-#"):
        return f"standard input, record {source[2:]}" if source.startswith("-#") else "standard input" if source \
            else f"article {article_id[:8]}"
    return PurePath(source.replace("\\", "/")).name or f"article {article_id[:8]}"


def record_source_key(record: Mapping[str, object]) -> str:
    """`Source.key` of an article of the JSON dossier: its outlet's `source_key`, else its own (`article_source`)."""
    outlet = record.get("outlet")
    return source_key(outlet) if isinstance(outlet, str) and outlet else UNKNOWN_SOURCE + str(record.get("id") or "")


def record_source_name(record: Mapping[str, object]) -> str:
    """`Source.name` of an article of the JSON dossier (its `source_name`; dossiers stored before it was
    written get it from their outlet, title and source)."""
    name = record.get("source_name") or record.get("outlet")
    if isinstance(name, str) and name:
        return name
    title, source = record.get("title"), record.get("source")
    return source_label(title if isinstance(title, str) else None, source if isinstance(source, str) else None,
                        str(record.get("id") or ""))


@lru_cache(maxsize=64)
def _index_of(names: tuple[tuple[str, str], ...]) -> _NameIndex:
    """`_NameIndex.of`, once per set of outlets: a story's articles resolve names against the story's outlets
    with their own upstreams added, and most add the same few (a wire), so a 200-article story builds a handful."""
    return _NameIndex.of(dict(names))
