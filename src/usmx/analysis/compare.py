"""Mexico against the US: which series are compared, the years each side is higher, and the
year Mexico first overtakes the US.
Pure table logic, shared by the chart, the notebook views and the claims."""

from __future__ import annotations

import itertools

import pandas as pd

from usmx.analysis.processed import ProcessedTables, deportation_series_rows

# Each panel compares one kind of count; each line is (series, nationality, label, side).
# Styles are the chart's (usmx.charts.theme): colour by side, line style by order.
VERSUS_PANELS = [
    ("Children apprehended",
     [("mx_minor_apprehensions", "ALL", "Mexico: minors apprehended (all nationalities)", "mx"),
      ("us_uac_apprehensions", "NTCA", "US: unaccompanied children apprehended "
       "(Guatemala, Honduras, El Salvador)", "us")]),
    ("Children returned or removed",
     [("mx_minor_returns", "ALL", "Mexico: minors returned (all nationalities)", "mx"),
      ("mx_minor_returns", "NTCA", "Mexico: minors returned (Guatemala, Honduras, "
       "El Salvador)", "mx"),
      ("us_uac_removals", "ALL", "US: unaccompanied children removed (ICE, all "
       "nationalities)", "us"),
      ("us_uac_removals", "NTCA", "US: unaccompanied children removed (ICE, Guatemala, "
       "Honduras, El Salvador)", "us")]),
    ("All ages, Central Americans returned or removed",
     [("mx_returns", "NTCA", "Mexico: Guatemalans, Hondurans, Salvadorans returned", "mx"),
      ("mx_returns", "CA", "Mexico: Central Americans returned", "mx"),
      ("us_removals", "NTCA", "US: Guatemalans, Hondurans, Salvadorans removed (DHS)", "us"),
      ("us_ice_removals", "NTCA", "US: Guatemalans, Hondurans, Salvadorans removed (ICE)",
       "us")]),
]


def comparisons(data: pd.DataFrame) -> dict[str, dict]:
    """Per panel, the years in which both Mexico and the US have a figure (each side's
    first-listed series with a value that year, compared by year label), the years Mexico's
    is higher, and the first year Mexico's is higher after a year in which it was not."""
    out = {}
    for panel, group in data.groupby("panel", sort=False):
        first: dict[int, dict[str, tuple]] = {}  # year -> side -> (order, value), lowest order
        for year, side, order, value in zip(group["year"], group["side"], group["order"],
                                            group["value"], strict=True):
            sides = first.setdefault(int(year), {})
            if side not in sides or order < sides[side][0]:
                sides[side] = (order, value)
        years, higher = [], []
        for year in sorted(first):
            if "mx" in first[year] and "us" in first[year]:
                years.append(year)
                if first[year]["mx"][1] > first[year]["us"][1]:
                    higher.append(year)
        overtakes = next((y for prev, y in itertools.pairwise(years)
                          if prev not in higher and y in higher), None)
        out[panel] = {"years": years, "mexico_higher": higher, "overtakes": overtakes}
    return out


def comparison_text(comparison: dict) -> str:
    """The panel's headline, true of every year compared: which side is higher, when."""
    years = comparison["years"]
    if not years:
        return "No year with figures for both"
    compared = _years_text(years)
    higher = comparison["mexico_higher"]
    if higher == years:
        return f"Mexico higher in every year compared ({compared})"
    if not higher:
        return f"The US higher in every year compared ({compared})"
    lower = [y for y in years if y not in higher]  # the two lists name every year compared
    return f"Mexico higher in {_years_text(higher)}, the US in {_years_text(lower)}"


def _years_text(years: list[int]) -> str:
    """2010, 2015, 2016, 2017 -> '2010, 2015-2017'."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def versus_frame(record: ProcessedTables, first: int = 2008, last: int = 2017) -> pd.DataFrame:
    """The series compared in mexico_vs_us, one row per panel, line and year (gaps kept)."""
    frames = []
    for title, lines in VERSUS_PANELS:
        for order, (name, nat, label, side) in enumerate(lines):
            rows = deportation_series_rows(record, name, nat)
            rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
            frames.append(rows.assign(panel=title, side=side, order=order, label=label))
    return pd.concat(frames, ignore_index=True)


