"""Tables for reading in a notebook: one call each, built from the processed tables."""

from __future__ import annotations

import pandas as pd

from usmx import params
from usmx.compare import comparisons, versus_frame
from usmx.tables import series as series_rows

Tables = dict[str, pd.DataFrame]


def covered_years(t: Tables) -> list[int]:
    """Every year a preferred table holds (funding fiscal years, deportation years)."""
    years = set(t["funding_series_by_fy"]["fiscal_year"].dropna().astype(int))
    for name in ("child_deportations_by_year", "deportations_all_ages_by_year"):
        years |= set(t[name]["year"].dropna().astype(int))
    return sorted(years)


def merida_by_fy(t: Tables, first: int = 2008, last: int = 2017,
                 dollars: str = "nominal") -> pd.DataFrame:
    """Preferred Mérida appropriations for Mexico (US$ million), fiscal year × account, in
    nominal or constant dollars (see the table's price_base); empty cells are gaps (no
    published figure), never zeros."""
    first, last = params.years(first, last, covered_years(t))
    m = t["merida_mexico_by_fy"]
    m = m[(m["fiscal_year"] >= first) & (m["fiscal_year"] <= last)]
    column = "amount_usd" if dollars == "nominal" else "amount_usd_constant"
    out = m.pivot(index="fiscal_year", columns="account", values=column) / 1e6
    return out[["INCLE", "ESF", "FMF", "TOTAL"]].round(3)


def funding_by_account(t: Tables, first: int = 2008, last: int = 2017,
                       dollars: str = "nominal") -> pd.DataFrame:
    """What the funding charts draw (US$ million): per fiscal year and Mérida account, the
    best available figure, with the series, scope and stage it comes from."""
    first, last = params.years(first, last, covered_years(t))
    b = t["mexico_funding_by_fy"]
    b = b[(b["fiscal_year"] >= first) & (b["fiscal_year"] <= last)]
    column = "amount_usd" if dollars == "nominal" else "amount_usd_constant"
    out = b.assign(us_million=(b[column] / 1e6).round(3))
    return out.set_index(["fiscal_year", "account"])[
        ["us_million", "series", "scope", "stage", "vehicle", "source_kind", "rule",
         "source_ids"]]


def funding_series(t: Tables, series: str, first: int = 2008, last: int = 2017,
                   recipient: str = "MEX") -> pd.DataFrame:
    """One declared funding series (US$ million) as fiscal year x account (or stage, for a
    series measured at several stages); empty cells are gaps, never zeros."""
    first, last = params.years(first, last, covered_years(t))
    s = t["funding_series_by_fy"]
    s = s[(s["series"] == series) & (s["recipient"] == recipient)
          & (s["fiscal_year"] >= first) & (s["fiscal_year"] <= last)]
    if s.empty:
        known = sorted(set(t["funding_series_by_fy"]["series"]))
        raise KeyError(f"no rows for series {series!r} and recipient {recipient!r} in "
                       f"{first}-{last}; series: {known}")
    across = "stage" if s["stage"].nunique() > 1 else "account"
    out = s.pivot(index="fiscal_year", columns=across, values="amount_usd") / 1e6
    order = list(dict.fromkeys(s[across]))
    return out[order].round(3)


def all_assistance_by_stage(t: Tables, first: int = 2008, last: int = 2017,
                            recipients=("MEX", "GTM", "HND", "SLV")) -> pd.DataFrame:
    """All US foreign assistance (ForeignAssistance.gov, US$ million) by recipient, fiscal
    year and stage: request, initial allocation, appropriated and planned, obligated,
    disbursed."""
    first, last = params.years(first, last, covered_years(t))
    s = t["funding_series_by_fy"]
    s = s[(s["series"] == "foreign_assistance_totals") & s["recipient"].isin(recipients)
          & (s["fiscal_year"] >= first) & (s["fiscal_year"] <= last)]
    out = s.pivot_table(index=["recipient", "fiscal_year"], columns="stage",
                        values="amount_usd", aggfunc="first") / 1e6
    stages = ["requested", "initial_allocation", "planned", "obligated", "disbursed"]
    return out[[c for c in stages if c in out.columns]].round(3)


def cumulative_checks(t: Tables, basis: str | None = None) -> pd.DataFrame:
    """Each published cumulative Mérida total against the sum of its annual figures, on
    each basis ('merida_totals', 'best_available') or one."""
    c = t["funding_checks"]
    if basis is not None:
        c = c[c["basis"] == basis]
    return c.set_index(["figure_id", "basis"])


def conflicts(t: Tables, table: str | None = None) -> pd.DataFrame:
    """Where the record disagrees (optionally for one table: 'funding' or 'deportations')."""
    c = t["conflicts"]
    return c if table is None else c[c["table"] == table].reset_index(drop=True)


def series(t: Tables, name: str, nationalities=("GTM", "HND", "SLV"), first: int = 2008,
           last: int = 2018) -> pd.DataFrame:
    """One preferred series as year × nationality (empty cells are gaps)."""
    first, last = params.years(first, last, covered_years(t))
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
    first, last = params.years(first, last, covered_years(t))
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
    first, last = params.years(first, last, covered_years(t))
    frame = versus_frame(t, first, last)
    cmp = comparisons(frame[frame["value"].notna()])
    out = pd.DataFrame.from_dict(cmp, orient="index")
    out["overtakes"] = out["overtakes"].astype("Int64")
    return out


def claims_table(t: Tables, which: str | list[str] = "all") -> pd.DataFrame:
    """The article's claims with their verdicts (from data/processed/claims.csv)."""
    from usmx.claims import VERDICT_LABELS

    c = t["claims"]
    if not (isinstance(which, str) and which == "all"):
        c = c[c["claim_id"].isin(params.choice(which, c["claim_id"], "claim id"))]
    out = c.set_index("claim_id")[["figure_printed", "verdict", "record_figure", "measure"]]
    return out.assign(verdict=out["verdict"].map(VERDICT_LABELS))


def claim(t: Tables, claim_id: str) -> pd.DataFrame:
    """One claim: the statement, the verdict, the record's figure and the reasoning."""
    from usmx.claims import VERDICT_LABELS

    params.choice(claim_id, t["claims"]["claim_id"], "claim id")
    r = t["claims"].set_index("claim_id").loc[claim_id]
    rows = {"statement (paraphrased)": r["statement"], "figure printed": r["figure_printed"],
            "verdict": VERDICT_LABELS[r["verdict"]], "record's figure": r["record_figure"],
            "measure": r["measure"], "how combined": r["combination"], "reason": r["reason"]}
    return pd.DataFrame({"": pd.Series(rows)})


def claim_figures(t: Tables, claim_id: str) -> pd.DataFrame:
    """The published figures (or dated events) a claim's verdict rests on, with sources."""
    params.choice(claim_id, t["claims"]["claim_id"], "claim id")
    ids = t["claims"].set_index("claim_id").loc[claim_id, "figure_ids"]
    ids = [] if pd.isna(ids) else ids.split(";")
    parts = []
    f = t["funding"]
    parts.append(f[f["figure_id"].isin(ids)].assign(
        what=lambda x: x["program"] + " " + x["account"] + " " + x["stage"],
        period=lambda x: "FY" + x["fy_start"].astype(str) + "-FY" + x["fy_end"].astype(str),
        value=lambda x: x["amount_usd"]))
    d = t["deportations"]
    parts.append(d[d["figure_id"].isin(ids)].assign(
        what=lambda x: x["measure"] + " by " + x["deporting_state"] + ", " + x["nationality"]
        + ", " + x["age_group"] + ", " + x["unit"],
        period=lambda x: x["period_start"] + ".." + x["period_end"]))
    e = t["events"]
    parts.append(e[e["event_id"].isin(ids)].rename(columns={"event_id": "figure_id"}).assign(
        period=lambda x: x["date"], value=pd.NA))
    cols = ["figure_id", "what", "period", "value", "qualifier", "attribution_short", "locator",
            "confidence"]
    frames = [p.reindex(columns=cols) for p in parts if not p.empty]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True).set_index("figure_id")


def per_100k_children(t: Tables, name: str = "us_uac_apprehensions",
                      nationalities=("GTM", "HND", "SLV")) -> pd.DataFrame:
    """A children's series per 100,000 children aged 0-14 of each country (empty until a
    population snapshot covers the year: `python -m usmx refresh wb_population_0_14`)."""
    c = t["child_deportations_by_year"]
    c = c[(c["series"] == name) & c["nationality"].isin(nationalities)]
    return c.pivot(index="year", columns="nationality", values="per_100k_children")
