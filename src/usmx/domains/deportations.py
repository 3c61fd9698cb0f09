"""Deportations loader: raw published figures → validated tidy tables.

Tables produced (see ``usmx.schema`` for every column):

- ``deportations``: every published figure, normalised, with its source attribution joined
  and its period resolved into a number of months and (for whole years) a year;
- ``child_deportations_by_year`` and ``deportations_all_ages_by_year``: one preferred figure
  per series, year and nationality, by the rule in :data:`PREFERENCE_RULE`;
- ``deportation_checks``: published totals against the sum of their parts;
- conflicts: keys with differing figures, and totals that disagree with their parts.

Fiscal-year and calendar-year figures, and events and persons, are never added together:
every series fixes its year basis and unit.
"""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.domains import countries as country_table
from usmx.domains import monthly
from usmx.domains.deportation_checks import (
    deportation_conflicts,
    parts_checks,
    sender_receiver_conflicts,
)
from usmx.domains.deportation_series import (
    ALL_AGES_SERIES,
    CHILD_SERIES,
    NTCA_PARTS,
    DeportationSeries,
)
from usmx.engine import preference, provenance, snapshots
from usmx.engine.pipeline import CONFLICT_RECORDS, Context, Step
from usmx.rawio import LINE, DataError, Problem


def _months(start: str, end: str) -> int:
    y0, m0 = map(int, start.split("-"))
    y1, m1 = map(int, end.split("-"))
    return (y1 * 12 + m1) - (y0 * 12 + m0) + 1


def _year(start: str, months: int, basis: str) -> int | None:
    if months != 12:
        return None
    y0, m0 = map(int, start.split("-"))
    if basis == "calendar" and m0 == 1:
        return y0
    if basis == "us_fiscal" and m0 == 10:
        return y0 + 1
    return None


def load_deportations_raw(path, label: str, source_ids, frame=None) -> pd.DataFrame:
    """Read and validate raw deportation figures against the sources registry (``frame``:
    the file already read and validated against the schema)."""
    if frame is None:
        frame = provenance.load_raw(path, schema.DEPORTATIONS_RAW, label, source_ids)
    problems = []
    columns = (frame[LINE], frame["period_start"], frame["period_end"])
    for line, start, end in zip(*columns, strict=True):  # plain values: 10x iterrows' speed
        if end < start:
            problems.append(Problem(label, int(line), "period_end", end,
                                    f"is before period_start {start}"))
        for col, month in (("period_start", start), ("period_end", end)):
            if not schema.FY_MIN <= int(month[:4]) <= schema.FY_MAX:
                problems.append(Problem(label, int(line), col, month,
                                        f"is out of range ({schema.FY_MIN} to "
                                        f"{schema.FY_MAX})"))
    if problems:
        raise DataError(problems)
    schema.check_unique(frame, schema.DEPORTATIONS_NATURAL_KEY, label)
    return frame


POPULATION_RULE = (
    "Rates use one population figure per country and calendar year: low-confidence figures "
    "never serve; of the rest, the highest confidence wins; two different figures left tied "
    "at the top are an error. NTCA's population is the sum of GTM, HND and SLV, only where "
    "all three are present. Fiscal-year series are divided by the population of the calendar "
    "year with the same number (the one in which three quarters of the fiscal year fall).")


def preferred_population(population: pd.DataFrame,
                         ) -> dict[tuple[str, int], tuple[int, str, str]]:
    """(country, year) -> (value, figure_id, source_id) by POPULATION_RULE."""
    best: dict[tuple[str, int], list] = {}
    for figure in population.itertuples():
        if figure.confidence not in preference.FILLING_CONFIDENCE:
            continue
        key = (figure.country, int(figure.year))
        cand = (preference.CONFIDENCE_ORDER[figure.confidence], int(figure.value), figure.figure_id,
                figure.source_id)
        best.setdefault(key, []).append(cand)
    out = {}
    for key, cands in sorted(best.items()):
        cands.sort()
        top = [c for c in cands if c[0] == cands[0][0]]
        if len({c[1] for c in top}) > 1:
            raise DataError([Problem(
                "population snapshot", None, "value", ";".join(c[2] for c in top),
                f"{key[0]} {key[1]}: different figures of equal confidence; mark the one "
                "to use (confidence) or remove the other")])
        out[key] = (top[0][1], top[0][2], top[0][3])
    return out


def with_rates(series: pd.DataFrame, population: pd.DataFrame) -> pd.DataFrame:
    """Add per_100k_children: the value per 100,000 children aged 0-14 of the nationality's
    country (see POPULATION_RULE), with the figures divided by and their sources. Empty
    where the population snapshot lacks a country or year."""
    pop = preferred_population(population)
    for when in sorted({year for (_, year) in pop}):
        parts = [pop.get((c, when)) for c in NTCA_PARTS]
        if all(parts):
            pop[("NTCA", when)] = (sum(p[0] for p in parts), ";".join(p[1] for p in parts),
                                ";".join(dict.fromkeys(p[2] for p in parts)))
    rates, ids, sources = [], [], []
    for row in series.itertuples():
        denom = pop.get((row.nationality, int(row.year)))
        ok = denom and pd.notna(row.value) and row.age_group.startswith("minor")
        rates.append(round(float(row.value) / denom[0] * 100_000, 1) if ok else None)
        ids.append(denom[1] if ok else None)
        sources.append(denom[2] if ok else None)
    out = series.copy()
    out["per_100k_children"] = pd.array(rates, dtype="Float64")
    out["population_figure_ids"] = pd.array(ids, dtype="string")
    out["population_source_ids"] = pd.array(sources, dtype="string")
    return out


def population_conflicts(population: pd.DataFrame) -> list[dict]:
    """Country-years where the population snapshot holds differing figures."""
    return provenance.same_key_conflicts(
        population.assign(qualifier="exact", value=population["value"].astype("int64")),
        ("country", "year"), "value", "population",
        lambda k: f"population aged 0-14, {k['country']}, {k['year']} (calendar year)")


def tidy_deportations(raw: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Typed, sorted deportation figures with months, year and source attribution."""
    out = provenance.blank_to_na(provenance.drop_line(raw), ("detail", "note"))
    out["value"] = out["value"].astype("int64").astype("Int64")
    months = [_months(a, b) for a, b in zip(out["period_start"], out["period_end"],
                                           strict=True)]
    out["months"] = pd.array(months, dtype="Int64")
    out["year"] = pd.array([_year(a, m, b) for a, m, b in
                            zip(out["period_start"], months, out["year_basis"], strict=True)],
                           dtype="Int64")
    out = provenance.attach_attribution(out, sources)
    out = out.sort_values(["measure", "deporting_state", "age_group", "accompaniment",
                           "period_start", "period_end", "nationality", "figure_id"],
                          ignore_index=True)
    return out[schema.DEPORTATIONS.columns]


# --------------------------------------------------------------------------------------
# Preferred series
# --------------------------------------------------------------------------------------


def _series_key(series: DeportationSeries) -> tuple:
    return (series.measure, series.deporting_state, series.age_group, series.accompaniment,
            series.unit, series.year_basis)


def _row_key(figure: dict) -> tuple:
    return (figure["measure"], figure["deporting_state"], figure["age_group"],
            figure["accompaniment"], figure["unit"], figure["year_basis"])


def _describe(figure: dict) -> str:
    part = f" [{figure['detail']}]" if figure["detail"] else ""
    return (f"{figure['period_start']}..{figure['period_end']} {figure['value']:,} "
            f"{figure['qualifier']}{part} "
            f"({figure['reporter']}, {figure['confidence']}, {figure['source_id']})")


def _sum_of_parts(series: DeportationSeries, year: int, nat: str, pools: dict) -> list[dict] | None:
    """Figures of ``series.sum_of`` measures for one year and nationality, all from the best
    single source that gives every part; None if no source does."""
    if not series.sum_of:
        return None
    by_source: dict[str, dict[str, dict]] = {}
    for measure in series.sum_of:
        key = (measure, series.deporting_state, series.age_group, series.accompaniment,
               series.unit, series.year_basis)
        for figure in pools.get(key, []):
            if (figure["year"] == year and figure["nationality"] == nat
                    and series.accepts(figure["reporter"], nat)
                    and figure["detail"] is None
                    and figure["confidence"] in preference.FILLING_CONFIDENCE):
                by_source.setdefault(figure["source_id"], {})[measure] = figure
    complete = [parts for parts in by_source.values() if len(parts) == len(series.sum_of)]
    if not complete:
        return None
    best = preference.rank([parts[series.sum_of[0]] for parts in complete],
                           first=[_counter_rule(series)])[0]
    return [by_source[best["source_id"]][m] for m in series.sum_of]


def _counter_rule(series: DeportationSeries) -> preference.Rule:
    return preference.Rule("the series' preferred counter",
                           lambda r: series.counter_rank(r["reporter"]))


def _cell(series: DeportationSeries, year: int, nat: str, here: list[dict], cells: dict,
          pools: dict) -> dict:
    ok = [r for r in here if r["year"] == year and series.accepts(r["reporter"], nat)
          and r["detail"] is None and preference.fills(r)]
    others = sorted((r for r in here if r not in ok),
                    key=lambda r: (r["period_start"], r["figure_id"]))
    cell = {"series": series.id, "title": series.title, "year": year,
            "year_basis": series.year_basis, "deporting_state": series.deporting_state,
            "nationality": nat, "measure": series.measure, "age_group": series.age_group,
            "accompaniment": series.accompaniment, "unit": series.unit,
            "n_candidates": len(ok),
            "note": "; ".join(_describe(r) for r in others) or None}
    parts = [cells.get(p) for p in NTCA_PARTS]
    choice = preference.pick(ok, first=[_counter_rule(series)])
    summed = None if choice else _sum_of_parts(series, year, nat, pools)
    if choice:
        best = choice.best
        months = best.get("summed") is True
        cell.update(value=best["value"], qualifier=best["qualifier"], reporter=best["reporter"],
                    confidence=best["confidence"], status="derived" if months else "published",
                    rule=choice.explain(monthly.SUMMED_YEAR if months
                                        else "whole-year figure"),
                    figure_ids=best["figure_id"], source_ids=best["source_id"])
    elif summed:
        derived = preference.sum_of_parts(summed, "value")
        cell.update(value=derived["value"], qualifier=derived["qualifier"],
                    reporter=summed[0]["reporter"], confidence=derived["confidence"],
                    status="derived", rule=f"sum of {' + '.join(series.sum_of)} from one source",
                    figure_ids=";".join(derived["figure_ids"]),
                    source_ids=";".join(derived["source_ids"]))
    elif nat == "NTCA" and all(p and p["value"] is not None for p in parts):
        derived = preference.sum_of_parts(parts, "value")
        reporters = {p["reporter"] for p in parts}
        cell.update(value=derived["value"], qualifier=derived["qualifier"],
                    reporter=reporters.pop() if len(reporters) == 1 else None,
                    confidence=derived["confidence"], status="derived",
                    rule="sum of the GTM, HND and SLV cells (rule 3)",
                    figure_ids=";".join(derived["figure_ids"]),
                    source_ids=";".join(derived["source_ids"]))
    else:
        cell.update(value=None, qualifier=None, reporter=None, confidence=None, status="gap",
                    rule="no whole-year figure read", figure_ids=None, source_ids=None)
    cell["other_figure_ids"] = provenance.other_ids(here, cell["figure_ids"])
    return cell


def series_years(series: DeportationSeries, pools: dict[tuple, list[dict]],
                 columns: tuple[str, ...]) -> range:
    """The series' years: the study years (``schema.STUDY_YEARS``), stretched to every year
    that a whole-year figure of the series (or of the measures it is the sum of) covers, for
    its nationalities and counters: a new year's figure brings its year in."""
    keys = [_series_key(series), *((m, *_series_key(series)[1:]) for m in series.sum_of)]
    return schema.study_range(r["year"] for key in keys for r in pools.get(key, [])
                              if r["year"] is not None and r["nationality"] in columns
                              and series.accepts(r["reporter"], r["nationality"]))


def preferred_series(deportations: pd.DataFrame, series: tuple[DeportationSeries, ...],
                     countries: pd.DataFrame, figures: list[dict] | None = None
                     ) -> pd.DataFrame:
    """The preferred-figure table for ``series``, one column per nationality the series
    names (its groups stand for the studied countries of ``countries``): see
    :data:`PREFERENCE_RULE`. ``deportations`` may hold complete sums of months beside the
    published figures (``summed`` set); ``figures``: its records, when already made."""
    pools: dict[tuple, list[dict]] = {}
    for figure in provenance.records(deportations) if figures is None else figures:
        pools.setdefault(_row_key(figure), []).append(figure)
    out = []
    for definition in series:
        pool = pools.get(_series_key(definition), [])
        columns = definition.columns(countries)
        for year in series_years(definition, pools, columns):
            lo, hi = monthly.year_window(year, definition.year_basis)
            in_year = [f for f in pool if f["period_start"] >= lo and f["period_end"] <= hi]
            cells: dict[str, dict] = {}
            for nat in columns:
                here = [figure for figure in in_year if figure["nationality"] == nat]
                cells[nat] = _cell(definition, year, nat, here, cells, pools)
                out.append(cells[nat])
    return provenance.typed_frame(out, schema.CHILD_BY_YEAR)


def why_unused(figure: dict, context,
               series: tuple[DeportationSeries, ...] = CHILD_SERIES + ALL_AGES_SERIES) -> str:
    """Why a figure fills, competes for and is noted in no cell of any series (``context``:
    the build's, for the countries studied)."""
    kind = (f"{figure['measure']} by {figure['deporting_state']}, {figure['age_group']}, "
            f"{figure['accompaniment']}, {figure['unit']}, {figure['year_basis']} years")
    matching = [s for s in series if _series_key(s) == _row_key(figure)
                or (figure["measure"] in s.sum_of and _series_key(s)[1:] == _row_key(figure)[1:])]
    if not matching:
        return f"no series counts {kind}"
    names = ", ".join(s.id for s in matching)
    countries = context["countries"]
    columns = {n for s in matching for n in s.columns(countries)}
    if figure["nationality"] not in columns:
        if figure["nationality"] in set(countries["code"]) - set(
                country_table.studied(countries)):
            return (f"{figure['nationality']} is kept but not studied (data/raw/countries.csv): "
                    f"no column of {names}")
        return f"nationality {figure['nationality']} is not a column of {names}"
    if not any(s.accepts(figure["reporter"], figure["nationality"]) for s in matching):
        return f"{names} does not take counts by {figure['reporter']}"
    if figure["year"] is None:
        return (f"its period {figure['period_start']}..{figure['period_end']} does not lie "
                f"inside one {figure['year_basis'].replace('_', ' ')} year of {names}")
    return f"a part of a sum ({names}) whose other parts come from another source"


# --------------------------------------------------------------------------------------
# The domain's build steps
# --------------------------------------------------------------------------------------


SNAPSHOT_SOURCES = ("unhcr_asylum", *monthly.MONTHLY_SOURCES)  # in the deportations schema

def _load(ctx: Context) -> dict:
    """Every deportation figure: the hand-curated table and the newest snapshot of each
    refreshed source; the monthly ones apart."""
    paths = ctx.paths
    files = [(paths.rel(paths.deportations_raw), paths.deportations_raw, None, None)]
    for name in SNAPSHOT_SOURCES:
        entry = snapshots.latest_entry(paths, name)
        if entry is not None:
            path = paths.root / entry["file"]
            files.append((paths.rel(path), path, name, entry.get("date_accessed")))
    read = provenance.load_raw_many([(label, path) for label, path, _, _ in files],
                                    schema.DEPORTATIONS_RAW, ctx.source_ids)
    raw, months = [], []
    for (label, path, name, accessed), frame in zip(files, read, strict=True):
        frame = load_deportations_raw(path, label, ctx.source_ids, frame)
        if name in monthly.MONTHLY_SOURCES:
            monthly.check_monthly(frame, label, accessed)
            months.append(label)
        raw.append((label, frame))
    # a figure id is used once, across every file
    labelled = provenance.combine(raw, "deportation", keep_file=True)
    in_months = labelled["_file"].isin(months)
    monthly_rows = labelled[in_months].drop(columns=["_file"])
    figures = labelled[~in_months].drop(columns=["_file"])
    figures = tidy_deportations(figures, ctx["sources_raw"])
    population = snapshots.load_latest(paths, "wb_population_0_14", schema.POPULATION_RAW,
                                       ctx.source_ids)
    return {"deportations": figures,
            "deportations_monthly": monthly.tidy_monthly(provenance.drop_line(monthly_rows)),
            "population": population, CONFLICT_RECORDS: population_conflicts(population)}


def _sum_months(ctx: Context) -> dict:
    figures = provenance.records(ctx["deportations_monthly"])  # once, for both
    sums = monthly.sums(ctx["deportations_monthly"], figures=figures)
    return {"deportations_monthly_sums": sums,
            CONFLICT_RECORDS: [*monthly.month_conflicts(ctx["deportations"],
                                                        ctx["deportations_monthly"],
                                                        figures=figures),
                               *monthly.sum_conflicts(sums)]}


def _prefer(ctx: Context) -> dict:
    countries = ctx["countries"]
    figures = pd.concat([ctx["deportations"],
                         monthly.candidates(ctx["deportations_monthly_sums"],
                                            ctx["sources_raw"])], ignore_index=True)
    rows = provenance.records(figures)  # once, for both tables
    children = with_rates(preferred_series(figures, CHILD_SERIES, countries, rows),
                          ctx["population"])
    all_ages = preferred_series(figures, ALL_AGES_SERIES, countries, rows)
    both = pd.concat([children, all_ages])
    checks = parts_checks(ctx["deportations"], both)
    return {"child_deportations_by_year": children, "deportations_all_ages_by_year": all_ages,
            "deportation_checks": checks,
            CONFLICT_RECORDS: [*deportation_conflicts(ctx["deportations"], checks,
                                                      ctx["deportations_monthly_sums"]),
                               *sender_receiver_conflicts(both)]}


STEPS = (
    Step("deportations", "read the deportation counts (the hand-curated table, the newest "
         "snapshot of each refreshed source, the World Bank population snapshot), resolve "
         "each period into months and a year, join each source's attribution; the monthly "
         "figures (UPM, IGM, CBP) go to their own tidy table",
         _load, reads=(schema.DEPORTATIONS_RAW, schema.DEPORTATIONS_SNAPSHOT,
                       schema.POPULATION_RAW),
         needs=("sources_raw",), makes=("deportations", "deportations_monthly", "population"),
         cites=("deportations", "deportations_monthly", "population"),
         figures=("deportations", why_unused)),
    Step("monthly sums", "sum each monthly source into calendar or US fiscal years by its "
         "declared categories, counting the months each year holds (partial years labelled); "
         "compare figures printed for a period with the sum of the same months",
         _sum_months, needs=("deportations", "deportations_monthly"),
         makes=("deportations_monthly_sums",),
         figures=("deportations_monthly", monthly.why_unused)),
    Step("deportation series", "choose one figure per series, year and nationality (the "
         "columns are the countries studied; children with rates per 100,000 aged 0-14, and "
         "all ages), a complete sum of months competing like a whole-year figure; check totals "
         "against their parts; list disagreements, and where the deporting and the receiving "
         "country count one flow differently",
         _prefer, needs=("deportations", "deportations_monthly_sums", "population",
                         "countries", "sources_raw"),
         makes=("child_deportations_by_year", "deportations_all_ages_by_year",
                "deportation_checks")),
)
