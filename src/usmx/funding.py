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

from usmx import schema
from usmx.rawio import LINE, DataError, Problem, read_raw_csv

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
KIND_ORDER = {"official": 0, "secondary": 1}
CONFIDENCE_ORDER = {"high": 0, "medium": 1, "low": 2}

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


def load_sources(path, label: str) -> pd.DataFrame:
    """Read and validate the sources registry (all columns text)."""
    frame = read_raw_csv(path, schema.SOURCES.columns, label)
    schema.validate_raw(frame, schema.SOURCES, label)
    return frame


def load_funding_raw(path, label: str, source_ids) -> pd.DataFrame:
    """Read and validate raw funding figures against the sources registry."""
    frame = read_raw_csv(path, schema.FUNDING_RAW.columns, label)
    codes = {"source_id": {s: "" for s in source_ids}}
    schema.validate_raw(frame, schema.FUNDING_RAW, label, codes_override=codes)
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
    out = raw.drop(columns=[LINE]).copy()
    for col in ("fy_start", "fy_end", "amount_usd"):
        out[col] = out[col].astype("int64").astype("Int64")
    for col in ("as_of", "component", "note"):
        out[col] = out[col].replace("", pd.NA)
    attribution = sources[["source_id", "attribution_short", "publisher", "document", "kind",
                           "date_published", "url"]].rename(columns={"kind": "source_kind"})
    attribution = attribution.replace({"document": {"": pd.NA}, "date_published": {"": pd.NA}})
    out = out.merge(attribution, on="source_id", how="left", validate="many_to_one")
    out = out.sort_values(["fy_start", "fy_end", "recipient", "program", "account", "stage",
                           "vehicle", "figure_id"], ignore_index=True)
    return out[schema.FUNDING.columns]


# --------------------------------------------------------------------------------------
# Preferred Mérida series
# --------------------------------------------------------------------------------------


def _rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Candidates ordered best first, by rule 3 of PREFERENCE_RULE."""
    keyed = frame.assign(
        _stage=frame["stage"].map(STAGE_ORDER),
        _kind=frame["source_kind"].map(KIND_ORDER),
        _conf=frame["confidence"].map(CONFIDENCE_ORDER),
        _qual=(frame["qualifier"] != "exact").astype(int),
        _date=frame["date_published"].fillna(""),
    )
    keyed = keyed.sort_values(["_date"], ascending=False, kind="stable")
    keyed = keyed.sort_values(["_stage", "_kind", "_conf", "_qual"], kind="stable")
    return keyed.drop(columns=["_stage", "_kind", "_conf", "_qual", "_date"])


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


def _merida_mexico(funding: pd.DataFrame) -> pd.DataFrame:
    return funding[(funding["program"] == "merida") & (funding["recipient"] == "MEX")
                   & (funding["donor"] == "USA")]


def _eligible(frame: pd.DataFrame) -> pd.Series:
    """Rows that may fill a cell of the preferred series (see PREFERENCE_RULE)."""
    return (frame["stage"].isin(list(STAGE_ORDER)) & frame["component"].isna()
            & frame["confidence"].isin(["high", "medium"]))


def _act_best(cands: pd.DataFrame, account: str, vehicle: str) -> tuple[int, pd.Series] | None:
    """Best figure for one act and account, or zero when the act's total is exhausted by
    its other accounts; ``None`` when unknown. Returns (amount, row or empty Series)."""
    own = cands[(cands["account"] == account) & (cands["vehicle"] == vehicle)]
    if not own.empty:
        best = _rank(own).iloc[0]
        return int(best["amount_usd"]), best
    if account == "TOTAL":
        return None
    totals = cands[(cands["account"] == "TOTAL") & (cands["vehicle"] == vehicle)]
    parts = cands[(cands["account"].isin(["ESF", "INCLE", "FMF"]))
                  & (cands["vehicle"] == vehicle)]
    if totals.empty or parts.empty:
        return None
    best_parts = _rank(parts).drop_duplicates("account")
    if int(best_parts["amount_usd"].sum()) == int(_rank(totals).iloc[0]["amount_usd"]):
        return 0, pd.Series(dtype=object)
    return None


def _cell(cands: pd.DataFrame, fy: int, account: str) -> Cell:
    acts = FY_ACTS[fy]
    full_year_vehicles = ["all", *acts] if len(acts) == 1 else ["all"]
    full = cands[(cands["account"] == account) & cands["vehicle"].isin(full_year_vehicles)
                 & ((cands["fy_start"] == cands["fy_end"]) | (cands["amount_usd"] == 0))]
    if not full.empty:
        ranked = _rank(full)
        best = ranked.iloc[0]
        rule = "whole-year figure"
        if best["fy_start"] != best["fy_end"]:
            rule = f"zero published for FY{best['fy_start']}–FY{best['fy_end']}"
        if len(ranked) > 1:
            rule += f"; preferred over {len(ranked) - 1} rival(s) by rule 3"
        return Cell(int(best["amount_usd"]), best["qualifier"], best["stage"],
                    best["confidence"], "published", rule, [best["figure_id"]],
                    [best["source_id"]])
    if len(acts) == 1:
        return Cell(None, None, None, None, "gap",
                    "no appropriation figure read for this year", [], [])
    parts = []
    missing = []
    for act in acts:
        found = _act_best(cands, account, act)
        if found is None:
            missing.append(act)
        else:
            parts.append((act, *found))
    if missing:
        return Cell(None, None, None, None, "gap",
                    f"no figure for the {' and '.join(missing)} act(s) of the year", [], [])
    amount = sum(p[1] for p in parts)
    rows = [p[2] for p in parts if not p[2].empty]
    exact = all(r["qualifier"] == "exact" for r in rows)
    stages = sorted({r["stage"] for r in rows}, key=STAGE_ORDER.get)
    confidence = max((r["confidence"] for r in rows), key=CONFIDENCE_ORDER.get)
    described = " + ".join(
        f"{act} {'0 (act total exhausted by other accounts)' if row.empty else row['figure_id']}"
        for act, _, row in parts)
    return Cell(amount, "exact" if exact else "about", stages[-1], confidence, "derived",
                f"sum over the year's acts: {described}",
                [r["figure_id"] for r in rows], [r["source_id"] for r in rows])


def preferred_merida(funding: pd.DataFrame) -> pd.DataFrame:
    """The ``merida_mexico_by_fy`` table: see :data:`PREFERENCE_RULE`."""
    mm = _merida_mexico(funding)
    single = mm[mm["fy_start"] == mm["fy_end"]]
    ok = _eligible(single)
    eligible, others = single[ok], single[~ok]
    zero_spans = mm[_eligible(mm) & (mm["fy_start"] < mm["fy_end"]) & (mm["amount_usd"] == 0)]
    records = []
    for fy in MERIDA_YEARS:
        spans = zero_spans[(zero_spans["fy_start"] <= fy) & (zero_spans["fy_end"] >= fy)]
        year = pd.concat([eligible[eligible["fy_start"] == fy], spans])
        for account in MERIDA_ACCOUNTS:
            cell = _cell(year, fy, account)
            n = int((year["account"] == account).sum())
            accounts = [account] if account == "TOTAL" else [account, "UNSPECIFIED"]
            other = others[(others["fy_start"] == fy) & others["account"].isin(accounts)]
            other = other.sort_values(["account", "stage", "figure_id"])
            note = "; ".join(_describe(r) for r in other.itertuples())
            records.append({
                "fiscal_year": fy, "account": account, "amount_usd": cell.amount,
                "qualifier": cell.qualifier, "stage": cell.stage,
                "confidence": cell.confidence, "status": cell.status,
                "rule": cell.rule, "n_candidates": n,
                "figure_ids": ";".join(cell.figures) or None,
                "source_ids": ";".join(dict.fromkeys(cell.sources)) or None,
                "note": f"other figures: {note}" if note else None,
            })
    out = pd.DataFrame.from_records(records)
    out["fiscal_year"] = out["fiscal_year"].astype("Int64")
    out["amount_usd"] = out["amount_usd"].astype("Int64")
    out["n_candidates"] = out["n_candidates"].astype("Int64")
    for col in ("qualifier", "stage", "confidence", "figure_ids", "source_ids", "note"):
        out[col] = out[col].astype("str").where(out[col].notna(), pd.NA)
    return out[schema.MERIDA_BY_FY.columns]


def _describe(row) -> str:
    part = f" [{row.component}]" if isinstance(row.component, str) else ""
    return (f"{row.account} {row.stage} {row.amount_usd:,} {row.qualifier}{part} "
            f"({row.vehicle}, {row.confidence}, {row.source_id})")


# --------------------------------------------------------------------------------------
# Cumulative totals against annual figures
# --------------------------------------------------------------------------------------


def rounding_unit(value: int) -> int:
    """The place value of a figure's last significant digit: 2,500,000,000 → 100,000,000."""
    if value == 0:
        return 1
    unit = 1
    while value % (unit * 10) == 0:
        unit *= 10
    return unit


def qualifier_range(value: int, qualifier: str) -> tuple[int | None, int | None]:
    """The values a printed figure and its qualifier allow, given the figure's rounding.

    exact/about: ± half a rounding unit; nearly: up to one unit below; more_than: up to one
    unit above; at_least / at_most: unbounded on the open side (None).
    """
    unit = rounding_unit(value)
    half = unit // 2
    return {
        "exact": (value - half, value + half),
        "about": (value - half, value + half),
        "nearly": (value - unit, value),
        "more_than": (value, value + unit),
        "at_least": (value, None),
        "at_most": (None, value),
    }[qualifier]


def cumulative_checks(funding: pd.DataFrame, preferred: pd.DataFrame) -> pd.DataFrame:
    """Each cumulative Mérida appropriation total for Mexico against its annual parts.

    A cumulative figure whose vehicle is ``regular`` excludes its last year's supplemental:
    that year contributes only its regular act.
    """
    mm = _merida_mexico(funding)
    cums = mm[(mm["fy_end"] > mm["fy_start"]) & (mm["account"] == "TOTAL")
              & (mm["stage"] == "appropriated")]
    totals = preferred[preferred["account"] == "TOTAL"].set_index("fiscal_year")["amount_usd"]
    single = mm[(mm["fy_start"] == mm["fy_end"]) & _eligible(mm)]
    records = []
    for row in cums.itertuples():
        missing, total = [], 0
        for fy in range(int(row.fy_start), int(row.fy_end) + 1):
            if fy == row.fy_end and row.vehicle != "all":
                found = _act_best(single[single["fy_start"] == fy], "TOTAL", row.vehicle)
                value = None if found is None else found[0]
            else:
                value = totals.get(fy, pd.NA)
                value = None if pd.isna(value) else int(value)
            if value is None:
                missing.append(str(fy))
            else:
                total += value
        low, high = qualifier_range(int(row.amount_usd), row.qualifier)
        if missing:
            result, annual = "incomplete", None
        else:
            annual = total
            ok = (low is None or total >= low) and (high is None or total <= high)
            result = "agrees" if ok else "disagrees"
        records.append({
            "figure_id": row.figure_id, "fy_start": row.fy_start, "fy_end": row.fy_end,
            "stated_usd": row.amount_usd, "qualifier": row.qualifier,
            "range_low_usd": low, "range_high_usd": high, "annual_sum_usd": annual,
            "years_missing": " ".join(missing) or None, "result": result,
            "source_id": row.source_id,
        })
    out = pd.DataFrame.from_records(records, columns=schema.FUNDING_CHECKS.columns)
    for f in schema.FUNDING_CHECKS.fields:
        out[f.name] = out[f.name].astype("Int64" if f.type == "integer" else "str")
        if not f.required:
            out[f.name] = out[f.name].where(out[f.name].notna(), pd.NA)
    return out.sort_values(["fy_start", "fy_end", "figure_id"], ignore_index=True)


# --------------------------------------------------------------------------------------
# Conflicts
# --------------------------------------------------------------------------------------

CONFLICT_KEY = ("fy_start", "fy_end", "donor", "recipient", "program", "account", "stage",
                "vehicle", "component", "as_of")


def _spread(lo: int, hi: int) -> str:
    return "inf" if lo == 0 else f"{(hi - lo) / lo * 100:.1f}"


def funding_conflicts(funding: pd.DataFrame, checks: pd.DataFrame) -> pd.DataFrame:
    """Keys where published figures differ, and cumulative totals that disagree."""
    records = []
    keyed = funding.assign(as_of=funding["as_of"].fillna(""),
                           component=funding["component"].fillna(""))
    for key, group in keyed.groupby(list(CONFLICT_KEY), sort=True):
        if group["amount_usd"].nunique() < 2:
            continue
        fy0, fy1, donor, recipient, program, account, stage, vehicle, component, as_of = key
        span = f"FY{fy0}" if fy0 == fy1 else f"FY{fy0}–FY{fy1}"
        label = f"{span} {donor}→{recipient} {program} {account} {stage} ({vehicle} acts)"
        if component:
            label += f" [{component}]"
        if as_of:
            label += f" as of {as_of}"
        group = group.sort_values(["amount_usd", "figure_id"])
        lo, hi = int(group["amount_usd"].min()), int(group["amount_usd"].max())
        records.append({
            "table": "funding", "kind": "same_key", "key": label, "n_figures": len(group),
            "min_value": lo, "max_value": hi, "spread_pct": _spread(lo, hi),
            "figure_ids": ";".join(group["figure_id"]),
            "source_ids": ";".join(dict.fromkeys(group["source_id"])),
            "detail": "; ".join(f"{r.amount_usd:,} {r.qualifier} ({r.source_id})"
                                for r in group.itertuples()),
        })
    for row in checks[checks["result"] == "disagrees"].itertuples():
        lo, hi = sorted((int(row.stated_usd), int(row.annual_sum_usd)))
        records.append({
            "table": "funding", "kind": "cumulative_vs_annual",
            "key": f"FY{row.fy_start}–FY{row.fy_end} Mérida appropriations for Mexico "
                   f"({row.figure_id})",
            "n_figures": 2, "min_value": lo, "max_value": hi, "spread_pct": _spread(lo, hi),
            "figure_ids": row.figure_id, "source_ids": row.source_id,
            "detail": f"stated {int(row.stated_usd):,} {row.qualifier} allows "
                      f"{_fmt(row.range_low_usd)}–{_fmt(row.range_high_usd)}; sum of annual "
                      f"preferred totals {int(row.annual_sum_usd):,}",
        })
    return conflicts_frame(records)


def _fmt(value) -> str:
    return "…" if pd.isna(value) else f"{int(value):,}"


def conflicts_frame(records: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame.from_records(records, columns=schema.CONFLICTS.columns)
    for f in schema.CONFLICTS.fields:
        out[f.name] = out[f.name].astype("Int64" if f.type == "integer" else "str")
    return out.sort_values(["table", "kind", "key"], ignore_index=True)

