"""Documents written from the data, apart from the data build: the README's section "What
the record says" (claim, verdict, reason, and the notebook section that shows it).

Run by ``python -m usmx docs`` and by ``python -m usmx report``; ``build`` writes data only.
"""

from __future__ import annotations

import pandas as pd

from usmx.paths import Paths
from usmx.rawio import write_atomic
from usmx.schema import VERDICT_LABELS

NOTEBOOK = "notebooks/04-claims-check.ipynb"
README_START = "<!-- what-the-record-says:start -->"
README_END = "<!-- what-the-record-says:end -->"


def claim_section(claim_id: str) -> str:
    """The notebook section that shows a claim (its heading anchor is the claim id)."""
    return f"{NOTEBOOK}#{claim_id}"


def readme_section(claims: pd.DataFrame) -> str:
    """'What the record says', BuzzFeed style: claim, verdict, the notebook section."""
    out = [README_START, "## What the record says", "",
           "Generated from `data/processed/claims.csv` by `python -m usmx docs`; each "
           "verdict is computed from the tables, and its section of "
           f"[`{NOTEBOOK}`]({NOTEBOOK}) shows the figures.", ""]
    for claim in claims.itertuples():
        section = claim_section(claim.claim_id)
        out += [f"**{claim.statement}**", "",
                f"- Verdict: **{VERDICT_LABELS[claim.verdict]}**. {claim.reason}",
                f"- What changed: {claim.change}",
                f"- Shown in: [`{section.split('/')[-1]}`]({section})", ""]
    out.append(README_END)
    return "\n".join(out)


def update_readme(text: str, claims: pd.DataFrame) -> str:
    """README text with its generated section replaced (appended if absent)."""
    section = readme_section(claims)
    if README_START in text and README_END in text:
        head, rest = text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
        return head + section + tail
    return text.rstrip("\n") + "\n\n" + section + "\n"


def readme_outputs(paths: Paths, claims: pd.DataFrame) -> dict:
    """The README with its generated section brought up to date (empty if no README)."""
    if not paths.readme.exists():
        return {}
    text = paths.readme.read_text(encoding="utf-8")
    return {paths.readme: update_readme(text, claims).encode("utf-8")}


def write_docs(paths: Paths, claims: pd.DataFrame) -> list:
    """Write the documents whose bytes differ (atomically); return the paths written."""
    changed = {path: data for path, data in readme_outputs(paths, claims).items()
               if not path.exists() or path.read_bytes() != data}
    return write_atomic(changed) if changed else []
