"""What a verdict is made of: the evidence record, the written thresholds ("well over",
"about"), and helpers that find and describe the figures a claim rests on."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from usmx.analysis.processed import ProcessedTables

WELL_OVER = 1.10   # "well over X": at least 10 % above X
CLOSE = 0.10       # "about X": within 10 % either way


@dataclass
class Evidence:
    verdict: str
    measure: str
    combination: str
    reason: str
    record_value: int | None = None
    record_figure: str | None = None
    figure_ids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)


def money_text(amount: float) -> str:
    if abs(amount) >= 1e9:
        return f"${amount / 1e9:,.2f} billion"
    return f"${amount / 1e6:,.1f} million"


def qualifier_text(qualifier: str) -> str:
    return {"exact": "", "about": "about ", "nearly": "nearly ", "more_than": "more than ",
            "at_least": "at least ", "at_most": "at most "}[qualifier]


def compare(article: float, comparator: str, record: float) -> str:
    """Base verdict from the article's figure and the record's, by the written thresholds:
    'over' needs the record at or above the figure; 'about' within 10 % of it."""
    ratio = record / article
    if comparator == "over":
        return "supported" if ratio >= 1 else "overstated"
    if ratio < 1 - CLOSE:
        return "overstated"
    if ratio > 1 + CLOSE:
        return "understated"
    return "supported"


def where(frame: pd.DataFrame, **equal) -> pd.DataFrame:
    """The rows of ``frame`` whose columns equal the given values."""
    mask = pd.Series(True, index=frame.index)
    for column, value in equal.items():
        mask &= frame[column] == value
    return frame[mask]


def figure_and_source_ids(frame: pd.DataFrame) -> tuple[list[str], list[str]]:
    return list(frame["figure_id"]), list(dict.fromkeys(frame["source_id"]))


@dataclass
class SeriesSum:
    total: int
    figure_ids: list[str]
    source_ids: list[str]
    missing: list[int]
    attribution: str


def series_sum(record: ProcessedTables, series: str, recipient: str, account: str, stage: str,
               first: int, last: int) -> SeriesSum:
    """The sum of one declared funding series over fiscal years ``first``-``last`` (a sum of
    one measure only: one series, recipient, account and stage), with the years it lacks."""
    rows = record["funding_series_by_fy"]
    rows = where(rows, series=series, recipient=recipient, account=account, stage=stage)
    rows = rows[rows["fiscal_year"].between(first, last)]
    have = rows[rows["amount_usd"].notna()]
    missing = sorted(set(range(first, last + 1)) - {int(y) for y in have["fiscal_year"]})
    ids = [i for v in have["figure_ids"] for i in v.split(";")]
    srcs = list(dict.fromkeys(i for v in have["source_ids"] for i in v.split(";")))
    names = record["sources_processed"].set_index("source_id")["attribution_short"]
    return SeriesSum(int(have["amount_usd"].sum()), ids, srcs, missing,
                     "; ".join(names[i] for i in srcs))
