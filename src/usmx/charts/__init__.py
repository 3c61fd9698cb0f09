"""Stage 5, publication charts, built from the processed record. May import the stages
before it (``paths``, ``rawio``, ``schema``, ``engine``, ``analysis``); not ``domains``.

    theme.py          colours by role (the only place a colour is written), the style
                      sheet (in a context), page width, credit
    i18n.py           language editions from translations.csv (a translator edits only that)
    sources.py        the source line and source details, from the registry
    spec.py           a chart as plain data: panels, lines, bars, texts, rules, legends,
                      scales, its metadata (title, notes, alt text, the rows drawn), and
                      the spec translated into another language before it is drawn
    render.py         SVG, PDF and PNG bytes of a figure (public APIs of matplotlib,
                      PDFium and Pillow)
    page.py           the Figure with its metadata; page furniture, margins, legends, axes
    draw.py           the drawers: any spec to a Figure (they know no chart, hold no word)
    parts.py          spec helpers shared by the charts
    funding_charts.py, child_charts.py, monthly_chart.py   the charts:
                      ``*_spec`` computes a chart's spec from the record
    catalog.py        every chart, listed once: id, spec function, tables read
    exporting.py      files and manifest for reports/figures/: ``export(...)`` with your
                      choices (only, years, countries, formats, outdir)

A module imports only those above it in this list. Each chart (``CHARTS[id]``, or by its
name below) takes the processed record (``usmx.analysis.processed.load()``) and returns a
Figure whose ``meta`` holds its metadata and the exact data drawn; every value, and every
name in a source line, comes from the record."""

from usmx.charts.catalog import CHARTS
from usmx.charts.exporting import export

merida_by_account = CHARTS["merida-by-account"]
child_deportations = CHARTS["child-deportations"]
funding_vs_child_deportations = CHARTS["funding-vs-child-deportations"]
uac_apprehensions = CHARTS["uac-apprehensions"]
mexico_child_returns = CHARTS["mexico-child-returns"]
mexico_vs_us = CHARTS["mexico-vs-us"]

__all__ = [
    "CHARTS",
    "child_deportations",
    "export",
    "funding_vs_child_deportations",
    "merida_by_account",
    "mexico_child_returns",
    "mexico_vs_us",
    "uac_apprehensions",
]
