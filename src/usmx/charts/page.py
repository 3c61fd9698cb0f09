"""The page of a chart: the Figure that carries its metadata, the page furniture (title,
subtitle, source line, notes, credit) written from that metadata, the margins and legends
fitted to what was drawn, and the year and value axes. It holds no chart wording: every
text comes from the spec (usmx.charts.spec), already in the chart's language."""

from __future__ import annotations

import itertools
import os
import textwrap

import matplotlib as mpl
import matplotlib.ticker
from matplotlib.figure import Figure

from usmx.charts.render import FORMATS, render
from usmx.charts.spec import ChartMeta
from usmx.charts.theme import INK, WIDTH_IN, WRAP, house_style, latin1


class ChartFigure(Figure):
    """A chart's Figure: it knows the chart's metadata (``meta``: title, alt text, notes,
    the rows drawn), writes the files the export writes, and shows itself in JupyterLab as
    that PNG with its alt text, without pyplot (so nothing depends on a global backend)."""

    def __init__(self, meta: ChartMeta, **kwargs):
        super().__init__(**kwargs)
        self.meta = meta

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
                fname.write(render(self, fmt, self.meta))
            else:
                with open(fname, "wb") as handle:
                    handle.write(render(self, fmt, self.meta))
            return None
        with house_style():
            return super().savefig(fname, *args, **kwargs)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """The chart as the exported PNG (200 dpi), shown at screen size, with its alt text."""
        return ({"image/png": render(self, "png", self.meta), "text/plain": self.meta.alt_text},
                {"image/png": {"width": round(self.get_figwidth() * SCREEN_DPI)}})


SCREEN_DPI = 110  # the size a chart is shown at in a notebook or report, in pixels per inch


def new_figure(meta: ChartMeta, height_in: float, *, nrows: int = 1, ncols: int = 1,
               sharex: bool = False, sharey: bool = False, height_ratios=None):
    """A figure of the house width with a grid of axes (layout fixed later by finish())."""
    fig = ChartFigure(meta, figsize=(WIDTH_IN, height_in))
    axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=False,
                        gridspec_kw={"height_ratios": height_ratios} if height_ratios else None)
    return fig, axes




def finish(fig: ChartFigure, *, hspace: float = 0.55, wspace: float = 0.25,
           left: float = 0.09, right: float = 0.98, top_extra_in: float = 0.0) -> Figure:
    """Write the title, subtitle and two footer lines of ``fig.meta`` (already in the
    chart's language: who counted; where the notes and every source are, and the credit)
    into the figure's pixels, and fit the margins and legends."""
    meta = fig.meta
    height_in = fig.get_figheight()
    title_pt, sub_pt, foot_pt = 12.5, 9, 7
    pad = 0.12
    title_lines = textwrap.wrap(latin1(meta.title), 72)
    sub_lines = textwrap.wrap(latin1(meta.subtitle), 105) if meta.subtitle else []
    top_in = (pad + len(title_lines) * title_pt / 72 * 1.35
              + len(sub_lines) * sub_pt / 72 * 1.35 + 0.2 + top_extra_in)
    # two lines: who counted, and where the notes and every source are (the notes are
    # not drawn: they are on the chart's methodology page, in its manifest entry)
    footer = [(line, "usmx-footer") for line in textwrap.wrap(latin1(meta.footer_source),
                                                               WRAP)]
    footer += [(line, "usmx-credit") for line in textwrap.wrap(latin1(
        f"{meta.notes_label} {meta.methodology} · {meta.credit}"), WRAP)]
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



YEAR_LABEL_IN = 0.42  # the width a year label needs, with the space beside it (inches)


def year_axis(ax, first: int, last: int, start: float = 0.0, label: str = "{}") -> None:
    """A year axis from ``first`` to ``last``: a band per year, from ``start`` (in years:
    -0.25 for US fiscal years, which begin in October) with a label in its middle written
    as ``label`` says ('FY{}'), every other year or sparser on a narrow panel."""
    ax.set_xlim(first + start, last + 1 + start)
    # Every other year is labelled, from the first; on a narrow panel every third, fourth
    # or fifth, so that labels never touch. The ticks have no length, so the years between
    # get none (an empty tick still costs its drawing in every format).
    width_in = ax.get_position().width * ax.figure.get_figwidth()
    years = last - first + 1
    each_in = YEAR_LABEL_IN * max(1.0, len(label.format(first)) / 4)
    step = next((n for n in (2, 3, 4, 5) if -(-years // n) * each_in <= width_in), 5)
    labelled = range(first, last + 1, step)
    ax.set_xticks([y + start + 0.5 for y in labelled])
    ax.set_xticklabels([label.format(y) for y in labelled])
    ax.tick_params(axis="x", length=0)
    ax.vlines([y + start for y in range(first, last + 2)], 0, 1,
              transform=ax.get_xaxis_transform(), colors=INK["boundary"], linewidth=0.6,
              zorder=0)  # year boundaries, one artist


def thousands(ax) -> None:
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
