"""Deportation tables from the committed raw data: real values, rules, sums of parts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from usmx import build
from usmx.domains import deportations
from usmx.paths import project_paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tables():
    return build.build_tables(project_paths(ROOT))


def cell(tables, series, year, nat, table="child_deportations_by_year"):
    t = tables[table]
    rows = t[(t["series"] == series) & (t["year"] == year) & (t["nationality"] == nat)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize(("series", "year", "nat", "value", "status"), [
    # CBP Southwest-border UAC apprehensions, FY2014 (CBP FY2018 and FY2016 pages)
    ("us_uac_apprehensions", 2014, "GTM", 17_057, "published"),
    ("us_uac_apprehensions", 2014, "HND", 18_244, "published"),
    ("us_uac_apprehensions", 2014, "SLV", 16_404, "published"),
    ("us_uac_apprehensions", 2014, "MEX", 15_634, "published"),
    ("us_uac_apprehensions", 2014, "ALL", 68_541, "published"),
    ("us_uac_apprehensions", 2014, "NTCA", 51_705, "derived"),
    # ICE removals of unaccompanied children, FY2014 (ICE data via Breitbart)
    ("us_uac_removals", 2014, "NTCA", 1_379, "published"),
    # Mexico: minors returned (SEGOB via WOLA) and apprehended (UPM)
    ("mx_minor_returns", 2014, "ALL", 18_169, "published"),
    ("mx_minor_apprehensions", 2015, "ALL", 38_514, "published"),
    # Mexican minors repatriated by the US, counted by Mexico (events)
    ("us_to_mexico_minor_repatriations", 2010, "MEX", 20_438, "published"),
])
def test_child_values(tables, series, year, nat, value, status):
    c = cell(tables, series, year, nat)
    assert (c["value"], c["status"]) == (value, status)


@pytest.mark.parametrize(("series", "year", "nat", "value"), [
    ("us_removals", 2014, "MEX", 267_649),        # DHS Yearbook 2015, Table 41 (revised)
    ("us_removals", 2015, "HND", 20_204),
    ("us_removals", 2008, "GTM", 27_527),
    ("us_ice_removals", 2016, "GTM", 33_940),     # ICE FY2017 report
    ("us_returns", 2013, "ALL", 178_371),
    # UPM table 3.2.4 (via IOM's gdidata), the sum of its 12 months: the originator's own
    # table outranks INM's 59,679 via El Economista, which conflicts.csv keeps beside it
    ("mx_returns", 2016, "GTM", 62_299),
    ("us_ice_removals", 2024, "GTM", 66_435),     # ICE FY2024 annual report
    ("us_ice_removals", 2021, "ALL", 59_011),
])
def test_all_ages_values(tables, series, year, nat, value):
    assert cell(tables, series, year, nat, "deportations_all_ages_by_year")["value"] == value


def test_removals_prefer_the_yearbook_total_over_an_older_sum_of_parts(tables):
    """FY2014 Mexico: the 2015 Yearbook prints 267,649; CORGIS's copy of an earlier edition
    gives criminal 121,750 + non-criminal 154,161 = 275,911. The published total wins and
    both disagreeing parts are listed as conflicts, with both sources."""
    c = cell(tables, "us_removals", 2014, "MEX", "deportations_all_ages_by_year")
    assert (c["status"], c["source_ids"]) == ("published", "DHS_YEARBOOK_2015_T41")
    conflicts = tables["conflicts"]
    for measure, values in (("removals_criminal", {121_750, 123_024}),
                            ("removals_noncriminal", {144_625, 154_161})):
        rows = conflicts[conflicts["key"].str.contains(f"2013-10..2014-09 (us_fiscal) {measure}"
                                                       " by USA, MEX", regex=False)]
        assert len(rows) == 1
        assert {int(rows.iloc[0]["min_value"]), int(rows.iloc[0]["max_value"])} == values


def test_part_year_figures_never_fill_a_cell(tables):
    c = cell(tables, "mx_minor_apprehensions", 2015, "GTM")
    assert c["status"] == "gap" and pd.isna(c["value"])
    assert "2015-01..2015-10 12,649" in c["note"]


def test_gaps_are_empty_not_zero(tables):
    for name in ("child_deportations_by_year", "deportations_all_ages_by_year"):
        t = tables[name]
        gaps = t[t["status"] == "gap"]
        assert len(gaps) > 0
        assert gaps["value"].isna().all() and gaps["figure_ids"].isna().all()
        assert t[t["status"] != "gap"]["value"].notna().all()


def figure_rows(tables) -> pd.DataFrame:
    """Every figure a cell may name: published figures, and the years summed from months
    (a sum's id is its figure id; it covers the whole measure)."""
    sums = tables["deportations_monthly_sums"].rename(columns={"sum_id": "figure_id"})
    return pd.concat([tables["deportations"], sums.assign(detail=pd.NA)],
                     ignore_index=True).set_index("figure_id")


def test_series_never_mix_year_basis_or_unit(tables):
    """Every figure a cell uses has the cell's year basis, unit, measure family and age."""
    figures = figure_rows(tables)
    for name in ("child_deportations_by_year", "deportations_all_ages_by_year"):
        used = tables[name].dropna(subset=["figure_ids"])
        for row in used.itertuples():
            parts = figures.loc[row.figure_ids.split(";")]
            assert (parts["year_basis"] == row.year_basis).all(), row.series
            assert (parts["unit"] == row.unit).all(), row.series
            assert (parts["age_group"] == row.age_group).all(), row.series
            assert (parts["accompaniment"] == row.accompaniment).all(), row.series
            assert (parts["year"] == row.year).all(), row.series
            assert parts["detail"].isna().all(), row.series


def test_each_series_is_one_kind_of_measure():
    for s in (*deportations.CHILD_SERIES, *deportations.ALL_AGES_SERIES):
        assert s.year_basis in ("us_fiscal", "calendar")
        assert s.unit in ("events", "persons")
    ids = [s.id for s in (*deportations.CHILD_SERIES, *deportations.ALL_AGES_SERIES)]
    assert len(ids) == len(set(ids))


def test_receiving_country_series_count_only_their_own_nationals(tables):
    figures = figure_rows(tables)
    t = tables["deportations_all_ages_by_year"]
    used = t[t["series"].str.startswith("received_") & t["figure_ids"].notna()]
    for row in used.itertuples():
        reporters = set(figures.loc[row.figure_ids.split(";"), "reporter"])
        assert reporters <= {f"{row.nationality}_GOV", "IOM", "NTCA_GOV", "GTM_GOV",
                             "HND_GOV", "SLV_GOV"}
        if row.nationality in ("GTM", "HND", "SLV") and row.status != "gap" and \
                "GTM, HND and SLV" not in row.rule:
            assert reporters <= {f"{row.nationality}_GOV", "IOM"}


def test_cbp_totals_cover_their_country_rows(tables):
    """A CBP fiscal-year total is at least its four country rows (the rest of the world
    makes up the difference)."""
    checks = tables["deportation_checks"]
    cbp = checks[checks["check_id"].str.startswith("us_uac_apprehensions_")
                 & (checks["total_nationality"] == "ALL")]
    assert len(cbp) >= 6
    assert (cbp["result"] == "agrees").all()
    fy2014 = cbp[cbp["check_id"] == "us_uac_apprehensions_2014_all"].iloc[0]
    assert (fy2014["total_value"], fy2014["parts_sum"]) == (68_541, 67_339)


def test_published_ntca_totals_equal_their_parts(tables):
    checks = tables["deportation_checks"]
    ntca = checks[(checks["total_nationality"] == "NTCA") & (checks["basis"] == "same source")]
    assert len(ntca) >= 1
    breitbart = ntca[ntca["figure_ids"].str.contains("bb_ice_uac_removals_fy2014_ntca")]
    assert breitbart.iloc[0]["parts_sum"] == 1_379
    assert breitbart.iloc[0]["result"] == "agrees"


def test_disagreeing_checks_are_listed_as_conflicts(tables):
    checks = tables["deportation_checks"]
    conflicts = tables["conflicts"]
    listed = conflicts[conflicts["kind"] == "sum_of_parts"]
    assert len(listed) == (checks["result"] == "disagrees").sum()


def test_conflicts_cover_both_tables(tables):
    assert set(tables["conflicts"]["table"]) == {"funding", "deportations", "population"}
    same = tables["conflicts"].query("table == 'deportations' and kind == 'same_key'")
    # the 2016 minors apprehended by Mexico: UPM 40,114 vs Anuario 40,542 (and others)
    assert same["key"].str.contains("2016-01..2016-12 \\(calendar\\) apprehensions by MEX, ALL, "
                                    "minor, all").any()


def test_asylum_rows_trace_the_1185_percent(tables):
    """UNHCR rows: NTCA applications lodged in Mexico + Belize, Costa Rica, Nicaragua and
    Panama, 2008 vs 2014 (new and appeal rows, as the UNHCR table labels them)."""
    d = tables["deportations"]
    region = d[d["measure"].str.startswith("asylum_applications")
               & d["deporting_state"].isin(["MEX", "BLZ", "CRI", "NIC", "PAN"])
               & d["nationality"].isin(["GTM", "HND", "SLV"])]
    by_year = region.groupby("year")["value"].sum()
    assert (by_year[2008], by_year[2014]) == (155, 1_993)


def test_no_silent_drops(scratch):
    """A real-looking CBP FY2019 figure enters the preferred table (years come from the
    data), and a figure that fits no series is listed, with its reason, in
    unused_figures.csv."""
    from usmx.engine import snapshots

    rows = [
        "cbp_uac_fy2019_gtm_test,2018-10,2019-09,us_fiscal,CBP,USA,GTM,minor,unaccompanied,"
        "uac_apprehensions,events,,30329,exact,CBP_2018,test row,high,",
        "cbp_uac_fy2016_ca_test,2015-10,2016-09,us_fiscal,CBP,USA,CA,minor,unaccompanied,"
        "uac_apprehensions,events,,50000,exact,CBP_2018,test row,high,",
    ]
    with scratch.deportations_raw.open("a", encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
    snapshots.record(scratch)
    t = build.build_tables(scratch)
    c = t["child_deportations_by_year"]
    got = c[(c["series"] == "us_uac_apprehensions") & (c["year"] == 2019)
            & (c["nationality"] == "GTM")]
    assert got["value"].item() == 30329 and got["status"].item() == "published"
    # the other countries of FY2019 are explicit gaps, never zeros (CBP's own sector table
    # gives the all-nationality total)
    others = c[(c["series"] == "us_uac_apprehensions") & (c["year"] == 2019)
               & c["nationality"].isin(["HND", "SLV", "MEX"])]
    assert (others["status"] == "gap").all() and others["value"].isna().all()
    unused = t["unused_figures"].set_index("figure_id")
    assert "cbp_uac_fy2019_gtm_test" not in unused.index
    assert unused.loc["cbp_uac_fy2016_ca_test", "reason"] == \
        "nationality CA is not a column of us_uac_apprehensions"


def test_every_figure_is_used_or_listed(tables):
    """Each published figure is in a preferred cell (chosen, a rival or noted), a check, a
    rate, a claim, or unused_figures.csv with a reason: none vanishes."""
    from usmx.engine.provenance import used_figure_ids

    used = used_figure_ids(tables)
    unused = tables["unused_figures"]
    assert unused["reason"].str.len().gt(10).all()
    for name in ("funding", "deportations"):
        ids = set(tables[name]["figure_id"])
        listed = set(unused.loc[unused["table"] == name, "figure_id"])
        assert ids <= used | listed
        assert not (listed & used)
