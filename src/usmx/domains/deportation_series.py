"""The declared deportation series: what each counts (measure, deporting state, counters,
age group, accompaniment, unit, year basis, nationalities), and the written rule that picks
one figure per series, year and nationality (:data:`PREFERENCE_RULE`).

A new series is one more ``DeportationSeries`` in :data:`CHILD_SERIES` or
:data:`ALL_AGES_SERIES`; its measure, reporter and unit codes live in ``usmx.schema``. A
series names its nationalities by group: ``central_america`` and ``mexico`` stand for the
countries of that group in data/raw/countries.csv, ``studied`` for all of them; aggregates
(NTCA, CA, ALL) are named as such. No series spells out a list of countries.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from usmx import schema
from usmx.domains import countries as country_table
from usmx.engine import preference

NTCA_PARTS = schema.AGGREGATE_PARTS["NTCA"]
GROUP_TOKENS = ("studied", *schema.COUNTRY_GROUPS)


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
    nationalities: tuple[str, ...]  # group tokens (GROUP_TOKENS) and aggregate codes
    sum_of: tuple[str, ...] = ()  # measures whose figures from one source add up to this one
    own_country: bool = False  # only the nationality's own government (or IOM) may count it

    def columns(self, countries: pd.DataFrame) -> tuple[str, ...]:
        """The series' nationality columns: each group token stands for the studied
        countries of the group (in the countries table's order)."""
        return country_table.expand(self.nationalities, countries)

    def accepts(self, reporter: str, nationality: str) -> bool:
        """May ``reporter`` count this series' figures for ``nationality``? With
        ``own_country``, a government counts only its own nationals (NTCA_GOV the three
        together); OWN_GOVERNMENT in ``reporters`` stands for that government."""
        if self.own_country and reporter.endswith("_GOV"):
            own = "NTCA_GOV" if nationality == "NTCA" else f"{nationality}_GOV"
            return reporter == own and (OWN_GOVERNMENT in self.reporters
                                        or reporter in self.reporters)
        return reporter in self.reporters

    def counter_rank(self, reporter: str) -> int:
        """The place of a counter in the series' order of preference."""
        for rank, name in enumerate(self.reporters):
            if name == reporter or (name == OWN_GOVERNMENT and reporter.endswith("_GOV")
                                    and reporter not in self.reporters):
                return rank
        return len(self.reporters)


OWN_GOVERNMENT = "own_government"  # a reporter token: the nationality's own government
_RECEIVERS = (OWN_GOVERNMENT, "NTCA_GOV", "IOM")  # who counts the nationals returned to them
_US = ("studied", "NTCA", "ALL")  # the US acts on every nationality studied
_MX = ("central_america", "NTCA", "CA", "ALL")  # Mexico returns Central Americans
_HOME = ("central_america", "NTCA")  # a Central American country counts its own
CHILD_SERIES = (
    DeportationSeries(
        "us_uac_apprehensions", "US Border Patrol apprehensions of unaccompanied children "
        "(Southwest border)", "uac_apprehensions", "USA", ("CBP",), "minor",
        "unaccompanied", "events", "us_fiscal", _US),
    DeportationSeries(
        "us_uac_expulsions", "US Border Patrol expulsions of unaccompanied children under "
        "Title 42 (Southwest border, March 2020-May 2023)", "uac_expulsions", "USA", ("CBP",),
        "minor", "unaccompanied", "events", "us_fiscal", _US),
    DeportationSeries(
        "us_uac_removals", "US (ICE) removals of unaccompanied children",
        "removals", "USA", ("ICE",), "minor", "unaccompanied", "events", "us_fiscal", _US),
    DeportationSeries(
        "us_juvenile_air_removals", "Juveniles on ICE Air removal flights",
        "air_removals", "USA", ("UWCHR",), "minor", "all", "events", "us_fiscal",
        ("studied", "ALL")),
    DeportationSeries(
        "mx_minor_apprehensions", "Minors apprehended by Mexico (presentados)",
        "apprehensions", "MEX", ("INM_UPM",), "minor", "all", "events", "calendar", _MX),
    DeportationSeries(
        "mx_minor_returns", "Minors returned by Mexico (devoluciones)", "devoluciones",
        "MEX", ("INM_UPM",), "minor", "all", "events", "calendar", _MX),
    DeportationSeries(
        "mx_minor_returns_unaccompanied", "Unaccompanied minors returned by Mexico",
        "devoluciones", "MEX", ("INM_UPM",), "minor", "unaccompanied", "events",
        "calendar", _MX),
    DeportationSeries(
        "received_minors_from_mexico", "Minors returned from Mexico, as counted by their "
        "country", "repatriations_received", "MEX",
        _RECEIVERS,
        "minor", "all", "persons", "calendar", _HOME, own_country=True),
    DeportationSeries(
        "received_unaccompanied_minors_from_mexico", "Unaccompanied minors returned from "
        "Mexico, as counted by their country", "repatriations_received", "MEX",
        _RECEIVERS, "minor", "unaccompanied",
        "persons", "calendar", _HOME, own_country=True),
    DeportationSeries(
        "received_minors_from_us", "Minors returned from the US, as counted by their "
        "country", "repatriations_received", "USA",
        _RECEIVERS,
        "minor", "all", "persons", "calendar", _HOME, own_country=True),
    DeportationSeries(
        "received_unaccompanied_minors_from_us", "Unaccompanied minors returned from the US, "
        "as counted by their country", "repatriations_received", "USA",
        _RECEIVERS, "minor", "unaccompanied",
        "persons", "calendar", _HOME, own_country=True),
    DeportationSeries(
        "us_to_mexico_minor_repatriations", "Mexican minors repatriated by the US, as "
        "counted by Mexico", "repatriations_received", "USA", ("INM_UPM",), "minor", "all",
        "events", "calendar", ("mexico",)),
    DeportationSeries(
        "us_to_mexico_unaccompanied_repatriations", "Unaccompanied Mexican minors "
        "repatriated by the US, as counted by Mexico", "repatriations_received", "USA",
        ("INM_UPM",), "minor", "unaccompanied", "events", "calendar",
        ("mexico",)),
)

ALL_AGES_SERIES = (
    DeportationSeries(
        "us_removals", "US removals (DHS Yearbook)", "removals", "USA", ("DHS_OIS",),
        "all", "all", "events", "us_fiscal", _US,
        sum_of=("removals_criminal", "removals_noncriminal")),
    DeportationSeries(
        "us_ice_removals", "ICE removals (ICE counts, which include some returns)",
        "removals", "USA", ("ICE",), "all", "all", "events", "us_fiscal", _US),
    DeportationSeries(
        "us_returns", "US returns (DHS Yearbook)", "returns", "USA", ("DHS_OIS",), "all",
        "all", "events", "us_fiscal", _US),
    DeportationSeries(
        "mx_apprehensions", "Foreigners apprehended by Mexico (presentados)", "apprehensions",
        "MEX", ("INM_UPM",), "all", "all", "events", "calendar", _MX),
    DeportationSeries(
        "mx_returns", "Mexico's returns of foreigners (devoluciones)", "devoluciones",
        "MEX", ("INM_UPM",), "all", "all", "events", "calendar", _MX),
    DeportationSeries(
        "received_from_mexico", "Nationals returned from Mexico, as counted by their "
        "country", "repatriations_received", "MEX",
        _RECEIVERS,
        "all", "all", "persons", "calendar", _HOME, own_country=True),
    DeportationSeries(
        "received_from_us", "Nationals returned from the US, as counted by their country",
        "repatriations_received", "USA",
        _RECEIVERS, "all",
        "all", "persons", "calendar", _HOME, own_country=True),
)

PREFERENCE_RULE = ("""
One figure per series, year and nationality. A series fixes the measure, the acting state,
the age group, the accompaniment, the unit (persons or events) and the year basis (US fiscal or
calendar), so figures of different kinds never compete and are never added together. Its
years are the article's period (2008–2017), stretched to every year one of its whole-year
figures covers: no figure is cut off by a fixed range.

1. Candidates cover exactly that fiscal or calendar year (part-year figures never fill a
   cell; they are listed in its note), cover the whole measure (no `detail` such as a
   single route or component), come from one of the series' accepted counters, and have
   confidence high or medium. A source's twelve monthly figures summed into the year
   (deportations_monthly_sums.csv, status complete) is a candidate too; a partial year never
   is.
2. Among candidates the first of these orderings decides: the series' preferred counter;
   {rules}. The cell's rule names the ordering that decided. A cell holding a sum of months
   is marked `derived`.
3. A cell with no published figure is `derived` when its parts are published: removals as
   the sum of criminal and non-criminal removals given by one source; a Guatemala +
   Honduras + El Salvador (NTCA) cell as the sum of the three country cells when all three
   have a figure.
4. A cell with no figure is status `gap` with an empty value, never zero.
""".strip().replace("{rules}", preference.describe(preference.STANDARD_RULES)))


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------
