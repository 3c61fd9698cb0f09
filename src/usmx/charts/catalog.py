"""Every publication chart by its id (the file name of its exports): ``SPECS`` computes
the chart as data (``usmx.charts.spec``), ``CHARTS`` draws it (a Figure)."""

from __future__ import annotations

from usmx.charts import child_charts, claims_chart, funding_charts
from usmx.charts.child_charts import child_deportations, mexico_vs_us, uac_apprehensions
from usmx.charts.claims_chart import claims_scoreboard
from usmx.charts.funding_charts import funding_vs_child_deportations, merida_by_account

CHARTS = {
    "merida-by-account": merida_by_account,
    "child-deportations": child_deportations,
    "funding-vs-child-deportations": funding_vs_child_deportations,
    "uac-apprehensions": uac_apprehensions,
    "mexico-vs-us": mexico_vs_us,
    "claims-scoreboard": claims_scoreboard,
}

SPECS = {
    "merida-by-account": funding_charts.merida_by_account_spec,
    "child-deportations": child_charts.child_deportations_spec,
    "funding-vs-child-deportations": funding_charts.funding_vs_child_deportations_spec,
    "uac-apprehensions": child_charts.uac_apprehensions_spec,
    "mexico-vs-us": child_charts.mexico_vs_us_spec,
    "claims-scoreboard": claims_chart.claims_scoreboard_spec,
}
