"""`python -m usmx report`: the notebooks executed and written as reader editions in
reports/ for readers without JupyterLab, with an index.

A reader edition is titled by its notebook's first heading, hides the code (it links the
notebook and names the command that reruns it), gives every chart image its real alt text,
and loads nothing from the network (the page works offline). ``reports/index.html`` lists
the reports, the charts in each language with their SVG, PDF, PNG and CSV files, and the
processed data tables.
"""

from __future__ import annotations

import html as html_text
import json
import os
from pathlib import Path

from usmx.paths import Paths

KERNEL = "python3"
RERUN = "make report (or: python -m usmx report)"


def notebooks(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]-*.ipynb"))


def _kernel_manager():
    """A kernel over IPC where the platform has it: no unencrypted TCP, and no warning
    about it in the output of `make report`."""
    import tempfile

    from jupyter_client.manager import KernelManager

    if os.name == "posix":  # the socket files live in a folder of their own (absolute path)
        folder = tempfile.mkdtemp(prefix="usmx-kernel-")
        return KernelManager(kernel_name=KERNEL, transport="ipc",
                             ip=os.path.join(folder, "kernel"))
    return KernelManager(kernel_name=KERNEL)


class NotebookError(RuntimeError):
    """A notebook cell failed: names the notebook, the cell (its place among all the
    notebook's cells, as JupyterLab lists them) and the error."""


def execute(path: Path, timeout: int = 300, env: dict | None = None):
    """Run a notebook top to bottom in a fresh kernel (cwd = its folder; ``env``: extra
    environment variables for the kernel); return it with its outputs. A failed cell
    raises :class:`NotebookError`."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    manager = _kernel_manager()
    client = NotebookClient(nb, km=manager, timeout=timeout, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute(env={**os.environ, **(env or {})})
    except CellExecutionError as exc:
        number = next((n for n, cell in enumerate(nb.cells, start=1)
                       if any(o.get("output_type") == "error" for o in cell.get("outputs", ()))),
                      None)
        raise NotebookError(f"{path.name}, cell {number}: {exc.ename}: {exc.evalue}") from None
    finally:
        if manager.has_kernel:
            manager.shutdown_kernel(now=False)
        manager.cleanup_resources()
        if os.name == "posix":  # the kernel's socket folder
            import shutil

            shutil.rmtree(os.path.dirname(manager.ip), ignore_errors=True)
    return nb


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
    from usmx.charts.i18n import tr
    from usmx.publish import methodology
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
    for lang, folder, label in (("en", paths.figures, "English"),
                                ("es", paths.figures / "es", "Español")):
        manifest = folder / "manifest.json"
        if not manifest.exists():
            continue
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        prefix = os.path.relpath(folder, paths.reports).replace(os.sep, "/")
        notes = os.path.relpath(methodology.folder(paths, lang), paths.reports).replace(
            os.sep, "/")
        rows += [f"<h3>{label}</h3>", "<table>", "<tr><th>chart</th><th>files</th></tr>"]
        for entry in entries:
            files = " · ".join([*(f'<a href="{esc(prefix)}/{esc(name)}">{esc(fmt.upper())}</a>'
                                  for fmt, name in entry["files"].items()),
                                f'<a href="{esc(notes)}/{esc(entry["id"])}.html">'
                                f'{esc(tr("notes and sources", lang))}'
                                f"</a>"])
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


def index_targets(paths: Paths) -> list[Path]:
    return [paths.reports / "index.json", paths.reports / "index.html"]


def index_files(paths: Paths) -> dict[Path, bytes]:
    """reports/index.html and index.json: the reports by their notebooks' titles (read
    from the notebooks), the charts of each manifest, the data tables."""
    import nbformat

    sources = notebooks(paths)
    titles = {path.stem: title_of(nbformat.read(path, as_version=4)) for path in sources}
    return {paths.reports / "index.json": (json.dumps(
                [p.stem for p in sources], indent=2) + "\n").encode("utf-8"),
            paths.reports / "index.html": index_html(paths, titles)}
