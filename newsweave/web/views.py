"""What the pages show, computed from a stored dossier (one story of the public JSON format) and articles.

Plain functions of plain values, no I/O and no NLP: the templates only lay these out. Highlighting is
done here as lists of segments `(text, mark)`, so the templates never mark up untrusted text
themselves and never need `|safe`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

from newsweave.model import Article
from newsweave.outlets import record_source_key, record_source_name

Dossier = dict[str, Any]
CellState = Literal["states", "differs", "silent"]

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text; `mark` says how it is highlighted (None: plain)."""

    text: str
    mark: str | None = None
    claim: str | None = None  # the claim it states, on the article page
    title: str | None = None


def outlet_name(article: dict[str, Any]) -> str:
    """Who the article is as a source: its outlet, else its title or file name (`outlets.article_source`)."""
    return record_source_name(article)


# --- the claim matrix ---


@dataclass(frozen=True, slots=True)
class OutletColumn:
    outlet: str
    articles: tuple[str, ...]  # article ids, oldest first


@dataclass(frozen=True, slots=True)
class Cell:
    state: CellState
    values: tuple[str, ...] = ()  # for a disputed claim: the value(s) this outlet gives

    @property
    def label(self) -> str:
        return {"states": "states it", "differs": "states it differently", "silent": "silent"}[self.state]


@dataclass(frozen=True, slots=True)
class MatrixRow:
    claim: dict[str, Any]
    cells: tuple[Cell, ...]

    @property
    def disputed(self) -> bool:
        """The claim has conflicts: disputed, or updated (numbers the later reports changed)."""
        return self.claim["status"] in ("disputed", "updated")


@dataclass(frozen=True, slots=True)
class ClaimMatrix:
    columns: tuple[OutletColumn, ...]
    rows: tuple[MatrixRow, ...]


def outlet_columns(story: Dossier) -> tuple[OutletColumn, ...]:
    """One column per source (an outlet, or an article of no known outlet), in order of its first article
    (undated last)."""
    by_source: dict[str, list[dict[str, Any]]] = {}
    for article in story["articles"]:
        by_source.setdefault(record_source_key(article), []).append(article)
    ordered = sorted(by_source.values(), key=lambda group: (min((a["published"] or "9999") for a in group), outlet_name(group[0])))
    return tuple(OutletColumn(outlet_name(group[0]), tuple(a["id"] for a in sorted(group, key=lambda a: a["published"] or "9999")))
                 for group in ordered)


def reference_values(story: Dossier) -> dict[str, set[str]]:
    """For each disputed claim, the value(s) the claim's own text gives (its oldest article's): the others differ.

    When the claim's first article is on no side, the side with the most articles is the reference.
    """
    claims = {c["id"]: c for c in story["claims"]}
    reference: dict[str, set[str]] = {}
    for conflict in story["conflicts"]:
        claim = claims.get(conflict["claim"])
        first = claim["mentions"][0]["article"] if claim and claim["mentions"] else None
        values = conflict["values"]
        chosen = next((v for v in values if first in v["articles"]), None) or max(values, key=lambda v: len(v["articles"]))
        reference.setdefault(conflict["claim"], set()).add(chosen["value"])
    return reference


def claim_matrix(story: Dossier, *, include_unique: bool = False) -> ClaimMatrix:
    """Claims as rows (disputed first, then by how many outlets state them), outlets as columns.

    A cell is `states` when one of the outlet's articles states the claim (with the reference value if
    the claim is disputed), `differs` when one gives another value in a conflict, else `silent`.
    """
    columns = outlet_columns(story)
    reference = reference_values(story)
    given: dict[tuple[str, str], set[str]] = {}  # (claim, article) -> values it gives in the claim's conflicts
    for conflict in story["conflicts"]:
        for value in conflict["values"]:
            for article in value["articles"]:
                given.setdefault((conflict["claim"], article), set()).add(value["value"])
    rows = []
    order = {c["id"]: i for i, c in enumerate(story["claims"])}
    claims = [c for c in story["claims"] if include_unique or not c.get("unique")]
    claims.sort(key=lambda c: (c["status"] not in ("disputed", "updated"), c["status"] != "disputed", -c.get("outlets", 0), order[c["id"]]))
    for claim in claims:
        stating = {m["article"] for m in claim["mentions"]}
        cells = []
        for column in columns:
            values = set().union(*(given.get((claim["id"], a), set()) for a in column.articles))
            differing = values - reference.get(claim["id"], set())
            if differing:
                cells.append(Cell("differs", tuple(sorted(differing))))
            elif values or stating.intersection(column.articles):
                cells.append(Cell("states", tuple(sorted(values))))
            else:
                cells.append(Cell("silent"))
        rows.append(MatrixRow(claim, tuple(cells)))
    return ClaimMatrix(columns, tuple(rows))


# --- conflicts, side by side ---


@dataclass(frozen=True, slots=True)
class ConflictValue:
    value: str
    reference: bool
    articles: tuple[tuple[str, str], ...]  # (article id, outlet)
    evidence: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True, slots=True)
class ConflictView:
    kind: str
    explanation: str
    claim: dict[str, Any] | None
    values: tuple[ConflictValue, ...]
    verdict: str = "disputed"  # or "updated": a number the later reports changed


def conflicts(story: Dossier) -> list[ConflictView]:
    """Each conflict with its values side by side, each value's evidence sentences with the value marked."""
    outlets = {a["id"]: outlet_name(a) for a in story["articles"]}
    claims = {c["id"]: c for c in story["claims"]}
    reference = reference_values(story)
    views = []
    for conflict in story["conflicts"]:
        values = []
        for value in conflict["values"]:
            is_reference = value["value"] in reference.get(conflict["claim"], set())
            mark = "same" if is_reference else "differs"
            values.append(ConflictValue(
                value=value["value"],
                reference=is_reference,
                articles=tuple((a, outlets.get(a, a)) for a in value["articles"]),
                evidence=tuple(highlight(e, value_needles(value["value"]), mark) for e in value["evidence"]),
            ))
        views.append(ConflictView(conflict["kind"], conflict["explanation"], claims.get(conflict["claim"]), tuple(values),
                                  conflict.get("verdict", "disputed")))
    return views


def value_needles(value: str) -> list[str]:
    """What to look for in an evidence sentence to mark a conflict's value: the value, else its numbers."""
    needles = [value]
    needles += [n for n in _NUMBER.findall(value) if n != value]
    return needles


def highlight(sentence: str, needles: Sequence[str], mark: str) -> tuple[Segment, ...]:
    """The sentence as segments, every occurrence of the first needle found in it (whole words, any case) marked."""
    for needle in needles:
        if not needle:
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", re.IGNORECASE)
        if pattern.search(sentence):
            segments: list[Segment] = []
            position = 0
            for match in pattern.finditer(sentence):
                if match.start() > position:
                    segments.append(Segment(sentence[position:match.start()]))
                segments.append(Segment(match.group(), mark))
                position = match.end()
            if position < len(sentence):
                segments.append(Segment(sentence[position:]))
            return tuple(segments)
    return (Segment(sentence),)


# --- key facts, the box at the top of a story ---


@dataclass(frozen=True, slots=True)
class FactValue:
    value: str
    published: str | None  # its first report
    current: bool  # the value the fact shows
    mark: str  # how it is marked: "same" (the fact's, or agreeing with it), "differs" (disputed), "earlier" (updated)
    outlets: tuple[tuple[str, str], ...]  # (article id, outlet): each outlet once, by its first article stating it
    evidence: tuple[tuple[str, tuple[Segment, ...]], ...]  # (outlet, the sentence with the value marked), per article


@dataclass(frozen=True, slots=True)
class FactView:
    kind: str
    label: str  # "Killed"
    value: str
    verdict: str  # corroborated | updated | disputed | less specific | single source
    values: tuple[FactValue, ...]  # in order of first report: an update's timeline

    @property
    def status(self) -> str:
        """The verdict as a CSS class suffix, as the claims' statuses are ("single source" is `single-source`)."""
        return self.verdict.replace(" ", "-")

    @property
    def outlets(self) -> tuple[tuple[str, str], ...]:
        """Every outlet reporting the fact, once."""
        seen: dict[str, str] = {}
        for value in self.values:
            for article_id, name in value.outlets:
                seen.setdefault(name, article_id)
        return tuple((article_id, name) for name, article_id in seen.items())


# How a value other than the fact's is marked in its evidence: a disputed value differs, an update's earlier
# value came before; a vaguer value agrees.
_OTHER_MARK = {"disputed": "differs", "updated": "earlier"}


def key_facts(story: Dossier) -> list[FactView]:
    """The story's key facts (the dossier's `facts`; none in a dossier stored before them), each value with
    its outlets and its evidence sentences, the value marked in them."""
    outlets = {a["id"]: outlet_name(a) for a in story["articles"]}
    views = []
    for fact in story.get("facts") or ():
        values = []
        for value in fact["values"]:
            current = value["value"] == fact["value"]
            mark = "same" if current else _OTHER_MARK.get(fact["verdict"], "same")
            names = [(a, outlets.get(a, a)) for a in value["articles"]]
            firsts: dict[str, str] = {}
            for article_id, name in names:
                firsts.setdefault(name, article_id)
            values.append(FactValue(
                value=value["value"], published=value.get("published"), current=current, mark=mark,
                outlets=tuple((article_id, name) for name, article_id in firsts.items()),
                evidence=tuple((name, highlight(e, value_needles(value["value"]), mark))
                               for (_, name), e in zip(names, value["evidence"])),
            ))
        views.append(FactView(fact["kind"], fact["kind"].capitalize(), fact["value"], fact["verdict"], tuple(values)))
    return views


# --- unique details ---


def unique_by_outlet(story: Dossier) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each outlet's own details (claims no other article states), outlets in column order."""
    names = {a["id"]: outlet_name(a) for a in story["articles"]}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for detail in story.get("unique_details", ()):
        grouped.setdefault(names.get(detail["article"]) or detail.get("outlet") or "", []).append(detail)
    order = {c.outlet: i for i, c in enumerate(outlet_columns(story))}
    return sorted(grouped.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))


# --- an article with its claims marked ---


@dataclass(frozen=True, slots=True)
class Paragraph:
    heading: bool
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class ArticleClaim:
    id: str
    status: str
    unique: bool
    text: str
    independent_sources: int


@dataclass(slots=True)
class ArticleView:
    paragraphs: list[Paragraph]
    claims: list[ArticleClaim] = field(default_factory=list)
    unplaced: list[ArticleClaim] = field(default_factory=list)  # claims whose sentence was not found verbatim


def article_claims(story: Dossier | None, article_id: str) -> list[tuple[ArticleClaim, str]]:
    """The claims of a story this article states, with the sentence it states each in."""
    if not story:
        return []
    found = []
    for claim in story["claims"]:
        for mention in claim["mentions"]:
            if mention["article"] == article_id:
                found.append((ArticleClaim(claim["id"], claim["status"], bool(claim.get("unique")), claim["text"],
                                           claim["independent_sources"]), mention["sentence"]))
    return found


MARK_ORDER = ("disputed", "updated", "corroborated", "single-source", "unique")  # a sentence stating several claims shows the first


def article_view(article: Article, story: Dossier | None) -> ArticleView:
    """The clean text as paragraphs, each sentence that states a claim marked and tied to the claim.

    A sentence carrying two facts states two claims: it is marked once, linked to the more telling
    (a disputed one first), with both named in its tooltip.
    """
    stated = article_claims(story, article.id)
    headings = set(article.headings)
    view = ArticleView(paragraphs=[], claims=[c for c, _ in stated])
    placed: set[str] = set()
    for paragraph in article.paragraphs:
        spans: dict[tuple[int, int], list[ArticleClaim]] = {}
        for claim, sentence in stated:
            start = paragraph.find(sentence) if sentence else -1
            if start < 0:
                continue
            key = (start, start + len(sentence))
            if key in spans or not any(s < key[1] and key[0] < e for s, e in spans):
                spans.setdefault(key, []).append(claim)
                placed.add(claim.id)
        segments: list[Segment] = []
        position = 0
        for (start, end), claims in sorted(spans.items()):
            if start > position:
                segments.append(Segment(paragraph[position:start]))
            claims.sort(key=lambda c: MARK_ORDER.index(_mark(c)))
            title = "; ".join(_claim_title(c) for c in claims)
            segments.append(Segment(paragraph[start:end], _mark(claims[0]), claims[0].id, title))
            position = end
        if position < len(paragraph):
            segments.append(Segment(paragraph[position:]))
        view.paragraphs.append(Paragraph(paragraph in headings, tuple(segments)))
    view.unplaced = [c for c in view.claims if c.id not in placed]
    return view


def _mark(claim: ArticleClaim) -> str:
    if claim.status == "disputed":
        return "disputed"
    return "unique" if claim.unique else claim.status if claim.status in MARK_ORDER else "single-source"


def _claim_title(claim: ArticleClaim) -> str:
    if claim.status == "disputed":
        return "disputed: outlets give different values"
    if claim.status == "updated":
        return "updated: later reports changed a number"
    if claim.unique:
        return "unique detail: no other outlet states it"
    sources = claim.independent_sources
    return f"{claim.status}: {sources} independent source{'s' if sources != 1 else ''}"
