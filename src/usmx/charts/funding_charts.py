"""Charts of US money for Mexico, alone and beside child deportations (see ``usmx.charts``).
Each ``*_spec`` function computes the chart as data (``usmx.charts.spec``); the function of
the chart's name draws it (``usmx.charts.draw``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from usmx.analysis import countries as country_table
from usmx.analysis import params
from usmx.analysis.processed import ProcessedTables, deportation_series_rows
from usmx.analysis.views import chosen_years
from usmx.charts.parts import (
    chart_meta,
    country_list,
    drawn_frame,
    line_of,
    program_date,
    program_rule,
    year_range_text,
)
from usmx.charts.spec import Bar, ChartSpec, Key, Legend, Line, Panel, Scale, Text, year_position
from usmx.charts.theme import (
    ALLOCATION_HATCH,
    GAP_HATCH,
)

# --------------------------------------------------------------------------------------
# 1. US money for Mexico by account: one drawer for every chart that shows it
# --------------------------------------------------------------------------------------

FUNDING_ACCOUNTS = ("INCLE", "ESF", "FMF")
# The legend keys a funding panel can need, in the legend's order (after the accounts);
# a panel lists those of the marks it drew.
KEYS = {
    "merida": Key("Solid: Mérida appropriation", facecolor="ink:key"),
    "account": Key("Dotted: State allocation, whole account", facecolor="ink:key",
                   edgecolor="ink:paper", hatch=ALLOCATION_HATCH, linewidth=0),
    "request": Key("Dashed edge: request", facecolor="ink:paper", edgecolor="ink:key",
                   linestyle="--"),
    "zero": Key("Thin rule: a published zero", kind="line", facecolor="ink:key",
                linewidth=2.2),
    "outline": Key("Dashed outline: Mérida total", fill=False, edgecolor="ink:note",
                   linestyle=(0, (3, 2))),
    "gap": Key("No figure in any series", facecolor="gap-fill", edgecolor="gap-edge",
               hatch=GAP_HATCH["hatch"], linewidth=GAP_HATCH["linewidth"]),
    "obligated": Key("Obligated, all US aid", kind="line", facecolor="ink:key_line",
                     marker="o", markersize=3.2),
    "disbursed": Key("Disbursed, all US aid", kind="line", facecolor="ink:key_line",
                     linestyle="--", marker="s", markersize=3.2),
}
LINE_STAGES = (("obligated", "Obligated", "-", "o"), ("disbursed", "Disbursed", "--", "s"))


def _bar_style(account: str, row) -> dict:
    """How a bar looks says what it is: solid = Mérida money; dotted = a State allocation of
    all the money in the account; white with a dashed edge = a request."""
    color = f"account:{account}"  # colour roles (usmx.charts.theme.ROLES)
    if row["stage"] == "requested":
        return dict(facecolor="ink:paper", edgecolor=color, linestyle="--", linewidth=1.0)
    if row["scope"] == "account":
        return dict(facecolor=color, edgecolor="ink:paper", hatch=ALLOCATION_HATCH,
                    linewidth=0)
    return dict(facecolor=color, edgecolor=color, linewidth=0)


def funding_panel(record: ProcessedTables, first: int, last: int, x_of=lambda fy: fy,
                  width: float = 0.72, lines: bool = True,
                  headroom: float = 1.1) -> tuple[list, list[dict], tuple[str, ...], float]:
    """US money for Mexico in the Mérida accounts, FY``first``-FY``last``: the best available
    figure per year and account (``mexico_funding_by_fy``) as stacked bars, the Mérida total
    as a dashed outline where the bar is not all Mérida money, and all US assistance
    obligated and disbursed (ForeignAssistance.gov) as lines. Returns the marks, the rows
    drawn, the legend's keys and the top of the scale. Every chart that shows the money
    uses this, so a year is drawn the same everywhere."""
    best = record["mexico_funding_by_fy"]
    best = best[(best["fiscal_year"] >= first) & (best["fiscal_year"] <= last)]
    merida = record["merida_mexico_by_fy"].set_index(["fiscal_year", "account"])
    marks, rows, top, seen = [], [], 0.0, set()
    for fy in range(first, last + 1):
        xpos = x_of(fy)
        cells = best[best["fiscal_year"] == fy].set_index("account")
        bottom, missing, scopes = 0.0, [], set()
        for account in FUNDING_ACCOUNTS:
            cell = cells.loc[account] if account in cells.index else None
            if cell is None or pd.isna(cell["amount_usd"]):
                missing.append(account)
                rows.append({"fiscal_year": fy, "account": account, "amount_usd": None,
                             "drawn_as": "gap", "series": None, "scope": None, "stage": None,
                             "status": "gap", "source_ids": None, "figure_ids": None})
                continue
            value = float(cell["amount_usd"]) / 1e6
            scopes.add(cell["scope"])
            kind = "request" if cell["stage"] == "requested" else cell["scope"]
            if value > 0:
                marks.append(Bar(xpos, value, width, f"bar-{account}-{fy}", bottom=bottom,
                                 **_bar_style(account, cell)))
                drawn_as = "bar"
            else:  # a published zero is drawn as zero: a short rule on the baseline
                marks.append(Line(None, (xpos - width / 2, xpos + width / 2),
                                  (bottom, bottom), f"account:{account}", marker=None,
                                  gid=f"zero-{account}-{fy}", width=2.2, capstyle="butt"))
                drawn_as = "zero"
            seen.add(kind if value > 0 else "zero")
            rows.append({"fiscal_year": fy, "account": account,
                         "amount_usd": int(cell["amount_usd"]),
                         "drawn_as": drawn_as, "series": cell["series"], "scope": cell["scope"],
                         "stage": cell["stage"], "status": cell["status"],
                         "source_ids": cell["source_ids"], "figure_ids": cell["figure_ids"]})
            bottom += value
        height = bottom
        total = merida.loc[(fy, "TOTAL")] if (fy, "TOTAL") in merida.index else None
        if (total is not None and pd.notna(total["amount_usd"])
                and (missing or scopes != {"merida"})):
            outline = float(total["amount_usd"]) / 1e6
            marks.append(Bar(xpos, outline, width + 0.08, f"outline-{fy}", fill=False,
                             edgecolor="ink:note", linestyle=(0, (3, 2)), linewidth=0.9))
            rows.append({"fiscal_year": fy, "account": "TOTAL",
                         "amount_usd": int(total["amount_usd"]), "drawn_as": "outline",
                         "series": "merida_appropriations", "scope": "merida",
                         "stage": total["stage"], "status": total["status"],
                         "source_ids": total["source_ids"], "figure_ids": total["figure_ids"]})
            height = max(height, outline)
            seen.add("outline")
        if len(missing) == len(FUNDING_ACCOUNTS) and height == 0:
            marks.append(Bar(xpos, 40, width, f"gap-{fy}", facecolor="gap-fill",
                             edgecolor="gap-edge", hatch=GAP_HATCH["hatch"],
                             linewidth=GAP_HATCH["linewidth"]))
            marks.append(Text(xpos, 48, "no\nfigure", 6.5, gid=f"gaptext-{fy}"))
            height = 75
            seen.add("gap")
        elif missing:
            marks.append(Text(xpos, height + 6, "no figure:\n" + "\n".join(missing), 6,
                              gid=f"gaptext-{fy}"))
            height += 30
        top = max(top, height)
    if lines:
        fa = record["funding_series_by_fy"]
        fa = fa[(fa["series"] == "foreign_assistance_totals") & (fa["recipient"] == "MEX")
                & (fa["fiscal_year"] >= first) & (fa["fiscal_year"] <= last)]
        for stage, _label, style, marker in LINE_STAGES:
            stage_rows = fa[fa["stage"] == stage].sort_values("fiscal_year")
            if stage_rows["amount_usd"].notna().sum() == 0:
                continue
            xs = [x_of(int(fy)) for fy in stage_rows["fiscal_year"]]
            ys = stage_rows["amount_usd"].astype("Float64").to_numpy(dtype=float,
                                                                      na_value=np.nan) / 1e6
            marks.append(Line(None, tuple(float(x) for x in xs), tuple(float(y) for y in ys),
                              "reference", style=style, marker=marker,
                              gid=f"line-{stage}", width=1.1, markersize=3.2, zorder=4))
            top = max(top, float(np.nanmax(ys)))
            seen.add(stage)
            for line_row in stage_rows.itertuples():
                amount = None if pd.isna(line_row.amount_usd) else int(line_row.amount_usd)
                rows.append({"fiscal_year": int(line_row.fiscal_year), "account": "TOTAL",
                             "amount_usd": amount, "drawn_as": f"line-{stage}",
                             "series": line_row.series, "scope": line_row.scope,
                             "stage": stage, "status": line_row.status,
                             "source_ids": line_row.source_ids,
                             "figure_ids": line_row.figure_ids})
    keys = (*(Key(account, facecolor=f"account:{account}") for account in FUNDING_ACCOUNTS),
            *(key for name, key in KEYS.items() if name in seen))
    return marks, rows, keys, top * headroom if top else 1


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
    for year, following in zip(years, [*years[1:], None], strict=True):
        if following != year + 1:
            spans.append(f"FY{start}" if start == year else f"FY{start}-FY{year}")
            start = following
    return ", ".join(spans)


def funding_years(record: ProcessedTables, first=None, last=None) -> tuple[int, int]:
    """The money charts' fiscal years: those asked for, else the first to the last year in
    which an account of mexico_funding_by_fy holds a figure."""
    best = record["mexico_funding_by_fy"]
    held = best.loc[best["status"] != "gap", "fiscal_year"].astype(int)
    return chosen_years(record, first, last, int(held.min()), int(held.max()))


def merida_by_account_spec(record: ProcessedTables, first: int | None = None,
                           last: int | None = None) -> ChartSpec:
    """US money for Mexico in the Mérida accounts by fiscal year, stacked by account, with
    each bar's scope and stage shown by its fill, and US aid obligated and disbursed. Years:
    those in which an account holds a figure, unless ``first`` and ``last`` say otherwise."""
    first, last = funding_years(record, first, last)
    marks, rows, keys, top = funding_panel(record, first, last, headroom=1.5)
    years = list(range(first, last + 1))
    panel = Panel(marks=tuple(marks), scale=Scale(limits=(0, top)),
                  xlim=(first - 0.6, last + 0.6),
                  xticks=tuple((y, f"FY{y % 100:02d}") for y in years),
                  ylabel="US$ million (nominal)",
                  legend=Legend("upper center", fontsize=6.3, ncols=3, entries=keys))
    data = pd.DataFrame(rows)
    bars = data[data["drawn_as"] == "bar"]
    gaps = sorted(data.loc[data["drawn_as"] == "gap", "fiscal_year"].unique())
    extra = [*funding_notes(data),
             "FY2008 includes the FY2009 'bridge' funds enacted with it. INCLE: narcotics "
             "control and law enforcement; ESF: Economic Support Fund; FMF: Foreign "
             "Military Financing."]
    meta = chart_meta(
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
        f"range {year_range_text(bars['amount_usd'] / 1e6)} million dollars. Two black lines "
        f"show all US aid to Mexico obligated and disbursed. Years with an account "
        f"missing: {', '.join(str(y) for y in gaps) or 'none'}.",
        data, record, extra)
    return ChartSpec(meta, 5.4, (panel,))


# --------------------------------------------------------------------------------------
# 3. Funding against child deportations
# --------------------------------------------------------------------------------------


def funding_vs_child_deportations_spec(record: ProcessedTables, first: int | None = None,
                                       last: int | None = None,
                                       countries: tuple[str, ...] | None = None
                                       ) -> ChartSpec:
    """Aligned panels on one year axis: Mérida money, then children apprehended and returned,
    all nationalities and then each studied Central American country (or those of
    ``countries``). No dual axis; July 2014 marked in every panel. Years: those of the money
    panel, unless ``first`` and ``last`` say otherwise."""
    first, last = funding_years(record, first, last)
    shared = country_table.studied(record, "central_america")
    countries = tuple(params.choice(shared if countries is None else countries, shared,
                                    "country"))
    chosen = [
        ("ALL", [("mx_minor_apprehensions", "Minors apprehended by Mexico",
                  "mexico-apprehensions", "-"),
                 ("mx_minor_returns", "Minors returned by Mexico", "mexico", "-"),
                 ("us_uac_apprehensions", "Unaccompanied children apprehended by the US",
                  "us", "-")]),
        *[(c, [("us_uac_apprehensions", "Unaccompanied children apprehended by the US",
                "us", "-"),
               ("received_minors_from_mexico", "Minors returned from Mexico (origin "
                "country's count)", "mexico", "-"),
               ("mx_minor_returns", "Minors returned by Mexico (Mexico's count, events)",
                "mexico", "--")]) for c in countries],
    ]
    marks, money, keys, top = funding_panel(record, first, last,
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
    panels = [Panel(
        title="US money for Mexico, US$ million (bars: Mérida accounts; lines: all US aid)",
        marks=tuple(marks), scale=Scale(limits=(0, top)), years=(first, last),
        rules=(program_rule(record, label=True),),
        legend=Legend("upper left", fontsize=5.6, ncols=2, entries=keys))]
    drawn = []
    for panel_number, (nat, lines) in enumerate(chosen):
        panel_marks = []
        for name, label, color, style in lines:
            series_rows = deportation_series_rows(record, name, nat)
            series_rows = series_rows[series_rows["year"].between(first, last)]
            line, part = line_of(series_rows, label, color, style)
            panel_marks.append(line)
            drawn.append(part.assign(panel=country_table.name(record, nat)))
        who = country_table.name(record, nat) if nat != "ALL" else "all nationalities"
        panels.append(Panel(
            title=f"Children, {who}",
            marks=tuple(panel_marks),
            years=(first, last), rules=(program_rule(record),),
            # the country panels share one set of lines: label them once
            legend=Legend("upper left", fontsize=6.5) if panel_number < 2 else None))
    # the first fiscal year's bar starts in October: the axis starts before its edge
    edges = [mark.x - mark.width / 2 for mark in marks if isinstance(mark, Bar)]
    data = drawn_frame([pd.DataFrame(rows), *drawn], ["panel", "drawn_as", "scope",
                                                       "stage"])
    gaps = sorted({int(r["year"]) for r in rows if r["drawn_as"] == "gap"})
    meta = chart_meta(
        "funding-vs-child-deportations",
        "US money for Mexico's security, and the children Mexico stopped",
        "US money for Mexico (top) and children apprehended and returned, "
        f"{first}-{last}. Each panel has its own scale; the panels share the year axis.",
        "Aligned panels: US money for Mexico in the Mérida accounts by fiscal year, then "
        "children "
        "apprehended and returned by Mexico and by the US, for all nationalities and for "
        f"{country_list(countries, record)}, with the Southern Border Program marked.",
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
    return ChartSpec(meta, 10.4, tuple(panels), nrows=len(panels), ncols=1, sharex=True,
                     height_ratios=(2.0, *[1] * (len(panels) - 1)),
                     xlim=(min([first - 0.2, *edges]) - 0.05, last + 1),
                     layout={"hspace": 0.55, "left": 0.1})
