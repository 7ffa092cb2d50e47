"""Known news sources: the wire services, outlets and families newsweave ships knowledge of.

The facts live in `newsweave/data/sources.toml` (its header says what each field means and how to extend
it); this module reads them once per process and answers three questions:

- who is behind a site: `Sources.by_host("https://chicago.suntimes.com/news/...")` is the Chicago Sun-Times
  (a URL or a bare host; web.archive.org snapshots are unwrapped; "www.", "m." and "amp." and ports are
  dropped; a subdomain belongs to the nearest listed domain above it, never to a bare public suffix such as
  "co.uk"); hosts listed as `not_news` (platforms, police, courts) answer None;
- who a name means: `Sources.by_name("L.A. Times")` is the Los Angeles Times. Names are compared by their
  `outlet_key` (case, a leading "The", legal suffixes; kept here, below `newsweave.outlets`, which decides the rest) and again without full stops, and
  only as whole names: "AP" is the Associated Press, "AP-NORC poll" and "Rep. AP Smith" are nothing. A
  short form answers for its wire wherever it stands alone, so "PA" is PA Media even where a writer meant
  Pennsylvania, "CP" The Canadian Press, "AA" Anadolu and "Bloomberg" Bloomberg News: call `by_name` with
  names already known to be news organisations, not with any word of a sentence;
- whose family it is: `Sources.family("WSB-TV")` is "Cox Media Group" (a wire is its own family).

`wire_credits` reads which wires' copy an article carries: from its dateline, its byline, the head of
its first paragraphs, the wires' credit and sign-off lines anywhere in it, and the lines the cleaner
removed. A wire named in ordinary reporting ("told The Associated Press", "Reuters reported") is a
citation, not a credit: `newsweave.dossier.provenance` handles those. An article on a wire's own site
carries its own copy too: whether that counts is the caller's to decide.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Iterable, Iterator, Literal, Mapping, Sequence
from urllib.parse import urlsplit

from newsweave.errors import ConfigError
from newsweave.model import normalise_for_id

__all__ = [
    "Credit", "Family", "KnownSource", "Sources", "WireCredit", "known_sources", "load_sources", "outlet_key", "wire_credits",
]

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


OPENING_LINES = 3  # a dateline sits on the story's first paragraph, behind at most a title and a masthead
DATELINE_HEAD_CHARS = 120  # "HEMPSTEAD, N.Y., Sept. 26 (UPI) —" is short: a wire named further in is in a sentence
EVIDENCE_CHARS = 240  # evidence longer than this is cut around the match
MAX_DATELINE_WORDS = 8  # "RIO DE JANEIRO, Brazil, Nov. 3" fits; a sentence naming "(AP)" seldom does
# Lower-case words a dateline may hold: place names' particles ("Rio de Janeiro") and the month abbreviations of
# Spanish, Portuguese and Italian datelines ("Madrid, 3 nov (EFE).-").
_DATELINE_LOWER_WORDS = frozenset({
    "de", "del", "der", "di", "du", "da", "la", "le", "les", "el", "of", "on", "am", "an", "upon", "sur", "im", "the",
    "and", "y", "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "sept", "set", "oct", "out", "nov",
    "dic", "dez", "gen", "mag", "giu", "lug", "ott",
})
CREDIT_PLACES = ("dateline", "opening", "line", "sign-off")
DROPPED_HOST_LABELS = re.compile(r"^(?:www\d*|m|amp|mobile)$")  # "www.", "m.", "amp." lead to the same site
# Second-level labels under which a country's registry sells names: "co.uk", "com.au", "ne.jp" are public
# suffixes, never an outlet's domain, and a host is never matched on one.
_REGISTRY_LABELS = frozenset({"ac", "co", "com", "edu", "gob", "go", "gouv", "gov", "govt", "ltd", "mil", "ne", "net",
                              "nic", "nom", "or", "org", "plc", "sch"})
_ARCHIVED = re.compile(r"^(?:https?://)?web\.archive\.org/web/\d+[a-z_]*/", re.I)
_BYLINE_BY = re.compile(r"^\s*by\s+", re.I)
_BYLINE_PARTS = re.compile(r"\s*(?:[,;/|&]|\band\b|\bfor\b|\s[-–—]+\s|\n)\s*", re.I)
_BYLINE_ROLE = re.compile(r"(?:\s+(?:staff(?:\s+writers?)?|writers?|reporters?|correspondents?|contributors?|"
                          r"news\s+service|wire(?:\s+service)?|newswire))+\.?$", re.I)


# --- what is known ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownSource:
    """A wire service or a news outlet that newsweave knows by name and by site."""

    name: str
    kind: Literal["wire", "outlet"]
    short: str | None  # a wire's dateline signature ("AP"); None for outlets
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    family: str | None  # the owner or newsroom it belongs to; a wire's is its own name


@dataclass(frozen=True, slots=True)
class Family:
    """An owner, or a shared newsroom, whose members carry each other's copy."""

    name: str
    kind: Literal["owner", "newsroom"]
    note: str


@dataclass(frozen=True, slots=True)
class Credit:
    """One form in which copy carries a wire: a regular expression, and where in an article it is looked for."""

    wire: str
    at: Literal["dateline", "opening", "line", "sign-off"]
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class WireCredit:
    """A wire whose copy an article carries, with the text that shows it and where that text stood."""

    wire: KnownSource
    evidence: str
    where: Literal["dateline", "byline", "opening", "credit line", "sign-off", "removed line"]


@dataclass(frozen=True, eq=False)
class Sources:
    """The known wires, outlets and families, indexed by domain and by name key."""

    wires: tuple[KnownSource, ...]
    outlets: tuple[KnownSource, ...]
    families: Mapping[str, Family]
    credits: tuple[Credit, ...]
    not_news: frozenset[str]
    _by_domain: Mapping[str, KnownSource] = field(repr=False)
    _by_key: Mapping[str, KnownSource] = field(repr=False)
    _families_by_key: Mapping[str, Family] = field(repr=False)

    def by_host(self, url_or_host: str | None) -> KnownSource | None:
        """The source whose site a URL or host is on; None for an unknown or not-news host."""
        for domain in _domains_up(url_or_host):
            if domain in self.not_news:
                return None
            source = self._by_domain.get(domain)
            if source:
                return source
        return None

    def is_not_news(self, url_or_host: str | None) -> bool:
        """Whether a URL or host is on a site listed as no news outlet (a platform, the police, a court)."""
        for domain in _domains_up(url_or_host):
            if domain in self.not_news:
                return True
            if domain in self._by_domain:
                return False
        return False

    def by_name(self, name: str | None) -> KnownSource | None:
        """The source a whole name means: its name, an alias or (for a wire) its short form."""
        for key in _name_keys(name):
            source = self._by_key.get(key)
            if source:
                return source
        return None

    def family(self, name_or_key: str | None) -> str | None:
        """The family of a source named by name, alias or outlet key (a wire is its own family); a family's
        own name gives itself; None for an unknown name or an outlet with no family listed."""
        source = self.by_name(name_or_key)
        if source:
            return source.family
        for key in _name_keys(name_or_key):
            if key in self._families_by_key:
                return self._families_by_key[key].name
        return None

    def members(self, family: str) -> tuple[KnownSource, ...]:
        """The outlets (or the wire) of a family."""
        return tuple(s for s in self.wires + self.outlets if s.family == family)


# --- reading the file ---------------------------------------------------------------------------


@cache
def known_sources() -> Sources:
    """The shipped knowledge (`newsweave/data/sources.toml`), read once per process."""
    resource = resources.files("newsweave") / "data" / "sources.toml"
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{resource}: cannot read newsweave's list of news sources ({exc}); "
                          "reinstall newsweave") from exc
    return load_sources(text, str(resource))


def load_sources(text: str, origin: str = "sources.toml") -> Sources:
    """Sources from the text of a sources file; `origin` names the file in errors.

    Raises ConfigError, naming the file and the entry, when the TOML does not parse, an entry lacks a field
    or has one of the wrong type, a credit's pattern does not compile, a domain is a bare public suffix, two
    sources share a domain or a name, or an outlet names a family the file does not list.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _malformed(origin, f"is not valid TOML ({exc})") from exc
    families: dict[str, Family] = {}
    for n, entry in enumerate(_tables(data, "family", origin), 1):
        where = f"[[family]] #{n}"
        name = _text(entry, "name", where, origin)
        kind = _text(entry, "kind", where, origin)
        if kind not in ("owner", "newsroom"):
            raise _malformed(origin, f"{where} ({name}): kind must be \"owner\" or \"newsroom\", not {kind!r}")
        if name in families:
            raise _malformed(origin, f"{where}: family {name!r} is listed twice")
        families[name] = Family(name, kind, _text(entry, "note", where, origin, default=""))
    wires: list[KnownSource] = []
    credits: list[Credit] = []
    for n, entry in enumerate(_tables(data, "wire", origin), 1):
        where = f"[[wire]] #{n}"
        name = _text(entry, "name", where, origin)
        wires.append(KnownSource(name, "wire", _text(entry, "short", where, origin, default=None),
                                 _texts(entry, "aliases", where, origin), _domains(entry, where, origin), name))
        credits += _credits(entry, name, where, origin)
    outlets: list[KnownSource] = []
    for n, entry in enumerate(_tables(data, "outlet", origin), 1):
        where = f"[[outlet]] #{n}"
        name = _text(entry, "name", where, origin)
        family = _text(entry, "family", where, origin, default=None)
        if family is not None and family not in families:
            raise _malformed(origin, f"{where} ({name}): family {family!r} is not a [[family]] of the file; "
                                     f"add it, or use one of: {', '.join(sorted(families))}")
        outlets.append(KnownSource(name, "outlet", None, _texts(entry, "aliases", where, origin),
                                   _domains(entry, f"{where} ({name})", origin), family))
    not_news = data.get("not_news", [])
    if not isinstance(not_news, list) or not all(isinstance(h, str) for h in not_news):
        raise _malformed(origin, "not_news must be a list of host names")
    by_domain: dict[str, KnownSource] = {}
    by_key: dict[str, KnownSource] = {}
    for source in wires + outlets:
        for domain in source.domains:
            if domain in by_domain:
                raise _malformed(origin, f"domain {domain!r} is listed for both {by_domain[domain].name!r} and "
                                         f"{source.name!r}; a domain belongs to one source")
            by_domain[domain] = source
        for spelling in (source.name, *source.aliases, *([source.short] if source.short else [])):
            for key in _name_keys(spelling):
                if by_key.get(key, source) is not source:
                    raise _malformed(origin, f"the name {spelling!r} ({key!r} once normalised) is both "
                                             f"{by_key[key].name!r} and {source.name!r}; a name belongs to one source")
                by_key[key] = source
    for host in not_news:
        if host in by_domain:
            raise _malformed(origin, f"{host!r} is both a not_news host and a domain of {by_domain[host].name!r}")
    families_by_key = {key: f for f in families.values() for key in _name_keys(f.name)}
    return Sources(tuple(wires), tuple(outlets), families, tuple(credits), frozenset(h.lower() for h in not_news),
                   by_domain, by_key, families_by_key)


def _malformed(origin: str, what: str) -> ConfigError:
    return ConfigError(f"{origin}: {what}. Fix the file (its header says what each field holds).")


def _tables(data: dict, name: str, origin: str) -> list[dict]:
    tables = data.get(name, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise _malformed(origin, f"{name} must be an array of tables ([[{name}]])")
    return tables


_MISSING = object()


def _text(entry: dict, key: str, where: str, origin: str, default: object = _MISSING) -> str | None:
    value = entry.get(key, default)
    if value is _MISSING:
        raise _malformed(origin, f"{where} has no {key}")
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _malformed(origin, f"{where}: {key} must be a non-empty string, not {value!r}")
    return value  # type: ignore[return-value]


def _texts(entry: dict, key: str, where: str, origin: str) -> tuple[str, ...]:
    values = entry.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise _malformed(origin, f"{where}: {key} must be a list of non-empty strings")
    return tuple(values)


def _domains(entry: dict, where: str, origin: str) -> tuple[str, ...]:
    domains = _texts(entry, "domains", where, origin)
    for domain in domains:
        if domain != domain.lower().strip() or "/" in domain or ":" in domain or domain.startswith("www."):
            raise _malformed(origin, f"{where}: domain {domain!r} must be a lower-case host name without "
                                     "scheme, path, port or \"www.\"")
        if _is_public_suffix(domain):
            raise _malformed(origin, f"{where}: domain {domain!r} is a public suffix, which every site under it "
                                     "shares; list the outlet's own domain")
    return domains


def _credits(entry: dict, wire: str, where: str, origin: str) -> list[Credit]:
    raw = entry.get("credits", [])
    if not isinstance(raw, list):
        raise _malformed(origin, f"{where} ({wire}): credits must be a list of {{ at = ..., pattern = ... }}")
    out = []
    for n, credit in enumerate(raw, 1):
        at, pattern = (credit.get("at"), credit.get("pattern")) if isinstance(credit, dict) else (None, None)
        if at not in CREDIT_PLACES or not isinstance(pattern, str):
            raise _malformed(origin, f"{where} ({wire}), credit #{n}: needs at (one of {', '.join(CREDIT_PLACES)}) "
                                     f"and pattern (a string), not {credit!r}")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise _malformed(origin, f"{where} ({wire}), credit #{n}: pattern {pattern!r} is not a regular "
                                     f"expression ({exc})") from exc
        out.append(Credit(wire, at, compiled))
    return out


# --- hosts and names ----------------------------------------------------------------------------


def _is_public_suffix(domain: str) -> bool:
    labels = domain.split(".")
    return len(labels) < 2 or (len(labels) == 2 and labels[0] in _REGISTRY_LABELS and len(labels[1]) == 2)


def _domains_up(url_or_host: str | None) -> Iterator[str]:
    """The host of a URL (or a host), then each parent domain up to, not including, its public suffix."""
    text = (url_or_host or "").strip()
    while (archived := _ARCHIVED.match(text)):
        text = text[archived.end():]
    if not text:
        return
    try:
        host = urlsplit(text if "://" in text else "//" + text).hostname
    except ValueError:  # an unparsable port or bracketed host
        return
    labels = [label for label in (host or "").rstrip(".").split(".") if label]
    while len(labels) > 2 and DROPPED_HOST_LABELS.match(labels[0]) and not _is_public_suffix(".".join(labels[1:])):
        labels = labels[1:]
    for start in range(len(labels)):
        domain = ".".join(labels[start:])
        if _is_public_suffix(domain):
            return
        yield domain


def _name_keys(name: str | None) -> tuple[str, ...]:
    """The keys a name is known by: its outlet key, and that key without full stops ("L.A. Times", "LA Times")."""
    key = outlet_key(name)
    if not key:
        return ()
    bare = re.sub(r"\s+", " ", key.replace(".", "")).strip()
    return (key,) if bare in ("", key) else (key, bare)


# --- which wires an article carries -------------------------------------------------------------


def wire_credits(
    text: str,
    *,
    dateline: str | None = None,
    author: str | None = None,
    removed: Sequence[str] = (),
    sources: Sources | None = None,
) -> tuple[WireCredit, ...]:
    """The wires whose copy an article carries, each once, with its first evidence.

    Looked for, in this order: the dateline ("LISBON, Nov 3 (AP) —"), the author field ("AP", "By JOHN DOE
    Associated Press"), the head of the text's first lines ("(Reuters) - ...", a dateline the cleaner left in),
    the wires' sign-off and credit lines anywhere in the text ("(Reporting by ...; Editing by ...)",
    "Copyright 2016 The Associated Press"), and the lines the cleaner removed (`removed`, their text).
    """
    sources = sources or known_sources()
    wires = {w.name: w for w in sources.wires}
    found: dict[str, WireCredit] = {}

    def note(wire: str, evidence: str, where: str) -> None:
        if wire not in found:
            found[wire] = WireCredit(wires[wire], evidence.strip(), where)  # type: ignore[arg-type]

    if dateline:
        for credit in sources.credits:
            if credit.at in ("dateline", "opening") and credit.pattern.search(dateline.strip()):
                note(credit.wire, dateline, "dateline")
    if author:
        for wire in _byline_wires(author, sources):
            note(wire.name, author, "byline")
    for line in [line.strip() for line in text.splitlines() if line.strip()][:OPENING_LINES]:
        for credit in sources.credits:
            if credit.at == "opening":
                match = credit.pattern.match(line)
            elif credit.at == "dateline":
                match = credit.pattern.search(line[:DATELINE_HEAD_CHARS])
                match = match if match and _dateline_head(line[:match.start()]) else None
            else:
                continue
            if match:
                note(credit.wire, _around(line, match.start()), "opening")
    for credit in sources.credits:
        if credit.at in ("line", "sign-off") and credit.wire not in found:
            match = credit.pattern.search(text)
            if match:
                note(credit.wire, _line_of(text, match), "sign-off" if credit.at == "sign-off" else "credit line")
    for line in removed:
        line = getattr(line, "text", line)  # a RemovedLine is taken as its text
        for credit in sources.credits:
            if credit.wire not in found and (credit.pattern.match(line.strip()) if credit.at == "opening"
                                             else credit.pattern.search(line)):
                note(credit.wire, line, "removed line")
    return tuple(found.values())


def _dateline_head(before: str) -> bool:
    """Whether the text before a wire's signature can be a dateline's place and date ("HEMPSTEAD, N.Y., Sept. 26",
    "New Delhi [India], Nov 3"): a few words, none of them in lower case but a place name's particles and month
    abbreviations. "(AP)" after "the agency" is in a sentence."""
    words = before.split()
    return len(words) <= MAX_DATELINE_WORDS and all(
        not word[:1].islower() or word.strip(",.;:") in _DATELINE_LOWER_WORDS for word in words)


def _byline_wires(author: str, sources: Sources) -> Iterable[KnownSource]:
    """Wires an author field names: a part of it that is a wire's name, alias or short form once a role word
    is dropped ("AP", "Reuters Staff", "Jane Roe, Associated Press Writer"), or a wire's name of two words
    or more anywhere in it ("By JOHN DOE Associated Press")."""
    text = _BYLINE_BY.sub("", author)
    for part in _BYLINE_PARTS.split(text):
        source = sources.by_name(_BYLINE_ROLE.sub("", part.strip()))
        if source and source.kind == "wire":
            yield source
    folded = " " + re.sub(r"[^\w]+", " ", text.casefold()) + " "
    for wire in sources.wires:
        for name in (wire.name, *wire.aliases):
            words = re.sub(r"[^\w]+", " ", name.casefold()).split()
            if len(words) > 1 and f" {' '.join(words)} " in folded:
                yield wire
                break


def _around(text: str, at: int) -> str:
    """`text`, or when it is long the EVIDENCE_CHARS of it around offset `at`, marked "…" where cut."""
    if len(text) <= EVIDENCE_CHARS:
        return text
    start = max(0, min(at - EVIDENCE_CHARS // 3, len(text) - EVIDENCE_CHARS))
    end = start + EVIDENCE_CHARS
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _line_of(text: str, match: re.Match[str]) -> str:
    """The line of `text` a match starts on, cut around the match when long."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.start())
    return _around(text[start:] if end < 0 else text[start:end], match.start() - start)
