"""Malformed raw input: the build stops with file, line, column and value, and leaves
data/processed/ exactly as it was."""

from __future__ import annotations

import csv
import hashlib
import io

import pandas as pd
import pytest

from usmx.cli import main
from usmx.engine import snapshots
from usmx.paths import project_paths
from usmx.rawio import DataError


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path, rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    _text(path, buf.getvalue())


def _text(path, text):
    """Write a raw file as a person would, then record it in the manifest (as
    `python -m usmx manifest` does), so that the test reaches the file's own checks."""
    path.write_text(text, encoding="utf-8")
    snapshots.record(project_paths(next(q.parent for q in path.parents if q.name == "data")))


def _set(path, line, column, value):
    """Set one cell (line numbers as in an editor: the header is line 1)."""
    rows = _rows(path)
    rows[line - 1][rows[0].index(column)] = value
    _write(path, rows)


def _snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture
def built(scratch):
    """A scratch copy whose data/processed/ is the committed one: a fresh build's bytes
    (tests/test_build.py::test_committed_processed_equals_fresh_build)."""
    return scratch


def _run(paths, capsys):
    before = _snapshot(paths.processed)
    code = main(["--root", str(paths.root), "build"])
    err = capsys.readouterr().err
    assert code != 0
    assert _snapshot(paths.processed) == before, "data/processed/ was changed"
    assert "nothing was written" in err
    return err


CELL_CASES = [
    # (column, bad value, words the message must contain)
    ("amount_usd", "1,234*", "whole number of US dollars"),
    ("amount_usd", "abc", "whole number of US dollars"),
    ("amount_usd", "-5000000", "whole number of US dollars"),
    ("amount_usd", "", "a value is required"),
    ("source_id", "NOT_A_SOURCE", "not a known"),
    ("recipient", "XXX", "not a known recipient code"),
    ("account", "ESFF", "not a known account code"),
    ("stage", "spent", "not a known stage code"),
    ("qualifier", "approx", "not a known qualifier code"),
    ("fy_start", "1999", "out of range"),
    ("fy_end", "2031", "out of range"),
    ("fy_start", "FY2010", "four-digit fiscal year"),
    ("locator", "", "a value is required"),
    ("confidence", "derived", "not a known confidence code"),
    ("as_of", "2015-13", "YYYY"),
]


@pytest.mark.parametrize(("column", "value", "words"), CELL_CASES)
def test_bad_cell_in_funding(built, capsys, column, value, words):
    _set(built.funding_raw, 7, column, value)
    err = _run(built, capsys)
    assert f"data/raw/funding.csv:7: column {column!r} value {value!r}" in err
    assert words in err


def test_fy_end_before_fy_start(built, capsys):
    _set(built.funding_raw, 4, "fy_start", "2012")
    _set(built.funding_raw, 4, "fy_end", "2011")
    err = _run(built, capsys)
    assert "data/raw/funding.csv:4: column 'fy_end' value '2011': is before fy_start 2012" in err


def test_duplicate_figure_id(built, capsys):
    rows = _rows(built.funding_raw)
    rows[5][0] = rows[2][0]
    _write(built.funding_raw, rows)
    err = _run(built, capsys)
    assert "data/raw/funding.csv:6: column 'figure_id'" in err
    assert "duplicate key: already on line 3" in err


def test_duplicate_figure_under_new_id(built, capsys):
    rows = _rows(built.funding_raw)
    copy = list(rows[2])
    copy[0] = "a_copy_of_line_3"
    rows.append(copy)
    _write(built.funding_raw, rows)
    err = _run(built, capsys)
    assert f"data/raw/funding.csv:{len(rows)}:" in err
    assert "duplicate key: already on line 3" in err


def test_missing_column(built, capsys):
    rows = [r[:-1] for r in _rows(built.funding_raw)]  # drop 'note'
    _write(built.funding_raw, rows)
    err = _run(built, capsys)
    assert "data/raw/funding.csv:1: column 'note': missing column in header" in err


def test_unknown_column(built, capsys):
    rows = _rows(built.funding_raw)
    rows = [[*r, "x"] for r in rows]
    rows[0][-1] = "extra"
    _write(built.funding_raw, rows)
    err = _run(built, capsys)
    assert "column 'extra': unknown column in header" in err


def test_ragged_row(built, capsys):
    rows = _rows(built.funding_raw)
    rows[9] = rows[9][:-2]
    _write(built.funding_raw, rows)
    err = _run(built, capsys)
    assert "data/raw/funding.csv:10: has 15 fields, the header has 17" in err


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_file(built, capsys, text):
    _text(built.funding_raw, text)
    err = _run(built, capsys)
    assert "data/raw/funding.csv:1: file is empty" in err


def test_header_only(built, capsys):
    _text(built.funding_raw, built.funding_raw.read_text().splitlines()[0] + "\n")
    err = _run(built, capsys)
    assert "data/raw/funding.csv:2: file has a header but no data rows" in err


def test_missing_file(built, capsys):
    built.funding_raw.unlink()
    snapshots.record(built)
    err = _run(built, capsys)
    assert "data/raw/funding.csv: file not found" in err


def test_bad_sources_registry(built, capsys):
    _set(built.sources_raw, 3, "url", "not a url")
    _set(built.sources_raw, 5, "kind", "blog")
    err = _run(built, capsys)
    assert "data/raw/sources.csv:3: column 'url' value 'not a url'" in err
    assert "data/raw/sources.csv:5: column 'kind' value 'blog'" in err


def test_quoted_multiline_note_keeps_line_numbers(built, capsys):
    """A note spanning two lines shifts the lines after it; messages follow the file."""
    rows = _rows(built.funding_raw)
    rows[2][rows[0].index("note")] = "first line\nsecond line"
    rows[4][rows[0].index("amount_usd")] = "12x"
    _write(built.funding_raw, rows)
    err = _run(built, capsys)
    assert "data/raw/funding.csv:6: column 'amount_usd' value '12x'" in err


def test_every_problem_is_reported(built, capsys):
    _set(built.funding_raw, 3, "amount_usd", "1.5")
    _set(built.funding_raw, 8, "recipient", "Mexico")
    err = _run(built, capsys)
    assert "funding.csv:3: column 'amount_usd'" in err
    assert "funding.csv:8: column 'recipient'" in err


def test_exit_code_from_python_m(built):
    """The real entry point, as a user runs it, exits non-zero."""
    import subprocess
    import sys

    _set(built.funding_raw, 7, "amount_usd", "1,234*")
    proc = subprocess.run([sys.executable, "-m", "usmx", "--root", str(built.root), "build"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "data/raw/funding.csv:7: column 'amount_usd' value '1,234*'" in proc.stderr


DEPORTATION_CASES = [
    ("period_start", "2015-13", "a month written YYYY-MM"),
    ("period_end", "2015", "a month written YYYY-MM"),
    ("period_start", "1990-01", "out of range"),
    ("measure", "deportations", "not a known measure code"),
    ("reporter", "DHS", "not a known reporter code"),
    ("nationality", "Guatemala", "not a known nationality code"),
    ("unit", "people", "not a known unit code"),
    ("year_basis", "fiscal", "not a known year basis code"),
    ("value", "12.649", "whole number"),
    ("value", "~5000", "whole number"),
]


@pytest.mark.parametrize(("column", "value", "words"), DEPORTATION_CASES)
def test_bad_cell_in_deportations(built, capsys, column, value, words):
    _set(built.deportations_raw, 12, column, value)
    err = _run(built, capsys)
    assert f"data/raw/deportations.csv:12: column {column!r} value {value!r}" in err
    assert words in err


def test_deportation_period_end_before_start(built, capsys):
    _set(built.deportations_raw, 5, "period_start", "2016-01")
    _set(built.deportations_raw, 5, "period_end", "2015-12")
    err = _run(built, capsys)
    assert "deportations.csv:5: column 'period_end' value '2015-12': is before period_start" in err


def test_deportation_duplicate_figure(built, capsys):
    rows = _rows(built.deportations_raw)
    copy = list(rows[3])
    copy[0] = "same_figure_again"
    rows.append(copy)
    _write(built.deportations_raw, rows)
    err = _run(built, capsys)
    assert f"deportations.csv:{len(rows)}:" in err
    assert "duplicate key: already on line 4" in err


def test_raw_file_changed_behind_the_manifest(built, capsys):
    """A raw file edited without recording it (or mangled by a copy) stops the build."""
    text = built.funding_raw.read_text(encoding="utf-8")
    built.funding_raw.write_text(text.replace("\n", "\r\n"), encoding="utf-8")
    err = _run(built, capsys)
    assert "data/raw/funding.csv: sha256" in err
    assert "python -m usmx manifest" in err


def test_unrecorded_raw_file(built, capsys):
    (built.raw / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    err = _run(built, capsys)
    assert "data/raw/extra.csv: not recorded in data/raw/manifest.json" in err


@pytest.mark.parametrize(("column", "value", "message"), [
    ("originators", "CBP;NASA", "is not one or more originator codes"),
    ("originators", "", "is empty"),
    ("carrier_kind", "tabloid", "is not a known carrier kind code"),
    ("carrier_kind", "", "is empty"),
])
def test_source_without_originator_or_carrier_kind(built, capsys, column, value, message):
    """Every source says whose figures it carries and what kind of document carries them;
    an unknown code or an empty cell stops the build at the registry's line."""
    path = built.sources_raw
    _set(path, 5, column, value)
    err = _run(built, capsys)
    assert f"data/raw/sources.csv:5: column {column!r} value {value!r}: {message}" in err


def test_reader_takes_a_path_bytes_or_text_alike(tmp_path):
    """refresh validates a download with the reader the build uses on files."""
    from usmx.rawio import read_raw_csv

    good = "a,b\n1,x\n\n2,y\n"
    path = tmp_path / "t.csv"
    path.write_text(good, encoding="utf-8")
    frames = [read_raw_csv(src, ["a", "b"], "t.csv")
              for src in (path, good.encode("utf-8"), "\ufeff" + good)]
    for frame in frames[1:]:
        pd.testing.assert_frame_equal(frame, frames[0])
    assert list(frames[0]["_line"]) == [2, 4]
    messages = []
    for src in (b"a,b\n1,x,extra\n", "a,b\n1,x,extra\n"):
        with pytest.raises(DataError) as err:
            read_raw_csv(src, ["a", "b"], "download.csv")
        messages.append(str(err.value))
    assert messages[0] == messages[1] == "download.csv:2: has 3 fields, the header has 2"
    with pytest.raises(DataError, match=r"download\.csv: not UTF-8 text"):
        read_raw_csv(b"a,b\n\xff,x\n", ["a", "b"], "download.csv")


def test_report_stops_on_bad_input_from_its_build(built, capsys):
    """`report` builds the tables in a task of its graph: a bad value still stops it with
    the file, line, column and value named (exit 2), and nothing else is made."""
    from usmx.engine import snapshots

    _set(built.funding_raw, 2, "amount_usd", "abc")
    snapshots.record(built)
    before = _snapshot(built.processed)
    code = main(["report", "--root", str(built.root)])
    err = capsys.readouterr().err
    assert code == 2 and "nothing was written" in err
    assert "funding.csv:2" in err and "amount_usd" in err and "abc" in err
    assert _snapshot(built.processed) == before
    assert [p.name for p in (built.root / "reports").iterdir()] == [".doit.json"]
