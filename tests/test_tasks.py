"""The report's task graph (usmx.tasks): each output names what it reads, and a rerun
redoes a task only when one of those, or what it wrote, changed."""

from __future__ import annotations

import pytest

from usmx import schema, tasks
from usmx.charts.catalog import CHARTS


@pytest.fixture
def graph(repo):
    return {t["name"]: t for t in tasks.tasks(repo)}, repo


def test_every_output_is_one_task_naming_what_it_reads(graph):
    found, paths = graph
    assert {"build", "docs", "index", "manifest:en", "manifest:es", "methodology:en",
            "methodology:es"} <= set(found)
    assert {f"chart:{lang}:{c}" for lang in ("en", "es") for c in CHARTS} <= set(found)
    assert {f"notebook:{p.stem}" for p in paths.notebooks.glob("0*.ipynb")} <= set(found)
    targets = [t for task in found.values() for t in task["targets"]]
    assert len(targets) == len(set(targets)), "two tasks write one file"
    build = found["build"]
    assert "data/raw/deportations.csv" in build["file_dep"]
    assert "src/usmx/domains/funding.py" in build["file_dep"]
    assert not any("/charts/" in d for d in build["file_dep"]), "data-layer code only"
    assert "data/processed/claims.csv" in build["targets"]

def test_a_chart_depends_on_its_declared_tables_and_no_other(graph):
    found, paths = graph
    table = {t.name: paths.rel(paths.root / t.path) for t in schema.PROCESSED_TABLES}
    for chart in CHARTS.values():
        deps = set(found[f"chart:es:{chart.id}"]["file_dep"])
        assert {table[n] for n in chart.reads} <= deps, chart.id
        assert not (set(table.values()) - {table[n] for n in chart.reads}) & deps, chart.id
        assert any(d.endswith("charts/translations.csv") for d in deps)
        assert not any("/domains/" in d for d in deps), "chart code only"


def _fake_actions(monkeypatch, runs):
    """Every action writes its targets cheaply and says it ran (the graph is what is
    tested, not the drawing)."""
    from usmx.paths import project_paths

    def writer(kind):
        def action(root, *args):
            runs.append(":".join([kind, *args]))
            paths = project_paths(root)
            for task in tasks.tasks(paths):
                if task["actions"][0][1][1][1:] == list(args) and \
                        task["actions"][0][1][0] == f"_{kind}":
                    for target in task["targets"]:
                        out = paths.root / target
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_text(f"{kind} {args}\n", encoding="utf-8")
        return action

    for kind in ("chart", "manifest", "methodology", "notebook", "index"):
        monkeypatch.setattr(tasks, f"_{kind}", writer(kind))


def test_a_rerun_redoes_only_what_changed(scratch, monkeypatch):
    runs: list[str] = []
    _fake_actions(monkeypatch, runs)
    (scratch.root / "notebooks").mkdir()
    assert tasks.run(scratch, 1) == []
    assert "chart:mexico-vs-us:es" in runs and len(runs) == 2 * len(CHARTS) + 5

    runs.clear()  # nothing changed: nothing runs
    assert tasks.run(scratch, 1) == [] and runs == []

    runs.clear()  # a processed table edited by hand: the build makes it again, no more
    claims = scratch.root / "data" / "processed" / "claims.csv"
    kept = claims.read_bytes()
    claims.write_bytes(kept + b"\n")
    assert tasks.run(scratch, 1) == [] and runs == [] and claims.read_bytes() == kept

    runs.clear()  # one raw figure edited: the charts that declare a table it changed
    from usmx.engine import snapshots

    before = {t.name: (scratch.root / t.path).read_bytes() for t in schema.PROCESSED_TABLES}
    raw = scratch.deportations_raw.read_text(encoding="utf-8")
    assert raw.count(",6112,") == 1
    scratch.deportations_raw.write_text(raw.replace(",6112,", ",6113,"), encoding="utf-8")
    snapshots.record(scratch)
    assert tasks.run(scratch, 1) == []
    changed = {t.name for t in schema.PROCESSED_TABLES
               if (scratch.root / t.path).read_bytes() != before[t.name]}
    assert "child_deportations_by_year" in changed
    expected = {f"chart:{c.id}:{lang}" for c in CHARTS.values() if set(c.reads) & changed
                for lang in ("en", "es")}
    assert {r for r in runs if r.startswith("chart:")} == expected
    assert "chart:merida-by-account:en" not in expected  # it draws no child table

    runs.clear()  # a chart file written over by someone else: that chart is redone
    (scratch.figures / "es" / "uac-apprehensions.svg").write_text("other", encoding="utf-8")
    assert tasks.run(scratch, 1) == []
    assert runs == ["chart:uac-apprehensions:es"]


def test_a_failed_task_is_reported_with_its_message(scratch, monkeypatch, capsys):
    from usmx.rawio import DataError, Problem

    def broken(root):
        raise DataError([Problem("data/raw/funding.csv", 2, "amount_usd", "abc", "bad")])

    monkeypatch.setattr(tasks, "_build", broken)
    (scratch.root / "notebooks").mkdir()
    failures = tasks.run(scratch, 1)
    assert [name for name, _ in failures] == ["report:build"]
    assert failures[0][1].startswith(tasks.BAD_INPUT) and "funding.csv:2" in failures[0][1]
    err = capsys.readouterr().err
    assert [line for line in err.splitlines() if line.startswith("failed:")] == [
        "failed: report:build"]
    assert "not run, as a task they need failed: report:docs" in err


@pytest.mark.parametrize("record", ["garbage{", "[]", '{"report:build": 5}',
                                    '{"report:build": {"_values_:": 3}}'])
def test_an_unreadable_task_record_is_set_aside_and_everything_made_again(
        scratch, monkeypatch, capsys, record):
    runs: list[str] = []
    _fake_actions(monkeypatch, runs)
    (scratch.root / "notebooks").mkdir()
    scratch.reports.mkdir()
    (scratch.reports / tasks.DATABASE).write_text(record, encoding="utf-8")
    assert tasks.run(scratch, 1) == []
    assert len(runs) == 2 * len(CHARTS) + 5
    assert "could not be read" in capsys.readouterr().err
    assert (scratch.reports / (tasks.DATABASE + ".unreadable")).read_text(
        encoding="utf-8") == record
    runs.clear()
    assert tasks.run(scratch, 1) == [] and runs == []  # the new record works


def test_a_write_that_fails_is_a_message_naming_the_file(scratch, monkeypatch, capsys):
    from usmx import cli

    def full(root, *args):
        raise OSError(28, "No space left on device", "reports/figures/mexico-vs-us.svg")

    monkeypatch.setattr(tasks, "_chart", full)
    (scratch.root / "notebooks").mkdir()
    assert cli.main(["report", "--root", str(scratch.root)]) == 4
    err = capsys.readouterr().err
    assert "could not write reports/figures/mexico-vs-us.svg: No space left on device" in err
    assert "Traceback" not in err
