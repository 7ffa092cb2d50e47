"""The provenance graph and the publication timeline, laid out for inline SVG.

Layout is done here, in plain numbers; the templates draw the shapes. No JavaScript is involved, so
the pictures work under a CSP that allows no scripts, print, and need nothing from the network.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from newsweave.web.views import Dossier, outlet_name

# Provenance graph: columns of nodes, upstream on the left.
NODE_W, NODE_H = 196, 40
COL_GAP, ROW_GAP, PAD = 84, 14, 12
LABEL_CHARS = 27  # what fits in a node at the stylesheet's 12.5px font; the full name is in the tooltip

# Timeline: one row per article, dates across.
TIMELINE_W = 880
TIMELINE_SIDE = 24
TIMELINE_ROW = 24
TIMELINE_TOP = 40
TIMELINE_MAX_ROWS = 60  # a story with more articles shows the first 60 and says how many more
TIMELINE_LABEL_CHARS = 56
MAX_TICKS = 8


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    label: str
    detail: str
    kind: Literal["outlet", "external"]
    origin_claims: int  # claims this node is an independent source of
    upstream: bool  # credited or copied by another outlet of the story
    x: float
    y: float
    href: str | None  # the outlet's first article in the story


@dataclass(frozen=True, slots=True)
class Edge:
    kind: Literal["credits", "copy"]
    path: str  # SVG path data
    title: str


@dataclass(frozen=True, slots=True)
class Graph:
    width: float
    height: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def provenance_graph(story: Dossier) -> Graph:
    """Outlets and the upstream sources they credit, with copies; an arrow runs from the source to who took from it."""
    articles = story["articles"]
    outlet_of = {a["id"]: outlet_name(a) for a in articles}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for a in articles:
        by_name.setdefault(outlet_name(a), []).append(a)
    canonical = {name.casefold(): name for name in by_name}

    def resolve(source: str) -> str:
        return canonical.get(source.casefold(), source)

    edges: dict[tuple[str, str, str], str] = {}  # (upstream, downstream, kind) -> evidence
    for a in articles:
        here = outlet_name(a)
        for cite in a.get("cites") or ():
            upstream = resolve(cite["source"])
            if upstream != here:
                edges.setdefault((upstream, here, "credits"), cite.get("evidence") or "")
        copy = a.get("copy_of")
        if copy and copy["article"] in outlet_of and outlet_of[copy["article"]] != here:
            edges.setdefault((outlet_of[copy["article"]], here, "copy"), f"{copy['kind']}, similarity {copy['similarity']:.2f}")
    names = list(by_name) + sorted({u for u, _, _ in edges if u not in by_name})

    depth = {name: 0 for name in names}
    for _ in range(len(names)):  # longest path from a root; the bound stops cycles
        changed = False
        for upstream, downstream, _kind in edges:
            if depth[downstream] < depth[upstream] + 1 and depth[upstream] + 1 < len(names):
                depth[downstream] = depth[upstream] + 1
                changed = True
        if not changed:
            break

    origin_claims: dict[str, int] = {}
    for claim in story["claims"]:
        for origin in claim.get("origins", ()):
            source = resolve(origin["source"])
            origin_claims[source] = origin_claims.get(source, 0) + 1

    def first_date(name: str) -> str:
        return min((a["published"] or "9999") for a in by_name.get(name, [{"published": None}]))

    columns: dict[int, list[str]] = {}
    for name in sorted(names, key=lambda n: (n not in by_name, first_date(n), n)):
        columns.setdefault(depth[name], []).append(name)
    rows = max((len(c) for c in columns.values()), default=0)
    height = PAD * 2 + rows * NODE_H + max(rows - 1, 0) * ROW_GAP
    positions: dict[str, tuple[float, float]] = {}
    for col, members in columns.items():
        offset = (height - PAD * 2 - (len(members) * NODE_H + (len(members) - 1) * ROW_GAP)) / 2
        for row, name in enumerate(members):
            positions[name] = (PAD + col * (NODE_W + COL_GAP), PAD + offset + row * (NODE_H + ROW_GAP))

    nodes = []
    for name in names:
        x, y = positions[name]
        members = by_name.get(name, [])
        parts = [f"{len(members)} article{'s' if len(members) != 1 else ''}" if members else "credited, not in this story"]
        if origin_claims.get(name):
            parts.append(f"source of {origin_claims[name]} claim{'s' if origin_claims[name] != 1 else ''}")
        nodes.append(Node(name, _short(name, LABEL_CHARS), " · ".join(parts), "outlet" if members else "external",
                          origin_claims.get(name, 0), any(u == name for u, _, _ in edges), x, y, f"/articles/{members[0]['id']}" if members else None))

    drawn = []
    for (upstream, downstream, kind), evidence in sorted(edges.items()):
        (x1, y1), (x2, y2) = positions[upstream], positions[downstream]
        x1, y1, y2 = x1 + NODE_W, y1 + NODE_H / 2, y2 + NODE_H / 2
        if x2 <= x1:  # same column (a cycle): loop around the right-hand side
            x2 = x2 + NODE_W
            bend = x1 + COL_GAP / 2
            path = f"M{x1:.1f},{y1:.1f} C{bend:.1f},{y1:.1f} {bend:.1f},{y2:.1f} {x2 + 6:.1f},{y2:.1f}"
        else:
            mid = (x1 + x2) / 2
            path = f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2 - 6:.1f},{y2:.1f}"
        title = f"{downstream} {'copies' if kind == 'copy' else 'credits'} {upstream}: {evidence}"
        drawn.append(Edge(kind, path, title))
    width = PAD * 2 + (max(columns, default=0) + 1) * NODE_W + max(columns, default=0) * COL_GAP
    return Graph(width, height, tuple(nodes), tuple(drawn))


# --- timeline ---


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    anchor: Literal["start", "middle", "end"] = "middle"


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    label: str
    title: str
    href: str
    anchor: Literal["start", "end"]
    copy: bool


@dataclass(frozen=True, slots=True)
class Timeline:
    width: float
    height: float
    axis_y: float
    ticks: tuple[Tick, ...]
    dots: tuple[Dot, ...]
    undated: tuple[tuple[str, str], ...]  # (article id, outlet)
    more: int  # dated articles not drawn


def timeline(story: Dossier) -> Timeline:
    """Each dated article at its publication date, one row each, oldest first; undated ones listed apart."""
    dated = sorted((a for a in story["articles"] if a.get("published")), key=lambda a: (a["published"], outlet_name(a)))
    undated = tuple((a["id"], outlet_name(a)) for a in story["articles"] if not a.get("published"))
    shown = dated[:TIMELINE_MAX_ROWS]
    if not shown:
        return Timeline(TIMELINE_W, 0, 0, (), (), undated, 0)
    days = [date.fromisoformat(a["published"]) for a in shown]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    inner = TIMELINE_W - 2 * TIMELINE_SIDE

    def x_of(day: date) -> float:
        if first == last:
            return TIMELINE_SIDE + inner / 2
        return TIMELINE_SIDE + (day - first).days / span * inner

    step = max(1, math.ceil(span / MAX_TICKS))
    ticks = []
    day = first
    while day <= last:
        x = x_of(day)
        anchor = "start" if x - TIMELINE_SIDE < 40 else "end" if TIMELINE_W - TIMELINE_SIDE - x < 40 else "middle"
        ticks.append(Tick(x, day.strftime("%d %b %Y") if day == first else day.strftime("%d %b"), anchor))
        day = date.fromordinal(day.toordinal() + step)
    dots = []
    for row, (article, day) in enumerate(zip(shown, days)):
        x = x_of(day)
        name = outlet_name(article)
        title = article.get("title") or ""
        dots.append(Dot(
            x=x, y=TIMELINE_TOP + row * TIMELINE_ROW + TIMELINE_ROW / 2,
            label=_short(f"{name}: {title}" if title else name, TIMELINE_LABEL_CHARS),
            title=f"{article['published']} · {name} · {title}", href=f"/articles/{article['id']}",
            anchor="start" if x < TIMELINE_W * 0.55 else "end", copy=bool(article.get("copy_of")),
        ))
    height = TIMELINE_TOP + len(shown) * TIMELINE_ROW + 8
    return Timeline(TIMELINE_W, height, 24, tuple(ticks), tuple(dots), undated, len(dated) - len(shown))
