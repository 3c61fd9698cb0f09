"""refresh of the monthly sources (IOM's gdidata package and CBP's own files), HTTP mocked
with `responses`: success, a renamed category or column, HTML instead of data, a truncated
body, 5xx then success, a local copy; on any failure nothing is written."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import rdata
import requests
import responses
from test_refresh import TODAY, run
from test_refresh import _fails as refresh_fails

from usmx import build, refresh
from usmx.engine import snapshots
from usmx.refresh import gdidata

SHA = "0123456789abcdef0123456789abcdef01234567"


def days(month: str) -> float:
    y, m = map(int, month.split("-"))
    return float((dt.date(y, m, 1) - dt.date(1970, 1, 1)).days)


def rda(name: str, frame: pd.DataFrame) -> bytes:
    """An R data file holding ``frame`` as ``name`` (months stored as day counts)."""
    out = io.BytesIO()
    rdata.write_rda(out, {name: frame})
    return out.getvalue()


def months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def returns_frame(extra=()) -> pd.DataFrame:
    rows = [(days(m), nat, kind, n) for m in months(2026)
            for nat, kind, n in (("GTM", "assisted return of children", 100.0),
                                 ("GTM", "assisted return", 900.0),
                                 ("GTM", "deportation", 10.0),
                                 ("HND", "assisted return of children", 50.0),
                                 ("NIC", "assisted return of children", 2.0),
                                 ("CUB", "assisted return", 7.0))]
    rows += list(extra)
    return pd.DataFrame(rows, columns=["t", "nat", "type", "n"])


def datasets(returns: pd.DataFrame | None = None) -> dict[str, bytes]:
    return {name: rda(name, frame) for name, frame in frames(returns).items()}


def frames(returns: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    nat = pd.DataFrame([(days(m), "GTM", 300.0) for m in months(2026)],
                       columns=["t", "nat", "n"])
    dmg = pd.DataFrame([(days(m), sex, age, 10.0) for m in months(2026)
                        for sex in ("female", "male")
                        for age in ("under 12, accompanied", "under 12, unaccompanied", "12-17",
                                    "18+")], columns=["t", "sex", "age", "n"])
    gtm = pd.DataFrame([(days(m), sex, age, origin, 5.0) for m in months(2026)
                        for sex in ("female", "male")
                        for age in ("adult", "accompanied child", "unaccompanied child")
                        for origin in ("MEX", "USA")],
                       columns=["t", "sex", "age", "origin", "n"])
    usa = pd.DataFrame([(days(m), days(m), "U.S. Border Patrol", "Tucson Sector", "Title 8",
                         "Apprehensions", "UAC", "GTM", 40.0)
                        for m in [f"2025-{x:02d}" for x in (10, 11, 12)] + [
                            f"2026-{x:02d}" for x in range(1, 10)]],
                       columns=["t", "t_fy", "component", "area", "authority", "type", "demog",
                                "nat", "n"])
    return {"irreg_mexico_exp": returns if returns is not None else returns_frame(),
            "irreg_mexico_nat": nat, "irreg_mexico_dmg": dmg, "irreg_guatemala": gtm,
            "irreg_usa": usa}


def mock_gdidata(rsps, files=None, commit=SHA):
    rsps.add(responses.GET, gdidata.COMMIT_API, json={"sha": commit})
    for name, data in (files or datasets()).items():
        rsps.add(responses.GET, gdidata.RAW_URL.format(commit=commit, name=name), body=data,
                 content_type="application/octet-stream")


def test_gdidata_success_snapshots_sums_and_carried_figures(scratch):
    with responses.RequestsMock() as rsps:
        mock_gdidata(rsps)
        lines = run(scratch, ["iom_gdidata"])
    manifest = snapshots.load(scratch)
    for name in refresh.GROUPS["iom_gdidata"]:
        entry = manifest["snapshots"][name][-1]
        assert entry["file"] == f"data/raw/snapshots/{name}/2030-01-15.csv"
        assert entry["url"].startswith(f"https://raw.githubusercontent.com/iom/gdidata/{SHA}/")
    text = "\n".join(lines)
    assert f"read at iom/gdidata commit {SHA}" in text
    # the committed snapshot's figures the new release lacks are kept, not dropped
    assert "figure(s) the source no longer holds were kept" in text
    snap = pd.read_csv(scratch.root / manifest["snapshots"]["upm_returns"][-1]["file"],
                       dtype=str, keep_default_na=False).set_index("figure_id")
    assert snap.loc["upm324_gtm_nna_2026_03", "value"] == "100"
    assert "gdidata 0123456, data/irreg_mexico_exp.rda, row" in \
        snap.loc["upm324_gtm_nna_2026_03", "locator"]
    assert snap.loc["upm324_gtm_nna_2015_01", "value"] == "1117"  # carried, as read before
    assert not snap.index.str.contains("_cub_").any()  # a nationality no table lists
    assert (snap.index.str.startswith("upm324_nic_")).any()  # kept: listed, not studied
    t = build.build_tables(scratch)
    sums = t["deportations_monthly_sums"].set_index("sum_id")
    s = sums.loc["sum_upm_t324_gdidata_children_returned_mex_gtm_2026"]
    assert (s["value"], s["months"], s["status"]) == (1200, 12, "complete")
    c = t["child_deportations_by_year"].set_index(["series", "year", "nationality"])
    assert c.loc[("mx_minor_returns", 2026, "GTM"), "value"] == 1200
    assert c.loc[("mx_minor_returns", 2026, "GTM"), "status"] == "derived"
    assert c.loc[("mx_minor_returns", 2015, "GTM"), "value"] == 19_029
    a = t["deportations_all_ages_by_year"].set_index(["series", "year", "nationality"])
    assert a.loc[("mx_returns", 2026, "GTM"), "value"] == 12 * (100 + 900 + 10)
    # CBP's Border Patrol months sum into the US fiscal year (October to September)
    assert c.loc[("us_uac_apprehensions", 2026, "GTM"), "value"] == 12 * 40
    assert ("mx_minor_returns", 2026, "NIC") not in c.index  # Nicaragua is not studied


def _fails(scratch, register, words, names=("upm_returns",)):
    """test_refresh's check of a failed refresh (its words named, data/raw untouched), for
    the monthly sources."""
    refresh_fails(scratch, register, words, names)


def test_renamed_category_fails(scratch):
    frame = returns_frame([(days("2026-01"), "GTM", "assisted return of minors", 3.0)])
    _fails(scratch, lambda r: mock_gdidata(r, datasets(frame)),
           "unknown type 'assisted return of minors'")


@pytest.mark.parametrize(("source", "dataset", "column", "label", "renamed"), [
    ("igm_returns", "irreg_guatemala", "origin", "USA", "US"),
    ("igm_returns", "irreg_guatemala", "age", "unaccompanied child", "child, alone"),
    ("igm_returns", "irreg_guatemala", "sex", "male", "men"),
    ("upm_apprehensions_age", "irreg_mexico_dmg", "age", "12-17", "12 to 17"),
    ("upm_apprehensions_age", "irreg_mexico_dmg", "sex", "female", "women"),
])
def test_renamed_label_fails(scratch, source, dataset, column, label, renamed):
    """Every label a figure is placed by is checked: a renamed one stops the refresh."""
    changed = frames()
    changed[dataset] = changed[dataset].replace({column: {label: renamed}})
    files = {name: rda(name, frame) for name, frame in changed.items()}
    _fails(scratch, lambda r: mock_gdidata(r, files), f"unknown {column} '{renamed}'",
           names=(source,))


def test_renamed_column_fails(scratch):
    frame = returns_frame().rename(columns={"n": "count"})
    _fails(scratch, lambda r: mock_gdidata(r, datasets(frame)), "column(s) ['n'] missing")


def test_fractional_or_negative_count_fails(scratch):
    for bad in (2.5, -1.0):
        frame = returns_frame([(days("2026-01"), "HND", "deportation", bad)])
        _fails(scratch, lambda r, f=frame: mock_gdidata(r, datasets(f)),
               "is not a whole, non-negative number")


def test_html_instead_of_data_fails(scratch):
    files = {**datasets(), "irreg_mexico_exp": b"<!DOCTYPE html><html>Not found</html>"}
    _fails(scratch, lambda r: mock_gdidata(r, files), "not an R data file")


def test_truncated_body_fails(scratch):
    def register(rsps):
        rsps.add(responses.GET, gdidata.COMMIT_API, json={"sha": SHA})
        data = datasets()["irreg_mexico_exp"]
        rsps.add(responses.GET, gdidata.RAW_URL.format(commit=SHA, name="irreg_mexico_exp"),
                 body=data[:50], headers={"Content-Length": str(len(data))},
                 auto_calculate_content_length=False)
    _fails(scratch, register, "truncated body")


def test_commit_api_without_a_commit_fails(scratch):
    _fails(scratch, lambda r: r.add(responses.GET, gdidata.COMMIT_API,
                                    json={"sha": "<html>"}), "is not a commit id")


def test_5xx_then_success_is_retried(scratch):
    with responses.RequestsMock() as rsps:
        url = gdidata.RAW_URL.format(commit=SHA, name="irreg_mexico_exp")
        rsps.add(responses.GET, gdidata.COMMIT_API, json={"sha": SHA})
        rsps.add(responses.GET, url, status=503)
        rsps.add(responses.GET, url, body=datasets()["irreg_mexico_exp"])
        run(scratch, ["upm_returns"])
        assert [c.response.status_code for c in rsps.calls][-2:] == [503, 200]
    assert snapshots.load(scratch)["snapshots"]["upm_returns"][-1]["date_accessed"] == \
        "2030-01-15"


def test_local_copy_reads_the_pinned_commit(scratch, tmp_path):
    folder = tmp_path / "gdidata" / "data"
    folder.mkdir(parents=True)
    for name, data in datasets().items():
        (folder / f"{name}.rda").write_bytes(data)
    lines = []
    refresh.refresh(scratch, ["upm_apprehensions"], today=TODAY, out=lines.append,
                    copy_from=tmp_path / "gdidata")
    entry = snapshots.load(scratch)["snapshots"]["upm_apprehensions"][-1]
    assert entry["url"] == gdidata.RAW_URL.format(commit=gdidata.PINNED_COMMIT,
                                                  name="irreg_mexico_nat")
    assert entry["read_from"].startswith("a local copy")
    with pytest.raises(refresh.RefreshError, match="no copy of it"):
        refresh.refresh(scratch, ["igm_returns"], today=TODAY, copy_from=tmp_path)


# --- CBP's own files -----------------------------------------------------------------

CBP_HEADER = ("Fiscal Year,Month Grouping,Month (abbv),Component,Land Border Region,"
              "Area of Responsibility,AOR (Abbv),Demographic,Citizenship,Title of Authority,"
              "Encounter Type,Encounter Count")
OLD = "https://www.cbp.gov/sites/default/files/2024-10/nationwide-encounters-fy21-fy24-aor.csv"
NEW = ("https://www.cbp.gov/sites/default/files/2025-06/"
       "nationwide-encounters-fy22-fy25-may-aor.csv")
PAGE = (f'<html><a href="{OLD}">FY21-FY24</a> <a href="/sites/default/files/2025-06/'
        'nationwide-encounters-fy22-fy25-may-aor.csv">FY22-FY25 (FYTD)</a></html>')


def cbp_line(fy, month, count, demog="UAC", nat="GUATEMALA", component="U.S. Border Patrol",
             region="Southwest Land Border", authority="Title 8", kind="Apprehensions"):
    return (f"{fy},FYTD,{month},{component},{region},Tucson Sector,TCA,{demog},{nat},"
            f"{authority},{kind},{count}")


def cbp_body(lines) -> str:
    return "\n".join([CBP_HEADER, *lines]) + "\n"


def mock_cbp(rsps, old=None, new=None):
    rsps.add(responses.GET, refresh.cbp.PAGE_URL, body=PAGE, content_type="text/html")
    rsps.add(responses.GET, OLD, body=old if old is not None else cbp_body([
        cbp_line(2024, "OCT", 11, demog="UC / Single Minors"),
        cbp_line(2025, "NOV", 12, demog="UC / Single Minors"),
        cbp_line(2024, "NOV", 900, demog="Single Adults")]))
    rsps.add(responses.GET, NEW, body=new if new is not None else cbp_body([
        cbp_line("2025 (FYTD)", "NOV", 13),  # a revised count of a month already given
        cbp_line("2025 (FYTD)", "DEC", 14, nat="HONDURAS"),
        cbp_line("2025 (FYTD)", "DEC", 99, nat="CUBA"),
        cbp_line("2025 (FYTD)", "DEC", 5, component="Office of Field Operations"),
        cbp_line("2025 (FYTD)", "DEC", 6, region="Northern Land Border"),
        cbp_line("2025 (FYTD)", "DEC", 7, authority="Title 42", kind="Expulsions")]))


def test_cbp_success_keeps_what_is_used_newest_release_first(scratch):
    with responses.RequestsMock() as rsps:
        mock_cbp(rsps)
        run(scratch, ["cbp_encounters"])
    entry = snapshots.load(scratch)["snapshots"]["cbp_encounters"][-1]
    snap = pd.read_csv(scratch.root / entry["file"], dtype=str,
                       keep_default_na=False).set_index("figure_id")
    assert snap.loc["cbp_t8_t_gtm_2023_10", "value"] == "11"  # FY2024 OCT = October 2023
    assert snap.loc["cbp_t8_t_gtm_2024_11", "value"] == "13"  # the newer release's count
    assert snap.loc["cbp_t8_t_hnd_2024_12", "value"] == "14"
    assert snap.loc["cbp_t42_t_gtm_2024_12", "measure"] == "uac_expulsions"
    assert snap.loc["cbp_t8_t_gtm_2023_10", "note"] == "CBP category 'UC / Single Minors'"
    assert snap.loc["cbp_t8_t_gtm_2024_11", "note"] == "CBP category 'UAC'"
    assert "nationwide-encounters-fy22-fy25-may-aor.csv, line 2" in \
        snap.loc["cbp_t8_t_gtm_2024_11", "locator"]
    assert len(snap) == 4  # no adults, OFO, northern border or unlisted citizenship


def test_cbp_renamed_demographic_fails(scratch):
    new = cbp_body([cbp_line("2025 (FYTD)", "DEC", 3, demog="Unaccompanied Children")])
    _fails(scratch, lambda r: mock_cbp(r, new=new), "unknown demographic 'Unaccompanied "
           "Children'", names=("cbp_encounters",))


def test_cbp_renamed_column_fails(scratch):
    new = cbp_body([]).replace("Encounter Count", "Count")
    _fails(scratch, lambda r: mock_cbp(r, new=new), "['Encounter Count'] missing",
           names=("cbp_encounters",))


def test_cbp_html_instead_of_csv_fails(scratch):
    _fails(scratch, lambda r: mock_cbp(r, new="<html><body>Access denied</body></html>\n"),
           "HTML, not the CSV file expected", names=("cbp_encounters",))


def test_cbp_page_without_files_fails(scratch):
    _fails(scratch, lambda r: r.add(responses.GET, refresh.cbp.PAGE_URL,
                                    body="<html>moved</html>"),
           "links no Nationwide Encounters AOR file", names=("cbp_encounters",))


def test_cbp_truncated_file_fails(scratch):
    def register(rsps):
        mock_cbp(rsps)
        rsps.replace(responses.GET, NEW, body=requests.exceptions.ChunkedEncodingError("cut"))
    _fails(scratch, register, "truncated body", names=("cbp_encounters",))


def test_cbp_5xx_then_success_is_retried(scratch):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, refresh.cbp.PAGE_URL, status=502)
        mock_cbp(rsps)
        run(scratch, ["cbp_encounters"])
        assert rsps.calls[0].response.status_code == 502
    assert "cbp_encounters" in snapshots.load(scratch)["snapshots"]


def test_gdidata_and_cbp_month_agree_and_conflict(scratch):
    """Two sums of one year by one counter (IOM's copy, CBP's own file) compete: CBP's own
    release goes first, and the difference is listed as a conflict."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        mock_gdidata(rsps)
        mock_cbp(rsps, new=cbp_body([cbp_line(2026, m, 41) for m in
                                     ("OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY",
                                      "JUN", "JUL", "AUG", "SEP")]))
        run(scratch, ["cbp_uac_gdidata", "cbp_encounters"])
    t = build.build_tables(scratch)
    sums = t["deportations_monthly_sums"]
    both = sums[(sums["rollup"] == "uac_apprehended") & (sums["year"] == 2026)
                & (sums["nationality"] == "GTM")]
    assert sorted(both["value"]) == [12 * 40, 12 * 41]
    c = t["child_deportations_by_year"].set_index(["series", "year", "nationality"])
    cell = c.loc[("us_uac_apprehensions", 2026, "GTM")]
    assert cell["n_candidates"] == 2 and cell["status"] == "derived"
    assert (cell["value"], cell["source_ids"]) == (12 * 41, "CBP_ENCOUNTERS_LIVE")
    assert "the originator's own release before a copy" in cell["rule"]
    conflicts = t["conflicts"]
    hit = conflicts[conflicts["key"].str.startswith("2026 (us_fiscal) uac_apprehended by USA, "
                                                    "GTM")]
    assert len(hit) == 1 and (hit.iloc[0]["min_value"], hit.iloc[0]["max_value"]) == (480, 492)
