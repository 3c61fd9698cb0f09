"""Every publication chart by its id (the file name of its exports): ``SPECS`` computes
the chart as data (``usmx.charts.spec``), ``CHARTS`` draws it (a Figure)."""

from __future__ import annotations

from usmx.charts import child_charts, claims_chart, funding_charts, monthly_chart
from usmx.charts.child_charts import child_deportations, mexico_vs_us, uac_apprehensions
from usmx.charts.claims_chart import claims_scoreboard
from usmx.charts.funding_charts import funding_vs_child_deportations, merida_by_account
from usmx.charts.monthly_chart import mexico_child_returns

CHARTS = {
    "merida-by-account": merida_by_account,
    "child-deportations": child_deportations,
    "funding-vs-child-deportations": funding_vs_child_deportations,
    "uac-apprehensions": uac_apprehensions,
    "mexico-child-returns": mexico_child_returns,
    "mexico-vs-us": mexico_vs_us,
    "claims-scoreboard": claims_scoreboard,
}

# The countries a chart drawn by country may show: the studied countries of a group of
# data/raw/countries.csv (None: every studied country).
COUNTRY_GROUPS = {
    "child-deportations": "central_america",
    "funding-vs-child-deportations": "central_america",
    "uac-apprehensions": None,
    "mexico-child-returns": "central_america",
}

SPECS = {
    "merida-by-account": funding_charts.merida_by_account_spec,
    "child-deportations": child_charts.child_deportations_spec,
    "funding-vs-child-deportations": funding_charts.funding_vs_child_deportations_spec,
    "uac-apprehensions": child_charts.uac_apprehensions_spec,
    "mexico-child-returns": monthly_chart.mexico_child_returns_spec,
    "mexico-vs-us": child_charts.mexico_vs_us_spec,
    "claims-scoreboard": claims_chart.claims_scoreboard_spec,
}
