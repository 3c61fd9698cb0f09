"""Official funding series: transcribed figures asserted against the exact dataset row they
come from, the series' coverage, and the rules that keep scopes and stages apart.

Each row of ROWS was read in the dataset named (the copy at the commit recorded in the
sources registry): file, line or sheet row, column, and the value as printed there."""

from __future__ import annotations

import pandas as pd
import pytest

from usmx import build


@pytest.fixture(scope="module")
def tables(repo_module):
    return build.build_tables(repo_module)


# figure id -> (source id, locator must contain, value as printed, dollars per printed unit,
#               stage)
ROWS = {
    # State Department budget justifications, as transcribed by CSIS ($ thousands)
    "cbj_fy2009_total": ("CSIS_STATE_CBJ", "STATE budget by country.09.csv, line 172",
                         "318,779", 1000, "allocated"),
    "cbj_fy2010_fmf": ("CSIS_STATE_CBJ", "STATE budget by country.10.csv, line 177",
                       "265,250", 1000, "allocated"),
    "cbj_fy2012_incle": ("CSIS_STATE_CBJ", "STATE budget by country.12.csv, line 170",
                         "248,500", 1000, "allocated"),
    "cbj_fy2016_incle": ("CSIS_STATE_CBJ", "STATE budget by country.16.csv, line 165",
                         "80,000", 1000, "requested"),
    "cbj_fy2008_fmf": ("CSIS_STATE_CBJ", "STATE budget by country.08.csv, line 175",
                       "-", 1000, "allocated"),
    # USAID Greenbook (whole dollars)
    "greenbook_fy2010_dod_cn": ("USAID_GREENBOOK", "row 47026 (Fiscal Year 2010", "89749000",
                                1, "obligated"),
    "greenbook_fy2013_fmf": ("USAID_GREENBOOK", "row 55611 (Fiscal Year 2013", "6646012", 1,
                             "obligated"),
    "greenbook_fy2015_incle": ("USAID_GREENBOOK", "row 60983 (Fiscal Year 2015", "456162544",
                               1, "obligated"),
    "greenbook_fy2016_incle": ("USAID_GREENBOOK", "row 63727 (Fiscal Year 2016", "358745", 1,
                               "obligated"),
    # ForeignAssistance.gov country summary (whole dollars), committed snapshot
    "fagov_mex_fy2010_planned": ("FAGOV_COUNTRY_2023", "line 12784 (Country Code MEX",
                                 "757597000", 1, "planned"),
    "fagov_mex_fy2009_initial_allocation": ("FAGOV_COUNTRY_2023",
                                            "line 12917 (Country Code MEX", "318779000", 1,
                                            "initial_allocation"),
    "fagov_mex_fy2015_obligated": ("FAGOV_COUNTRY_2023", "line 12867 (Country Code MEX",
                                   "584785194", 1, "obligated"),
    "fagov_mex_fy2017_requested": ("FAGOV_COUNTRY_2023", "line 12908 (Country Code MEX",
                                   "134668760", 1, "requested"),
    "fagov_hnd_fy2014_disbursed": ("FAGOV_COUNTRY_2023", "line 8693 (Country Code HND",
                                   "102030727", 1, "disbursed"),
}


@pytest.mark.parametrize(("figure_id", "expected"), ROWS.items())
def test_figure_matches_its_dataset_row(tables, figure_id, expected):
    source, locator, printed, unit, stage = expected
    f = tables["funding"].set_index("figure_id").loc[figure_id]
    value = 0 if printed == "-" else int(printed.replace(",", "")) * unit
    assert f["amount_usd"] == value
    assert f["source_id"] == source and locator in f["locator"]
    assert f"{printed}" in f["locator"] or unit == 1
    assert f["stage"] == stage and f["qualifier"] == "exact"
    assert f["source_kind"] == "official" and pd.notna(f["carrier"])


def test_the_registry_names_the_originator_apart_from_the_carrier(tables):
    s = tables["sources_processed"].set_index("source_id")
    assert s.loc["CSIS_STATE_CBJ", "publisher"].startswith("US Department of State")
    assert "CSISdefense/ForeignAssistance, commit 4d83c8eb" in s.loc["CSIS_STATE_CBJ",
                                                                      "carrier"]
    assert s.loc["USAID_GREENBOOK", "publisher"].startswith("US Agency for International")
    assert "33132895c56b" in s.loc["USAID_GREENBOOK", "carrier"]
    assert "fbcdca2f90cf" in s.loc["FAGOV_COUNTRY_2023", "carrier"]
    assert s.loc["CSIS_STATE_CBJ", "attribution_short"].endswith("via CSIS")


def test_fy2012_budget_table_is_marked_doubtful(tables):
    f = tables["funding"].set_index("figure_id")
    for account in ("esf", "incle", "fmf", "total"):
        row = f.loc[f"cbj_fy2012_{account}"]
        assert row["confidence"] == "medium" and "doubtful" in row["note"]
    assert f.loc["cbj_fy2013_incle", "confidence"] == "high"


def test_coverage_of_official_figures(tables):
    """Issue 9's goal: every cell Mexico x FY2008-FY2017 x {INCLE, ESF, FMF, TOTAL} has at
    least one figure from an official source (any stage); and Defense counter-drug money
    has a figure in each of the ten years."""
    f = tables["funding"]
    f = f[(f["recipient"] == "MEX") & (f["fy_start"] == f["fy_end"])
          & (f["source_kind"] == "official") & f["component"].isna()]
    covered = {(int(r.fy_start), r.account) for r in f.itertuples()}
    cells = [(fy, a) for fy in range(2008, 2018) for a in ("INCLE", "ESF", "FMF", "TOTAL")]
    assert [c for c in cells if c not in covered] == []
    dod = tables["funding_series_by_fy"].query("series == 'dod_counterdrug' and "
                                               "status == 'published'")
    # FY2008-FY2019 in the Greenbook (its FY2020 has no counter-drug row: a gap)
    assert sorted(set(dod["fiscal_year"])) == list(range(2008, 2020))


def test_series_keep_scopes_and_stages_apart(tables):
    s = tables["funding_series_by_fy"]
    key = ["series", "fiscal_year", "recipient", "account", "stage"]
    assert not s.duplicated(key).any()
    one = s.groupby("series").agg(scope=("scope", "nunique"))
    assert (one["scope"] == 1).all()
    pub = s[s["status"] == "published"]
    assert (pub["figure_stage"] == pub["stage"]).all() or \
        set(pub.loc[pub["figure_stage"] != pub["stage"], "series"]) == {"merida_appropriations"}
    alloc = s[(s["series"] == "state_allocations")].set_index(["fiscal_year", "account"])
    # FY2008 and FY2009 allocations cover the regular act only, and say so
    assert alloc.loc[(2009, "INCLE"), "vehicle"] == "regular"
    assert "regular act only" in alloc.loc[(2009, "INCLE"), "rule"]
    assert alloc.loc[(2008, "FMF"), "amount_usd"] == 0  # printed '-': a zero, not a gap
    # the article's years FY2008-2017 in every series; allocations are published to FY2015,
    # requests only for FY2016-2017: the other years are gaps, never zeros
    assert sorted(set(alloc.index.get_level_values(0))) == list(range(2008, 2018))
    assert (alloc.loc[[2016, 2017], "status"] == "gap").all()
    req = s[s["series"] == "budget_requests"]
    assert sorted(set(req.loc[req["status"] == "published", "fiscal_year"])) == [2016, 2017]
    fa = s[s["series"] == "foreign_assistance_totals"]
    assert set(fa["recipient"]) == {"MEX", "GTM", "HND", "SLV"}
    # FY2005-FY2024 (four countries, five stages); a year the 2023 file holds no figure for,
    # or holds only a part of (FY2023 obligations and disbursements, counted to 2023-09-29),
    # is a gap, never a zero
    assert sorted(set(fa["fiscal_year"])) == list(range(2005, 2025)) and len(fa) == 400
    by = fa.set_index(["recipient", "fiscal_year", "stage"])
    assert (by.loc[[(c, y, st) for c in ("MEX", "GTM", "HND", "SLV") for y in range(2008, 2018)
                    for st in ("planned", "obligated", "disbursed")], "status"]
            == "published").all()
    assert by.loc[("MEX", 2022, "obligated"), "status"] == "published"
    assert by.loc[("MEX", 2023, "obligated"), "status"] == "gap"
    assert "2023-09-29" in by.loc[("MEX", 2023, "obligated"), "note"]
    assert by.loc[("MEX", 2024, "requested"), "status"] == "published"


def test_best_table_rule(tables):
    b = tables["mexico_funding_by_fy"].set_index(["fiscal_year", "account"])
    # step 1: official Mérida figures (FY2008 spending plan; FY2017 Cuellar release)
    assert b.loc[(2008, "INCLE"), ["series", "amount_usd"]].tolist() == [
        "merida_appropriations", 263_500_000]
    assert b.loc[(2017, "INCLE"), "amount_usd"] == 90_000_000
    # step 2: the State allocation beats a secondary Mérida figure
    assert b.loc[(2013, "FMF"), ["series", "scope", "amount_usd"]].tolist() == [
        "state_allocations", "account", 6_646_000]
    # step 3: a secondary Mérida zero where no allocation exists
    assert b.loc[(2016, "FMF"), ["series", "amount_usd", "source_kind"]].tolist() == [
        "merida_appropriations", 0, "secondary"]
    # step 4: the request, marked as such
    assert b.loc[(2016, "INCLE"), ["series", "stage"]].tolist() == ["budget_requests",
                                                                   "requested"]
    official = (b["source_kind"] == "official").mean()
    assert official >= 0.9



def test_a_series_declared_drawn_reaches_the_chart_table(repo, monkeypatch):
    """A funding series places itself in what the charts draw by its own declaration
    (``drawn``): with no other edit it reaches mexico_funding_by_fy and the table's written
    rule, and the other steps follow it. Here a toy copy of the Greenbook obligations, drawn
    before every other step; two steps of one rank are refused."""
    from dataclasses import replace

    from usmx.domains import funding_series

    greenbook = next(s for s in funding_series.SERIES if s.id == "greenbook_obligations")
    toy = replace(greenbook, id="toy_obligations", drawn=(
        funding_series.Drawn(0, "toy obligation", "a toy obligation ({series})"),))
    monkeypatch.setattr(funding_series, "SERIES", (*funding_series.SERIES, toy))
    rule = funding_series.best_rule()
    assert "\n\n1. a toy obligation (`toy_obligations`);\n2. the Mérida appropriation" in rule
    assert "\n5. the President's request for the account (`budget_requests`), drawn" in rule
    b = build.build_tables(repo)["mexico_funding_by_fy"].set_index(["fiscal_year", "account"])
    assert b.loc[(2015, "INCLE"), ["series", "scope", "stage", "amount_usd", "rule"]].tolist() \
        == ["toy_obligations", "account", "obligated", 456_162_544, "toy obligation (step 1)"]
    rest = b[b["series"] != "toy_obligations"]
    assert set(rest["rule"]) <= {"Mérida appropriation, official source (step 2)",
                                 "State allocation of the whole account (step 3)",
                                 "Mérida appropriation, secondary source (step 4)",
                                 "request (step 5)",
                                 "no series has a figure for this year and account"}
    twice = replace(toy, id="toy_twice")
    monkeypatch.setattr(funding_series, "SERIES", (*funding_series.SERIES, twice))
    with pytest.raises(ValueError, match="share a rank"):
        funding_series.best_rule()


def test_a_new_fiscal_year_enters_every_table(scratch):
    """A real-looking FY2018 allocation added to data/raw is not dropped by a fixed range:
    it appears in the series table and the chart table."""
    from usmx.engine import snapshots

    row = ("cbj_fy2018_incle,2018,2018,USA,MEX,all_in_account,INCLE,allocated,all,,"
           "100000000,exact,,CSIS_STATE_CBJ,test row,high,\n")
    with scratch.funding_raw.open("a", encoding="utf-8") as fh:
        fh.write(row)
    snapshots.record(scratch)
    t = build.build_tables(scratch)
    s = t["funding_series_by_fy"].query("series == 'state_allocations'")
    assert s.query("fiscal_year == 2018 and account == 'INCLE'")["amount_usd"].item() == \
        100_000_000
    assert (s.query("fiscal_year in (2016, 2017)")["status"] == "gap").all()
    b = t["mexico_funding_by_fy"]
    assert b.query("fiscal_year == 2018 and account == 'INCLE'")["amount_usd"].item() == \
        100_000_000
    assert b.query("fiscal_year == 2018 and account == 'ESF'")["status"].item() == "gap"


def test_two_datasets_disagreeing_on_one_measure_are_listed(tables):
    """The budget justification's request total and ForeignAssistance.gov's request are the
    same measure; both figures stay, and conflicts.csv lists the years they differ."""
    c = tables["conflicts"].query("kind == 'cross_dataset'").set_index("figure_ids")
    row = c.loc["cbj_fy2016_total;fagov_mex_fy2016_requested"]
    assert (row["min_value"], row["max_value"]) == (142_160_000, 142_163_307)
    assert set(c.index) == {"cbj_fy2016_total;fagov_mex_fy2016_requested",
                            "cbj_fy2017_total;fagov_mex_fy2017_requested"}
    f = tables["funding"].set_index("figure_id")
    assert f.loc["cbj_fy2016_total", "amount_usd"] == 142_160_000  # kept, not overwritten
