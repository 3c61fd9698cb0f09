"""`python -m usmx report` as one task graph, run by doit: each output is a task that names
the files it reads, and is skipped when they, and the files it wrote, are as they were.

    build                  data/raw/ and the data-layer code -> data/processed/
    docs                   the processed claims -> README.md's generated section
    chart:<lang>:<id>      the tables the chart declares (usmx.charts.catalog) and the chart
                           code -> its SVG, PDF, PNG and CSV in reports/figures/[<lang>/]
    manifest:<lang>        the tables every chart reads -> that edition's manifest.json
    methodology:<lang>     that manifest -> a page per chart with its notes and every
                           source (reports/methodology/[<lang>/])
    notebook:<name>        the notebook, the processed tables and the code -> its reader
                           edition in reports/, executed by nbclient in a real kernel
    index                  the notebooks and the manifests -> reports/index.html

Independent tasks run in parallel, one process per core (forked: in a process that runs
other threads, such as a Jupyter kernel, they run one after another instead). The task database is
``reports/.doit.json``; deleting it (or any output) makes the report redo what it must.
A file written over since the task wrote it (say by ``python -m usmx charts --years ...``)
makes the task run again: every task records the digest of what it wrote, and that is
part of being up to date. This is the one place that decides what a rerun redoes. Tasks
that write into one folder at the same time commit with journals of their own
(usmx.rawio.write_atomic).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from usmx.paths import Paths, edition_folder, project_paths

PACKAGE = Path(__file__).resolve().parent
DATABASE = ".doit.json"  # in reports/

# The code each kind of output is made by (folders and modules of the package).
BUILD_CODE = ("paths.py", "rawio.py", "schema", "engine", "domains", "build.py")
CHART_CODE = ("paths.py", "rawio.py", "schema", "analysis", "charts")
DOCS_CODE = ("paths.py", "rawio.py", "schema", "publish/docs.py")
NOTEBOOK_CODE = (*CHART_CODE, "publish")
PAGE_CODE = ("paths.py", "schema", "charts/i18n.py", "charts/translations.csv",
             "charts/sources.py", "publish/methodology.py")


def code(parts) -> list[Path]:
    """The package files (code, style sheet, translation table) under ``parts``."""
    found: set[Path] = set()
    for part in parts:
        path = PACKAGE / part
        if path.is_file():
            found.add(path)
        else:
            found |= {p for p in path.rglob("*") if p.suffix in (".py", ".csv", ".mplstyle")
                      and "__pycache__" not in p.parts}
    return sorted(found)


def written(targets) -> str:
    """A digest of the targets as they are on disk (a missing one counts as missing)."""
    digest = hashlib.sha256()
    for target in targets:
        path = Path(target)
        digest.update(str(target).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()


def as_written(task, values) -> bool:
    """doit's up-to-date check: the targets hold what the task last wrote."""
    return values.get("written") == written(task.targets)


# ---------------------------------------------------------------------------------------
# the actions: plain functions of the project root (strings pickle for worker processes)
# ---------------------------------------------------------------------------------------


def _commit(files: dict, what: str) -> None:
    """Write a task's files in one atomic commit, with a journal of the task's own: tasks
    running at once commit into one folder (usmx.rawio.write_atomic)."""
    from usmx.rawio import JOURNAL_STEM, write_atomic

    write_atomic(files, journal_name=f"{JOURNAL_STEM}-{what}.json")


def _build(root: str) -> None:
    from usmx import build

    build.build(project_paths(root))


def _docs(root: str) -> None:
    from usmx.analysis import processed
    from usmx.publish import docs

    paths = project_paths(root)
    docs.write_docs(paths, processed.load(paths)["claims"])


def _chart(root: str, chart: str, lang: str) -> None:
    from usmx.analysis import processed
    from usmx.charts.catalog import CHARTS
    from usmx.charts.exporting import ALL_FORMATS, edition

    paths = project_paths(root)
    files, _ = edition(CHARTS[chart], processed.load(paths), lang, {}, ALL_FORMATS,
                       edition_folder(paths.figures, lang))
    _commit(files, f"chart-{lang}-{chart}")


def _manifest(root: str, lang: str) -> None:
    from usmx.analysis import processed
    from usmx.charts.catalog import CHARTS
    from usmx.charts.exporting import ALL_FORMATS, entry, manifest_bytes

    paths = project_paths(root)
    record = processed.load(paths)
    entries = [entry(chart, record, lang, {}, ALL_FORMATS) for chart in CHARTS.values()]
    _commit({edition_folder(paths.figures, lang) / "manifest.json": manifest_bytes(entries)},
            f"manifest-{lang}")


def _methodology(root: str, lang: str) -> None:
    from usmx.publish import methodology

    _commit(methodology.pages(project_paths(root), lang), f"methodology-{lang}")


def _notebook(root: str, name: str) -> None:
    from usmx.publish import report

    paths = project_paths(root)
    source = paths.notebooks / f"{name}.ipynb"
    page = report.html(report.execute(source, env={"USMX_ROOT": str(paths.root)}), source)
    _commit({paths.reports / f"{name}.html": page}, f"notebook-{name}")


def _index(root: str) -> None:
    from usmx.publish import report

    paths = project_paths(root)
    _commit(report.index_files(paths), "index")


BAD_INPUT = "bad input; nothing was written."
NOTEBOOK_FAILED = "a notebook failed, so its reader edition was not written:"
WRITE_FAILED = "could not write"


def _step(action: str, args: list, targets: list[str]):
    """Run one action; return what doit keeps of it (the digest of what it wrote), or a
    failure that says what went wrong and that nothing of that task was written."""
    from doit.exceptions import TaskFailed

    from usmx.analysis.params import ParameterError
    from usmx.publish.report import NotebookError
    from usmx.rawio import DataError

    try:
        globals()[action](*args)
    except DataError as exc:
        return TaskFailed(f"{BAD_INPUT}\n{exc.report()}")
    except ParameterError as exc:
        return TaskFailed(f"{exc}; nothing was written.")
    except NotebookError as exc:
        return TaskFailed(f"{NOTEBOOK_FAILED} {exc}")
    except OSError as exc:  # a full disk, a read-only folder: the outputs stay as they were
        return TaskFailed(f"{WRITE_FAILED} {exc.filename or 'a file'}: "
                          f"{exc.strerror or exc}; the files already there are unchanged.")
    return {"written": written(targets)}


# ---------------------------------------------------------------------------------------
# the graph
# ---------------------------------------------------------------------------------------


def tasks(paths: Paths) -> list[dict]:
    """Every task of the report, as doit task dicts (paths relative to the project root,
    where doit runs)."""
    from usmx import schema
    from usmx.charts.catalog import CHARTS
    from usmx.charts.exporting import ALL_FORMATS
    from usmx.charts.i18n import LANGUAGES
    from usmx.engine import snapshots
    from usmx.publish import methodology
    from usmx.publish.report import index_targets, notebooks

    def rel(items) -> list[str]:
        return sorted({paths.rel(Path(p)) for p in items})

    root = str(paths.root)
    table = {t.name: paths.root / t.path for t in schema.PROCESSED_TABLES}
    processed = [*table.values(), paths.processed / "README.md",
                 paths.processed / "datapackage.json"]

    def task(name, action, args, file_dep, targets=()):
        targets = rel(targets)
        return {"name": name, "actions": [(_step, [action, [root, *args], targets])],
                "file_dep": rel(file_dep), "targets": targets,
                "uptodate": [as_written], "clean": True, "verbosity": 0}

    out = [task("build", "_build", [],
                [*snapshots.raw_files(paths), *code(BUILD_CODE)], processed),
           task("docs", "_docs", [], [table["claims"], *code(DOCS_CODE),
                                      *([paths.readme] if paths.readme.exists() else [])])]
    chart_code, page_code = code(CHART_CODE), code(PAGE_CODE)
    for lang in LANGUAGES:
        folder = edition_folder(paths.figures, lang)
        for chart in CHARTS.values():
            out.append(task(f"chart:{lang}:{chart.id}", "_chart", [chart.id, lang],
                            [*(table[name] for name in chart.reads), *chart_code],
                            [folder / f"{chart.id}.{fmt}" for fmt in ALL_FORMATS]))
        out.append(task(f"manifest:{lang}", "_manifest", [lang],
                        [*(table[name] for c in CHARTS.values() for name in c.reads),
                         *chart_code], [folder / "manifest.json"]))
        out.append(task(f"methodology:{lang}", "_methodology", [lang],
                        [folder / "manifest.json", *page_code],
                        methodology.targets(paths, CHARTS, lang)))
    notebook_code = code(NOTEBOOK_CODE)
    for source in notebooks(paths):
        out.append(task(f"notebook:{source.stem}", "_notebook", [source.stem],
                        [source, *processed, *notebook_code],
                        [paths.reports / f"{source.stem}.html"]))
    out.append(task("index", "_index", [],
                    [*notebooks(paths), *(edition_folder(paths.figures, lang) /
                                          "manifest.json" for lang in LANGUAGES),
                     *code((*PAGE_CODE, "publish/report.py"))],
                    index_targets(paths)))
    return out


def run(paths: Paths, workers: int | None = None) -> list[tuple[str, str]]:
    """Run the report's tasks that are not up to date, one line per task on stdout ('.'
    ran, '--' skipped); return the failures, (task, message) each, also written to
    stderr."""
    import sys

    from doit.cmd_base import ModuleTaskLoader
    from doit.doit_cmd import DoitMain
    from doit.exceptions import UnmetDependency
    from doit.reporter import ConsoleReporter

    from usmx.charts.exporting import worker_processes

    paths.reports.mkdir(parents=True, exist_ok=True)
    _set_aside_if_unreadable(paths.reports / DATABASE)
    listed = tasks(paths)
    workers = min(workers or len(listed), worker_processes(len(listed)))
    failures: list[tuple[str, str]] = []
    skipped: list[str] = []  # tasks not run because one they need failed

    def task_report():
        yield from listed

    task_report.__doc__ = "the report: data, docs, charts, notebooks, index"

    class Reporter(ConsoleReporter):
        """doit's console lines; a failure once, as a message on stderr."""

        def add_failure(self, task, fail):
            if isinstance(fail, UnmetDependency):  # not run: a task it needs failed
                if ":" in task.name:  # (not the group of them all)
                    skipped.append(task.name)
                return
            failures.append((task.name, fail.get_msg().strip()))
            sys.stderr.write(f"failed: {task.name}\n{fail.get_msg().strip()}\n")

        def complete_run(self):
            if self.runtime_errors:
                super().complete_run()

    loader = ModuleTaskLoader({"task_report": task_report, "DOIT_CONFIG": {
        "dep_file": paths.rel(paths.reports / DATABASE), "backend": "json",
        "reporter": Reporter, "outfile": sys.stdout, "verbosity": 0}})
    args = ["run", "--continue"]
    if workers > 1:
        args += ["--process", str(workers), "--parallel-type", "process"]
    with _working_directory(paths.root):
        code = DoitMain(loader, config_filenames=()).run(args)
    if skipped:
        sys.stderr.write(f"not run, as a task they need failed: {', '.join(skipped)}\n")
    if code and not failures:
        failures.append(("report", f"doit stopped with code {code}"))
    return failures


def _set_aside_if_unreadable(database: Path) -> None:
    """The task record only saves work: one that is not doit's layout of JSON objects (a
    crash while it was written, a hand edit) is renamed beside itself, said on stderr, and
    every task runs again."""
    import json
    import sys

    if not database.exists():
        return
    try:  # doit's layout: task -> {dependency: ..., "_values_:": {what the task kept}}
        record = json.loads(database.read_text(encoding="utf-8"))
        ok = isinstance(record, dict) and all(
            isinstance(entry, dict) and isinstance(entry.get("_values_:", {}), dict)
            for entry in record.values())
    except (OSError, ValueError):
        ok = False
    if not ok:
        aside = database.with_name(database.name + ".unreadable")
        os.replace(database, aside)
        sys.stderr.write(f"the task record {database.name} could not be read; it is kept as "
                         f"{aside.name} and every output is made again\n")


@contextlib.contextmanager
def _working_directory(folder: Path):
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)
