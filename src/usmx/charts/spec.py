"""Chart specifications: what a chart shows, as plain data (no matplotlib objects).

A chart function computes a :class:`ChartSpec` from the processed record: its panels, the
series in each (lines, bars, dots), their labels and colours, the texts placed in the data,
the legends, the scales and the chart's metadata (title, subtitle, notes, alt text, the
exact rows drawn). ``usmx.charts.draw`` turns any spec into a Figure with a few drawers.
A spec compares and hashes as data (:func:`digest`), so a chart whose spec did not change
need not be drawn again.

Colours are named by role ("mexico", "palette:blue", "account:INCLE", "verdict:overstated",
"reference", "ink:note"): ``usmx.charts.theme.ROLES`` gives each its colour, the one place
colours are defined. Line styles and markers are matplotlib's names for them ("-", "--",
":", "o", "s"), which are plain data.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class ChartMeta:
    """What travels with a chart: text for the page, the file metadata and the manifest."""

    id: str
    title: str
    subtitle: str
    description: str
    alt_text: str
    source_ids: list[str]
    source_line: str
    notes: list[str]
    data: pd.DataFrame = field(repr=False)
    source_details: list[dict] = field(default_factory=list)
    names: tuple[tuple[str, str], ...] = ()  # (English, Spanish) names that come with data


@dataclass(frozen=True)
class Line:
    """A series drawn as a line, broken at gaps (a gap is NaN in ``ys``, never zero)."""

    label: str | None
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    color: str
    style: object = "-"
    marker: str | None = "o"
    gid: str | None = None
    width: float | None = None
    markersize: float | None = None
    zorder: float | None = None
    capstyle: str | None = None


@dataclass(frozen=True)
class Bar:
    """One bar (or an outline, or a hatched 'no figure' block)."""

    x: float
    height: float
    width: float
    gid: str
    bottom: float = 0.0
    facecolor: str | None = None
    edgecolor: str | None = None
    hatch: str | None = None
    linestyle: object = None
    linewidth: float | None = None
    fill: bool = True


@dataclass(frozen=True)
class Text:
    """A text placed in the data (``coords`` 'data'), or at axis fractions ('axes'), or at
    an axis fraction across and a data value up ('yaxis')."""

    x: float
    y: float
    text: str
    size: float
    gid: str | None = None
    coords: str = "data"
    ha: str = "center"
    va: str = "bottom"
    color: str | None = "ink:gap"  # a colour role; None: the house text colour
    wrap: int | None = None  # characters per line, in every language (wrapped when drawn)
    ground: bool = False  # on a paper ground, so a rule or grid line behind does not cut it


@dataclass(frozen=True)
class Rule:
    """A vertical rule across the whole panel at ``x`` (an event, a reference value), with
    an optional label at the top."""

    x: float
    color: str
    style: object = ":"
    width: float = 0.8
    zorder: float | None = None
    label: str | None = None
    label_side: str = "right"


@dataclass(frozen=True)
class Legend:
    """``entries`` None: the panel's own labelled lines; 'figure': the first line of each
    label across the chart (labels wrapped at ``wrap`` characters); else the keys of the
    bar legend (see usmx.charts.draw.BAR_KEYS), after the funding accounts."""

    loc: str
    fontsize: float | None = None
    ncols: int = 1
    entries: object = None
    wrap: int | None = None
    labelspacing: float | None = None
    borderaxespad: float | None = None


@dataclass(frozen=True)
class Scale:
    """The value axis: fixed limits, or matplotlib's fit to the data with its bottom at
    ``bottom`` and its top times ``headroom``; panels of one ``shared`` group end at the
    highest top among them. Lines with ``small_labels`` have their values written when
    their highest point is under ``small_share`` of the panel's top."""

    limits: tuple[float, float] | None = None
    bottom: float | None = 0.0
    headroom: float | None = None
    shared: str | None = None
    thousands: bool = True
    small_share: float | None = None


@dataclass(frozen=True)
class SmallLabels:
    """The values of one line, to be written if it sits near zero (see Scale)."""

    points: tuple[tuple[float, float, str], ...]  # x, value, gid
    color: str


@dataclass(frozen=True)
class Panel:
    """One set of axes. ``marks`` are drawn in their order (it decides what lies on top
    among marks of one kind); then the rules, the headline and the legend."""

    title: str = ""
    title_pad: float | None = None
    marks: tuple[Line | Bar | Text, ...] = ()
    rules: tuple[Rule, ...] = ()
    small: tuple[SmallLabels, ...] = ()
    headline: str | None = None  # one sentence above the panel, under its title
    legend: Legend | None = None
    scale: Scale = field(default_factory=Scale)
    years: tuple[int, int] | None = None  # a year axis, first to last
    xlim: tuple[float, float] | None = None
    xticks: tuple[tuple[float, str], ...] | None = None
    xlabel: str | None = None
    ylabel: str | None = None
    yticks: tuple[tuple[float, str], ...] | None = None
    ytick_style: tuple[float, str] | None = None  # font size, colour
    grid: str | None = None  # 'x': vertical grid lines only
    off: bool = False


@dataclass(frozen=True)
class ChartSpec:
    meta: ChartMeta
    height_in: float
    panels: tuple[Panel, ...]
    nrows: int = 1
    ncols: int = 1
    sharex: bool = False
    height_ratios: tuple[float, ...] | None = None
    xlim: tuple[float, float] | None = None  # the shared year axis, set after every panel
    layout: dict = field(default_factory=dict)  # finish(): hspace, left, right, top_extra_in


def _plain(value):
    if isinstance(value, pd.DataFrame):
        return value.to_csv(index=False)
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


def digest(spec: ChartSpec, *extra) -> str:
    """A hash of everything the spec says (and of ``extra``, such as the language)."""
    text = json.dumps([_plain(spec), *map(_plain, extra)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def edition_stamp(spec: ChartSpec, lang: str, formats) -> str:
    """What one edition of a chart draws: its spec, language, formats and the code (the
    export records it beside the files; a notebook finds the export's PNG by it)."""
    from usmx.engine.stamps import code_version

    return digest(spec, lang, list(formats), code_version())
