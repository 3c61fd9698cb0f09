"""The monthly record (UPM table 3.2.4, 3.1.1 and 3.1.3, IGM and CBP, via IOM's gdidata):
figures against the exact dataset rows they come from, years summed from months (complete
and partial), conflicts instead of overwrites, bad snapshot rows, and the countries table."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from usmx import build
from usmx.analysis import processed
from usmx.engine import snapshots
from usmx.paths import project_paths
from usmx.rawio import DataError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tables():
    return build.build_tables(project_paths(ROOT))


# Each figure against its row of the dataset at commit c9e4cc6: the R row number and the
# value as the .rda holds it (the same values the researcher's CSV extracts give).
@pytest.mark.parametrize(("figure_id", "value", "row", "labels"), [
    ("upm324_gtm_nna_2015_01", 1117, 16, "nat GTM, type 'assisted return of children'"),
    ("upm324_gtm_ar_2015_01", 6567, 15, "nat GTM, type 'assisted return'"),
    ("upm324_hnd_nna_2019_06", 4375, 2525, "nat HND, type 'assisted return of children'"),
    ("upm324_slv_nna_2024_12", 19, 5128, "nat SLV, type 'assisted return of children'"),
    ("upm311_gtm_2018_01", 3600, 24, "nat GTM, t 2018-01"),
    ("upm311_nic_2018_01", 61, 33, "nat NIC, t 2018-01"),
    ("upm313_18plus_male_2018_01", 5449, 1, "sex male, age '18+'"),
    ("upm313_12to17_female_2018_01", 273, 4, "sex female, age '12-17'"),
    ("igm_mex_adult_male_2020_01", 2243, 1, "origin MEX, sex male, age 'adult'"),
    ("igm_mex_childacc_male_2020_01", 205, 3, "origin MEX, sex male, age 'accompanied child'"),
    ("gdicbp_t8_rgv_gtm_2021_01", 717, 6772, "area 'Rio Grande Valley Sector', Title 8"),
    ("gdicbp_t8_ep_gtm_2021_03", 2401, 7784, "area 'El Paso Sector', Title 8 Apprehensions"),
    ("gdicbp_t42_rgv_gtm_2021_03", 1, 7875, "Title 42 Expulsions, nat GTM"),
])
def test_monthly_figures_are_the_dataset_rows(figure_id, value, row, labels):
    paths = project_paths(ROOT)
    found = []
    for name in ("upm_returns", "upm_apprehensions", "upm_apprehensions_age", "igm_returns",
                 "cbp_uac_gdidata"):
        with snapshots.latest(paths, name).open(encoding="utf-8", newline="") as handle:
            found += [r for r in csv.DictReader(handle) if r["figure_id"] == figure_id]
    assert len(found) == 1
    figure = found[0]
    assert int(figure["value"]) == value
    assert figure["locator"].startswith("gdidata c9e4cc6, data/irreg_")
    assert f", row {row}: " in figure["locator"] and labels in figure["locator"]
    assert figure["period_start"] == figure["period_end"] == \
        f"{figure_id[-7:-3]}-{figure_id[-2:]}"


def test_years_summed_from_months(tables):
    sums = tables["deportations_monthly_sums"].set_index("sum_id")
    gtm = sums.loc["sum_upm_t324_gdidata_children_returned_mex_gtm_2015"]
    assert (gtm["value"], gtm["months"], gtm["status"]) == (19_029, 12, "complete")
    assert gtm["n_figures"] == 12 and gtm["first_month"] == "2015-01"
    partial = sums.loc["sum_upm_t324_gdidata_children_returned_mex_gtm_2025"]
    assert (partial["months"], partial["status"]) == (4, "partial")
    assert "partial: 4 of 12 months (no figure for 2025-05 to 2025-12)" in partial["note"]
    # all ages: deportation + assisted return + assisted return of children
    assert sums.loc["sum_upm_t324_gdidata_all_returned_mex_gtm_2015", "value"] == 82_597
    # CBP sums US fiscal years, Oct-Sep; FY2025 holds October to May
    fy = sums.loc["sum_cbp_swb_gdidata_uac_apprehended_usa_all_2019"]
    assert (fy["value"], fy["first_month"], fy["last_month"]) == (76_020, "2018-10", "2019-09")
    fy25 = sums.loc["sum_cbp_swb_gdidata_uac_apprehended_usa_gtm_2025"]
    assert (fy25["months"], fy25["status"]) == (8, "partial")
    # the renamed category is joined on purpose and said so
    assert "'UC / Single Minors'" in sums.loc[
        "sum_cbp_swb_gdidata_uac_apprehended_usa_gtm_2021", "note"]
    assert "CBP category 'UAC' (2021-10 to 2022-09)" in sums.loc[
        "sum_cbp_swb_gdidata_uac_apprehended_usa_gtm_2022", "note"]
    # Mexico's minors presented: the three age groups under 18, both sexes
    assert sums.loc["sum_upm_t313_gdidata_children_presented_mex_all_2019", "n_figures"] == 72


def test_partial_years_never_fill_a_cell(tables):
    c = tables["child_deportations_by_year"]
    assert c["year"].max() == 2024  # 2025 holds only January-April: no cell
    cbp = c[(c["series"] == "us_uac_apprehensions")]
    assert 2025 not in set(cbp["year"])


def test_mexico_returns_by_nationality_from_the_originator(tables):
    c = tables["child_deportations_by_year"].set_index(["series", "year", "nationality"])
    expected = {(2015, "GTM"): 19_029, (2015, "HND"): 9_884, (2015, "SLV"): 7_584,
                (2016, "GTM"): 16_726, (2019, "HND"): 23_067, (2024, "SLV"): 178}
    for (year, nat), value in expected.items():
        cell = c.loc[("mx_minor_returns", year, nat)]
        assert (cell["value"], cell["status"]) == (value, "derived")
        assert cell["source_ids"] == "UPM_T324_GDIDATA"
        assert cell["rule"].startswith("sum of the year's 12 monthly figures")
    # NTCA: the three countries' sums
    assert c.loc[("mx_minor_returns", 2015, "NTCA"), "value"] == 19_029 + 9_884 + 7_584
    # the published all-nationality total for 2017 (Segob) is kept, and it covers its parts
    assert c.loc[("mx_minor_returns", 2017, "ALL"), "value"] == 17_093
    checks = tables["deportation_checks"].set_index("check_id")
    assert checks.loc["mx_minor_returns_2017_all", "result"] == "agrees"
    # all ages: INM's published total for 2015 (El Economista) covers the UPM's three sums
    check = checks.loc["mx_returns_2015_all"]
    assert (check["total_value"], check["parts_sum"], check["result"]) == (
        181_163, 82_597 + 57_823 + 34_716, "agrees")


def test_printed_figure_before_a_sum_of_months(tables):
    """CBP's FY2019 total is printed (CBP's sector table) and summed from months (IOM's
    copy): the printed one is chosen, and as they agree, no conflict is listed."""
    c = tables["child_deportations_by_year"].set_index(["series", "year", "nationality"])
    cell = c.loc[("us_uac_apprehensions", 2019, "ALL")]
    assert cell["value"] == 76_020 and cell["status"] == "published"
    assert "sum_cbp_swb_gdidata_uac_apprehended_usa_all_2019" in cell["other_figure_ids"]
    conflicts = tables["conflicts"]
    assert not conflicts["figure_ids"].str.contains(
        "sum_cbp_swb_gdidata_uac_apprehended_usa_all_2019").any()


def test_conflicts_not_overwrites(tables):
    conflicts = tables["conflicts"]
    months = conflicts[conflicts["kind"] == "sum_of_months"].set_index("key")
    inm = months[months.index.str.contains("mx_dev_gtm_2016_inm")].iloc[0]
    assert (inm["min_value"], inm["max_value"]) == (59_679, 62_299)
    assert inm["source_ids"] == "EL_ECONOMISTA_2017_02_04;UPM_T324_GDIDATA"
    # the press figure stays in the record, beside the one chosen
    a = tables["deportations_all_ages_by_year"].set_index(["series", "year", "nationality"])
    assert "mx_dev_gtm_2016_inm" in a.loc[("mx_returns", 2016, "GTM"), "other_figure_ids"]
    ends = conflicts[conflicts["kind"] == "sender_vs_receiver"]
    slv = ends[ends["key"].str.startswith("2015 SLV: Minors returned by Mexico")].iloc[0]
    assert (slv["min_value"], slv["max_value"]) == (6_698, 7_584)
    assert "events" in slv["key"] and "persons" in slv["key"]


def test_every_monthly_figure_is_summed(tables):
    unused = tables["unused_figures"]
    assert not (unused["table"] == "deportations_monthly").any()
    ids = {i for v in tables["deportations_monthly_sums"]["figure_ids"] for i in v.split(";")}
    assert ids == set(tables["deportations_monthly"]["figure_id"])


def test_claims_say_what_changed(tables):
    claims = tables["claims"].set_index("claim_id")
    assert claims.loc["children_40k", "change"] == (
        "Verdict unchanged since 2026-11-30 (Supported, with caveats); it now also rests on "
        "SEGOB-UPM via IOM-GDI (2025).")
    assert "for 2015-2016 Mexico's own count adds 74,256 returns" in \
        claims.loc["children_40k", "reason"]
    assert claims["change"].str.startswith("Verdict").all()


# --- bad snapshot rows --------------------------------------------------------------


def _edit(scratch, name, row, column, value):
    path = snapshots.latest(scratch, name)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[row][column] = value
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    snapshots.record(scratch)
    return path


@pytest.mark.parametrize(("column", "value", "words"), [
    ("nationality", "XYZ", "is not a known nationality code"),
    ("period_end", "2015-03", "a monthly figure covers one month"),
    ("period_start", "2031-01", "is out of range"),
    ("value", "-4", "is not a whole number"),
    ("value", "12.5", "is not a whole number"),
    ("age_group", "teenagers", "is not a known age group code"),
    ("measure", "assisted_return_of_minors", "is not a known measure code"),
])
def test_bad_snapshot_row_stops_the_build(scratch, column, value, words):
    before = {p.name: p.read_bytes() for p in scratch.processed.iterdir()}
    path = _edit(scratch, "upm_returns", 0, column, value)
    with pytest.raises(DataError) as exc:
        build.build(scratch)
    label = scratch.rel(path)
    text = str(exc.value)
    assert f"{label}:2: column {column!r} value {value!r}" in text and words in text, text
    assert {p.name: p.read_bytes() for p in scratch.processed.iterdir()} == before


def test_month_after_the_snapshot_and_duplicated_month_stop_the_build(scratch):
    path = _edit(scratch, "upm_returns", 0, "period_start", "2027-01")
    _edit(scratch, "upm_returns", 0, "period_end", "2027-01")
    with pytest.raises(DataError, match=r"2027-01'.*is after the snapshot was taken"):
        build.build(scratch)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    twin = dict(rows[1], figure_id=rows[1]["figure_id"] + "_again")
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows([rows[1], twin, *rows[2:]])
    path.write_text(out.getvalue(), encoding="utf-8")
    snapshots.record(scratch)
    with pytest.raises(DataError, match="duplicate key: already on line 2"):
        build.build(scratch)


# --- countries as data ----------------------------------------------------------------


def test_a_country_added_to_the_table_reaches_the_tables_and_the_charts(scratch):
    """Nicaragua becomes studied by one edit of data/raw/countries.csv, nothing else."""
    path = scratch.countries_raw
    text = path.read_text(encoding="utf-8")
    assert ",purple,no," in text
    path.write_text(text.replace(",purple,no,", ",purple,yes,"), encoding="utf-8")
    snapshots.record(scratch)
    build.build(scratch)
    record = processed.load(scratch)
    c = record["child_deportations_by_year"].set_index(["series", "year", "nationality"])
    nic = c.loc[("mx_minor_returns", 2019, "NIC")]
    assert nic["status"] == "derived" and nic["value"] > 0
    assert ("us_uac_apprehensions", 2021, "NIC") in c.index
    fa = record["funding_series_by_fy"]
    assert "NIC" in set(fa.loc[fa["series"] == "foreign_assistance_totals", "recipient"])
    from usmx.charts import export
    from usmx.charts.catalog import CHARTS

    spec = CHARTS["child-deportations"].spec(record, countries=("NIC",))
    assert "Nicaragua" in [p.title for p in spec.panels]
    assert export(record, only="uac-apprehensions", countries="NIC", formats="csv",
                  lang="es", outdir=scratch.root / "out")
    drawn = pd.read_csv(scratch.root / "out" / "es" / "uac-apprehensions.csv")
    assert "NIC" in set(drawn["nationality"])


def test_notebook_views_of_mexicos_monthly_count(repo):
    from usmx.analysis import views

    record = processed.load(repo)
    months = views.mexico_child_returns_by_month(record, raw=True)
    assert (months.index[0], months.index[-1], len(months)) == ("2015-01", "2025-04", 124)
    assert list(months.columns) == ["GTM", "HND", "SLV"]
    assert months.loc["2019-06", "HND"] == 4_375
    years = views.mexico_child_returns_by_year(record, raw=True)
    assert years.loc[2016, "GTM"] == 16_726 and years.loc[2016, "status"] == "complete"
    assert years.loc[2025, "status"] == "partial (4 months)"


@pytest.mark.parametrize(("first", "last", "marked"), [
    (None, None, ["US-Mexico agreement,\nJune 2019", "Bicentennial Framework,\nOctober 2021"]),
    (2020, 2025, ["Bicentennial Framework,\nOctober 2021"]),
    (2019, 2019, ["US-Mexico agreement,\nJune 2019"]),
    (2015, 2018, []),
])
def test_monthly_chart_marks_the_events_of_its_years(repo, first, last, marked):
    from usmx.charts.monthly_chart import mexico_child_returns_spec

    spec = mexico_child_returns_spec(processed.load(repo), first, last)
    assert [rule.label for panel in spec.panels for rule in panel.rules] == marked
