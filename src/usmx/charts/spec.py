"""Chart specifications: what a chart shows, as plain data (no matplotlib objects).

A chart function computes a :class:`ChartSpec` from the processed record: its panels, the
series in each (lines, bars, dots), their labels and colours, the texts placed in the data,
the legends, the scales and the chart's metadata (title, subtitle, notes, alt text, the
exact rows drawn). ``usmx.charts.draw`` turns any spec into a Figure with a few drawers.
Every text a reader sees is in the spec, so a language edition is the spec translated
(:func:`translated`) before it is drawn.

Colours are named by role ("mexico", "palette:blue", "account:INCLE",
"reference", "ink:note"): ``usmx.charts.theme.ROLES`` gives each its colour, the one place
colours are defined. Line styles and markers are matplotlib's names for them ("-", "--",
":", "o", "s"), which are plain data.
"""

from __future__ import annotations

import dataclasses
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
    footer_source: str = ""  # the image's one source line (sources.footer_source)
    notes_label: str = "Notes and sources:"  # before the methodology page, in the footer
    methodology: str = ""  # where the notes and every source are (the chart's page)
    credit: str = ""  # the project and the licences (usmx.charts.theme.CREDIT)


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


@dataclass(frozen=True, kw_only=True)
class Look:
    """How a box is filled and edged (colours are roles; None: matplotlib's default)."""

    facecolor: str | None = None
    edgecolor: str | None = None
    hatch: str | None = None
    linestyle: object = None
    linewidth: float | None = None
    fill: bool = True


@dataclass(frozen=True)
class Bar(Look):
    """One bar (or an outline, or a hatched 'no figure' block)."""

    x: float
    height: float
    width: float
    gid: str
    bottom: float = 0.0


@dataclass(frozen=True)
class Text:
    """A text placed in the data."""

    x: float
    y: float
    text: str
    size: float
    gid: str | None = None
    ha: str = "center"
    va: str = "bottom"
    color: str | None = "ink:gap"  # a colour role; None: the house text colour
    wrap: int | None = None  # characters per line, in every language (wrapped when drawn)


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
class Key(Look):
    """A legend key that stands for a kind of mark rather than one mark drawn: a box
    (``kind`` 'patch': filled, hatched or outlined) or a line sample ('line': its colour is
    ``facecolor``), with its label."""

    label: str
    kind: str = "patch"
    marker: str | None = None
    markersize: float | None = None


@dataclass(frozen=True)
class Legend:
    """``entries`` None: the panel's own labelled lines; 'figure': the first line of each
    label across the chart (labels wrapped at ``wrap`` characters); else a tuple of
    :class:`Key`."""

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
    year_start: float = 0.0  # where a year's band begins: -0.25 for US fiscal years
    year_label: str = "{}"  # how a year is labelled ('FY{}' for US fiscal years)
    xlim: tuple[float, float] | None = None
    xticks: tuple[tuple[float, str], ...] | None = None
    xlabel: str | None = None
    ylabel: str | None = None
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



def methodology_page(chart: str, code: str = "en") -> str:
    """Where a chart's notes and sources are, in the published folder (reports/)."""
    return f"methodology/{chart}.html" if code == "en" else \
        f"methodology/{code}/{chart}.html"


# A year axis of US fiscal years: bands from October, labelled as fiscal years (Panel).
FISCAL_YEARS = {"year_start": -0.25, "year_label": "FY{}"}


def year_position(year: int, basis: str) -> float:
    """Where a year's value sits on a continuous time axis (x = N is 1 January of year N):
    the middle of the period, so fiscal and calendar years are not silently aligned."""
    return year + (0.25 if basis == "us_fiscal" else 0.5)


def translated(spec: ChartSpec, code: str) -> ChartSpec:
    """The spec with every text a reader sees in language ``code``, through the translation
    table (usmx.charts.i18n), before anything is drawn: the metadata (title, subtitle,
    description, alt text, notes, the footer's words and credit, the labels of the rows
    drawn), the source lines (made again from the registry in that language), the
    methodology page of that language, panel titles, headlines, axis labels, fixed ticks
    and year labels, labels of lines, texts, rules and legend keys. English is the spec as
    it is."""
    if code == "en":
        return spec
    from usmx.charts.i18n import names, tr
    from usmx.charts.sources import footer_source, source_line

    def say(text):
        return text if text is None else tr(text, code)

    def mark(item):
        if isinstance(item, Line | Rule | Key):
            return dataclasses.replace(item, label=say(item.label))
        if isinstance(item, Text):
            return dataclasses.replace(item, text=say(item.text))
        return item

    def ticks(pairs):
        return None if pairs is None else tuple((x, say(label)) for x, label in pairs)

    def panel(p: Panel) -> Panel:
        legend = p.legend
        if legend is not None and isinstance(legend.entries, tuple):
            legend = dataclasses.replace(legend, entries=tuple(map(mark, legend.entries)))
        year_label = p.year_label if p.year_label == "{}" else \
            say(p.year_label.format(2000)).replace("2000", "{}")
        return dataclasses.replace(
            p, title=say(p.title), headline=say(p.headline), xlabel=say(p.xlabel),
            year_label=year_label,
            ylabel=say(p.ylabel), xticks=ticks(p.xticks),
            marks=tuple(map(mark, p.marks)), rules=tuple(map(mark, p.rules)), legend=legend)

    meta = spec.meta
    with names(meta.names):
        data = meta.data.copy()
        for column in ("panel", "label"):
            if column in data.columns:
                data[column] = [value if pd.isna(value) else say(str(value))
                                for value in data[column]]
        meta = dataclasses.replace(
            meta, title=say(meta.title), subtitle=say(meta.subtitle),
            description=say(meta.description), alt_text=say(meta.alt_text),
            notes=[say(note) for note in meta.notes], notes_label=say(meta.notes_label),
            credit=say(meta.credit), data=data,
            source_line=source_line(meta.source_details, code),
            footer_source=footer_source(meta.source_details, code),
            methodology=methodology_page(meta.id, code))
        return dataclasses.replace(spec, meta=meta, panels=tuple(map(panel, spec.panels)))
