"""The article's claims against the record.

Each claim in data/raw/claims.csv has an evaluator that reads the processed tables, finds
the figures that bear on it, combines them in a stated way, and returns a verdict from a
fixed scale (``schema.VERDICTS``) with a reason. No number in a verdict is typed here: every
figure comes from the tables, so changing a figure in data/raw changes the verdict where it
should.

The claims themselves are read from data/raw by ``usmx.domains.claims`` (a domain reads raw
tables; the analysis reads what the build made). The verdict step here judges them, and
refuses, by file and line, a claim that no evaluator judges: the one check that needs both
the raw claims and this module's evaluators, made here because neither stage may import
the other.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from usmx import schema
from usmx.analysis.evidence import (
    WELL_OVER,
    Evidence,
    compare,
    figure_and_source_ids,
    money_text,
    qualifier_text,
    series_sum,
    where,
)
from usmx.analysis.processed import ProcessedTables
from usmx.analysis.verdict_history import what_changed
from usmx.engine import preference, provenance
from usmx.engine.pipeline import Context, Step
from usmx.rawio import LINE, DataError, Problem

MATCHABLE_PROGRAMS = ("merida", "merida_southern_border", "dod_counternarcotics",
                      "bilateral_other")  # money a 'weapons and equipment' figure could be


# --------------------------------------------------------------------------------------
# evaluators, one per claim
# --------------------------------------------------------------------------------------


def merida_112m(record: ProcessedTables, claim: pd.Series) -> Evidence:
    funding = record["funding"]
    mex = funding[(funding["recipient"] == "MEX") & funding["program"].isin(MATCHABLE_PROGRAMS)]
    target = float(claim["value"])
    lo, hi = int(claim["period_start"]), int(claim["period_end"])
    overlapping = mex[(mex["fy_end"] >= lo) & (mex["fy_start"] <= hi)]
    match = overlapping[(overlapping["amount_usd"] - target).abs() <= 0.02 * target]
    nearest = mex.assign(diff=(mex["amount_usd"] - target).abs()).sort_values(
        ["diff", "figure_id"]).head(1)
    if not match.empty:
        best = match.iloc[0]
        ids, srcs = figure_and_source_ids(match)
        return Evidence(
            "supported", f"{best['stage']} {best['program']} ({best['account']})",
            "a funding figure within 2 % of the article's, over the same years",
            f"The record has {money_text(best['amount_usd'])} ({best['stage']}) for "
            f"FY{best['fy_start']}-FY{best['fy_end']}.", int(best["amount_usd"]),
            money_text(best["amount_usd"]), ids, srcs)
    nearest_row = nearest.iloc[0]
    ids, srcs = [nearest_row["figure_id"]], [nearest_row["source_id"]]
    scale = []
    for series, stage, verb in (("state_allocations", "allocated", "allocated"),
                                ("greenbook_obligations", "obligated", "obligated")):
        fmf = series_sum(record, series, "MEX", "FMF", stage, lo, hi)
        if fmf.figure_ids and not fmf.missing:
            scale.append(f"{money_text(fmf.total)} {verb} ({fmf.attribution})")
            ids += fmf.figure_ids
            srcs += fmf.source_ids
    context = (f" For scale, Foreign Military Financing (FMF) to Mexico, Mérida or not, "
               f"over FY{lo}-FY{hi}: " + "; ".join(scale) + "." if scale else "")
    return Evidence(
        "not_traceable", "no figure of that size or span",
        f"searched {len(mex)} Mérida, southern-border, Defense and bilateral funding figures "
        f"for Mexico for one within 2 % of {money_text(target)} covering any of FY{lo}-FY{hi}",
        f"No published figure of about {money_text(target)} for {lo}-{hi}, for weapons, "
        f"equipment or anything else, is in the record. The nearest in size is "
        f"{money_text(nearest_row['amount_usd'])} ({nearest_row['stage']}, "
        f"{nearest_row['program']} {nearest_row['account']}, FY{nearest_row['fy_start']}"
        + (f"-FY{nearest_row['fy_end']}" if nearest_row["fy_end"] != nearest_row["fy_start"]
           else "")
        + f", {nearest_row['attribution_short']}), which is a different year and measure."
        + context,
        None, None, ids, list(dict.fromkeys(srcs)))


def inl_86m(record: ProcessedTables, claim: pd.Series) -> Evidence:
    funding = record["funding"]
    sb = funding[(funding["program"] == "merida_southern_border") & (funding["recipient"] == "MEX")]
    pledged = sb[sb["stage"] == "pledged"]
    delivered = sb[sb["stage"] == "delivered"]
    if pledged.empty:
        return Evidence("not_traceable", "no pledge in the record", "none",
                        "No INL southern-border pledge is in the record.")
    ranked = preference.rank(provenance.records(pledged))
    best = ranked[0]
    base = compare(float(claim["value"]), claim["comparator"], float(best["amount_usd"]))
    verdict = "supported_with_caveats" if base == "supported" else base
    ids, srcs = figure_and_source_ids(pd.concat([pledged, delivered]))
    given = "; ".join(f"{qualifier_text(r.qualifier)}{money_text(r.amount_usd)} delivered by "
                      f"{r.as_of} ({r.attribution_short})" for r in delivered.sort_values(
                          ["as_of", "figure_id"]).itertuples())
    return Evidence(
        verdict, "pledged (planned) INL support for Mexico's southern border",
        "the best-ranked pledge figure, beside the amounts delivered",
        f"The State Department's own brief estimated a total of "
        f"{qualifier_text(best['qualifier'])}{money_text(best['amount_usd'])} "
        f"({best['attribution_short']}), which the article's 'over $86 million' matches. "
        f"It is an estimate of planned support, not money spent: {given}. The February 2016 "
        f"CRS passage the article cites could not itself be read.",
        int(best["amount_usd"]),
        f"{qualifier_text(best['qualifier'])}{money_text(best['amount_usd'])}", ids, srcs)


def total_3b(record: ProcessedTables, claim: pd.Series) -> Evidence:
    funding = record["funding"]
    cums = where(funding, program="merida", recipient="MEX", account="TOTAL",
                  stage="appropriated", fy_start=2008, vehicle="all")
    cums = cums[(cums["fy_end"] > cums["fy_start"])
                & cums["confidence"].isin(preference.FILLING_CONFIDENCE)]
    within = cums[cums["fy_end"] <= int(claim["period_end"])]
    latest = within[within["fy_end"] == within["fy_end"].max()]
    best = preference.rank(provenance.records(latest))[0]
    merida = record["merida_mexico_by_fy"]
    fy2008 = merida[(merida["fiscal_year"] == 2008) & (merida["account"] == "TOTAL")].iloc[0]
    fmf = merida[(merida["account"] == "FMF") & merida["amount_usd"].notna()]
    fmf_zero = fmf[fmf["amount_usd"] == 0]["fiscal_year"]
    obama = int(best["amount_usd"]) - int(fy2008["amount_usd"])
    later = cums[cums["amount_usd"] >= int(claim["value"])].sort_values(["date_published",
                                                                      "figure_id"])
    first3 = later.iloc[0] if not later.empty else None
    verdict = compare(float(claim["value"]), "about", float(obama))
    if verdict == "supported" and best["qualifier"] in ("nearly", "at_most"):
        verdict = "supported_with_caveats"
    ids = [best["figure_id"], *fy2008["figure_ids"].split(";")]
    srcs = [best["source_id"], *fy2008["source_ids"].split(";")]
    reason = (f"The record's latest total within the article's years is "
              f"{qualifier_text(best['qualifier'])}{money_text(best['amount_usd'])} for "
              f"FY{best['fy_start']}-FY{best['fy_end']} ({best['attribution_short']}), and "
              f"it includes the {money_text(fy2008['amount_usd'])} FY2008 package enacted under "
              f"President Bush. The Obama-era part is about {money_text(obama)}, for every "
              f"purpose, not only arms" + (
                  f"; the table shows no Mérida military financing (FMF) from "
                  f"FY{int(fmf_zero.min())}." if not fmf_zero.empty else "."))
    if first3 is not None:
        ids.append(first3["figure_id"])
        srcs.append(first3["source_id"])
        reason += (f" Mérida reaches {money_text(first3['amount_usd'])} only in "
                   f"{first3['attribution_short']}, covering FY{first3['fy_start']}-"
                   f"FY{first3['fy_end']}.")
    lo, hi = int(claim["period_start"]), int(claim["period_end"])
    stages, reach = [], []
    for stage in ("planned", "obligated", "disbursed"):
        all_aid = series_sum(record, "foreign_assistance_totals", "MEX", "TOTAL", stage, lo, hi)
        if all_aid.figure_ids and not all_aid.missing:
            stages.append(f"{money_text(all_aid.total)} {stage}")
            if all_aid.total >= float(claim["value"]):
                reach.append(stage)
            ids += all_aid.figure_ids
            srcs += all_aid.source_ids
            source = all_aid.attribution
    if stages:
        reason += (f" All US assistance to Mexico, from every agency and for every purpose "
                   f"(health, development and the rest as well as security), over "
                   f"FY{lo}-FY{hi}: {', '.join(stages)} ({source}); "
                   + (f"only the amount {' and '.join(reach)}, counting every purpose, "
                      f"reaches {money_text(float(claim['value']))}." if reach else
                      f"none reaches {money_text(float(claim['value']))}."))
    return Evidence(verdict, "Mérida appropriations for Mexico (all purposes)",
                    "latest cumulative total within the period, minus the FY2008 package",
                    reason, obama, f"about {money_text(obama)}", ids, list(dict.fromkeys(srcs)))


def children_40k(record: ProcessedTables, claim: pd.Series) -> Evidence:
    deportations = record["deportations"]
    mpi = where(deportations, reporter="MPI", measure="removals_and_returns",
                 age_group="minor", nationality="NTCA", deporting_state="MEX_USA")
    if mpi.empty:
        return Evidence("not_traceable", "no compiled count of children deported", "none",
                        "No count of children deported by both countries is in the record.")
    best = preference.rank(provenance.records(mpi))[0]
    verdict = compare(float(claim["value"]), "over", float(best["value"]))
    end_year = int(best["period_end"][:4])
    caveats = []
    later_ids: list[str] = []
    later_srcs: list[str] = []
    if end_year < int(claim["period_end"]):
        # the years after MPI's count, up to the article's: Mexico's own count, if whole
        after = where(record["child_deportations_by_year"], series="mx_minor_returns",
                      nationality="NTCA")
        after = after[after["year"].between(end_year + 1, int(claim["period_end"]))]
        if len(after) == int(claim["period_end"]) - end_year and after["value"].notna().all():
            first, last = end_year + 1, int(claim["period_end"])
            caveats.append(
                f"MPI's count covers {best['period_start'][:4]}-{end_year}; for "
                f"{first}-{last} Mexico's own count adds {int(after['value'].sum()):,} returns "
                f"of Guatemalan, Honduran and Salvadoran minors (events), so the claim holds "
                f"for the years up to the article")
            later_ids = [i for v in after["figure_ids"].dropna() for i in v.split(";")]
            later_srcs = [i for v in after["source_ids"].dropna() for i in v.split(";")]
        else:
            caveats.append(f"the count covers {best['period_start'][:4]}-{end_year}, not the "
                           f"years up to the article")
    # Who did the deporting: Mexico's own count against ICE's, over the same years.
    children = record["child_deportations_by_year"]
    mx = where(children, series="mx_minor_returns", nationality="ALL")
    mx = mx[mx["value"].notna() & mx["year"].between(int(best["period_start"][:4]), end_year)]
    us = where(deportations, reporter="ICE", measure="removals", age_group="minor",
                accompaniment="unaccompanied", period_start="2011-10")
    us = us[us["nationality"].isin(schema.AGGREGATE_PARTS["NTCA"]) & (us["months"] > 12)]
    mx_sum, us_sum = int(mx["value"].sum()), int(us["value"].sum())
    if mx_sum and us_sum:
        caveats.append(
            f"most were Mexico's: Mexico counted {mx_sum:,} returns of minors in "
            f"{int(mx['year'].min())}-{int(mx['year'].max())} (all nationalities, events), "
            f"while ICE removed {us_sum:,} unaccompanied Guatemalan, Honduran and Salvadoran "
            f"children from October 2011 to {us['period_end'].iloc[0]}")
    if verdict == "supported" and caveats:
        verdict = "supported_with_caveats"
    ids = [best["figure_id"], *mx["figure_ids"], *us["figure_id"], *later_ids]
    srcs = [best["source_id"], *mx["source_ids"], *us["source_id"], *later_srcs]
    return Evidence(
        verdict, "children deported by the US and Mexico to the three countries (MPI)",
        "MPI's compiled total, beside Mexico's and ICE's own counts",
        f"MPI counted {qualifier_text(best['qualifier'])}{int(best['value']):,} children deported "
        f"({best['attribution_short']}); " + "; ".join(caveats) + ".",
        int(best["value"]), f"{qualifier_text(best['qualifier'])}{int(best['value']):,}",
        ids, list(dict.fromkeys(srcs)))


def mexico_overtakes_2015(record: ProcessedTables, claim: pd.Series) -> Evidence:
    from usmx.analysis.compare import comparisons, versus_frame

    frame = versus_frame(record)
    cmp = comparisons(frame[frame["value"].notna()])
    deport = cmp["Children returned or removed"]
    appr = cmp["Children apprehended"]
    year = int(claim["period_start"])
    used = frame[frame["value"].notna() & frame["year"].isin(
        [*deport["years"][:1], year])]
    ids = [i for v in used["figure_ids"].dropna() for i in v.split(";")]
    srcs = [i for v in used["source_ids"].dropna() for i in v.split(";")]
    if deport["overtakes"] == year:
        verdict = "supported"
        reason = f"Mexico's count of children returned first exceeds the US's in {year}."
    elif deport["mexico_higher"] and deport["mexico_higher"][0] < year:
        verdict = "contradicted"
        first = deport["mexico_higher"][0]
        reason = (f"Mexico already returned more children than the US removed in {first}, "
                  f"the first year both counts exist (years compared: "
                  f"{', '.join(map(str, deport['years']))}).")
    else:
        verdict = "not_traceable"
        reason = "The record has no year with both countries' counts of children deported."
    if appr["overtakes"] == year:
        reason += (f" What first happened in {year} is that Mexico's apprehensions of "
                   f"children exceeded US Border Patrol apprehensions of unaccompanied "
                   f"children from the three countries.")
    return Evidence(verdict, "children returned by Mexico against children removed by the US",
                    "year-by-year comparison of the preferred series, by year label",
                    reason, None, None, list(dict.fromkeys(ids)), list(dict.fromkeys(srcs)))


def removals_2m(record: ProcessedTables, claim: pd.Series) -> Evidence:
    deportations = record["deportations"]
    obama = where(deportations, measure="removals", reporter="DHS_OIS", nationality="ALL",
                   age_group="all", period_start="2009-01")
    if obama.empty:
        return Evidence("not_traceable", "no multi-year removal total", "none",
                        "No removal total for the Obama years is in the record.")
    longest = obama[obama["months"] == obama["months"].max()]
    best = preference.rank(provenance.records(longest))[0]
    target = float(claim["value"])
    value = float(best["value"])
    if value >= target * WELL_OVER:
        verdict = "supported"
    elif value >= target:
        verdict = "supported_with_caveats"
    else:
        verdict = "overstated"
    kids = record["child_deportations_by_year"]
    mex = kids[(kids["series"] == "us_to_mexico_minor_repatriations")
               & kids["year"].between(int(claim["period_start"]), int(claim["period_end"]))
               & kids["value"].notna()]
    reason = (f"DHS counted {int(value):,} removals from {best['period_start']} to "
              f"{best['period_end']} ({best['attribution_short']}); returns are not "
              f"included, and the count stops before the administration ended.")
    if not mex.empty:
        reason += (f" Mexico counted {int(mex['value'].sum()):,} repatriations of Mexican "
                   f"minors from the US in {int(mex['year'].min())}-{int(mex['year'].max())}"
                   f" (events), so 'tens of thousands of Mexican children' holds too.")
    ids = [best["figure_id"], *mex["figure_ids"]]
    srcs = [best["source_id"], *mex["source_ids"]]
    return Evidence(verdict, "DHS removals (formal deportations), all nationalities",
                    "the longest published removal total starting January 2009", reason,
                    int(value), f"{int(value):,}", ids, list(dict.fromkeys(srcs)))


def _growth(rows: pd.DataFrame, y0: int, y1: int) -> dict[str, tuple[int, int]]:
    """Applications in y0 and y1 per unit (cases and persons are never added)."""
    out = {}
    for unit, group in rows.groupby("unit"):
        before = int(group.loc[group["year"] == y0, "value"].sum())
        after = int(group.loc[group["year"] == y1, "value"].sum())
        if before and after:
            out[unit] = (before, after)
    return out


def asylum_1185pct(record: ProcessedTables, claim: pd.Series) -> Evidence:
    deportations = record["deportations"]
    y0, y1 = int(claim["period_start"]), int(claim["period_end"])
    asylum = deportations[deportations["measure"].str.startswith("asylum_applications")]
    asylum = asylum[asylum["nationality"].isin(schema.AGGREGATE_PARTS["NTCA"])
                    & asylum["year"].isin([y0, y1])]
    us = _growth(asylum[asylum["deporting_state"] == "USA"], y0, y1)
    neighbours = schema.AGGREGATE_PARTS["MEX_BLZ_CRI_NIC_PAN"]
    region_rows = asylum[asylum["deporting_state"].isin(neighbours)]
    region = _growth(region_rows, y0, y1)
    if not us:
        return Evidence("not_traceable", "no asylum figures for both years", "none",
                        "The record lacks US asylum applications for both years.")
    pct = {unit: round((after - before) / before * 100)
           for unit, (before, after) in us.items()}
    best_unit = max(pct, key=pct.get)
    growth = pct[best_unit]
    verdict = compare(float(claim["value"]), "about", float(growth))
    parts = "; ".join(f"{unit}: {before:,} to {after:,}, +{pct[unit]:,}%"
                      for unit, (before, after) in sorted(us.items()))
    reason = (f"UNHCR's figures for Guatemalans, Hondurans and Salvadorans applying in the US "
              f"rose less ({parts}; cases and persons are separate counts).")
    if region:
        rpct = {unit: (after - before) / before * 100
                for unit, (before, after) in region.items()}
        top = max(rpct, key=rpct.get)
        before, after = region[top]
        reason += (f" The +{rpct[top]:,.1f}% figure belongs to their applications in Mexico, "
                   f"Belize, Costa Rica, Nicaragua and Panama ({top}: {before:,} to {after:,}).")
    rows = asylum[asylum["deporting_state"] == "USA"]
    return Evidence(verdict, f"asylum applications lodged in the US ({best_unit})",
                    f"sum of the three nationalities in {y0} and {y1}, per unit",
                    reason, growth, f"+{growth:,}% ({best_unit})", list(rows["figure_id"]),
                    list(dict.fromkeys(rows["source_id"])))


def _events(record: ProcessedTables, subject: str) -> pd.DataFrame:
    events = record["events"]
    return events[events["subject"] == subject].sort_values(["date", "event_id"])


def _event_sentence(event) -> str:
    """One dated event as a sentence, its source in brackets before the full stop."""
    return f"{event.date}: {event.what.rstrip().rstrip('.')} ({event.attribution_short})."


def southern_border_program(record: ProcessedTables, claim: pd.Series) -> Evidence:
    events = _events(record, "southern_border_program")
    announced = events[events["kind"] == "announcement"]
    praise = events[(events["kind"] == "statement") & (events["actor"] == "USA")]
    ok_date = not announced.empty and announced["date"].iloc[0].startswith(
        f"{claim['period_start']}-07")
    ok_praise = not praise.empty and praise["date"].str.startswith(
        f"{claim['period_end']}-01").any()
    verdict = "supported" if ok_date and ok_praise else "contradicted" if not events.empty \
        else "not_traceable"
    reason = (f"The program's announcement is dated {announced['date'].iloc[0]} "
              f"({announced['attribution_short'].iloc[0]})." if not announced.empty else "")
    reason = " ".join([reason, *map(_event_sentence, praise.itertuples())]).strip()
    return Evidence(verdict, "dated events", "dates of the announcement and of US praise",
                    reason, None, None, list(events["event_id"]),
                    list(dict.fromkeys(events["source_id"])))


def indigenous_youths(record: ProcessedTables, claim: pd.Series) -> Evidence:
    events = _events(record, "tzeltal_case")
    kinds = set(events["kind"])
    if events.empty:
        return Evidence("not_traceable", "no record of the case", "none",
                        "The record has no account of the case.")
    released = "release" in kinds
    deported = "deportation" in kinds
    verdict = "contradicted" if released and not deported else "supported"
    reason = " ".join(map(_event_sentence, events.itertuples()))
    if verdict == "contradicted":
        reason += " They were detained and one was beaten, but they were released, not deported."
    return Evidence(verdict, "the documented case", "the dated events of the case", reason,
                    None, None, list(events["event_id"]), list(dict.fromkeys(events["source_id"])))


EVALUATORS: dict[str, Callable[[ProcessedTables, pd.Series], Evidence]] = {
    "merida_112m": merida_112m,
    "inl_86m": inl_86m,
    "total_3b": total_3b,
    "children_40k": children_40k,
    "mexico_overtakes_2015": mexico_overtakes_2015,
    "removals_2m": removals_2m,
    "asylum_1185pct": asylum_1185pct,
    "southern_border_program": southern_border_program,
    "indigenous_youths": indigenous_youths,
}


# --------------------------------------------------------------------------------------
# the claims table
# --------------------------------------------------------------------------------------


def without_evaluator(claims_raw: pd.DataFrame, label: str) -> list[Problem]:
    """The claims no evaluator judges, each named by file and line (``label``: the claims'
    file; ``claims_raw`` as ``usmx.domains.claims`` read it, with its lines)."""
    return [Problem(label, int(line), "claim_id", claim_id,
                    "has no evaluator in usmx.analysis.claims")
            for line, claim_id in zip(claims_raw[LINE], claims_raw["claim_id"], strict=True)
            if claim_id not in EVALUATORS]


def evaluate(record: ProcessedTables, claims_raw: pd.DataFrame,
             previous: pd.DataFrame | None = None) -> pd.DataFrame:
    """The claims table: one row per claim, evidence computed from the tables, and what
    changed since the verdict last published (``previous``: claims_judged.csv)."""
    earlier = {} if previous is None else {r["claim_id"]: r for r in provenance.records(
        previous.replace("", pd.NA))}
    rows = []
    for _, claim in claims_raw.iterrows():
        ev = EVALUATORS[claim["claim_id"]](record, claim)
        rows.append({
            "claim_id": claim["claim_id"], "statement": claim["statement"],
            "label": claim["label"],
            "figure_printed": claim["figure_printed"],
            "article_value": None if pd.isna(claim["value"]) else int(claim["value"]),
            "unit": claim["unit"], "verdict": ev.verdict,
            "record_value": ev.record_value, "record_figure": ev.record_figure,
            "measure": ev.measure, "combination": ev.combination, "reason": ev.reason,
            "figure_ids": ";".join(dict.fromkeys(ev.figure_ids)) or None,
            "source_ids": ";".join(dict.fromkeys(ev.source_ids)) or None,
        })
        rows[-1]["change"] = what_changed(rows[-1], earlier.get(claim["claim_id"]),
                                          record["sources_processed"])
    return provenance.typed_frame(rows, schema.CLAIMS)


# --------------------------------------------------------------------------------------
# The build step that judges the claims (the claims are read by usmx.domains.claims)
# --------------------------------------------------------------------------------------


def _verdicts(ctx: Context) -> dict:
    missing = without_evaluator(ctx["claims_raw"], ctx.paths.rel(ctx.paths.claims_raw))
    if missing:
        raise DataError(missing)
    return {"claims": evaluate(ctx.frames, provenance.drop_line(ctx["claims_raw"]),
                               ctx["claims_judged"])}


VERDICT_STEPS = (
    Step("verdicts", "set each claim beside the record: find its figures in the processed "
         "tables, combine them as stated, give a verdict with its reason (a claim with no "
         "evaluator stops the build)", _verdicts,
         needs=("claims_raw", "claims_judged", "funding", "merida_mexico_by_fy",
                "funding_series_by_fy",
                "deportations", "child_deportations_by_year", "events", "sources_processed"),
         makes=("claims",)),
)
