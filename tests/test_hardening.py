"""Every failure a clear message, every interruption recoverable (issue 11): each class of
fault gets a non-zero exit naming the file (and line, column and value for data), never a
traceback, and data/processed/ is never left mixed."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from test_bad_input import _set

from usmx import build, rawio
from usmx.cli import main
from usmx.engine import snapshots


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.iterdir()) if p.is_file()}


def _cli(paths, *args, capsys):
    code = main(["--root", str(paths.root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


# -- 1. bytes that are not UTF-8 ----------------------------------------------------------

def test_non_utf8_bytes_are_reported_not_a_traceback(scratch, capsys):
    path = scratch.funding_raw
    path.write_bytes(path.read_bytes() + b"bad\xff\xfe,row\n")
    before = _digest(scratch.processed)
    code, _, err = _cli(scratch, "build", capsys=capsys)  # an unrecorded edit
    assert code == 2 and "data/raw/funding.csv: sha256" in err
    code, out, _ = _cli(scratch, "manifest", capsys=capsys)  # recorded on purpose
    assert code == 0 and "manifest: updated" in out
    code, _, err = _cli(scratch, "build", capsys=capsys)
    assert code == 2 and "data/raw/funding.csv: not UTF-8 text" in err
    assert _digest(scratch.processed) == before


# -- 2. numbers beyond any plausible figure -----------------------------------------------

@pytest.mark.parametrize(("path_attr", "column", "value"), [
    ("funding_raw", "amount_usd", "99999999999999999999999"),
    ("deportations_raw", "value", "123456789012"),
])
def test_implausibly_large_numbers_stop_the_build(scratch, capsys, path_attr, column, value):
    _set(getattr(scratch, path_attr), 2, column, value)
    code, _, err = _cli(scratch, "build", capsys=capsys)
    assert code == 2
    assert f":2: column {column!r} value {value!r}: is out of range" in err


# -- 4. impossible values -----------------------------------------------------------------

@pytest.mark.parametrize(("path_attr", "column", "value", "message"), [
    ("events_raw", "date", "2015-02-30", "is not a real calendar date"),
    ("events_raw", "date", "2016-13", "is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ("claims_raw", "period_end", "2001", "is before period_start 2009"),
])
def test_impossible_values_are_refused(scratch, capsys, path_attr, column, value, message):
    path = getattr(scratch, path_attr)
    _set(path, 2, column, value)
    code, _, err = _cli(scratch, "build", capsys=capsys)
    assert code == 2
    assert f"{scratch.rel(path)}:2: column {column!r} value {value!r}: {message}" in err


# -- 5. a corrupt manifest ----------------------------------------------------------------

@pytest.mark.parametrize(("damage", "message"), [
    (lambda text: text[: len(text) // 2], "is not valid JSON"),
    (lambda text: json.dumps({"files": {"data/raw/funding.csv": {"size": 1}}}),
     "entry has no sha256"),
    (lambda text: "[1, 2]", "is not a manifest"),
])
def test_corrupt_manifest_is_named(scratch, capsys, damage, message):
    path = snapshots.manifest_path(scratch)
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, _, err = _cli(scratch, "build", capsys=capsys)
    assert code == 2
    assert "data/raw/manifest.json" in err and message in err
    assert "python -m usmx manifest" in err
    assert "Traceback" not in err


# -- 6. a wrong --root --------------------------------------------------------------------

def test_wrong_root_is_named_and_nothing_is_created(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    afile = tmp_path / "file.txt"
    afile.write_text("x")
    for root, what in ((missing, "does not exist"), (afile, "is not a folder"),
                       (tmp_path, "has no data/raw/ folder")):
        for command in ("build", "manifest", "charts"):
            code = main(["--root", str(root), command])
            err = capsys.readouterr().err
            assert code == 2, (root, command)
            assert f"{root} is not a usmx project root: it {what}" in err
    assert not missing.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


# -- 7. charts before any build -----------------------------------------------------------

def test_charts_before_a_build_says_what_to_run(scratch, capsys):
    for p in scratch.processed.iterdir():
        p.unlink()
    code, _, err = _cli(scratch, "charts", capsys=capsys)
    assert code == 2
    assert "data/processed/funding.csv: missing: run `python -m usmx build`" in err


# -- 8. write failures --------------------------------------------------------------------

def test_a_full_disk_is_reported_and_outputs_stay(scratch, capsys, monkeypatch):
    before = _digest(scratch.processed)
    _set(scratch.funding_raw, 3, "amount_usd", "215500001")  # changes the outputs

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(scratch.processed / "x.tmp"))

    monkeypatch.setattr(rawio.tempfile, "mkstemp", full)
    code, _, err = _cli(scratch, "build", capsys=capsys)
    assert code == 4
    assert "could not write" in err and "No space left on device" in err
    assert _digest(scratch.processed) == before


# -- 9. an interrupted build --------------------------------------------------------------

def _outputs(paths):
    return dict(build.build_outputs(paths))


def test_a_build_killed_while_moving_files_is_completed_by_the_next_command(scratch,
                                                                         monkeypatch):
    """Kill the build after each possible number of files moved into place: the tables are
    then a mix, a journal says so, and the next command finishes the commit."""
    _set(scratch.funding_raw, 3, "amount_usd", "215500001")
    new = _outputs(scratch)
    old = {p: p.read_bytes() if p.exists() else None for p in new}
    changed = [p for p in new if new[p] != old[p]]
    assert len(changed) >= 3
    real_replace = os.replace
    for k in range(len(changed)):
        for p, data in old.items():  # back to the old state
            if data is not None:
                p.write_bytes(data)
        moved = []

        def dying(src, dst, moved=moved, k=k):
            if str(dst).endswith(rawio.JOURNAL):
                return real_replace(src, dst)
            if len(moved) < k:
                moved.append(dst)
                return real_replace(src, dst)
            raise KeyboardInterrupt  # the process is killed here

        monkeypatch.setattr(rawio.os, "replace", dying)
        with pytest.raises(KeyboardInterrupt):
            build.build(scratch)
        monkeypatch.setattr(rawio.os, "replace", real_replace)
        journal = scratch.processed / rawio.JOURNAL  # the build writes data/processed only
        assert journal.exists()
        done = rawio.recover(scratch.commit_folders)
        assert len([d for d in done if d.startswith("completed")]) == len(changed) - k
        assert {p: p.read_bytes() for p in new} == new  # entirely new, nothing mixed
        assert not journal.exists()
        assert not list(scratch.processed.glob(".*.tmp"))


def test_a_build_killed_before_the_journal_leaves_old_tables_and_no_litter(scratch,
                                                                        capsys):
    before = _digest(scratch.processed)
    stray = scratch.processed / ".funding.csv.abc123.tmp"
    stray.write_bytes(b"half a table")
    root_stray = scratch.root / ".README.md.xyz789.tmp"
    root_stray.write_bytes(b"half a readme")
    keep = scratch.root / ".notes.tmp"  # not ours: left alone
    keep.write_text("mine")
    code, _, err = _cli(scratch, "check", capsys=capsys)
    assert "recovered: removed" in err
    assert not stray.exists() and not root_stray.exists() and keep.exists()
    assert _digest(scratch.processed) == before
    assert code in (0, 1)


# -- 10. notebook parameters --------------------------------------------------------------

@pytest.fixture(scope="module")
def t():
    from usmx.analysis import processed

    return processed.load()


@pytest.mark.parametrize(("call", "message"), [
    (lambda t, f, v: f.child_deportations(t, "abc", 2016), "first_year must be a year"),
    (lambda t, f, v: f.funding_vs_child_deportations(t, 2016, 2012),
     "first_year 2016 is after last_year 2012"),
    (lambda t, f, v: f.merida_by_account(t, 1990, 2017), "the data cover 2005-"),
    (lambda t, f, v: v.merida_by_fy(t, 2012, 2045), "reaches beyond them"),
    (lambda t, f, v: v.claims_table(t, ["nope"]), "unknown claim id ['nope']"),
    (lambda t, f, v: v.claim(t, "merida112m"), "unknown claim id ['merida112m']"),
])
def test_bad_notebook_parameters_say_what_would_work(t, call, message):
    from usmx import charts as figures
    from usmx.analysis import views
    from usmx.analysis.params import ParameterError

    with pytest.raises(ParameterError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call(t, figures, views)


def test_a_single_claim_id_is_one_claim_not_letters(t):
    from usmx.analysis import views

    table = views.claims_table(t, "merida_112m", raw=True)
    assert list(table.index) == ["merida_112m"]
    assert len(views.claims_table(t, ["merida_112m", "total_3b"], raw=True)) == 2
    assert len(views.claims_table(t, raw=True)) == len(t["claims"])


def test_processed_tables_are_read_again_when_a_file_changes(scratch):
    """load() keeps the tables it read while their files stay the same; a rewritten file
    is read again, and each caller's frames are its own."""
    from usmx import build
    from usmx.analysis import processed

    build.build(scratch)
    first = processed.load(scratch)
    first["claims"].loc[0, "label"] = "edited by one caller"
    again = processed.load(scratch)
    assert again["claims"].loc[0, "label"] != "edited by one caller"
    path = scratch.root / "data" / "processed" / "claims.csv"
    text = path.read_text(encoding="utf-8")
    label = again["claims"].loc[0, "label"]
    path.write_text(text.replace(label, "A rewritten label", 1), encoding="utf-8")
    assert processed.load(scratch)["claims"].loc[0, "label"] == "A rewritten label"


def test_commits_into_one_folder_at_once_keep_their_own_journals(tmp_path):
    """The report's parallel tasks commit into one folder at the same time (each chart
    into reports/figures/): each with a journal of its own, none undoes another's, and
    recovery finishes any journal of the family."""
    import subprocess
    import sys

    from usmx import rawio

    script = ("import sys; from pathlib import Path; from usmx.rawio import write_atomic\n"
              "name, folder = sys.argv[1], Path(sys.argv[2])\n"
              "for i in range(150):\n"
              "    write_atomic({folder / f'{name}.txt': f'{name} {i}'.encode()},\n"
              "                 journal_name=f'.usmx-commit-{name}.json')\n")
    runs = [subprocess.Popen([sys.executable, "-c", script, name, str(tmp_path)])
            for name in ("one", "two", "three")]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0]
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "one.txt": "one 149", "two.txt": "two 149", "three.txt": "three 149"}

    staged = tmp_path / ".four.txt.x.tmp"
    staged.write_text("four")
    (tmp_path / ".usmx-commit-four.json").write_text(
        json.dumps([[str(staged), str(tmp_path / "four.txt")]]), encoding="utf-8")
    assert rawio.recover({tmp_path: None}) == [f"completed {tmp_path / 'four.txt'}"]
    assert (tmp_path / "four.txt").read_text() == "four"
    with pytest.raises(ValueError, match="a journal is named"):
        rawio.write_atomic({tmp_path / "x": b"x"}, journal_name="../elsewhere.json")
