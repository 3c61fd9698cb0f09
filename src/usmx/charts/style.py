"""Page furniture (title, subtitle, source line, notes, credit) and chart metadata, and the
Figure class that shows itself in JupyterLab as an image with its alt text."""

from __future__ import annotations

import dataclasses
import itertools
import os
import re
import textwrap
from collections.abc import Iterable

import matplotlib as mpl
import matplotlib.style
import matplotlib.text
import matplotlib.ticker
import pandas as pd
from matplotlib.figure import Figure

from usmx.charts.i18n import MissingTranslation, current, names, tr
from usmx.charts.render import FORMATS, render
from usmx.charts.spec import ChartMeta
from usmx.charts.theme import CREDIT, INK, WIDTH_IN, WRAP, house_style, latin1

MAX_CARRIERS = 3  # carriers named per originator in a source line; the rest are counted


_YEAR = re.compile(r" \(\d{4}\)$")


def source_line(source_ids: Iterable[str], sources: pd.DataFrame) -> str:
    """'Source: ...' built from the registry (never typed by hand): the originator first and
    the document that carried its figures after it ('CBP, via Pew (2014)'); an originator's
    own document by its own name. Past three carriers an originator's list is counted, not
    named: the chart's CSV and manifest list every source."""
    from usmx.schema import ORIGINATOR_SHORT

    ids = sorted(set(source_ids))
    known = sources.set_index("source_id")
    missing = [source_id for source_id in ids if source_id not in known.index]
    if missing:
        raise KeyError(f"sources not in the registry: {missing}")
    own: set[str] = set()
    via: dict[str, set[str]] = {}
    for source_id in ids:
        row = known.loc[source_id]
        name = row["attribution_short"]
        who = ", ".join(name_of(ORIGINATOR_SHORT[o])
                        for o in str(row["originators"]).split(";"))
        # a research body's report of its own figures ('MPI (2015)') is named once
        if row["carrier_kind"] == "originator" or _YEAR.sub("", name) == who:
            own.add(name)
        else:
            via.setdefault(who, set()).add(name)
    parts = sorted((name_of(name) for name in own), key=str.casefold)
    for who in sorted(via, key=str.casefold):
        names = sorted(via[who], key=str.casefold)
        if len(names) > MAX_CARRIERS:
            names = [*names[:MAX_CARRIERS - 1],
                     tr(f"{len(names) - MAX_CARRIERS + 1} others")]
        parts.append(f"{who}, {tr('via')} {', '.join(name_of(n) for n in names)}")
    return tr("Source:") + " " + "; ".join(parts) + "."


def name_of(name: str) -> str:
    """A source's or body's name in the chart's language: translated where the table has
    it ('US State Dept. (2008)'), else as it is (a newspaper keeps its name)."""
    try:
        return tr(name)
    except MissingTranslation:
        return name


def source_entries(source_ids: Iterable[str], sources: pd.DataFrame) -> list[dict]:
    """Every source of a chart with its originators and carrier kind (for the manifest)."""
    known = sources.set_index("source_id")
    return [{"source_id": i, "attribution": known.loc[i, "attribution_short"],
             "originators": str(known.loc[i, "originators"]).split(";"),
             "carrier_kind": known.loc[i, "carrier_kind"], "url": known.loc[i, "url"]}
            for i in sorted(set(source_ids))]


def ids_from(frame: pd.DataFrame, column: str = "source_ids") -> list[str]:
    """Source ids of the rows drawn (a column of ';'-separated ids)."""
    out: list[str] = []
    for value in frame[column].dropna():
        out += str(value).split(";")
    return out


def period_notes(data: pd.DataFrame) -> list[str]:
    """Notes required whenever a chart mixes year bases or counting units."""
    notes = []
    if "year_basis" in data and data["year_basis"].dropna().nunique() > 1:
        notes.append("US figures are fiscal years (October-September); Mexican and Central "
                     "American figures are calendar years. Each point sits at the middle of "
                     "its period.")
    if "unit" in data and data["unit"].dropna().nunique() > 1:
        notes.append("Some counts are events (a person returned twice counts twice), others "
                     "are persons; the lines are not directly comparable.")
    return notes


class ChartFigure(Figure):
    """A Figure that shows itself in JupyterLab as an image with its alt text, without
    pyplot (so nothing depends on a global backend)."""

    def savefig(self, fname, *args, **kwargs):
        """``fig.savefig("chart.svg")`` writes what ``export`` writes (text kept as text in
        SVG, fonts embedded in PDF, the PDF drawn at 200 dpi as PNG), to a path or an open
        binary file (``format=`` then names the format; PNG if not); other formats or
        options go to matplotlib, inside the house style."""
        stream = hasattr(fname, "write")
        fmt = (kwargs.get("format") or ("png" if stream else os.path.splitext(
            os.fspath(fname))[1].lstrip(".").lower()))
        if fmt in FORMATS and not args and set(kwargs) <= {"format"}:
            if stream:
                fname.write(render(self, fmt))
            else:
                with open(fname, "wb") as handle:
                    handle.write(render(self, fmt))
            return None
        with house_style():
            return super().savefig(fname, *args, **kwargs)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The chart as the exported PNG (200 dpi), shown at screen size, with its alt text.
        A report run finds the PNG its export just wrote for this very spec and language
        (the same bytes) instead of drawing it again."""
        png = _exported_png(self) or render(self, "png")
        return ({"image/png": png,
                 "text/plain": getattr(getattr(self, "usmx", None), "alt_text", repr(self))},
                {"image/png": {"width": round(self.get_figwidth() * SCREEN_DPI)}})


SCREEN_DPI = 110  # the size a chart is shown at in a notebook or report, in pixels per inch


def _exported_png(fig) -> bytes | None:
    """The PNG that the last export of this project (reports/figures/) wrote for this
    figure's very spec and language, if the stamps say it was drawn from that spec and the
    file still holds what was written; else None (the figure is drawn)."""
    import hashlib
    import json

    from usmx.charts.spec import edition_stamp
    from usmx.paths import edition_folder, project_paths

    spec = getattr(fig, "usmx_spec", None)
    if spec is None:
        return None
    lang = getattr(fig, "usmx_lang", "en")
    try:
        paths = project_paths()
        stamps = json.loads(paths.stamps.read_text(encoding="utf-8"))
        entry = stamps[f"chart:{lang}:{spec.meta.id}"]
        formats = stamps["charts"]["formats"]
        png = (edition_folder(paths.figures, lang) / f"{spec.meta.id}.png").read_bytes()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if entry.get("spec") != edition_stamp(spec, lang, formats) or \
            entry.get("png") != hashlib.sha256(png).hexdigest():
        return None
    return png


def new_figure(height_in: float, *, nrows: int = 1, ncols: int = 1, sharex: bool = False,
               sharey: bool = False, height_ratios=None):
    """A figure of the house width with a grid of axes (layout fixed later by finish())."""
    fig = ChartFigure(figsize=(WIDTH_IN, height_in))
    axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=False,
                        gridspec_kw={"height_ratios": height_ratios} if height_ratios else None)
    return fig, axes




def finish(fig: Figure, meta: ChartMeta, *, hspace: float = 0.55, wspace: float = 0.25,
           left: float = 0.09, right: float = 0.98, top_extra_in: float = 0.0) -> Figure:
    """Write title, subtitle, source line, notes and credit into the figure's pixels (in the
    language of the block, see usmx.charts.i18n), and attach the metadata as ``fig.usmx``."""
    with names(meta.names):
        meta = _translated(fig, meta)
    height_in = fig.get_figheight()
    title_pt, sub_pt, foot_pt = 12.5, 9, 7
    pad = 0.12
    title_lines = textwrap.wrap(latin1(meta.title), 72)
    sub_lines = textwrap.wrap(latin1(meta.subtitle), 105) if meta.subtitle else []
    top_in = (pad + len(title_lines) * title_pt / 72 * 1.35
              + len(sub_lines) * sub_pt / 72 * 1.35 + 0.2 + top_extra_in)
    footer = [(line, "usmx-footer") for line in textwrap.wrap(latin1(meta.source_line), WRAP)]
    for note in meta.notes:
        footer += [(line, "usmx-footer")
                   for line in textwrap.wrap(latin1(f"{tr('Note:')} {note}"), WRAP)]
    footer += [(line, "usmx-credit") for line in textwrap.wrap(tr(CREDIT), WRAP)]
    line_in = foot_pt / 72 * 1.4
    bottom_in = pad + len(footer) * line_in + 0.42
    fig.subplots_adjust(top=1 - top_in / height_in, bottom=bottom_in / height_in, left=left,
                        right=right, hspace=hspace, wspace=wspace)

    left_x = 0.012
    ypos = 1 - pad / height_in
    for line in title_lines:
        fig.text(left_x, ypos, line, ha="left", va="top", fontsize=title_pt,
                 fontweight="bold", color=INK["title"], gid="usmx-title")
        ypos -= title_pt / 72 * 1.35 / height_in
    for line in sub_lines:
        fig.text(left_x, ypos, line, ha="left", va="top", fontsize=sub_pt, color=INK["subtitle"],
                 gid="usmx-subtitle")
        ypos -= sub_pt / 72 * 1.35 / height_in
    ypos = pad / height_in
    for line, gid in reversed(footer):
        fig.text(left_x, ypos, line, ha="left", va="bottom", fontsize=foot_pt, color=INK["footer"],
                 gid=gid)
        ypos += line_in / height_in
    fig.usmx = meta
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()  # one, for both measurements
    _fit_left_margin(fig, left, renderer)
    clear_legends(fig, renderer)
    return fig


def _fit_left_margin(fig: Figure, left: float, renderer) -> None:
    """Widen the left margin when tick labels (long in some languages) would run past the
    figure's edge."""
    worded = [ax for ax in fig.axes if ax.yaxis.label.get_text() or isinstance(
        ax.yaxis.get_major_locator(), matplotlib.ticker.FixedLocator)]
    if not worded:  # numbers alone on the y axes: the house margins hold them
        return
    fig.draw_without_rendering()  # place the axis labels beside their tick labels
    edges = [label.get_window_extent(renderer).x0 for ax in worded
             for label in [*ax.get_yticklabels(), ax.yaxis.label] if label.get_text()]
    overflow = (fig.bbox.width * 0.015 - min(edges)) / fig.bbox.width if edges else 0
    if overflow > 0:
        fig.subplots_adjust(left=left + overflow)


def _translated(fig: Figure, meta: ChartMeta) -> ChartMeta:
    """The chart in the language of the block (see usmx.charts.i18n): every text already
    drawn, fixed tick labels, the metadata and the labels of the data."""
    if current() == "en":
        return meta
    done: set[int] = set()
    for text in fig.findobj(matplotlib.text.Text):
        if text.get_text() and id(text) not in done:  # each text once
            done.add(id(text))
            width = getattr(text, "usmx_wrap", None)
            if width:  # a text wrapped to a width: the translation, wrapped as wide
                text.set_text("\n".join(textwrap.wrap(
                    tr(" ".join(text.get_text().split("\n"))), width)))
            else:
                text.set_text(tr(text.get_text()))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_locator(), matplotlib.ticker.FixedLocator):
                labels = [label.get_text() for label in axis.get_majorticklabels()]
                if any(labels):
                    axis.set_ticklabels([tr(label) for label in labels])
    data = meta.data.copy()
    for column in ("panel", "label", "verdict_label"):
        if column in data.columns:
            data[column] = [value if pd.isna(value) else tr(str(value))
                            for value in data[column]]
    return dataclasses.replace(
        meta, title=tr(meta.title), subtitle=tr(meta.subtitle),
        description=tr(meta.description), alt_text=tr(meta.alt_text),
        notes=[tr(note) for note in meta.notes], data=data)


def clear_legends(fig: Figure, renderer, rounds: int = 6) -> None:
    """Raise the top of each axis until no point of a data line, and no bar top, lies
    under its legend (the layout is final by now, so the legend's place is too)."""
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None:
            continue
        for _ in range(rounds):  # a legend wider than the page (a longer language): smaller
            box = legend.get_window_extent(renderer)
            if box.x0 >= 0 and box.x1 <= fig.bbox.width:
                break
            for text in legend.get_texts():
                text.set_fontsize(text.get_fontsize() * 0.92)
        for _ in range(rounds):
            box = legend.get_window_extent(renderer)
            (x0, y0), (x1, _) = ax.transData.inverted().transform([[box.x0, box.y0],
                                                                   [box.x1, box.y1]])
            under = [y for y in _heights_between(ax, x0, x1) if y >= y0]
            if not under:
                break
            low, high = ax.get_ylim()
            share = (high - y0) / (high - low)  # of the axis height, taken by the legend
            ax.set_ylim(low, (max(under) - share * low) / (1 - share) * 1.04)


def _heights_between(ax, x0: float, x1: float):
    """The heights data reach between x0 and x1: line segments (clipped to the range, so a
    segment crossing it counts even when its points lie outside) and bar tops."""
    for line in ax.get_lines():
        if line.get_transform() != ax.transData:
            continue  # vertical marks drawn in axis coordinates
        points = [(float(x), float(y)) for x, y in zip(line.get_xdata(), line.get_ydata(),
                                                       strict=True)]
        pairs = list(itertools.pairwise(points)) or [(point, point) for point in points]
        for (xa, ya), (xb, yb) in pairs:
            if ya != ya or yb != yb:  # a gap (NaN) breaks the line
                for x, y in ((xa, ya), (xb, yb)):
                    if y == y and x0 <= x <= x1:
                        yield y
                continue
            lo, hi = max(min(xa, xb), x0), min(max(xa, xb), x1)
            if lo > hi:
                continue
            for x in (lo, hi):
                yield ya if xa == xb else ya + (yb - ya) * (x - xa) / (xb - xa)
    for patch in ax.patches:
        if (hasattr(patch, "get_height") and patch.get_height() == patch.get_height()
                and patch.get_x() <= x1 and patch.get_x() + patch.get_width() >= x0):
            yield patch.get_y() + patch.get_height()



def year_position(year: int, basis: str) -> float:
    """Where a year's value sits on a continuous time axis (x = N is 1 January of year N):
    the middle of the period, so fiscal and calendar years are not silently aligned."""
    return year + (0.25 if basis == "us_fiscal" else 0.5)


YEAR_LABEL_IN = 0.42  # the width a year label needs, with the space beside it (inches)


def year_axis(ax, first: int, last: int) -> None:
    ax.set_xlim(first, last + 1)
    # Every other year is labelled, from the first; on a narrow panel every third, fourth
    # or fifth, so that labels never touch. The ticks have no length, so the years between
    # get none (an empty tick still costs its drawing in every format).
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    years = last - first + 1
    step = next((n for n in (2, 3, 4, 5) if -(-years // n) * YEAR_LABEL_IN <= width_in), 5)
    labelled = range(first, last + 1, step)
    ax.set_xticks([y + 0.5 for y in labelled])
    ax.set_xticklabels([str(y) for y in labelled])
    ax.tick_params(axis="x", length=0)
    ax.vlines(range(first, last + 2), 0, 1, transform=ax.get_xaxis_transform(),
              colors=INK["boundary"], linewidth=0.6, zorder=0)  # year boundaries, one artist


def thousands(ax) -> None:
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
