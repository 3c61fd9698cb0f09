"""Tables for reading: one display layer for every table a notebook shows.

``readable(frame)`` returns a pandas Styler: human column labels, thousands separators,
dollars in millions where amounts are large, an em dash for a missing value, qualifiers as
words, lists as text, long text wrapped and never cut. The raw frame stays at ``.raw``
(and every view takes ``raw=True`` to return it), so analysts lose nothing.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable

import pandas as pd

from usmx.schema import COUNTRY_NAMES

MISSING = "—"
# Words for the qualifier codes (schema.QUALIFIERS holds their definitions).
QUALIFIER_WORDS = {"exact": "", "about": "about", "nearly": "nearly", "more_than": "more than",
                   "at_least": "at least", "at_most": "at most", "less_than": "less than",
                   "up_to": "up to"}
# Column labels that a rule cannot make (the rest: snake_case -> words).
LABELS = {
    "us_million": "US$ million", "fiscal_year": "Fiscal year", "figure_id": "Figure",
    "figure_ids": "Figures", "source_ids": "Sources", "source_kind": "Source kind",
    "attribution_short": "Source", "per_100k_children": "Per 100,000 children",
    "n_candidates": "Candidates", "spread_pct": "Spread (%)", "check_id": "Check",
    "claim_id": "Claim", "figure_printed": "The article's figure",
    "record_figure": "The record's figure", "mexico_higher": "Mexico higher in",
    "overtakes": "Mexico first higher", "years": "Years compared",
}


def label(name) -> str:
    """A column or index name for readers: 'fiscal_year' -> 'Fiscal year'."""
    if not isinstance(name, str):
        return "" if name is None else str(name)
    if name in LABELS:
        return LABELS[name]
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    words = name.replace("_usd", " (US$ million)").replace("_", " ").strip()
    words = " ".join("FY" if word == "fy" else word for word in words.split(" "))
    return words[:1].upper() + words[1:]


def _number(value, decimals: int) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    text = f"{float(value):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else MISSING
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return str(value)


def readable(frame: pd.DataFrame):
    """The frame as a Styler for reading (see the module's docstring)."""
    shown = frame.copy()
    formats: dict = {}
    for column in shown.columns:
        name = column if isinstance(column, str) else None
        series = shown[column]
        if name and name.endswith("_usd") and pd.api.types.is_numeric_dtype(series):
            shown[column] = series.astype("Float64") / 1e6  # dollars in millions
            formats[column] = functools.partial(_number, decimals=3)
        elif name == "qualifier":
            shown[column] = [MISSING if pd.isna(v) else QUALIFIER_WORDS.get(v, v) or "exact"
                             for v in series]
            formats[column] = _cell
        elif pd.api.types.is_numeric_dtype(series):
            values = pd.to_numeric(series, errors="coerce").dropna()
            whole = bool(len(values)) and bool((values % 1 == 0).all())
            formats[column] = functools.partial(_number, decimals=0 if whole else 3)
        else:
            formats[column] = _cell
    shown.index = shown.index.set_names([label(n) for n in shown.index.names])
    shown.columns = shown.columns.set_names([label(n) for n in shown.columns.names])
    styler = shown.style.format(formats, na_rep=MISSING)
    styler = styler.format_index(lambda v: label(v) if isinstance(v, str) else _cell(v),
                                 axis=1)
    styler = styler.format_index(_cell, axis=0)
    styler.raw = frame  # the frame as it was, for analysis
    # The table's HTML id from its content, not at random: the reports are the same bytes
    # from run to run.
    styler.set_uuid(hashlib.sha256(frame.to_csv().encode("utf-8")).hexdigest()[:10])
    return styler.set_table_styles([
        {"selector": "td", "props": "white-space: normal; max-width: 42em; "
                                    "text-align: right; vertical-align: top;"},
        {"selector": "th", "props": "text-align: left; vertical-align: top;"},
    ]).map(lambda v: "text-align: left;" if isinstance(v, str) and not v[:1].isdigit()
           else "")


def for_reading(view: Callable) -> Callable:
    """A view returns a table for reading, or with ``raw=True`` the frame itself."""
    @functools.wraps(view)
    def wrapped(*args, raw: bool = False, **kwargs):
        frame = view(*args, **kwargs)
        return frame if raw else readable(frame)
    return wrapped
