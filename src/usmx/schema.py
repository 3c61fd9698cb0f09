"""The one schema module: every table's columns, types, units and allowed codes.

The same definitions validate the raw inputs (with file, line, column and value in each
error), validate the processed tables, and write the data dictionary
(``data/processed/README.md`` and ``data/processed/datapackage.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from usmx.rawio import LINE, DataError, Problem

# --------------------------------------------------------------------------------------
# Closed code lists
# --------------------------------------------------------------------------------------

COUNTRIES: dict[str, str] = {
    "MEX": "Mexico",
    "GTM": "Guatemala",
    "HND": "Honduras",
    "SLV": "El Salvador",
    "BLZ": "Belize",
    "CRI": "Costa Rica",
    "NIC": "Nicaragua",
    "PAN": "Panama",
    "HTI": "Haiti",
    "DOM": "Dominican Republic",
    "USA": "United States",
}
AGGREGATES: dict[str, str] = {
    "CA7": "Central America: the seven countries Belize, Costa Rica, El Salvador, Guatemala, "
    "Honduras, Nicaragua and Panama, as a group",
    "NTCA": "Northern Triangle of Central America: Guatemala, Honduras and El Salvador",
    "CA7_HTI_DOM": "Central America together with Haiti and the Dominican Republic",
    "MEX_CA7": "Mexico and Central America together",
    "MERIDA_ALL": "All Mérida Initiative recipients (Mexico, Central America, Haiti, "
    "Dominican Republic)",
}
RECIPIENTS = {**COUNTRIES, **AGGREGATES}
DONORS = {"USA": "United States government"}

PROGRAMS: dict[str, str] = {
    "merida": "Mérida Initiative assistance managed by State and USAID (ESF, INCLE, FMF)",
    "merida_southern_border": "Mérida-funded State/INL support for Mexico's southern-border "
    "strategy (a part of merida, not additional to it)",
    "carsi": "Central America Regional Security Initiative, including its FY2008–FY2009 "
    "precursor inside the Mérida Initiative",
    "dod_counternarcotics": "Department of Defense counternarcotics support "
    "(Sections 1004/1033 and successors)",
    "bilateral_other": "Bilateral assistance outside the Mérida line, or whose Mérida "
    "attribution the source leaves unclear",
    "all_us_assistance": "All US foreign assistance to the recipient (context only)",
}
ACCOUNTS: dict[str, str] = {
    "ESF": "Economic Support Fund (State/USAID)",
    "INCLE": "International Narcotics Control and Law Enforcement (State/INL)",
    "FMF": "Foreign Military Financing (State, military equipment and training)",
    "NADR": "Nonproliferation, Anti-terrorism, Demining and Related Programs",
    "IMET": "International Military Education and Training",
    "DA": "Development Assistance (USAID)",
    "DOD_CN": "Department of Defense counterdrug funds",
    "TOTAL": "All accounts of the program together, as the source states the total",
    "UNSPECIFIED": "The source gives no account and the figure is not a program total",
}
STAGES: dict[str, str] = {
    "requested": "Asked for in the President's budget request",
    "committee_mark": "Approved by a congressional committee or chamber, not enacted",
    "appropriated": "Enacted by Congress (appropriation act or its explanatory statement)",
    "allocated": "Allocated by the executive to the recipient (spending plan, later actuals)",
    "pledged": "Announced or planned by the executive, not yet obligated",
    "obligated": "Committed by contract or agreement",
    "delivered": "Equipment, training or services handed over",
    "disbursed": "Money paid out",
    "withheld": "Held back from an appropriation (for example under human-rights conditions)",
}
VEHICLES: dict[str, str] = {
    "all": "All appropriation acts of the period together, or the source does not say",
    "regular": "The fiscal year's regular (or omnibus, or full-year continuing) appropriation",
    "supplemental": "A supplemental appropriation",
    "bridge": "The FY2009 'bridge' funds enacted in the FY2008 supplemental, which CRS and "
    "GAO count in the FY2008 package",
}
QUALIFIERS: dict[str, str] = {
    "exact": "Printed with no qualifier (a round figure such as '$2.3 billion' still allows "
    "half a unit of its last digit either way)",
    "about": "'about', 'some', 'roughly', 'approximately', 'around'",
    "nearly": "'nearly', 'almost', 'close to': the true value is at or below the figure",
    "more_than": "'more than', 'over': the true value is above the figure",
    "at_least": "'at least', 'not less than'",
    "at_most": "'at most', 'not more than' (for example a statutory ceiling)",
}
CONFIDENCES: dict[str, str] = {
    "high": "Read in the issuing body's own document, or in an official text quoting it",
    "medium": "Read in a news or NGO report quoting an official figure, or an official "
    "document whose definition is unclear",
    "low": "Read in a secondary source with an unclear basis, ambiguous year or definition",
}
SOURCE_KINDS: dict[str, str] = {
    "official": "Issued by a government body (CRS, GAO, State, a statute, an embassy, "
    "a member of Congress)",
    "secondary": "News, NGO, blog or copy of a document made by a third party",
}
STATUSES: dict[str, str] = {
    "published": "A figure printed in a source",
    "derived": "Computed from published figures by the rule shown (a sum of parts)",
    "gap": "No published figure could be read; amount is empty, never zero",
}
CHECK_RESULTS: dict[str, str] = {
    "agrees": "The sum of the annual figures lies within the range the total's qualifier "
    "allows",
    "disagrees": "The sum lies outside that range (listed in conflicts.csv)",
    "incomplete": "Some years in the span have no annual figure, so no sum can be compared",
}
CONFLICT_KINDS: dict[str, str] = {
    "same_key": "Two or more published figures for the same thing differ",
    "cumulative_vs_annual": "A published cumulative total disagrees with the sum of the "
    "annual figures over its span",
}

FY_MIN, FY_MAX = 2000, 2030

DATE_RE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
INT_RE = r"^[0-9]+$"
ID_RE = r"^[a-z0-9][a-z0-9_]*$"
SOURCE_ID_RE = r"^[A-Z0-9][A-Z0-9_]*$"

# --------------------------------------------------------------------------------------
# Table definitions
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # "string" | "integer" | "date" (ISO partial date: YYYY, YYYY-MM, YYYY-MM-DD)
    description: str
    required: bool = True
    codes: Mapping[str, str] | None = None
    codes_name: str | None = None
    pattern: str | None = None
    pattern_hint: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    raw: bool = False
    foreign_keys: Mapping[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _fy(name: str, what: str) -> Field:
    return Field(
        name, "integer", f"{what} US fiscal year (FY N runs 1 Oct N-1 to 30 Sep N)",
        minimum=FY_MIN, maximum=FY_MAX, unit="US fiscal year",
        pattern=INT_RE, pattern_hint="a four-digit fiscal year",
    )


_AMOUNT = Field(
    "amount_usd", "integer", "The figure, in current (nominal) US dollars, as printed "
    "(millions written out in full)", unit="US dollars (nominal)", minimum=0,
    pattern=INT_RE,
    pattern_hint="a whole number of US dollars: digits only, no sign, separators, decimals, "
    "currency symbols or footnote marks",
)
_SOURCE_ID = Field("source_id", "string", "The source the figure was read in "
                   "(a row of sources.csv)", pattern=SOURCE_ID_RE,
                   pattern_hint="an upper-case id such as CRS_R41349_2017_06")
_PROVENANCE = (
    _SOURCE_ID,
    Field("locator", "string", "Where in the source: table, row and column, page or "
          "paragraph"),
    Field("confidence", "string", "How sure we are of the reading", codes=CONFIDENCES,
          codes_name="confidence"),
    Field("note", "string", "What the source says around the figure, caveats, "
          "cross-checks", required=False),
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

SOURCES = Table(
    name="sources",
    path="data/raw/sources.csv",
    raw=True,
    description="The sources registry: every document a figure was read in.",
    primary_key=("source_id",),
    fields=(
        _SOURCE_ID,
        Field("title", "string", "Title of the document or page"),
        Field("publisher", "string", "Publisher and, where known, author"),
        Field("document", "string", "Document number or series (e.g. CRS R41349, "
              "GAO-13-771, P.L. 111-32)", required=False),
        Field("kind", "string", "Official or secondary source", codes=SOURCE_KINDS,
              codes_name="source kind"),
        Field("date_published", "date", "Date of the version read", required=False,
              pattern=DATE_RE, pattern_hint="YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("url", "string", "Where the version read can be found", pattern=r"^https?://",
              pattern_hint="an http(s) URL"),
        Field("date_accessed", "date", "When we read it", pattern=DATE_RE,
              pattern_hint="YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("licence", "string", "Terms of the document (US government works are in the "
              "public domain; figures from others are cited as facts)"),
        Field("attribution_short", "string", "Short attribution for chart footers"),
        Field("citation", "string", "Full citation"),
    ),
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

_ATTRIBUTION = (
    Field("attribution_short", "string", "Short attribution of the source (chart footers)"),
    Field("publisher", "string", "Publisher of the source"),
    Field("document", "string", "Document number of the source", required=False),
    Field("source_kind", "string", "Official or secondary source", codes=SOURCE_KINDS,
          codes_name="source kind"),
    Field("date_published", "date", "Date of the source version", required=False,
          pattern=DATE_RE),
    Field("url", "string", "URL of the source"),
)

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
        Field("stage", "string", "Stage of the chosen figure(s): appropriated, or allocated "
              "where only a spending plan splits the appropriation by account",
              required=False, codes=STAGES, codes_name="stage"),
        Field("confidence", "string", "Confidence of the chosen figure (the lowest of the "
              "parts for a derived sum)", required=False, codes=CONFIDENCES,
              codes_name="confidence"),
        Field("status", "string", "published, derived or gap", codes=STATUSES,
              codes_name="status"),
        Field("rule", "string", "The preference rule that chose the figure, or why there "
              "is none"),
        Field("n_candidates", "integer", "Number of published figures competing for this "
              "cell (all stages considered)", minimum=0, unit="count"),
        Field("figure_ids", "string", "The figure(s) used, separated by ';'",
              required=False),
        Field("source_ids", "string", "Their sources, separated by ';'", required=False),
        Field("note", "string", "Other figures for the cell and caveats", required=False),
    ),
)

FUNDING_CHECKS = Table(
    name="funding_checks",
    path="data/processed/funding_checks.csv",
    description="Every published cumulative Mérida total for Mexico set against the sum of "
    "the preferred annual totals over its span.",
    primary_key=("figure_id",),
    fields=(
        Field("figure_id", "string", "The cumulative figure checked"),
        _fy("fy_start", "First"),
        _fy("fy_end", "Last"),
        Field("stated_usd", "integer", "The cumulative total as printed", minimum=0,
              unit="US dollars (nominal)"),
        Field("qualifier", "string", "Its qualifier", codes=QUALIFIERS,
              codes_name="qualifier"),
        Field("range_low_usd", "integer", "Lowest value the printed figure and qualifier "
              "allow", minimum=0, unit="US dollars (nominal)"),
        Field("range_high_usd", "integer", "Highest value they allow", minimum=0,
              unit="US dollars (nominal)"),
        Field("annual_sum_usd", "integer", "Sum of the preferred annual totals (empty if a "
              "year is missing)", required=False, minimum=0, unit="US dollars (nominal)"),
        Field("years_missing", "string", "Fiscal years with no annual total", required=False),
        Field("result", "string", "agrees, disagrees or incomplete", codes=CHECK_RESULTS,
              codes_name="check result"),
        Field("source_id", "string", "Source of the cumulative total"),
    ),
)

CONFLICTS = Table(
    name="conflicts",
    path="data/processed/conflicts.csv",
    description="Where the record disagrees: every key with more than one differing figure, "
    "and every cumulative total that disagrees with its annual parts.",
    primary_key=("table", "kind", "key"),
    fields=(
        Field("table", "string", "Table the figures come from"),
        Field("kind", "string", "Kind of disagreement", codes=CONFLICT_KINDS,
              codes_name="conflict kind"),
        Field("key", "string", "What the figures measure (the key they share)"),
        Field("n_figures", "integer", "Number of figures", minimum=2, unit="count"),
        Field("min_value", "integer", "Smallest figure", minimum=0),
        Field("max_value", "integer", "Largest figure", minimum=0),
        Field("spread_pct", "string", "(max − min) / min, in percent, one decimal",
              unit="percent"),
        Field("figure_ids", "string", "The figures, separated by ';'"),
        Field("source_ids", "string", "Their sources, separated by ';'"),
        Field("detail", "string", "Each figure with its source and qualifier"),
    ),
)

SOURCES_PROCESSED = Table(
    name="sources_processed",
    path="data/processed/sources.csv",
    description="The sources registry, as validated, with the number of figures read in "
    "each source.",
    primary_key=("source_id",),
    fields=(*SOURCES.fields, Field("n_figures", "integer", "Figures taken from this source",
                                   minimum=0, unit="count")),
)

RAW_TABLES = (SOURCES, FUNDING_RAW)
PROCESSED_TABLES = (FUNDING, MERIDA_BY_FY, FUNDING_CHECKS, CONFLICTS, SOURCES_PROCESSED)

# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _raw_checks(f: Field, codes: Mapping[str, str] | None) -> list[pa.Check]:
    """Checks on a raw (all-text) column. Empty optional cells pass every check."""
    checks: list[pa.Check] = []

    def optional(test):
        return lambda s: (s == "") | test(s) if not f.required else test(s)

    if f.required:
        checks.append(pa.Check(lambda s: s != "", error="is empty; a value is required"))
    if f.pattern:
        regex = re.compile(f.pattern)
        hint = f.pattern_hint or f"must match {f.pattern}"
        checks.append(pa.Check(optional(lambda s: s.str.match(regex).astype(bool)),
                               error=f"is not {hint}"))
    if codes is not None:
        allowed = sorted(codes)
        name = f.codes_name or f.name
        shown = ", ".join(allowed) if len(allowed) <= 12 else f"{len(allowed)} codes"
        checks.append(pa.Check(optional(lambda s: s.isin(allowed)),
                               error=f"is not a known {name} code (allowed: {shown})"))
    if f.minimum is not None or f.maximum is not None:
        lo = f.minimum if f.minimum is not None else float("-inf")
        hi = f.maximum if f.maximum is not None else float("inf")

        def within(s: pd.Series) -> pd.Series:
            num = pd.to_numeric(s.where(s.str.match(INT_RE).astype(bool)), errors="coerce")
            return num.isna() | num.between(lo, hi)  # non-numbers are the pattern's job

        checks.append(pa.Check(within, error=f"is out of range ({f.minimum} to "
                                               f"{f.maximum})" if f.maximum is not None
                               else f"is below the minimum {f.minimum}"))
    return checks


def validate_raw(frame: pd.DataFrame, table: Table, label: str,
                 codes_override: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Validate a raw table read by ``rawio.read_raw_csv``; raise DataError listing every bad
    value with its line. ``codes_override`` supplies live code lists (foreign keys)."""
    codes_override = codes_override or {}
    schema = pa.DataFrameSchema(
        {f.name: pa.Column(str, _raw_checks(f, codes_override.get(f.name, f.codes)),
                           nullable=False)
         for f in table.fields},
        strict=False,
    )
    problems: list[Problem] = []
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            idx = case.index
            line = int(frame[LINE].iloc[int(idx)]) if pd.notna(idx) else None
            problems.append(Problem(label, line, case.column, case.failure_case, case.check))
    problems += _key_problems(frame, table.primary_key, label)
    if problems:
        raise DataError(problems)


def _key_problems(frame: pd.DataFrame, key: tuple[str, ...], label: str) -> list[Problem]:
    dup = frame.duplicated(list(key), keep=False)
    problems = []
    if dup.any():
        for _, group in frame[dup].groupby(list(key), sort=True):
            first = int(group[LINE].iloc[0])
            for _, row in group.iloc[1:].iterrows():
                value = ", ".join(f"{c}={row[c]}" for c in key)
                problems.append(Problem(label, int(row[LINE]), "+".join(key), value,
                                        f"duplicate key: already on line {first}"))
    return problems


def check_unique(frame: pd.DataFrame, key: tuple[str, ...], label: str) -> None:
    """Raise DataError naming each row whose ``key`` repeats an earlier row's."""
    problems = _key_problems(frame, key, label)
    if problems:
        raise DataError(problems)


_PA_TYPES = {"string": str, "integer": "Int64", "date": str}


def processed_schema(table: Table) -> pa.DataFrameSchema:
    """The pandera schema of a processed (typed) table."""
    columns = {}
    for f in table.fields:
        checks = []
        if f.codes is not None:
            checks.append(pa.Check.isin(sorted(f.codes)))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum))
        if f.type == "date":
            checks.append(pa.Check.str_matches(DATE_RE))
        columns[f.name] = pa.Column(_PA_TYPES[f.type], checks, nullable=not f.required)
    return pa.DataFrameSchema(columns, strict=True, ordered=True,
                              unique=list(table.primary_key))


def validate_processed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Validate a processed table; a failure here is a bug in the loaders, not in the data."""
    try:
        return processed_schema(table).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(20).to_string()
        raise DataError([Problem(table.path, None, None, None,
                                 f"processed table fails its schema:\n{cases}")]) from None


# --------------------------------------------------------------------------------------
# Data dictionary
# --------------------------------------------------------------------------------------

_CODE_LISTS: list[tuple[str, Mapping[str, str]]] = [
    ("recipient", RECIPIENTS), ("donor", DONORS), ("program", PROGRAMS),
    ("account", ACCOUNTS), ("stage", STAGES), ("vehicle", VEHICLES),
    ("qualifier", QUALIFIERS), ("confidence", CONFIDENCES), ("source kind", SOURCE_KINDS),
    ("status", STATUSES), ("check result", CHECK_RESULTS), ("conflict kind", CONFLICT_KINDS),
]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dictionary_markdown(preference_rule: str) -> str:
    """The data dictionary as Markdown (written to data/processed/README.md)."""
    out = [
        "# Data dictionary",
        "",
        "Generated by `python -m usmx build` from `usmx.schema`; do not edit by hand.",
        "",
        "Amounts are nominal US dollars written out in full. Fiscal years are US federal "
        "fiscal years (FY N = 1 October N-1 to 30 September N). Every figure keeps its stage "
        "(requested, appropriated, allocated, ...), its appropriation vehicle and its span: "
        "figures that differ in any of these measure different things.",
        "",
        "## Preference rule for `merida_mexico_by_fy.csv`",
        "",
        preference_rule.strip(),
        "",
    ]
    for table in (*PROCESSED_TABLES, *RAW_TABLES):
        out += [f"## `{table.path}`", "", table.description, "",
                f"Key: {', '.join(f'`{k}`' for k in table.primary_key)}", "",
                "| column | type | required | unit | description | allowed values |",
                "| --- | --- | --- | --- | --- | --- |"]
        for f in table.fields:
            allowed = f"see *{f.codes_name}* codes" if f.codes is not None else ""
            if f.minimum is not None or f.maximum is not None:
                bounds = f"{'' if f.minimum is None else f.minimum}–" \
                         f"{'' if f.maximum is None else f.maximum}"
                allowed = f"{allowed}; {bounds}" if allowed else bounds
            if f.pattern_hint and f.codes is None and table.raw:
                allowed = f"{allowed}; {f.pattern_hint}" if allowed else f.pattern_hint
            out.append(f"| `{f.name}` | {f.type} | {'yes' if f.required else 'no'} | "
                       f"{f.unit or ''} | {_md_cell(f.description)} | {_md_cell(allowed)} |")
        out.append("")
    out += ["## Codes", ""]
    for name, codes in _CODE_LISTS:
        out += [f"### {name}", "", "| code | meaning |", "| --- | --- |"]
        out += [f"| `{k}` | {_md_cell(v)} |" for k, v in codes.items()]
        out.append("")
    return "\n".join(out)


def datapackage_json() -> str:
    """The processed tables as a Frictionless Data Package descriptor."""
    resources = []
    for table in PROCESSED_TABLES:
        fields = []
        for f in table.fields:
            spec: dict = {"name": f.name, "type": "string" if f.type == "date" else f.type,
                          "description": f.description}
            constraints: dict = {}
            if f.required:
                constraints["required"] = True
            if f.codes is not None:
                constraints["enum"] = sorted(f.codes)
            if f.minimum is not None:
                constraints["minimum"] = f.minimum
            if f.maximum is not None:
                constraints["maximum"] = f.maximum
            if constraints:
                spec["constraints"] = constraints
            if f.unit:
                spec["unit"] = f.unit
            fields.append(spec)
        resources.append({
            "name": table.name.replace("_", "-"),
            "path": table.path.removeprefix("data/processed/"),
            "format": "csv",
            "encoding": "utf-8",
            "description": table.description,
            "schema": {"fields": fields, "primaryKey": list(table.primary_key),
                       "missingValues": [""]},
        })
    package = {
        "name": "usmx",
        "title": "US funding of Mexican security and immigration enforcement, and the "
                 "deportation of children: sourced tables",
        "licenses": [{"name": "CC-BY-4.0",
                      "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": resources,
    }
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"
