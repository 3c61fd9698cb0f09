"""The publication charts. Each function takes the processed record (``usmx.processed.load()``)
and returns a matplotlib Figure whose ``usmx`` attribute holds its metadata and the exact
data drawn. Nothing is typed in: every value, and every name in a source line, comes from
the record."""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from usmx import params
from usmx.charts.style import (
    ACCOUNT_COLORS,
    COLORS,
    ChartMeta,
    finish,
    house_style,
    ids_from,
    new_figure,
    period_notes,
    source_entries,
    source_line,
    thousands,
    year_axis,
    year_position,
)
from usmx.compare import VERSUS_PANELS, comparison_text, comparisons, versus_frame
from usmx.processed import ProcessedTables, deportation_series_rows
from usmx.schema import COUNTRY_NAMES, VERDICT_LABELS
from usmx.views import covered_years

PROGRAM_EVENT = "southern_border_program_announced"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
GAP_HATCH = dict(facecolor="#f4f4f4", edgecolor="#bbbbbb", hatch="////", linewidth=0.5)


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _line(ax, rows: pd.DataFrame, label: str, color: str, style: str = "-",
          marker: str = "o") -> pd.DataFrame:
    """Plot a series with breaks at gaps (a gap is NaN, never zero); return the rows drawn
    with their x positions."""
    x = np.array([year_position(int(y), b) for y, b in zip(rows["year"], rows["year_basis"],
                                                             strict=True)])
    y = rows["value"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    ax.plot(x, y, linestyle=style, marker=marker, color=color, label=label, gid=label)
    drawn = rows.assign(x=x, label=label)
    return drawn[drawn["value"].notna()]


def _drawn_frame(parts: list[pd.DataFrame], panel_cols: list[str]) -> pd.DataFrame:
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
    e = record["events"].set_index("event_id")
    date = e.loc[PROGRAM_EVENT, "date"]
    year, month = int(date[:4]), int(date[5:7]) if len(date) >= 7 else 1
    return year + (month - 1) / 12, f"{MONTHS[month - 1]} {year}"


def _mark_program(ax, record: ProcessedTables, label: bool = False, side: str = "right") -> None:
    x, when = program_date(record)
    ax.axvline(x, color=COLORS["black"], linewidth=0.8, linestyle=":", zorder=1)
    if label:
        ax.annotate(f"Mexico's Southern Border\nProgram, {when}",
                    xy=(x, 1), xycoords=("data", "axes fraction"),
                    xytext=(4 if side == "right" else -4, -2), textcoords="offset points",
                    ha="left" if side == "right" else "right", va="top",
                    fontsize=7, color="#333333")


def _meta(id_, title, subtitle, description, alt_text, data, record, extra_notes=(),
          notes_from=None):
    """Chart metadata; the period/unit notes come from ``notes_from`` (default: all the
    data drawn), so that a panel of derived rates does not count as a unit of its own."""
    ids = ids_from(data) if "source_ids" in data else []
    notes = [*period_notes(data if notes_from is None else notes_from), *extra_notes]
    return ChartMeta(id=id_, title=title, subtitle=subtitle, description=description,
                     alt_text=alt_text, source_ids=sorted(set(ids)),
                     source_line=source_line(ids, record["sources_processed"]), notes=notes,
                     data=data, source_details=source_entries(ids, record["sources_processed"]))


def _fmt_range(values) -> str:
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not values:
        return "no values"
    return f"{min(values):,.0f} to {max(values):,.0f}"


# --------------------------------------------------------------------------------------
# 1. US money for Mexico by account: one drawer for every chart that shows it
# --------------------------------------------------------------------------------------

FUNDING_ACCOUNTS = ("INCLE", "ESF", "FMF")
ALLOCATION_HATCH = "...."
LINE_STAGES = (("obligated", "Obligated", "-", "o"), ("disbursed", "Disbursed", "--", "s"))


def _bar_style(account: str, row) -> dict:
    """How a bar looks says what it is: solid = Mérida money; dotted = a State allocation of
    all the money in the account; white with a dashed edge = a request."""
    color = ACCOUNT_COLORS[account]
    if row["stage"] == "requested":
        return dict(facecolor="white", edgecolor=color, linestyle="--", linewidth=1.0)
    if row["scope"] == "account":
        return dict(facecolor=color, edgecolor="white", hatch=ALLOCATION_HATCH, linewidth=0)
    return dict(facecolor=color, edgecolor=color, linewidth=0)


def funding_panel(ax, record: ProcessedTables, first: int, last: int, x_of=lambda fy: fy,
                  width: float = 0.72, lines: bool = True,
                  headroom: float = 1.1) -> tuple[list[dict], list]:
    """US money for Mexico in the Mérida accounts, FY``first``-FY``last``: the best available
    figure per year and account (``mexico_funding_by_fy``) as stacked bars, the Mérida total
    as a dashed outline where the bar is not all Mérida money, and all US assistance
    obligated and disbursed (ForeignAssistance.gov) as lines. Returns the rows drawn and
    the legend handles. Every chart that shows the money uses this, so a year is drawn the
    same everywhere."""
    best = record["mexico_funding_by_fy"]
    best = best[(best["fiscal_year"] >= first) & (best["fiscal_year"] <= last)]
    merida = record["merida_mexico_by_fy"].set_index(["fiscal_year", "account"])
    rows, top, seen = [], 0.0, set()
    for fy in range(first, last + 1):
        x = x_of(fy)
        cells = best[best["fiscal_year"] == fy].set_index("account")
        bottom, missing, scopes = 0.0, [], set()
        for account in FUNDING_ACCOUNTS:
            c = cells.loc[account] if account in cells.index else None
            if c is None or pd.isna(c["amount_usd"]):
                missing.append(account)
                rows.append({"fiscal_year": fy, "account": account, "amount_usd": None,
                             "drawn_as": "gap", "series": None, "scope": None, "stage": None,
                             "status": "gap", "source_ids": None, "figure_ids": None})
                continue
            value = float(c["amount_usd"]) / 1e6
            scopes.add(c["scope"])
            kind = "request" if c["stage"] == "requested" else c["scope"]
            if value > 0:
                ax.bar(x, value, bottom=bottom, width=width, gid=f"bar-{account}-{fy}",
                       **_bar_style(account, c))
                drawn_as = "bar"
            else:  # a published zero is drawn as zero: a short rule on the baseline
                ax.plot([x - width / 2, x + width / 2], [bottom, bottom],
                        color=ACCOUNT_COLORS[account], linewidth=2.2, solid_capstyle="butt",
                        gid=f"zero-{account}-{fy}")
                drawn_as = "zero"
            seen.add(kind if value > 0 else "zero")
            rows.append({"fiscal_year": fy, "account": account, "amount_usd": int(c["amount_usd"]),
                         "drawn_as": drawn_as, "series": c["series"], "scope": c["scope"],
                         "stage": c["stage"], "status": c["status"],
                         "source_ids": c["source_ids"], "figure_ids": c["figure_ids"]})
            bottom += value
        height = bottom
        total = merida.loc[(fy, "TOTAL")] if (fy, "TOTAL") in merida.index else None
        if (total is not None and pd.notna(total["amount_usd"])
                and (missing or scopes != {"merida"})):
            outline = float(total["amount_usd"]) / 1e6
            ax.bar(x, outline, width=width + 0.08, fill=False, edgecolor="#333333",
                   linestyle=(0, (3, 2)), linewidth=0.9, gid=f"outline-{fy}")
            rows.append({"fiscal_year": fy, "account": "TOTAL",
                         "amount_usd": int(total["amount_usd"]), "drawn_as": "outline",
                         "series": "merida_appropriations", "scope": "merida",
                         "stage": total["stage"], "status": total["status"],
                         "source_ids": total["source_ids"], "figure_ids": total["figure_ids"]})
            height = max(height, outline)
            seen.add("outline")
        if len(missing) == len(FUNDING_ACCOUNTS) and height == 0:
            ax.bar(x, 40, width=width, **GAP_HATCH, gid=f"gap-{fy}")
            ax.text(x, 48, "no\nfigure", ha="center", va="bottom", fontsize=6.5,
                    color="#666666", gid=f"gaptext-{fy}")
            height = 75
            seen.add("gap")
        elif missing:
            ax.text(x, height + 6, "no figure:\n" + "\n".join(missing), ha="center",
                    va="bottom", fontsize=6, color="#666666", gid=f"gaptext-{fy}")
            height += 30
        top = max(top, height)
    if lines:
        fa = record["funding_series_by_fy"]
        fa = fa[(fa["series"] == "foreign_assistance_totals") & (fa["recipient"] == "MEX")
                & (fa["fiscal_year"] >= first) & (fa["fiscal_year"] <= last)]
        for stage, _label, style, marker in LINE_STAGES:
            s = fa[fa["stage"] == stage].sort_values("fiscal_year")
            if s["amount_usd"].notna().sum() == 0:
                continue
            xs = [x_of(int(fy)) for fy in s["fiscal_year"]]
            ys = s["amount_usd"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) / 1e6
            ax.plot(xs, ys, linestyle=style, marker=marker, markersize=3.2, linewidth=1.1,
                    color=COLORS["black"], gid=f"line-{stage}", zorder=4)
            top = max(top, float(np.nanmax(ys)))
            seen.add(stage)
            for r in s.itertuples():
                rows.append({"fiscal_year": int(r.fiscal_year), "account": "TOTAL",
                             "amount_usd": None if pd.isna(r.amount_usd) else int(r.amount_usd),
                             "drawn_as": f"line-{stage}", "series": r.series, "scope": r.scope,
                             "stage": stage, "status": r.status, "source_ids": r.source_ids,
                             "figure_ids": r.figure_ids})
    ax.set_ylim(0, top * headroom if top else 1)
    return rows, _funding_legend(seen)


def _funding_legend(seen: set[str]) -> list:
    from matplotlib.lines import Line2D

    handles = [Patch(facecolor=ACCOUNT_COLORS[a], label=a) for a in FUNDING_ACCOUNTS]
    grey = "#777777"
    entries = [
        ("merida", Patch(facecolor=grey, label="Solid: Mérida appropriation")),
        ("account", Patch(facecolor=grey, edgecolor="white", hatch=ALLOCATION_HATCH,
                          linewidth=0, label="Dotted: State allocation, whole account")),
        ("request", Patch(facecolor="white", edgecolor=grey, linestyle="--",
                          label="Dashed edge: request")),
        ("zero", Line2D([], [], color=grey, linewidth=2.2,
                        label="Thin rule: a published zero")),
        ("outline", Patch(fill=False, edgecolor="#333333", linestyle=(0, (3, 2)),
                          label="Dashed outline: Mérida total")),
        ("gap", Patch(**GAP_HATCH, label="No figure in any series")),
        ("obligated", Line2D([], [], color="black", marker="o", markersize=3.2,
                             label="Obligated, all US aid")),
        ("disbursed", Line2D([], [], color="black", linestyle="--", marker="s",
                             markersize=3.2, label="Disbursed, all US aid")),
    ]
    return handles + [h for key, h in entries if key in seen]


def funding_notes(data: pd.DataFrame) -> list[str]:
    """What a reader must know about the money drawn, computed from the rows drawn."""
    notes = []
    bars = data[data["drawn_as"].isin(["bar", "zero"])]
    alloc = sorted(bars.loc[(bars["scope"] == "account") & (bars["stage"] == "allocated"),
                            "fiscal_year"].unique())
    if alloc:
        notes.append("Dotted bars (" + _years(alloc) + ") are State Department allocations of "
                     "all the money in the account for Mexico, Mérida or not; they leave out "
                     "supplemental appropriations in FY2008-FY2009 and may book them in "
                     "a later year.")
    requests = sorted(bars.loc[bars["stage"] == "requested", "fiscal_year"].unique())
    if requests:
        notes.append("Requests (" + _years(requests) + ") are what the President asked for, "
                     "drawn where no enacted or allocated figure was found.")
    zeros = bars[bars["drawn_as"] == "zero"]
    if not zeros.empty:
        notes.append("Published zeros: " + ", ".join(
            f"{r.account} FY{r.fiscal_year}" for r in zeros.itertuples()) + ".")
    if data["drawn_as"].str.startswith("line").any():
        notes.append("Lines: all US assistance to Mexico from every agency (ForeignAssistance."
                     "gov), obligated and disbursed in each fiscal year; money is obligated "
                     "and spent years after it is appropriated.")
    return notes


def _years(years) -> str:
    years = [int(y) for y in years]
    spans, start = [], years[0]
    for a, b in zip(years, [*years[1:], None], strict=True):
        if b != a + 1:
            spans.append(f"FY{start}" if start == a else f"FY{start}-FY{a}")
            start = b
    return ", ".join(spans)


def merida_by_account(record: ProcessedTables, first: int = 2008, last: int = 2017) -> Figure:
    """US money for Mexico in the Mérida accounts by fiscal year, stacked by account, with
    each bar's scope and stage shown by its fill, and US aid obligated and disbursed."""
    first, last = params.years(first, last, covered_years(record))
    with house_style():
        fig, axes = new_figure(5.4)
        ax = axes[0, 0]
        rows, handles = funding_panel(ax, record, first, last, headroom=1.5)
        years = list(range(first, last + 1))
        ax.set_xlim(first - 0.6, last + 0.6)
        ax.set_xticks(years)
        ax.set_xticklabels([f"FY{y % 100:02d}" for y in years])
        ax.set_ylabel("US$ million (nominal)")
        ax.tick_params(axis="x", length=0)
        thousands(ax)
        ax.legend(handles=handles, loc="upper center", ncols=3, fontsize=6.3)
        data = pd.DataFrame(rows)
        bars = data[data["drawn_as"] == "bar"]
        gaps = sorted(data.loc[data["drawn_as"] == "gap", "fiscal_year"].unique())
        extra = [*funding_notes(data),
                 "FY2008 includes the FY2009 'bridge' funds enacted with it. INCLE: narcotics "
                 "control and law enforcement; ESF: Economic Support Fund; FMF: Foreign "
                 "Military Financing."]
        meta = _meta(
            "merida-by-account",
            "US money for Mexico's security, by fiscal year and account",
            f"Mérida appropriations, or State allocations of the whole account where no "
            f"Mérida figure exists, FY{first}-FY{last}, US$ million; lines: all US aid to "
            f"Mexico obligated and disbursed.",
            "US money for Mexico in the Mérida accounts (INCLE, ESF, FMF) by US fiscal year, "
            "from mexico_funding_by_fy.csv, with ForeignAssistance.gov obligations and "
            "disbursements from funding_series_by_fy.csv.",
            f"Stacked bar chart of US money for Mexico by fiscal year {first}-{last} and "
            f"account (INCLE, ESF, FMF); solid bars are Mérida appropriations, dotted bars "
            f"State allocations of the whole account, white bars requests. Account figures "
            f"range {_fmt_range(bars['amount_usd'] / 1e6)} million dollars. Two black lines "
            f"show all US aid to Mexico obligated and disbursed. Years with an account "
            f"missing: {', '.join(str(y) for y in gaps) or 'none'}.",
            data, record, extra)
        return finish(fig, meta)


# --------------------------------------------------------------------------------------
# 2. Child deportations by year, small multiples
# --------------------------------------------------------------------------------------

US_BLUE, US_SKY = COLORS["blue"], COLORS["sky"]
MX_ORANGE, MX_VERMILLION = COLORS["orange"], COLORS["vermillion"]

# Who returned the children sets the colour (Mexico vermillion, the US blue); the counter
# sets the line: solid = arrivals counted by the receiving country, dashed = the deporting
# state's own count, dotted = juveniles on ICE Air flights.
MX_RETURN, US_RETURN = COLORS["vermillion"], COLORS["blue"]
CHILD_MEASURES = {
    "received_minors_from_mexico": ("Returned by Mexico: arrivals counted by the children's "
                                    "country", MX_RETURN, "-", "o"),
    "mx_minor_returns": ("Returned by Mexico: Mexico's own count (events)", MX_RETURN, "--",
                         "s"),
    "received_minors_from_us": ("Returned by the US: arrivals counted by the children's "
                                "country", US_RETURN, "-", "o"),
    "us_to_mexico_minor_repatriations": ("Returned by the US: arrivals counted by Mexico",
                                         US_RETURN, "-", "o"),
    "us_to_mexico_unaccompanied_repatriations": ("... of whom unaccompanied", US_RETURN,
                                                 (0, (6, 2, 1, 2)), "D"),
    "us_uac_removals": ("Removed by the US: ICE's count of unaccompanied children",
                        US_RETURN, "--", "s"),
    "us_juvenile_air_removals": ("Removed by the US: juveniles on ICE Air flights", US_RETURN,
                                 ":", "^"),
}
COUNTRY_LINES = ("received_minors_from_mexico", "received_minors_from_us", "us_uac_removals",
                 "us_juvenile_air_removals")
CHILD_PANELS = [
    *[(c, COUNTRY_LINES) for c in ("GTM", "HND", "SLV")],
    ("ALL", ("mx_minor_returns", "us_uac_removals", "us_juvenile_air_removals")),
    ("MEX", ("us_to_mexico_minor_repatriations", "us_to_mexico_unaccompanied_repatriations",
             "us_juvenile_air_removals")),
]
SHARED = ("GTM", "HND", "SLV")  # panels on one scale
SMALL = 0.08  # a line whose top is under 8 % of its panel's scale gets its values written


def _label_small(ax, part: pd.DataFrame, color: str, top: float, nth: int) -> bool:
    """Write the values of a line that sits near zero, so that it can be read: the line with
    most points above its points, any other to their right, so the numbers do not collide."""
    if part.empty or float(part["value"].max()) >= SMALL * top:
        return False
    above = nth == 0
    for r in part.itertuples():
        ax.annotate(f"{int(r.value):,}", (r.x, float(r.value)),
                    xytext=(0, 4) if above else (4, 13), textcoords="offset points",
                    ha="center" if above else "left", va="bottom",
                    fontsize=5.8, color=color,
                    gid=f"value-{r.series}-{r.nationality}-{r.year}")
    return True


def _child_panels(record, first, last):
    fig, axes = new_figure(7.8, nrows=2, ncols=3, sharex=True)
    flat = list(axes.ravel())
    drawn, handles, parts = [], {}, []
    for ax, (nat, names) in zip(flat, CHILD_PANELS, strict=False):
        own = nat not in SHARED
        title = COUNTRY_NAMES[nat] if nat != "MEX" else "Mexican children"
        ax.set_title(title + (" (own scale)" if own else ""))
        for name in names:
            label, color, style, marker = CHILD_MEASURES[name]
            try:
                rows = deportation_series_rows(record, name, nat)
            except KeyError:
                continue
            rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
            part = _line(ax, rows, label, color, style, marker)
            drawn.append(part.assign(panel=COUNTRY_NAMES[nat]))
            parts.append((ax, part, color))
            handles.setdefault(label, ax.get_lines()[-1])
        year_axis(ax, first, last)
        thousands(ax)
        ax.set_ylim(bottom=0)
        _mark_program(ax, record, label=ax is flat[0], side="left")
    shared = [ax for ax, (nat, _) in zip(flat, CHILD_PANELS, strict=False) if nat in SHARED]
    top = max(ax.get_ylim()[1] for ax in shared)
    for ax in shared:
        ax.set_ylim(0, top)
    written: dict = {}
    for ax, part, color in sorted(parts, key=lambda p: -len(p[1])):
        if _label_small(ax, part, color, ax.get_ylim()[1], written.get(ax, 0)):
            written[ax] = written.get(ax, 0) + 1
    for ax in flat[len(CHILD_PANELS):]:
        ax.axis("off")
    flat[-1].legend(list(handles.values()),
                    ["\n".join(textwrap.wrap(k, 34)) for k in handles],
                    loc="center left", fontsize=6.6, borderaxespad=0, labelspacing=0.9)
    return fig, _drawn_frame(drawn, ["panel"])


def child_deportations(record: ProcessedTables, first: int = 2009, last: int = 2017) -> Figure:
    """Children returned by Mexico and by the US: for Guatemala, Honduras and El Salvador on
    one shared scale, who returned them and by whose count; all nationalities and Mexican
    children on scales of their own."""
    first, last = params.years(first, last, covered_years(record))
    with house_style():
        fig, data = _child_panels(record, first, last)
        extra = [f"Vermillion: returned by Mexico; blue: returned or removed by the US. Solid "
                 f"lines are arrivals counted by the receiving country (persons), dashed the "
                 f"deporting state's own count, dotted juveniles on ICE Air flights; the "
                 f"lines measure different things. Values are written where a line sits "
                 f"near zero. Dotted vertical line: Mexico's Southern Border Program, "
                 f"{program_date(record)[1]}. Missing points are years with no published "
                 f"figure, not zeros."]
        meta = _meta(
            "child-deportations",
            "Children sent back by Mexico and by the United States",
            f"Minors returned or removed, {first}-{last}. Guatemala, Honduras and El "
            f"Salvador share one scale; all nationalities and Mexican children have their "
            f"own.",
            "Small multiples of children returned by Mexico and by the US, by nationality "
            "and by whose count: Guatemala, Honduras and El Salvador on one scale, all "
            "nationalities and Mexican children returned by the US on scales of their own.",
            "Five line charts. " + " ".join(
                f"{panel}: {', '.join(sorted(set(g['label'])))}."
                for panel, g in data.groupby("panel", sort=False)),
            data, record, extra)
        return finish(fig, meta, hspace=0.42)


# --------------------------------------------------------------------------------------
# 3. Funding against child deportations
# --------------------------------------------------------------------------------------


def funding_vs_child_deportations(record: ProcessedTables, first: int = 2008,
                                  last: int = 2017) -> Figure:
    """Aligned panels on one year axis: Mérida money, then children apprehended and returned,
    by country. No dual axis; July 2014 marked in every panel."""
    first, last = params.years(first, last, covered_years(record))
    panels = [
        ("ALL", [("mx_minor_apprehensions", "Minors apprehended by Mexico", MX_ORANGE, "-"),
                 ("mx_minor_returns", "Minors returned by Mexico", MX_VERMILLION, "-"),
                 ("us_uac_apprehensions", "Unaccompanied children apprehended by the US",
                  US_BLUE, "-")]),
        *[(c, [("us_uac_apprehensions", "Unaccompanied children apprehended by the US",
                US_BLUE, "-"),
               ("received_minors_from_mexico", "Minors returned from Mexico (origin "
                "country's count)", MX_VERMILLION, "-")]) for c in ("GTM", "HND", "SLV")],
    ]
    with house_style():
        fig, axes = new_figure(10.4, nrows=len(panels) + 1, ncols=1, sharex=True,
                               height_ratios=[2.0] + [1] * len(panels))
        ax0 = axes[0, 0]
        money, handles = funding_panel(ax0, record, first, last,
                                       x_of=lambda fy: year_position(fy, "us_fiscal"),
                                       width=0.8, headroom=2.0)
        rows = [{"panel": "US money for Mexico", "label": r["account"],
                 "series": r["series"], "year": r["fiscal_year"], "year_basis": "us_fiscal",
                 "nationality": None, "measure": f"{r['stage'] or 'no figure'} "
                 f"({r['scope'] or 'none'})", "unit": "US dollars", "value": r["amount_usd"],
                 "status": r["status"], "x": year_position(r["fiscal_year"], "us_fiscal"),
                 "drawn_as": r["drawn_as"], "scope": r["scope"], "stage": r["stage"],
                 "source_ids": r["source_ids"], "figure_ids": r["figure_ids"]}
                for r in money]
        ax0.set_title("US money for Mexico, US$ million (bars: Mérida accounts; lines: all US "
                      "aid)")
        ax0.legend(handles=handles, loc="upper left", fontsize=5.6, ncols=2)
        thousands(ax0)
        _mark_program(ax0, record, label=True)
        drawn = []
        for i, (ax, (nat, lines)) in enumerate(zip(axes[1:, 0], panels, strict=True)):
            for name, label, color, style in lines:
                s = deportation_series_rows(record, name, nat)
                s = s[(s["year"] >= first) & (s["year"] <= last)]
                drawn.append(_line(ax, s, label, color, style).assign(panel=COUNTRY_NAMES[nat]))
            ax.set_title(f"Children, {COUNTRY_NAMES[nat]}")
            thousands(ax)
            ax.set_ylim(bottom=0)
            _mark_program(ax, record)
            if i < 2:  # the country panels share one set of lines: label them once
                ax.legend(loc="upper left", fontsize=6.5)
        for ax in axes[:, 0]:
            year_axis(ax, first, last)
        ax0.set_xlim(first - 0.2, last + 1)  # the first fiscal year's bar starts in October
        data = _drawn_frame([pd.DataFrame(rows), *drawn], ["panel", "drawn_as", "scope",
                                                           "stage"])
        gaps = sorted({int(r["year"]) for r in rows if r["drawn_as"] == "gap"})
        meta = _meta(
            "funding-vs-child-deportations",
            "US money for Mexico's security, and the children Mexico stopped",
            "US money for Mexico (top) and children apprehended and returned, "
            f"{first}-{last}. Each panel has its own scale; the panels share the year axis.",
            "Aligned panels: US money for Mexico in the Mérida accounts by fiscal year, then "
            "children "
            "apprehended and returned by Mexico and by the US, for all nationalities and for "
            "Guatemala, Honduras and El Salvador, with the Southern Border Program marked.",
            "Top: stacked bars of US money for Mexico by fiscal year and account (Mérida "
            "appropriations, or State allocations of the whole account, or requests), with "
            "lines for all US aid obligated and disbursed; accounts with no figure in "
            f"{', '.join(map(str, gaps)) or 'no year'}. Below: line "
            "charts of children apprehended or returned by Mexico and the US. A dotted "
            f"vertical line marks Mexico's Southern Border Program of "
            f"{program_date(record)[1]}.",
            data, record,
            [f"Dotted line: Mexico's Southern Border Program, {program_date(record)[1]}. "
             "Apprehensions are events.", *funding_notes(pd.DataFrame(money))])
        return finish(fig, meta, hspace=0.55, left=0.1)


# --------------------------------------------------------------------------------------
# 4. Unaccompanied children apprehended at the US border
# --------------------------------------------------------------------------------------


def _population_caveat(record: ProcessedTables) -> str:
    """How far the population releases in the record disagree (from conflicts.csv)."""
    pop = record["conflicts"].query("table == 'population'")
    if pop.empty:
        return ""
    worst = max(float(v) for v in pop["spread_pct"])
    return f"; its releases differ by up to {worst:.1f} %, the preferred one is used"


def uac_apprehensions(record: ProcessedTables, first: int = 2009, last: int = 2018) -> Figure:
    """US Border Patrol apprehensions of unaccompanied children by country (context), and
    the same per 100,000 children aged 0-14 of each country."""
    first, last = params.years(first, last, covered_years(record))
    lines = [("GTM", COLORS["blue"], "-"), ("HND", COLORS["orange"], "-"),
             ("SLV", COLORS["green"], "-"), ("MEX", COLORS["vermillion"], "-"),
             ("ALL", COLORS["grey"], "--")]
    rate_panel = "Per 100,000 children aged 0-14 in the country"
    with house_style():
        fig, axes = new_figure(7.4, nrows=2, ncols=1, sharex=True)
        ax, ax_rate = axes[0, 0], axes[1, 0]
        drawn = []
        for nat, color, style in lines:
            s = deportation_series_rows(record, "us_uac_apprehensions", nat)
            s = s[(s["year"] >= first) & (s["year"] <= last)]
            drawn.append(_line(ax, s, COUNTRY_NAMES[nat], color, style).assign(
                panel="US Border Patrol"))
            if nat == "ALL":
                continue
            rate = s.assign(value=s["per_100k_children"],
                            unit="per 100,000 children aged 0-14",
                            source_ids=s["source_ids"].str.cat(
                                s["population_source_ids"].fillna(""), sep=";")
                            .str.strip(";"),
                            figure_ids=s["figure_ids"].str.cat(
                                s["population_figure_ids"].fillna(""), sep=";")
                            .str.strip(";"))
            drawn.append(_line(ax_rate, rate, COUNTRY_NAMES[nat], color, style).assign(
                panel=rate_panel))
        ax.set_title("Apprehensions (events)")
        ax_rate.set_title(rate_panel)
        year_axis(ax_rate, first, last)
        for a in (ax, ax_rate):
            thousands(a)
            a.set_ylim(bottom=0)
            _mark_program(a, record, label=a is ax)
        ax.legend(loc="upper left")
        data = _drawn_frame(drawn, ["panel"])
        counts = data[data["panel"] == "US Border Patrol"]
        missing = sorted({COUNTRY_NAMES[n] for n, _, _ in lines}
                         - set(counts.loc[counts["year"] == first, "label"]))
        rates = data[data["panel"] == rate_panel]
        top = rates.sort_values(["value", "label"]).iloc[-1] if len(rates) else None
        rate_text = ("no population figures are available" if top is None else
                     f"the highest rate is {top['label']}'s {top['value']:.1f} per 100,000 "
                     f"in FY{int(top['year'])}")
        meta = _meta(
            "uac-apprehensions",
            "Unaccompanied children apprehended at the US southwest border",
            f"US Border Patrol apprehensions by country of origin, fiscal years {first}-{last}: "
            "counts, and per 100,000 children in each country.",
            "US Border Patrol apprehensions of unaccompanied children at the southwest border "
            "by country, from us_uac_apprehensions in child_deportations_by_year.csv, and "
            "per_100k_children (World Bank population aged 0-14).",
            f"Two line charts of unaccompanied children apprehended at the US southwest "
            f"border, FY{first}-FY{last}, for Guatemala, Honduras, El Salvador and Mexico, "
            f"with all nationalities dashed; all nationalities range "
            f"{_fmt_range(counts.loc[counts['label'] == 'All nationalities', 'value'])}. "
            f"Series missing in FY{first}: {', '.join(missing) or 'none'}. The lower panel "
            f"divides by each country's children aged 0-14; {rate_text}.",
            data, record,
            ["Apprehension events; fiscal years (October-September). Missing points are "
             "years with no published figure.",
             "Rates divide fiscal-year events by the calendar-year population of the same "
             f"number (World Bank WDI{_population_caveat(record)})."],
            notes_from=counts)
        return finish(fig, meta, hspace=0.3)


# --------------------------------------------------------------------------------------
# 5. Mexico against the US: where one overtakes the other
# --------------------------------------------------------------------------------------

def mexico_vs_us(record: ProcessedTables, first: int = 2008, last: int = 2017) -> Figure:
    """Mexico's against the US's apprehensions and deportations of Central Americans, with
    the year Mexico overtakes the US, per measure."""
    first, last = params.years(first, last, covered_years(record))
    frame = versus_frame(record, first, last)
    with house_style():
        fig, axes = new_figure(8.8, nrows=len(VERSUS_PANELS), ncols=1, sharex=True)
        drawn = []
        for ax, (title, _) in zip(axes[:, 0], VERSUS_PANELS, strict=True):
            panel = frame[frame["panel"] == title]
            for _, s in panel.groupby("order", sort=True):
                first_row = s.iloc[0]
                style = "-" if first_row["side"] == "mx" else "--"
                drawn.append(_line(ax, s.drop(columns=["label", "color"]), first_row["label"],
                                   first_row["color"], style))
            ax.set_title(title)
            thousands(ax)
            ax.set_ylim(bottom=0)
            year_axis(ax, first, last)
            _mark_program(ax, record, label=ax is axes[0, 0])
            ax.legend(loc="upper left", fontsize=6.5)
        data = _drawn_frame(drawn, ["panel", "side", "order"])
        cmp = comparisons(frame[frame["value"].notna()])
        for ax, (title, _) in zip(axes[:, 0], VERSUS_PANELS, strict=True):
            ax.set_title(title, pad=15)
            ax.text(0, 1.015, comparison_text(cmp[title]), transform=ax.transAxes,
                    ha="left", va="bottom", fontsize=7.5, color="#333333",
                    gid=f"comparison-{title}")
        data = data.assign(overtakes=data["panel"].map(
            {p: c["overtakes"] for p, c in cmp.items()}).astype("Int64"))
        meta = _meta(
            "mexico-vs-us",
            "When Mexico overtook the United States, and in which measure",
            "Apprehensions and deportations of Central Americans by Mexico and by the US, "
            f"{first}-{last}; each panel compares one kind of count.",
            "Three panels comparing Mexico and the US: children apprehended, children "
            "returned or removed, and Central Americans of all ages returned or removed; "
            "each states the first year Mexico's figure exceeds the US's.",
            "Three line charts. " + " ".join(
                f"{p}: {comparison_text(c)}." for p, c in cmp.items()),
            data, record,
            ["Mexico's series count events of all minors (accompanied or not); the US child "
             "series count unaccompanied children only, so Mexico's lines include children "
             "the US lines leave out. The comparison above each panel sets the first-listed "
             "series of each side against each other by year label (fiscal against calendar "
             "year)."])
        return finish(fig, meta, hspace=0.62, top_extra_in=0.2)


# --------------------------------------------------------------------------------------
# 6. The article's claims against the record
# --------------------------------------------------------------------------------------

VERDICT_COLORS = {"supported": COLORS["green"], "supported_with_caveats": COLORS["sky"],
                  "overstated": COLORS["vermillion"], "understated": COLORS["orange"],
                  "contradicted": COLORS["purple"], "not_traceable": COLORS["grey"]}


def claims_scoreboard(record: ProcessedTables) -> Figure:
    """Each claim: the record's figure as a share of the article's (100 % = the same), on
    one scale for every numeric claim; the verdict for every claim."""

    c = record["claims"].reset_index(drop=True)
    with house_style():
        fig, axes = new_figure(0.42 * len(c) + 1.9)
        ax = axes[0, 0]
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        n = len(c)
        rows = []
        for i, r in c.iterrows():
            y = n - 1 - i
            color = VERDICT_COLORS[r["verdict"]]
            share = None
            if pd.notna(r["article_value"]) and pd.notna(r["record_value"]):
                share = float(r["record_value"]) / float(r["article_value"]) * 100
                ax.plot([100, share], [y, y], color=color, linewidth=1.2, zorder=2)
                ax.plot(share, y, "o", color=color, markersize=7, zorder=3,
                        gid=f"claim-{r['claim_id']}")
                label = f"record {r['record_figure']} vs article {r['figure_printed']}"
                ax.text(max(share, 100) + 4, y, label, va="center", fontsize=6.5,
                        color="#444444")
            else:
                ax.text(4, y, "no number to compare: " + VERDICT_LABELS[r["verdict"]].lower(),
                        va="center", fontsize=6.5, color=color, gid=f"claim-{r['claim_id']}")
            rows.append({"claim_id": r["claim_id"], "verdict": r["verdict"],
                         "article_value": r["article_value"], "record_value": r["record_value"],
                         "record_share_pct": None if share is None else round(share, 1),
                         "source_ids": r["source_ids"], "figure_ids": r["figure_ids"]})
        ax.axvline(100, color=COLORS["black"], linewidth=0.8, linestyle=":")
        ax.text(100, n - 0.35, "the article's figure", ha="center", va="bottom", fontsize=7)
        ax.set_yticks(range(n))
        ax.set_yticklabels([f"{cid}  ({VERDICT_LABELS[v]})" for cid, v in
                            zip(c["claim_id"][::-1], c["verdict"][::-1], strict=True)])
        ax.set_xlim(0, 260)
        ax.set_ylim(-0.6, n)
        ax.set_xlabel("The record's figure as a share of the article's (%)")
        data = pd.DataFrame(rows)
        meta = _meta(
            "claims-scoreboard",
            "The article's claims against the public record",
            "For each numeric claim, the record's nearest comparable figure as a share of "
            "the article's; every claim's verdict beside its name.",
            "Scoreboard of the article's nine checkable statements, from claims.csv.",
            "Dot chart. " + " ".join(
                f"{r.claim_id}: {VERDICT_LABELS[r.verdict].lower()}"
                + (f", record {r.record_share_pct:.0f}% of the article's figure"
                   if pd.notna(r.record_share_pct) else "") + "."
                for r in data.itertuples()),
            data, record,
            ["Verdicts and record figures are computed from the processed record by "
             "usmx.claims; see claims.csv for the reasons and notebooks/04-claims-check.ipynb "
             "for the figures behind each."])
        return finish(fig, meta, left=0.36)


CHARTS = {
    "merida-by-account": merida_by_account,
    "child-deportations": child_deportations,
    "funding-vs-child-deportations": funding_vs_child_deportations,
    "uac-apprehensions": uac_apprehensions,
    "mexico-vs-us": mexico_vs_us,
    "claims-scoreboard": claims_scoreboard,
}
