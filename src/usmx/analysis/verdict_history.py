"""What changed in each verdict since the project last published it (the claims_judged
table names the commit): the verdict, the record's figure, and the sources the verdict
rests on, in words a reader can check."""

from __future__ import annotations

import pandas as pd

from usmx.schema import VERDICT_LABELS


def _ids(value) -> list[str]:
    return [] if value is None or pd.isna(value) or not str(value) else str(value).split(";")


def _names(ids: list[str], registry: pd.DataFrame) -> str:
    short = dict(zip(registry["source_id"], registry["attribution_short"], strict=True))
    names = list(dict.fromkeys(short.get(i, i) for i in ids))
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def what_changed(claim: dict, previous: dict | None, registry: pd.DataFrame) -> str:
    """One claim's change since its previous verdict, in a sentence or two."""
    if previous is None:
        return "First judged on this record."
    when = previous["judged_on"]
    before, now = previous["verdict"], claim["verdict"]
    figure_then = previous.get("record_figure") or None
    figure_now = claim.get("record_figure") or None
    if isinstance(figure_then, float) and pd.isna(figure_then):
        figure_then = None
    if isinstance(figure_now, float) and pd.isna(figure_now):
        figure_now = None
    out = [f"Verdict unchanged since {when} ({VERDICT_LABELS[now]})" if before == now else
           f"Verdict changed since {when}: {VERDICT_LABELS[before]} then, "
           f"{VERDICT_LABELS[now]} now"]
    if figure_then != figure_now:
        out.append(f"the record's figure was {figure_then or 'none'} and is "
                   f"{figure_now or 'none'}")
    then_ids, now_ids = _ids(previous.get("source_ids")), _ids(claim.get("source_ids"))
    added = [i for i in now_ids if i not in then_ids]
    dropped = [i for i in then_ids if i not in now_ids]
    if added:
        out.append(f"it now also rests on {_names(added, registry)}")
    if dropped:
        out.append(f"it no longer rests on {_names(dropped, registry)}")
    if len(out) == 1:
        out.append("the same figure and sources")
    return "; ".join(out) + "."
