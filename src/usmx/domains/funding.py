"""Funding, the domain: reading the raw funding tables and making the processed ones.

The line with ``funding_series``: this module reads and validates the raw figures (funding.csv
and the newest ForeignAssistance.gov and CPI snapshots), joins their sources, adds constant
dollars, checks cumulative totals, lists conflicts and unused figures, and declares the
build steps; ``funding_series`` declares the series and the written rules that choose which
figure each cell holds. Choosing a figure belongs there; reading, converting, checking and
listing belong here.

Tables produced (see ``usmx.schema`` for every column):

- ``funding``: every published figure, normalised, with its source attribution joined;
- ``merida_mexico_by_fy``: one preferred Mérida appropriation figure per fiscal year and
  account, by ``funding_series.PREFERENCE_RULE``;
- ``funding_series_by_fy``: every series declared in ``funding_series.SERIES``, one
  preferred figure per fiscal year, recipient, account and stage, by
  ``funding_series.SERIES_RULE``;
- ``mexico_funding_by_fy``: for the charts, the best available figure per fiscal year and
  Mérida account, by ``funding_series.BEST_RULE``, naming the series, scope and stage it
  comes from;
- ``funding_checks``: each cumulative Mérida total against the sum of its annual figures;
- conflicts: keys with differing figures, and cumulative totals that disagree.
"""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.domains.funding_series import (
    BEST_ACCOUNTS,
    SERIES,
    act_best,
    best_by_account,
    eligible,
    merida_mexico_rows,
    preferred_merida,
    preferred_series,
)
from usmx.engine import preference, provenance, snapshots
from usmx.engine.pipeline import CONFLICT_RECORDS, Context, Step
from usmx.engine.provenance import qualifier_range
from usmx.rawio import LINE, DataError, Problem

# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def load_funding_raw(path, label: str, source_ids,
                     table: schema.Table = schema.FUNDING_RAW, frame=None) -> pd.DataFrame:
    """Read and validate raw funding figures against the sources registry (``frame``: the
    file already read and validated against the schema)."""
    if frame is None:
        frame = provenance.load_raw(path, table, label, source_ids)
    problems = [
        Problem(label, int(line), "fy_end", end, f"is before fy_start {start}")
        for line, start, end in zip(frame[LINE], frame["fy_start"], frame["fy_end"],
                                    strict=True)
        if int(end) < int(start)
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


CONSTANT_BASE_FY = 2017


def fy_index(prices: pd.DataFrame) -> dict[int, float]:
    """A fiscal-year price index from calendar-year averages: FY N runs October N-1 to
    September N, so it is weighted a quarter on year N-1 and three quarters on year N."""
    cy = {int(r.year): float(r.value) for r in prices.itertuples()}
    return {y: 0.25 * cy[y - 1] + 0.75 * cy[y] for y in cy if y - 1 in cy}


def with_constant_dollars(frame: pd.DataFrame, prices: pd.DataFrame,
                          table: schema.Table = schema.MERIDA_BY_FY,
                          base: int = CONSTANT_BASE_FY) -> pd.DataFrame:
    """Add amount_usd_constant (FY``base`` dollars) and price_base to a table with
    fiscal_year and amount_usd."""
    index = fy_index(prices)
    out = frame.copy()
    label = None
    if base in index:
        bases = sorted(set(prices["base"]))
        label = (f"FY{base} US dollars; CPI-U ({', '.join(bases)}) averaged over each fiscal "
                 f"year as 1/4 of the previous and 3/4 of the current calendar year")
    values = []
    for row in out.itertuples():
        ok = label and pd.notna(row.amount_usd) and int(row.fiscal_year) in index
        values.append(round(int(row.amount_usd) * index[base] / index[int(row.fiscal_year)])
                      if ok else None)
    out["amount_usd_constant"] = pd.array(values, dtype="Int64")
    out["price_base"] = pd.array([label if v is not None else None for v in values],
                                 dtype="str")
    return out[table.columns]


# --------------------------------------------------------------------------------------
# Cumulative totals against annual figures
# --------------------------------------------------------------------------------------


def _best_year(best: list[dict], fy: int) -> tuple[int, str] | None:
    """The sum of a year's INCLE, ESF and FMF figures in mexico_funding_by_fy, when all
    three have one, with a description of what each is."""
    rows = [r for r in best if r["fiscal_year"] == fy]
    if len(rows) != len(BEST_ACCOUNTS) or any(r["amount_usd"] is None for r in rows):
        return None
    what = " + ".join(f"{r['account']} {r['stage']}"
                      + (" (Mérida)" if r["scope"] == "merida" else " (whole account)")
                      for r in rows)
    return sum(r["amount_usd"] for r in rows), what


def cumulative_checks(funding: pd.DataFrame, preferred: pd.DataFrame,
                      best: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each cumulative Mérida appropriation total for Mexico against its annual parts, on
    each basis of ``schema.CHECK_BASES``.

    A cumulative figure whose vehicle is ``regular`` excludes its last year's supplemental:
    that year contributes only its regular act.
    """
    mm = merida_mexico_rows(provenance.records(funding))
    cums = [r for r in mm if r["fy_end"] > r["fy_start"] and r["account"] == "TOTAL"
            and r["stage"] == "appropriated"]
    totals = {r["fiscal_year"]: r for r in provenance.records(preferred)
              if r["account"] == "TOTAL" and r["amount_usd"] is not None}
    best_rows = [] if best is None else provenance.records(best)
    single = [r for r in mm if r["fy_start"] == r["fy_end"] and eligible(r)]
    bases = ("merida_totals",) if best is None else ("merida_totals", "best_available")
    out = []
    for row in sorted(cums, key=lambda r: (r["fy_start"], r["fy_end"], r["figure_id"])):
        low, high = qualifier_range(row["amount_usd"], row["qualifier"])
        for basis in bases:
            missing, total, detail = [], 0, []
            for fy in range(row["fy_start"], row["fy_end"] + 1):
                found: tuple[int, str] | None = None
                if fy == row["fy_end"] and row["vehicle"] != "all":
                    act = act_best([r for r in single if r["fy_start"] == fy], "TOTAL",
                                    row["vehicle"])
                    if act is not None:
                        found = (act[0], f"Mérida {row['vehicle']} act")
                elif fy in totals:
                    found = (totals[fy]["amount_usd"], f"Mérida total, {totals[fy]['status']}")
                if found is None and basis == "best_available":
                    found = _best_year(best_rows, fy)
                if found is None:
                    missing.append(str(fy))
                    continue
                total += found[0]
                detail.append(f"FY{fy} {found[0]:,} ({found[1]})")
            if missing:
                result, annual = "incomplete", None
            else:
                annual = total
                ok = (low is None or total >= low) and (high is None or total <= high)
                result = "agrees" if ok else "disagrees"
            out.append({
                "figure_id": row["figure_id"], "basis": basis, "fy_start": row["fy_start"],
                "fy_end": row["fy_end"], "stated_usd": row["amount_usd"],
                "qualifier": row["qualifier"], "range_low_usd": low, "range_high_usd": high,
                "annual_sum_usd": annual, "years_missing": " ".join(missing) or None,
                "years_detail": "; ".join(detail) or None, "result": result,
                "source_id": row["source_id"],
            })
    return provenance.typed_frame(out, schema.FUNDING_CHECKS)


# --------------------------------------------------------------------------------------
# Conflicts
# --------------------------------------------------------------------------------------

CONFLICT_KEY = ("fy_start", "fy_end", "donor", "recipient", "program", "account", "stage",
                "vehicle", "component", "as_of")


def _conflict_label(key: dict) -> str:
    span = f"FY{key['fy_start']}" if key["fy_start"] == key["fy_end"] else \
        f"FY{key['fy_start']}–FY{key['fy_end']}"
    label = (f"{span} {key['donor']}→{key['recipient']} {key['program']} {key['account']} "
             f"{key['stage']} ({key['vehicle']} acts)")
    if key["component"]:
        label += f" [{key['component']}]"
    if key["as_of"]:
        label += f" as of {key['as_of']}"
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
                   f"({row.figure_id}, against {row.basis.replace('_', ' ')})",
            "n_figures": 2, "min_value": lo, "max_value": hi,
            "spread_pct": provenance.spread(lo, hi),
            "figure_ids": row.figure_id, "source_ids": row.source_id,
            "detail": f"stated {int(row.stated_usd):,} {row.qualifier} allows "
                      f"{_fmt(row.range_low_usd)}–{_fmt(row.range_high_usd)}; sum of the "
                      f"annual figures {int(row.annual_sum_usd):,}: {row.years_detail}",
        })
    return records


def why_unused(figure: dict, context) -> str:
    """Why a funding figure fills, competes for and is noted in no cell, check or claim
    (``context``: the build's, for the countries a series of the studied countries counts)."""
    what = f"{figure['program']} {figure['account']} {figure['stage']} for {figure['recipient']}"
    if figure["fy_start"] != figure["fy_end"]:
        return (f"covers FY{figure['fy_start']}-FY{figure['fy_end']}: no annual series takes a "
                f"several-year figure, and no check uses this one ({what})")
    if not any(s.covers(figure, s.recipients_of(context["countries"])) for s in SERIES):
        return f"no series counts {what}"
    if figure["component"] is not None:
        return f"covers a part ({figure['component']}), not the whole account"
    return f"not used by any series, check or claim ({what})"


# Measures that two datasets label differently but that are the same thing: the budget
# justification's country total request and ForeignAssistance.gov's "President's Budget
# Requests" both state the President's request for State and USAID foreign assistance.
COMPARABLE = (
    (("state_foreign_assistance", "TOTAL", "requested"), ("all_us_assistance", "TOTAL",
                                                         "requested"),
     "the President's request for State and USAID foreign assistance"),
)


def cross_dataset_conflicts(funding: pd.DataFrame) -> list[dict]:
    """Years where two datasets' figures for the same measure (:data:`COMPARABLE`) differ."""
    fills = funding["confidence"].isin(preference.FILLING_CONFIDENCE)
    single = funding[(funding["fy_start"] == funding["fy_end"]) & funding["component"].isna()
                     & fills]
    out = []
    for first, second, what in COMPARABLE:
        sides = []
        for program, account, stage in (first, second):
            sides.append(single[(single["program"] == program) & (single["account"] == account)
                                & (single["stage"] == stage)])
        both = set(zip(sides[0]["fy_start"], sides[0]["recipient"], strict=True)) & set(
            zip(sides[1]["fy_start"], sides[1]["recipient"], strict=True))
        pair = pd.concat(sides, ignore_index=True)
        pair = pair[[k in both for k in zip(pair["fy_start"], pair["recipient"], strict=True)]]
        out += provenance.same_key_conflicts(
            pair, ("fy_start", "recipient"), "amount_usd", "funding",
            lambda key, first=first, second=second, what=what: (
                f"FY{key['fy_start']} USA→{key['recipient']} {what} "
                f"({first[0]} against {second[0]})"),
            kind="cross_dataset")
    return out


def _fmt(value) -> str:
    return "…" if pd.isna(value) else f"{int(value):,}"


# --------------------------------------------------------------------------------------
# The domain's build steps
# --------------------------------------------------------------------------------------


def _load(ctx: Context) -> dict:
    paths = ctx.paths
    files = [(paths.rel(paths.funding_raw), paths.funding_raw)]
    assistance = snapshots.latest(paths, "foreign_assistance")
    if assistance is not None:  # the snapshot has funding.csv's columns: one validation
        files.append((paths.rel(assistance), assistance))
    read = provenance.load_raw_many(files, schema.FUNDING_RAW, ctx.source_ids)
    raw = [(label, load_funding_raw(path, label, ctx.source_ids, frame=frame))
           for (label, path), frame in zip(files, read, strict=True)]
    fund = tidy_funding(provenance.combine(raw, "funding"), ctx["sources_raw"])
    return {"funding": fund, "prices": snapshots.load_latest(
        paths, "us_cpi", schema.PRICES_RAW, ctx.source_ids)}


def _prefer(ctx: Context) -> dict:
    fund, prices = ctx["funding"], ctx["prices"]
    merida = with_constant_dollars(preferred_merida(fund), prices)
    series = with_constant_dollars(preferred_series(fund, merida, ctx["countries"]), prices,
                                   schema.FUNDING_SERIES)
    best = best_by_account(series, ctx["sources_raw"])
    checks = cumulative_checks(fund, merida, best)
    return {"merida_mexico_by_fy": merida, "funding_series_by_fy": series,
            "mexico_funding_by_fy": best, "funding_checks": checks,
            CONFLICT_RECORDS: funding_conflicts(fund, checks) + cross_dataset_conflicts(fund)}


STEPS = (
    Step("funding", "read the funding figures (and the newest ForeignAssistance.gov and "
         "CPI snapshots), check them against the registry, join each source's attribution",
         _load, reads=(schema.FUNDING_RAW, schema.FUNDING_SNAPSHOT, schema.PRICES_RAW),
         needs=("sources_raw",), makes=("funding", "prices"), cites=("funding", "prices"),
         figures=("funding", why_unused)),
    Step("funding series", "choose one figure per fiscal year and account for each "
         "declared series, in current and constant dollars; check cumulative totals against "
         "the annual figures; list disagreements",
         _prefer, needs=("funding", "prices", "sources_raw", "countries"),
         makes=("merida_mexico_by_fy", "funding_series_by_fy", "mexico_funding_by_fy",
                "funding_checks")),
)
