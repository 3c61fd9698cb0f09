"""The offline build: data/raw -> validated tables -> data/processed (atomically).

The build is the list of steps in :data:`PIPELINE` (``python -m usmx build --explain``
prints it): the sources registry first, then each domain's steps (funding, deportations,
events, claims), then the registry with its use counts and the conflicts, the claims'
verdicts, and the list of unused figures. Each step declares what it reads and makes; see
``usmx.engine.pipeline``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from usmx import schema
from usmx.analysis import claims as verdicts
from usmx.domains import (
    claims,
    countries,
    deportation_series,
    deportations,
    events,
    funding,
    funding_series,
    monthly,
)
from usmx.engine import pipeline, provenance, snapshots
from usmx.engine.pipeline import Context, Step
from usmx.paths import Paths
from usmx.rawio import csv_bytes, write_atomic

PREFERENCE_RULES = {
    "`merida_mexico_by_fy.csv`": funding_series.PREFERENCE_RULE,
    "`funding_series_by_fy.csv`": funding_series.SERIES_RULE,
    "`mexico_funding_by_fy.csv`": funding_series.BEST_RULE,
    "`child_deportations_by_year.csv` and `deportations_all_ages_by_year.csv`":
        deportation_series.PREFERENCE_RULE,
    "`deportations_monthly_sums.csv` (years summed from months)": monthly.SUM_RULE,
    "`per_100k_children` (population aged 0-14)": deportations.POPULATION_RULE,
}


def _sources(ctx: Context) -> dict:
    snapshots.verify(ctx.paths)
    path = ctx.paths.sources_raw
    return {"sources_raw": provenance.load_raw(path, schema.SOURCES, ctx.paths.rel(path))}


def _registry(ctx: Context) -> dict:
    counts = pipeline.source_counts(PIPELINE, ctx)
    out = provenance.blank_to_na(provenance.drop_line(ctx["sources_raw"]),
                                 ("carrier", "document", "date_published"))
    out["n_figures"] = out["source_id"].map(counts).fillna(0).astype("Int64")
    return {"sources_processed": out.sort_values("source_id", ignore_index=True),
            "conflicts": provenance.conflicts_frame(ctx.conflicts)}


def _unused(ctx: Context) -> dict:
    used = provenance.used_figure_ids({t.name: ctx[t.name] for t in schema.PROCESSED_TABLES
                                       if t.name in ctx.frames})
    return {"unused_figures": provenance.unused_figures(
        pipeline.figure_tables(PIPELINE, ctx), used)}


PIPELINE: tuple[Step, ...] = (
    Step("sources", "check every raw file against the manifest; read the sources registry",
         _sources, reads=(schema.SOURCES,), makes=("sources_raw",)),
    *countries.STEPS,
    *funding.STEPS,
    *deportations.STEPS,
    *events.STEPS,
    *claims.STEPS,
    Step("registry", "count each source's figures; gather every step's conflicts", _registry,
         needs=("sources_raw",), makes=("sources_processed", "conflicts")),
    *verdicts.VERDICT_STEPS,
    Step("unused figures", "list every figure no table uses, with the reason", _unused,
         needs=("funding", "deportations", "deportations_monthly", "claims"),
         makes=("unused_figures",)),
)


def build_tables(paths: Paths) -> dict[str, pd.DataFrame]:
    """Read and validate every raw table; return each processed table by name.

    Raises ``DataError`` (naming file, line, column and value) on bad input.
    """
    context = pipeline.run(PIPELINE, Context(paths))
    return {t.name: context[t.name] for t in schema.PROCESSED_TABLES}


def validate_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Check every processed table against its schema (a failure is a bug in the loaders;
    run by ``check`` and the tests, kept off the build's hot path)."""
    for table in schema.PROCESSED_TABLES:
        schema.validate_processed(tables[table.name], table)


def build_outputs(paths: Paths, tables: dict[str, pd.DataFrame] | None = None,
                  ) -> dict[Path, bytes]:
    """Every file of data/processed/, as bytes, without writing anything."""
    tables = build_tables(paths) if tables is None else tables
    files = {paths.root / t.path: csv_bytes(tables[t.name]) for t in schema.PROCESSED_TABLES}
    files[paths.processed / "README.md"] = (
        schema.dictionary_markdown(PREFERENCE_RULES).encode("utf-8"))
    files[paths.processed / "datapackage.json"] = schema.datapackage_json().encode("utf-8")
    return files


def build(paths: Paths) -> list[Path]:
    """Build data/processed/. Nothing is written unless every table is valid."""
    return write_atomic(build_outputs(paths))


def stale_outputs(paths: Paths) -> list[Path]:
    """Processed files that differ from (or are missing against) a fresh, validated build."""
    tables = build_tables(paths)
    validate_tables(tables)
    return [path for path, data in build_outputs(paths, tables).items()
            if not path.exists() or path.read_bytes() != data]
