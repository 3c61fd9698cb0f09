"""`python -m usmx report`: build, export the charts, execute the notebooks and render them
as HTML into reports/ for readers without JupyterLab."""

from __future__ import annotations

import json
import os
from pathlib import Path

from usmx.paths import Paths
from usmx.rawio import write_atomic

KERNEL = "python3"


def notebooks(paths: Paths) -> list[Path]:
    return sorted(paths.notebooks.glob("[0-9][0-9]-*.ipynb"))


def execute(path: Path, timeout: int = 300):
    """Run a notebook top to bottom in a fresh kernel (cwd = its folder); return it."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name=KERNEL,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def html(nb) -> bytes:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_notebook_node(nb)
    return body.encode("utf-8")


def run_notebooks(paths: Paths) -> list[Path]:
    """Execute every notebook and write reports/<name>.html (atomically, all or none)."""
    files = {}
    os.environ["USMX_ROOT"] = str(paths.root)  # the kernels read this project's tables
    for path in notebooks(paths):
        nb = execute(path)
        files[paths.reports / f"{path.stem}.html"] = html(nb)
    files[paths.reports / "index.json"] = (json.dumps(
        [p.stem for p in notebooks(paths)], indent=2) + "\n").encode("utf-8")
    return write_atomic(files)
