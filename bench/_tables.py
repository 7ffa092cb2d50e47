"""The one way the quality benchmarks print their figures: rows of figures by label, as a Rich table."""

from __future__ import annotations

import math

from rich.table import Table


def fmt(value: object) -> str:
    """A figure as the tables print it: shares to three places, counts with thousands separators, NaN as "-"."""
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:.3f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(title: str, rows: list[tuple[str, dict]]) -> Table:
    """One row per label, one column per figure name (in order of first appearance)."""
    columns = list(dict.fromkeys(k for _, r in rows for k in r))
    t = Table(title=title, title_justify="left")
    t.add_column("")
    for c in columns:
        t.add_column(c, justify="right")
    for label, r in rows:
        t.add_row(label, *(fmt(r.get(c, "")) for c in columns))
    return t
