"""Mexico's returns of children by nationality, month by month (UPM table 3.2.4): one
measure, one panel (see ``usmx.charts``)."""

from __future__ import annotations

import numpy as np

from usmx.analysis import countries as country_table
from usmx.analysis import params
from usmx.analysis.processed import ProcessedTables
from usmx.analysis.views import child_returns_months, chosen_years
from usmx.charts.parts import chart_meta, country_list, drawn_frame, event_rule
from usmx.charts.spec import ChartSpec, Legend, Line, Panel, Scale

# Dated events marked on the chart when they fall in its years: (event id, label, side).
EVENTS = (("us_mexico_joint_declaration_2019", "US-Mexico agreement", "right"),
          ("bicentennial_framework_2021", "Bicentennial Framework", "right"))


def _x(month: str) -> float:
    """A month's middle on the year axis (x = N is 1 January of year N)."""
    return int(month[:4]) + (int(month[5:7]) - 0.5) / 12


def mexico_child_returns_spec(record: ProcessedTables, first: int | None = None,
                              last: int | None = None,
                              countries: tuple[str, ...] | None = None) -> ChartSpec:
    """Children returned by Mexico, by nationality (each studied Central American country,
    or those of ``countries``), month by month, as Mexico's migration statistics unit counts
    them (events). Years: every year the monthly table holds, unless asked."""
    monthly = child_returns_months(record)
    held = sorted({int(m[:4]) for m in monthly["month"]})
    if not held:
        raise params.ParameterError("the record holds no monthly count of children returned "
                                    "by Mexico")
    # the months of a year not yet complete are drawn as months (never summed as a year);
    # other years the record covers may be asked for (they draw what months they hold)
    first, last = chosen_years(record, first, last, held[0], held[-1], also=held)
    shared = country_table.studied(record, "central_america")
    countries = tuple(params.choice(shared if countries is None else countries, shared,
                                    "country"))
    months = [f"{y}-{m:02d}" for y in range(first, last + 1) for m in range(1, 13)]
    marks, drawn = [], []
    for nat in countries:
        rows = monthly[monthly["nationality"] == nat].set_index("month").reindex(months)
        values = rows["value"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        name = country_table.name(record, nat)
        marks.append(Line(label=name, xs=tuple(_x(m) for m in months),
                          ys=tuple(float(v) for v in values),
                          color=country_table.colour(record, nat), marker=None, width=1.4))
        part = rows.reset_index().dropna(subset=["value"]).assign(
            label=name, nationality=nat, series="mx_minor_returns_monthly",
            year=lambda x: x["month"].str[:4].astype(int), x=lambda x: x["month"].map(_x))
        drawn.append(part)
    data = drawn_frame(drawn, [])
    covered = f"{data['month'].min()} to {data['month'].max()}" if len(data) else "no month"
    peak = data.sort_values(["value", "month"]).iloc[-1] if len(data) else None
    peak_text = ("" if peak is None else f" The highest month is {peak['label']}'s "
                 f"{int(peak['value']):,} in {peak['month']}.")
    rules = tuple(rule for rule in (event_rule(record, *event) for event in EVENTS)
                  if first <= int(rule.x) <= last)  # x runs from the event's year on
    panel = Panel(marks=tuple(marks), rules=rules, years=(first, last),
                  scale=Scale(bottom=0, headroom=1.3),
                  ylabel="Children returned in the month (events)",
                  legend=Legend("upper left"))
    meta = chart_meta(
        "mexico-child-returns",
        "Children returned by Mexico, month by month",
        f"Assisted returns of children by Mexico's migration authority, by nationality, "
        f"{covered}; events: a child returned twice counts twice.",
        "Mexico's count of the children it returned (assisted returns of children, "
        "Unidad de Política Migratoria table 3.2.4, as republished by the IOM Global Data "
        "Institute), month by month, from deportations_monthly.csv.",
        f"Line chart of the children Mexico returned each month to "
        f"{country_list(countries, record)}, {covered}.{peak_text}",
        data, record,
        ["Mexico counts events (a child returned twice counts twice), all minors, "
         "accompanied or not; calendar months. Missing points are months with no "
         "published figure.",
         "Dotted lines: the US-Mexico migration agreement of June 2019 (Mexico's National "
         "Guard sent to its southern border), and the Bicentennial Framework that replaced "
         "the Mérida Initiative in October 2021."])
    return ChartSpec(meta, 4.6, (panel,))
