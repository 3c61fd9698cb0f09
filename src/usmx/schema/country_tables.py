"""The countries the project studies: one table, read by the build, the refresh and the
charts, so that no module spells out a list of countries."""

from __future__ import annotations

from usmx.schema.fields import Field, Table
from usmx.schema.vocabulary import COUNTRY_GROUPS, COUNTRY_NATIONALITIES, PALETTE, YES_NO

_FIELDS = (
    Field("code", "string", "The country's code (ISO 3166 alpha-3), as nationality codes use it",
          codes=dict.fromkeys(COUNTRY_NATIONALITIES, "a country nationality code"),
          codes_name="nationality"),
    Field("name_en", "string", "Its name in English, as the charts, tables and reports print it"),
    Field("name_es", "string", "Its name in Spanish"),
    Field("group", "string", "Its place in the study", codes=COUNTRY_GROUPS,
          codes_name="country group"),
    Field("colour", "string", "The colour of its lines and panels in the charts (a palette "
          "name; usmx.charts.theme gives the value)", codes=PALETTE, codes_name="palette colour"),
    Field("studied", "string", "yes: a column of every series and a choice of the charts; "
          "no: its figures are kept where a source gives them, and listed as unused",
          codes=YES_NO, codes_name="yes or no"),
    Field("note", "string", "Why it is listed", required=False),
)

COUNTRIES_RAW = Table(
    name="countries_raw",
    path="data/raw/countries.csv",
    raw=True,
    description="The countries the project studies, in the order the charts show them, with "
    "their names in English and Spanish and their chart colour. Adding a country here (with "
    "studied = yes) makes it a column of every deportation series, a recipient of the "
    "foreign-assistance series, a choice of the charts and a country the refresh keeps.",
    primary_key=("code",),
    fields=_FIELDS,
)

COUNTRIES_STUDIED = Table(
    name="countries",
    path="data/processed/countries.csv",
    description="The countries of data/raw/countries.csv, as validated: what the charts and "
    "views read for names, colours and choices.",
    primary_key=("code",),
    fields=_FIELDS,
)
