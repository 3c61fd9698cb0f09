"""Chart specs apart from drawing: each chart is computed as data (usmx.charts.spec) and
drawn by a few drawers (usmx.charts.draw) that know no chart; colours live in the theme."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import matplotlib.colors
import matplotlib.text
import pandas as pd
import pytest

from usmx.analysis import processed
from usmx.charts import CHARTS, theme
from usmx.charts.catalog import Chart
from usmx.charts.draw import draw
from usmx.charts.spec import (
    Bar,
    ChartMeta,
    ChartSpec,
    Legend,
    Line,
    Panel,
    Rule,
    Scale,
    SmallLabels,
    Text,
)

ROOT = Path(__file__).resolve().parents[1]
CHARTS_DIR = ROOT / "src" / "usmx" / "charts"


@pytest.fixture(scope="module")
def record(repo_module):
    return processed.load(repo_module)


def _values(value):
    """Every value held in a spec, walking dataclasses, tuples and dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _values(getattr(value, field.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _values(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _values(item)
    else:
        yield value


def digest(spec) -> str:
    """What a spec says, as text (its tables as CSV)."""
    def plain(value):
        if isinstance(value, pd.DataFrame):
            return value.to_csv(index=False)
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return "NaN" if isinstance(value, float) and value != value else value

    return json.dumps(plain(spec), sort_keys=True, default=str)


SPECS = {name: chart.spec for name, chart in CHARTS.items()}


def test_every_chart_is_a_spec_of_plain_data(record):
    for name, make in SPECS.items():
        spec = make(record)
        assert isinstance(spec, ChartSpec) and spec.meta.id == name
        kinds = {type(v).__module__.split(".")[0] for v in _values(spec)}
        assert not kinds & {"matplotlib", "numpy"}, (name, kinds)
        assert digest(spec) == digest(make(record)), f"{name}: the spec is not deterministic"
        assert spec.panels and all(isinstance(p, Panel) for p in spec.panels)
        roles = [m.color for p in spec.panels for m in p.marks if isinstance(m, (Line, Text))]
        roles += [c for p in spec.panels for m in p.marks if isinstance(m, Bar)
                  for c in (m.facecolor, m.edgecolor)]
        roles += [r.color for p in spec.panels for r in p.rules]
        roles += [s.color for p in spec.panels for s in p.small]
        unknown = {r for r in roles if r is not None and r not in theme.ROLES}
        assert not unknown, (name, unknown)  # colours are named by role, never written


def test_the_chart_is_its_spec_drawn(record):
    """Captions and notes come from the spec; the drawn figure is the spec drawn."""
    for name in ("uac-apprehensions", "mexico-child-returns"):
        spec = SPECS[name](record)
        fig = CHARTS[name](record)
        assert fig.meta.title == spec.meta.title and fig.meta.notes == spec.meta.notes
        assert fig.meta.alt_text == spec.meta.alt_text
        lines = [m for p in spec.panels for m in p.marks if isinstance(m, Line)]
        assert sum(len(ax.get_lines()) for ax in fig.axes) >= len(lines)


def test_a_spec_changes_only_with_what_the_chart_draws(record):
    """Editing a child figure changes the spec of the charts that draw it, not the others
    (which is how a report rerun skips them)."""
    before = {name: digest(make(record)) for name, make in SPECS.items()}
    edited = dict(record)
    table = record["child_deportations_by_year"].copy()
    hit = (table["series"] == "received_minors_from_mexico") & \
        (table["nationality"] == "GTM") & (table["year"] == 2014)
    assert hit.sum() == 1 and float(table.loc[hit, "value"].iloc[0]) == 6112
    table.loc[hit, "value"] = 6113
    edited["child_deportations_by_year"] = table
    after = {name: digest(make(edited)) for name, make in SPECS.items()}
    changed = {name for name in SPECS if before[name] != after[name]}
    assert "child-deportations" in changed
    assert not changed & {"merida-by-account", "uac-apprehensions", "mexico-child-returns"}


def test_a_chart_reads_only_the_tables_it_declares(record):
    """A chart is given the tables it declares and no others, so a report reruns it when
    one of them changes and never misses one: reading another is an error naming it."""
    from usmx.charts.monthly_chart import mexico_child_returns_spec

    short = Chart("mexico-child-returns", mexico_child_returns_spec,
                  reads=("countries", "events", "sources_processed"))
    with pytest.raises(KeyError, match="reads table 'deportations_monthly' but does not "
                                       "declare it"):
        short.spec(record)
    for chart in CHARTS.values():
        assert set(chart.reads) <= set(record), chart.id
        assert len(set(chart.reads)) == len(chart.reads), chart.id


def _toy() -> ChartSpec:
    """A spec no chart makes: two panels on one shared scale, a line with a gap, bars, a
    text, a rule, a small line whose values get written, a legend; and an empty panel."""
    meta = ChartMeta(id="toy", title="A toy chart", subtitle="Two panels", description="d",
                     alt_text="a", source_ids=[], source_line="Source: nobody", notes=["n"],
                     data=pd.DataFrame({"x": [1.0]}))
    left = Panel(title="Left", marks=(
        Line("big", (2010.5, 2011.5, 2012.5), (100.0, math.nan, 300.0), "palette:blue"),
        Line("small", (2010.5, 2011.5), (3.0, 4.0), "mexico", style="--", marker="s"),
        Bar(2011.5, 50.0, 0.8, "bar-1", facecolor="account:ESF"),
        Text(2012.5, 10.0, "a note", 6.0, gid="note-1")),
        small=(SmallLabels(((2010.5, 3.0, "v-1"), (2011.5, 4.0, "v-2")), "mexico"),),
        rules=(Rule(2012.0, "reference", label="An event"),), years=(2010, 2012),
        scale=Scale(shared="g", small_share=0.08), legend=Legend("upper left"))
    right = Panel(title="Right", marks=(Line("other", (2010.5,), (600.0,), "country:ALL"),),
                  years=(2010, 2012), scale=Scale(shared="g"))
    return ChartSpec(meta, 4.0, (left, right, Panel(off=True)), nrows=1, ncols=3)


def test_drawers_draw_any_spec():
    fig = draw(_toy())
    left, right, empty = fig.axes
    assert left.get_ylim() == right.get_ylim() and left.get_ylim()[1] >= 600
    big = next(line for line in left.get_lines() if line.get_label() == "big")
    assert math.isnan(big.get_ydata()[1])  # a gap stays a gap
    assert [p.get_height() for p in left.patches] == [50.0]
    written = {t.get_gid(): t.get_text() for t in left.findobj(matplotlib.text.Text)}
    assert written["v-1"] == "3" and written["v-2"] == "4" and written["note-1"] == "a note"
    assert "An event" in [t.get_text() for t in left.findobj(matplotlib.text.Text)]
    assert [t.get_text() for t in left.get_legend().get_texts()] == ["big", "small"]
    assert not empty.axison
    assert matplotlib.colors.to_hex(big.get_color()) == theme.ROLES["palette:blue"].lower()
    assert matplotlib.colors.to_hex(left.patches[0].get_facecolor()) == \
        theme.ROLES["account:ESF"].lower()
    with pytest.raises(KeyError, match="no colour role 'crimson'"):
        draw(dataclasses.replace(_toy(), panels=(Panel(marks=(
            Line("x", (1.0,), (1.0,), "crimson"),)),), ncols=1))
    assert fig.meta.title == "A toy chart"
    assert any(t.get_text() == "A toy chart" for t in fig.texts)


def test_colours_are_defined_in_the_theme_only():
    """No chart module, drawer or analysis module writes a colour of its own."""
    pattern = re.compile(r"""#[0-9a-fA-F]{6}\b|(?<!\[)["'](black|white|grey|gray|red|blue)"""
                         r"""["'](?!\])""")  # a role looked up (COLORS["black"]) is fine
    found = []
    for path in [*CHARTS_DIR.glob("*.py"), *(ROOT / "src" / "usmx" / "analysis").glob("*.py")]:
        if path.name == "theme.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert not found, found
