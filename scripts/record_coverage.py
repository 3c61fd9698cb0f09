"""Measure how far the record reaches and how far it rests on the originators' own tables
(the coverage of the data, not of the tests).

Reads what `python -m usmx build` and `python -m usmx charts` wrote (nothing is rebuilt):

1. Share of the preferred child values drawn on the year charts whose every source is the
   originating agency's own document or an official reprint (registry `carrier_kind`).
   A value is one drawn mark: (chart, series, year, nationality) in a chart's CSV, with a
   value, age group "minor". All-ages context series are left out, and so is the monthly
   chart (its months are not year marks).
2. The grid 2010-2016 x {returned by Mexico, returned by the US} x {GTM, HND, SLV}: a cell
   holds if child_deportations_by_year.csv has a preferred (not gap) value for it in a
   measure of return (apprehensions are not returns).
3. Mexico's returns of children by nationality from the originator's own table
   (carrier kind "originator"), 2015-2024 x {GTM, HND, SLV}.
4. The last whole year of every preferred series (a year with at least one value).

    python scripts/record_coverage.py [--root DIR]

Always exits 0: it reports, it does not judge.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRIMARY = {"originator", "official_reprint"}
CHARTS = ("child-deportations", "mexico-vs-us", "uac-apprehensions",
          "funding-vs-child-deportations")
NOT_RETURNS = {"us_uac_apprehensions", "us_uac_expulsions", "mx_minor_apprehensions"}
THREE = ("GTM", "HND", "SLV")  # the article's three countries (the NTCA aggregate)
YEARS = range(2010, 2017)
LATER = range(2015, 2025)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def share(root: Path) -> tuple[int, int, Counter]:
    kinds = {r["source_id"]: r["carrier_kind"]
             for r in _rows(root / "data/processed/sources.csv")}
    marks: dict[tuple, str] = {}
    for chart in CHARTS:
        for r in _rows(root / "reports/figures" / f"{chart}.csv"):
            if r.get("age_group") != "minor" or not r.get("value") or not r.get("source_ids"):
                continue
            marks[(chart, r["series"], r["year"], r["nationality"])] = r["source_ids"]
    by_series: Counter = Counter()
    primary = 0
    for (_chart, series, _year, _nat), ids in marks.items():
        ok = all(kinds.get(i) in PRIMARY for i in ids.split(";") if i)
        primary += ok
        by_series[(series, "primary" if ok else "secondary")] += 1
    return primary, len(marks), by_series


def grid(root: Path) -> dict[tuple[str, str], list[int]]:
    held: dict[tuple[str, str], set[int]] = {}
    for r in _rows(root / "data/processed/child_deportations_by_year.csv"):
        if r["status"] == "gap" or r["series"] in NOT_RETURNS:
            continue
        if r["nationality"] in THREE and int(r["year"]) in YEARS:
            held.setdefault((r["deporting_state"], r["nationality"]), set()).add(int(r["year"]))
    return {(s, n): sorted(held.get((s, n), ())) for s in ("MEX", "USA") for n in THREE}


def originator_returns(root: Path) -> list[tuple[int, str]]:
    kinds = {r["source_id"]: r["carrier_kind"]
             for r in _rows(root / "data/processed/sources.csv")}
    out = []
    for r in _rows(root / "data/processed/child_deportations_by_year.csv"):
        if (r["series"] == "mx_minor_returns" and r["nationality"] in THREE and r["value"]
                and int(r["year"]) in LATER
                and all(kinds.get(i) == "originator" for i in r["source_ids"].split(";"))):
            out.append((int(r["year"]), r["nationality"]))
    return sorted(out)


def last_years(root: Path) -> list[tuple[str, str, int]]:
    out: dict[tuple[str, str], int] = {}
    for name, year_col in (("child_deportations_by_year", "year"),
                           ("deportations_all_ages_by_year", "year"),
                           ("funding_series_by_fy", "fiscal_year")):
        for r in _rows(root / "data/processed" / f"{name}.csv"):
            value = r.get("value", r.get("amount_usd"))
            if value:
                basis = r.get("year_basis", "us_fiscal")
                key = (r["series"], "FY" if basis == "us_fiscal" else "")
                out[key] = max(out.get(key, 0), int(r[year_col]))
    return sorted((series, prefix, year) for (series, prefix), year in out.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    root = parser.parse_args().root
    primary, total, by_series = share(root)
    print(f"Child values drawn on the year charts from the originator or an official reprint: "
          f"{primary} of {total} ({100 * primary / total:.1f} %; goal 70 %)")
    for series in sorted({s for s, _ in by_series}):
        print(f"  {series:45s} primary {by_series[(series, 'primary')]:3d}  "
              f"secondary {by_series[(series, 'secondary')]:3d}")
    cells = grid(root)
    mexico = sum(len(years) for (state, _), years in cells.items() if state == "MEX")
    held = sum(len(years) for years in cells.values())
    print(f"\nGrid {YEARS[0]}-{YEARS[-1]} x {{Mexico, US}} x {{GTM, HND, SLV}}: "
          f"{held} of {2 * len(THREE) * len(YEARS)} cells; Mexico's side {mexico} of "
          f"{len(THREE) * len(YEARS)} (goal 10)")
    print("  returned by  nat  " + " ".join(str(y) for y in YEARS))
    for (state, nat), years in cells.items():
        marks = " ".join(("  x " if y in years else "  . ") for y in YEARS)
        print(f"  {'Mexico' if state == 'MEX' else 'US':11s}  {nat}  {marks}")
    found = originator_returns(root)
    print(f"\nMexico's returns of children by nationality from the originator's own table, "
          f"{LATER[0]}-{LATER[-1]}: {len(found)} of {len(THREE) * len(LATER)} country-years")
    print("\nLast year with a value, by preferred series:")
    for series, prefix, year in last_years(root):
        print(f"  {series:45s} {prefix}{year}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
