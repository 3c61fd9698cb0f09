"""Reader editions of the reports: titled, code hidden, real alt text, nothing fetched from
the network, an index of reports, charts and tables; checked in headless Chromium."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import nbformat
import pytest

from usmx.engine import snapshots
from usmx.paths import project_paths
from usmx.publish import report

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8ff3f0005fe02fea7d605d00000000049454e44ae426082"
)).decode()


def _executed_notebook():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 09 · A test report\n\nSome prose."),
        nbformat.v4.new_code_cell("secret_code_line = 1", execution_count=1, outputs=[
            nbformat.v4.new_output("display_data", data={
                "image/png": PNG, "text/plain": "A line chart of children apprehended."}),
        ]),
    ]
    return nb


@pytest.fixture
def site(tmp_path):
    paths = project_paths(ROOT)
    reports = tmp_path / "reports"
    (reports / "figures" / "es").mkdir(parents=True)
    for folder in ("", "es"):
        (reports / "figures" / folder / "manifest.json").write_text(
            '[{"id": "uac-apprehensions", "title": "A chart", "alt_text": "Alt", '
            '"files": {"svg": "uac-apprehensions.svg", "csv": "uac-apprehensions.csv"}}]',
            encoding="utf-8")
    page = reports / "09-test.html"
    page.write_bytes(report.html(_executed_notebook(), Path("notebooks/09-test.ipynb")))
    fake = type("P", (), {"figures": reports / "figures", "reports": reports})()
    (reports / "index.html").write_bytes(report.index_html(fake, {"09-test": "A test"}))
    return reports, paths


def test_reader_edition_is_titled_hides_code_and_keeps_alt_text(site):
    reports, _ = site
    text = (reports / "09-test.html").read_text(encoding="utf-8")
    assert "<title>09 · A test report</title>" in text
    assert "secret_code_line" not in text
    assert 'alt="A line chart of children apprehended."' in text
    assert "No description has been provided" not in text
    assert 'href="../notebooks/09-test.ipynb"' in text and "make report" in text
    assert "cdnjs" not in text and "<script" not in text  # no script at all
    assert "<h1>09 · A test report</h1>" in text and "<p>Some prose.</p>" in text
    assert len(text) - len(PNG) < 6000  # a light page: a few lines of style


def test_index_lists_reports_charts_in_both_languages_and_tables(site):
    reports, _ = site
    text = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="09-test.html">A test</a>' in text
    assert 'href="figures/uac-apprehensions.svg"' in text
    assert 'href="figures/es/uac-apprehensions.csv"' in text
    assert 'href="../data/processed/claims.csv"' in text


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_reports_open_offline_in_a_real_browser(site):
    playwright = pytest.importorskip("playwright.sync_api")
    reports, _ = site
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            for name in ("index.html", "09-test.html"):
                page = browser.new_page()
                errors, outside = [], []
                page.on("console", lambda m, e=errors: e.append(m.text)
                        if m.type == "error" else None)
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.on("request", lambda r, o=outside: o.append(r.url)
                        if not r.url.startswith(("file:", "data:", "about:")) else None)
                page.goto((reports / name).as_uri(), wait_until="load")
                page.wait_for_timeout(300)
                assert errors == [], (name, errors)
                assert outside == [], (name, outside)
                assert page.title()
                if name == "09-test.html":
                    img = page.query_selector("img")
                    assert img.get_attribute("alt").startswith("A line chart")
                page.close()
        finally:
            browser.close()


@pytest.mark.slow
def test_report_end_to_end_is_quiet_and_writes_reader_editions(scratch):
    """`python -m usmx report` on a scratch copy: no kernel or library warnings in its
    output, every notebook's reader edition and the index written."""
    import subprocess
    import sys

    shutil.copytree(ROOT / "notebooks", scratch.root / "notebooks")
    shutil.copy(ROOT / "README.md", scratch.root / "README.md")
    done = subprocess.run([sys.executable, "-m", "usmx", "report", "--root",
                           str(scratch.root)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "WARNING" not in done.stderr and "Warning" not in done.stderr, done.stderr[-2000:]
    titles = {p.name: p.read_text(encoding="utf-8").split("<title>")[1].split("</title>")[0]
              for p in (scratch.root / "reports").glob("0*.html")}
    assert len(titles) == 4 and not any(t == "Notebook" for t in titles.values())
    index = (scratch.root / "reports" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}"' in index for name in titles)
    pages = {p.name: p.read_bytes() for p in (scratch.root / "reports").glob("*.html")}

    # unchanged: no task runs, and it says so
    again = subprocess.run([sys.executable, "-m", "usmx", "report", "--root",
                            str(scratch.root)], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert _ran(again.stdout) == set() and "-- report:build" in again.stdout

    # one child figure edited: the tables, and the charts that declare the tables it
    # changed; the notebooks (they read every table)
    raw = scratch.deportations_raw.read_text(encoding="utf-8")
    assert raw.count(",6112,") == 1
    scratch.deportations_raw.write_text(raw.replace(",6112,", ",6113,"), encoding="utf-8")
    snapshots.record(scratch)
    edited = subprocess.run([sys.executable, "-m", "usmx", "report", "--root",
                             str(scratch.root)], capture_output=True, text=True, timeout=600)
    assert edited.returncode == 0, edited.stderr[-2000:]
    ran = _ran(edited.stdout)
    assert {"build", "chart:en:child-deportations", "chart:es:child-deportations",
            "notebook:02-child-deportations"} <= ran
    assert "chart:en:merida-by-account" not in ran and "docs" not in ran

    # the edit undone: the reports are the first run's bytes again (nothing random in them)
    scratch.deportations_raw.write_text(raw, encoding="utf-8")
    snapshots.record(scratch)
    undone = subprocess.run([sys.executable, "-m", "usmx", "report", "--root",
                             str(scratch.root)], capture_output=True, text=True, timeout=600)
    assert undone.returncode == 0, undone.stderr[-2000:]
    assert {p.name: p.read_bytes() for p in (scratch.root / "reports").glob("*.html")} == pages


def _ran(out: str) -> set[str]:
    """The tasks a report ran, from doit's lines ('.  report:<task>'; '--' is skipped)."""
    return {line.split("report:", 1)[1] for line in out.splitlines()
            if line.startswith(".  report:")}


@pytest.mark.slow
def test_a_failing_notebook_stops_its_report_and_names_the_cell(scratch, capsys):
    """A notebook cell that raises: `report` exits 5 naming the notebook and the cell, the
    other outputs are written, and no reader edition of that notebook is."""
    import nbformat

    from usmx import cli

    (scratch.root / "notebooks").mkdir()
    good = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Fine"),
                                           nbformat.v4.new_code_cell("1 + 1")])
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Broken"),
                                          nbformat.v4.new_code_cell("x = 1"),
                                          nbformat.v4.new_code_cell("{}['missing']")])
    nbformat.write(good, scratch.root / "notebooks" / "01-fine.ipynb")
    nbformat.write(bad, scratch.root / "notebooks" / "02-broken.ipynb")
    shutil.copy(ROOT / "README.md", scratch.root / "README.md")
    code = cli.main(["report", "--root", str(scratch.root)])
    said = capsys.readouterr()
    assert code == 5
    assert "02-broken.ipynb, cell 3: KeyError" in said.err and "Traceback" not in said.err
    assert "error: the report stopped" in said.err
    assert (scratch.root / "reports" / "figures" / "manifest.json").exists()
    assert (scratch.root / "reports" / "01-fine.html").exists()
    assert not (scratch.root / "reports" / "02-broken.html").exists()


def test_reader_edition_shows_each_kind_of_output():
    """Printed text as text (escaped), tables as HTML, a chart as an image at its screen
    size with its alt text, Markdown as HTML; errors and code never."""
    from usmx.publish import reader

    out = nbformat.v4.new_output
    assert reader.output_html(out("stream", name="stdout", text="a < b\n")) == \
        '<pre class="usmx-stream">a &lt; b\n</pre>'
    assert reader.output_html(out("execute_result", execution_count=1, data={
        "text/html": "<table><tr><td>1</td></tr></table>", "text/plain": "x"})) == \
        "<table><tr><td>1</td></tr></table>"
    chart = reader.output_html(out("display_data", data={
        "image/png": PNG, "text/plain": "'A chart of 3 lines'"},
        metadata={"image/png": {"width": 825}}))
    assert chart.startswith('<img src="data:image/png;base64,') and \
        chart.endswith('alt="A chart of 3 lines" width="825">')
    assert reader.output_html(out("display_data", data={"text/markdown": "**b**"})) == \
        "<p><strong>b</strong></p>\n"
    assert reader.output_html(out("error", ename="E", evalue="v", traceback=[])) == ""


@pytest.mark.slow
def test_report_redraws_a_chart_written_over_by_another_export(scratch, capsys):
    """`python -m usmx charts --years ...` writes over a chart's files: the next report
    sees that they are not what it drew and draws them again."""
    from usmx import cli

    shutil.copytree(ROOT / "notebooks", scratch.root / "notebooks")
    shutil.copy(ROOT / "README.md", scratch.root / "README.md")
    assert cli.main(["report", "--root", str(scratch.root)]) == 0
    figures = scratch.root / "reports" / "figures"
    default = (figures / "uac-apprehensions.svg").read_bytes()
    assert cli.main(["charts", "--root", str(scratch.root), "--only", "uac-apprehensions",
                     "--years", "2012-2016", "--lang", "en"]) == 0
    assert (figures / "uac-apprehensions.svg").read_bytes() != default
    capsys.readouterr()
    assert cli.main(["report", "--root", str(scratch.root)]) == 0
    out = capsys.readouterr().out
    assert {task for task in _ran(out) if task.startswith("chart:")} == {
        "chart:en:uac-apprehensions"}, out
    assert (figures / "uac-apprehensions.svg").read_bytes() == default


def test_methodology_pages_escape_data_and_link_only_the_web_and_the_charts_files():
    """A chart's notes and sources page: every text from data escaped, a source's address
    linked only when it is http(s), no script allowed, labels in the page's language."""
    from usmx.publish import methodology

    bad = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    entry = {"id": "uac-apprehensions", "title": bad, "subtitle": bad, "description": bad,
             "alt_text": bad, "notes": [bad], "source_line": bad,
             "files": {"svg": "uac-apprehensions.svg"},
             "source_details": [
                 {"attribution": bad, "originators": ["CBP"], "carrier_kind": "news",
                  "url": "javascript:alert(3)"},
                 {"attribution": "CBP (2016)", "originators": ["CBP"],
                  "carrier_kind": "originator", "url": "https://www.cbp.gov/x"}]}
    for lang, label in (("en", "Whose count"), ("es", "De quién es la cifra")):
        page = methodology.page(entry, lang, "../figures", "../index.html").decode()
        assert "<script" not in page and "<img" not in page and "javascript:" not in page
        assert "&lt;script&gt;" in page and 'href="https://www.cbp.gov/x"' in page
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
        assert label in page and 'href="../figures/uac-apprehensions.svg"' in page


def test_the_index_links_each_charts_notes_and_sources(site):
    reports, _ = site
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert 'href="methodology/uac-apprehensions.html">notes and sources</a>' in index
    assert 'href="methodology/es/uac-apprehensions.html">notas y fuentes</a>' in index
