"""Monthly figures and the years summed from them.

Mexico's UPM, Guatemala's IGM and CBP publish month by month. Their snapshots (written by
``python -m usmx refresh``) hold one figure per month and per category of the source (a
type of return, an age group, a sex, a border sector). A declared :class:`Rollup` says
which categories add up to one measure, and every source's months are summed into years:
calendar years for Mexico and Guatemala, US fiscal years (October-September) for CBP, as
each figure's ``year_basis`` says. Every sum states how many months it holds; a year with
months missing is *partial*, kept and labelled, and never fills a series cell
(:data:`SUM_RULE`).

Only figures of one source are summed together, and only figures of the same counter,
acting state, nationality and unit: a sum never mixes two releases, two counters, events
and persons, or fiscal and calendar years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from usmx import schema
from usmx.engine import preference, provenance
from usmx.rawio import LINE, DataError, Problem

# The snapshot sources whose figures are monthly (usmx.refresh writes them).
MONTHLY_SOURCES = ("upm_returns", "upm_apprehensions", "upm_apprehensions_age", "igm_returns",
                   "cbp_uac_gdidata", "cbp_encounters")


@dataclass(frozen=True)
class Rollup:
    """Monthly figures of one measure whose categories add up to a target age group and
    accompaniment."""

    id: str
    title: str
    measure: str
    age_group: str
    accompaniment: str
    parts: tuple[tuple[str, str], ...]  # (age group, accompaniment) of the figures summed
    parts_text: str  # the source's categories, in words
    note: str = ""


def _taking(rollups: Iterable[Rollup]) -> dict[tuple, list[Rollup]]:
    """(measure, age group, accompaniment) of a monthly figure -> the rollups that take it."""
    out: dict[tuple, list[Rollup]] = {}
    for rollup in rollups:
        for age, accompaniment in rollup.parts:
            out.setdefault((rollup.measure, age, accompaniment), []).append(rollup)
    return out


ROLLUPS = (
    Rollup("children_returned", "Minors returned by Mexico (assisted returns of children)",
           "devoluciones", "minor", "all", (("minor", "all"),),
           "UPM table 3.2.4, type 'assisted return of children'"),
    Rollup("all_returned", "Foreigners returned by Mexico, all ages", "devoluciones", "all",
           "all", (("minor", "all"), ("all", "all")),
           "UPM table 3.2.4, types deportation, assisted return and assisted return of "
           "children (the three are disjoint: their sum is the table's total)"),
    Rollup("children_presented", "Minors presented to Mexico's migration authority",
           "apprehensions", "minor", "all",
           (("minor_0_11", "accompanied"), ("minor_0_11", "unaccompanied"),
            ("minor_12_17", "all")),
           "UPM table 3.1.3, ages under 12 accompanied, under 12 unaccompanied and 12-17, "
           "both sexes"),
    Rollup("all_presented", "Foreigners presented to Mexico's migration authority, all ages",
           "apprehensions", "all", "all",
           (("all", "all"), ("minor_0_11", "accompanied"), ("minor_0_11", "unaccompanied"),
            ("minor_12_17", "all"), ("adult", "all")),
           "UPM table 3.1.1 (by nationality), or table 3.1.3 (all nationalities: its four age "
           "groups and both sexes)"),
    Rollup("children_received", "Minors returned to their country, as it counts them",
           "repatriations_received", "minor", "all",
           (("minor", "accompanied"), ("minor", "unaccompanied")),
           "IGM: accompanied and unaccompanied children, both sexes"),
    Rollup("unaccompanied_received", "Unaccompanied minors returned to their country, as it "
           "counts them", "repatriations_received", "minor", "unaccompanied",
           (("minor", "unaccompanied"),), "IGM: unaccompanied children, both sexes"),
    Rollup("all_received", "People returned to their country, as it counts them",
           "repatriations_received", "all", "all",
           (("minor", "accompanied"), ("minor", "unaccompanied"), ("adult", "all")),
           "IGM: adults, accompanied and unaccompanied children, both sexes"),
    Rollup("uac_apprehended", "US Border Patrol apprehensions of unaccompanied children "
           "(Title 8), Southwest border", "uac_apprehensions", "minor", "unaccompanied",
           (("minor", "unaccompanied"),), "CBP, every Southwest border sector, Title 8",
           note="CBP prints its category for unaccompanied children as 'UC / Single Minors' "
                "in its releases up to 2024 and 'UAC' in later ones (IOM's copy changes "
                "label at October 2021): one category, renamed; each month's label is in its "
                "figure's note"),
    Rollup("uac_expelled", "US Border Patrol expulsions of unaccompanied children under "
           "Title 42, Southwest border", "uac_expulsions", "minor", "unaccompanied",
           (("minor", "unaccompanied"),), "CBP, every Southwest border sector, Title 42"),
)

SUM_RULE = """
A source that publishes month by month is summed into years, per declared sum (the source's
categories that add up to one measure: usmx.domains.monthly.ROLLUPS), per counter, acting
state, nationality and unit, never across sources. Months go into calendar years or US fiscal
years (October-September) as the figures' year basis says. A sum of all twelve months is
*complete*: it competes for its series' cell like a whole-year figure printed in a source
(the originator's own document ranks first; between equals, a figure printed for the whole
year goes before a sum of months) and is marked `derived`. A year with months missing is
*partial*: kept in deportations_monthly_sums.csv with the number of months it holds, never
drawn, never compared as a whole year. A month counts as covered when the source gives any
figure for that counter, acting state and nationality in it; the tables leave zero cells
out, so in a covered month a category with no figure counts as none, and a month that is
not covered is missing. A figure printed for a period (a whole year, or
some months) is compared with the same source kind's sum of the same months: where they
differ, conflicts.csv lists both (kind `sum_of_months`).
""".strip()


def month_year(month: str, basis: str) -> int:
    """The calendar or US fiscal year a month is summed into."""
    year, number = int(month[:4]), int(month[5:7])
    return year + 1 if basis == "us_fiscal" and number >= 10 else year


# The rule a preferred-series cell states when its value is a year summed from one
# source's months: a figure in its own right, which the parts checks read as published.
SUMMED_YEAR = "sum of the year's 12 monthly figures of one source"


def year_window(year: int, basis: str) -> tuple[str, str]:
    """The first and the last month of a calendar or US fiscal (Oct-Sep) year."""
    if basis == "us_fiscal":
        return f"{year - 1}-10", f"{year}-09"
    return f"{year}-01", f"{year}-12"


def months_between(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` (YYYY-MM), both included, in order."""
    y, m = int(start[:4]), int(start[5:7])
    out = []
    while f"{y}-{m:02d}" <= end:
        out.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def year_months(year: int, basis: str) -> list[str]:
    """The twelve months of a calendar or US fiscal year, in order."""
    return months_between(*year_window(year, basis))


def check_monthly(frame: pd.DataFrame, label: str, accessed: str | None) -> None:
    """A monthly snapshot's own checks (the raw schema checks codes, counts and shapes; the
    natural key, a month given twice): each figure covers one month, none a month after
    the snapshot was taken (``accessed``, its manifest date)."""
    problems = []
    for line, start, end in zip(frame[LINE], frame["period_start"], frame["period_end"],
                                strict=True):
        if start != end:
            problems.append(Problem(label, int(line), "period_end", end,
                                    f"a monthly figure covers one month; this one runs from "
                                    f"{start}"))
        elif accessed and end > _last_month(accessed):
            problems.append(Problem(label, int(line), "period_end", end,
                                    f"is after the snapshot was taken ({accessed}): no figure "
                                    "can count a month that had not yet happened"))
    if problems:
        raise DataError(problems)
    # a month given twice for the same thing: the natural key's check (deportations'
    # load_deportations_raw) reports it, with both lines


def _last_month(date: str) -> str:
    """The last month a date of publication (YYYY, YYYY-MM or YYYY-MM-DD) may stand for."""
    return f"{date}-12" if len(date) == 4 else date[:7]


def tidy_monthly(figures: pd.DataFrame) -> pd.DataFrame:
    """Monthly figures as the processed table: month, the year each is summed into."""
    out = provenance.blank_to_na(figures, ("detail", "note"))
    out["month"] = out["period_start"]
    out["year"] = pd.array([month_year(m, b) for m, b in zip(out["month"], out["year_basis"],
                                                             strict=True)], dtype="Int64")
    out["value"] = out["value"].astype("int64").astype("Int64")
    out = out.sort_values(["source_id", "measure", "nationality", "age_group",
                           "accompaniment", "month", "figure_id"], ignore_index=True)
    return out[schema.MONTHLY.columns]


def _labels(rows: list[dict]) -> str | None:
    """The months' notes (a source's own labels), each with the months it covers."""
    spans: dict[str, list[str]] = {}
    for row in rows:
        if row["note"]:
            spans.setdefault(row["note"], []).append(row["month"])
    if not spans:
        return None
    return "; ".join(f"{note} ({min(m)} to {max(m)})" if len(set(m)) > 1 else f"{note} ({m[0]})"
                     for note, m in sorted(spans.items(), key=lambda kv: min(kv[1])))


def coverage(figures: list[dict]) -> dict[tuple, set[str]]:
    """The months each source covers, per counter, acting state and nationality: those in
    which it gives any figure for them (the tables leave zero cells out, so a category
    with no figure in a covered month counts as none; a month not covered is missing)."""
    covered: dict[tuple, set[str]] = {}
    for figure in figures:
        key = (figure["source_id"], figure["reporter"], figure["deporting_state"],
               figure["nationality"])
        covered.setdefault(key, set()).add(figure["month"])
    return covered


def sums(monthly: pd.DataFrame, rollups: Iterable[Rollup] = ROLLUPS,
         figures: list[dict] | None = None) -> pd.DataFrame:
    """Every declared sum of every source's months, by year (see :data:`SUM_RULE`);
    ``figures``: the monthly table's records, when already made."""
    groups: dict[tuple, list[dict]] = {}
    figures = provenance.records(monthly) if figures is None else figures
    covered = coverage(figures)
    taking = _taking(rollups)
    for figure in figures:
        for rollup in taking.get((figure["measure"], figure["age_group"],
                                  figure["accompaniment"]), ()):
            key = (rollup.id, figure["source_id"], figure["reporter"],
                   figure["deporting_state"], figure["nationality"], figure["unit"],
                   figure["year_basis"], figure["year"])
            groups.setdefault(key, []).append(figure)
    by_id = {r.id: r for r in rollups}
    out = []
    for key in sorted(groups):
        rollup_id, source, reporter, state, nat, unit, basis, year = key
        rollup, rows = by_id[rollup_id], groups[key]
        whole = year_months(year, basis)
        months = sorted(set(whole) & covered[(source, reporter, state, nat)])
        missing = [m for m in whole if m not in months]
        notes = [rollup.note] if rollup.note else []
        if missing:
            notes.append(f"partial: {len(months)} of 12 months (no figure for "
                         f"{missing[0]}" + (f" to {missing[-1]}" if len(missing) > 1 else "")
                         + ")")
        labels = _labels(rows)
        if labels:
            notes.append(f"the source's labels: {labels}")
        out.append({
            "sum_id": f"sum_{source.lower()}_{rollup_id}_{state.lower()}_{nat.lower()}_{year}",
            "rollup": rollup_id, "source_id": source, "reporter": reporter,
            "deporting_state": state, "nationality": nat, "measure": rollup.measure,
            "age_group": rollup.age_group, "accompaniment": rollup.accompaniment, "unit": unit,
            "year_basis": basis, "year": year, "value": sum(int(r["value"]) for r in rows),
            "months": len(months), "first_month": months[0], "last_month": months[-1],
            "status": "partial" if missing else "complete", "parts": rollup.parts_text,
            "n_figures": len(rows),
            "figure_ids": ";".join(sorted(r["figure_id"] for r in rows)),
            "confidence": preference.weakest(r["confidence"] for r in rows),
            "note": "; ".join(notes) or None,
        })
    return provenance.typed_frame(out, schema.MONTHLY_SUMS)


def candidates(sums_frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The complete sums as figures that may compete for a series cell: the columns of
    deportations.csv, each with its source's attribution, and ``summed`` set."""
    complete = sums_frame[sums_frame["status"] == "complete"]
    out = pd.DataFrame({
        "figure_id": complete["sum_id"], "period_start": complete["first_month"],
        "period_end": complete["last_month"], "months": complete["months"],
        "year": complete["year"], "year_basis": complete["year_basis"],
        "reporter": complete["reporter"], "deporting_state": complete["deporting_state"],
        "nationality": complete["nationality"], "age_group": complete["age_group"],
        "accompaniment": complete["accompaniment"], "measure": complete["measure"],
        "unit": complete["unit"], "detail": pd.NA, "value": complete["value"],
        "qualifier": "exact", "source_id": complete["source_id"],
        "locator": "sum of " + complete["months"].astype(str) + " months",
        "confidence": complete["confidence"], "note": pd.NA,
    }).reset_index(drop=True)
    out = provenance.attach_attribution(out, sources)
    out["summed"] = True
    return out


def sum_conflicts(sums_frame: pd.DataFrame) -> list[dict]:
    """Complete years of the same measure, counter, state, nationality and unit summed from
    two sources (a carrier's copy and the originator's own file, say) that differ."""
    complete = sums_frame[sums_frame["status"] == "complete"]
    frame = complete.rename(columns={"sum_id": "figure_id"}).assign(qualifier="exact")
    frame["value"] = frame["value"].astype("int64")
    key = ("rollup", "reporter", "deporting_state", "nationality", "unit", "year_basis", "year")
    return provenance.same_key_conflicts(
        frame, key, "value", "deportations",
        lambda k: f"{k['year']} ({k['year_basis']}) {k['rollup']} by {k['deporting_state']}, "
                  f"{k['nationality']}, {k['unit']} (counted by {k['reporter']}): sums of "
                  "months from different sources")


def why_unused(figure: dict, context) -> str:
    """Why a monthly figure is in no sum (``context``, the build's, is not needed)."""
    return (f"a monthly figure of {figure['measure']} ({figure['age_group']}, "
            f"{figure['accompaniment']}) that no declared sum takes (usmx.domains.monthly."
            "ROLLUPS)")


def month_conflicts(published: pd.DataFrame, monthly: pd.DataFrame,
                    rollups: Iterable[Rollup] = ROLLUPS,
                    figures: list[dict] | None = None) -> list[dict]:
    """Figures printed for a period against a source's sum of the same months (the same
    measure, counter, acting state, nationality, age group, accompaniment and unit)."""
    per_month: dict[tuple, dict[str, int]] = {}
    ids: dict[tuple, dict[str, list[str]]] = {}
    taking = _taking(rollups)
    for figure in provenance.records(monthly) if figures is None else figures:
        for rollup in taking.get((figure["measure"], figure["age_group"],
                                  figure["accompaniment"]), ()):
            key = (rollup.measure, rollup.age_group, rollup.accompaniment,
                   figure["reporter"], figure["deporting_state"], figure["nationality"],
                   figure["unit"], figure["source_id"])
            month = figure["month"]
            per_month.setdefault(key, {})[month] = \
                per_month.get(key, {}).get(month, 0) + int(figure["value"])
            ids.setdefault(key, {}).setdefault(month, []).append(figure["figure_id"])
    by_what: dict[tuple, list[tuple]] = {}  # what is counted -> each source's months
    for key in per_month:
        by_what.setdefault(key[:7], []).append(key)
    records = []
    for figure in provenance.records(published):
        what = (figure["measure"], figure["age_group"], figure["accompaniment"],
                figure["reporter"], figure["deporting_state"], figure["nationality"],
                figure["unit"])
        if figure["detail"] is not None or what not in by_what:
            continue
        span = months_between(figure["period_start"], figure["period_end"])
        for key in by_what[what]:
            months = per_month[key]
            if not all(m in months for m in span):
                continue
            total = sum(months[m] for m in span)
            low, high = provenance.qualifier_range(int(figure["value"]), figure["qualifier"])
            if (low is None or total >= low) and (high is None or total <= high):
                continue
            lo, hi = sorted((int(figure["value"]), total))
            summed = [i for m in span for i in ids[key][m]]
            records.append({
                "table": "deportations", "kind": "sum_of_months",
                "key": f"{figure['period_start']}..{figure['period_end']} {figure['measure']} "
                       f"by {figure['deporting_state']}, {figure['nationality']}, "
                       f"{figure['age_group']}, {figure['accompaniment']}, {figure['unit']} "
                       f"(counted by {figure['reporter']}): {figure['figure_id']} against "
                       f"{key[7]}'s months",
                "n_figures": 1 + len(summed), "min_value": lo, "max_value": hi,
                "spread_pct": provenance.spread(lo, hi),
                "figure_ids": ";".join([figure["figure_id"], *summed]),
                "source_ids": ";".join(dict.fromkeys([figure["source_id"], key[7]])),
                "detail": f"{int(figure['value']):,} {figure['qualifier']} "
                          f"({figure['source_id']}) against {total:,}, the sum of "
                          f"{len(span)} month(s) of {key[7]}"})
    return records
