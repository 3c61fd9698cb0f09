"""Tables for reading in a notebook: one call each, built from the processed tables."""

from __future__ import annotations

import pandas as pd

from usmx.charts.figures import comparisons, versus_frame
from usmx.tables import series as series_rows

Tables = dict[str, pd.DataFrame]


def merida_by_fy(t: Tables, first: int = 2008, last: int = 2017) -> pd.DataFrame:
    """Preferred Mérida appropriations for Mexico (US$ million), fiscal year × account;
    empty cells are gaps (no published figure), never zeros."""
    m = t["merida_mexico_by_fy"]
    m = m[(m["fiscal_year"] >= first) & (m["fiscal_year"] <= last)]
    out = m.pivot(index="fiscal_year", columns="account", values="amount_usd") / 1e6
    return out[["INCLE", "ESF", "FMF", "TOTAL"]].round(3)


def cumulative_checks(t: Tables) -> pd.DataFrame:
    """Each published cumulative Mérida total against the sum of its annual figures."""
    return t["funding_checks"].set_index("figure_id")


def conflicts(t: Tables, table: str | None = None) -> pd.DataFrame:
    """Where the record disagrees (optionally for one table: 'funding' or 'deportations')."""
    c = t["conflicts"]
    return c if table is None else c[c["table"] == table].reset_index(drop=True)


def series(t: Tables, name: str, nationalities=("GTM", "HND", "SLV"), first: int = 2008,
           last: int = 2018) -> pd.DataFrame:
    """One preferred series as year × nationality (empty cells are gaps)."""
    frames = []
    for nat in nationalities:
        try:
            frames.append(series_rows(t, name, nat))
        except KeyError:
            continue
    rows = pd.concat(frames)
    rows = rows[(rows["year"] >= first) & (rows["year"] <= last)]
    return rows.pivot(index="year", columns="nationality", values="value")


def child_overview(t: Tables, nationalities=("GTM", "HND", "SLV"), first: int = 2009,
                   last: int = 2017) -> pd.DataFrame:
    """Every child series for the chosen nationalities: year × (series, nationality)."""
    c = t["child_deportations_by_year"]
    c = c[c["nationality"].isin(nationalities) & (c["year"] >= first) & (c["year"] <= last)]
    return c.pivot_table(index="year", columns=["series", "nationality"], values="value",
                         aggfunc="first").dropna(axis=1, how="all")


def deportation_checks(t: Tables) -> pd.DataFrame:
    """Published totals against the sum of their parts."""
    return t["deportation_checks"].set_index("check_id")


def mexico_us_comparisons(t: Tables, first: int = 2008, last: int = 2017) -> pd.DataFrame:
    """For each kind of count, the years both Mexico and the US publish a figure, the years
    Mexico's is higher, and the year Mexico overtakes the US (if it does)."""
    frame = versus_frame(t, first, last)
    cmp = comparisons(frame[frame["value"].notna()])
    out = pd.DataFrame.from_dict(cmp, orient="index")
    out["overtakes"] = out["overtakes"].astype("Int64")
    return out
