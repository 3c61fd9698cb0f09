"""`refresh foreign_assistance`: ForeignAssistance.gov's country file, streamed (HTTP mocked
with `responses`): success, a renamed column, a truncated body, a 5xx then success, a body
far larger than the rows kept (streamed, not held in memory), and amounts the raw schema
refuses. On every failure nothing is written."""

from __future__ import annotations

import csv
import io
import tracemalloc

import pytest
import requests
import responses
from test_bad_input import _set
from test_refresh import FA_HEADER, _fails, fa_body, fa_line, fingerprint, run

from usmx import build, refresh
from usmx.engine import snapshots
from usmx.rawio import DataError

NAMES = ("foreign_assistance",)


def _snapshot_rows(scratch) -> list[dict]:
    entry = snapshots.load(scratch)["snapshots"]["foreign_assistance"][-1]
    text = (scratch.root / entry["file"]).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_success_keeps_only_the_countries_and_stages_used(scratch):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, refresh.FA_URL, body=fa_body())
        lines = run(scratch, list(NAMES))
        assert rsps.calls[0].request.headers["User-Agent"] == refresh.USER_AGENT
    rows = _snapshot_rows(scratch)
    assert len(rows) == 60
    assert {r["recipient"] for r in rows} == {"MEX", "GTM", "HND", "SLV"}
    assert {r["stage"] for r in rows} == {"planned", "obligated", "disbursed", "requested",
                                          "initial_allocation"}
    assert {r["fy_start"] for r in rows} == {"2009", "2010", "2016"}  # not 1976tq or 1990
    mex = next(r for r in rows if r["figure_id"] == "fagov_mex_fy2010_obligated")
    # the locator names the file's line: header 1, Aruba 2, then MEX type 1 (3 years) ...
    assert mex["locator"].startswith("us_foreign_aid_country.csv, line 7 (Country Code MEX, "
                                     "Transaction Type ID 2 'Obligations', Fiscal Year 2010)")
    assert mex["amount_usd"] == "2002010" and mex["source_id"] == "FAGOV_COUNTRY_LIVE"
    # against the committed offline snapshot (FY2005-FY2024): 2009, 2010 and 2016 compared
    assert lines[0].startswith("foreign_assistance: 60 rows (was 327): 0 added, 267 removed, "
                               "60 changed\n  changed GTM, 2009, disbursed: 99640896 -> 3002009")


def test_renamed_column(scratch):
    body = fa_body().replace("current_amount", "amount_current", 1)
    _fails(scratch, lambda r: r.add(responses.GET, refresh.FA_URL, body=body),
           "column(s) ['current_amount'] missing", names=NAMES)


def test_truncated_body_against_content_length(scratch):
    body = fa_body()

    def register(rsps):
        rsps.add(responses.GET, refresh.FA_URL, body=body[: len(body) // 2],
                 headers={"Content-Length": str(len(body))},
                 auto_calculate_content_length=False)
    _fails(scratch, register, "truncated body", names=NAMES)


def test_truncated_last_line(scratch):
    body = fa_body()
    cut = body[: body.rindex(",")]  # the last record loses its last field
    _fails(scratch, lambda r: r.add(responses.GET, refresh.FA_URL, body=cut),
           "fields, the header 11", names=NAMES)


def test_5xx_then_success_is_retried(scratch):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, refresh.FA_URL, status=502)
        rsps.add(responses.GET, refresh.FA_URL, body=fa_body())
        run(scratch, list(NAMES))
        assert [c.response.status_code for c in rsps.calls] == [502, 200]
    assert len(_snapshot_rows(scratch)) == 60


def test_persistent_5xx_writes_nothing(scratch):
    _fails(scratch, lambda r: r.add(responses.GET, refresh.FA_URL, status=503), "HTTP 503",
           names=NAMES)


def test_connection_error_writes_nothing(scratch):
    _fails(scratch, lambda r: r.add(responses.GET, refresh.FA_URL,
                                    body=requests.exceptions.ConnectionError("reset")),
           "request failed", names=NAMES)


def test_negative_amount_does_not_fit_the_raw_schema(scratch):
    body = fa_body([fa_line("MEX", 2, 2010, -5)])
    _fails(scratch, lambda r: r.add(responses.GET, refresh.FA_URL, body=body),
           "does not fit the raw schema", names=NAMES)


def test_cents_are_refused_not_rounded(scratch):
    body = fa_body([fa_line("MEX", 2, 2010, "1234.56")])
    _fails(scratch, lambda r: r.add(responses.GET, refresh.FA_URL, body=body),
           "'1234.56' is not a whole number", names=NAMES)


def test_no_rows_for_the_countries(scratch):
    body = fa_body([fa_line("ABW", 2, 2010, 5)])
    _fails(scratch, lambda r: r.add(responses.GET, refresh.FA_URL, body=body),
           "returned no rows", names=NAMES)


class _LazyCSV(io.RawIOBase):
    """A body of ``n`` other-country lines (about 100 bytes each) made as it is read, with
    the four countries' rows at the end: the whole never exists in memory."""

    def __init__(self, n: int):
        self.left = n
        self.head = (FA_HEADER + "\n").encode()
        self.tail = "".join(fa_line(c, 2, 2015, 7_000 + i) + "\n" for i, c in
                            enumerate(("MEX", "GTM", "HND", "SLV"))).encode()
        self.filler = (fa_line("ZZZ", 2, 2015, 123_456_789, "Filler land") + "\n").encode()
        self.size = len(self.head) + n * len(self.filler) + len(self.tail)
        self.pending = b""

    def readable(self):
        return True

    def readinto(self, buffer):
        if not self.pending:
            if self.head:
                self.pending, self.head = self.head, b""
            elif self.left:
                k = min(self.left, 500)
                self.left -= k
                self.pending = self.filler * k
            else:
                self.pending, self.tail = self.tail, b""
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n


@pytest.mark.slow
def test_a_large_file_is_streamed_not_loaded(scratch):
    body = _LazyCSV(200_000)  # about 20 MB
    assert body.size > 18_000_000
    with responses.RequestsMock() as rsps:  # a small refresh first: what it imports and
        rsps.add(responses.GET, refresh.FA_URL,  # caches is not counted as the download
                 body=io.BufferedReader(_LazyCSV(2_000), 1 << 16))
        run(scratch, list(NAMES))
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, refresh.FA_URL, body=io.BufferedReader(body, 1 << 16))
        tracemalloc.start()
        try:
            run(scratch, list(NAMES))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8_000_000, f"peak {peak:,} bytes: the download was held in memory"
    rows = _snapshot_rows(scratch)
    assert [r["amount_usd"] for r in rows] == ["7001", "7002", "7000", "7003"]  # GTM HND MEX SLV
    assert rows[2]["locator"].startswith("us_foreign_aid_country.csv, line 200002 ")


def test_build_refuses_a_bad_snapshot_and_leaves_processed_alone(scratch):
    """A snapshot row with an unknown stage, a negative or non-numeric amount, a missing
    column or a duplicate key stops the build with file, line, column and value."""
    entry = snapshots.load(scratch)["snapshots"]["foreign_assistance"][-1]
    path = scratch.root / entry["file"]
    before = {p.name: p.read_bytes() for p in scratch.processed.iterdir()}
    good = path.read_text(encoding="utf-8")
    lines = good.splitlines()
    header = lines[0].split(",")
    cases = [("stage", "handed_over"), ("amount_usd", "-5"), ("amount_usd", "12.5M"),
             ("account", "WEAPONS"), ("fy_start", "twenty"), ("source_id", "NOT_IN_REGISTRY")]
    for column, value in cases:
        path.write_text(good, encoding="utf-8")
        _set(path, 2, column, value)
        with pytest.raises(DataError) as exc:
            build.build(scratch)
        text = str(exc.value)
        assert f"{entry['file']}:2: column {column!r} value {value!r}" in text, text
    # a duplicate figure id
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    snapshots.record(scratch)
    with pytest.raises(DataError, match=r"foreign_assistance/2026-12-08.csv:329"):
        build.build(scratch)
    # a missing column
    drop = header.index("vehicle")
    cut = "\n".join(",".join(c for i, c in enumerate(next(csv.reader([ln]))) if i != drop)
                    for ln in lines[:3]) + "\n"
    path.write_text(cut, encoding="utf-8")
    snapshots.record(scratch)
    with pytest.raises(DataError, match="column 'vehicle': missing column in header"):
        build.build(scratch)
    assert {p.name: p.read_bytes() for p in scratch.processed.iterdir()} == before


def test_figure_in_two_raw_files_names_both(scratch):
    entry = snapshots.load(scratch)["snapshots"]["foreign_assistance"][-1]
    snap = (scratch.root / entry["file"]).read_text(encoding="utf-8").splitlines()
    funding = scratch.funding_raw.read_text(encoding="utf-8")
    scratch.funding_raw.write_text(funding + snap[1] + "\n", encoding="utf-8")
    snapshots.record(scratch)
    with pytest.raises(DataError) as exc:
        build.build(scratch)
    text = str(exc.value)
    assert "appears in more than one raw funding file" in text
    assert "data/raw/funding.csv:" in text and f"{entry['file']}:2" in text


def test_failed_refresh_leaves_everything(scratch):
    before = fingerprint(scratch)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, refresh.FA_URL, body="")
        with pytest.raises(refresh.RefreshError, match="empty"):
            run(scratch, list(NAMES))
    assert fingerprint(scratch) == before


def test_unused_reason_reads_the_studied_recipients(repo):
    """A series declared for "studied" counts each studied country's figures and no other's:
    an unused ForeignAssistance.gov figure is explained as such, not as uncounted."""
    from usmx.domains import countries, funding

    ctx = {"countries": countries.load(repo)}
    figure = {"program": "all_us_assistance", "account": "TOTAL", "stage": "obligated",
              "donor": "USA", "fy_start": 2019, "fy_end": 2019, "component": None}
    for code in ("GTM", "HND", "SLV", "MEX"):
        reason = funding.why_unused({**figure, "recipient": code}, ctx)
        assert reason == ("not used by any series, check or claim (all_us_assistance TOTAL "
                          f"obligated for {code})")
    assert funding.why_unused({**figure, "recipient": "NIC"}, ctx) == (
        "no series counts all_us_assistance TOTAL obligated for NIC")
