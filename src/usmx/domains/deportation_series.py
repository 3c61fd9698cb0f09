"""The declared deportation series: what each counts (measure, deporting state, counters,
age group, accompaniment, unit, year basis, nationalities), and the written rule that picks
one figure per series, year and nationality (:data:`PREFERENCE_RULE`).

A new series is one more ``DeportationSeries`` in :data:`CHILD_SERIES` or
:data:`ALL_AGES_SERIES`; its measure, reporter and unit codes live in ``usmx.schema``.
"""

from __future__ import annotations

from dataclasses import dataclass

COUNTRIES = ("GTM", "HND", "SLV", "MEX")
NTCA_PARTS = ("GTM", "HND", "SLV")


@dataclass(frozen=True)
class DeportationSeries:
    id: str
    title: str
    measure: str
    deporting_state: str
    reporters: tuple[str, ...]  # acceptable counters, most preferred first
    age_group: str
    accompaniment: str
    unit: str
    year_basis: str
    nationalities: tuple[str, ...]
    sum_of: tuple[str, ...] = ()  # measures whose figures from one source add up to this one
    own_country: bool = False  # only the nationality's own government (or IOM) may count it

    def accepts(self, reporter: str, nationality: str) -> bool:
        if reporter not in self.reporters:
            return False
        if self.own_country and reporter.endswith("_GOV"):
            return reporter == ("NTCA_GOV" if nationality == "NTCA" else f"{nationality}_GOV")
        return True


CHILD_SERIES = (
    DeportationSeries(
        "us_uac_apprehensions", "US Border Patrol apprehensions of unaccompanied children "
        "(Southwest border)", "uac_apprehensions", "USA", ("CBP",), "minor",
        "unaccompanied", "events", "us_fiscal",
        ("GTM", "HND", "SLV", "MEX", "NTCA", "ALL")),
    DeportationSeries(
        "us_uac_removals", "US (ICE) removals of unaccompanied children",
        "removals", "USA", ("ICE",), "minor", "unaccompanied", "events", "us_fiscal",
        ("GTM", "HND", "SLV", "MEX", "NTCA", "ALL")),
    DeportationSeries(
        "us_juvenile_air_removals", "Juveniles on ICE Air removal flights",
        "air_removals", "USA", ("UWCHR",), "minor", "all", "events", "us_fiscal",
        ("GTM", "HND", "SLV", "MEX", "ALL")),
    DeportationSeries(
        "mx_minor_apprehensions", "Minors apprehended by Mexico (presentados)",
        "apprehensions", "MEX", ("INM_UPM",), "minor", "all", "events", "calendar",
        ("GTM", "HND", "SLV", "NTCA", "CA", "ALL")),
    DeportationSeries(
        "mx_minor_returns", "Minors returned by Mexico (devoluciones)", "devoluciones",
        "MEX", ("INM_UPM",), "minor", "all", "events", "calendar",
        ("GTM", "HND", "SLV", "NTCA", "CA", "ALL")),
    DeportationSeries(
        "mx_minor_returns_unaccompanied", "Unaccompanied minors returned by Mexico",
        "devoluciones", "MEX", ("INM_UPM",), "minor", "unaccompanied", "events",
        "calendar", ("GTM", "HND", "SLV", "NTCA", "CA", "ALL")),
    DeportationSeries(
        "received_minors_from_mexico", "Minors returned from Mexico, as counted by their "
        "country", "repatriations_received", "MEX",
        ("GTM_GOV", "HND_GOV", "SLV_GOV", "NTCA_GOV", "IOM"),
        "minor", "all", "persons", "calendar",
        ("GTM", "HND", "SLV", "NTCA"), own_country=True),
    DeportationSeries(
        "received_minors_from_us", "Minors returned from the US, as counted by their "
        "country", "repatriations_received", "USA",
        ("GTM_GOV", "HND_GOV", "SLV_GOV", "NTCA_GOV", "IOM"),
        "minor", "all", "persons", "calendar",
        ("GTM", "HND", "SLV", "NTCA"), own_country=True),
    DeportationSeries(
        "us_to_mexico_minor_repatriations", "Mexican minors repatriated by the US, as "
        "counted by Mexico", "repatriations_received", "USA", ("INM_UPM",), "minor", "all",
        "events", "calendar", ("MEX",)),
    DeportationSeries(
        "us_to_mexico_unaccompanied_repatriations", "Unaccompanied Mexican minors "
        "repatriated by the US, as counted by Mexico", "repatriations_received", "USA",
        ("INM_UPM",), "minor", "unaccompanied", "events", "calendar",
        ("MEX",)),
)

ALL_AGES_SERIES = (
    DeportationSeries(
        "us_removals", "US removals (DHS Yearbook)", "removals", "USA", ("DHS_OIS",),
        "all", "all", "events", "us_fiscal",
        ("GTM", "HND", "SLV", "MEX", "NTCA", "ALL"),
        sum_of=("removals_criminal", "removals_noncriminal")),
    DeportationSeries(
        "us_ice_removals", "ICE removals (ICE counts, which include some returns)",
        "removals", "USA", ("ICE",), "all", "all", "events", "us_fiscal",
        ("GTM", "HND", "SLV", "MEX", "NTCA", "ALL")),
    DeportationSeries(
        "us_returns", "US returns (DHS Yearbook)", "returns", "USA", ("DHS_OIS",), "all",
        "all", "events", "us_fiscal",
        ("GTM", "HND", "SLV", "MEX", "NTCA", "ALL")),
    DeportationSeries(
        "mx_returns", "Mexico's returns of foreigners (devoluciones)", "devoluciones",
        "MEX", ("INM_UPM",), "all", "all", "events", "calendar",
        ("GTM", "HND", "SLV", "NTCA", "CA", "ALL")),
    DeportationSeries(
        "received_from_mexico", "Nationals returned from Mexico, as counted by their "
        "country", "repatriations_received", "MEX",
        ("GTM_GOV", "HND_GOV", "SLV_GOV", "NTCA_GOV", "IOM"),
        "all", "all", "persons", "calendar",
        ("GTM", "HND", "SLV", "NTCA"), own_country=True),
    DeportationSeries(
        "received_from_us", "Nationals returned from the US, as counted by their country",
        "repatriations_received", "USA",
        ("GTM_GOV", "HND_GOV", "SLV_GOV", "NTCA_GOV", "IOM"), "all",
        "all", "persons", "calendar", ("GTM", "HND", "SLV", "NTCA"),
        own_country=True),
)

PREFERENCE_RULE = """
One figure per series, year and nationality. A series fixes the measure, the acting state,
the age group, the accompaniment, the unit (persons or events) and the year basis (US fiscal or
calendar), so figures of different kinds never compete and are never added together. Its
years are the article's period (2008–2017), stretched to every year one of its whole-year
figures covers: no figure is cut off by a fixed range.

1. Candidates cover exactly that fiscal or calendar year (part-year figures never fill a
   cell; they are listed in its note), cover the whole measure (no `detail` such as a
   single route or component), come from one of the series' accepted counters, and have
   confidence high or medium.
2. Among candidates the first of these orderings decides: the series' preferred counter;
   the counter's own document, then an official reprint (CRS, GAO, testimony), then research
   or news, and a partisan outlet last; official source before secondary; confidence high,
   medium, low; qualifier exact before qualified; the latest source version first; then
   figure id. The cell's rule names the ordering that decided.
3. A cell with no published figure is `derived` when its parts are published: removals as
   the sum of criminal and non-criminal removals given by one source; a Guatemala +
   Honduras + El Salvador (NTCA) cell as the sum of the three country cells when all three
   have a figure.
4. A cell with no figure is status `gap` with an empty value, never zero.
""".strip()


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------
