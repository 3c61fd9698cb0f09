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
    "all_us_assistance": "All US foreign assistance to the recipient, every agency and "
    "account (ForeignAssistance.gov's country totals)",
    "state_foreign_assistance": "All State Department and USAID foreign-assistance accounts "
    "for the recipient (the budget justification's country total)",
    "all_in_account": "All money in the account for the recipient, whatever the program "
    "(Mérida and non-Mérida alike): the budget tables and the Greenbook count accounts, not "
    "programs",
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
    "allocated": "Allocated by the executive to the recipient (spending plan, or the "
    "'actual' column of a later budget justification)",
    "initial_allocation": "The executive's first allocation of the year's enacted money "
    "(ForeignAssistance.gov 'Initial Allocations'); later reprogramming is not in it",
    "planned": "Appropriated money as the agencies plan to use it (ForeignAssistance.gov "
    "'Appropriated and Planned'); may include other agencies' money, such as Defense's",
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
    "official": "Issued by a government body (CRS, GAO, State, USAID, a statute, an embassy, "
    "a member of Congress), read in its own release or in a faithful copy or transcription "
    "of it whose maker is named in `carrier`",
    "secondary": "News, NGO or blog, or a third party's copy whose fidelity is not "
    "established",
}
ORIGINATORS: dict[str, str] = {
    "CBP": "US Customs and Border Protection (Border Patrol)",
    "ICE": "US Immigration and Customs Enforcement",
    "DHS_OIS": "DHS Office of Immigration Statistics (Yearbook)",
    "HHS_ORR": "HHS Office of Refugee Resettlement",
    "INM_UPM": "Mexico's migration institute (INM) and its statistics unit (UPM, SEGOB)",
    "SRE": "Mexico's foreign ministry",
    "GTM_GOV": "Guatemala's government (DGM, SBS, foreign ministry)",
    "HND_GOV": "Honduras' government (CONMIGHO, CENISS, DINAF)",
    "SLV_GOV": "El Salvador's government (DGME)",
    "NTCA_GOV": "The governments of El Salvador, Guatemala and Honduras together",
    "IOM": "International Organization for Migration",
    "UNHCR": "UN Refugee Agency",
    "UNICEF": "UNICEF",
    "STATE": "US Department of State",
    "USAID": "US Agency for International Development",
    "DOD": "US Department of Defense",
    "CONGRESS": "US Congress (statutes, appropriation acts, committee reports)",
    "GAO": "US Government Accountability Office",
    "CRS": "Congressional Research Service (its own estimate)",
    "WORLDBANK": "World Bank",
    "BLS": "US Bureau of Labor Statistics",
    "UWCHR": "University of Washington Center for Human Rights (its own FOIA analysis)",
    "MPI": "Migration Policy Institute (its own compilation)",
    "OTHER": "Another body (named in the source's title or citation)",
}
# Short names for chart source lines ("CBP, via ...").
ORIGINATOR_SHORT: dict[str, str] = {
    "CBP": "CBP", "ICE": "ICE", "DHS_OIS": "DHS", "HHS_ORR": "HHS ORR", "INM_UPM": "INM/UPM",
    "SRE": "SRE", "GTM_GOV": "Guatemala govt.", "HND_GOV": "Honduras govt.",
    "SLV_GOV": "El Salvador govt.", "NTCA_GOV": "Guatemala, Honduras, El Salvador govts.",
    "IOM": "IOM", "UNHCR": "UNHCR", "UNICEF": "UNICEF", "STATE": "US State Dept.",
    "USAID": "USAID", "DOD": "US Defense Dept.", "CONGRESS": "US Congress", "GAO": "GAO",
    "CRS": "CRS", "WORLDBANK": "World Bank", "BLS": "BLS", "UWCHR": "UWCHR", "MPI": "MPI",
    "OTHER": "other bodies",
}
CARRIER_KINDS: dict[str, str] = {
    "originator": "The originating body's own document or data file (or a faithful copy of "
    "it, named in `carrier`)",
    "official_reprint": "Another official body quoting the originator: CRS, GAO, testimony, "
    "a member of Congress, an embassy",
    "research": "An NGO, think tank, university or UN agency report compiling others' figures",
    "news": "A wire service, newspaper or broadcaster",
    "partisan": "A partisan outlet, advocacy or law-firm blog, content farm or handout of "
    "unclear origin (a last resort)",
}
CARRIER_ORDER = {k: i for i, k in enumerate(CARRIER_KINDS)}

STATUSES: dict[str, str] = {
    "published": "A figure printed in a source",
    "derived": "Computed from published figures by the rule shown (a sum of parts)",
    "gap": "No published figure could be read; amount is empty, never zero",
}
CHECK_RESULTS: dict[str, str] = {
    "agrees": "The sum of the parts (annual figures, or country figures) is consistent with "
    "the total, within the range the total's qualifier allows",
    "disagrees": "It is not (listed in conflicts.csv)",
    "incomplete": "Some parts have no figure, so no sum can be compared",
}
CHECK_BASES: dict[str, str] = {
    "merida_totals": "The preferred Mérida totals of merida_mexico_by_fy (a year with no "
    "total is missing)",
    "best_available": "The Mérida total where one is published or derived, else the sum of "
    "the year's INCLE, ESF and FMF figures in mexico_funding_by_fy (State allocations of the "
    "whole account, or requests), as each row of years_detail says",
}
CONFLICT_KINDS: dict[str, str] = {
    "same_key": "Two or more published figures for the same thing differ",
    "cumulative_vs_annual": "A published cumulative total disagrees with the sum of the "
    "annual figures over its span",
    "sum_of_parts": "A published total disagrees with the sum of its published parts",
    "cross_dataset": "Two datasets give different figures for the same measure under "
    "different labels (the pairs are named in usmx.funding.COMPARABLE)",
}


# --- deportations -------------------------------------------------------------------

YEAR_BASES: dict[str, str] = {
    "us_fiscal": "US federal fiscal year, October to September (FY N ends 30 September N)",
    "calendar": "Calendar year, January to December",
}
REPORTERS: dict[str, str] = {
    "CBP": "US Customs and Border Protection (Border Patrol apprehensions)",
    "DHS_OIS": "DHS Office of Immigration Statistics (Yearbook of Immigration Statistics)",
    "ICE": "US Immigration and Customs Enforcement (ERO removal reports, ICE data releases)",
    "UWCHR": "University of Washington Center for Human Rights, counting ICE Air (ARTS) "
    "flight records obtained under FOIA",
    "INM_UPM": "Mexico's Instituto Nacional de Migración and the Unidad de Política "
    "Migratoria (SEGOB)",
    "GTM_GOV": "Guatemala's government (Dirección General de Migración and others)",
    "HND_GOV": "Honduras' government (CONMIGHO, DINAF and others)",
    "SLV_GOV": "El Salvador's government (Dirección General de Migración y Extranjería)",
    "IOM": "International Organization for Migration",
    "UNHCR": "UN Refugee Agency (asylum statistics)",
    "MPI": "Migration Policy Institute (its own compilation of official data)",
    "SRE": "Mexico's foreign ministry (Secretaría de Relaciones Exteriores, consular counts)",
    "NTCA_GOV": "The governments of El Salvador, Guatemala and Honduras together (foreign "
    "ministries' combined count)",
    "UNICEF": "UNICEF (its own compilation of official data)",
    "CASA_ALIANZA": "Casa Alianza Honduras (NGO; arrivals at the Belén reception centre)",
}
DEPORTING_STATES: dict[str, str] = {
    "USA": "United States",
    "MEX": "Mexico",
    "MEX_USA": "Mexico and the United States together",
    "BLZ": "Belize (asylum country)",
    "CRI": "Costa Rica (asylum country)",
    "NIC": "Nicaragua (asylum country)",
    "PAN": "Panama (asylum country)",
}
NATIONALITIES: dict[str, str] = {
    "GTM": "Guatemala",
    "HND": "Honduras",
    "SLV": "El Salvador",
    "MEX": "Mexico",
    "NTCA": "Guatemala, Honduras and El Salvador together",
    "CA": "All Central American nationalities",
    "ALL": "All nationalities",
}
AGE_GROUPS: dict[str, str] = {
    "minor": "Under 18",
    "minor_0_11": "Aged 0 to 11",
    "minor_12_17": "Aged 12 to 17",
    "adult": "18 and over",
    "all": "All ages",
}
ACCOMPANIMENTS: dict[str, str] = {
    "unaccompanied": "Travelling without a parent or legal guardian (US: 'unaccompanied alien "
    "children')",
    "accompanied": "Travelling with a parent or guardian (US: members of family units)",
    "all": "Accompanied and unaccompanied together, or not distinguished",
}
MEASURES: dict[str, str] = {
    "uac_apprehensions": "US Border Patrol apprehensions of unaccompanied alien children "
    "(Southwest border unless noted)",
    "family_unit_apprehensions": "US Border Patrol apprehensions of members of family units",
    "apprehensions": "Apprehensions; for Mexico, people 'presentados' to the migration "
    "authority (detained in or channelled to a migration station)",
    "removals": "Formal removals (deportations) under an order",
    "removals_criminal": "DHS Yearbook removals of people with a criminal conviction",
    "removals_noncriminal": "DHS Yearbook removals of people without a criminal conviction",
    "returns": "US returns: departures without an order of removal",
    "removals_and_returns": "US removals and returns together",
    "devoluciones": "Mexico's returns of foreigners (deportation plus assisted return)",
    "repatriations_received": "People the receiving country records as returned to it",
    "air_removals": "Passengers on ICE Air removal flights (unique people per flight)",
    "asylum_applications": "Asylum applications lodged (UNHCR: new applications)",
    "asylum_applications_appeal": "Asylum applications that UNHCR's table labels as appeals "
    "or repeat applications (kept apart from new applications, as the table labels them)",
}
UNITS: dict[str, str] = {
    "persons": "People",
    "events": "Events: one person can be counted more than once in a period",
    "cases": "Cases (one application can cover several people)",
}

# --- events and claims --------------------------------------------------------------

EVENT_KINDS: dict[str, str] = {
    "announcement": "A government announces a program or policy",
    "statement": "An official statement",
    "detention": "People detained",
    "deportation_order": "An order to deport issued",
    "release": "Detained people released",
    "abuse": "Reported abuse of detained people",
}
ACTORS: dict[str, str] = {"MEX": "Mexico's government", "USA": "The US government"}
CLAIM_UNITS: dict[str, str] = {
    "usd": "US dollars (nominal)", "children": "Children (people under 18)",
    "persons": "People", "percent": "Percent change", "none": "Not a number (an event)",
}
COMPARATORS: dict[str, str] = {
    "over": "The article says more than the figure ('over', 'well over')",
    "about": "The article gives the figure as is",
    "first_time": "The article says something happened for the first time in a period",
    "increase_pct": "The article gives a percentage increase between two years",
    "event": "The article reports an event, not a number",
}
VERDICTS: dict[str, str] = {
    "supported": "The record shows it",
    "supported_with_caveats": "The record shows it, with a limit the reader should know",
    "overstated": "The record shows less than the article says",
    "understated": "The record shows more than the article says",
    "contradicted": "The record shows something different",
    "not_traceable": "No figure in the record matches it",
}

FY_MIN, FY_MAX = 2000, 2030
# Plausible bounds: a larger number is a typo (and would not fit a 64-bit integer).
MAX_USD = 10_000_000_000_000  # ten trillion dollars
MAX_COUNT = 100_000_000  # a hundred million people or events
MAX_POPULATION = 2_000_000_000
# The years the article covers: every preferred series shows each of them (as a gap where it
# has no figure), and stretches beyond them to whatever years its own figures cover.
STUDY_YEARS = (2008, 2017)


def study_range(years) -> range:
    """The study years, stretched to every year in ``years``: no year of the data is cut
    off by a fixed range."""
    years = list(years)
    return range(min([STUDY_YEARS[0], *years]), max([STUDY_YEARS[1], *years]) + 1)
MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"

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
    maximum=MAX_USD, pattern=INT_RE,
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
        Field("publisher", "string", "Publisher and, where known, author: whose figures these "
              "are (the originating body)"),
        Field("originators", "string", "Whose counts or figures the document carries (the "
              "originating bodies), separated by ';'", pattern=r"^(" + "|".join(ORIGINATORS)
              + r")(;(" + "|".join(ORIGINATORS) + r"))*$",
              pattern_hint="one or more originator codes separated by ';' (see *originator* "
              "codes)"),
        Field("carrier_kind", "string", "What kind of document carries them", codes=CARRIER_KINDS,
              codes_name="carrier kind"),
        Field("carrier", "string", "Who made the copy that was read, when it is not the "
              "publisher's own release: a transcription or a public repository holding the "
              "data file (with its commit)", required=False),
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
    Field("publisher", "string", "Publisher of the source (whose figures these are)"),
    Field("originators", "string", "Whose figures the source carries (';'-separated)"),
    Field("carrier_kind", "string", "What kind of document carries them",
          codes=CARRIER_KINDS, codes_name="carrier kind"),
    Field("carrier", "string", "Who made the copy read, when not the publisher's own "
          "release", required=False),
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

def _choice_fields(competing: str, note: str) -> tuple[Field, ...]:
    """The columns every preferred-figure table ends with: why this figure, and which."""
    return (
        Field("status", "string", "published, derived or gap", codes=STATUSES,
              codes_name="status"),
        Field("rule", "string", "The rule that chose the figure, or why there is none"),
        Field("n_candidates", "integer", competing, minimum=0, unit="count"),
        Field("figure_ids", "string", "The figure(s) used, separated by ';'", required=False),
        Field("source_ids", "string", "Their sources, separated by ';'", required=False),
        Field("note", "string", note, required=False),
        Field("other_figure_ids", "string", "The cell's other figures: rivals the rule put "
              "behind the chosen one, and those listed in the note; separated by ';'",
              required=False),
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

SCOPES: dict[str, str] = {
    "merida": "Mérida Initiative money only",
    "account": "All the money in the account for the recipient, Mérida or not",
    "all_assistance": "All US foreign assistance to the recipient, every agency and account",
}

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

UNUSED = Table(
    name="unused_figures",
    path="data/processed/unused_figures.csv",
    description="Published figures that no preferred table, check, rate or claim uses — "
    "neither chosen for, nor competing for, nor noted in any cell — each with the reason. "
    "Nothing in data/raw/ is dropped without a word: a figure here is kept in funding.csv or "
    "deportations.csv, and this table says why no series shows it.",
    primary_key=("table", "figure_id"),
    fields=(
        Field("table", "string", "The table of all figures it is in (funding or "
              "deportations)"),
        Field("figure_id", "string", "The figure"),
        Field("period", "string", "Its period (fiscal years, or first..last month)"),
        Field("value", "integer", "The figure (US dollars, or its count's unit)", minimum=0),
        Field("source_id", "string", "Its source"),
        Field("reason", "string", "Why no series, check or claim uses it"),
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

EVENTS_RAW = Table(
    name="events_raw",
    path="data/raw/events.csv",
    raw=True,
    description="Dated events the charts and claims refer to (programs announced, official "
    "statements, a documented detention), each with its source.",
    primary_key=("event_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=(
        Field("event_id", "string", "Stable id of the event", pattern=ID_RE,
              pattern_hint="lower-case letters, digits and underscores"),
        Field("date", "date", "When it happened, as precisely as the source says",
              pattern=DATE_RE, pattern_hint="YYYY, YYYY-MM or YYYY-MM-DD"),
        Field("actor", "string", "Who acted", codes=ACTORS, codes_name="actor"),
        Field("kind", "string", "Kind of event", codes=EVENT_KINDS, codes_name="event kind"),
        Field("subject", "string", "What the event concerns (shared by related events)",
              pattern=ID_RE, pattern_hint="lower-case letters, digits and underscores"),
        Field("what", "string", "The event, in the project's words"),
        *_PROVENANCE,
    ),
)

EVENTS = Table(
    name="events",
    path="data/processed/events.csv",
    description="Dated events, with source attribution joined.",
    primary_key=("event_id",),
    fields=(*EVENTS_RAW.fields, *_ATTRIBUTION),
)

CLAIMS_RAW = Table(
    name="claims_raw",
    path="data/raw/claims.csv",
    raw=True,
    description="The article's checkable statements as data, paraphrased: the figure as "
    "printed, its unit, period and comparator, and what the article cites.",
    primary_key=("claim_id",),
    foreign_keys={"source_id": "sources.source_id"},
    fields=(
        Field("claim_id", "string", "Stable id of the claim", pattern=ID_RE,
              pattern_hint="lower-case letters, digits and underscores"),
        Field("statement", "string", "The statement, paraphrased (never quoted)"),
        Field("figure_printed", "string", "The figure as the article prints it",
              required=False),
        Field("value", "integer", "The figure as a number, in its unit", required=False,
              minimum=0, maximum=MAX_USD, pattern=INT_RE, pattern_hint="a whole number"),
        Field("unit", "string", "Unit of the figure", codes=CLAIM_UNITS, codes_name="claim unit"),
        Field("period_start", "integer", "First year the statement covers", required=False,
              minimum=FY_MIN, maximum=FY_MAX, pattern=INT_RE, pattern_hint="a year"),
        Field("period_end", "integer", "Last year the statement covers", required=False,
              minimum=FY_MIN, maximum=FY_MAX, pattern=INT_RE, pattern_hint="a year"),
        Field("comparator", "string", "How the figure is asserted", codes=COMPARATORS,
              codes_name="comparator"),
        Field("cites", "string", "What the article cites for it", required=False),
        *_PROVENANCE,
    ),
)

CLAIMS = Table(
    name="claims",
    path="data/processed/claims.csv",
    description="Each claim of the article against the record: the evidence computed from "
    "the processed tables, how it was combined, and a verdict with its reason. Generated by "
    "usmx.claims; nothing here is typed by hand.",
    primary_key=("claim_id",),
    fields=(
        Field("claim_id", "string", "The claim"),
        Field("statement", "string", "The statement, paraphrased"),
        Field("figure_printed", "string", "The article's figure", required=False),
        Field("article_value", "integer", "The article's figure as a number",
              required=False),
        Field("unit", "string", "Unit of both figures", codes=CLAIM_UNITS,
              codes_name="claim unit"),
        Field("verdict", "string", "Verdict on a fixed scale", codes=VERDICTS,
              codes_name="verdict"),
        Field("record_value", "integer", "The record's nearest comparable figure, in the "
              "claim's unit", required=False),
        Field("record_figure", "string", "That figure in words, with its qualifier",
              required=False),
        Field("measure", "string", "What the record actually measures"),
        Field("combination", "string", "How the figures were combined"),
        Field("reason", "string", "Why the verdict"),
        Field("figure_ids", "string", "Figures used, separated by ';'", required=False),
        Field("source_ids", "string", "Their sources, separated by ';'", required=False),
        Field("section", "string", "The section of notebooks/04-claims-check.ipynb that "
              "shows it"),
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

RAW_TABLES = (SOURCES, FUNDING_RAW, FUNDING_SNAPSHOT, DEPORTATIONS_RAW, EVENTS_RAW, CLAIMS_RAW,
              PRICES_RAW, POPULATION_RAW)
PROCESSED_TABLES = (FUNDING, MERIDA_BY_FY, FUNDING_SERIES, MEXICO_FUNDING, FUNDING_CHECKS,
                    DEPORTATIONS, CHILD_BY_YEAR, ALL_AGES_BY_YEAR, DEPORTATION_CHECKS,
                    CONFLICTS, UNUSED, EVENTS, CLAIMS, SOURCES_PROCESSED)

# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _real_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a day that exists (no 2015-02-30); other shapes
    are the pattern's to report."""
    import datetime as dt

    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return True
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _raw_checks(f: Field, codes: Mapping[str, str] | None) -> list:
    """Checks on a raw (all-text) column. Empty optional cells pass every check."""
    import pandera.pandas as pa  # imported here: only validation needs pandera

    checks: list = []

    def optional(test):
        return lambda s: (s == "") | test(s) if not f.required else test(s)

    if f.required:
        checks.append(pa.Check(lambda s: s != "", error="is empty; a value is required"))
    if f.pattern:
        regex = re.compile(f.pattern)
        hint = f.pattern_hint or f"must match {f.pattern}"
        checks.append(pa.Check(optional(lambda s: s.str.match(regex).astype(bool)),
                               error=f"is not {hint}"))
    if f.type == "date":
        checks.append(pa.Check(optional(lambda s: s.map(_real_date)),
                               error="is not a real calendar date"))
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
    import pandera.pandas as pa

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


_PA_TYPES = {"string": str, "integer": "Int64", "number": "Float64", "date": str,
             "month": str}


def processed_schema(table: Table):
    """The pandera schema of a processed (typed) table."""
    import pandera.pandas as pa

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
        if f.type == "month":
            checks.append(pa.Check.str_matches(MONTH_RE))
        columns[f.name] = pa.Column(_PA_TYPES[f.type], checks, nullable=not f.required)
    return pa.DataFrameSchema(columns, strict=True, ordered=True,
                              unique=list(table.primary_key))


def validate_processed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Validate a processed table; a failure here is a bug in the loaders, not in the data."""
    import pandera.pandas as pa

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
    ("originator", ORIGINATORS), ("carrier kind", CARRIER_KINDS),
    ("scope", SCOPES), ("status", STATUSES), ("check result", CHECK_RESULTS),
    ("check basis", CHECK_BASES), ("conflict kind", CONFLICT_KINDS),
    ("year basis", YEAR_BASES), ("reporter", REPORTERS), ("deporting state", DEPORTING_STATES),
    ("nationality", NATIONALITIES), ("age group", AGE_GROUPS),
    ("accompaniment", ACCOMPANIMENTS), ("measure", MEASURES), ("unit", UNITS),
    ("event kind", EVENT_KINDS), ("actor", ACTORS), ("claim unit", CLAIM_UNITS),
    ("comparator", COMPARATORS), ("verdict", VERDICTS),
]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dictionary_markdown(preference_rules: Mapping[str, str]) -> str:
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
    ]
    for target, rule in preference_rules.items():
        out += [f"## Preference rule for {target}", "", rule.strip(), ""]
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
            spec: dict = {"name": f.name,
                          "type": "string" if f.type in ("date", "month") else f.type,
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
