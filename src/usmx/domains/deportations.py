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
from usmx.domains.deportation_series import (
    ALL_AGES_SERIES,
    CHILD_SERIES,
    COUNTRIES,
    NTCA_PARTS,
    DeportationSeries,
)
from usmx.engine import preference, provenance, snapshots
from usmx.engine.pipeline import CONFLICT_RECORDS, Context, Step
from usmx.engine.provenance import qualifier_range
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


def load_deportations_raw(path, label: str, source_ids) -> pd.DataFrame:
    """Read and validate raw deportation figures against the sources registry."""
    frame = provenance.load_raw(path, schema.DEPORTATIONS_RAW, label, source_ids)
    problems = []
    for _, row in frame.iterrows():
        line = int(row[LINE])
        if row["period_end"] < row["period_start"]:
            problems.append(Problem(label, line, "period_end", row["period_end"],
                                    f"is before period_start {row['period_start']}"))
        for col in ("period_start", "period_end"):
            year = int(row[col][:4])
            if not schema.FY_MIN <= year <= schema.FY_MAX:
                problems.append(Problem(label, line, col, row[col],
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


def _window(year: int, basis: str) -> tuple[str, str]:
    if basis == "us_fiscal":
        return f"{year - 1}-10", f"{year}-09"
    return f"{year}-01", f"{year}-12"


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
    return preference.order("reporter", series.reporters, "the series' preferred counter")


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
        cell.update(value=best["value"], qualifier=best["qualifier"], reporter=best["reporter"],
                    confidence=best["confidence"], status="published",
                    rule=choice.explain("whole-year figure"),
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


def series_years(series: DeportationSeries, pools: dict[tuple, list[dict]]) -> range:
    """The series' years: the study years (``schema.STUDY_YEARS``), stretched to every year
    that a whole-year figure of the series (or of the measures it is the sum of) covers, for
    its nationalities and counters: a new year's figure brings its year in."""
    keys = [_series_key(series), *((m, *_series_key(series)[1:]) for m in series.sum_of)]
    return schema.study_range(r["year"] for key in keys for r in pools.get(key, [])
                              if r["year"] is not None and r["nationality"] in series.nationalities
                              and series.accepts(r["reporter"], r["nationality"]))


def preferred_series(deportations: pd.DataFrame,
                     series: tuple[DeportationSeries, ...]) -> pd.DataFrame:
    """The preferred-figure table for ``series``: see :data:`PREFERENCE_RULE`."""
    pools: dict[tuple, list[dict]] = {}
    for figure in provenance.records(deportations):
        pools.setdefault(_row_key(figure), []).append(figure)
    out = []
    for definition in series:
        pool = pools.get(_series_key(definition), [])
        for year in series_years(definition, pools):
            lo, hi = _window(year, definition.year_basis)
            in_year = [f for f in pool if f["period_start"] >= lo and f["period_end"] <= hi]
            cells: dict[str, dict] = {}
            for nat in definition.nationalities:
                here = [figure for figure in in_year if figure["nationality"] == nat]
                cells[nat] = _cell(definition, year, nat, here, cells, pools)
                out.append(cells[nat])
    return provenance.typed_frame(out, schema.CHILD_BY_YEAR)


def why_unused(figure: dict, series: tuple[DeportationSeries, ...] = CHILD_SERIES + ALL_AGES_SERIES,
               ) -> str:
    """Why a figure fills, competes for and is noted in no cell of any series."""
    kind = (f"{figure['measure']} by {figure['deporting_state']}, {figure['age_group']}, "
            f"{figure['accompaniment']}, {figure['unit']}, {figure['year_basis']} years")
    matching = [s for s in series if _series_key(s) == _row_key(figure)
                or (figure["measure"] in s.sum_of and _series_key(s)[1:] == _row_key(figure)[1:])]
    if not matching:
        return f"no series counts {kind}"
    names = ", ".join(s.id for s in matching)
    if all(figure["nationality"] not in s.nationalities for s in matching):
        return f"nationality {figure['nationality']} is not a column of {names}"
    if not any(s.accepts(figure["reporter"], figure["nationality"]) for s in matching):
        return f"{names} does not take counts by {figure['reporter']}"
    if figure["year"] is None:
        return (f"its period {figure['period_start']}..{figure['period_end']} does not lie "
                f"inside one {figure['year_basis'].replace('_', ' ')} year of {names}")
    return f"a part of a sum ({names}) whose other parts come from another source"


# --------------------------------------------------------------------------------------
# Totals against their parts
# --------------------------------------------------------------------------------------

_GROUP = ("period_start", "period_end", "year_basis", "reporter", "deporting_state",
          "age_group", "accompaniment", "measure", "unit", "detail")


def _check(check_id, basis, period, what, total, parts):
    low, high = qualifier_range(total["value"], total["qualifier"])
    parts_sum = sum(p["value"] for p in parts)
    if total["nationality"] == "NTCA":
        test = "parts = total"
        ok = (low is None or parts_sum >= low) and (high is None or parts_sum <= high)
    else:
        test = "parts <= total"
        ok = high is None or parts_sum <= high
    ids = [i for r in (total, *parts) for i in r["ids"].split(";")]
    return {
        "check_id": check_id, "basis": basis, "period": period, "what": what,
        "total_nationality": total["nationality"], "total_value": total["value"],
        "parts": " ".join(f"{p['nationality']}={p['value']}" for p in parts),
        "parts_sum": parts_sum, "test": test, "result": "agrees" if ok else "disagrees",
        "figure_ids": ";".join(ids),
    }


def _parts_checks(rows: list[dict], basis: str, period: str, what: str, prefix: str):
    """Checks inside one group of figures (same period, measure, …): ALL and NTCA totals."""
    by_nat = {r["nationality"]: r for r in rows}
    out = []
    for total_nat, members in (("ALL", COUNTRIES), ("NTCA", NTCA_PARTS)):
        present = [by_nat[n] for n in members if n in by_nat]
        if total_nat in by_nat and len(present) >= (3 if total_nat == "NTCA" else 2):
            out.append(_check(f"{prefix}_{total_nat.lower()}", basis, period, what,
                              by_nat[total_nat], present))
    return out


def parts_checks(deportations: pd.DataFrame, preferred: pd.DataFrame) -> pd.DataFrame:
    """Published totals against the sum of their parts, within one source and within the
    preferred series."""
    groups: dict[tuple, list[dict]] = {}
    for row in provenance.records(deportations):
        groups.setdefault((*(row[k] or "" for k in _GROUP), row["source_id"]), []).append(
            {**row, "ids": row["figure_id"]})
    out = []
    for key in sorted(groups):
        start, end, basis, reporter, state, age, acc, measure, unit, detail, source = key
        part = f" [{detail}]" if detail else ""
        what = f"{measure}{part} by {state}, {age}, {acc}, {unit} (counted by {reporter})"
        out += _parts_checks(groups[key], "same source", f"{start}..{end} ({basis})", what,
                             f"{source.lower()}_{measure}_{start}_{end}_{age}_{acc}")
    series: dict[tuple, list[dict]] = {}
    for row in provenance.records(preferred):
        if row["status"] == "published":
            series.setdefault((row["series"], row["year"], row["year_basis"]), []).append(
                {**row, "ids": row["figure_ids"]})
    for (sid, year, basis) in sorted(series):
        rows = series[(sid, year, basis)]
        first = rows[0]
        what = (f"{first['measure']} by {first['deporting_state']}, {first['age_group']}, "
                f"{first['accompaniment']}, {first['unit']} (series {sid})")
        out += _parts_checks(rows, "preferred series", f"{year} ({basis})", what,
                             f"{sid}_{year}")
    frame = provenance.typed_frame(out, schema.DEPORTATION_CHECKS)
    return frame.sort_values("check_id", ignore_index=True)


# --------------------------------------------------------------------------------------
# Conflicts
# --------------------------------------------------------------------------------------

CONFLICT_KEY = ("period_start", "period_end", "year_basis", "reporter", "deporting_state",
                "nationality", "age_group", "accompaniment", "measure", "unit", "detail")


def _conflict_label(key: dict) -> str:
    part = f" [{key['detail']}]" if key["detail"] else ""
    return (f"{key['period_start']}..{key['period_end']} ({key['year_basis']}) "
            f"{key['measure']}{part} by {key['deporting_state']}, {key['nationality']}, "
            f"{key['age_group']}, {key['accompaniment']}, {key['unit']} "
            f"(counted by {key['reporter']})")


def deportation_conflicts(deportations: pd.DataFrame, checks: pd.DataFrame) -> list[dict]:
    """Keys where published figures differ, and totals that disagree with their parts."""
    records = provenance.same_key_conflicts(deportations, CONFLICT_KEY, "value", "deportations",
                                            _conflict_label)
    source_of = dict(zip(deportations["figure_id"], deportations["source_id"], strict=True))
    for row in checks[checks["result"] == "disagrees"].itertuples():
        ids = row.figure_ids.split(";")
        lo, hi = sorted((int(row.total_value), int(row.parts_sum)))
        records.append({
            "table": "deportations", "kind": "sum_of_parts",
            "key": f"{row.period} {row.what}: {row.total_nationality} ({row.basis})",
            "n_figures": len(ids), "min_value": lo, "max_value": hi,
            "spread_pct": provenance.spread(lo, hi), "figure_ids": row.figure_ids,
            "source_ids": ";".join(dict.fromkeys(source_of[i] for i in ids)),
            "detail": f"total {int(row.total_value):,}; {row.test} fails: {row.parts} = "
                      f"{int(row.parts_sum):,}",
        })
    return records


# --------------------------------------------------------------------------------------
# The domain's build steps
# --------------------------------------------------------------------------------------


def _load(ctx: Context) -> dict:
    paths = ctx.paths
    raw = [(paths.rel(paths.deportations_raw),
            load_deportations_raw(paths.deportations_raw, paths.rel(paths.deportations_raw),
                                  ctx.source_ids))]
    asylum = snapshots.latest(paths, "unhcr_asylum")
    if asylum is not None:
        raw.append((paths.rel(asylum),
                    load_deportations_raw(asylum, paths.rel(asylum), ctx.source_ids)))
    figures = tidy_deportations(provenance.combine(raw, "deportation"), ctx["sources_raw"])
    population = snapshots.load_latest(paths, "wb_population_0_14", schema.POPULATION_RAW,
                                       ctx.source_ids)
    return {"deportations": figures, "population": population,
            CONFLICT_RECORDS: population_conflicts(population)}


def _prefer(ctx: Context) -> dict:
    figures = ctx["deportations"]
    children = with_rates(preferred_series(figures, CHILD_SERIES), ctx["population"])
    all_ages = preferred_series(figures, ALL_AGES_SERIES)
    checks = parts_checks(figures, pd.concat([children, all_ages]))
    return {"child_deportations_by_year": children, "deportations_all_ages_by_year": all_ages,
            "deportation_checks": checks,
            CONFLICT_RECORDS: deportation_conflicts(figures, checks)}


STEPS = (
    Step("deportations", "read the deportation counts (and the newest UNHCR asylum and "
         "World Bank population snapshots), resolve each period into months and a year, "
         "join each source's attribution",
         _load, reads=(schema.DEPORTATIONS_RAW, schema.POPULATION_RAW),
         needs=("sources_raw",), makes=("deportations", "population"),
         cites=("deportations", "population"), figures=("deportations", why_unused)),
    Step("deportation series", "choose one figure per series, year and nationality (children "
         "with rates per 100,000 aged 0-14, and all ages); check totals against their parts; "
         "list disagreements",
         _prefer, needs=("deportations", "population"),
         makes=("child_deportations_by_year", "deportations_all_ages_by_year",
                "deportation_checks")),
)
