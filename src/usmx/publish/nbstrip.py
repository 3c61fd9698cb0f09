"""Notebooks are committed without outputs: ``python -m usmx strip-notebooks`` clears them in
place, and the git clean filter that ``make venv`` installs (``usmx-nbstrip``, named in
.gitattributes) clears them on their way into a commit, so running a notebook in JupyterLab
and saving it never dirties the repository."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def strip(text: str) -> str:
    """A notebook's JSON with every code cell's outputs and execution count cleared (and
    JupyterLab's execution timing metadata dropped), in the committed layout."""
    nb = json.loads(text)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def strip_files(paths: list[Path]) -> list[Path]:
    """Strip each notebook in place; return those that changed."""
    from usmx.rawio import write_atomic

    files = {p: strip(p.read_text(encoding="utf-8")).encode("utf-8") for p in paths}
    return write_atomic(files)


def filter_stdin() -> int:
    """The git clean filter: a notebook on stdin, stripped on stdout."""
    data = sys.stdin.buffer.read().decode("utf-8")
    try:
        sys.stdout.write(strip(data))
    except ValueError:  # not JSON (a merge in progress): pass it through untouched
        sys.stdout.write(data)
    return 0
