"""The countries studied, as the processed record lists them (data/processed/countries.csv,
built from data/raw/countries.csv): their codes by group, names in English and Spanish,
chart colours; and the latest year a series holds. Views, charts and claims take every
list of countries from here, never from a list written in code."""

from __future__ import annotations

import pandas as pd

from usmx.analysis.processed import ProcessedTables
from usmx.schema import COUNTRY_NAMES


def _table(record: ProcessedTables) -> pd.DataFrame:
    return record["countries"]


def studied(record: ProcessedTables, group: str | None = None) -> tuple[str, ...]:
    """The codes of the studied countries (of one group: ``central_america``,
    ``mexico``), in the table's order."""
    table = _table(record)
    rows = table[table["studied"] == "yes"]
    if group is not None:
        rows = rows[rows["group"] == group]
    return tuple(rows["code"])


def name(record: ProcessedTables, code: str) -> str:
    """A country's (or an aggregate's) name in English, as charts and tables print it."""
    table = _table(record).set_index("code")
    if code in table.index:
        return str(table.loc[code, "name_en"])
    return COUNTRY_NAMES[code]


def names(record: ProcessedTables, codes) -> list[str]:
    return [name(record, code) for code in codes]


def spanish_names(record: ProcessedTables) -> tuple[tuple[str, str], ...]:
    """(English, Spanish) for every country of the table: what a chart's Spanish edition
    says for each name."""
    table = _table(record)
    return tuple(zip(table["name_en"].astype(str), table["name_es"].astype(str), strict=True))


def colour(record: ProcessedTables, code: str) -> str:
    """The colour role of a country's lines (a palette colour, usmx.charts.theme)."""
    table = _table(record).set_index("code")
    return f"palette:{table.loc[code, 'colour']}"


def latest_year(record: ProcessedTables, pairs, table: str | None = None) -> int | None:
    """The latest year in which any (series, nationality) of ``pairs`` has a value."""
    years = []
    names_ = [table] if table else ["child_deportations_by_year",
                                    "deportations_all_ages_by_year"]
    for frame_name in names_:
        frame = record[frame_name]
        for series, nationality in pairs:
            rows = frame[(frame["series"] == series) & (frame["nationality"] == nationality)
                         & frame["value"].notna()]
            years += [int(y) for y in rows["year"]]
    return max(years) if years else None
