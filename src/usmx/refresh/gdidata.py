"""The monthly tables of Mexico's Unidad de Política Migratoria (UPM), Guatemala's
Instituto Guatemalteco de Migración (IGM) and US Customs and Border Protection (CBP), as
the IOM Global Data Institute republishes them in its R data package ``gdidata``
(GitHub iom/gdidata, one ``.rda`` file per dataset under ``data/``).

Each dataset is read with the maintained reader ``rdata`` at a named commit, and each of
its rows the project uses becomes one figure: the originator counts (UPM, IGM, CBP), the
package carries (the source's registry row names it), and the locator names the commit,
the file, the row and the row's own labels. Only the countries of data/raw/countries.csv
are kept. A label the project does not know (a renamed type, age group or category) stops
the refresh: the mapping below must be extended on purpose, not guessed.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from usmx.refresh.http import RefreshError

REPOSITORY = "iom/gdidata"
# The commit the committed snapshots were read at (2025-06-19).
PINNED_COMMIT = "c9e4cc69cebd91d6cfca5f4107e2406e4de2c6ff"
COMMIT_API = f"https://api.github.com/repos/{REPOSITORY}/commits/HEAD"
RAW_URL = "https://raw.githubusercontent.com/" + REPOSITORY + "/{commit}/data/{name}.rda"
MAX_RDA = 16 << 20  # the largest dataset the project reads is about 60 KB
# How an .rda file begins: compressed (gzip, bzip2, xz) or not (RDX2/RDX3 headers).
RDA_MAGIC = (b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"RDX2", b"RDX3", b"RDA2", b"RDA3")


def _month(days) -> str:
    """A ``yearmonth`` value (days since 1970-01-01, the first of the month) as YYYY-MM."""
    return (dt.date(1970, 1, 1) + dt.timedelta(days=int(days))).strftime("%Y-%m")


def _as_month(value, where: str) -> str:
    """A row's month: 'YYYY-MM' as the reader gives a ``yearmonth``, or days since
    1970-01-01 where the column was stored without its class."""
    if isinstance(value, str) and len(value) == 7 and value[4] == "-":
        return value
    try:
        days = float(value)
    except (TypeError, ValueError):
        raise RefreshError(f"{where}: month {value!r} is neither YYYY-MM nor a day count"
                           ) from None
    if math.isnan(days):
        raise RefreshError(f"{where}: the month is missing")
    return _month(days)


def read_dataset(data: bytes, name: str, where: str):
    """The data frame ``name`` of an ``.rda`` file, its ``yearmonth`` columns as YYYY-MM."""
    import numpy as np
    import rdata

    def yearmonth(obj, attrs):
        return np.array([_month(v) for v in obj])

    if not data.startswith(RDA_MAGIC):
        start = data[:16].decode("utf-8", errors="replace")
        raise RefreshError(f"{where}: not an R data file (it begins {start!r}; HTML or an "
                           "error page instead of the dataset?)")
    constructors = {**rdata.conversion.DEFAULT_CLASS_MAP, "yearmonth": yearmonth,
                    "tbl_df": rdata.conversion.dataframe_constructor}
    try:
        objects = rdata.read_rda(io.BytesIO(data), constructor_dict=constructors)
    except Exception as exc:  # rdata raises several kinds on a file that is not R data
        raise RefreshError(f"{where}: not an R data file rdata can read "
                           f"({exc.__class__.__name__}: {exc})") from None
    if name not in objects:
        raise RefreshError(f"{where}: holds no dataset {name!r} (found: {sorted(objects)})")
    return objects[name]


def _count(value, where: str) -> str:
    """A count as the digits of a whole, non-negative number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RefreshError(f"{where}: count {value!r} is not a number") from None
    if math.isnan(number) or number < 0 or number != int(number):
        raise RefreshError(f"{where}: count {value!r} is not a whole, non-negative number")
    return str(int(number))


def _text(value) -> str | None:
    """A cell as text; None for R's NA."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value)
    return None if text in ("<NA>", "nan", "NA") else text


def _known(value, known: Iterable[str], what: str, where: str) -> str:
    """A label cell that must be one of ``known``: a label the project has not mapped stops
    the refresh (a renamed category is mapped on purpose, never dropped)."""
    text = _text(value)
    if text not in known:
        raise RefreshError(f"{where}: unknown {what} {text!r}; known: {sorted(known)} "
                           "(the source's categories have changed)")
    return text


@dataclass(frozen=True)
class Dataset:
    """One dataset of the package and how its rows become the project's figures."""

    name: str  # the .rda file and the object in it
    source_id: str  # its row in data/raw/sources.csv
    columns: tuple[str, ...]  # the columns the mapping reads
    rows: Callable[[dict, str, Iterable[str]], list[dict] | None]  # one R row -> figures

    def url(self, commit: str) -> str:
        return RAW_URL.format(commit=commit, name=self.name)


def _base(**fields) -> dict:
    return {"period_start": fields["month"], "period_end": fields["month"], "qualifier": "exact",
            "confidence": "high", "note": "", **{k: v for k, v in fields.items()
                                                  if k != "month"}}


# --- UPM table 3.2.4: foreigners returned by Mexico, by nationality and type ---------------

RETURN_TYPES = {  # type -> (age group, accompaniment, detail, id code)
    "assisted return of children": ("minor", "all", "", "nna"),
    "assisted return": ("all", "all", "assisted return", "ar"),
    "deportation": ("all", "all", "deportation", "dep"),
}


def _returns(row: dict, where: str, keep: Iterable[str]) -> list[dict] | None:
    nat = _text(row["nat"])
    if nat not in keep:
        return None
    kind = _known(row["type"], RETURN_TYPES, "type", where)
    age, accompaniment, detail, code = RETURN_TYPES[kind]
    month = row["t"]
    return [_base(month=month, figure_id=f"upm324_{nat.lower()}_{code}_{month.replace('-', '_')}",
                  year_basis="calendar", reporter="INM_UPM", deporting_state="MEX",
                  nationality=nat, age_group=age, accompaniment=accompaniment,
                  measure="devoluciones", unit="events", detail=detail,
                  value=_count(row["n"], where),
                  locator=f"nat {nat}, type '{kind}', t {month}")]


# --- UPM table 3.1.1: foreigners presented to the migration authority, by nationality ------

def _presented_by_nationality(row: dict, where: str, keep: Iterable[str]) -> list[dict] | None:
    nat = _text(row["nat"])
    if nat not in keep:
        return None
    month = row["t"]
    return [_base(month=month, figure_id=f"upm311_{nat.lower()}_{month.replace('-', '_')}",
                  year_basis="calendar", reporter="INM_UPM", deporting_state="MEX",
                  nationality=nat, age_group="all", accompaniment="all",
                  measure="apprehensions", unit="events", detail="",
                  value=_count(row["n"], where), locator=f"nat {nat}, t {month}")]


# --- UPM table 3.1.3: the same, all nationalities, by sex and age --------------------------

PRESENTED_AGES = {  # age -> (age group, accompaniment, id code)
    "under 12, accompanied": ("minor_0_11", "accompanied", "u12acc"),
    "under 12, unaccompanied": ("minor_0_11", "unaccompanied", "u12unacc"),
    "12-17": ("minor_12_17", "all", "12to17"),
    "18+": ("adult", "all", "18plus"),
}
SEXES = ("female", "male")


def _presented_by_age(row: dict, where: str, keep: Iterable[str]) -> list[dict]:
    age = _known(row["age"], PRESENTED_AGES, "age", where)
    group, accompaniment, code = PRESENTED_AGES[age]
    sex, month = _known(row["sex"], SEXES, "sex", where), row["t"]
    return [_base(month=month,
                  figure_id=f"upm313_{code}_{sex}_{month.replace('-', '_')}",
                  year_basis="calendar", reporter="INM_UPM", deporting_state="MEX",
                  nationality="ALL", age_group=group, accompaniment=accompaniment,
                  measure="apprehensions", unit="events", detail=sex,
                  value=_count(row["n"], where), locator=f"sex {sex}, age '{age}', t {month}")]


# --- IGM: Guatemalans returned from Mexico and the US, by sex and age ----------------------

RETURNED_AGES = {  # age -> (age group, accompaniment, id code)
    "adult": ("adult", "all", "adult"),
    "accompanied child": ("minor", "accompanied", "childacc"),
    "unaccompanied child": ("minor", "unaccompanied", "childunacc"),
}
ORIGINS = {"MEX": "MEX", "USA": "USA"}  # where they were returned from -> deporting state


def _returned_to_guatemala(row: dict, where: str, keep: Iterable[str]) -> list[dict] | None:
    if "GTM" not in keep:
        return None
    origin = _text(row["origin"])
    if origin is None:
        return None  # no deporting state named: not a figure the project can place
    _known(origin, ORIGINS, "origin", where)
    age = _known(row["age"], RETURNED_AGES, "age", where)
    group, accompaniment, code = RETURNED_AGES[age]
    sex, month = _known(row["sex"], SEXES, "sex", where), row["t"]
    return [_base(month=month,
                  figure_id=f"igm_{origin.lower()}_{code}_{sex}_{month.replace('-', '_')}",
                  year_basis="calendar", reporter="GTM_GOV", deporting_state=ORIGINS[origin],
                  nationality="GTM", age_group=group, accompaniment=accompaniment,
                  measure="repatriations_received", unit="persons", detail=sex,
                  value=_count(row["n"], where),
                  locator=f"origin {origin}, sex {sex}, age '{age}', t {month}")]


# --- CBP: Southwest land border encounters (US Border Patrol, unaccompanied children) ------

# CBP's category for unaccompanied children under its old and its new label (which months
# carry which differs between CBP's releases and IOM's copy); both are the one measure (the
# rename is stated in every sum that joins them: usmx.domains.monthly).
UAC_CATEGORIES = ("UC / Single Minors", "UAC")
OTHER_DEMOGRAPHICS = ("Single Adults", "FMUA", "Accompanied Minors")  # read, not kept
ENCOUNTERS = {("Title 8", "Apprehensions"): ("uac_apprehensions", "t8"),
              ("Title 42", "Expulsions"): ("uac_expulsions", "t42")}
BORDER_PATROL = "U.S. Border Patrol"
NATIONALITY_FROM = "2019-10"  # CBP gives citizenship from FY2020; before, the total only


def _sector_code(area: str) -> str:
    return "".join(word[0] for word in area.replace("Sector", "").split()).lower()


def uac_figure(month: str, authority: str, kind: str, category: str, area: str | None,
               nat: str | None, count, where: str, keep: Iterable[str], prefix: str,
               label: str) -> dict | None:
    """One CBP count of unaccompanied children as a figure (shared by the package's copy
    and CBP's own file), or None when it is not one the project keeps."""
    if category not in UAC_CATEGORIES:
        if category in OTHER_DEMOGRAPHICS:
            return None
        raise RefreshError(f"{where}: unknown demographic {category!r}; known: "
                           f"{sorted([*UAC_CATEGORIES, *OTHER_DEMOGRAPHICS])} (a renamed "
                           "category must be mapped on purpose, not dropped)")
    if (authority, kind) not in ENCOUNTERS:
        raise RefreshError(f"{where}: unknown authority and encounter type {authority!r}, "
                           f"{kind!r} for the Border Patrol; known: {sorted(ENCOUNTERS)}")
    if nat is None:
        if month >= NATIONALITY_FROM:
            return None  # a count with no citizenship in the years CBP gives it: not placed
        nat = "ALL"
    elif nat not in keep:
        return None
    measure, code = ENCOUNTERS[(authority, kind)]
    sector = _sector_code(area) if area else "swb"
    figure = _base(month=month,
                   figure_id=f"{prefix}_{code}_{sector}_{nat.lower()}_{month.replace('-', '_')}",
                   year_basis="us_fiscal", reporter="CBP", deporting_state="USA",
                   nationality=nat, age_group="minor", accompaniment="unaccompanied",
                   measure=measure, unit="events", detail=area or "",
                   value=_count(count, where), locator=label)
    figure["note"] = f"CBP category '{category}'"
    return figure


def _encounters(row: dict, where: str, keep: Iterable[str]) -> list[dict] | None:
    """A row of the Border Patrol (component 'U.S. Border Patrol'; the Office of Field
    Operations' rows are not kept)."""
    if _text(row["component"]) != BORDER_PATROL:
        return None
    area, nat = _text(row["area"]), _text(row["nat"])
    figure = uac_figure(row["t"], _text(row["authority"]), _text(row["type"]),
                        _text(row["demog"]), area, nat, row["n"], where, keep, "gdicbp",
                        f"area '{area or 'NA'}', {_text(row['authority'])} "
                        f"{_text(row['type'])}, nat {nat or 'NA'}, t {row['t']}")
    return None if figure is None else [figure]


DATASETS = {
    "irreg_mexico_exp": Dataset("irreg_mexico_exp", "UPM_T324_GDIDATA", ("t", "nat", "type", "n"),
                                _returns),
    "irreg_mexico_nat": Dataset("irreg_mexico_nat", "UPM_T311_GDIDATA", ("t", "nat", "n"),
                                _presented_by_nationality),
    "irreg_mexico_dmg": Dataset("irreg_mexico_dmg", "UPM_T313_GDIDATA", ("t", "sex", "age", "n"),
                                _presented_by_age),
    "irreg_guatemala": Dataset("irreg_guatemala", "IGM_RETURNS_GDIDATA",
                               ("t", "sex", "age", "origin", "n"), _returned_to_guatemala),
    "irreg_usa": Dataset("irreg_usa", "CBP_SWB_GDIDATA",
                         ("t", "component", "area", "authority", "type", "demog", "nat", "n"),
                         _encounters),
}


def figures(dataset: Dataset, data: bytes, commit: str, keep: Iterable[str]) -> list[dict]:
    """Every figure the project keeps of one dataset, read from its ``.rda`` bytes."""
    path = f"data/{dataset.name}.rda"
    frame = read_dataset(data, dataset.name, f"{REPOSITORY}@{commit[:7]} {path}")
    missing = [c for c in dataset.columns if c not in frame.columns]
    if missing:
        raise RefreshError(f"{REPOSITORY}@{commit[:7]} {path}: column(s) {missing} missing; "
                           f"the dataset's format has changed (found: {list(frame.columns)})")
    keep = set(keep)
    out = []
    seen: dict[str, int] = {}
    for number, row in enumerate(frame[list(dataset.columns)].to_dict("records"), start=1):
        where = f"{REPOSITORY}@{commit[:7]} {path}, row {number}"
        row["t"] = _as_month(row["t"], where)
        made = dataset.rows(row, where, keep) or []
        for figure in made:
            if figure["figure_id"] in seen:
                raise RefreshError(f"{where}: repeats row {seen[figure['figure_id']]} "
                                   f"({figure['locator']})")
            seen[figure["figure_id"]] = number
            figure.update(source_id=dataset.source_id,
                          locator=f"gdidata {commit[:7]}, {path}, row {number}: "
                                  f"{figure['locator']}")
            out.append(figure)
    return out
