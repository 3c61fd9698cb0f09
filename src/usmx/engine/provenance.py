"""What every table of published figures shares: loading against the sources registry,
joining attribution, and listing disagreements (ranking lives in ``usmx.engine.preference``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from usmx import schema
from usmx.rawio import LINE, DataError, Problem, read_raw_csv


def load_raw(source: Path | bytes | str, table: schema.Table, label: str,
             source_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Read and validate a raw table (all text, with line numbers) from its path or its
    content; ``source_ids`` makes ``source_id`` a foreign key into the sources registry."""
    frame = read_raw_csv(source, table.columns, label)
    codes = {} if source_ids is None else {"source_id": dict.fromkeys(source_ids, "")}
    schema.validate_raw(frame, table, label, codes_override=codes)
    return frame


def load_raw_many(items: list[tuple[str, Path]], table: schema.Table,
                  source_ids: Iterable[str] | None = None) -> list[pd.DataFrame]:
    """Several files of one raw table, read and validated in one pass (each problem named
    by its own file and line): as ``load_raw`` for each, at a fraction of the cost."""
    frames = [read_raw_csv(path, table.columns, label) for label, path in items]
    if not frames:
        return []
    labels = pd.Series([label for (label, _), f in zip(items, frames, strict=True)
                        for _ in range(len(f))], dtype="str")
    codes = {} if source_ids is None else {"source_id": dict.fromkeys(source_ids, "")}
    schema.validate_raw(pd.concat(frames, ignore_index=True), table, items[0][0],
                        codes_override=codes, labels=labels)
    return frames


def attach_attribution(frame: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Join each figure's source attribution (short line, publisher, kind, date, URL)."""
    attribution = sources[["source_id", "attribution_short", "publisher", "originators",
                           "carrier_kind", "carrier", "document", "kind", "date_published",
                           "url"]].rename(
        columns={"kind": "source_kind"})
    attribution = attribution.replace({c: {"": pd.NA} for c in
                                       ("carrier", "document", "date_published")})
    return frame.merge(attribution, on="source_id", how="left", validate="many_to_one")


def blank_to_na(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    out = frame.copy()
    for col in columns:
        out[col] = out[col].replace("", pd.NA)
    return out


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with missing values as None (fast to filter in plain Python)."""
    columns = list(frame.columns)
    values = []
    for col in columns:
        # tolist() gives Python scalars for NumPy columns, and pd.NA for extension ones
        values.append([None if v is None or v is pd.NA or (type(v) is float and v != v)
                       else (v.item() if hasattr(v, "item") else v)
                       for v in frame[col].tolist()])
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def typed_frame(rows: list[dict], table: schema.Table) -> pd.DataFrame:
    """Records as a frame with the table's columns and types (Int64 / str, NA for None)."""
    out = pd.DataFrame.from_records(rows, columns=table.columns)
    for field in table.fields:
        if field.type == "integer":
            out[field.name] = out[field.name].astype("Int64")
        elif field.type == "number":
            out[field.name] = out[field.name].astype("Float64")
        else:
            out[field.name] = out[field.name].astype("str").where(out[field.name].notna(), pd.NA)
    return out


def rounding_unit(value: int) -> int:
    """The place value of a figure's last significant digit: 2,500,000,000 → 100,000,000."""
    if value == 0:
        return 1
    unit = 1
    while value % (unit * 10) == 0:
        unit *= 10
    return unit


def qualifier_range(value: int, qualifier: str) -> tuple[int | None, int | None]:
    """The values a printed figure and its qualifier allow, given the figure's rounding.

    exact/about: ± half a rounding unit; nearly: up to one unit below; more_than: up to one
    unit above; at_least / at_most: unbounded on the open side (None).
    """
    unit = rounding_unit(value)
    half = unit // 2
    return {
        "exact": (value - half, value + half),
        "about": (value - half, value + half),
        "nearly": (value - unit, value),
        "more_than": (value, value + unit),
        "at_least": (value, None),
        "at_most": (None, value),
    }[qualifier]


def spread(lo: int, hi: int) -> str:
    return "inf" if lo == 0 else f"{(hi - lo) / lo * 100:.1f}"


def same_key_conflicts(frame: pd.DataFrame, key: Iterable[str], value: str, table: str,
                       label: Callable[[dict], str], kind: str = "same_key") -> list[dict]:
    """One conflict record (of ``kind``) per key whose published figures differ."""
    key = list(key)
    records = []
    filled = frame.assign(**{k: frame[k].fillna("") for k in key})
    differing = filled.groupby(key, sort=False)[value].transform("nunique") > 1
    for values, group in filled[differing].groupby(key, sort=True):
        group = group.sort_values([value, "figure_id"])
        lo, hi = int(group[value].min()), int(group[value].max())
        records.append({
            "table": table, "kind": kind, "key": label(dict(zip(key, values, strict=True))),
            "n_figures": len(group), "min_value": lo, "max_value": hi,
            "spread_pct": spread(lo, hi),
            "figure_ids": ";".join(group["figure_id"]),
            "source_ids": ";".join(dict.fromkeys(group["source_id"])),
            "detail": "; ".join(f"{int(v):,} {q} ({s})" for v, q, s in
                                zip(group[value], group["qualifier"], group["source_id"],
                                    strict=True)),
        })
    return records


def conflicts_frame(rows: list[dict]) -> pd.DataFrame:
    out = typed_frame(rows, schema.CONFLICTS)
    return out.sort_values(["table", "kind", "key"], ignore_index=True)


def combine(frames: list[tuple[str, pd.DataFrame]], what: str,
            keep_file: bool = False) -> pd.DataFrame:
    """Raw figures of one kind from several files (a hand-curated table and refreshed
    snapshots in the same schema), given as (label, frame); a figure id may appear in only
    one of them, and a repeat is reported with the file and line of each copy. With
    ``keep_file``, column ``_file`` says which file each row came from."""
    labelled = [frame.assign(_file=label) for label, frame in frames]
    out = pd.concat(labelled, ignore_index=True)
    dupes = out[out["figure_id"].duplicated(keep=False)]
    if not dupes.empty:
        problems = []
        for fid, group in dupes.groupby("figure_id", sort=True):
            places = [f"{row['_file']}:{int(row[LINE])}" for _, row in group.iterrows()]
            for _, row in group.iloc[1:].iterrows():
                problems.append(Problem(row["_file"], int(row[LINE]), "figure_id", fid,
                                        f"appears in more than one raw {what} file "
                                        f"({', '.join(places)})"))
        raise DataError(problems)
    return out if keep_file else out.drop(columns=["_file"])


def other_ids(rows: Iterable[dict], chosen: str | None) -> str | None:
    """The ids of a cell's figures other than the chosen one(s) (';'-separated), sorted."""
    skip = set((chosen or "").split(";"))
    return ";".join(sorted(r["figure_id"] for r in rows if r["figure_id"] not in skip)) or None


def used_figure_ids(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Every figure id a processed table names: chosen, noted, checked, divided by or cited
    by a claim (columns figure_id, figure_ids, other_figure_ids, population_figure_ids) —
    except in the tables that list all figures."""
    used: set[str] = set()
    listing = {"funding", "deportations", "deportations_monthly", "conflicts",
               "unused_figures"}
    for name, frame in tables.items():
        if name in listing:
            continue
        for col in ("figure_id", "figure_ids", "other_figure_ids", "population_figure_ids"):
            if col in frame.columns:
                for value in frame[col].dropna():
                    used.update(str(value).split(";"))
    return used


def unused_figures(figures: list[tuple[str, pd.DataFrame, Callable[[dict], str]]],
                   used: set[str]) -> pd.DataFrame:
    """The published figures no processed table uses, each with the reason (so that no
    figure is dropped without a word)."""
    rows = []
    for table, frame, why in figures:
        value = "amount_usd" if "amount_usd" in frame.columns else "value"
        for figure in records(frame[~frame["figure_id"].isin(used)]):
            if "fy_start" in figure:
                period = f"FY{figure['fy_start']}" + (
                    "" if figure["fy_end"] == figure["fy_start"] else f"-FY{figure['fy_end']}")
            elif "month" in figure:
                period = f"{figure['month']}..{figure['month']}"
            else:
                period = f"{figure['period_start']}..{figure['period_end']}"
            rows.append({"table": table, "figure_id": figure["figure_id"], "period": period,
                         "value": figure[value], "source_id": figure["source_id"],
                         "reason": why(figure)})
    out = typed_frame(rows, schema.UNUSED)
    return out.sort_values(["table", "figure_id"], ignore_index=True)


def drop_line(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[LINE]).copy()
