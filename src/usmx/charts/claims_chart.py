"""The claims scoreboard (each chart: see ``usmx.charts``)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from usmx.analysis.processed import ProcessedTables
from usmx.charts.parts import chart_meta
from usmx.charts.style import (
    finish,
    new_figure,
)
from usmx.charts.theme import COLORS, VERDICT_COLORS, house_style
from usmx.schema import VERDICT_LABELS

# --------------------------------------------------------------------------------------
# 6. The article's claims against the record
# --------------------------------------------------------------------------------------



def claims_scoreboard(record: ProcessedTables) -> Figure:
    """Each claim: the record's figure as a share of the article's (100 % = the same), on
    one scale for every numeric claim; the verdict for every claim."""

    claims = record["claims"].reset_index(drop=True)
    with house_style():
        fig, axes = new_figure(0.42 * len(claims) + 1.9)
        ax = axes[0, 0]
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        count = len(claims)
        rows = []
        for position, claim in claims.iterrows():
            ypos = count - 1 - position
            color = VERDICT_COLORS[claim["verdict"]]
            share = None
            if pd.notna(claim["article_value"]) and pd.notna(claim["record_value"]):
                share = float(claim["record_value"]) / float(claim["article_value"]) * 100
                ax.plot([100, share], [ypos, ypos], color=color, linewidth=1.2, zorder=2)
                ax.plot(share, ypos, "o", color=color, markersize=7, zorder=3,
                        gid=f"claim-{claim['claim_id']}")
                label = f"record {claim['record_figure']} vs article {claim['figure_printed']}"
                ax.text(max(share, 100) + 4, ypos, label, va="center", fontsize=6.5,
                        color="#444444")
            else:
                ax.text(4, ypos,
                        "no number to compare: " + VERDICT_LABELS[claim["verdict"]].lower(),
                        va="center", fontsize=6.5, color=color, gid=f"claim-{claim['claim_id']}")
            rows.append({"claim_id": claim["claim_id"], "verdict": claim["verdict"],
                         "article_value": claim["article_value"],
                         "record_value": claim["record_value"],
                         "record_share_pct": None if share is None else round(share, 1),
                         "source_ids": claim["source_ids"], "figure_ids": claim["figure_ids"]})
        ax.axvline(100, color=COLORS["black"], linewidth=0.8, linestyle=":")
        ax.text(100, count - 0.35, "the article's figure", ha="center", va="bottom", fontsize=7)
        ax.set_yticks(range(count))
        ax.set_yticklabels([f"{cid}  ({VERDICT_LABELS[v]})" for cid, v in
                            zip(claims["claim_id"][::-1], claims["verdict"][::-1], strict=True)])
        ax.set_xlim(0, 260)
        ax.set_ylim(-0.6, count)
        ax.set_xlabel("The record's figure as a share of the article's (%)")
        data = pd.DataFrame(rows)
        meta = chart_meta(
            "claims-scoreboard",
            "The article's claims against the public record",
            "For each numeric claim, the record's nearest comparable figure as a share of "
            "the article's; every claim's verdict beside its name.",
            "Scoreboard of the article's nine checkable statements, from claims.csv.",
            "Dot chart. " + " ".join(
                f"{claim.claim_id}: {VERDICT_LABELS[claim.verdict].lower()}"
                + (f", record {claim.record_share_pct:.0f}% of the article's figure"
                   if pd.notna(claim.record_share_pct) else "") + "."
                for claim in data.itertuples()),
            data, record,
            ["Verdicts and record figures are computed from the processed record; see "
             "claims.csv for the reasons and notebooks/04-claims-check.ipynb for the figures "
             "behind each."])
        return finish(fig, meta, left=0.36)
