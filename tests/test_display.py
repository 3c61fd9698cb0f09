"""Tables for reading: every notebook view, as shown, has human column labels, thousands
separators, no NaN or <NA>, qualifiers in words, lists as text, and uncut long text; the raw
frame stays available."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from usmx.analysis import processed, views
from usmx.analysis.display import MISSING, readable


@pytest.fixture(scope="module")
def record(repo_module):
    return processed.load(repo_module)


VIEWS = {
    "merida_by_fy": lambda r: views.merida_by_fy(r),
    "funding_by_account": lambda r: views.funding_by_account(r),
    "funding_series": lambda r: views.funding_series(r, "state_allocations"),
    "all_assistance_by_stage": lambda r: views.all_assistance_by_stage(r),
    "cumulative_checks": lambda r: views.cumulative_checks(r),
    "conflicts": lambda r: views.conflicts(r, "funding"),
    "child_overview": lambda r: views.child_overview(r),
    "deportation_checks": lambda r: views.deportation_checks(r),
    "mexico_us_comparisons": lambda r: views.mexico_us_comparisons(r),
    "claims_table": lambda r: views.claims_table(r),
    "claim": lambda r: views.claim(r, "merida_112m"),
    "claim_figures": lambda r: views.claim_figures(r, "total_3b"),
    "per_100k_children": lambda r: views.per_100k_children(r),
}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_view_reads_well(record, name):
    shown = VIEWS[name](record)
    html = shown.to_html()
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", html, flags=re.S)
    assert not [c for c in cells if c.strip() in ("NaN", "nan", "<NA>", "&lt;NA&gt;", "None")]
    headers = re.findall(r'<th class="(?:col_heading|index_name)[^"]*"[^>]*>(.*?)</th>', html)
    assert not [h for h in headers if "_" in h], headers
    assert not re.search(r">\s*\[[^<]*\]\s*<", html)  # no Python list printed as text
    assert isinstance(shown.raw, pd.DataFrame)  # the raw frame, for analysis
    pd.testing.assert_frame_equal(VIEWS[name].__call__(record).raw, shown.raw)


def test_numbers_words_and_long_text(record):
    html = views.claim(record, "merida_112m").to_html()
    reason = record["claims"].set_index("claim_id").loc["merida_112m", "reason"]
    assert len(reason) > 200 and reason.replace("'", "&#x27;") in html  # never cut
    text = views.cumulative_checks(record).to_html()
    # CRS's 'nearly $2.5 billion' for FY2008-FY2015, shown in millions with separators
    assert ">2,500<" in text and "2500000000" not in text
    assert "Stated (US$ million)" in text
    shown = readable(pd.DataFrame({"amount_usd": [1_100_000_000, None],
                                   "qualifier": ["about", "more_than"],
                                   "count": [12345.0, 7.0], "years": [[2014, 2015], []]}))
    html = shown.to_html()
    assert ">1,100<" in html and f">{MISSING}<" in html
    assert ">about<" in html and ">more than<" in html
    assert ">12,345<" in html and ">2014, 2015<" in html
    assert "Amount (US$ million)" in html


def test_raw_true_returns_the_frame(record):
    frame = views.merida_by_fy(record, raw=True)
    assert isinstance(frame, pd.DataFrame)
    assert frame.loc[2008, "TOTAL"] == pytest.approx(400.0)


def test_tables_have_the_same_html_from_run_to_run():
    """A table's HTML id comes from its content, so a report is the same bytes each run."""
    import pandas as pd

    from usmx.analysis.display import readable

    frame = pd.DataFrame({"year": [2014, 2015], "value_usd": [1.5e6, None]})
    first, again = readable(frame).to_html(), readable(frame.copy()).to_html()
    assert first == again and "#T_" in first
    assert readable(frame.assign(year=[2014, 2016])).to_html() != first
