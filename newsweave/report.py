"""The JSON dossier document (`newsweave.dossier.format`) rendered as JSON text, terminal text, Markdown and HTML.

Every renderer reads the JSON document and nothing else, so all four formats always say the same thing;
the Markdown and HTML templates are in `newsweave/templates/`.
"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table

from newsweave.errors import ConfigError
from newsweave.outlets import record_source_key, record_source_name


def render_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- text, for the terminal ---

# The narrowest a wrapping text column (headline, title, reason) is made: narrower, it is a column of word
# fragments; 14 still lets `newsweave stories` fit the 80 columns Rich gives a pipe. A console narrower than
# that and the other columns' own widths gets the table wider than itself, for the terminal to wrap.
TEXT_MIN_WIDTH = 14
# The width a table is measured at for the least width it needs: wider than any terminal, so nothing is squeezed.
MEASURE_WIDTH = 10_000


def count_column(table: Table, header: str, **style: str) -> None:
    """A right-aligned column of numbers: never wrapped, never narrower than its widest number (`fit_table`)."""
    table.add_column(header, justify="right", no_wrap=True, min_width=len(header), **style)


def text_column(table: Table, header: str, *, max_width: int | None = None, **style: str) -> None:
    """A column of prose (headlines, titles, reasons): the one that gives way when the console is narrow, by
    wrapping between words and folding a word too long for it, down to TEXT_MIN_WIDTH."""
    table.add_column(header, overflow="fold", min_width=TEXT_MIN_WIDTH, max_width=max_width, **style)


def fit_table(console: Console, table: Table) -> Table:
    """The table made to print at the console's width (80 columns when piped, or $COLUMNS) without squeezing a
    column below what it needs. Rich narrows a table by wrapping its wrappable columns and, when that is not
    enough, by cutting every column alike, down to nothing: a no-wrap column (ids, dates, counts) therefore
    gets its widest cell as its least width here, and a console narrower than the table's least width gets
    the table at that width, whole, for the terminal to wrap, rather than columns of nothing."""
    options = console.options.update_width(MEASURE_WIDTH)
    for column in table.columns:
        if column.no_wrap:
            cells = (column.header, *column.cells)
            widest = max(Measurement.get(console, options, cell).maximum for cell in cells)
            column.min_width = max(column.min_width or 0, widest)
    least = Measurement.get(console, options, table).minimum
    if least > console.width:
        table.width = least
    return table


def first_reported(claim: dict[str, Any], names: dict[str, str]) -> str:
    """ "Coastline Herald, 2025-11-01", or "a2.txt, undated (listed first)": who stated a claim first."""
    first = claim.get("first_report")
    if not first:
        return ""
    name = names.get(first["article"], first["article"])
    return f"{name}, {first['published']}" if first["by"] == "published" else f"{name}, undated (listed first)"


def detail_provenance(detail: dict[str, Any]) -> str:
    """ "added" or "carried from The Harbor Ledger": whether an outlet's unique detail is its own."""
    if detail.get("provenance") == "carried":
        return f"carried from {detail['carried_from']}" if detail.get("carried_from") else "carried"
    return "added" if detail.get("provenance") == "added" else ""


def sources_phrase(story: dict[str, Any]) -> str:
    """ "3 sources (2 of no known outlet)", "2 outlets": who a story's articles come from, as its header says it."""
    sources = story.get("sources")
    if sources is None:  # a dossier stored before sources were written
        first = {}
        for a in story["articles"]:
            first.setdefault(record_source_key(a), a)
        sources = [{"name": record_source_name(a), "known": bool(a.get("outlet"))} for a in first.values()]
    unknown = sum(1 for s in sources if not s["known"])
    noun = "outlet" if not unknown else "source"
    phrase = f"{len(sources)} {noun}{'' if len(sources) == 1 else 's'}"
    return phrase + (f" ({unknown} of no known outlet)" if unknown else "")


def render_text(data: dict[str, Any], *, width: int = 110, color: bool = False) -> str:
    """A readable report, as `newsweave analyze` prints it; `color` keeps Rich's styling."""
    buffer = StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, color_system="standard" if color else None, highlight=False)
    for story in data["stories"]:
        _text_story(console, story)
    return buffer.getvalue()


def _text_story(console: Console, story: dict[str, Any]) -> None:
    titles = {a["id"]: record_source_name(a) for a in story["articles"]}
    console.rule(f"[bold]{escape(story['headline'])}[/]  [dim]{story['id']}[/]", align="left")
    console.print(
        f"{len(story['articles'])} articles from {sources_phrase(story)}, "
        f"{story['independent_sources']} independent sources, {len(story['claims'])} claims, "
        f"[bold red]{len(story['conflicts'])} conflicts[/]  ({story['first_published'] or '?'} to {story['last_published'] or '?'})"
    )
    if story.get("entities"):
        console.print("Key entities: " + ", ".join(f"{escape(e['name'])} [dim]({e['articles']})[/]" for e in story["entities"]))
    _text_facts(console, key_facts(story))
    if story["conflicts"]:
        console.print("\n[bold red]Conflicts[/]")
        for conflict in story["conflicts"]:
            updated = conflict.get("verdict") == "updated"
            label = f"[cyan]{conflict['kind']}, updated[/]" if updated else f"[red]{conflict['kind']}[/]"
            note = " Later reports changed it; the dates order the values (oldest first below)." if updated else ""
            console.print(f"  {label}: {escape(conflict['explanation'])}{note}")
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
        count_column(table, "indep.")
        count_column(table, "outlets")
        text_column(table, "claim")
        text_column(table, "traced to")
        dated = any((c.get("first_report") or {}).get("by") == "published" for c in shared)
        if dated:  # with no dates, who was first is unknown: the column would only repeat the order of the list
            text_column(table, "first reported by")
        for c in shared:
            style = {"disputed": "red", "corroborated": "green", "updated": "cyan"}.get(c["status"], "yellow")
            table.add_row(f"[{style}]{c['status']}[/]", str(c["independent_sources"]), str(c["outlets"]),
                          escape(c["text"]), escape(", ".join(o["source"] for o in c["origins"])),
                          *([escape(first_reported(c, titles))] if dated else []))
        console.print(fit_table(console, table))
    if story["unique_details"]:
        console.print("\n[bold]Unique details[/] (one outlet only)")
        for u in story["unique_details"]:
            console.print(f"  [cyan]{escape(titles[u['article']])}[/]: {escape(u['text'])}  [dim]({escape(detail_provenance(u))})[/]")
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
        title = a["title"] if a["title"] and a["title"] != titles[a["id"]] else ""
        console.print(f"  {a['published'] or '????-??-??'}  [cyan]{escape(titles[a['id']])}[/]  {escape(title)}"
                      + (f"  [dim]— {escape('; '.join(notes))}[/]" if notes else "  [dim]— own reporting[/]"))
    console.print()


# --- key facts, as every format shows them ---

# A fact's verdict styled as the claims' statuses are: disputed red, corroborated green, the rest yellow or cyan.
VERDICT_STYLES = {"corroborated": "green", "disputed": "red", "single source": "yellow", "updated": "cyan",
                  "less specific": "yellow"}


def key_facts(story: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's facts (`facts` of the JSON document) as the renderers show them: each with a `label`
    ("Killed"), its verdict's CSS `status` ("single-source") and its `outlets` count, and each value with its
    outlet names (`outlets`, each once), its `evidence` as (outlet, sentence) pairs and whether it is the
    value the fact shows (`current`). A story without facts (or a dossier from before them) has none."""
    titles = {a["id"]: record_source_name(a) for a in story["articles"]}
    facts = []
    for fact in story.get("facts") or ():
        values = []
        for value in fact["values"]:
            names = [titles.get(a, a) for a in value["articles"]]
            values.append({"value": value["value"], "published": value["published"],
                           "outlets": list(dict.fromkeys(names)), "evidence": list(zip(names, value["evidence"])),
                           "current": value["value"] == fact["value"]})
        facts.append({"kind": fact["kind"], "label": fact["kind"].capitalize(), "value": fact["value"],
                      "verdict": fact["verdict"], "status": fact["verdict"].replace(" ", "-"),
                      "outlets": len({name for value in values for name in value["outlets"]}), "values": values})
    return facts


def _text_facts(console: Console, facts: list[dict[str, Any]]) -> None:
    """The "Key facts" block: a line a fact, "Killed: 2  (updated: 1 on 2025-11-01 by … → 2 on …)", its note
    wrapping under itself; nothing for a story without facts."""
    if not facts:
        return
    console.print("\n[bold]Key facts[/]")
    table = Table.grid(padding=(0, 2, 0, 0))
    table.add_column(no_wrap=True)
    text_column(table, "")
    for fact in facts:
        style = VERDICT_STYLES.get(fact["verdict"], "default")
        table.add_row(f"{escape(fact['label'])}: [bold]{escape(fact['value'])}[/]",
                      f"([{style}]{escape(fact['verdict'])}[/]{escape(_fact_note(fact))})")
    console.print(Padding(fit_table(console, table), (0, 0, 0, 2), expand=False))


def _fact_note(fact: dict[str, Any]) -> str:
    """What follows a fact's verdict on its line of the text report: who reports it, or how its values stand."""
    verdict, values = fact["verdict"], fact["values"]

    def who(value: dict[str, Any]) -> str:
        return ", ".join(value["outlets"])

    if verdict == "corroborated":
        return f" by {fact['outlets']} outlets"
    if verdict == "single source":
        return f": {who(values[0])}"
    if verdict == "updated":  # the timeline: each value, when and by whom first reported
        return ": " + " → ".join(f"{v['value']}{' on ' + v['published'] if v['published'] else ''} by {who(v)}"
                                 for v in values)
    if verdict == "less specific":  # the vaguer values, and who gives them
        return ": " + "; ".join(f"\"{v['value']}\" — {who(v)}" for v in values if not v["current"])
    return ": " + "; ".join(f"{v['value']} — {who(v)}" for v in values)  # disputed: every value


# --- Markdown and HTML ---

_env = Environment(
    loader=PackageLoader("newsweave", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=True),  # article text is untrusted
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_markdown(data: dict[str, Any]) -> str:
    return _env.get_template("dossier.md.j2").render(data=data, md=_md, key_facts=key_facts, source_name=record_source_name, sources_phrase=sources_phrase,
                                                        first_reported=first_reported, detail_provenance=detail_provenance)


def render_html(data: dict[str, Any]) -> str:
    """One self-contained HTML file: styles inline, no scripts, no external resources."""
    return _env.get_template("dossier.html.j2").render(data=data, key_facts=key_facts, source_name=record_source_name, sources_phrase=sources_phrase,
                                                          first_reported=first_reported, detail_provenance=detail_provenance)


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell or line."""
    return str(text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("*", "\\*").replace("_", "\\_")


RENDERERS = {"json": render_json, "text": render_text, "markdown": render_markdown, "html": render_html}


def render(data: dict[str, Any], format: str = "text") -> str:
    """The dossier document `data` (`newsweave.dossier.document(...)`) in one of `RENDERERS`' formats."""
    try:
        renderer = RENDERERS[format]
    except KeyError:
        raise ConfigError(f"no dossier format {format!r}: the formats are {', '.join(RENDERERS)}") from None
    return renderer(data)
