"""Publication charts: house style, figures built from the processed tables, export."""

from usmx.charts.figures import (
    CHARTS,
    child_deportations,
    claims_scoreboard,
    funding_vs_child_deportations,
    merida_by_account,
    mexico_vs_us,
    uac_apprehensions,
)

__all__ = [
    "CHARTS",
    "child_deportations",
    "claims_scoreboard",
    "funding_vs_child_deportations",
    "merida_by_account",
    "mexico_vs_us",
    "uac_apprehensions",
]
