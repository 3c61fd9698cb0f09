"""Drawing helpers shared by the charts: a line of a series, the frame of what was drawn,
the Southern Border Program mark, and the chart's metadata."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from usmx.analysis.processed import ProcessedTables
from usmx.charts.style import (
    ChartMeta,
    ids_from,
    period_notes,
    source_entries,
    source_line,
    year_position,
)
from usmx.charts.theme import COLORS
from usmx.schema import COUNTRY_NAMES

PROGRAM_EVENT = "southern_border_program_announced"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
GAP_HATCH = dict(facecolor="#f4f4f4", edgecolor="#bbbbbb", hatch="////", linewidth=0.5)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def draw_line(ax, rows: pd.DataFrame, label: str, color: str, style: str = "-",
          marker: str = "o") -> pd.DataFrame:
    """Plot a series with breaks at gaps (a gap is NaN, never zero); return the rows drawn
    with their x positions."""
    xs = np.array([year_position(int(ys), b) for ys, b in zip(rows["year"], rows["year_basis"],
                                                             strict=True)])
    ys = rows["value"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ax.plot(xs, ys, linestyle=style, marker=marker, color=color, label=label, gid=label)
    drawn = rows.assign(x=xs, label=label)
    return drawn[drawn["value"].notna()]


def drawn_frame(parts: list[pd.DataFrame], panel_cols: list[str]) -> pd.DataFrame:
    cols = [*panel_cols, "label", "series", "year", "year_basis", "nationality", "measure",
            "age_group", "accompaniment", "unit", "value", "value_constant", "price_base",
            "per_100k_children", "status", "x", "source_ids", "figure_ids"]
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


def mark_program(ax, record: ProcessedTables, label: bool = False, side: str = "right") -> None:
    xpos, when = program_date(record)
    ax.axvline(xpos, color=COLORS["black"], linewidth=0.8, linestyle=":", zorder=1)
    if label:
        ax.annotate(f"Mexico's Southern Border\nProgram, {when}",
                    xy=(xpos, 1), xycoords=("data", "axes fraction"),
                    xytext=(4 if side == "right" else -4, -2), textcoords="offset points",
                    ha="left" if side == "right" else "right", va="top",
                    fontsize=7, color="#333333")


def chart_meta(id_, title, subtitle, description, alt_text, data, record, extra_notes=(),
          notes_from=None):
    """Chart metadata; the period/unit notes come from ``notes_from`` (default: all the
    data drawn), so that a panel of derived rates does not count as a unit of its own."""
    ids = ids_from(data) if "source_ids" in data else []
    notes = [*period_notes(data if notes_from is None else notes_from), *extra_notes]
    return ChartMeta(id=id_, title=title, subtitle=subtitle, description=description,
                     alt_text=alt_text, source_ids=sorted(set(ids)),
                     source_line=source_line(ids, record["sources_processed"]), notes=notes,
                     data=data, source_details=source_entries(ids, record["sources_processed"]))


def country_list(codes) -> str:
    """('GTM', 'HND', 'SLV') -> 'Guatemala, Honduras and El Salvador'."""
    names = [COUNTRY_NAMES[code] for code in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def year_range_text(values) -> str:
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return "no values"
    return f"{min(values):,.0f} to {max(values):,.0f}"
