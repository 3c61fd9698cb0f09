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
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on screen
ALL_EXECUTED = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim());
  return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
}"""

playwright = pytest.importorskip("playwright.sync_api")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
              pytest.mark.slow]


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
    for var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "MPLCONFIGDIR",
                "JUPYTERLAB_WORKSPACES_DIR", "JUPYTERLAB_SETTINGS_DIR"):
        env[var] = str(work / var.lower())
    # every cell in the page (no windowing), so the checks see all prompts and outputs
    tracker = work / "jupyterlab_settings_dir" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
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
            # a workspace of its own, reset: no notebook of an earlier test is restored into
            # a hidden tab
            page.goto(f"{lab}/lab/workspaces/test-{name}/tree/{name}.ipynb?reset&token={TOKEN}")
            page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=120_000)
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=120_000)
            page.click(".lm-MenuBar-itemLabel:text-is('Run')")
            page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
            # what Run All means: every code cell has run (an execution count in its
            # prompt) and the kernel is idle again
            page.wait_for_function(ALL_EXECUTED, timeout=240_000)
            page.wait_for_selector("text=Python 3 (ipykernel) | Idle", timeout=60_000)
            page.wait_for_function(
                f"document.querySelectorAll('{PANEL} .jp-OutputArea-output img').length "
                f">= {n_charts}", timeout=60_000)
            assert page.query_selector(f"{PANEL} .jp-OutputArea-output table") is not None
            errors = page.query_selector_all(
                f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
            tracebacks = [e.inner_text() for e in errors if "Error" in e.inner_text()]
            assert tracebacks == []
            alts = [img.get_attribute("alt") or "" for img in
                    page.query_selector_all(f"{PANEL} .jp-OutputArea-output img")]
            assert len(alts) >= n_charts
        finally:
            browser.close()
