"""Dated events (announcements, praise, programmes) that the article's claims refer to."""

from __future__ import annotations

import pandas as pd

from usmx import schema
from usmx.engine import provenance
from usmx.engine.pipeline import Context, Step


def load_events(path, label: str, source_ids, sources: pd.DataFrame) -> pd.DataFrame:
    frame = provenance.load_raw(path, schema.EVENTS_RAW, label, source_ids)
    out = provenance.blank_to_na(provenance.drop_line(frame), ("note",))
    out = provenance.attach_attribution(out, sources)
    return out.sort_values(["date", "event_id"], ignore_index=True)[schema.EVENTS.columns]


def _load(ctx: Context) -> dict:
    path = ctx.paths.events_raw
    return {"events": load_events(path, ctx.paths.rel(path), ctx.source_ids,
                                  ctx["sources_raw"])}


STEPS = (
    Step("events", "read the dated events and join each source's attribution", _load,
         reads=(schema.EVENTS_RAW,), needs=("sources_raw",), makes=("events",),
         cites=("events",)),
)
