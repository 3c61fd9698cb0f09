"""The countries studied, read from their one table (data/raw/countries.csv).

Every list of countries the build, the refresh and the charts use comes from here: the
columns of each deportation series, the recipients of the foreign-assistance series, the
countries a refresh keeps, the charts' country choices, names and colours.
"""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.engine import provenance
from usmx.engine.pipeline import Context, Step
from usmx.paths import Paths
from usmx.rawio import LINE, DataError, Problem


def load(paths: Paths) -> pd.DataFrame:
    """The countries table, validated: known codes, groups and colours, no repeated code,
    and no two studied countries sharing a colour."""
    path = paths.countries_raw
    label = paths.rel(path)
    frame = provenance.load_raw(path, schema.COUNTRIES_RAW, label)
    schema.check_unique(frame, ("code",), label)
    problems = []
    studied = frame[frame["studied"] == "yes"]
    for colour, group in studied.groupby("colour", sort=True):
        for _, row in group.iloc[1:].iterrows():
            problems.append(Problem(label, int(row[LINE]), "colour", colour,
                                    f"is also the colour of {group.iloc[0]['code']}: give "
                                    "each studied country its own colour"))
    if studied.empty:
        problems.append(Problem(label, None, "studied", None,
                                "no country is studied: mark at least one 'yes'"))
    if problems:
        raise DataError(problems)
    return provenance.blank_to_na(provenance.drop_line(frame), ("note",))


def studied(countries: pd.DataFrame, group: str | None = None) -> tuple[str, ...]:
    """The codes of the studied countries (of one ``group``), in the table's order."""
    rows = countries[countries["studied"] == "yes"]
    if group is not None:
        rows = rows[rows["group"] == group]
    return tuple(rows["code"])


def expand(tokens: tuple[str, ...], countries: pd.DataFrame) -> tuple[str, ...]:
    """Country codes for declared ``tokens``: "studied" stands for the studied countries, a
    group (schema.COUNTRY_GROUPS) for its studied countries, any other code for itself; in
    the table's order, each code once."""
    out: list[str] = []
    for token in tokens:
        if token == "studied":
            out += studied(countries)
        elif token in schema.COUNTRY_GROUPS:
            out += studied(countries, token)
        else:
            out.append(token)
    return tuple(dict.fromkeys(out))


def kept(countries: pd.DataFrame) -> tuple[str, ...]:
    """Every country of the table, studied or not: what a refresh keeps of a source."""
    return tuple(countries["code"])


def _countries(ctx: Context) -> dict:
    return {"countries": load(ctx.paths)}


STEPS = (
    Step("countries", "read the countries studied (names in English and Spanish, group, chart "
         "colour)", _countries, reads=(schema.COUNTRIES_RAW,), makes=("countries",)),
)
