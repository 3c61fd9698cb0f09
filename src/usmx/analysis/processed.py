"""Load the processed tables (data/processed/*.csv) with their schema types.

``load()`` returns :data:`ProcessedTables`, each table by its name (``funding``,
``merida_mexico_by_fy``, ``child_deportations_by_year``, ...): what views, charts and
notebooks read (``data = processed.load()``).
"""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.paths import Paths, project_paths
from usmx.rawio import DataError, Problem, recover

ProcessedTables = dict[str, pd.DataFrame]


def load(paths: Paths | None = None) -> ProcessedTables:
    """Every processed table by name, typed by its schema."""
    paths = paths or project_paths()
    recover({paths.processed: None})  # finish an interrupted build before reading (only
    # that folder: others may be written at this moment by the report's other tasks)
    missing = [t.path for t in schema.PROCESSED_TABLES if not (paths.root / t.path).exists()]
    if missing:
        raise DataError([Problem(p, None, None, None, "missing: run `python -m usmx build` "
                                 "(or `make data`) first") for p in missing])
    files = [paths.root / table.path for table in schema.PROCESSED_TABLES]
    stats = tuple((str(f), s.st_ino, s.st_mtime_ns, s.st_size) for f in files
                  for s in [f.stat()])
    if _LOADED.get("stats") != stats:  # read once while the files stay as they are
        _LOADED.update(stats=stats, frames={
            table.name: pd.read_csv(path, dtype={f.name: schema.PANDAS_DTYPES[f.type]
                                                 for f in table.fields},
                                    keep_default_na=False, na_values=[""])
            for table, path in zip(schema.PROCESSED_TABLES, files, strict=True)})
    # each caller its own frames (copy-on-write: an edit stays the caller's)
    return {name: frame.copy(deep=False) for name, frame in _LOADED["frames"].items()}


# The tables last read, keyed by the files' names, inodes, modification times and sizes:
# a second load() in a session (or in a worker drawing several charts) does not parse them
# again.
_LOADED: dict = {}


def deportation_series_rows(data: ProcessedTables, series_id: str,
                            nationality: str) -> pd.DataFrame:
    """One preferred deportation series for one nationality, by year (gaps included)."""
    for name in ("child_deportations_by_year", "deportations_all_ages_by_year"):
        frame = data[name]
        rows = frame[(frame["series"] == series_id) & (frame["nationality"] == nationality)]
        if not rows.empty:
            return rows.sort_values("year").reset_index(drop=True)
    raise KeyError(f"no series {series_id!r} for {nationality!r}")
