"""The declared funding series and the written rules that choose which figure each of their
cells holds: one figure per fiscal year and account (:data:`PREFERENCE_RULE` for Mérida
appropriations, :data:`SERIES_RULE` for every declared series in :data:`SERIES`,
:data:`BEST_RULE` for what the charts draw: the steps the series declare as ``drawn``, in
their order). Reading the raw figures, constant dollars, checks and conflicts are
``funding``'s; this module only chooses among figures already read.

Series never mix stages or scopes: a Mérida appropriation, an allocation of all the money
in an account, an obligation and a disbursement are different measures.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pandas as pd

from usmx import schema
from usmx.domains import countries as country_table
from usmx.engine import preference, provenance

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
One figure per fiscal year and account (ESF, INCLE, FMF, TOTAL) of Mérida Initiative money
for Mexico, for every fiscal year of the article's period (FY2008–FY2017) and any other year
a single-year Mérida figure for Mexico covers. Candidates are figures for
that single fiscal year, program `merida`, recipient `MEX`, at stage `appropriated` or, where
only a spending plan splits an appropriation by account, `allocated`, with confidence high
or medium, covering the whole program and account (no `component`). Requests, committee
marks, obligations, deliveries, low-confidence figures and partial components never fill a
cell; they are listed in its note.

1. A figure for the whole fiscal year (vehicle `all`, or the year's only act) is used if there
   is one: status `published`. A published zero over a span of years (such as "no FMF after
   FY2011") counts as a whole-year figure of zero for each year in the span.
2. Otherwise, when the year had several acts (FY2008: supplemental + bridge; FY2009 and FY2010:
   regular + supplemental), the best figure of each act is added up: status `derived`. An act
   whose published total is fully accounted for by its published account figures contributes
   zero to the other accounts. If any act has no figure, the cell is a gap.
3. Among competing figures for the same act the first of these orderings decides: stage
   appropriated before allocated; the originator's own document, then an official reprint
   (CRS, GAO, testimony), then research or news, and a partisan outlet last; official source
   before secondary; confidence high, medium, low; qualifier exact before qualified; the latest
   source version first; then figure id (only to make ties deterministic). The cell's rule
   names the ordering that decided.
4. A cell with no figure is status `gap` with an empty amount, never zero.

Derived sums are `exact` only when every part is exact, otherwise `about`.
""".strip()


# --------------------------------------------------------------------------------------
# Preferred Mérida series
# --------------------------------------------------------------------------------------


APPROPRIATED_FIRST = preference.order("stage", STAGE_ORDER, "appropriated before allocated")


def eligible(figure: dict) -> bool:
    """May this figure fill a cell of the preferred series? (see PREFERENCE_RULE)"""
    return (figure["stage"] in STAGE_ORDER and figure["component"] is None
            and preference.fills(figure))


def merida_mexico_rows(rows: list[dict]) -> list[dict]:
    return [r for r in rows
            if r["program"] == "merida" and r["recipient"] == "MEX" and r["donor"] == "USA"]


def act_best(cands: list[dict], account: str, vehicle: str) -> tuple[int, dict | None] | None:
    """Best figure for one act and account, or zero when the act's total is exhausted by
    its other accounts (then the row is None); ``None`` when unknown."""
    in_act = [figure for figure in cands if figure["vehicle"] == vehicle]
    own = preference.pick([figure for figure in in_act if figure["account"] == account],
                          [APPROPRIATED_FIRST])
    if own:
        return own.best["amount_usd"], own.best
    if account == "TOTAL":
        return None
    total = preference.pick([figure for figure in in_act if figure["account"] == "TOTAL"],
                            [APPROPRIATED_FIRST])
    parts = [figure for figure in in_act if figure["account"] in ("ESF", "INCLE", "FMF")]
    if not total or not parts:
        return None
    best_parts = {}
    for figure in preference.rank(parts, [APPROPRIATED_FIRST]):
        best_parts.setdefault(figure["account"], figure["amount_usd"])
    if sum(best_parts.values()) == total.best["amount_usd"]:
        return 0, None
    return None


GAP = dict(amount_usd=None, qualifier=None, stage=None, confidence=None, status="gap",
           figure_ids=None, source_ids=None)


def _merida_cell(cands: list[dict], fy: int, account: str) -> dict:
    acts = FY_ACTS.get(fy, ("regular",))
    full_year_vehicles = ("all", *acts) if len(acts) == 1 else ("all",)
    choice = preference.pick(
        [r for r in cands if r["account"] == account and r["vehicle"] in full_year_vehicles
         and (r["fy_start"] == r["fy_end"] or r["amount_usd"] == 0)], [APPROPRIATED_FIRST])
    if choice:
        best = choice.best
        what = "whole-year figure"
        if best["fy_start"] != best["fy_end"]:
            what = f"zero published for FY{best['fy_start']}–FY{best['fy_end']}"
        return {"amount_usd": best["amount_usd"], "qualifier": best["qualifier"],
                "stage": best["stage"], "confidence": best["confidence"],
                "status": "published", "rule": choice.explain(what),
                "figure_ids": best["figure_id"], "source_ids": best["source_id"]}
    if len(acts) == 1:
        return {**GAP, "rule": "no appropriation figure read for this year"}
    parts, missing = [], []
    for act in acts:
        found = act_best(cands, account, act)
        if found is None:
            missing.append(act)
        else:
            parts.append((act, *found))
    if missing:
        return {**GAP, "rule": f"no figure for the {' and '.join(missing)} act(s) of the year"}
    rows = [row for _, _, row in parts if row is not None]
    derived = preference.sum_of_parts(rows, "amount_usd")
    described = " + ".join(
        f"{act} {'0 (act total exhausted by other accounts)' if row is None else row['figure_id']}"
        for act, _, row in parts)
    return {"amount_usd": derived["value"], "qualifier": derived["qualifier"],
            "stage": max((r["stage"] for r in rows), key=STAGE_ORDER.get),
            "confidence": derived["confidence"], "status": "derived",
            "rule": f"sum over the year's acts: {described}",
            "figure_ids": ";".join(derived["figure_ids"]),
            "source_ids": ";".join(derived["source_ids"])}


def data_years(rows: list[dict]) -> range:
    """The study years (``schema.STUDY_YEARS``), stretched to every fiscal year that a
    single-year figure covers: no year of the data is ever cut off."""
    return schema.study_range(r["fy_start"] for r in rows if r["fy_start"] == r["fy_end"])


def preferred_merida(funding: pd.DataFrame) -> pd.DataFrame:
    """The ``merida_mexico_by_fy`` table: see :data:`PREFERENCE_RULE`."""
    mm = merida_mexico_rows(provenance.records(funding))
    single = [r for r in mm if r["fy_start"] == r["fy_end"]]
    zero_spans = [r for r in mm if eligible(r) and r["fy_start"] < r["fy_end"]
                  and r["amount_usd"] == 0]
    out = []
    for fy in data_years(mm):
        year = [r for r in single if r["fy_start"] == fy]
        cands = [r for r in year if eligible(r)]
        cands += [r for r in zero_spans if r["fy_start"] <= fy <= r["fy_end"]]
        others = sorted((r for r in year if not eligible(r)),
                        key=lambda r: (r["account"], r["stage"], r["figure_id"]))
        for account in MERIDA_ACCOUNTS:
            accounts = (account,) if account == "TOTAL" else (account, "UNSPECIFIED")
            note = "; ".join(_describe(r) for r in others if r["account"] in accounts)
            cell = _merida_cell(cands, fy, account)
            here = [r for r in year if r["account"] in accounts]
            out.append({"fiscal_year": fy, "account": account, **cell,
                        "n_candidates": sum(r["account"] == account for r in cands),
                        "note": f"other figures: {note}" if note else None,
                        "other_figure_ids": provenance.other_ids(here, cell["figure_ids"])})
    return provenance.typed_frame(out, schema.MERIDA_BY_FY)


def _describe(figure: dict) -> str:
    part = f" [{figure['component']}]" if figure["component"] else ""
    when = f" as of {figure['as_of']}" if figure.get("as_of") else ""
    return (f"{figure['account']} {figure['stage']} {figure['amount_usd']:,} "
            f"{figure['qualifier']}{part}{when} "
            f"({figure['vehicle']}, {figure['confidence']}, {figure['source_id']})")


# --------------------------------------------------------------------------------------
# Declared series: one measure each (recipient, scope, account, stage), years from the data
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Drawn:
    """A step of what the charts draw (``mexico_funding_by_fy``, :data:`BEST_RULE`): a
    series' cell for Mexico is taken at this ``rank`` (the lowest first) when its sources
    are of ``kind`` ("official": every source official; "secondary"; None: any)."""

    rank: int
    label: str  # what the figure is, in the table's rule column
    text: str  # the step as BEST_RULE lists it; {series} stands for the series' id
    kind: str | None = None


@dataclass(frozen=True)
class FundingSeries:
    id: str
    title: str
    scope: str  # a key of SCOPES
    recipients: tuple[str, ...]  # codes; "studied" stands for the countries studied
    programs: tuple[str, ...]  # the programs whose figures measure this scope
    accounts: tuple[str, ...]
    stages: tuple[str, ...]  # one cell per stage
    sources: tuple[str, ...] = ()  # the source family it prefers, most preferred first
    drawn: tuple[Drawn, ...] = ()  # its steps in what the charts draw (none: not drawn)

    def recipients_of(self, countries: pd.DataFrame) -> tuple[str, ...]:
        """The recipients, "studied" standing for the studied countries of the table."""
        return country_table.expand(self.recipients, countries)

    def covers(self, figure: dict, recipients: tuple[str, ...]) -> bool:
        """Whether the series counts ``figure``; ``recipients`` from :meth:`recipients_of`
        (the declared codes hold the "studied" token, not the countries it stands for)."""
        return (figure["recipient"] in recipients
                and figure["program"] in self.programs
                and figure["account"] in self.accounts and figure["stage"] in self.stages
                and figure["donor"] == "USA")


MERIDA_SERIES = FundingSeries(
    "merida_appropriations", "Mérida Initiative appropriations for Mexico, by account",
    "merida", ("MEX",), ("merida",), MERIDA_ACCOUNTS, ("appropriated",),
    drawn=(Drawn(1, "Mérida appropriation, official source", "the Mérida appropriation "
                 "({series}, published or derived) read in an official source", "official"),
           Drawn(3, "Mérida appropriation, secondary source", "the Mérida appropriation read "
                 "in a secondary source (a news report quoting an official figure)",
                 "secondary")))

SERIES = (
    MERIDA_SERIES,
    FundingSeries("state_allocations", "State Department allocations to Mexico by account "
                  "(budget justifications, 'actual')", "account", ("MEX",),
                  ("all_in_account", "state_foreign_assistance"),
                  ("INCLE", "ESF", "FMF", "IMET", "NADR", "TOTAL"), ("allocated",),
                  ("CSIS_STATE_CBJ",),
                  (Drawn(2, "State allocation of the whole account", "the State Department's "
                         "allocation of all the money in the account ({series}; for FY2008 "
                         "and FY2009 the regular act only)"),)),
    FundingSeries("budget_requests", "The President's budget request for Mexico by account",
                  "account", ("MEX",), ("all_in_account", "state_foreign_assistance"),
                  ("INCLE", "ESF", "FMF", "IMET", "NADR", "TOTAL"), ("requested",),
                  ("CSIS_STATE_CBJ",),
                  (Drawn(4, "request", "the President's request for the account ({series}), "
                         "drawn as a request"),)),
    FundingSeries("greenbook_obligations", "Obligations to Mexico by account (USAID "
                  "Greenbook), including Defense counter-drug money", "account", ("MEX",),
                  ("all_in_account", "dod_counternarcotics"),
                  ("INCLE", "ESF", "FMF", "IMET", "NADR", "DOD_CN"), ("obligated",),
                  ("USAID_GREENBOOK",)),
    FundingSeries("dod_counterdrug", "Defense Department counter-drug money for Mexico, by "
                  "stage", "account", ("MEX",), ("dod_counternarcotics",), ("DOD_CN",),
                  ("pledged", "allocated", "obligated", "disbursed"), ("USAID_GREENBOOK",)),
    FundingSeries("foreign_assistance_totals", "All US foreign assistance, by stage "
                  "(ForeignAssistance.gov)", "all_assistance", ("studied",),
                  ("all_us_assistance",), ("TOTAL",),
                  ("requested", "initial_allocation", "planned", "obligated", "disbursed"),
                  ("FAGOV_COUNTRY_LIVE", "FAGOV_COUNTRY_2023")),
)

_STANDARD = preference.describe(preference.STANDARD_RULES)
SERIES_RULE = f"""
One figure per declared series, fiscal year, recipient, account and stage. A series fixes
its recipients, its scope (Mérida money only; all the money in an account, Mérida or not;
or all US assistance), its accounts and its stages, so figures of different scopes or stages
never compete and are never added together. Its years are the article's period
(FY2008–FY2017), stretched to every year one of its figures covers: no figure is cut off.

1. Candidates cover exactly that fiscal year, the whole account (no `component`), carry no
   `as_of` date (cumulative-to-date figures are not annual), and have confidence high or
   medium. Other figures of the cell are listed in its note.
2. Among candidates the first of these orderings decides: the series' preferred source
   family; {_STANDARD}. The cell's rule names the ordering that decided.
3. `vehicle` says which appropriation acts a figure covers: the budget tables' FY2008 and
   FY2009 allocations cover the regular act only (the Mérida supplementals are not in them).
4. The Mérida series (`merida_appropriations`) is the table `merida_mexico_by_fy.csv`, with
   its own rule for years of several appropriation acts.
5. A cell with no figure is status `gap` with an empty amount, never zero.
""".strip()


def _series_cell(series: FundingSeries, here: list[dict]) -> dict:
    ok = [r for r in here if r["component"] is None and r["as_of"] is None
          and preference.fills(r)]
    choice = preference.pick(ok, [preference.order("source_id", series.sources,
                                                   "the series' preferred source family")])
    rest = [r for r in sorted(here, key=lambda r: r["figure_id"]) if r not in ok]
    others = "; ".join(_describe(r) for r in rest)
    cell = {"n_candidates": len(ok), "note": f"other figures: {others}" if others else None,
            "other_figure_ids": provenance.other_ids(
                here, choice.best["figure_id"] if choice else None)}
    if choice is None:
        return {**cell, "amount_usd": None, "qualifier": None, "vehicle": None,
                "confidence": None, "status": "gap", "figure_ids": None, "source_ids": None,
                "rule": "no figure for this year, account and stage"}
    best = choice.best
    what = "whole-year figure" + ("" if best["vehicle"] == "all"
                                  else f" ({best['vehicle']} act only)")
    return {**cell, "amount_usd": best["amount_usd"], "qualifier": best["qualifier"],
            "vehicle": best["vehicle"], "confidence": best["confidence"],
            "status": "published", "rule": choice.explain(what),
            "figure_ids": best["figure_id"], "source_ids": best["source_id"]}


def _merida_as_series(merida: pd.DataFrame) -> list[dict]:
    merida_series = MERIDA_SERIES
    out = []
    for cell in provenance.records(merida):
        out.append({
            "series": merida_series.id, "title": merida_series.title,
            "scope": merida_series.scope, "fiscal_year": cell["fiscal_year"],
            "recipient": "MEX", "account": cell["account"], "stage": "appropriated",
            "figure_stage": cell["stage"], "vehicle": None if cell["amount_usd"] is None else "all",
            **{k: cell[k] for k in ("amount_usd", "qualifier", "amount_usd_constant",
                                 "price_base", "confidence", "status", "rule",
                                 "n_candidates", "figure_ids", "source_ids", "note",
                                 "other_figure_ids")}})
    return out


def preferred_series(funding: pd.DataFrame, merida: pd.DataFrame,
                     countries: pd.DataFrame) -> pd.DataFrame:
    """The ``funding_series_by_fy`` table: every series of :data:`SERIES`, by
    :data:`SERIES_RULE` (the Mérida rows copied from ``merida_mexico_by_fy``); a series of
    the countries studied has one recipient per row of ``countries``."""
    rows = [f for f in provenance.records(funding) if f["fy_start"] == f["fy_end"]]
    out = _merida_as_series(merida)
    for declared in SERIES[1:]:
        recipients = declared.recipients_of(countries)
        mine = [figure for figure in rows if declared.covers(figure, recipients)]
        pool: dict[tuple, list[dict]] = {}
        for figure in mine:
            key = (figure["fy_start"], figure["recipient"], figure["account"], figure["stage"])
            pool.setdefault(key, []).append(figure)
        for fy in data_years(mine):
            for recipient in recipients:
                for account in declared.accounts:
                    for stage in declared.stages:
                        here = pool.get((fy, recipient, account, stage), [])
                        cell = _series_cell(declared, here)
                        out.append({"series": declared.id, "title": declared.title,
                                    "scope": declared.scope,
                                    "fiscal_year": fy, "recipient": recipient,
                                    "account": account, "stage": stage,
                                    "figure_stage": stage if cell["amount_usd"] is not None
                                    else None, **cell})
    frame = provenance.typed_frame(out, schema.FUNDING_SERIES)
    order = {declared.id: i for i, declared in enumerate(SERIES)}
    frame = frame.sort_values(["series", "fiscal_year", "recipient", "account", "stage"],
                              key=lambda c: c.map(order) if c.name == "series" else c,
                              ignore_index=True)
    return frame


BEST_ACCOUNTS = ("INCLE", "ESF", "FMF")


def drawn_steps() -> list[tuple[FundingSeries, Drawn]]:
    """What the charts draw, step by step: every :class:`Drawn` a series of :data:`SERIES`
    declares, by rank."""
    steps = sorted(((declared, step) for declared in SERIES for step in declared.drawn),
                   key=lambda pair: pair[1].rank)
    ranks = [step.rank for _, step in steps]
    if len(set(ranks)) != len(ranks):
        raise ValueError(f"two steps of what the charts draw share a rank: {ranks}")
    return steps


def best_rule() -> str:
    """:data:`BEST_RULE`, its steps listed from the series' declarations."""
    steps = drawn_steps()
    listed = "\n".join(
        textwrap.fill(f"{n}. {step.text.format(series=f'`{declared.id}`')}"
                      + (";" if n < len(steps) else "."), 88, subsequent_indent="   ")
        for n, (declared, step) in enumerate(steps, 1))
    accounts = ", ".join(BEST_ACCOUNTS)
    return f"""
For the charts, one figure per fiscal year and Mérida account ({accounts}) for Mexico,
the first that exists of:

{listed}

Each row names the series, scope and stage it comes from, so a chart can say which marks
are Mérida money and which are all the money in an account, and which are requests. A year
and account is a `gap` only when none of these has a figure. A published zero is a zero.
""".strip()


BEST_RULE = best_rule()


def best_by_account(series: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The ``mexico_funding_by_fy`` table, by :data:`BEST_RULE`: the steps of
    :func:`drawn_steps`, in order."""
    kind = dict(zip(sources["source_id"], sources["kind"], strict=True))
    cells = {(cell["series"], cell["fiscal_year"], cell["account"]): cell
             for cell in provenance.records(series) if cell["recipient"] == "MEX"}

    def source_kind(cell: dict) -> str:
        return "official" if all(kind.get(i) == "official"
                                 for i in cell["source_ids"].split(";")) else "secondary"

    steps = [(declared.id, step.kind, f"{step.label} (step {n})")
             for n, (declared, step) in enumerate(drawn_steps(), 1)]
    used = {series_id for series_id, _, _ in steps}
    years = sorted({fy for (series_id, fy, _) in cells if series_id in used})
    out = []
    for fy in years:
        for account in BEST_ACCOUNTS:
            row = {"fiscal_year": fy, "account": account}
            for series_id, wanted, why in steps:
                cell = cells.get((series_id, fy, account))
                if cell is None or cell["amount_usd"] is None or \
                        wanted not in (None, source_kind(cell)):
                    continue
                row.update({k: cell[k] for k in ("series", "scope", "amount_usd", "qualifier",
                                              "amount_usd_constant", "price_base",
                                              "figure_stage", "vehicle", "confidence",
                                              "status", "figure_ids", "source_ids")},
                           stage=cell["figure_stage"], rule=why,
                           source_kind=source_kind(cell))
                break
            else:
                row.update(status="gap", rule="no series has a figure for this year and "
                           "account")
            out.append(row)
    return provenance.typed_frame(out, schema.MEXICO_FUNDING)
