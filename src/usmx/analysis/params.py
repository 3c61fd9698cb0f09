"""Checks on the parameters a notebook or a user passes to the views and charts: a clear
error, naming the parameter and what is allowed, instead of an empty table or a chart
titled with years it does not show."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class ParameterError(ValueError):
    """A parameter a view or chart cannot use; the message says what would work."""


def year(value, name: str) -> int:
    if isinstance(value, bool):
        raise ParameterError(f"{name} must be a year such as 2010, not {value!r}")
    try:
        as_int = int(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a year such as 2010, not {value!r}") from None
    if as_int != value and str(as_int) != str(value).strip():
        raise ParameterError(f"{name} must be a whole year such as 2010, not {value!r}")
    return as_int


def years(first, last, covered: Iterable[int] | None = None,
          names: tuple[str, str] = ("first_year", "last_year")) -> tuple[int, int]:
    """A valid year range: whole years, first not after last, and (when ``covered`` gives
    the years the data hold) inside them."""
    lo, hi = year(first, names[0]), year(last, names[1])
    if lo > hi:
        raise ParameterError(f"{names[0]} {lo} is after {names[1]} {hi}: give the earlier "
                             f"year first")
    if covered is not None:
        have = sorted({int(y) for y in covered if not pd.isna(y)})
        if have and (lo < have[0] or hi > have[-1]):
            raise ParameterError(f"the data cover {have[0]}-{have[-1]}; {lo}-{hi} reaches "
                                 f"beyond them: choose years within {have[0]}-{have[-1]}")
    return lo, hi


def choice(values, known: Iterable[str], name: str) -> list[str]:
    """One id or a list of ids, each known."""
    known = list(known)
    chosen = [values] if isinstance(values, str) else list(values)
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise ParameterError(f"unknown {name} {unknown}; known: {known}")
    return chosen
