"""Notebooks: thin, committed without outputs, parameterised, and they run top to bottom."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPECTED = ["01-funding", "02-child-deportations", "03-funding-vs-child-deportations",
            "04-claims-check"]


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_numbered_descriptive_names():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] == "code":
            fix = (f"{path.name} was saved with outputs; clear them with `make strip` (or "
                   f"`python -m usmx strip-notebooks`), then commit")
            assert cell["outputs"] == [], fix
            assert cell["execution_count"] is None, fix


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_thin_and_parameterised(path):
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert tagged[0] is cells[0]
    for cell in cells[1:]:
        source = "".join(cell["source"])
        lines = [ln for ln in source.splitlines() if ln.strip()]
        assert len(lines) <= 3, f"{path.name}: keep code cells to one call"
        assert not re.search(r"\b\d{3,}\b", source), "figures come from the tables, not code"
        assert "read_csv" not in source and "open(" not in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path):
    from usmx.publish.report import execute

    nb = execute(path, timeout=180)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    charts = sum("charts." in c.source for c in nb.cells if c.cell_type == "code")
    assert len(images) == charts  # every chart shown as an image, and nothing else
    tables = [o for o in outputs if "text/html" in o.get("data", {})]
    assert charts >= 1 or tables, "a notebook shows charts or tables"


def test_strip_clears_a_saved_notebook_and_keeps_the_committed_layout(tmp_path):
    """What JupyterLab saves after Run All is cleared back to the committed bytes, by the
    command and by the git clean filter (stdin to stdout)."""
    import json
    import subprocess
    import sys

    from usmx.publish.nbstrip import strip

    committed = (ROOT / "notebooks" / "01-funding.ipynb").read_text(encoding="utf-8")
    assert strip(committed) == committed
    nb = json.loads(committed)
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = i + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}]
        cell["metadata"]["execution"] = {"iopub.status.idle": "2026-11-30T00:00:00Z"}
    saved = json.dumps(nb, indent=2)
    assert strip(saved) == committed
    out = subprocess.run([sys.executable, "-m", "usmx", "strip-notebooks", "--stdin"],
                         input=saved.encode(), capture_output=True, check=True).stdout
    assert out.decode("utf-8") == committed
    assert "filter=usmx-nbstrip" in (ROOT / ".gitattributes").read_text()
    assert "filter.usmx-nbstrip.clean" in (ROOT / "Makefile").read_text()

