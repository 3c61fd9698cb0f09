"""The project's one vocabulary: closed code lists with their meanings, display names,
plausible bounds, the study years and the shapes of ids and dates.

Imports nothing from usmx: every other module may import it.
"""

from __future__ import annotations

from collections.abc import Mapping  # noqa: F401

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
    "different labels (the pairs are named in usmx.domains.funding.COMPARABLE)",
    "sum_of_months": "A figure printed for a period disagrees with the sum of one source's "
    "monthly figures for the same months (the same counter, measure and unit)",
    "sender_vs_receiver": "The deporting state's count of returns and the receiving "
    "country's count of arrivals for the same flow, year and nationality differ (they are "
    "different counts: events against persons, at either end of the journey)",
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
    "NIC": "Nicaragua",
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
    "uac_expulsions": "US Border Patrol expulsions of unaccompanied children under Title 42 "
    "(the public-health order of March 2020 to May 2023), counted apart from Title 8 "
    "apprehensions",
    "asylum_applications": "Asylum applications lodged (UNHCR: new applications)",
    "asylum_applications_appeal": "Asylum applications that UNHCR's table labels as appeals "
    "or repeat applications (kept apart from new applications, as the table labels them)",
}
UNITS: dict[str, str] = {
    "persons": "People",
    "events": "Events: one person can be counted more than once in a period",
    "cases": "Cases (one application can cover several people)",
}

# The parts of an aggregate nationality: a definition, not a list of the countries studied
# (that list is data: data/raw/countries.csv).
AGGREGATE_PARTS: dict[str, tuple[str, ...]] = {
    "NTCA": ("GTM", "HND", "SLV"),
    # the countries of asylum the article's 1,185 % compares (Mexico and four neighbours)
    "MEX_BLZ_CRI_NIC_PAN": ("MEX", "BLZ", "CRI", "NIC", "PAN"),
}
# Nationality codes that are single countries (the rest are aggregates).
COUNTRY_NATIONALITIES = tuple(c for c in NATIONALITIES if c in COUNTRIES)

COUNTRY_GROUPS: dict[str, str] = {
    "central_america": "A Central American country whose nationals are returned by Mexico "
    "and the US (a panel or line of its own in the charts by country)",
    "mexico": "Mexico: the deporting state studied, and the nationality of the Mexican "
    "children the US returns",
}
# The colours a country may take in the charts (Okabe-Ito; usmx.charts.theme gives each
# its value).
PALETTE: dict[str, str] = {
    "blue": "Okabe-Ito blue", "orange": "Okabe-Ito orange", "green": "Okabe-Ito bluish green",
    "vermillion": "Okabe-Ito vermillion", "purple": "Okabe-Ito reddish purple",
    "sky": "Okabe-Ito sky blue", "black": "black", "grey": "grey",
}
YES_NO: dict[str, str] = {"yes": "Yes", "no": "No"}
SUM_STATUSES: dict[str, str] = {
    "complete": "Every month of the year is in the source: the sum is a whole-year figure",
    "partial": "Some months of the year are missing from the source (a year not yet over, "
    "or not yet published): kept and labelled, never drawn or compared as a whole year",
}

# --- events and claims --------------------------------------------------------------

EVENT_KINDS: dict[str, str] = {
    "announcement": "A government announces a program or policy",
    "statement": "An official statement",
    "detention": "People detained",
    "deportation_order": "An order to deport issued",
    "release": "Detained people released",
    "abuse": "Reported abuse of detained people",
    "agreement": "Governments agree on a policy or a framework of cooperation",
}
ACTORS: dict[str, str] = {"MEX": "Mexico's government", "USA": "The US government",
                          "MEX_USA": "The Mexican and US governments together"}
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

# --------------------------------------------------------------------------------------
# Display names (charts, views, the README): one place, so that no module names its own
# --------------------------------------------------------------------------------------

# Each nationality code's name (the countries' as the code list gives them; the charts and
# views print the studied countries' names from data/raw/countries.csv).
COUNTRY_NAMES: dict[str, str] = {
    **{code: NATIONALITIES[code] for code in COUNTRY_NATIONALITIES},
    "NTCA": "Guatemala, Honduras and El Salvador", "CA": "Central America",
    "ALL": "All nationalities",
}
VERDICT_LABELS: dict[str, str] = {
    "supported": "Supported", "supported_with_caveats": "Supported, with caveats",
    "overstated": "Overstated", "understated": "Understated", "contradicted": "Contradicted",
    "not_traceable": "Not traceable in the record",
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


SCOPES: dict[str, str] = {
    "merida": "Mérida Initiative money only",
    "account": "All the money in the account for the recipient, Mérida or not",
    "all_assistance": "All US foreign assistance to the recipient, every agency and account",
}
