"""Tables of the deportation domain: raw counts, population snapshots and the preferred
series by year."""

from __future__ import annotations

from usmx.schema.fields import _ATTRIBUTION, _PROVENANCE, Field, Table, _choice_fields
from usmx.schema.vocabulary import (
    ACCOMPANIMENTS,
    AGE_GROUPS,
    CHECK_RESULTS,
    CONFIDENCES,
    COUNTRIES,
    DEPORTING_STATES,
    FY_MAX,
    FY_MIN,
    ID_RE,
    INT_RE,
    MAX_COUNT,
    MAX_POPULATION,
    MEASURES,
    MONTH_RE,
    NATIONALITIES,
    QUALIFIERS,
    REPORTERS,
    SUM_STATUSES,
    UNITS,
    YEAR_BASES,
)

DEPORTATIONS_RAW = Table(
    name="deportations_raw",
    path="data/raw/deportations.csv",
    raw=True,
    description="Apprehensions, removals, returns and repatriations of children and of all "
    "ages: one row per published figure, hand-transcribed from its source.",
    primary_key=("figure_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=(
        Field("figure_id", "string", "Stable id of this published figure", pattern=ID_RE,
              pattern_hint="lower-case letters, digits and underscores"),
        Field("period_start", "month", "First month the figure covers", pattern=MONTH_RE,
              pattern_hint="a month written YYYY-MM"),
        Field("period_end", "month", "Last month the figure covers (a US fiscal year FY N "
              "is N-1-10 to N-09)", pattern=MONTH_RE, pattern_hint="a month written YYYY-MM"),
        Field("year_basis", "string", "The year convention of the source", codes=YEAR_BASES,
              codes_name="year basis"),
        Field("reporter", "string", "Who counted", codes=REPORTERS, codes_name="reporter"),
        Field("deporting_state", "string", "The state that apprehended, removed or returned "
              "(for asylum applications: where they were lodged)", codes=DEPORTING_STATES,
              codes_name="deporting state"),
        Field("nationality", "string", "Nationality of the people counted",
              codes=NATIONALITIES, codes_name="nationality"),
        Field("age_group", "string", "Ages counted", codes=AGE_GROUPS, codes_name="age group"),
        Field("accompaniment", "string", "Unaccompanied, accompanied or all",
              codes=ACCOMPANIMENTS, codes_name="accompaniment"),
        Field("measure", "string", "What is counted", codes=MEASURES, codes_name="measure"),
        Field("unit", "string", "People, events or cases", codes=UNITS, codes_name="unit"),
        Field("detail", "string", "The part of the measure the figure covers, when the source "
              "splits it (a route, a border segment, a component, a vintage); empty for the "
              "whole", required=False),
        Field("value", "integer", "The count as printed", minimum=0, maximum=MAX_COUNT,
              pattern=INT_RE,
              pattern_hint="a whole number: digits only, no separators or footnote marks",
              unit="see unit"),
        Field("qualifier", "string", "How the source qualifies the figure", codes=QUALIFIERS,
              codes_name="qualifier"),
        *_PROVENANCE,
    ),
)

DEPORTATIONS_SNAPSHOT = Table(
    name="deportations_snapshot",
    path="data/raw/snapshots/<source>/<date>.csv",
    raw=True,
    description="Counts written by `python -m usmx refresh` (UNHCR asylum applications by "
    "year; the monthly tables of Mexico's UPM, Guatemala's IGM and CBP): the columns of "
    "deportations.csv, one row per figure of the source, each locating its row in the file "
    "read (dataset, row, and the source's own labels). A monthly figure covers one month "
    "(period_start = period_end); year_basis says which year it is summed into.",
    primary_key=("figure_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=DEPORTATIONS_RAW.fields,
)

DEPORTATIONS_NATURAL_KEY = ("period_start", "period_end", "year_basis", "reporter",
                            "deporting_state", "nationality", "age_group", "accompaniment",
                            "measure", "unit", "detail", "source_id")

DEPORTATIONS = Table(
    name="deportations",
    path="data/processed/deportations.csv",
    description="All published figures on apprehensions, removals, returns, repatriations "
    "and asylum applications, normalised, with source attribution joined. Never add figures "
    "with different year_basis, measure or unit.",
    primary_key=("figure_id",),
    fields=(
        *DEPORTATIONS_RAW.fields[:3],
        Field("months", "integer", "Number of months the period covers", minimum=1,
              unit="months"),
        Field("year", "integer", "The fiscal or calendar year (per year_basis) when the "
              "period is exactly one such year; empty for part-year or multi-year periods",
              required=False, minimum=FY_MIN, maximum=FY_MAX),
        *DEPORTATIONS_RAW.fields[3:],
        *_ATTRIBUTION,
    ),
)

_SERIES_FIELDS = (
    Field("series", "string", "Id of the series (one measure, state, age group, "
          "accompaniment, unit and year basis)"),
    Field("title", "string", "What the series counts, in words"),
    Field("year", "integer", "Fiscal or calendar year, per year_basis", minimum=FY_MIN,
          maximum=FY_MAX),
    Field("year_basis", "string", "Year convention", codes=YEAR_BASES,
          codes_name="year basis"),
    Field("deporting_state", "string", "Acting state", codes=DEPORTING_STATES,
          codes_name="deporting state"),
    Field("nationality", "string", "Nationality", codes=NATIONALITIES,
          codes_name="nationality"),
    Field("measure", "string", "What is counted", codes=MEASURES, codes_name="measure"),
    Field("age_group", "string", "Ages counted", codes=AGE_GROUPS, codes_name="age group"),
    Field("accompaniment", "string", "Accompaniment", codes=ACCOMPANIMENTS,
          codes_name="accompaniment"),
    Field("unit", "string", "People, events or cases", codes=UNITS, codes_name="unit"),
    Field("value", "integer", "Preferred figure; empty for a gap", required=False,
          minimum=0, unit="see unit"),
    Field("qualifier", "string", "Qualifier of the figure", required=False,
          codes=QUALIFIERS, codes_name="qualifier"),
    Field("per_100k_children", "number", "For children's series: the value per 100,000 "
          "children aged 0-14 of the nationality's country that year (calendar-year "
          "population; empty where the population snapshot lacks it)", required=False,
          minimum=0, unit="per 100,000 children aged 0-14"),
    Field("population_figure_ids", "string", "The population figures per_100k_children "
          "divides by (figure ids in the wb_population_0_14 snapshot, ';'-separated; three "
          "for NTCA)", required=False),
    Field("population_source_ids", "string", "Sources of those population figures "
          "(';'-separated)", required=False),
    Field("reporter", "string", "Who counted the chosen figure", required=False,
          codes=REPORTERS, codes_name="reporter"),
    Field("confidence", "string", "Confidence of the chosen figure (lowest of the parts "
          "for a derived sum)", required=False, codes=CONFIDENCES, codes_name="confidence"),
    *_choice_fields("Whole-year figures competing for this cell",
                    "Part-year and other figures for the cell"),
)

CHILD_BY_YEAR = Table(
    name="child_deportations_by_year",
    path="data/processed/child_deportations_by_year.csv",
    description="Children: one preferred figure per series, year and nationality "
    "(apprehensions, removals, returns and repatriations of minors by the US and Mexico), "
    "with the rule that chose it and an explicit status for gaps.",
    primary_key=("series", "year", "nationality"),
    fields=_SERIES_FIELDS,
)

ALL_AGES_BY_YEAR = Table(
    name="deportations_all_ages_by_year",
    path="data/processed/deportations_all_ages_by_year.csv",
    description="All ages: one preferred figure per series, year and nationality (US "
    "removals and returns, Mexico's returns), for context beside the children's series.",
    primary_key=("series", "year", "nationality"),
    fields=_SERIES_FIELDS,
)

_BY_NAME = {f.name: f for f in DEPORTATIONS_RAW.fields}
_SERIES_BY_NAME = {f.name: f for f in _SERIES_FIELDS}
MONTHLY = Table(
    name="deportations_monthly",
    path="data/processed/deportations_monthly.csv",
    description="Monthly figures (the UPM's, IGM's and CBP's tables, from their snapshots), one "
    "row per figure, tidy: the month, what is counted, by whom, and the year it is summed "
    "into. The locator of each figure is in its snapshot under data/raw/snapshots/; the "
    "source's attribution in sources.csv.",
    primary_key=("figure_id",),
    fields=(
        _BY_NAME["figure_id"],
        Field("month", "month", "The month counted"),
        _BY_NAME["year_basis"],
        Field("year", "integer", "The year the month is summed into: the calendar year, or "
              "the US fiscal year (October-September)", minimum=FY_MIN, maximum=FY_MAX),
        *(_BY_NAME[name] for name in ("reporter", "deporting_state", "nationality",
                                      "age_group", "accompaniment", "measure", "unit",
                                      "detail", "value", "source_id", "confidence", "note")),
    ),
)

MONTHLY_SUMS = Table(
    name="deportations_monthly_sums",
    path="data/processed/deportations_monthly_sums.csv",
    description="Years summed from monthly figures: for each source that publishes month by "
    "month, the sum of its months in one calendar year (Mexico, Guatemala) or US fiscal year "
    "(October-September; CBP), per measure, age group, accompaniment and nationality, with the "
    "number of months summed. A complete year competes for its series' cell like a printed "
    "whole-year figure; a partial year (months missing) is kept here, labelled, and never "
    "fills a cell.",
    primary_key=("sum_id",),
    fields=(
        Field("sum_id", "string", "Id of the sum (the id a series cell names when it holds it)"),
        Field("rollup", "string", "The declared sum it comes from (usmx.domains.monthly)"),
        Field("source_id", "string", "The source of every month summed"),
        Field("reporter", "string", "Who counted", codes=REPORTERS, codes_name="reporter"),
        *(_SERIES_BY_NAME[name] for name in ("deporting_state", "nationality", "measure",
                                             "age_group", "accompaniment", "unit")),
        Field("year_basis", "string", "The year the months are summed into", codes=YEAR_BASES,
              codes_name="year basis"),
        Field("year", "integer", "Calendar or US fiscal year, per year_basis", minimum=FY_MIN,
              maximum=FY_MAX),
        Field("value", "integer", "The sum of the monthly figures", minimum=0, unit="see unit"),
        Field("months", "integer", "Number of months with a figure in the source", minimum=1,
              maximum=12, unit="months"),
        Field("first_month", "month", "First month summed"),
        Field("last_month", "month", "Last month summed"),
        Field("status", "string", "complete (12 months) or partial", codes=SUM_STATUSES,
              codes_name="sum status"),
        Field("parts", "string", "What the monthly figures summed are (the source's categories)"),
        Field("n_figures", "integer", "Number of monthly figures summed", minimum=1,
              unit="count"),
        Field("figure_ids", "string", "The monthly figures, separated by ';'"),
        Field("confidence", "string", "The weakest confidence of the monthly figures",
              codes=CONFIDENCES, codes_name="confidence"),
        Field("note", "string", "What a reader should know (a renamed category, months "
              "missing)", required=False),
    ),
)

DEPORTATION_CHECKS = Table(
    name="deportation_checks",
    path="data/processed/deportation_checks.csv",
    description="Published totals against the sum of their parts: an all-nationality or "
    "three-country (NTCA) figure against its country figures, within one source and within "
    "the preferred series.",
    primary_key=("check_id",),
    fields=(
        Field("check_id", "string", "Id of the check"),
        Field("basis", "string", "'same source' or 'preferred series'"),
        Field("period", "string", "The period (first and last month) and year basis"),
        Field("what", "string", "Measure, state, age group, accompaniment and unit"),
        Field("total_nationality", "string", "The total's nationality code (ALL or NTCA)",
              codes=NATIONALITIES, codes_name="nationality"),
        Field("total_value", "integer", "The published total", minimum=0),
        Field("parts", "string", "The parts added, as nationality=value"),
        Field("parts_sum", "integer", "Their sum", minimum=0),
        Field("test", "string", "'parts = total' for NTCA, 'parts <= total' for ALL (other "
              "nationalities make up the rest)"),
        Field("result", "string", "agrees or disagrees", codes=CHECK_RESULTS,
              codes_name="check result"),
        Field("figure_ids", "string", "Figures involved, separated by ';'"),
    ),
)


POPULATION_RAW = Table(
    name="population_raw",
    path="data/raw/snapshots/wb_population_0_14/<date>.csv",
    raw=True,
    description="Population aged 0-14 by country and year (a dated snapshot), used for child "
    "deportations per 100,000 children.",
    primary_key=("figure_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=(
        Field("figure_id", "string", "Stable id of the figure", pattern=ID_RE,
              pattern_hint="lower-case letters, digits and underscores"),
        Field("country", "string", "Country (ISO 3166 alpha-3)", codes=COUNTRIES,
              codes_name="recipient"),
        Field("year", "integer", "Calendar year", minimum=FY_MIN, maximum=FY_MAX,
              pattern=INT_RE, pattern_hint="a year"),
        Field("value", "integer", "Population aged 0 to 14", minimum=0,
              maximum=MAX_POPULATION, pattern=INT_RE,
              pattern_hint="a whole number", unit="people"),
        *_PROVENANCE,
    ),
)
