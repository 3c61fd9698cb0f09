"""The build as a list of steps: what each reads, what it makes, and the function that
makes it.

Each domain module (funding, deportations, events, claims) declares its ``STEPS``; the build
walks ``PIPELINE`` in order. A step reads raw tables (``reads``, from ``usmx.schema``) and
frames made by earlier steps (``needs``), and returns the frames it ``makes``. Three names
are collected across steps rather than passed on by name:

- ``cites``: made frames whose ``source_id`` column counts as use of a source (the
  registry's ``n_figures``);
- ``figures``: the made frame holding a domain's published figures, with the function that
  says why a figure is unused (``unused_figures.csv``; called with the figure and the
  context);
- :data:`CONFLICT_RECORDS`: a list of conflict records a step may return, gathered into
  ``conflicts.csv``.

``python -m usmx build --explain`` prints the pipeline. Imports only ``schema`` and
``paths``: domain modules import this one.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from usmx import schema
from usmx.paths import Paths

CONFLICT_RECORDS = "conflict_records"


@dataclass
class Context:
    """What steps share: the paths, the sources registry's ids, and every frame made."""

    paths: Paths
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    conflicts: list[dict] = field(default_factory=list)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    @property
    def source_ids(self) -> pd.Series:
        return self.frames["sources_raw"]["source_id"]


@dataclass(frozen=True)
class Step:
    name: str
    doc: str
    run: Callable[[Context], dict]
    reads: tuple[schema.Table, ...] = ()
    needs: tuple[str, ...] = ()
    makes: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()
    figures: tuple[str, Callable[[dict], str]] | None = None


def run(steps: tuple[Step, ...], context: Context) -> Context:
    """Run the steps in order; each may use only what earlier steps made."""
    for step in steps:
        missing = [n for n in step.needs if n not in context.frames]
        if missing:
            raise RuntimeError(f"step {step.name!r} needs {missing}, made by no earlier step")
        made = step.run(context)
        context.conflicts += made.pop(CONFLICT_RECORDS, [])
        unexpected = set(made) - set(step.makes)
        if unexpected or set(step.makes) - set(made):
            raise RuntimeError(f"step {step.name!r} declares {sorted(step.makes)} but made "
                               f"{sorted(made)}")
        context.frames.update(made)
    return context


def source_counts(steps: tuple[Step, ...], context: Context) -> pd.Series:
    """How many figures cite each source, over every frame a step declares in ``cites``."""
    cited = [context[name]["source_id"] for step in steps for name in step.cites]
    return pd.concat(cited).value_counts() if cited else pd.Series(dtype="int64")


def figure_tables(steps: tuple[Step, ...], context: Context) -> list[tuple]:
    """(label, frame, why_unused) for each domain's published figures; ``why_unused`` is
    called with the figure and the build's context."""
    return [(name, context[name], functools.partial(_why, why, context))
            for step in steps if step.figures for name, why in [step.figures]]


def _why(why: Callable, context: Context, figure: dict) -> str:
    return why(figure, context)


def explain(steps: tuple[Step, ...]) -> str:
    """The pipeline as text, for a newcomer: each step, what it reads, needs and makes."""
    processed = {t.name: t.path for t in schema.PROCESSED_TABLES}
    out = ["The build, step by step (data/raw/ -> data/processed/):", ""]
    for number, step in enumerate(steps, 1):
        out += textwrap.wrap(f"{number:2d}. {step.name}: {step.doc}", 92,
                             subsequent_indent="    ")
        lines = [("reads", [table.path for table in step.reads]), ("needs", step.needs),
                 ("writes", [processed[name] for name in step.makes if name in processed]),
                 ("passes", [name for name in step.makes if name not in processed])]
        for verb, names in lines:
            if names:
                out += textwrap.wrap(f"{verb:6s} " + ", ".join(names), 92,
                                     initial_indent="      ", subsequent_indent=" " * 13)
    out += ["", *textwrap.wrap(
        "Then the data dictionary (data/processed/README.md) and datapackage.json are "
        "written from usmx.schema. To add a raw table: define it in "
        "usmx/schema/<domain>_tables.py, name it in usmx/schema/registry.py, and read it in "
        "a step of its domain module (a new domain adds its STEPS to usmx.build.PIPELINE). "
        "See ARCHITECTURE.md.", 92)]
    return "\n".join(out)
