"""Tables of the funding domain: raw figures, snapshots, prices and the preferred series."""

from __future__ import annotations

from usmx.schema.fields import (
    _AMOUNT,
    _ATTRIBUTION,
    _PROVENANCE,
    Field,
    Table,
    _choice_fields,
    _fy,
)
from usmx.schema.vocabulary import (
    ACCOUNTS,
    CHECK_BASES,
    CHECK_RESULTS,
    CONFIDENCES,
    DATE_RE,
    DONORS,
    FY_MAX,
    FY_MIN,
    ID_RE,
    INT_RE,
    PROGRAMS,
    QUALIFIERS,
    RECIPIENTS,
    SCOPES,
    SOURCE_KINDS,
    STAGES,
    STATUSES,
    VEHICLES,
)

_FUNDING_CORE = (
    Field("figure_id", "string", "Stable id of this published figure", pattern=ID_RE,
          pattern_hint="lower-case letters, digits and underscores"),
    _fy("fy_start", "First"),
    _fy("fy_end", "Last"),
    Field("donor", "string", "Who gives", codes=DONORS, codes_name="donor"),
    Field("recipient", "string", "Who receives: ISO 3166 alpha-3 code or a named aggregate",
          codes=RECIPIENTS, codes_name="recipient"),
    Field("program", "string", "Assistance program", codes=PROGRAMS, codes_name="program"),
    Field("account", "string", "Budget account", codes=ACCOUNTS, codes_name="account"),
    Field("stage", "string", "Budget stage of the figure", codes=STAGES, codes_name="stage"),
    Field("vehicle", "string", "Which appropriation act(s) the figure belongs to",
          codes=VEHICLES, codes_name="vehicle"),
    Field("component", "string", "What part of the program the figure covers, when it is "
          "not the whole of the program and account (a floor, an item, an increment); empty "
          "for the whole", required=False),
    _AMOUNT,
    Field("qualifier", "string", "How the source qualifies the figure", codes=QUALIFIERS,
          codes_name="qualifier"),
    Field("as_of", "date", "Date the figure refers to, for cumulative stages such as "
          "'delivered as of November 2015'", required=False, pattern=DATE_RE,
          pattern_hint="YYYY, YYYY-MM or YYYY-MM-DD"),
)


FUNDING_RAW = Table(
    name="funding_raw",
    path="data/raw/funding.csv",
    raw=True,
    description="US funding to Mexico and Central America: one row per published figure, "
    "hand-transcribed from its source.",
    primary_key=("figure_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=(*_FUNDING_CORE, *_PROVENANCE),
)

# Natural key of a published funding figure: one source states one figure per key.
FUNDING_NATURAL_KEY = ("fy_start", "fy_end", "donor", "recipient", "program", "account",
                       "stage", "vehicle", "component", "as_of", "source_id")


FUNDING = Table(
    name="funding",
    path="data/processed/funding.csv",
    description="All published funding figures, normalised, with their source attribution "
    "joined. Figures of different stages, vehicles and spans are different measures: never "
    "add them up without checking those columns.",
    primary_key=("figure_id",),
    fields=(*_FUNDING_CORE, *_PROVENANCE, *_ATTRIBUTION),
)


MERIDA_BY_FY = Table(
    name="merida_mexico_by_fy",
    path="data/processed/merida_mexico_by_fy.csv",
    description="Mérida Initiative appropriations for Mexico: one preferred figure per US "
    "fiscal year and account, FY2008–FY2017, with the rule that chose it, the number of "
    "competing figures, and an explicit status for gaps (amount empty, never zero).",
    primary_key=("fiscal_year", "account"),
    fields=(
        _fy("fiscal_year", "The"),
        Field("account", "string", "Budget account (TOTAL = all accounts)", codes=ACCOUNTS,
              codes_name="account"),
        Field("amount_usd", "integer", "Preferred figure in nominal US dollars; empty for a "
              "gap", required=False, minimum=0, unit="US dollars (nominal)"),
        Field("qualifier", "string", "Qualifier of the figure (derived sums take the "
              "loosest qualifier of their parts)", required=False, codes=QUALIFIERS,
              codes_name="qualifier"),
        Field("amount_usd_constant", "integer", "The same in constant dollars of the base "
              "fiscal year in price_base, deflated by the US consumer price index (empty "
              "where the amount or the index is missing)", required=False, minimum=0,
              unit="US dollars (constant)"),
        Field("price_base", "string", "Base of the constant dollars and the index used",
              required=False),
        Field("stage", "string", "Stage of the chosen figure(s): appropriated, or allocated "
              "where only a spending plan splits the appropriation by account",
              required=False, codes=STAGES, codes_name="stage"),
        Field("confidence", "string", "Confidence of the chosen figure (the lowest of the "
              "parts for a derived sum)", required=False, codes=CONFIDENCES,
              codes_name="confidence"),
        *_choice_fields("Number of published figures competing for this cell (all stages "
                        "considered)", "Other figures for the cell and caveats"),
    ),
)


_SERIES_CELL = (
    Field("amount_usd", "integer", "Preferred figure in nominal US dollars; empty for a gap",
          required=False, minimum=0, unit="US dollars (nominal)"),
    Field("qualifier", "string", "Qualifier of the figure", required=False, codes=QUALIFIERS,
          codes_name="qualifier"),
    Field("amount_usd_constant", "integer", "The same in constant dollars (see price_base)",
          required=False, minimum=0, unit="US dollars (constant)"),
    Field("price_base", "string", "Base of the constant dollars and the index used",
          required=False),
)

FUNDING_SERIES = Table(
    name="funding_series_by_fy",
    path="data/processed/funding_series_by_fy.csv",
    description="Every declared funding series (Mérida appropriations; State Department "
    "allocations and requests by account; USAID Greenbook obligations by account; Defense "
    "counter-drug money by stage; ForeignAssistance.gov totals by stage for Mexico, "
    "Guatemala, Honduras and El Salvador): one preferred figure per series, fiscal year, "
    "recipient, account and stage, with its scope, the rule that chose it and an explicit "
    "status for gaps. Series of different scope or stage measure different things.",
    primary_key=("series", "fiscal_year", "recipient", "account", "stage"),
    fields=(
        Field("series", "string", "Id of the series (see the preference rule)"),
        Field("title", "string", "What the series measures, in words"),
        Field("scope", "string", "What money the series counts", codes=SCOPES,
              codes_name="scope"),
        _fy("fiscal_year", "The"),
        Field("recipient", "string", "Who receives", codes=RECIPIENTS, codes_name="recipient"),
        Field("account", "string", "Budget account (TOTAL = all accounts of the scope)",
              codes=ACCOUNTS, codes_name="account"),
        Field("stage", "string", "Budget stage the series measures", codes=STAGES,
              codes_name="stage"),
        Field("figure_stage", "string", "Stage of the figure used (differs from stage only "
              "in the Mérida series, where a spending plan's allocation may split an "
              "appropriation by account)", required=False, codes=STAGES, codes_name="stage"),
        Field("vehicle", "string", "Appropriation acts the figure covers", required=False,
              codes=VEHICLES, codes_name="vehicle"),
        *_SERIES_CELL,
        Field("confidence", "string", "Confidence of the figure (the weakest of the parts "
              "for a derived sum)", required=False, codes=CONFIDENCES, codes_name="confidence"),
        *_choice_fields("Figures competing for this cell", "Other figures for the cell"),
    ),
)

MEXICO_FUNDING = Table(
    name="mexico_funding_by_fy",
    path="data/processed/mexico_funding_by_fy.csv",
    description="What the charts draw for US money to Mexico in the Mérida accounts (INCLE, "
    "ESF, FMF): the best available figure per fiscal year and account, naming the series, "
    "scope (Mérida only, or all money in the account) and stage it comes from.",
    primary_key=("fiscal_year", "account"),
    fields=(
        _fy("fiscal_year", "The"),
        Field("account", "string", "Budget account", codes=ACCOUNTS, codes_name="account"),
        Field("series", "string", "Series the figure comes from (funding_series_by_fy)",
              required=False),
        Field("scope", "string", "What money the figure counts", required=False,
              codes=SCOPES, codes_name="scope"),
        Field("stage", "string", "Stage of the figure", required=False, codes=STAGES,
              codes_name="stage"),
        Field("vehicle", "string", "Appropriation acts the figure covers", required=False,
              codes=VEHICLES, codes_name="vehicle"),
        *_SERIES_CELL,
        Field("confidence", "string", "Confidence of the figure", required=False,
              codes=CONFIDENCES, codes_name="confidence"),
        Field("source_kind", "string", "Official or secondary (every source of the figure)",
              required=False, codes=SOURCE_KINDS, codes_name="source kind"),
        Field("status", "string", "published, derived or gap", codes=STATUSES,
              codes_name="status"),
        Field("rule", "string", "Which step of the rule chose the figure"),
        Field("figure_ids", "string", "The figure(s) used, separated by ';'", required=False),
        Field("source_ids", "string", "Their sources, separated by ';'", required=False),
    ),
)

FUNDING_CHECKS = Table(
    name="funding_checks",
    path="data/processed/funding_checks.csv",
    description="Every published cumulative Mérida total for Mexico set against the sum of "
    "annual figures over its span, on two bases: the preferred Mérida totals alone, and the "
    "best available official figures (the Mérida total where published, else the sum of "
    "the year's INCLE, ESF and FMF figures in mexico_funding_by_fy).",
    primary_key=("figure_id", "basis"),
    fields=(
        Field("figure_id", "string", "The cumulative figure checked"),
        Field("basis", "string", "What the annual figures are", codes=CHECK_BASES,
              codes_name="check basis"),
        _fy("fy_start", "First"),
        _fy("fy_end", "Last"),
        Field("stated_usd", "integer", "The cumulative total as printed", minimum=0,
              unit="US dollars (nominal)"),
        Field("qualifier", "string", "Its qualifier", codes=QUALIFIERS,
              codes_name="qualifier"),
        Field("range_low_usd", "integer", "Lowest value the printed figure and qualifier "
              "allow (empty: no lower bound)", required=False, minimum=0,
              unit="US dollars (nominal)"),
        Field("range_high_usd", "integer", "Highest value they allow (empty: no upper bound)",
              required=False, minimum=0, unit="US dollars (nominal)"),
        Field("annual_sum_usd", "integer", "Sum of the preferred annual totals (empty if a "
              "year is missing)", required=False, minimum=0, unit="US dollars (nominal)"),
        Field("years_missing", "string", "Fiscal years with no annual total", required=False),
        Field("years_detail", "string", "Each year's figure and where it comes from",
              required=False),
        Field("result", "string", "agrees, disagrees or incomplete", codes=CHECK_RESULTS,
              codes_name="check result"),
        Field("source_id", "string", "Source of the cumulative total"),
    ),
)


PRICES_RAW = Table(
    name="prices_raw",
    path="data/raw/snapshots/us_cpi/<date>.csv",
    raw=True,
    description="US consumer price index by calendar year (a dated snapshot), used to state "
    "funding in constant dollars.",
    primary_key=("figure_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=(
        Field("figure_id", "string", "Stable id of the figure", pattern=ID_RE,
              pattern_hint="lower-case letters, digits and underscores"),
        Field("year", "integer", "Calendar year", minimum=FY_MIN - 10, maximum=FY_MAX,
              pattern=INT_RE, pattern_hint="a year"),
        Field("value", "string", "Index value for the year (annual average)",
              pattern=r"^[0-9]+(\.[0-9]+)?$", pattern_hint="a decimal number"),
        Field("base", "string", "Index base (e.g. 1982-84=100)"),
        *_PROVENANCE,
    ),
)


FUNDING_SNAPSHOT = Table(
    name="funding_snapshot",
    path="data/raw/snapshots/foreign_assistance/<date>.csv",
    raw=True,
    description="ForeignAssistance.gov country totals by stage (a dated snapshot written by "
    "`refresh foreign_assistance`, or the committed offline copy): the same columns as "
    "funding.csv, one row per figure, each locating its row in the downloaded file.",
    primary_key=("figure_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=FUNDING_RAW.fields,
)
