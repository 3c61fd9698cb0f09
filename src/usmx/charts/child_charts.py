"""Charts of children deported by Mexico and the US (each chart: see ``usmx.charts``).
Each ``*_spec`` function computes the chart as data (``usmx.charts.spec``); the function of
the chart's name draws it (``usmx.charts.draw``)."""

from __future__ import annotations

import dataclasses

import pandas as pd

from usmx.analysis import countries as country_table
from usmx.analysis import params
from usmx.analysis.compare import VERSUS_PANELS, comparison_text, comparisons, versus_frame
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
from usmx.charts.spec import FISCAL_YEARS, ChartSpec, Legend, Panel, Scale, SmallLabels

# --------------------------------------------------------------------------------------
# 2. Child deportations by year, small multiples
# --------------------------------------------------------------------------------------


# Who returned the children sets the colour (Mexico vermillion, the US blue); the counter
# sets the line: solid = arrivals counted by the receiving country, dashed = the deporting
# state's own count, dotted = juveniles on ICE Air flights.
MX_RETURN, US_RETURN = "mexico", "us"  # colour roles (usmx.charts.theme.ROLES)
CHILD_MEASURES = {
    "received_minors_from_mexico": ("Returned by Mexico: arrivals counted by the children's "
                                    "country", MX_RETURN, "-", "o"),
    "mx_minor_returns": ("Returned by Mexico: Mexico's own count (events)", MX_RETURN, "--",
                         "s"),
    "received_minors_from_us": ("Returned by the US: arrivals counted by the children's "
                                "country", US_RETURN, "-", "o"),
    "us_to_mexico_minor_repatriations": ("Returned by the US: arrivals counted by Mexico",
                                         US_RETURN, "-", "h"),
    "us_to_mexico_unaccompanied_repatriations": ("... of whom unaccompanied", US_RETURN,
                                                 (0, (6, 2, 1, 2)), "D"),
    "us_uac_removals": ("Removed by the US: ICE's count of unaccompanied children",
                        US_RETURN, "--", "s"),
    "us_juvenile_air_removals": ("Removed by the US: juveniles on ICE Air flights", US_RETURN,
                                 ":", "^"),
}
COUNTRY_LINES = ("received_minors_from_mexico", "mx_minor_returns", "received_minors_from_us",
                 "us_uac_removals", "us_juvenile_air_removals")
ALL_LINES = ("mx_minor_returns", "us_uac_removals", "us_juvenile_air_removals")
MEXICAN_LINES = ("us_to_mexico_minor_repatriations", "us_to_mexico_unaccompanied_repatriations",
                 "us_juvenile_air_removals")
SHARED_GROUP = "central_america"  # the countries whose panels share one scale
SMALL = 0.08  # a line whose top is under 8 % of its panel's scale gets its values written
COLUMNS = 2  # panels to a row: wide enough for sixteen years of yearly values
FIRST_CHILD_YEAR = 2009  # the charts of children start here unless asked otherwise


def child_panels_of(record: ProcessedTables) -> list[tuple[str, tuple[str, ...]]]:
    """The panels of the children chart: each studied Central American country, then all
    nationalities, then the Mexican children the US returns (the ``mexico`` group)."""
    return [*[(c, COUNTRY_LINES) for c in country_table.studied(record, SHARED_GROUP)],
            ("ALL", ALL_LINES),
            *[(c, MEXICAN_LINES) for c in country_table.studied(record, "mexico")]]


def _small(part: pd.DataFrame, color: str) -> SmallLabels:
    """The values of a line, written by the drawer if the line sits near zero."""
    columns = (part[name].tolist() for name in ("x", "value", "series", "nationality", "year"))
    return SmallLabels(tuple((float(x), float(value), f"value-{series}-{nat}-{year}")
                             for x, value, series, nat, year in zip(*columns, strict=True)),
                       color)  # (the five columns only: itertuples would convert them all)


def _child_panels(record, first, last, chosen_countries) -> tuple[list[Panel], pd.DataFrame]:
    shared = country_table.studied(record, SHARED_GROUP)
    chosen = [(nat, names) for nat, names in child_panels_of(record) if nat not in shared or
              nat in chosen_countries]
    panels, drawn = [], []
    for number, (nat, names) in enumerate(chosen):
        own = nat not in shared
        # the mexico group's panel: the Mexican children the US returns
        title = (country_table.name(record, nat) if nat in shared or nat == "ALL"
                 else "Mexican children")
        marks, parts = [], []
        for name in names:
            label, color, style, marker = CHILD_MEASURES[name]
            try:
                rows = deportation_series_rows(record, name, nat)
            except KeyError:
                continue
            rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
            line, part = line_of(rows, label, color, style, marker)
            marks.append(line)
            drawn.append(part.assign(panel=country_table.name(record, nat)))
            parts.append(_small(part, color))
        panels.append(Panel(
            title=title + (" (own scale)" if own else ""), marks=tuple(marks),
            rules=(program_rule(record, label=number == 0, side="left"),),
            small=tuple(sorted(parts, key=lambda p: -len(p.points))), years=(first, last),
            scale=Scale(bottom=0, shared=None if own else "countries", small_share=SMALL)))
    slots = COLUMNS * -(-(len(panels) + 1) // COLUMNS)  # the panels and the legend
    panels += [Panel(off=True)] * (slots - len(panels))
    panels[-1] = dataclasses.replace(panels[-1], legend=Legend(
        "center left", fontsize=6.6, entries="figure", wrap=34, labelspacing=0.9,
        borderaxespad=0))
    return panels, drawn_frame(drawn, ["panel"])


def child_years(record: ProcessedTables, first=None, last=None) -> tuple[int, int]:
    """The children chart's years: those asked for, else 2009 to the latest year any of its
    series holds (checked against the years the record covers)."""
    pairs = [(name, nat) for nat, names in child_panels_of(record) for name in names]
    return chosen_years(record, first, last, FIRST_CHILD_YEAR,
                        country_table.latest_year(record, pairs))


def child_deportations_spec(record: ProcessedTables, first: int | None = None,
                            last: int | None = None,
                            countries: tuple[str, ...] | None = None) -> ChartSpec:
    """Children returned by Mexico and by the US: for each studied Central American country
    (or those of ``countries``) on one shared scale, who returned them and by whose count;
    all nationalities and Mexican children on scales of their own. Years: 2009 to the latest
    year its series hold, unless ``first`` and ``last`` say otherwise."""
    first, last = child_years(record, first, last)
    shared = country_table.studied(record, SHARED_GROUP)
    chosen = tuple(params.choice(shared if countries is None else countries, shared,
                                 "country"))
    panels, data = _child_panels(record, first, last, chosen)
    extra = [f"Vermillion: returned by Mexico; blue: returned or removed by the US. Solid "
             f"lines are arrivals counted by the receiving country (persons), dashed the "
             f"deporting state's own count, dotted juveniles on ICE Air flights; the "
             f"lines measure different things. Values are written where a line sits "
             f"near zero. Dotted vertical line: Mexico's Southern Border Program, "
             f"{program_date(record)[1]}. Missing points are years with no published "
             f"figure, not zeros."]
    meta = chart_meta(
        "child-deportations",
        "Children sent back by Mexico and by the United States",
        f"Minors returned or removed, {first}-{last}. "
        + (f"{country_list(chosen, record)} share one scale; all nationalities and "
           "Mexican children have their own." if len(chosen) > 1 else
           "All nationalities and Mexican children have their own scales."),
        "Small multiples of children returned by Mexico and by the US, by nationality "
        f"and by whose count: {country_list(chosen, record)} on one scale, all "
        "nationalities and Mexican children returned by the US on scales of their own.",
        f"{len(set(data['panel']))} line charts. " + " ".join(
            f"{panel}: {'; '.join(sorted(set(g['label'])))}."
            for panel, g in data.groupby("panel", sort=False)),
        data, record, extra)
    rows = len(panels) // COLUMNS
    return ChartSpec(meta, 3.3 * rows + 1.9, tuple(panels), nrows=rows, ncols=COLUMNS,
                     sharex=True, layout={"hspace": 0.42})


# --------------------------------------------------------------------------------------
# 4. Unaccompanied children apprehended at the US border
# --------------------------------------------------------------------------------------


def _population_caveat(record: ProcessedTables) -> str:
    """How far the population releases in the record disagree (from conflicts.csv)."""
    pop = record["conflicts"].query("table == 'population'")
    if pop.empty:
        return ""
    worst = max(float(v) for v in pop["spread_pct"])
    return f"; its releases differ by up to {worst:.1f}%, the preferred one is used"


def uac_apprehensions_spec(record: ProcessedTables, first: int | None = None,
                           last: int | None = None,
                           countries: tuple[str, ...] | None = None) -> ChartSpec:
    """US Border Patrol apprehensions of unaccompanied children from each studied country
    (or those of ``countries``), with all nationalities for context, and the same per
    100,000 children aged 0-14 of each country. Years: FY2009 to the latest fiscal year the
    series holds, unless ``first`` and ``last`` say otherwise."""
    studied = country_table.studied(record)
    pairs = [("us_uac_apprehensions", nat) for nat in (*studied, "ALL")]
    first, last = chosen_years(record, first, last, FIRST_CHILD_YEAR,
                               country_table.latest_year(record, pairs))
    countries = tuple(params.choice(studied if countries is None else countries, studied,
                                    "country"))
    lines = [(nat, country_table.colour(record, nat), "-") for nat in studied
             if nat in countries] + [("ALL", "country:ALL", "--")]
    rate_panel = "Per 100,000 children aged 0-14 in the country"
    counts_marks, rate_marks, drawn = [], [], []
    for nat, color, style in lines:
        rows = deportation_series_rows(record, "us_uac_apprehensions", nat)
        rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
        line, part = line_of(rows, country_table.name(record, nat), color, style)
        counts_marks.append(line)
        drawn.append(part.assign(panel="US Border Patrol"))
        if nat == "ALL":
            continue
        rate = rows.assign(value=rows["per_100k_children"],
                           unit="per 100,000 children aged 0-14",
                           source_ids=rows["source_ids"].str.cat(
                               rows["population_source_ids"].fillna(""), sep=";")
                           .str.strip(";"),
                           figure_ids=rows["figure_ids"].str.cat(
                               rows["population_figure_ids"].fillna(""), sep=";")
                           .str.strip(";"))
        line, part = line_of(rate, country_table.name(record, nat), color, style)
        rate_marks.append(line)
        drawn.append(part.assign(panel=rate_panel))
    panels = (
        Panel(title="Apprehensions (events)", marks=tuple(counts_marks),
              rules=(program_rule(record, label=True),), legend=Legend("upper left")),
        Panel(title=rate_panel, marks=tuple(rate_marks), rules=(program_rule(record),),
              years=(first, last), **FISCAL_YEARS),
    )
    data = drawn_frame(drawn, ["panel"])
    counts = data[data["panel"] == "US Border Patrol"]
    missing = sorted({country_table.name(record, n) for n, _, _ in lines}
                     - set(counts.loc[counts["year"] == first, "label"]))
    rates = data[data["panel"] == rate_panel]
    top = rates.sort_values(["value", "label"]).iloc[-1] if len(rates) else None
    rate_text = ("no population figures are available" if top is None else
                 f"the highest rate is {top['label']}'s {top['value']:,.1f} per 100,000 "
                 f"in FY{int(top['year'])}")
    meta = chart_meta(
        "uac-apprehensions",
        "Unaccompanied children apprehended at the US southwest border",
        f"US Border Patrol apprehensions by country of origin, fiscal years {first}-{last}: "
        "counts, and per 100,000 children in each country.",
        "US Border Patrol apprehensions of unaccompanied children at the southwest border "
        "by country, from us_uac_apprehensions in child_deportations_by_year.csv, and "
        "per_100k_children (World Bank population aged 0-14).",
        f"Two line charts of unaccompanied children apprehended at the US southwest "
        f"border, FY{first}-FY{last}, for {country_list(countries, record)}, "
        f"with all nationalities dashed; all nationalities range "
        f"{year_range_text(counts.loc[counts['label'] == 'All nationalities', 'value'])}. "
        f"Series missing in FY{first}: {', '.join(missing) or 'none'}. The lower panel "
        f"divides by each country's children aged 0-14; {rate_text}.",
        data, record,
        ["Apprehension events; fiscal years (October-September). Missing points are "
         "years with no published figure.",
         "Rates divide fiscal-year events by the calendar-year population of the same "
         f"number (World Bank WDI{_population_caveat(record)})."],
        notes_from=counts)
    return ChartSpec(meta, 7.4, panels, nrows=2, ncols=1, sharex=True,
                     layout={"hspace": 0.3})


# --------------------------------------------------------------------------------------
# 5. Mexico against the US: which is higher, in which measure, when
# --------------------------------------------------------------------------------------

# Colour by side (Mexico vermillion, the US blue), line style and marker by the order of
# the line within its side: hues a reader can tell apart, as in the children chart.
SIDE_COLORS = {"mx": "mexico", "us": "us"}  # colour roles
ORDER_STYLES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"))


def mexico_vs_us_spec(record: ProcessedTables, first: int | None = None,
                      last: int | None = None) -> ChartSpec:
    """Mexico's against the US's apprehensions and deportations, one kind of count per
    panel, each headlined by the years each side is higher (true of every year shown).
    Years: 2008 to the latest year any line holds, unless ``first`` and ``last`` say
    otherwise."""
    pairs = [(name, nat) for _, lines in VERSUS_PANELS for name, nat, _, _ in lines]
    first, last = chosen_years(record, first, last, 2008,
                               country_table.latest_year(record, pairs))
    frame = versus_frame(record, first, last)
    cmp = comparisons(frame[frame["value"].notna()])
    panels, drawn = [], []
    for number, (title, _) in enumerate(VERSUS_PANELS):
        panel = frame[frame["panel"] == title]
        within_side: dict[str, int] = {}
        marks = []
        for _, rows in panel.groupby("order", sort=True):
            first_row = rows.iloc[0]
            nth = within_side.get(first_row["side"], 0)
            within_side[first_row["side"]] = nth + 1
            style, marker = ORDER_STYLES[nth % len(ORDER_STYLES)]
            line, part = line_of(rows.drop(columns=["label"]), first_row["label"],
                                 SIDE_COLORS[first_row["side"]], style, marker)
            marks.append(line)
            drawn.append(part)
        panels.append(Panel(
            title=title, title_pad=15, marks=tuple(marks), years=(first, last),
            scale=Scale(bottom=0, headroom=1.45),  # room for the legend
            rules=(program_rule(record, label=number == 0),),
            legend=Legend("upper left", fontsize=6.5),
            headline=comparison_text(cmp[title])))
    data = drawn_frame(drawn, ["panel", "side", "order"])
    data = data.assign(overtakes=data["panel"].map(
        {p: c["overtakes"] for p, c in cmp.items()}).astype("Int64"))
    meta = chart_meta(
        "mexico-vs-us",
        "Mexico against the United States: who stopped and sent back more",
        f"Apprehensions and deportations by Mexico and by the US, {first}-{last}; each "
        "panel compares one kind of count. Mexico's child counts cover minors of every "
        "nationality, accompanied or not; the US's only unaccompanied children.",
        "Three panels comparing Mexico and the US: children apprehended, children "
        "returned or removed, and Central Americans of all ages returned or removed; "
        "each states the years in which Mexico's figure is higher and those in which "
        "the US's is.",
        "Three line charts. " + " ".join(
            f"{p}: {comparison_text(c)}." for p, c in cmp.items()),
        data, record,
        ["Mexico's series count events of all minors (accompanied or not); the US child "
         "series count unaccompanied children only, so Mexico's lines include children "
         "the US lines leave out. The comparison above each panel sets the first-listed "
         "series of each side against each other by year label (fiscal against calendar "
         "year). Vermillion: Mexico; blue: the US."])
    return ChartSpec(meta, 8.8, tuple(panels), nrows=len(VERSUS_PANELS), ncols=1,
                     sharex=True, layout={"hspace": 0.62, "top_extra_in": 0.35})
