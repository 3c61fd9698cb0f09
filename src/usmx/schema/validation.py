"""Validation: raw tables (every bad value with its file, line, column and value) and
processed tables (a failure there is a bug in the loaders)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from usmx.rawio import LINE, DataError, Problem
from usmx.schema.fields import PANDAS_DTYPES, Field, Table
from usmx.schema.vocabulary import DATE_RE, INT_RE, MONTH_RE


def _real_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD naming a day that exists (no 2015-02-30); other shapes
    are the pattern's to report."""
    import datetime as dt

    parts = text.split("-")
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts) <= 3:
        return True
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


def _raw_checks(field: Field, codes: Mapping[str, str] | None) -> list:
    """Checks on a raw (all-text) column. Empty optional cells pass every check."""
    import pandera.pandas as pa  # imported here: only validation needs pandera

    checks: list = []

    def optional(test):
        return lambda s: (s == "") | test(s) if not field.required else test(s)

    if field.required:
        checks.append(pa.Check(lambda s: s != "", error="is empty; a value is required"))
    if field.pattern:
        regex = re.compile(field.pattern)
        hint = field.pattern_hint or f"must match {field.pattern}"
        checks.append(pa.Check(optional(lambda s: s.str.match(regex).astype(bool)),
                               error=f"is not {hint}"))
    if field.type == "date":
        checks.append(pa.Check(optional(lambda s: s.map(_real_date)),
                               error="is not a real calendar date"))
    if codes is not None:
        allowed = sorted(codes)
        name = field.codes_name or field.name
        shown = ", ".join(allowed) if len(allowed) <= 12 else f"{len(allowed)} codes"
        checks.append(pa.Check(optional(lambda s: s.isin(allowed)),
                               error=f"is not a known {name} code (allowed: {shown})"))
    if field.minimum is not None or field.maximum is not None:
        lo = field.minimum if field.minimum is not None else float("-inf")
        hi = field.maximum if field.maximum is not None else float("inf")

        def within(values: pd.Series) -> pd.Series:
            num = pd.to_numeric(values.where(values.str.match(INT_RE).astype(bool)),
                                errors="coerce")
            return num.isna() | num.between(lo, hi)  # non-numbers are the pattern's job

        checks.append(pa.Check(within, error=f"is out of range ({field.minimum} to "
                                               f"{field.maximum})" if field.maximum is not None
                               else f"is below the minimum {field.minimum}"))
    return checks


def validate_raw(frame: pd.DataFrame, table: Table, label: str,
                 codes_override: Mapping[str, Mapping[str, str]] | None = None,
                 labels: pd.Series | None = None) -> None:
    """Validate a raw table read by ``rawio.read_raw_csv``; raise DataError listing every bad
    value with its line. ``codes_override`` supplies live code lists (foreign keys).
    ``labels`` (one per row) validates several files of one table at once, each problem
    named by its own file."""
    import pandera.pandas as pa

    codes_override = codes_override or {}
    schema = pa.DataFrameSchema(
        {f.name: pa.Column(str, _raw_checks(f, codes_override.get(f.name, f.codes)),
                           nullable=False)
         for f in table.fields},
        strict=False,
    )
    problems: list[Problem] = []
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            idx = case.index
            line = int(frame[LINE].iloc[int(idx)]) if pd.notna(idx) else None
            where = label if labels is None or pd.isna(idx) else labels.iloc[int(idx)]
            problems.append(Problem(where, line, case.column, case.failure_case, case.check))
    if labels is None:
        problems += _key_problems(frame, table.primary_key, label)
    else:
        for where, part in frame.groupby(labels.to_numpy(), sort=True):
            problems += _key_problems(part, table.primary_key, where)
    if problems:
        raise DataError(problems)


def _key_problems(frame: pd.DataFrame, key: tuple[str, ...], label: str) -> list[Problem]:
    dup = frame.duplicated(list(key), keep=False)
    problems = []
    if dup.any():
        for _, group in frame[dup].groupby(list(key), sort=True):
            first = int(group[LINE].iloc[0])
            for _, row in group.iloc[1:].iterrows():
                value = ", ".join(f"{c}={row[c]}" for c in key)
                problems.append(Problem(label, int(row[LINE]), "+".join(key), value,
                                        f"duplicate key: already on line {first}"))
    return problems


def check_unique(frame: pd.DataFrame, key: tuple[str, ...], label: str) -> None:
    """Raise DataError naming each row whose ``key`` repeats an earlier row's."""
    problems = _key_problems(frame, key, label)
    if problems:
        raise DataError(problems)




def processed_schema(table: Table):
    """The pandera schema of a processed (typed) table."""
    import pandera.pandas as pa

    columns = {}
    for field in table.fields:
        checks = []
        if field.codes is not None:
            checks.append(pa.Check.isin(sorted(field.codes)))
        if field.minimum is not None:
            checks.append(pa.Check.ge(field.minimum))
        if field.maximum is not None:
            checks.append(pa.Check.le(field.maximum))
        if field.type == "date":
            checks.append(pa.Check.str_matches(DATE_RE))
        if field.type == "month":
            checks.append(pa.Check.str_matches(MONTH_RE))
        columns[field.name] = pa.Column(PANDAS_DTYPES[field.type], checks,
                                        nullable=not field.required)
    return pa.DataFrameSchema(columns, strict=True, ordered=True,
                              unique=list(table.primary_key))


def validate_processed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Validate a processed table; a failure here is a bug in the loaders, not in the data."""
    import pandera.pandas as pa

    try:
        return processed_schema(table).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(20).to_string()
        raise DataError([Problem(table.path, None, None, None,
                                 f"processed table fails its schema:\n{cases}")]) from None
