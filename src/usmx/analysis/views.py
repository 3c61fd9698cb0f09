"""Tables for reading in a notebook: one call each, built from the processed tables, shown
through the display layer (``usmx.analysis.display``); ``raw=True`` returns the frame."""

from __future__ import annotations

import pandas as pd

from usmx.analysis import countries as country_table
from usmx.analysis import params
from usmx.analysis.compare import comparisons, versus_frame
from usmx.analysis.display import for_reading
from usmx.analysis.processed import ProcessedTables
from usmx.schema import VERDICT_LABELS


def covered_years(record: ProcessedTables) -> list[int]:
    """Every year a preferred table holds (funding fiscal years, deportation years)."""
    years = set(record["funding_series_by_fy"]["fiscal_year"].dropna().astype(int))
    for name in ("child_deportations_by_year", "deportations_all_ages_by_year"):
        years |= set(record[name]["year"].dropna().astype(int))
    return sorted(years)


def chosen_years(record: ProcessedTables, first, last, default_first, default_last,
                 also=()) -> tuple[int, int]:
    """The years a chart shows: its defaults (the years its own tables hold) when none are
    chosen, read from nothing else; a chosen first or last year is checked against the
    years the record covers (and ``also``), which reads the tables that bound them."""
    if first is None and last is None:
        return params.years(default_first, default_last)
    return params.years(default_first if first is None else first,
                        default_last if last is None else last,
                        sorted({*also, *covered_years(record)}))


def span(record: ProcessedTables, first, last, held) -> tuple[int, int]:
    """The years of a view: those asked for (checked against the record's years), else the
    first and last of ``held``, the years its own table holds."""
    held = [int(y) for y in held if not pd.isna(y)]
    first = (min(held) if held else covered_years(record)[0]) if first is None else first
    last = (max(held) if held else covered_years(record)[-1]) if last is None else last
    return params.years(first, last, covered_years(record))


@for_reading
def merida_by_fy(record: ProcessedTables, first: int | None = None, last: int | None = None,
                 dollars: str = "nominal") -> pd.DataFrame:
    """Preferred Mérida appropriations for Mexico (US$ million), fiscal year × account, in
    nominal or constant dollars (see the table's price_base); empty cells are gaps (no
    published figure), never zeros. Years: every year the table holds unless asked."""
    merida = record["merida_mexico_by_fy"]
    first, last = span(record, first, last, merida["fiscal_year"])
    merida = merida[(merida["fiscal_year"] >= first) & (merida["fiscal_year"] <= last)]
    column = "amount_usd" if dollars == "nominal" else "amount_usd_constant"
    out = merida.pivot(index="fiscal_year", columns="account", values=column) / 1e6
    return out[["INCLE", "ESF", "FMF", "TOTAL"]].round(3)


@for_reading
def funding_by_account(record: ProcessedTables, first: int | None = None,
                       last: int | None = None, dollars: str = "nominal") -> pd.DataFrame:
    """What the funding charts draw (US$ million): per fiscal year and Mérida account, the
    best available figure, with the series, scope and stage it comes from."""
    best = record["mexico_funding_by_fy"]
    first, last = span(record, first, last, best["fiscal_year"])
    best = best[(best["fiscal_year"] >= first) & (best["fiscal_year"] <= last)]
    column = "amount_usd" if dollars == "nominal" else "amount_usd_constant"
    out = best.assign(us_million=(best[column] / 1e6).round(3))
    return out.set_index(["fiscal_year", "account"])[
        ["us_million", "series", "scope", "stage", "vehicle", "source_kind", "rule",
         "source_ids"]]


@for_reading
def funding_series(record: ProcessedTables, series: str, first: int | None = None,
                   last: int | None = None, recipient: str = "MEX") -> pd.DataFrame:
    """One declared funding series (US$ million) as fiscal year x account (or stage, for a
    series measured at several stages); empty cells are gaps, never zeros."""
    rows = record["funding_series_by_fy"]
    first, last = span(record, first, last, rows.loc[rows["series"] == series, "fiscal_year"])
    rows = rows[(rows["series"] == series) & (rows["recipient"] == recipient)
          & (rows["fiscal_year"] >= first) & (rows["fiscal_year"] <= last)]
    if rows.empty:
        known = sorted(set(record["funding_series_by_fy"]["series"]))
        raise KeyError(f"no rows for series {series!r} and recipient {recipient!r} in "
                       f"{first}-{last}; series: {known}")
    across = "stage" if rows["stage"].nunique() > 1 else "account"
    out = rows.pivot(index="fiscal_year", columns=across, values="amount_usd") / 1e6
    order = list(dict.fromkeys(rows[across]))
    return out[order].round(3)


@for_reading
def all_assistance_by_stage(record: ProcessedTables, first: int | None = None,
                            last: int | None = None, recipients=None) -> pd.DataFrame:
    """All US foreign assistance (ForeignAssistance.gov, US$ million) by recipient (default:
    the countries studied), fiscal year and stage: request, initial allocation,
    appropriated and planned, obligated, disbursed."""
    recipients = country_table.studied(record) if recipients is None else recipients
    rows = record["funding_series_by_fy"]
    first, last = span(record, first, last, rows.loc[rows["series"] == "foreign_assistance_totals"
                                                     , "fiscal_year"])
    rows = rows[(rows["series"] == "foreign_assistance_totals") & rows["recipient"].isin(recipients)
          & (rows["fiscal_year"] >= first) & (rows["fiscal_year"] <= last)]
    out = rows.pivot_table(index=["recipient", "fiscal_year"], columns="stage",
                        values="amount_usd", aggfunc="first") / 1e6
    stages = ["requested", "initial_allocation", "planned", "obligated", "disbursed"]
    return out[[c for c in stages if c in out.columns]].round(3)


@for_reading
def cumulative_checks(record: ProcessedTables, basis: str | None = None) -> pd.DataFrame:
    """Each published cumulative Mérida total against the sum of its annual figures, on
    each basis ('merida_totals', 'best_available') or one."""
    checks = record["funding_checks"]
    if basis is not None:
        checks = checks[checks["basis"] == basis]
    return checks.set_index(["figure_id", "basis"])


@for_reading
def conflicts(record: ProcessedTables, table: str | None = None) -> pd.DataFrame:
    """Where the record disagrees (optionally for one table: 'funding' or 'deportations')."""
    found = record["conflicts"]
    return found if table is None else found[found["table"] == table].reset_index(drop=True)


@for_reading
def child_overview(record: ProcessedTables, nationalities=None, first: int | None = None,
                   last: int | None = None) -> pd.DataFrame:
    """Every child series for the chosen nationalities (default: the Central American
    countries studied): year × (series, nationality); every year with a figure unless
    ``first`` and ``last`` say otherwise."""
    nationalities = (country_table.studied(record, "central_america") if nationalities is None
                     else nationalities)
    children = record["child_deportations_by_year"]
    first, last = span(record, first, last, children.loc[
        children["nationality"].isin(nationalities) & children["value"].notna(), "year"])
    children = children[children["nationality"].isin(nationalities)
                        & (children["year"] >= first) & (children["year"] <= last)]
    return children.pivot_table(index="year", columns=["title", "nationality"], values="value",
                         aggfunc="first").dropna(axis=1, how="all")


@for_reading
def deportation_checks(record: ProcessedTables) -> pd.DataFrame:
    """Published totals against the sum of their parts."""
    return record["deportation_checks"].set_index("check_id")


@for_reading
def mexico_us_comparisons(record: ProcessedTables, first: int | None = None,
                          last: int | None = None) -> pd.DataFrame:
    """For each kind of count, the years both Mexico and the US publish a figure, the years
    Mexico's is higher, and the year Mexico overtakes the US (if it does)."""
    first, last = span(record, 2008 if first is None else first, last,
                       versus_frame(record, 2000, 2100).dropna(subset=["value"])["year"])
    frame = versus_frame(record, first, last)
    cmp = comparisons(frame[frame["value"].notna()])
    out = pd.DataFrame.from_dict(cmp, orient="index")
    out["overtakes"] = out["overtakes"].astype("Int64")
    return out


@for_reading
def claims_table(record: ProcessedTables, which: str | list[str] = "all") -> pd.DataFrame:
    """The article's claims with their verdicts (from record/processed/claims.csv)."""

    claims = record["claims"]
    if not (isinstance(which, str) and which == "all"):
        chosen = params.choice(which, claims["claim_id"], "claim id")
        claims = claims[claims["claim_id"].isin(chosen)]
    out = claims.set_index("claim_id")[["figure_printed", "verdict", "record_figure", "measure"]]
    return out.assign(verdict=out["verdict"].map(VERDICT_LABELS))


@for_reading
def claim(record: ProcessedTables, claim_id: str) -> pd.DataFrame:
    """One claim: the statement, the verdict, the record's figure and the reasoning."""

    params.choice(claim_id, record["claims"]["claim_id"], "claim id")
    row = record["claims"].set_index("claim_id").loc[claim_id]
    rows = {"statement (paraphrased)": row["statement"], "figure printed": row["figure_printed"],
            "verdict": VERDICT_LABELS[row["verdict"]], "record's figure": row["record_figure"],
            "measure": row["measure"], "how combined": row["combination"], "reason": row["reason"],
            "what changed": row["change"]}
    return pd.DataFrame({"": pd.Series(rows)})


@for_reading
def claim_figures(record: ProcessedTables, claim_id: str) -> pd.DataFrame:
    """The published figures (or dated events) a claim's verdict rests on, with sources."""
    params.choice(claim_id, record["claims"]["claim_id"], "claim id")
    ids = record["claims"].set_index("claim_id").loc[claim_id, "figure_ids"]
    ids = [] if pd.isna(ids) else ids.split(";")
    parts = []
    funding = record["funding"]
    parts.append(funding[funding["figure_id"].isin(ids)].assign(
        what=lambda x: x["program"] + " " + x["account"] + " " + x["stage"],
        period=lambda x: "FY" + x["fy_start"].astype(str) + "-FY" + x["fy_end"].astype(str),
        value=lambda x: x["amount_usd"]))
    deportations = record["deportations"]
    parts.append(deportations[deportations["figure_id"].isin(ids)].assign(
        what=lambda x: x["measure"] + " by " + x["deporting_state"] + ", " + x["nationality"]
        + ", " + x["age_group"] + ", " + x["unit"],
        period=lambda x: x["period_start"] + ".." + x["period_end"]))
    sums = record["deportations_monthly_sums"]
    summed = sums[sums["sum_id"].isin(ids)].rename(columns={"sum_id": "figure_id"})
    registry = record["sources_processed"].set_index("source_id")["attribution_short"]
    parts.append(summed.assign(
        what=lambda x: x["measure"] + " by " + x["deporting_state"] + ", " + x["nationality"]
        + ", " + x["age_group"] + ", " + x["unit"] + " (sum of " + x["months"].astype(str)
        + " months)",
        period=lambda x: x["first_month"] + ".." + x["last_month"], qualifier="exact",
        attribution_short=lambda x: x["source_id"].map(registry),
        locator=lambda x: x["n_figures"].astype(str) + " monthly figures"))
    events = record["events"]
    dated = events[events["event_id"].isin(ids)].rename(columns={"event_id": "figure_id"})
    parts.append(dated.assign(
        period=lambda x: x["date"], value=pd.NA))
    cols = ["figure_id", "what", "period", "value", "qualifier", "attribution_short", "locator",
            "confidence"]
    frames = [p.reindex(columns=cols) for p in parts if not p.empty]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True).set_index("figure_id")


@for_reading
def per_100k_children(record: ProcessedTables, name: str = "us_uac_apprehensions",
                      nationalities=None) -> pd.DataFrame:
    """A children's series per 100,000 children aged 0-14 of each country (empty until a
    population snapshot covers the year: `python -m usmx refresh wb_population_0_14`)."""
    nationalities = (country_table.studied(record, "central_america") if nationalities is None
                     else nationalities)
    children = record["child_deportations_by_year"]
    children = children[(children["series"] == name) & children["nationality"].isin(nationalities)]
    return children.pivot(index="year", columns="nationality", values="per_100k_children")


def _children_returned(record: ProcessedTables, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of Mexico's own count of the minors it returned (assisted returns of children),
    for the Central American countries studied."""
    return frame[(frame["measure"] == "devoluciones") & (frame["deporting_state"] == "MEX")
                 & (frame["age_group"] == "minor") & (frame["accompaniment"] == "all")
                 & (frame["reporter"] == "INM_UPM")
                 & frame["nationality"].isin(country_table.studied(record, "central_america"))]


@for_reading
def mexico_child_returns_by_month(record: ProcessedTables) -> pd.DataFrame:
    """Children returned by Mexico each month (rows), by nationality (columns), events."""
    months = child_returns_months(record)
    return months.pivot(index="month", columns="nationality", values="value")[
        [c for c in country_table.studied(record, "central_america")
         if c in set(months["nationality"])]]


def child_returns_months(record: ProcessedTables) -> pd.DataFrame:
    """Children returned by Mexico each month, by nationality (events), as its migration
    statistics unit counts them, one row per month and nationality (the month's figure of
    one source: where two sources give a month, the one holding the most months)."""
    rows = _children_returned(record, record["deportations_monthly"])
    months = rows.groupby("source_id")["month"].nunique().sort_values(ascending=False)
    rows = rows[rows["source_id"] == months.index[0]] if len(months) else rows
    out = rows.groupby(["month", "nationality"], as_index=False).agg(
        value=("value", "sum"), source_ids=("source_id", "first"),
        figure_ids=("figure_id", lambda ids: ";".join(sorted(ids))))
    return out.assign(year_basis="calendar", measure="devoluciones", age_group="minor",
                      accompaniment="all", unit="events", status="published")


@for_reading
def mexico_child_returns_by_year(record: ProcessedTables) -> pd.DataFrame:
    """Children returned by Mexico in each calendar year, by nationality (events): the sum
    of the year's months, with how many months the source holds; a partial year is
    labelled, never a whole year."""
    sums = _children_returned(record, record["deportations_monthly_sums"])
    sums = sums[sums["rollup"] == "children_returned"]
    out = sums.pivot_table(index="year", columns="nationality", values="value",
                           aggfunc="first")
    out = out[[c for c in country_table.studied(record, "central_america") if c in out]]
    months = sums.groupby("year")["months"].min()
    out["months"] = months
    out["status"] = months.map(lambda m: "complete" if m == 12 else f"partial ({m} months)")
    return out
