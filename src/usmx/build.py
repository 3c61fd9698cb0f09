"""The offline build: data/raw → validated tables → data/processed (atomically)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from usmx import funding, schema
from usmx.paths import Paths
from usmx.rawio import csv_bytes, write_atomic


def build_tables(paths: Paths) -> dict[str, pd.DataFrame]:
    """Read and validate every raw table; return each processed table by name.

    Raises ``DataError`` (naming file, line, column and value) on bad input.
    """
    sources = funding.load_sources(paths.sources_raw, paths.rel(paths.sources_raw))
    raw = funding.load_funding_raw(paths.funding_raw, paths.rel(paths.funding_raw),
                                   sources["source_id"])
    tidy = funding.tidy_funding(raw, sources)
    preferred = funding.preferred_merida(tidy)
    checks = funding.cumulative_checks(tidy, preferred)
    conflicts = funding.funding_conflicts(tidy, checks)

    counts = tidy["source_id"].value_counts()
    sources_out = sources.drop(columns=["_line"]).copy()
    sources_out["n_figures"] = sources_out["source_id"].map(counts).fillna(0).astype("Int64")
    for col in ("document", "date_published"):
        sources_out[col] = sources_out[col].replace("", pd.NA)
    sources_out = sources_out.sort_values("source_id", ignore_index=True)

    tables = {
        schema.FUNDING.name: tidy,
        schema.MERIDA_BY_FY.name: preferred,
        schema.FUNDING_CHECKS.name: checks,
        schema.CONFLICTS.name: conflicts,
        schema.SOURCES_PROCESSED.name: sources_out,
    }
    for table in schema.PROCESSED_TABLES:
        schema.validate_processed(tables[table.name], table)
    return tables


def build_outputs(paths: Paths) -> dict[Path, bytes]:
    """Every file of data/processed/, as bytes, without writing anything."""
    tables = build_tables(paths)
    files = {paths.root / t.path: csv_bytes(tables[t.name]) for t in schema.PROCESSED_TABLES}
    files[paths.processed / "README.md"] = (
        schema.dictionary_markdown(funding.PREFERENCE_RULE).encode("utf-8"))
    files[paths.processed / "datapackage.json"] = schema.datapackage_json().encode("utf-8")
    return files


def build(paths: Paths) -> list[Path]:
    """Build data/processed/. Nothing is written unless every table is valid."""
    return write_atomic(build_outputs(paths))


def stale_outputs(paths: Paths) -> list[Path]:
    """Processed files that differ from (or are missing against) a fresh build."""
    return [path for path, data in build_outputs(paths).items()
            if not path.exists() or path.read_bytes() != data]
