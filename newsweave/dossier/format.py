"""The public JSON dossier format (`newsweave-dossier`, version 1; schema in schema/dossier.schema.json).

`story_to_json` is the one place the JSON field names are spelled out: the store keeps this JSON, the web
API serves it, and the renderers in `newsweave.report` read it, so every format says the same thing.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from newsweave._version import __version__
from newsweave.dossier.build import ClaimMention, StoryDossier
from newsweave.dossier.compare import CASUALTY_PREDICATES, Conflict
from newsweave.model import article_to_dict
from newsweave.outlets import Outlets, article_source

FORMAT_NAME = "newsweave-dossier"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schema" / "dossier.schema.json"

# Named things that say who, where and what: not dates, times, amounts or ordinals.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART", "DESIGNATOR"})
KEY_ENTITIES = 10


def document(stories: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The JSON dossier document around stories made by `story_to_json`: {"format", "version", "stories"}."""
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "generator": f"newsweave {__version__}", "stories": list(stories)}


def to_json(dossiers: Sequence[StoryDossier]) -> dict[str, Any]:
    """The JSON dossier document of some dossiers."""
    return document([story_to_json(d) for d in dossiers])


def _said_by(m: ClaimMention) -> dict[str, str] | None:
    """A mention's `said_by` as the JSON dossier gives it (one shape for claims' mentions and unique details)."""
    if m.said_by is None:
        return None
    return {"source": m.said_by.source, "speaker": m.said_by.speaker, "cue": m.said_by.cue, "kind": m.said_by.kind}


def story_to_json(d: StoryDossier) -> dict[str, Any]:
    """One story of the public JSON format."""
    copies = {c.copy: c for c in d.copies}
    outlets = {item.article.id: item.article.outlet for item in d.articles}
    sources = {item.article.id: article_source(item.article) for item in d.articles}
    published = {item.article.id: item.article.published for item in d.articles}
    articles = []
    for item in d.articles:
        record = article_to_dict(item.article)
        record["source_name"] = sources[item.article.id].name
        record["cites"] = [{"source": c.source, "evidence": c.evidence, "cue": c.cue} for c in item.cites]
        copy = copies.get(item.article.id)
        record["copy_of"] = {"article": copy.original, "kind": copy.kind, "similarity": copy.similarity} if copy else None
        articles.append(record)
    claims, conflicts, unique = [], [], []
    for claim in d.claims:
        origins: dict[str, dict[str, Any]] = {}
        for m in claim.mentions:
            o = origins.setdefault(m.origin.key, {"source": m.origin.source, "articles": [], "via": []})
            o["articles"].append(m.article)
            if m.origin.via not in o["via"]:
                o["via"].append(m.origin.via)
        claims.append({
            "id": claim.id,
            "text": claim.text,
            "mentions": [
                {"article": m.article, "sentence": m.text, "text": m.claim_text, "index": m.sentence, "origin": m.origin.source,
                 "said_by": _said_by(m)}
                for m in claim.mentions
            ],
            "speakers": list(dict.fromkeys(m.said_by.speaker for m in claim.mentions if m.said_by)),
            "origins": list(origins.values()),
            "independent_sources": claim.independent_sources,
            "outlets": len({sources[m.article].key for m in claim.mentions}),
            "status": claim.status,
            "unique": claim.unique,
            "first_report": _first_report(claim, published),
            "variants": [{"speaker": v.speaker, "quotes": [{"article": a, "text": q} for a, q in v.quotes]} for v in claim.variants],
        })
        for conflict in claim.conflicts:
            conflicts.append({
                "claim": claim.id,
                "kind": conflict.kind,
                "topic": topic(conflict),
                "verdict": conflict.verdict,
                "values": [{"value": v.value, "articles": list(v.articles), "evidence": list(v.evidence)} for v in conflict.values],
                "explanation": conflict.explanation,
            })
        if claim.unique:
            m = claim.mentions[0]
            unique.append({"claim": claim.id, "article": m.article, "outlet": outlets[m.article],
                           "source_name": sources[m.article].name, "text": m.claim_text, "sentence": m.text,
                           "said_by": _said_by(m),
                           "provenance": "carried" if m.origin.carried else "added",
                           "carried_from": m.origin.source if m.origin.carried else None})
    conflicts.sort(key=_conflict_rank)
    dates = sorted(item.article.published.isoformat() for item in d.articles if item.article.published)
    return {
        "id": d.id,
        "headline": d.headline,
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "outlets": sorted({a for a in outlets.values() if a}),
        "entities": key_entities(d),
        "facts": [
            {"kind": f.kind, "value": f.value, "number": f.number, "verdict": f.verdict,
             "values": [{"value": v.value, "articles": list(v.articles), "published": v.published.isoformat() if v.published else None,
                         "evidence": list(v.evidence)} for v in f.values]}
            for f in d.facts
        ],
        "sources": _sources(d.articles, sources),
        "independent_sources": d.independent_sources,
        "articles": articles,
        "claims": claims,
        "conflicts": conflicts,
        "unique_details": unique,
    }


def _first_report(claim: Any, published: dict[str, Any]) -> dict[str, Any] | None:
    if claim.first is None:
        return None
    day = published.get(claim.first.article)
    return {"article": claim.first.article, "published": day.isoformat() if day else None, "by": claim.first.by}


def _sources(items: Sequence[Any], sources: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's sources in order of their first article: each outlet once, each article of no known outlet
    on its own, labelled by its title or file name."""
    out: dict[str, dict[str, Any]] = {}
    for item in items:
        source = sources[item.article.id]
        entry = out.setdefault(source.key, {"name": source.name, "known": source.known, "articles": []})
        entry["articles"].append(item.article.id)
    return list(out.values())


TOPICS = ("toll", "who", "when", "other")  # the order conflicts are listed in: the key facts first


def topic(conflict: Conflict) -> str:
    """What a conflict is about, for a reader: the toll (counts of people killed, injured or shot), who (a
    name), when (a day or a weekday), or other (models, other numbers)."""
    if conflict.kind == "number" and conflict.about in CASUALTY_PREDICATES:
        return "toll"
    return {"name": "who", "date": "when"}.get(conflict.kind, "other")


def _conflict_rank(conflict: dict[str, Any]) -> tuple:
    """Key facts first (toll, who, when), disputes before updates, then those with the most articles on their
    smaller side, then on all."""
    sides = [len(v["articles"]) for v in conflict["values"]]
    return TOPICS.index(conflict["topic"]), conflict.get("verdict") == "updated", -min(sides), -sum(sides)


def key_entities(d: StoryDossier, limit: int = KEY_ENTITIES) -> list[dict[str, Any]]:
    """The story's key entities: the named people, places, organisations and designators most of its
    articles mention (the outlets themselves left out), each with its commonest label and its fullest
    spelling, the number of articles naming it and of mentions; most articles first."""
    outlets = Outlets.of(item.article for item in d.articles)
    # a capitalised word the story also writes in lower case ("Turnout was 41%") is no name
    lower_words = {w for item in d.articles for w in item.article.text.split() if w.isalpha() and w.islower()}
    articles: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    labels: dict[str, Counter[str]] = {}
    spellings: dict[str, Counter[str]] = {}
    for item in d.articles:
        seen = set()
        for sentence in item.sentences:
            for e in sentence.entities:
                if e.label not in ENTITY_LABELS or not e.key or outlets.named_by(e):
                    continue
                if " " not in e.text and e.text.lower() in lower_words:
                    continue
                mentions[e.key] += 1
                labels.setdefault(e.key, Counter())[e.label] += 1
                spellings.setdefault(e.key, Counter())[e.text] += 1
                seen.add(e.key)
        articles.update(seen)
    ranked = sorted(articles, key=lambda k: (-articles[k], -mentions[k], k))[:limit]
    out = []
    for key in ranked:
        name = max(spellings[key].items(), key=lambda kv: (len(kv[0].split()), kv[1], kv[0]))[0]  # "Marcus Reed" over "Reed"
        out.append({"name": name, "label": labels[key].most_common(1)[0][0], "articles": articles[key], "mentions": mentions[key]})
    return out
