"""Spec helpers shared by the charts: a line of a series, the frame of what was drawn,
the Southern Border Program rule, and the chart's metadata (data only: no drawing)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from usmx.analysis import countries
from usmx.analysis.processed import ProcessedTables
from usmx.charts.sources import (
    footer_source,
    ids_from,
    period_notes,
    source_entries,
    source_line,
)
from usmx.charts.spec import ChartMeta, Line, Rule, methodology_page, year_position
from usmx.charts.theme import CREDIT

PROGRAM_EVENT = "southern_border_program_announced"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def line_of(rows: pd.DataFrame, label: str, color: str, style: object = "-",
            marker: str = "o") -> tuple[Line, pd.DataFrame]:
    """A series as a line with breaks at gaps (a gap is NaN, never zero), and the rows drawn
    with their x positions."""
    xs = np.array([year_position(int(ys), b) for ys, b in zip(rows["year"], rows["year_basis"],
                                                             strict=True)])
    ys = rows["value"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    line = Line(label=label, xs=tuple(float(x) for x in xs), ys=tuple(float(y) for y in ys),
                color=color, style=style, marker=marker)
    drawn = rows.assign(x=xs, label=label)
    return line, drawn[drawn["value"].notna()]


def drawn_frame(parts: list[pd.DataFrame], panel_cols: list[str]) -> pd.DataFrame:
    cols = [*panel_cols, "label", "series", "year", "month", "year_basis", "nationality",
            "measure", "age_group", "accompaniment", "unit", "value", "value_constant",
            "price_base", "per_100k_children", "status", "x", "source_ids", "figure_ids"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    return out[[c for c in cols if c in out.columns]]


def program_date(record: ProcessedTables) -> tuple[float, str]:
    """Where Mexico's Southern Border Program falls on the year axis (x = N is 1 January N),
    and its month in words, from the events table."""
    events = record["events"].set_index("event_id")
    date = events.loc[PROGRAM_EVENT, "date"]
    year, month = int(date[:4]), int(date[5:7]) if len(date) >= 7 else 1
    return year + (month - 1) / 12, f"{MONTHS[month - 1]} {year}"


def program_rule(record: ProcessedTables, label: bool = False, side: str = "right") -> Rule:
    """The dotted rule at Mexico's Southern Border Program, labelled in one panel."""
    xpos, when = program_date(record)
    return Rule(xpos, "reference", ":", 0.8, zorder=1,
                label=f"Mexico's Southern Border\nProgram, {when}" if label else None,
                label_side=side)


def event_rule(record: ProcessedTables, event_id: str, label: str | None = None,
               side: str = "right") -> Rule:
    """A dotted rule at a dated event of the events table, labelled ``label`` followed by
    the event's month."""
    date = record["events"].set_index("event_id").loc[event_id, "date"]
    year, month = int(date[:4]), int(date[5:7]) if len(date) >= 7 else 1
    return Rule(year + (month - 1) / 12, "reference", ":", 0.8, zorder=1,
                label=f"{label},\n{MONTHS[month - 1]} {year}" if label else None,
                label_side=side)


def chart_meta(id_, title, subtitle, description, alt_text, data, record, extra_notes=(),
          notes_from=None):
    """Chart metadata; the period/unit notes come from ``notes_from`` (default: all the
    data drawn), so that a panel of derived rates does not count as a unit of its own."""
    ids = ids_from(data) if "source_ids" in data else []
    notes = [*period_notes(data if notes_from is None else notes_from), *extra_notes]
    details = source_entries(ids, record["sources_processed"])
    return ChartMeta(id=id_, title=title, subtitle=subtitle, description=description,
                     alt_text=alt_text, source_ids=sorted(set(ids)),
                     source_line=source_line(details), notes=notes, data=data,
                     source_details=details, names=countries.spanish_names(record),
                     footer_source=footer_source(details),
                     methodology=methodology_page(id_), credit=CREDIT)


def country_list(codes, record: ProcessedTables) -> str:
    """('GTM', 'HND', 'SLV') -> 'Guatemala, Honduras and El Salvador' (the names of the
    countries table)."""
    names = countries.names(record, codes)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def year_range_text(values) -> str:
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return "no values"
    return f"{min(values):,.0f} to {max(values):,.0f}"
