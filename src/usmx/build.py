"""The offline build: data/raw → validated tables → data/processed (atomically)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from usmx import claims, deportations, funding, provenance, schema, snapshots
from usmx.paths import Paths
from usmx.rawio import csv_bytes, write_atomic

PREFERENCE_RULES = {
    "`merida_mexico_by_fy.csv`": funding.PREFERENCE_RULE,
    "`funding_series_by_fy.csv`": funding.SERIES_RULE,
    "`mexico_funding_by_fy.csv`": funding.BEST_RULE,
    "`child_deportations_by_year.csv` and `deportations_all_ages_by_year.csv`":
        deportations.PREFERENCE_RULE,
    "`per_100k_children` (population aged 0-14)": deportations.POPULATION_RULE,
}


def build_tables(paths: Paths) -> dict[str, pd.DataFrame]:
    """Read and validate every raw table; return each processed table by name.

    Raises ``DataError`` (naming file, line, column and value) on bad input.
    """
    snapshots.verify(paths)
    sources = provenance.load_raw(paths.sources_raw, schema.SOURCES,
                                  paths.rel(paths.sources_raw))
    ids = sources["source_id"]
    prices = _snapshot(paths, "us_cpi", schema.PRICES_RAW, ids)
    population = _snapshot(paths, "wb_population_0_14", schema.POPULATION_RAW, ids)

    raw_funding = [(paths.rel(paths.funding_raw),
                    funding.load_funding_raw(paths.funding_raw, paths.rel(paths.funding_raw),
                                             ids))]
    assistance = snapshots.latest(paths, "foreign_assistance")
    if assistance is not None:
        raw_funding.append((paths.rel(assistance), funding.load_funding_raw(
            assistance, paths.rel(assistance), ids, schema.FUNDING_SNAPSHOT)))
    fund = funding.tidy_funding(provenance.combine(raw_funding, "funding"), sources)
    merida = funding.with_constant_dollars(funding.preferred_merida(fund), prices)
    fund_series = funding.with_constant_dollars(funding.preferred_series(fund, merida), prices,
                                                schema.FUNDING_SERIES)
    best = funding.best_by_account(fund_series, sources)
    fund_checks = funding.cumulative_checks(fund, merida, best)

    raw = [(paths.rel(paths.deportations_raw),
            deportations.load_deportations_raw(paths.deportations_raw,
                                               paths.rel(paths.deportations_raw), ids))]
    asylum = snapshots.latest(paths, "unhcr_asylum")
    if asylum is not None:
        raw.append((paths.rel(asylum),
                    deportations.load_deportations_raw(asylum, paths.rel(asylum), ids)))
    dep = deportations.tidy_deportations(provenance.combine(raw, "deportation"), sources)
    children = deportations.with_rates(
        deportations.preferred_series(dep, deportations.CHILD_SERIES), population)
    all_ages = deportations.preferred_series(dep, deportations.ALL_AGES_SERIES)
    dep_checks = deportations.parts_checks(dep, pd.concat([children, all_ages]))

    conflicts = provenance.conflicts_frame(
        funding.funding_conflicts(fund, fund_checks)
        + funding.cross_dataset_conflicts(fund)
        + deportations.deportation_conflicts(dep, dep_checks)
        + deportations.population_conflicts(population))

    events = claims.load_events(paths.events_raw, paths.rel(paths.events_raw), ids, sources)
    claims_raw = claims.load_claims_raw(paths.claims_raw, paths.rel(paths.claims_raw), ids)

    counts = pd.concat([fund["source_id"], dep["source_id"], events["source_id"],
                        claims_raw["source_id"], prices["source_id"],
                        population["source_id"]]).value_counts()
    sources_out = provenance.blank_to_na(provenance.drop_line(sources),
                                         ("carrier", "document", "date_published"))
    sources_out["n_figures"] = sources_out["source_id"].map(counts).fillna(0).astype("Int64")
    sources_out = sources_out.sort_values("source_id", ignore_index=True)

    tables = {
        schema.FUNDING.name: fund,
        schema.MERIDA_BY_FY.name: merida,
        schema.FUNDING_SERIES.name: fund_series,
        schema.MEXICO_FUNDING.name: best,
        schema.FUNDING_CHECKS.name: fund_checks,
        schema.DEPORTATIONS.name: dep,
        schema.CHILD_BY_YEAR.name: children,
        schema.ALL_AGES_BY_YEAR.name: all_ages,
        schema.DEPORTATION_CHECKS.name: dep_checks,
        schema.CONFLICTS.name: conflicts,
        schema.EVENTS.name: events,
        schema.SOURCES_PROCESSED.name: sources_out,
    }
    tables[schema.CLAIMS.name] = claims.evaluate(tables, claims_raw)
    tables[schema.UNUSED.name] = provenance.unused_figures(
        [("funding", fund, funding.why_unused), ("deportations", dep, deportations.why_unused)],
        provenance.used_figure_ids(tables))
    return tables


def _snapshot(paths: Paths, source: str, table: schema.Table, ids) -> pd.DataFrame:
    """The newest snapshot of a refreshable source, validated (empty if it has none)."""
    path = snapshots.latest(paths, source)
    if path is None:
        return pd.DataFrame(columns=[*table.columns])
    return provenance.drop_line(provenance.load_raw(path, table, paths.rel(path), ids))


def validate_tables(tables: dict[str, pd.DataFrame]) -> None:
    """Check every processed table against its schema (a failure is a bug in the loaders;
    run by ``check`` and the tests, kept off the build's hot path)."""
    for table in schema.PROCESSED_TABLES:
        schema.validate_processed(tables[table.name], table)


def build_outputs(paths: Paths, tables: dict[str, pd.DataFrame] | None = None,
                  ) -> dict[Path, bytes]:
    """Every file of data/processed/ (and the README's generated section), as bytes,
    without writing anything."""
    tables = build_tables(paths) if tables is None else tables
    files = {paths.root / t.path: csv_bytes(tables[t.name]) for t in schema.PROCESSED_TABLES}
    files[paths.processed / "README.md"] = (
        schema.dictionary_markdown(PREFERENCE_RULES).encode("utf-8"))
    files[paths.processed / "datapackage.json"] = schema.datapackage_json().encode("utf-8")
    if paths.readme.exists():  # the README's generated section: what the record says
        text = paths.readme.read_text(encoding="utf-8")
        files[paths.readme] = claims.update_readme(text, tables[schema.CLAIMS.name]).encode(
            "utf-8")
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
