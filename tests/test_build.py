"""The build from the committed raw data: real values, provenance, determinism."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from usmx import build, schema
from usmx.cli import main
from usmx.paths import project_paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tables():
    return build.build_tables(project_paths(ROOT))


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def test_committed_processed_equals_fresh_build(repo):
    assert build.stale_outputs(repo) == []


def test_build_twice_gives_identical_bytes(scratch):
    build.build(scratch)
    first = _digest(scratch.processed)
    for p in scratch.processed.iterdir():
        p.unlink()
    build.build(scratch)
    assert _digest(scratch.processed) == first
    assert len(first) == len(schema.PROCESSED_TABLES) + 2  # + README.md, datapackage.json


def test_cli_build_and_check(scratch, capsys):
    assert main(["--root", str(scratch.root), "build"]) == 0
    assert main(["--root", str(scratch.root), "check"]) == 0
    (scratch.processed / "funding.csv").write_text("tampered\n")
    assert main(["--root", str(scratch.root), "check"]) == 1
    assert "funding.csv" in capsys.readouterr().err


def test_every_source_id_resolves(tables):
    known = set(tables["sources_processed"]["source_id"])
    assert set(tables["funding"]["source_id"]) <= known
    for ids in tables["merida_mexico_by_fy"]["source_ids"].dropna():
        assert set(ids.split(";")) <= known


def test_every_source_is_used(tables):
    """Every registry row is cited by a figure, except the APIs that `refresh` cites."""
    from usmx.refresh import API_SOURCE_IDS

    unused = tables["sources_processed"].query("n_figures == 0")["source_id"].tolist()
    assert set(unused) <= set(API_SOURCE_IDS)


def test_every_figure_has_locator_and_confidence(tables):
    f = tables["funding"]
    assert (f["locator"].str.len() > 3).all()
    assert f["confidence"].isin(["high", "medium", "low"]).all()


def test_attribution_joined(tables):
    f = tables["funding"].set_index("figure_id")
    assert f.loc["mx_fy2017_incle", "attribution_short"] == "Office of Rep. Cuellar (2017)"
    assert f.loc["mx_fy2017_incle", "source_kind"] == "official"


def _cell(tables, fy, account):
    m = tables["merida_mexico_by_fy"]
    return m[(m["fiscal_year"] == fy) & (m["account"] == account)].iloc[0]


@pytest.mark.parametrize(("fy", "account", "amount", "status"), [
    (2008, "TOTAL", 400_000_000, "published"),      # CRS R40135, GAO-10-253R
    (2008, "INCLE", 263_500_000, "derived"),        # 215.5 supplemental + 48 bridge (spending plan)
    (2008, "ESF", 20_000_000, "derived"),
    (2008, "FMF", 116_500_000, "derived"),
    (2009, "TOTAL", 720_000_000, "derived"),        # 300 omnibus + 420 supplemental (Embassy)
    (2012, "TOTAL", 282_000_000, "published"),
    (2013, "FMF", 0, "published"),                  # no Mérida FMF after FY2011
    (2016, "ESF", 35_000_000, "published"),
    (2017, "INCLE", 90_000_000, "published"),       # Rep. Cuellar, FY2017 omnibus
    (2017, "ESF", 49_004_000, "published"),
])
def test_preferred_values(tables, fy, account, amount, status):
    cell = _cell(tables, fy, account)
    assert cell["amount_usd"] == amount
    assert cell["status"] == status


@pytest.mark.parametrize(("fy", "account"), [
    (2009, "INCLE"),   # the FY2009 omnibus $300M has no published account split
    (2010, "TOTAL"),   # the enacted FY2010 supplemental was not read
    (2011, "TOTAL"),
    (2014, "TOTAL"),   # only a low-confidence figure: never fills a cell
    (2016, "INCLE"),
])
def test_gaps_are_empty_not_zero(tables, fy, account):
    cell = _cell(tables, fy, account)
    assert cell["status"] == "gap"
    assert pd.isna(cell["amount_usd"])
    assert pd.isna(cell["figure_ids"])


def test_every_year_and_account_has_one_row(tables):
    m = tables["merida_mexico_by_fy"]
    assert len(m) == 10 * 4
    assert not m.duplicated(["fiscal_year", "account"]).any()
    assert set(m["fiscal_year"]) == set(range(2008, 2018))


def test_official_figure_preferred_over_secondary(tables):
    """FY2010 regular act: CRS's 210.3M beats RT's 231.6M (both kept, conflict listed)."""
    from usmx.domains.funding_series import FY_ACTS, act_best
    from usmx.engine.provenance import records

    f = tables["funding"]
    single = f[(f["program"] == "merida") & (f["recipient"] == "MEX")
               & (f["fy_start"] == 2010) & (f["fy_end"] == 2010)
               & (f["stage"] == "appropriated")]
    assert FY_ACTS[2010] == ("regular", "supplemental")
    amount, row = act_best(records(single), "TOTAL", "regular")
    assert (amount, row["source_id"]) == (210_300_000, "CRS_RL32724_2010_02_03")
    keys = tables["conflicts"]["key"]
    assert keys.str.contains("FY2010 USA→MEX merida TOTAL appropriated").any()


def test_cumulative_totals_agree_or_are_listed(tables):
    checks = tables["funding_checks"]
    conflicts = tables["conflicts"]
    assert set(checks["result"]) <= {"agrees", "disagrees", "incomplete"}
    assert set(checks["basis"]) == {"merida_totals", "best_available"}
    listed = set(conflicts.query("kind == 'cumulative_vs_annual'")["key"])
    for row in checks.itertuples():
        if row.result == "disagrees":
            assert any(row.figure_id in k and row.basis.replace("_", " ") in k for k in listed)
        elif row.result == "agrees":
            assert row.range_low_usd <= row.annual_sum_usd <= row.range_high_usd
        else:
            assert pd.isna(row.annual_sum_usd) and row.years_missing
    by_id = checks[checks["basis"] == "merida_totals"].set_index("figure_id")
    # $1.12B for FY2008-09 (Embassy) equals 400 + 300 + 420.
    assert by_id.loc["mx_fy2008_2010_cum_crs_r40135", "annual_sum_usd"] == 1_330_300_000
    assert by_id.loc["mx_fy2008_2009_cumulative", "result"] == "agrees"
    # 'some $1.3 billion' through the FY2010 regular act: 400 + 720 + 210.3.
    assert by_id.loc["mx_fy2008_2010_cum_crs_r40135", "result"] == "agrees"
    # Notimex's 1,351M (which matches RT's 231.6M for FY2010) disagrees and is listed.
    assert by_id.loc["mx_fy2008_2010_cum_notimex", "result"] == "disagrees"
    # CRS's 'a total of $1.1 billion' (September 2009) holds 1.12B within half a unit.
    assert by_id.loc["mx_fy2008_2009_cum_crs_rl32724", "result"] == "agrees"
    # 'more than $1.9 billion' through FY2012 cannot be checked on Mérida totals alone
    assert by_id.loc["mx_fy2008_2012_cum_crs_rl32724", "result"] == "incomplete"


def test_cumulative_checks_against_the_best_available_official_figures(tables):
    """With State's allocations the chain FY2008-FY2015 is complete: 400 (Mérida) + 720
    (Mérida) + 564.25 + 142.984 + 282 (Mérida) + 233.79 + 201.431 + 160.775 (INCLE + ESF +
    FMF, whole accounts) = 2,705.23 million; CRS's 'nearly $2.5 billion' disagrees, and the
    years_detail shows what each year is."""
    best = tables["funding_checks"].query("basis == 'best_available'").set_index("figure_id")
    row = best.loc["mx_fy2008_2015_cum_crs_2016"]
    assert row["result"] == "disagrees"
    assert row["years_detail"].startswith("FY2008 400,000,000 (Mérida total, published)")
    assert "FY2010 564,250,000 (INCLE allocated (whole account) + ESF allocated (whole " \
           "account) + FMF allocated (whole account))" in row["years_detail"]
    parts = [400_000_000, 720_000_000, 564_250_000, 142_984_000, 282_000_000,
             195_077_000 + 32_067_000 + 6_646_000, 148_131_000 + 46_750_000 + 6_550_000,
             110_000_000 + 46_100_000 + 4_675_000]
    assert row["annual_sum_usd"] == sum(parts)
    # the FY2008-FY2018 total still lacks FY2018 in every series
    assert best.loc["mx_fy2008_2018_cum_crs", "years_missing"] == "2018"


def test_conflicts_list_differing_figures_only(tables):
    same = tables["conflicts"].query("kind == 'same_key'")
    assert (same["min_value"] < same["max_value"]).all()
    assert (same["n_figures"] >= 2).all()
    dod = same[same["key"].str.contains("dod_counternarcotics")]
    assert dod["detail"].str.contains("6,500,000").all()
    assert dod["detail"].str.contains("6,800,000").all()


def test_processed_tables_validate(tables):
    for table in schema.PROCESSED_TABLES:
        schema.validate_processed(tables[table.name], table)


def test_constant_dollars_follow_the_price_snapshot(tables):
    """FY2008's $400M in FY2017 dollars, recomputed here from the CPI snapshot itself."""
    import csv

    from usmx.engine import snapshots

    path = snapshots.latest(project_paths(ROOT), "us_cpi")
    cpi = {int(r["year"]): float(r["value"]) for r in csv.DictReader(path.open())}

    def fy(y):
        return 0.25 * cpi[y - 1] + 0.75 * cpi[y]

    m = tables["merida_mexico_by_fy"].set_index(["fiscal_year", "account"])
    assert m.loc[(2008, "TOTAL"), "amount_usd_constant"] == round(400_000_000 * fy(2017)
                                                                    / fy(2008))
    assert m.loc[(2017, "INCLE"), "amount_usd_constant"] == 90_000_000  # the base year
    assert m.loc[(2008, "TOTAL"), "price_base"].startswith("FY2017 US dollars")
    gaps = m[m["amount_usd"].isna()]
    assert gaps["amount_usd_constant"].isna().all()  # a gap stays a gap in any dollars


def test_rates_divide_by_the_newer_wdi_release(tables):
    """Children per 100,000 children aged 0-14, recomputed here from the snapshot's figures
    (GTM 2014: 5,618,208 in WDI download v2_24206; the older v2_4661114 says 5,643,141)."""
    c = tables["child_deportations_by_year"].set_index(["series", "year", "nationality"])
    row = c.loc[("us_uac_apprehensions", 2014, "GTM")]
    assert row["per_100k_children"] == round(row["value"] / 5_618_208 * 100_000, 1)
    assert row["population_figure_ids"] == "wdi24206_pop0014_gtm_2014"
    assert row["population_source_ids"] == "WDI_POP0014_24206"
    ntca = c.loc[("us_uac_apprehensions", 2014, "NTCA")]
    assert ntca["per_100k_children"] == round(
        ntca["value"] / (5_618_208 + 3_187_669 + 1_800_914) * 100_000, 1)
    assert ntca["population_figure_ids"].count(";") == 2
    used = c["population_figure_ids"].dropna()
    assert len(used) > 80 and not used.str.contains("wdi4661114").any()  # low never serves
    assert tables["deportations_all_ages_by_year"]["per_100k_children"].isna().all()


def test_population_rule():
    from usmx.domains.deportations import preferred_population
    from usmx.rawio import DataError

    def frame(*rows):
        return pd.DataFrame([dict(zip(("figure_id", "country", "year", "value", "confidence"),
                                      r, strict=True), source_id="S") for r in rows])

    pick = preferred_population(frame(("a", "GTM", "2014", "100", "low"),
                                      ("b", "GTM", "2014", "90", "medium"),
                                      ("c", "GTM", "2014", "80", "high"),
                                      ("d", "HND", "2014", "70", "low")))
    assert pick == {("GTM", 2014): (80, "c", "S")}  # highest confidence; low never serves
    same = preferred_population(frame(("a", "GTM", "2014", "90", "medium"),
                                      ("b", "GTM", "2014", "90", "medium")))
    assert same == {("GTM", 2014): (90, "a", "S")}
    with pytest.raises(DataError, match="equal confidence"):
        preferred_population(frame(("a", "GTM", "2014", "90", "medium"),
                                   ("b", "GTM", "2014", "91", "medium")))


def test_population_releases_disagree_in_conflicts(tables):
    k = tables["conflicts"]
    pop = k[k["table"] == "population"]
    assert len(pop) == 44  # 4 countries x 2008-2018, two releases each, all different
    mex = pop[pop["key"].str.contains("MEX, 2017")].iloc[0]
    assert (mex["min_value"], mex["max_value"]) == (32_753_952, 33_614_045)
