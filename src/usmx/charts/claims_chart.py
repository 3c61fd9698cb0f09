"""The claims scoreboard (each chart: see ``usmx.charts``)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from usmx.charts.parts import chart_meta
from usmx.charts.style import (
    finish,
    new_figure,
)
from usmx.charts.theme import COLORS, VERDICT_COLORS, house_style
from usmx.processed import ProcessedTables
from usmx.schema import VERDICT_LABELS

# --------------------------------------------------------------------------------------
# 6. The article's claims against the record
# --------------------------------------------------------------------------------------



def claims_scoreboard(record: ProcessedTables) -> Figure:
    """Each claim: the record's figure as a share of the article's (100 % = the same), on
    one scale for every numeric claim; the verdict for every claim."""

    c = record["claims"].reset_index(drop=True)
    with house_style():
        fig, axes = new_figure(0.42 * len(c) + 1.9)
        ax = axes[0, 0]
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        n = len(c)
        rows = []
        for i, r in c.iterrows():
            y = n - 1 - i
            color = VERDICT_COLORS[r["verdict"]]
            share = None
            if pd.notna(r["article_value"]) and pd.notna(r["record_value"]):
                share = float(r["record_value"]) / float(r["article_value"]) * 100
                ax.plot([100, share], [y, y], color=color, linewidth=1.2, zorder=2)
                ax.plot(share, y, "o", color=color, markersize=7, zorder=3,
                        gid=f"claim-{r['claim_id']}")
                label = f"record {r['record_figure']} vs article {r['figure_printed']}"
                ax.text(max(share, 100) + 4, y, label, va="center", fontsize=6.5,
                        color="#444444")
            else:
                ax.text(4, y, "no number to compare: " + VERDICT_LABELS[r["verdict"]].lower(),
                        va="center", fontsize=6.5, color=color, gid=f"claim-{r['claim_id']}")
            rows.append({"claim_id": r["claim_id"], "verdict": r["verdict"],
                         "article_value": r["article_value"], "record_value": r["record_value"],
                         "record_share_pct": None if share is None else round(share, 1),
                         "source_ids": r["source_ids"], "figure_ids": r["figure_ids"]})
        ax.axvline(100, color=COLORS["black"], linewidth=0.8, linestyle=":")
        ax.text(100, n - 0.35, "the article's figure", ha="center", va="bottom", fontsize=7)
        ax.set_yticks(range(n))
        ax.set_yticklabels([f"{cid}  ({VERDICT_LABELS[v]})" for cid, v in
                            zip(c["claim_id"][::-1], c["verdict"][::-1], strict=True)])
        ax.set_xlim(0, 260)
        ax.set_ylim(-0.6, n)
        ax.set_xlabel("The record's figure as a share of the article's (%)")
        data = pd.DataFrame(rows)
        meta = chart_meta(
            "claims-scoreboard",
            "The article's claims against the public record",
            "For each numeric claim, the record's nearest comparable figure as a share of "
            "the article's; every claim's verdict beside its name.",
            "Scoreboard of the article's nine checkable statements, from claims.csv.",
            "Dot chart. " + " ".join(
                f"{r.claim_id}: {VERDICT_LABELS[r.verdict].lower()}"
                + (f", record {r.record_share_pct:.0f}% of the article's figure"
                   if pd.notna(r.record_share_pct) else "") + "."
                for r in data.itertuples()),
            data, record,
            ["Verdicts and record figures are computed from the processed record by "
             "usmx.claims; see claims.csv for the reasons and notebooks/04-claims-check.ipynb "
             "for the figures behind each."])
        return finish(fig, meta, left=0.36)
