"""Every publication chart by its id (the file name of its exports)."""

from __future__ import annotations

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
