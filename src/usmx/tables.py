"""Load the processed tables (data/processed/*.csv) with their schema types."""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.paths import Paths, project_paths
from usmx.rawio import DataError, Problem, recover

_DTYPES = {"string": "str", "integer": "Int64", "number": "Float64", "date": "str",
           "month": "str"}


def load(paths: Paths | None = None) -> dict[str, pd.DataFrame]:
    """Every processed table by name (funding, merida_mexico_by_fy, deportations, …)."""
    paths = paths or project_paths()
    recover(paths.commit_folders)  # finish an interrupted build before reading
    missing = [t.path for t in schema.PROCESSED_TABLES if not (paths.root / t.path).exists()]
    if missing:
        raise DataError([Problem(p, None, None, None, "missing: run `python -m usmx build` "
                                 "(or `make data`) first") for p in missing])
    out = {}
    for table in schema.PROCESSED_TABLES:
        dtypes = {f.name: _DTYPES[f.type] for f in table.fields}
        out[table.name] = pd.read_csv(paths.root / table.path, dtype=dtypes,
                                      keep_default_na=False, na_values=[""])
    return out


def series(t: dict[str, pd.DataFrame], name: str, nationality: str) -> pd.DataFrame:
    """One preferred deportation series for one nationality, by year (gaps included)."""
    for table in ("child_deportations_by_year", "deportations_all_ages_by_year"):
        frame = t[table]
        rows = frame[(frame["series"] == name) & (frame["nationality"] == nationality)]
        if not rows.empty:
            return rows.sort_values("year").reset_index(drop=True)
    raise KeyError(f"no series {name!r} for {nationality!r}")
