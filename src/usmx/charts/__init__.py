"""Stage 5, publication charts, built from the processed record. May import the stages
before it (``paths``, ``rawio``, ``schema``, ``engine``, ``analysis``); not ``domains``.

    theme.py          colours by role (the only place a colour is written), the style
                      sheet (in a context), page width, credit
    i18n.py           language editions from translations.csv (a translator edits only that)
    spec.py           a chart as plain data: panels, lines, bars, texts, rules, legends,
                      scales, and its metadata (title, notes, alt text, the rows drawn)
    render.py         SVG, PDF (lean font subsets) and PNG bytes of a figure
    style.py          page furniture: title, subtitle, source line, notes, credit
    draw.py           the drawers: any spec to a Figure (they know no chart)
    parts.py          spec helpers shared by the charts
    funding_charts.py, child_charts.py, monthly_chart.py, claims_chart.py   the charts:
                      ``*_spec`` computes a chart's spec from the record; the function of
                      its name draws it
    catalog.py        every chart by id: ``SPECS`` and ``CHARTS``
    exporting.py      files and manifest for reports/figures/: ``export(...)`` with your
                      choices (only, years, countries, formats, outdir)

A module imports only those above it in this list. Each chart function takes the processed
record (``usmx.analysis.processed.load()``) and returns a Figure whose ``usmx`` attribute holds its
metadata and the exact data drawn; every value, and every name in a source line, comes from
the record."""

from usmx.charts.catalog import CHARTS
from usmx.charts.child_charts import child_deportations, mexico_vs_us, uac_apprehensions
from usmx.charts.claims_chart import claims_scoreboard
from usmx.charts.exporting import export
from usmx.charts.funding_charts import funding_vs_child_deportations, merida_by_account
from usmx.charts.monthly_chart import mexico_child_returns

__all__ = [
    "CHARTS",
    "child_deportations",
    "claims_scoreboard",
    "export",
    "funding_vs_child_deportations",
    "merida_by_account",
    "mexico_child_returns",
    "mexico_vs_us",
    "uac_apprehensions",
]
