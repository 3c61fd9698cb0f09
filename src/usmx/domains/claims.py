"""The article's claims as read: data/raw/claims.csv (each checkable statement with its
figure, unit, period and comparator) and data/raw/claims_judged.csv (the verdicts the
project last published), validated for the analysis to judge.

Where the line falls: this module reads the raw claim tables, as every domain reads its
raw tables; ``usmx.analysis.claims`` judges each claim against the processed tables only.
A domain may not import the analysis, and the analysis may not import a domain, so the
one check that needs both, that every claim has an evaluator, is made by the analysis'
verdict step; the claims keep the line each was read from (column ``rawio.LINE``) so that
its refusal names file, line, column and value like every other.
"""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.engine import provenance
from usmx.engine.pipeline import Context, Step
from usmx.rawio import LINE, DataError, Problem


def load_claims_raw(path, label: str, source_ids) -> pd.DataFrame:
    """The claims, validated, with the line each was read from (``rawio.LINE``)."""
    frame = provenance.load_raw(path, schema.CLAIMS_RAW, label, source_ids)
    backwards = [Problem(label, int(r[LINE]), "period_end", r["period_end"],
                         f"is before period_start {r['period_start']}")
                 for _, r in frame.iterrows()
                 if r["period_start"].isdigit() and r["period_end"].isdigit()
                 and int(r["period_end"]) < int(r["period_start"])]
    if backwards:
        raise DataError(backwards)
    out = provenance.blank_to_na(frame, ("figure_printed", "cites", "note", "value",
                                         "period_start", "period_end"))
    for col in ("value", "period_start", "period_end"):
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    return out


def _load(ctx: Context) -> dict:
    path, judged = ctx.paths.claims_raw, ctx.paths.claims_judged
    previous = provenance.load_raw(judged, schema.CLAIMS_JUDGED, ctx.paths.rel(judged))
    schema.check_unique(previous, ("claim_id",), ctx.paths.rel(judged))
    return {"claims_raw": load_claims_raw(path, ctx.paths.rel(path), ctx.source_ids),
            "claims_judged": provenance.drop_line(previous)}


STEPS = (
    Step("claims", "read the article's claims and the verdicts last published", _load,
         reads=(schema.CLAIMS_RAW, schema.CLAIMS_JUDGED), needs=("sources_raw",),
         makes=("claims_raw", "claims_judged"),
         cites=("claims_raw",)),
)
