"""`python -m usmx report`: the notebooks executed and written as reader editions in
reports/ for readers without JupyterLab, with an index.

A reader edition is titled by its notebook's first heading, hides the code (it links the
notebook and names the command that reruns it), gives every chart image its real alt text,
and loads nothing from the network (the page works offline). ``reports/index.html`` lists
the reports, the charts in each language with their SVG, PDF, PNG and CSV files, and the
processed data tables.
"""

from __future__ import annotations

import contextlib
import html as html_text
import json
import os
import sys
from pathlib import Path

from usmx.paths import Paths
from usmx.rawio import write_atomic

KERNEL = "python3"
RERUN = "make report (or: python -m usmx report)"


def quick_imports() -> None:
    """Skip a second of import: jsonschema (which nbformat imports) compiles a grammar for
    the 'iri' string format when the optional rfc3987_syntax is installed, a format no
    notebook schema uses. Blocking that one optional import makes jsonschema leave the
    format unchecked; call before nbformat is first imported."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def notebooks(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]-*.ipynb"))


def _kernel_manager():
    """A kernel over IPC where the platform has it: no unencrypted TCP, and no warning
    about it in the output of `make report`."""
    import tempfile

    from jupyter_client.manager import AsyncKernelManager

    if os.name == "posix":  # the socket files live in a folder of their own (absolute path)
        folder = tempfile.mkdtemp(prefix="usmx-kernel-")
        return AsyncKernelManager(kernel_name=KERNEL, transport="ipc",
                                  ip=os.path.join(folder, "kernel"))
    return AsyncKernelManager(kernel_name=KERNEL)


def execute(path: Path, timeout: int = 300):
    """Run a notebook top to bottom in a fresh kernel (cwd = its folder); return it."""
    return execute_many([path], timeout)[0][0]


def execute_many(paths: list[Path], timeout: int = 300,
                 workers: int | None = None) -> list[tuple]:
    """Run notebooks in fresh kernels, as many at once as the machine has cores; return
    each executed notebook with the processed tables it read."""
    import asyncio
    import shutil
    import tempfile

    quick_imports()
    import nbformat
    from nbclient import NotebookClient

    from usmx.engine.stamps import TRACK_ENV

    limit = asyncio.Semaphore(workers or max(1, min(len(paths), os.cpu_count() or 1)))

    async def one(path: Path):
        async with limit:
            nb = nbformat.read(path, as_version=4)
            manager = _kernel_manager()
            handle, log = tempfile.mkstemp(suffix=".reads")
            os.close(handle)
            try:
                client = NotebookClient(nb, km=manager, timeout=timeout, kernel_name=KERNEL,
                                        resources={"metadata": {"path": str(path.parent)}})
                await client.async_execute(env={**os.environ, TRACK_ENV: log})
                reads = sorted(set(Path(log).read_text(encoding="utf-8").split()))
            finally:
                if manager.has_kernel:
                    await manager.shutdown_kernel(now=False)
                await manager.cleanup_resources()
                os.unlink(log)
                if os.name == "posix":  # the kernel's socket folder
                    shutil.rmtree(os.path.dirname(manager.ip), ignore_errors=True)
            return nb, reads

    async def every():
        return await asyncio.gather(*(one(path) for path in paths))

    return asyncio.run(every())


def title_of(nb) -> str:
    """The notebook's first Markdown heading, without its '#'."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return "usmx report"


def html(nb, source: Path | None = None) -> bytes:
    """The reader edition of an executed notebook (see usmx.publish.reader)."""
    from usmx.publish import reader

    title = title_of(nb)
    nb.metadata["title"] = title
    return reader.page(nb, title, source, RERUN)


def index_html(paths: Paths, titles: dict[str, str]) -> bytes:
    """reports/index.html: the reports, the charts in each language with their files, and
    the data tables."""
    from usmx.schema import PROCESSED_TABLES

    def esc(text: str) -> str:
        return html_text.escape(text, quote=True)

    rows = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>usmx: reports, charts and data</title>",
            "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
            "line-height:1.45}td,th{padding:.2em .6em;text-align:left;vertical-align:top}"
            "</style>", "</head>", "<body>",
            "<h1>usmx: reports, charts and data</h1>",
            f"<p>Regenerate with <code>{esc(RERUN)}</code>.</p>", "<h2>Reports</h2>", "<ul>"]
    for stem, title in titles.items():
        rows.append(f'<li><a href="{esc(stem)}.html">{esc(title)}</a> '
                    f'(<a href="../notebooks/{esc(stem)}.ipynb">notebook</a>)</li>')
    rows += ["</ul>", "<h2>Charts</h2>"]
    for folder, label in ((paths.figures, "English"), (paths.figures / "es", "Español")):
        manifest = folder / "manifest.json"
        if not manifest.exists():
            continue
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        prefix = os.path.relpath(folder, paths.reports).replace(os.sep, "/")
        rows += [f"<h3>{label}</h3>", "<table>", "<tr><th>chart</th><th>files</th></tr>"]
        for entry in entries:
            files = " · ".join(f'<a href="{esc(prefix)}/{esc(name)}">{esc(fmt.upper())}</a>'
                               for fmt, name in entry["files"].items())
            rows.append(f'<tr><td><span title="{esc(entry["alt_text"])}">'
                        f'{esc(entry["title"])}</span></td><td>{files}</td></tr>')
        rows.append("</table>")
    rows += ["<h2>Data tables</h2>",
             '<p>Columns and codes: <a href="../data/processed/README.md">data '
             "dictionary</a>.</p>", "<ul>"]
    for table in PROCESSED_TABLES:
        rows.append(f'<li><a href="../{esc(table.path)}">{esc(table.path)}</a>: '
                    f"{esc(table.description)}</li>")
    rows += ["</ul>", "</body>", "</html>", ""]
    return "\n".join(rows).encode("utf-8")


def _edition(path: Path, nb) -> tuple[str, bytes, list[str]]:
    """An executed notebook's title, reader edition and the tables it read (from the log
    named by TRACK_ENV, in the process that ran it)."""
    from usmx.engine.stamps import TRACK_ENV

    log = os.environ.get(TRACK_ENV)
    reads = sorted(set(Path(log).read_text(encoding="utf-8").split())) \
        if log and os.path.exists(log) else []
    return title_of(nb), html(nb, path), reads


def _kernels(todo: list[Path]) -> list[tuple]:
    """execute_many, a failed cell raised as the warm workers raise it (NotebookError)."""
    from nbclient.exceptions import CellExecutionError

    from usmx.publish.warm import NotebookError

    try:
        return execute_many(todo)
    except CellExecutionError as exc:
        raise NotebookError(str(exc).strip().splitlines()[-1]) from exc


class Pending:
    """Notebooks started by :func:`start_notebooks`, to be finished by
    :func:`finish_notebooks` (which waits for them and writes the reports)."""

    def __init__(self, paths: Paths, stamps, table_paths, todo: list[Path]):
        self.paths, self.stamps, self.table_paths, self.todo = paths, stamps, table_paths, todo
        self.titles: dict[str, str] = {}
        self.logs: list[str] = []
        self.batch = None

    def digest(self, path: Path, reads) -> str:
        from usmx.engine.stamps import code_version, digest_files

        return digest_files([path, *(self.table_paths[n] for n in reads
                                     if n in self.table_paths)], code_version())

    def results(self) -> list[tuple[str, bytes, list[str]]]:
        """Each notebook's title, reader edition and the tables it read."""
        try:
            if self.batch is not None:
                return self.batch.collect()
            return [(title_of(nb), html(nb, path), reads) for path, (nb, reads)
                    in zip(self.todo, _kernels(self.todo), strict=True)] \
                if self.todo else []
        finally:
            self.close()

    def close(self) -> None:
        if self.batch is not None:
            self.batch.cancel()  # nothing left to stop once collected
        for log in self.logs:
            with contextlib.suppress(OSError):
                os.unlink(log)
        self.logs = []


def prepare_workers() -> None:
    """Import what every notebook and chart worker needs and build the Markdown parser,
    once, in this process (the workers it forks inherit them). Safe to call again."""
    quick_imports()
    import IPython.core.interactiveshell  # noqa: F401
    import nbformat  # noqa: F401

    import usmx.analysis.views
    import usmx.charts  # noqa: F401
    from usmx.charts.render import import_renderers
    from usmx.publish import reader

    import_renderers()  # for the chart workers and notebooks forked from here
    reader.prepare()


def start_notebooks(paths: Paths, stamps=None, table_paths=None) -> Pending:
    """Start the notebooks whose notebook, tables read or code changed (all of them without
    ``stamps``): in warm workers forked from this process where the platform allows
    (usmx.publish.warm), else in fresh kernels when finished."""
    import tempfile

    from usmx.publish import warm

    os.environ["USMX_ROOT"] = str(paths.root)  # the notebooks read this project's tables
    pending = Pending(paths, stamps, table_paths or {}, [])
    for path in notebooks(paths):
        key, out = f"notebook:{path.stem}", paths.reports / f"{path.stem}.html"
        stamp = stamps.get(key) if stamps is not None else None
        if stamp and out.exists() and stamp["digest"] == pending.digest(path, stamp["reads"]):
            pending.titles[path.stem] = stamp.get("title") or path.stem
        else:
            pending.todo.append(path)
    if not pending.todo or not warm.can_fork():
        return pending
    prepare_workers()
    from usmx.engine.stamps import TRACK_ENV

    for _ in pending.todo:
        handle, log = tempfile.mkstemp(suffix=".reads")
        os.close(handle)
        pending.logs.append(log)
    pending.batch = warm.Batch(pending.todo, _edition,
                               envs=[{TRACK_ENV: log} for log in pending.logs])
    return pending


def finish_notebooks(pending: Pending, counts: dict | None = None) -> list[Path]:
    """Wait for the started notebooks and write reports/<name>.html and
    reports/index.html (atomically, all or none); update the stamps."""
    paths, stamps = pending.paths, pending.stamps
    files = {}
    titles = dict(pending.titles)
    ran = 0
    for path, (title, page, reads) in zip(pending.todo, pending.results(), strict=True):
        ran += 1
        titles[path.stem] = title
        files[paths.reports / f"{path.stem}.html"] = page
        if stamps is not None:
            key = f"notebook:{path.stem}"
            stamps.set(key, pending.digest(path, reads), reads)
            stamps.entries[key]["title"] = title
    titles = {path.stem: titles[path.stem] for path in notebooks(paths)}  # in order
    if counts is not None:
        counts.update(ran=ran, skipped=len(titles) - ran)
    files[paths.reports / "index.json"] = (json.dumps(
        [p.stem for p in notebooks(paths)], indent=2) + "\n").encode("utf-8")
    files[paths.reports / "index.html"] = index_html(paths, titles)
    changed = {p: d for p, d in files.items() if not p.exists() or p.read_bytes() != d}
    return write_atomic(changed) if changed else []


def run_notebooks(paths: Paths, stamps=None, table_paths=None,
                  counts: dict | None = None) -> list[Path]:
    """Execute every notebook (with ``stamps``: those whose notebook, tables read or code
    changed) and write the reports; see start_notebooks and finish_notebooks."""
    return finish_notebooks(start_notebooks(paths, stamps, table_paths), counts)
