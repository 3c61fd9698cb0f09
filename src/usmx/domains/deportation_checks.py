"""Checks of the deportation record: published totals against the sum of their parts
(within one source, and within the preferred series), the keys whose figures differ, and
the flows that the deporting state and the receiving country count differently."""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.domains import monthly
from usmx.domains.deportation_series import NTCA_PARTS
from usmx.engine import provenance
from usmx.engine.provenance import qualifier_range

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
    for total_nat, members in (("ALL", schema.COUNTRY_NATIONALITIES), ("NTCA", NTCA_PARTS)):
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
        # a published cell, or a year summed from a source's months (a figure in its own
        # right); not a cell derived from the very parts it would be checked against
        if row["status"] == "published" or str(row["rule"]).startswith(monthly.SUMMED_YEAR):
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


def deportation_conflicts(deportations: pd.DataFrame, checks: pd.DataFrame,
                          sums: pd.DataFrame | None = None) -> list[dict]:
    """Keys where published figures differ, and totals that disagree with their parts
    (a part may be a year summed from months: ``sums``)."""
    records = provenance.same_key_conflicts(deportations, CONFLICT_KEY, "value", "deportations",
                                            _conflict_label)
    source_of = dict(zip(deportations["figure_id"], deportations["source_id"], strict=True))
    if sums is not None:
        source_of |= dict(zip(sums["sum_id"], sums["source_id"], strict=True))
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


# Two counts of one flow, at either end: the deporting state's series and the receiving
# countries' (listed in conflicts.csv where both have a figure and they differ).
SENDER_RECEIVER = (("mx_minor_returns", "received_minors_from_mexico"),
                   ("mx_returns", "received_from_mexico"))


def sender_receiver_conflicts(tables: pd.DataFrame) -> list[dict]:
    """Where the deporting state's count and the receiving country's count of the same flow,
    year and nationality both have a figure and differ (:data:`SENDER_RECEIVER`)."""
    filled = tables[tables["value"].notna()]
    cells = {(r["series"], r["year"], r["nationality"]): r for r in provenance.records(filled)}
    records = []
    for sender, receiver in SENDER_RECEIVER:
        for (series, year, nat), out in sorted(cells.items()):
            back = cells.get((receiver, year, nat))
            if series != sender or back is None or int(out["value"]) == int(back["value"]):
                continue
            lo, hi = sorted((int(out["value"]), int(back["value"])))
            ids = [*str(out["figure_ids"]).split(";"), *str(back["figure_ids"]).split(";")]
            sources = [*str(out["source_ids"]).split(";"), *str(back["source_ids"]).split(";")]
            records.append({
                "table": "deportations", "kind": "sender_vs_receiver",
                "key": f"{year} {nat}: {out['title']} ({out['unit']}) against "
                       f"{back['title'][0].lower()}{back['title'][1:]} ({back['unit']})",
                "n_figures": 2, "min_value": lo, "max_value": hi,
                "spread_pct": provenance.spread(lo, hi), "figure_ids": ";".join(ids),
                "source_ids": ";".join(dict.fromkeys(sources)),
                "detail": f"{out['series']} {int(out['value']):,} {out['unit']} "
                          f"({out['status']}, {out['source_ids']}); {back['series']} "
                          f"{int(back['value']):,} {back['unit']} ({back['status']}, "
                          f"{back['source_ids']})"})
    return records
