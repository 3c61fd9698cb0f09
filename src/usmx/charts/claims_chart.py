"""The claims scoreboard (each chart: see ``usmx.charts``), as a spec and drawn."""

from __future__ import annotations

import math
import textwrap

import pandas as pd

from usmx.analysis.processed import ProcessedTables
from usmx.charts.parts import chart_meta
from usmx.charts.spec import ChartSpec, Line, Panel, Rule, Scale, Text
from usmx.schema import VERDICT_LABELS

# --------------------------------------------------------------------------------------
# 6. The article's claims against the record
# --------------------------------------------------------------------------------------


def claims_scoreboard_spec(record: ProcessedTables) -> ChartSpec:
    """Each claim, by its label: the record's figure as a share of the article's (100 % =
    the same) on one scale fitted to the data, and the verdict; the two figures in words in
    a column of their own, clear of the dots."""
    claims = record["claims"].reset_index(drop=True)
    shares = [float(c.record_value) / float(c.article_value) * 100
              if pd.notna(c.article_value) and pd.notna(c.record_value) else None
              for c in claims.itertuples()]
    top = max([100.0, *[v for v in shares if v is not None]])
    right_edge = math.ceil((top * 1.08) / 25) * 25  # a little room past the largest dot
    count = len(claims)
    marks, rows = [], []
    for position, claim in claims.iterrows():
        ypos = count - 1 - position
        color = f"verdict:{claim['verdict']}"  # a colour role
        share = shares[position]
        if share is not None:
            marks.append(Line(None, (100, share), (ypos, ypos), color, marker=None,
                              width=1.2, zorder=2))
            marks.append(Line(None, (share,), (ypos,), color, style="None", marker="o",
                              markersize=7, zorder=3, gid=f"claim-{claim['claim_id']}"))
            words = f"record {claim['record_figure']}; article {claim['figure_printed']}"
        else:
            words = "no number to compare"
        marks.append(Text(1.03, ypos, words, 6.5, gid=f"words-{claim['claim_id']}",
                          coords="yaxis", ha="left", va="center", color="ink:subtitle",
                          wrap=44))
        rows.append({"claim_id": claim["claim_id"], "label": claim["label"],
                     "verdict": claim["verdict"],
                     "verdict_label": VERDICT_LABELS[claim["verdict"]],
                     "article_value": claim["article_value"],
                     "record_value": claim["record_value"],
                     "record_share_pct": None if share is None else round(share, 1),
                     "source_ids": claim["source_ids"], "figure_ids": claim["figure_ids"]})
    marks.append(Text(100, count - 0.35, "the article's figure", 7, color=None, ground=True))
    panel = Panel(
        marks=tuple(marks), grid="x",
        rules=(Rule(100, "reference", ":", 0.8),),
        yticks=tuple((position, "\n".join([*textwrap.wrap(label, 48),
                                            f"({VERDICT_LABELS[verdict]})"]))
                     for position, (label, verdict) in enumerate(zip(
                         claims["label"][::-1], claims["verdict"][::-1], strict=True))),
        ytick_style=(7.2, "ink:tick"), xlim=(0, right_edge),
        scale=Scale(limits=(-0.6, count), thousands=False),
        xlabel="The record's figure as a share of the article's (%)")
    data = pd.DataFrame(rows)
    meta = chart_meta(
        "claims-scoreboard",
        "The article's claims against the public record",
        "For each numeric claim, the record's nearest comparable figure as a share of "
        "the article's; every claim's verdict under its label.",
        f"Scoreboard of the article's {count} checkable statements, from claims.csv.",
        "Dot chart. " + " ".join(
            f"{claim.label}: {claim.verdict_label.lower()}"
            + (f" (record {claim.record_share_pct:.0f}% of the article's figure)"
               if pd.notna(claim.record_share_pct) else "") + "."
            for claim in data.itertuples()),
        data, record,
        ["Verdicts and record figures are computed from the processed record; see "
         "claims.csv for the reasons and notebooks/04-claims-check.ipynb for the figures "
         "behind each."])
    return ChartSpec(meta, 0.46 * count + 1.9, (panel,),
                     layout={"left": 0.33, "right": 0.64})
