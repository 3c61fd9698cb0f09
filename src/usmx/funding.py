"""Funding loader: raw published figures → validated tidy tables.

Tables produced (see ``usmx.schema`` for every column):

- ``funding``: every published figure, normalised, with its source attribution joined;
- ``merida_mexico_by_fy``: one preferred Mérida appropriation figure per fiscal year and
  account, by the rule in :data:`PREFERENCE_RULE`;
- ``funding_checks``: each cumulative Mérida total against the sum of its annual figures;
- conflicts: keys with differing figures, and cumulative totals that disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from usmx import provenance, schema
from usmx.provenance import CONFIDENCE_ORDER, qualifier_range, rounding_unit  # noqa: F401
from usmx.rawio import LINE, DataError, Problem

MERIDA_YEARS = range(2008, 2018)  # FY2008–FY2017
MERIDA_ACCOUNTS = ("ESF", "INCLE", "FMF", "TOTAL")

# The appropriation acts that carried Mérida money for Mexico, by fiscal year. CRS counts the
# FY2009 "bridge" funds of the FY2008 supplemental (P.L. 110-252) in the FY2008 package.
FY_ACTS: dict[int, tuple[str, ...]] = {
    2008: ("supplemental", "bridge"),  # P.L. 110-252, subchapters A and B
    2009: ("regular", "supplemental"),  # P.L. 111-8 (omnibus), P.L. 111-32
    2010: ("regular", "supplemental"),  # P.L. 111-117, P.L. 111-212
    **{fy: ("regular",) for fy in range(2011, 2018)},
}

STAGE_ORDER = {"appropriated": 0, "allocated": 1}

PREFERENCE_RULE = """
One figure per fiscal year (FY2008–FY2017) and account (ESF, INCLE, FMF, TOTAL) of Mérida
Initiative money for Mexico. Candidates are figures for that single fiscal year, program
`merida`, recipient `MEX`, at stage `appropriated` or, where only a spending plan splits an
appropriation by account, `allocated`, with confidence high or medium, covering the whole
program and account (no `component`). Requests, committee marks, obligations, deliveries,
low-confidence figures and partial components never fill a cell; they are listed in its note.

1. A figure for the whole fiscal year (vehicle `all`, or the year's only act) is used if there
   is one: status `published`. A published zero over a span of years (such as "no FMF after
   FY2011") counts as a whole-year figure of zero for each year in the span.
2. Otherwise, when the year had several acts (FY2008: supplemental + bridge; FY2009 and FY2010:
   regular + supplemental), the best figure of each act is added up: status `derived`. An act
   whose published total is fully accounted for by its published account figures contributes
   zero to the other accounts. If any act has no figure, the cell is a gap.
3. Among competing figures for the same act the first of these orderings decides: stage
   appropriated before allocated; official source before secondary; confidence high, medium,
   low; qualifier exact before qualified; the latest source version first; then figure id
   (only to make ties deterministic).
4. A cell with no figure is status `gap` with an empty amount, never zero.

Derived sums are `exact` only when every part is exact, otherwise `about`.
""".strip()


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def load_funding_raw(path, label: str, source_ids) -> pd.DataFrame:
    """Read and validate raw funding figures against the sources registry."""
    frame = provenance.load_raw(path, schema.FUNDING_RAW, label, source_ids)
    problems = [
        Problem(label, int(row[LINE]), "fy_end", row["fy_end"],
                f"is before fy_start {row['fy_start']}")
        for _, row in frame.iterrows()
        if int(row["fy_end"]) < int(row["fy_start"])
    ]
    if problems:
        raise DataError(problems)
    schema.check_unique(frame, schema.FUNDING_NATURAL_KEY, label)
    return frame


def tidy_funding(raw: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Typed, sorted funding figures with source attribution joined."""
    out = provenance.blank_to_na(provenance.drop_line(raw), ("as_of", "component", "note"))
    for col in ("fy_start", "fy_end", "amount_usd"):
        out[col] = out[col].astype("int64").astype("Int64")
    out = provenance.attach_attribution(out, sources)
    out = out.sort_values(["fy_start", "fy_end", "recipient", "program", "account", "stage",
                           "vehicle", "figure_id"], ignore_index=True)
    return out[schema.FUNDING.columns]


# --------------------------------------------------------------------------------------
# Preferred Mérida series
# --------------------------------------------------------------------------------------


def _rank(rows: list[dict]) -> list[dict]:
    """Candidates ordered best first, by rule 3 of PREFERENCE_RULE."""
    return provenance.rank(rows, first=[("stage", STAGE_ORDER)])


@dataclass
class Cell:
    amount: int | None
    qualifier: str | None
    stage: str | None
    confidence: str | None
    status: str
    rule: str
    figures: list[str]
    sources: list[str]


GAP = dict(amount=None, qualifier=None, stage=None, confidence=None, status="gap",
           figures=[], sources=[])


def _merida_mexico(rows: list[dict]) -> list[dict]:
    return [r for r in rows
            if r["program"] == "merida" and r["recipient"] == "MEX" and r["donor"] == "USA"]


def _eligible(r: dict) -> bool:
    """May this figure fill a cell of the preferred series? (see PREFERENCE_RULE)"""
    return (r["stage"] in STAGE_ORDER and r["component"] is None
            and r["confidence"] in provenance.FILLING_CONFIDENCE)


def _act_best(cands: list[dict], account: str, vehicle: str) -> tuple[int, dict | None] | None:
    """Best figure for one act and account, or zero when the act's total is exhausted by
    its other accounts (then the row is None); ``None`` when unknown."""
    in_act = [r for r in cands if r["vehicle"] == vehicle]
    own = [r for r in in_act if r["account"] == account]
    if own:
        best = _rank(own)[0]
        return best["amount_usd"], best
    if account == "TOTAL":
        return None
    totals = [r for r in in_act if r["account"] == "TOTAL"]
    parts = [r for r in in_act if r["account"] in ("ESF", "INCLE", "FMF")]
    if not totals or not parts:
        return None
    best_parts = {}
    for r in _rank(parts):
        best_parts.setdefault(r["account"], r["amount_usd"])
    if sum(best_parts.values()) == _rank(totals)[0]["amount_usd"]:
        return 0, None
    return None


def _cell(cands: list[dict], fy: int, account: str) -> Cell:
    acts = FY_ACTS[fy]
    full_year_vehicles = ("all", *acts) if len(acts) == 1 else ("all",)
    full = [r for r in cands if r["account"] == account and r["vehicle"] in full_year_vehicles
            and (r["fy_start"] == r["fy_end"] or r["amount_usd"] == 0)]
    if full:
        ranked = _rank(full)
        best = ranked[0]
        rule = "whole-year figure"
        if best["fy_start"] != best["fy_end"]:
            rule = f"zero published for FY{best['fy_start']}–FY{best['fy_end']}"
        if len(ranked) > 1:
            rule += f"; preferred over {len(ranked) - 1} rival(s) by rule 3"
        return Cell(best["amount_usd"], best["qualifier"], best["stage"], best["confidence"],
                    "published", rule, [best["figure_id"]], [best["source_id"]])
    if len(acts) == 1:
        return Cell(**GAP, rule="no appropriation figure read for this year")
    parts, missing = [], []
    for act in acts:
        found = _act_best(cands, account, act)
        if found is None:
            missing.append(act)
        else:
            parts.append((act, *found))
    if missing:
        return Cell(**GAP, rule=f"no figure for the {' and '.join(missing)} act(s) of the year")
    rows = [row for _, _, row in parts if row is not None]
    stages = sorted({r["stage"] for r in rows}, key=STAGE_ORDER.get)
    described = " + ".join(
        f"{act} {'0 (act total exhausted by other accounts)' if row is None else row['figure_id']}"
        for act, _, row in parts)
    return Cell(sum(amount for _, amount, _ in parts),
                "exact" if all(r["qualifier"] == "exact" for r in rows) else "about",
                stages[-1], max((r["confidence"] for r in rows), key=CONFIDENCE_ORDER.get),
                "derived", f"sum over the year's acts: {described}",
                [r["figure_id"] for r in rows], [r["source_id"] for r in rows])


def preferred_merida(funding: pd.DataFrame) -> pd.DataFrame:
    """The ``merida_mexico_by_fy`` table: see :data:`PREFERENCE_RULE`."""
    mm = _merida_mexico(provenance.records(funding))
    single = [r for r in mm if r["fy_start"] == r["fy_end"]]
    zero_spans = [r for r in mm if _eligible(r) and r["fy_start"] < r["fy_end"]
                  and r["amount_usd"] == 0]
    out = []
    for fy in MERIDA_YEARS:
        year = [r for r in single if r["fy_start"] == fy]
        cands = [r for r in year if _eligible(r)]
        cands += [r for r in zero_spans if r["fy_start"] <= fy <= r["fy_end"]]
        others = sorted((r for r in year if not _eligible(r)),
                        key=lambda r: (r["account"], r["stage"], r["figure_id"]))
        for account in MERIDA_ACCOUNTS:
            cell = _cell(cands, fy, account)
            accounts = (account,) if account == "TOTAL" else (account, "UNSPECIFIED")
            note = "; ".join(_describe(r) for r in others if r["account"] in accounts)
            out.append({
                "fiscal_year": fy, "account": account, "amount_usd": cell.amount,
                "qualifier": cell.qualifier, "stage": cell.stage,
                "confidence": cell.confidence, "status": cell.status, "rule": cell.rule,
                "n_candidates": sum(r["account"] == account for r in cands),
                "figure_ids": ";".join(cell.figures) or None,
                "source_ids": ";".join(dict.fromkeys(cell.sources)) or None,
                "note": f"other figures: {note}" if note else None,
            })
    return provenance.typed_frame(out, schema.MERIDA_BY_FY)


def _describe(r: dict) -> str:
    part = f" [{r['component']}]" if r["component"] else ""
    return (f"{r['account']} {r['stage']} {r['amount_usd']:,} {r['qualifier']}{part} "
            f"({r['vehicle']}, {r['confidence']}, {r['source_id']})")


CONSTANT_BASE_FY = 2017


def fy_index(prices: pd.DataFrame) -> dict[int, float]:
    """A fiscal-year price index from calendar-year averages: FY N runs October N-1 to
    September N, so it is weighted a quarter on year N-1 and three quarters on year N."""
    cy = {int(r.year): float(r.value) for r in prices.itertuples()}
    return {y: 0.25 * cy[y - 1] + 0.75 * cy[y] for y in cy if y - 1 in cy}


def with_constant_dollars(merida: pd.DataFrame, prices: pd.DataFrame,
                          base: int = CONSTANT_BASE_FY) -> pd.DataFrame:
    """Add amount_usd_constant (FY``base`` dollars) and price_base to the preferred table."""
    index = fy_index(prices)
    out = merida.copy()
    label = None
    if base in index:
        bases = sorted(set(prices["base"]))
        label = (f"FY{base} US dollars; CPI-U ({', '.join(bases)}) averaged over each fiscal "
                 f"year as 1/4 of the previous and 3/4 of the current calendar year")
    values = []
    for r in out.itertuples():
        ok = label and pd.notna(r.amount_usd) and int(r.fiscal_year) in index
        values.append(round(int(r.amount_usd) * index[base] / index[int(r.fiscal_year)])
                      if ok else None)
    out["amount_usd_constant"] = pd.array(values, dtype="Int64")
    out["price_base"] = pd.array([label if v is not None else None for v in values],
                                 dtype="str")
    return out[schema.MERIDA_BY_FY.columns]


# --------------------------------------------------------------------------------------
# Cumulative totals against annual figures
# --------------------------------------------------------------------------------------


def cumulative_checks(funding: pd.DataFrame, preferred: pd.DataFrame) -> pd.DataFrame:
    """Each cumulative Mérida appropriation total for Mexico against its annual parts.

    A cumulative figure whose vehicle is ``regular`` excludes its last year's supplemental:
    that year contributes only its regular act.
    """
    mm = _merida_mexico(provenance.records(funding))
    cums = [r for r in mm if r["fy_end"] > r["fy_start"] and r["account"] == "TOTAL"
            and r["stage"] == "appropriated"]
    totals = {r["fiscal_year"]: r["amount_usd"] for r in provenance.records(preferred)
              if r["account"] == "TOTAL"}
    single = [r for r in mm if r["fy_start"] == r["fy_end"] and _eligible(r)]
    out = []
    for row in sorted(cums, key=lambda r: (r["fy_start"], r["fy_end"], r["figure_id"])):
        missing, total = [], 0
        for fy in range(row["fy_start"], row["fy_end"] + 1):
            if fy == row["fy_end"] and row["vehicle"] != "all":
                found = _act_best([r for r in single if r["fy_start"] == fy], "TOTAL",
                                  row["vehicle"])
                value = None if found is None else found[0]
            else:
                value = totals.get(fy)
            if value is None:
                missing.append(str(fy))
            else:
                total += value
        low, high = qualifier_range(row["amount_usd"], row["qualifier"])
        if missing:
            result, annual = "incomplete", None
        else:
            annual = total
            ok = (low is None or total >= low) and (high is None or total <= high)
            result = "agrees" if ok else "disagrees"
        out.append({
            "figure_id": row["figure_id"], "fy_start": row["fy_start"], "fy_end": row["fy_end"],
            "stated_usd": row["amount_usd"], "qualifier": row["qualifier"],
            "range_low_usd": low, "range_high_usd": high, "annual_sum_usd": annual,
            "years_missing": " ".join(missing) or None, "result": result,
            "source_id": row["source_id"],
        })
    return provenance.typed_frame(out, schema.FUNDING_CHECKS)


# --------------------------------------------------------------------------------------
# Conflicts
# --------------------------------------------------------------------------------------

CONFLICT_KEY = ("fy_start", "fy_end", "donor", "recipient", "program", "account", "stage",
                "vehicle", "component", "as_of")


def _conflict_label(k: dict) -> str:
    span = f"FY{k['fy_start']}" if k["fy_start"] == k["fy_end"] else \
        f"FY{k['fy_start']}–FY{k['fy_end']}"
    label = (f"{span} {k['donor']}→{k['recipient']} {k['program']} {k['account']} "
             f"{k['stage']} ({k['vehicle']} acts)")
    if k["component"]:
        label += f" [{k['component']}]"
    if k["as_of"]:
        label += f" as of {k['as_of']}"
    return label


def funding_conflicts(funding: pd.DataFrame, checks: pd.DataFrame) -> list[dict]:
    """Keys where published figures differ, and cumulative totals that disagree."""
    records = provenance.same_key_conflicts(funding, CONFLICT_KEY, "amount_usd", "funding",
                                            _conflict_label)
    for row in checks[checks["result"] == "disagrees"].itertuples():
        lo, hi = sorted((int(row.stated_usd), int(row.annual_sum_usd)))
        records.append({
            "table": "funding", "kind": "cumulative_vs_annual",
            "key": f"FY{row.fy_start}–FY{row.fy_end} Mérida appropriations for Mexico "
                   f"({row.figure_id})",
            "n_figures": 2, "min_value": lo, "max_value": hi,
            "spread_pct": provenance.spread(lo, hi),
            "figure_ids": row.figure_id, "source_ids": row.source_id,
            "detail": f"stated {int(row.stated_usd):,} {row.qualifier} allows "
                      f"{_fmt(row.range_low_usd)}–{_fmt(row.range_high_usd)}; sum of annual "
                      f"preferred totals {int(row.annual_sum_usd):,}",
        })
    return records


def _fmt(value) -> str:
    return "…" if pd.isna(value) else f"{int(value):,}"
