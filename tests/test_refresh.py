"""refresh: HTTP mocked with `responses` (the conftest guard fails any real connection).
Success, timeout, 500 then success, 429 with Retry-After, malformed JSON, truncated body,
empty result and a renamed field; on failure nothing is written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from urllib.parse import parse_qs, urlparse

import pytest
import requests
import responses

from usmx import build, refresh
from usmx.cli import main
from usmx.engine import snapshots

TODAY = dt.date(2030, 1, 15)
WB_POP = refresh.WB_URL.format(countries="GTM;HND;SLV;MEX", indicator="SP.POP.0014.TO")
API_NAMES = ("unhcr_asylum", "wb_population_0_14", "us_cpi", "foreign_assistance")
WB_CPI = refresh.SOURCES["us_cpi"].url


def _unhcr_item(year, coo, coa, app_pc="P", applied=100):
    return {"year": year, "coo_iso": coo, "coa_iso": coa, "procedure_type": "G",
            "app_type": "N", "dec_level": "NA", "app_pc": app_pc, "applied": applied}


def unhcr_callback(request):
    q = parse_qs(urlparse(request.url).query)
    coo, coa = q["coo"][0], q["coa"][0]
    items = [_unhcr_item(y, coo, coa, applied=1000 + y) for y in (2008, 2014)]
    return 200, {}, json.dumps({"page": 1, "maxPages": 1, "items": items})


def wb(rows):
    return json.dumps([{"page": 1, "pages": 1, "per_page": 1000, "total": len(rows)}, rows])


POP_ROWS = [{"countryiso3code": c, "date": str(y), "value": v,
             "indicator": {"id": "SP.POP.0014.TO"}}
            for c, v in (("GTM", 6_000_000), ("HND", 3_000_000), ("SLV", 1_800_000),
                         ("MEX", 33_000_000)) for y in (2013, 2014, 2015)]
POP_ROWS.append({"countryiso3code": "GTM", "date": "2016", "value": None})  # a gap
CPI_ROWS = [{"countryiso3code": "USA", "date": str(y), "value": 100 + (y - 2010) * 1.7}
            for y in range(2005, 2025)]


FA_HEADER = ("Country Code,Country Name,Region ID,Region Name,Income Group Acronym,"
             "Income Group Name,Transaction Type ID,Transaction Type Name,Fiscal Year,"
             "current_amount,constant_amount")
FA_TYPES = {1: "Appropriated and Planned", 2: "Obligations", 3: "Disbursements",
            18: "President's Budget Requests", 19: "Initial Allocations"}


def fa_line(code, kind, year, amount, name="Country"):
    return (f'{code},{name},6,Western Hemisphere,UMIC,"Upper Middle Income Country",'
            f"{kind},{FA_TYPES.get(kind, 'Other')},{year},{amount},{amount}")


def fa_body(lines=None) -> str:
    if lines is None:
        lines = [fa_line("ABW", 2, 2010, 5000, "Aruba")]
        lines += [fa_line(c, k, y, 1_000_000 * k + y) for c in ("MEX", "GTM", "HND", "SLV")
                  for k in FA_TYPES for y in (2009, 2010, 2016)]
        lines += [fa_line("MEX", 2, "1976tq", 2000), fa_line("MEX", 2, 1990, 700)]
        lines.append(fa_line("MEX", 7, 2010, 123))  # a transaction type the project skips
    return "\n".join([FA_HEADER, *lines]) + "\n"


def mock_all(rsps):
    rsps.add_callback(responses.GET, refresh.UNHCR_URL, callback=unhcr_callback)
    rsps.add(responses.GET, WB_POP, body=wb(POP_ROWS), content_type="application/json")
    rsps.add(responses.GET, WB_CPI, body=wb(CPI_ROWS), content_type="application/json")
    rsps.add(responses.GET, refresh.FA_URL, body=fa_body(), content_type="text/csv")


def fingerprint(paths):
    return {p.relative_to(paths.root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(paths.raw.rglob("*")) if p.is_file()}


def run(paths, names=None):
    lines = []
    refresh.refresh(paths, names, http=refresh.session(backoff=0), today=TODAY,
                    out=lines.append)
    return lines


def test_success_writes_dated_snapshots_manifest_and_diff(scratch):
    before = snapshots.load(scratch)
    with responses.RequestsMock() as rsps:
        mock_all(rsps)
        lines = run(scratch, list(API_NAMES))
        user_agents = {c.request.headers["User-Agent"] for c in rsps.calls}
    assert user_agents == {refresh.USER_AGENT}
    manifest = snapshots.load(scratch)
    for name in API_NAMES:
        entry = manifest["snapshots"][name][-1]
        assert entry["file"] == f"data/raw/snapshots/{name}/2030-01-15.csv"
        assert entry["date_accessed"] == "2030-01-15"
        data = (scratch.root / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data) and entry["rows"] > 0
        assert entry["url"].startswith("https://")
    # the previous snapshots are kept, and the manifest still lists them first
    for name, entries in before["snapshots"].items():
        assert manifest["snapshots"][name][:len(entries)] == entries
        assert (scratch.root / entries[0]["file"]).exists()
    assert any(line.startswith("us_cpi: 20 rows (was 20)") for line in lines)
    # the committed snapshot holds two WDI releases; the diff compares the one the build used
    # (2008-2023 for the four countries and Nicaragua: 80 used of 124)
    assert any(line.startswith("wb_population_0_14: 12 rows (was 80): 0 added, 68 removed, "
                               "12 changed") for line in lines)
    # the offline build now uses the newest snapshots: rates per 100,000 children appear
    t = build.build_tables(scratch)
    c = t["child_deportations_by_year"]
    gtm = c[(c["series"] == "us_uac_apprehensions") & (c["nationality"] == "GTM")
            & (c["year"] == 2014)].iloc[0]
    assert gtm["per_100k_children"] == pytest.approx(17_057 / 6_000_000 * 100_000, abs=0.05)
    m = t["merida_mexico_by_fy"]
    assert m["price_base"].dropna().str.contains("2010=100").all()
    # ForeignAssistance.gov: the four countries, five stages, years 2009, 2010 and 2016
    assert any(line.startswith("foreign_assistance: 60 rows (was 327)") for line in lines)
    fa = t["funding_series_by_fy"].query("series == 'foreign_assistance_totals'")
    mex = fa.set_index(["recipient", "fiscal_year", "stage"])
    assert mex.loc[("MEX", 2010, "obligated"), "amount_usd"] == 2_002_010
    assert mex.loc[("MEX", 2010, "obligated"), "source_ids"] == "FAGOV_COUNTRY_LIVE"
    # the article's years 2008-2017, with gaps where this download has no row
    assert sorted(set(fa["fiscal_year"])) == list(range(2008, 2018))
    assert mex.loc[("MEX", 2012, "obligated"), "status"] == "gap"


def _fails(scratch, register, words, names=("us_cpi",)):
    before = fingerprint(scratch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register(rsps)
        with pytest.raises(refresh.RefreshError) as exc:
            run(scratch, list(names))
    assert words in str(exc.value)
    assert fingerprint(scratch) == before, "a failed refresh must leave data/raw untouched"
    return rsps


def test_timeout(scratch):
    _fails(scratch, lambda r: r.add(responses.GET, WB_CPI,
                                    body=requests.exceptions.ConnectTimeout("slow")),
           "timed out")


def test_500_then_success_is_retried(scratch):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, WB_CPI, status=500)
        rsps.add(responses.GET, WB_CPI, body=wb(CPI_ROWS), content_type="application/json")
        run(scratch, ["us_cpi"])
        assert len(rsps.calls) == 2
    assert snapshots.load(scratch)["snapshots"]["us_cpi"][-1]["date_accessed"] == "2030-01-15"


def test_429_with_retry_after_is_retried(scratch):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, WB_CPI, status=429, headers={"Retry-After": "0"})
        rsps.add(responses.GET, WB_CPI, body=wb(CPI_ROWS), content_type="application/json")
        run(scratch, ["us_cpi"])
        assert [c.response.status_code for c in rsps.calls] == [429, 200]
    retry = refresh.session().get_adapter("https://x").max_retries
    assert retry.respect_retry_after_header and 429 in retry.status_forcelist


def test_persistent_errors_give_up(scratch):
    _fails(scratch, lambda r: r.add(responses.GET, WB_CPI, status=503), "HTTP 503")


def test_malformed_json(scratch):
    _fails(scratch, lambda r: r.add(responses.GET, WB_CPI, body="{not json"),
           "not valid JSON")


def test_truncated_body(scratch):
    body = wb(CPI_ROWS)
    _fails(scratch, lambda r: r.add(responses.GET, WB_CPI, body=body[: len(body) // 2]),
           "not valid JSON")


def test_truncated_body_against_content_length(scratch):
    def register(rsps):
        rsps.add(responses.GET, WB_CPI, body=wb(CPI_ROWS)[:100],
                 headers={"Content-Length": "5000"}, auto_calculate_content_length=False)
    _fails(scratch, register, "truncated body")


def test_empty_result(scratch):
    def register(rsps):
        rsps.add(responses.GET, refresh.UNHCR_URL,
                 json={"page": 1, "maxPages": 1, "items": []})
    _fails(scratch, register, "returned no rows", names=("unhcr_asylum",))


def test_renamed_field(scratch):
    def register(rsps):
        item = _unhcr_item(2014, "GTM", "USA")
        item["applications"] = item.pop("applied")
        rsps.add(responses.GET, refresh.UNHCR_URL,
                 json={"page": 1, "maxPages": 1, "items": [item]})
    _fails(scratch, register, "field 'applied' is missing", names=("unhcr_asylum",))


def test_download_that_breaks_the_raw_schema(scratch):
    rows = [dict(CPI_ROWS[0], value=-5)]
    _fails(scratch, lambda r: r.add(responses.GET, WB_CPI, body=wb(rows)),
           "does not fit the raw schema")


def test_only_https():
    with pytest.raises(refresh.RefreshError, match="only HTTPS"):
        refresh.get_json(refresh.session(), "http://api.example.org/data")


def test_unknown_source(scratch):
    with pytest.raises(refresh.RefreshError, match="unknown source"):
        refresh.refresh(scratch, ["nope"])


def test_cli_exit_code_and_nothing_written(scratch, capsys):
    before = fingerprint(scratch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, WB_CPI, body="{not json")
        assert main(["--root", str(scratch.root), "refresh", "us_cpi"]) == 3
    assert "nothing was written" in capsys.readouterr().err
    assert fingerprint(scratch) == before


def test_no_real_network():
    """The test suite's guard makes any real connection fail."""
    with pytest.raises(RuntimeError, match="must not use the network"):
        requests.get("https://api.worldbank.org/v2/country", timeout=1)


def test_the_build_reads_every_deportation_snapshot_the_refresh_writes():
    """The build lists the deportation snapshots it reads (usmx.domains.deportations) apart
    from the refresh's sources: the two lists must name the same sources."""
    from usmx import schema
    from usmx.domains import deportations, monthly

    written = {name for name, source in refresh.SOURCES.items()
               if source.table is schema.DEPORTATIONS_SNAPSHOT}
    assert written == set(deportations.SNAPSHOT_SOURCES)
    assert set(monthly.MONTHLY_SOURCES) == written - {"unhcr_asylum"}


def test_groups_and_the_list_are_made_from_the_sources(monkeypatch, capsys):
    """A group is declared on its sources (``Source.group``), not listed beside them: a new
    source read from IOM's gdidata joins ``iom_gdidata`` with no other edit, and ``refresh
    --list`` names every source and group."""
    from dataclasses import replace

    from usmx.refresh import core

    assert refresh.GROUPS == {"iom_gdidata": ("upm_returns", "upm_apprehensions",
                                              "upm_apprehensions_age", "igm_returns",
                                              "cbp_uac_gdidata")}
    assert main(["refresh", "--list"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert listed == [*refresh.SOURCES, *refresh.GROUPS]
    toy = replace(refresh.SOURCES["upm_returns"], name="upm_toy")
    monkeypatch.setattr(core, "SOURCES", {**refresh.SOURCES, "upm_toy": toy})
    assert refresh.groups_of(core.SOURCES)["iom_gdidata"][-1] == "upm_toy"
    assert refresh.names_of(["iom_gdidata"]) == [*refresh.GROUPS["iom_gdidata"], "upm_toy"]
    assert refresh.names_of(None)[-1] == "upm_toy"
