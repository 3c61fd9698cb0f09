"""A real browser: JupyterLab on 127.0.0.1, each notebook opened in headless Chromium,
Run All, outputs appear with no error. Skipped where Chromium or Playwright is absent
(.ci/run installs both)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "usmx-test"

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server on a copy of the notebooks (so nothing is saved into the repo)."""
    work = tmp_path_factory.mktemp("lab")
    nbdir = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbdir)
    env = {**os.environ}
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        env[var] = str(work / var.lower())
    env["USMX_ROOT"] = str(ROOT)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={nbdir}",
         "--allow-root", "--FileContentsManager.delete_to_trash=False"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/api/status", params={"token": TOKEN},
                                timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.25)
        else:
            pytest.fail("JupyterLab did not start")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.mark.parametrize("name", ["01-funding", "02-child-deportations",
                                  "03-funding-vs-child-deportations", "04-claims-check"])
def test_notebook_runs_in_jupyterlab(lab, name):
    source = (ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8")
    n_charts = source.count("charts.") - source.count("import charts")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{lab}/lab/tree/{name}.ipynb?token={TOKEN}")
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=60_000)
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            page.wait_for_function(
                f"document.querySelectorAll('.jp-OutputArea-output img').length >= {n_charts}",
                timeout=90_000)
            page.wait_for_selector(".jp-OutputArea-output table", state="attached",
                                   timeout=30_000)
            errors = page.query_selector_all(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            tracebacks = [e.inner_text() for e in errors if "Error" in e.inner_text()]
            assert tracebacks == []
            alts = [img.get_attribute("alt") or "" for img in
                    page.query_selector_all(".jp-OutputArea-output img")]
            assert len(alts) >= n_charts
        finally:
            browser.close()
