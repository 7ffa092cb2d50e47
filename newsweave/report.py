"""Dossiers to JSON (the public format, see schema/dossier.schema.json), text, Markdown and HTML.

`to_json` is the one place the JSON field names are spelled out; the other formats render from it, so
all four always say the same thing.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any, Sequence

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsweave._version import __version__
from newsweave.dossier.build import StoryDossier
from newsweave.model import article_to_dict

FORMAT_NAME = "newsweave-dossier"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).parent / "schema" / "dossier.schema.json"


def document(stories: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The JSON dossier document around stories made by `story_to_json`: {"format", "version", "stories"}."""
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "generator": f"newsweave {__version__}", "stories": list(stories)}


def to_json(dossiers: Sequence[StoryDossier]) -> dict[str, Any]:
    return document([story_to_json(d) for d in dossiers])


def story_to_json(d: StoryDossier) -> dict[str, Any]:
    """One story of the public JSON format."""
    copies = {c.copy: c for c in d.copies}
    outlets = {item.article.id: item.article.outlet for item in d.articles}
    articles = []
    for item in d.articles:
        record = article_to_dict(item.article)
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
                {"article": m.article, "sentence": m.text, "text": m.claim_text, "index": m.sentence, "origin": m.origin.source}
                for m in claim.mentions
            ],
            "origins": list(origins.values()),
            "independent_sources": claim.independent_sources,
            "outlets": len({outlets[m.article] for m in claim.mentions}),
            "status": claim.status,
            "unique": claim.unique,
            "variants": [{"speaker": v.speaker, "quotes": [{"article": a, "text": q} for a, q in v.quotes]} for v in claim.variants],
        })
        for conflict in claim.conflicts:
            conflicts.append({
                "claim": claim.id,
                "kind": conflict.kind,
                "values": [{"value": v.value, "articles": list(v.articles), "evidence": list(v.evidence)} for v in conflict.values],
                "explanation": conflict.explanation,
            })
        if claim.unique:
            m = claim.mentions[0]
            unique.append({"claim": claim.id, "article": m.article, "outlet": outlets[m.article], "text": m.claim_text, "sentence": m.text})
    dates = sorted(item.article.published.isoformat() for item in d.articles if item.article.published)
    return {
        "id": d.id,
        "headline": d.headline,
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "outlets": sorted({a for a in outlets.values() if a}),
        "entities": key_entities(d),
        "independent_sources": len({m.origin.key for c in d.claims for m in c.mentions}),
        "articles": articles,
        "claims": claims,
        "conflicts": conflicts,
        "unique_details": unique,
    }


# Named things that say who, where and what: not dates, times, amounts or ordinals.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART", "DESIGNATOR"})
KEY_ENTITIES = 10


def key_entities(d: StoryDossier, limit: int = KEY_ENTITIES) -> list[dict[str, Any]]:
    """The story's key entities: the named people, places, organisations and designators most of its
    articles mention (the outlets themselves left out), each with its commonest label and its fullest
    spelling, the number of articles naming it and of mentions; most articles first."""
    from collections import Counter

    from newsweave.model import outlet_key

    outlet_keys = {outlet_key(item.article.outlet) for item in d.articles if item.article.outlet}
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
                if e.label not in ENTITY_LABELS or not e.key or outlet_key(e.text) in outlet_keys or outlet_key(e.key) in outlet_keys:
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


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- text, for the terminal ---


def render_text(data: dict[str, Any], *, width: int = 110, color: bool = False) -> str:
    """A readable report, as `newsweave analyze` prints it; `color` keeps Rich's styling."""
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system="standard" if color else None, highlight=False)
    for story in data["stories"]:
        _text_story(console, story)
    return buffer.getvalue()


def _text_story(console: Console, story: dict[str, Any]) -> None:
    titles = {a["id"]: a["outlet"] or a["source"] for a in story["articles"]}
    console.rule(f"[bold]{escape(story['headline'])}[/]  [dim]{story['id']}[/]", align="left")
    console.print(
        f"{len(story['articles'])} articles from {len(story['outlets'])} outlets, "
        f"{story['independent_sources']} independent sources, {len(story['claims'])} claims, "
        f"[bold red]{len(story['conflicts'])} conflicts[/]  ({story['first_published'] or '?'} to {story['last_published'] or '?'})"
    )
    if story.get("entities"):
        console.print("Key entities: " + ", ".join(f"{escape(e['name'])} [dim]({e['articles']})[/]" for e in story["entities"]))
    if story["conflicts"]:
        console.print("\n[bold red]Conflicts[/]")
        for conflict in story["conflicts"]:
            console.print(f"  [red]{conflict['kind']}[/]: {escape(conflict['explanation'])}")
            for value in conflict["values"]:
                who = ", ".join(titles[a] for a in value["articles"])
                console.print(f"    [bold]{escape(value['value'])}[/] — {escape(who)}")
                for evidence in value["evidence"][:2]:
                    console.print(f"      [dim]“{escape(evidence)}”[/]")
    shared = [c for c in story["claims"] if not c["unique"]]
    if shared:
        console.print("\n[bold]Claims reported by more than one outlet[/]")
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("status", no_wrap=True)
        table.add_column("indep.", justify="right")
        table.add_column("outlets", justify="right")
        table.add_column("claim")
        table.add_column("traced to")
        for c in shared:
            style = {"disputed": "red", "corroborated": "green"}.get(c["status"], "yellow")
            table.add_row(f"[{style}]{c['status']}[/]", str(c["independent_sources"]), str(c["outlets"]),
                          escape(c["text"]), escape(", ".join(o["source"] for o in c["origins"])))
        console.print(table)
    if story["unique_details"]:
        console.print("\n[bold]Unique details[/] (one outlet only)")
        for u in story["unique_details"]:
            console.print(f"  [cyan]{escape(u['outlet'] or '?')}[/]: {escape(u['text'])}")
    variants = [(c, v) for c in story["claims"] for v in c["variants"]]
    if variants:
        console.print("\n[bold]Wording variants[/] (same speaker, same meaning: not conflicts)")
        for _c, v in variants:
            console.print(f"  {escape(v['speaker'])}:")
            for q in v["quotes"]:
                console.print(f"    {escape(titles[q['article']])}: “{escape(q['text'])}”")
    console.print("\n[bold]Provenance[/]")
    for a in story["articles"]:
        notes = [f"credits {c['source']}" for c in a["cites"]]
        if a["copy_of"]:
            notes.append(f"{a['copy_of']['kind']} of {titles[a['copy_of']['article']]} ({a['copy_of']['similarity']:.2f})")
        console.print(f"  {a['published'] or '????-??-??'}  [cyan]{escape(a['outlet'] or '?')}[/]  {escape(a['title'] or '')}"
                      + (f"  [dim]— {escape('; '.join(notes))}[/]" if notes else "  [dim]— own reporting[/]"))
    console.print()


# --- Markdown and HTML ---

_env = Environment(
    loader=PackageLoader("newsweave", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),  # article text is untrusted
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_markdown(data: dict[str, Any]) -> str:
    return _env.get_template("dossier.md.j2").render(data=data, md=_md)


def render_html(data: dict[str, Any]) -> str:
    """One self-contained HTML file: styles inline, no scripts, no external resources."""
    return _env.get_template("dossier.html.j2").render(data=data)


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell or line."""
    return str(text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("*", "\\*").replace("_", "\\_")


RENDERERS = {"json": render_json, "text": render_text, "markdown": render_markdown, "html": render_html}
