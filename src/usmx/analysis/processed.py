"""Load the processed tables (data/processed/*.csv) with their schema types.

``load()`` returns :data:`ProcessedTables`, each table by its name (``funding``,
``merida_mexico_by_fy``, ``child_deportations_by_year``, ...): what views, charts and
notebooks read (``data = processed.load()``).
"""

from __future__ import annotations

import os

import pandas as pd

from usmx import schema
from usmx.engine.stamps import TRACK_ENV, Reads
from usmx.paths import Paths, project_paths
from usmx.rawio import DataError, Problem, recover

ProcessedTables = dict[str, pd.DataFrame]


def load(paths: Paths | None = None) -> ProcessedTables:
    """Every processed table by name, typed by its schema."""
    paths = paths or project_paths()
    recover(paths.commit_folders)  # finish an interrupted build before reading
    missing = [t.path for t in schema.PROCESSED_TABLES if not (paths.root / t.path).exists()]
    if missing:
        raise DataError([Problem(p, None, None, None, "missing: run `python -m usmx build` "
                                 "(or `make data`) first") for p in missing])
    out = Reads() if os.environ.get(TRACK_ENV) else {}  # a report run records the reads
    for table in schema.PROCESSED_TABLES:
        dtypes = {f.name: schema.PANDAS_DTYPES[f.type] for f in table.fields}
        out[table.name] = pd.read_csv(paths.root / table.path, dtype=dtypes,
                                      keep_default_na=False, na_values=[""])
    return out


def deportation_series_rows(data: ProcessedTables, series_id: str,
                            nationality: str) -> pd.DataFrame:
    """One preferred deportation series for one nationality, by year (gaps included)."""
    for name in ("child_deportations_by_year", "deportations_all_ages_by_year"):
        frame = data[name]
        rows = frame[(frame["series"] == series_id) & (frame["nationality"] == nationality)]
        if not rows.empty:
            return rows.sort_values("year").reset_index(drop=True)
    raise KeyError(f"no series {series_id!r} for {nationality!r}")
