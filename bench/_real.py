"""Real coverage for the dossier benchmarks: ECB+ events and gun-violence incidents as newsweave articles.

Shared by `bench/dossier.py` (and any benchmark that needs real stories). Nothing here is product code:
it reads `../shared/data`, turns each record into the `RawDocument` a user's paste or download would be,
and cleans it with the product's own cleaner, so the dossier sees what it sees in use.

Splits. ECB+ has its own: `train` topics to fit on, `dev` topics to tune on (its test topics are held out
and not in `../shared/data`). The gun-violence corpus is split as `bench/cluster.py` splits it: by an MD5
half of the incident id, half A to fit on, half B to tune on (the held-out odd incident ids are not there).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from newsweave.errors import InputError
from newsweave.ingest.clean import clean
from newsweave.model import Article, Hints, RawDocument

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SPLITS = ("train", "dev")

_ARCHIVE = re.compile(r"^https?://web\.archive\.org/web/\d+[a-z_]*/", re.I)
# ECB+ text is tokenised ("`` We appreciate '' , the actress 's rep"): put it back as a page prints it.
_DETOKENISE = [
    (re.compile(r"``\s*"), '"'), (re.compile(r"\s*''"), '"'),
    (re.compile(r" ([,.;:!?%)\]])"), r"\1"), (re.compile(r"([(\[$]) "), r"\1"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"),
    (re.compile(r"(\w) - (\w)"), r"\1-\2"),
]


@dataclass(frozen=True, slots=True)
class RealStory:
    """The coverage of one real event: its gold id, and its articles as newsweave cleaned them (oldest first)."""

    corpus: str  # "ecb+" or "gun violence"
    id: str  # ECB+ subtopic or gun-violence incident id
    articles: tuple[Article, ...]
    docs: tuple[str, ...]  # the corpus doc id of each article, in the same order


def detokenise(text: str) -> str:
    for pattern, replacement in _DETOKENISE:
        text = pattern.sub(replacement, text)
    return text


def gv_half(incident: str) -> str:
    """'train' (half A) or 'dev' (half B) of a gun-violence incident, as `bench/cluster.py` halves them."""
    return "train" if int(hashlib.md5(incident.encode()).hexdigest(), 16) % 2 == 0 else "dev"


def _clean(source: str, text: str, hints: Hints) -> Article | None:
    raw = text.encode("utf-8")
    try:
        return clean(RawDocument(source, "text", text, hashlib.sha256(raw).hexdigest(), hints))
    except InputError:
        return None


def ecb_docs(data: Path, split: str) -> list[dict]:
    return [d for d in _jsonl(data / "ecbplus" / "docs.jsonl") if d["split"] == split]


def ecb_paragraphs(lines: list[str], most: int = 4) -> list[str]:
    """ECB+ gives an article as one sentence a line, its paragraphs lost: each line is a paragraph, except that a
    line opening a quotation its own words do not close runs on with the next lines until it closes (at most
    `most` lines, as `nlp.parse.MAX_QUOTE_SENTENCES`): a quotation of several sentences was one paragraph."""
    paragraphs: list[str] = []
    k = 0
    while k < len(lines):
        end = k
        while end + 1 < len(lines) and end - k + 1 < most and _open_quote(" ".join(lines[k:end + 1])):
            end += 1
        if end > k and _open_quote(" ".join(lines[k:end + 1])):
            end = k  # never closed: a stray mark, the lines stay apart
        paragraphs.append(" ".join(lines[k:end + 1]))
        k = end + 1
    return paragraphs


def _open_quote(text: str) -> bool:
    return sum(text.count(mark) for mark in ('"', "\u201c", "\u201d", "\u201e")) % 2 == 1


def ecb_stories(data: Path, split: str, min_articles: int = 2, quotes_joined: bool = False) -> list[RealStory]:
    """ECB+ events (subtopics) of a split, detokenised, each line of a document one paragraph; with
    `quotes_joined`, the lines of one quotation one paragraph (`ecb_paragraphs`), as the article printed them."""
    by_event: dict[str, list[tuple[str, Article]]] = {}
    for d in ecb_docs(data, split):
        lines = [detokenise(line) for line in d["text"].split("\n") if line.strip()]
        text = "\n\n".join(ecb_paragraphs(lines) if quotes_joined else lines)
        article = _clean(f"ecb+/{d['doc_id']}", text, Hints(url=d.get("source_url")))
        items = by_event.setdefault(d["subtopic"], [])
        if article is not None and all(article.id != a.id for _, a in items):  # an exact copy is one article
            items.append((d["doc_id"], article))
    return [
        RealStory("ecb+", event, tuple(a for _, a in items), tuple(i for i, _ in items))
        for event, items in sorted(by_event.items()) if len(items) >= min_articles
    ]


def gv_stories(data: Path, split: str, min_articles: int = 2) -> list[RealStory]:
    """Gun-violence incidents of a half reported by `min_articles` or more articles: title, date and outlet
    (from the archived page's address) as a download would carry them."""
    by_incident: dict[str, list[dict]] = {}
    for record in _jsonl(data / "gunviolence" / "articles.jsonl"):
        incident = str(record["incident_id"])
        if gv_half(incident) == split:
            by_incident.setdefault(incident, []).append(record)
    stories = []
    for incident, records in sorted(by_incident.items()):
        if len(records) < min_articles:
            continue
        items = []
        for r in records:
            hints = Hints(title=r.get("title") or None, url=_ARCHIVE.sub("", r.get("uri") or "") or None, published=_day(r.get("dct")))
            article = _clean(f"gv/{r['doc_id']}", r.get("content") or "", hints)
            if article is not None:
                items.append((r["doc_id"], article))
        seen: set[str] = set()
        items = [(d, a) for d, a in items if not (a.id in seen or seen.add(a.id))]  # exact duplicates are one article
        items.sort(key=lambda da: (da[1].published or date.min, da[0]))
        if len(items) >= min_articles:
            stories.append(RealStory("gun violence", incident, tuple(a for _, a in items), tuple(d for d, _ in items)))
    return stories


def gv_incidents(data: Path) -> dict[str, dict]:
    """The archive's record of each incident, by id."""
    return {str(r.get("incident_uri") or r.get("incident_id")): r for r in _jsonl(data / "gunviolence" / "incidents.jsonl")}


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
