"""The drawers: any chart spec (``usmx.charts.spec``) to a Figure.

The spec is first translated into the edition's language (``spec.translated``); then
three kinds of mark are drawn (lines, bars and texts; a dot is a line of one point), plus
rules across a panel, the scales and the legends; ``page.finish`` writes the page
furniture (title, subtitle, source line, notes, credit). Nothing here knows which chart it
draws or holds a word of it.
"""

from __future__ import annotations

import textwrap

import matplotlib.text
import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from usmx.charts.i18n import current
from usmx.charts.page import ChartFigure, finish, new_figure, thousands, year_axis
from usmx.charts.spec import (
    Bar,
    ChartSpec,
    Key,
    Legend,
    Line,
    Look,
    Panel,
    Text,
    translated,
)
from usmx.charts.theme import INK, color_of, house_style


def draw(spec: ChartSpec, lang: str | None = None) -> ChartFigure:
    """The Figure of a spec in language ``lang`` (default: that of the block, see
    usmx.charts.i18n): the spec is translated first, then drawn; ``fig.meta`` is its
    metadata."""
    spec = translated(spec, lang or current())
    with house_style():
        fig, axes = new_figure(spec.meta, spec.height_in, nrows=spec.nrows, ncols=spec.ncols,
                               sharex=spec.sharex,
                               height_ratios=list(spec.height_ratios)
                               if spec.height_ratios else None)
        flat = list(axes.ravel())
        for ax, panel in zip(flat, spec.panels, strict=True):
            _panel(ax, panel)
        if spec.xlim is not None:
            flat[0].set_xlim(*spec.xlim)
        _shared_scales(flat, spec.panels)
        for ax, panel in zip(flat, spec.panels, strict=True):
            if panel.legend is not None and panel.legend.entries == "figure":
                _figure_legend(ax, flat, panel.legend)
        finish(fig, **spec.layout)
        renderer = fig.canvas.get_renderer()  # the layout is final by now
        for ax in flat:
            _rule_labels_inside(ax, renderer)
        if any(panel.small for panel in spec.panels):
            for ax, panel in zip(flat, spec.panels, strict=True):
                _small_labels(ax, panel, renderer)
        for text in fig.findobj(matplotlib.text.Text):  # text stays plain to search, edit
            text.set_fontfeatures(["-liga"])
        return fig


def _mark(ax, mark) -> None:
    if isinstance(mark, Line):
        extra = {key: value for key, value in (
            ("label", mark.label), ("linewidth", mark.width), ("markersize", mark.markersize),
            ("zorder", mark.zorder), ("solid_capstyle", mark.capstyle)) if value is not None}
        ax.plot(np.array(mark.xs, dtype=float), np.array(mark.ys, dtype=float),
                linestyle=mark.style, marker=mark.marker, color=color_of(mark.color),
                gid=mark.gid if mark.gid is not None else mark.label, **extra)
    elif isinstance(mark, Bar):
        ax.bar(mark.x, mark.height, bottom=mark.bottom, width=mark.width, gid=mark.gid,
               **_look(mark))
    elif isinstance(mark, Text):
        extra = {} if mark.color is None else {"color": color_of(mark.color)}
        text = "\n".join(textwrap.wrap(mark.text, mark.wrap)) if mark.wrap else mark.text
        ax.text(mark.x, mark.y, text, ha=mark.ha, va=mark.va, fontsize=mark.size,
                gid=mark.gid, **extra)
    else:
        raise TypeError(f"no drawer for {type(mark).__name__}")


def _panel(ax, panel: Panel) -> None:
    if panel.off:
        ax.axis("off")
        return
    for mark in panel.marks:
        _mark(ax, mark)
    if panel.title:
        ax.set_title(panel.title, **({} if panel.title_pad is None else
                                     {"pad": panel.title_pad}))
    if panel.years is not None:
        year_axis(ax, *panel.years, panel.year_start, panel.year_label)
    if panel.xlim is not None:
        ax.set_xlim(*panel.xlim)
    if panel.xticks is not None:
        ax.set_xticks([x for x, _ in panel.xticks])
        ax.set_xticklabels([label for _, label in panel.xticks])
        ax.tick_params(axis="x", length=0)
    if panel.xlabel:
        ax.set_xlabel(panel.xlabel)
    if panel.ylabel:
        ax.set_ylabel(panel.ylabel)
    scale = panel.scale
    if scale.thousands:
        thousands(ax)
    if scale.limits is not None:
        ax.set_ylim(*scale.limits)
    elif scale.headroom is not None:
        ax.set_ylim(bottom=scale.bottom, top=ax.get_ylim()[1] * scale.headroom)
    elif scale.bottom is not None:
        ax.set_ylim(bottom=scale.bottom)
    for rule in panel.rules:
        ax.axvline(rule.x, color=color_of(rule.color), linewidth=rule.width,
                   linestyle=rule.style,
                   **({} if rule.zorder is None else {"zorder": rule.zorder}))
        if rule.label:
            right = rule.label_side == "right"
            ax.annotate(rule.label, xy=(rule.x, 1), xycoords=("data", "axes fraction"),
                        xytext=(4 if right else -4, -2), textcoords="offset points",
                        ha="left" if right else "right", va="top", fontsize=7,
                        color=INK["note"], gid="rule-label")
    if panel.legend is not None and panel.legend.entries != "figure":
        _legend(ax, panel.legend)
    if panel.headline:
        ax.text(0, 1.015, panel.headline, transform=ax.transAxes, ha="left", va="bottom",
                fontsize=7.5, color=INK["note"], gid=f"comparison-{panel.title}")


def _rule_labels_inside(ax, renderer) -> None:
    """A rule's label that would run out of its panel (over the tick labels, or past the
    page) or under the legend goes to the other side of the rule, or on more lines, or
    at last to the foot of the rule."""
    inside = ax.bbox
    legend = ax.get_legend()
    keep_off = [legend.get_window_extent(renderer)] if legend is not None else []

    def out(label) -> float:
        box = label.get_window_extent(renderer)
        return (max(inside.x0 - box.x0, 0) + max(box.x1 - inside.x1, 0)
                + sum(_overlap(box, other) for other in keep_off))

    for label in ax.texts:
        if label.get_gid() != "rule-label" or not out(label):
            continue
        first = (label.get_text(), label.xyann, label.get_horizontalalignment())
        words, lines = " ".join(label.get_text().split()), label.get_text().count("\n") + 1
        for extra in range(3):
            if extra:  # neither side holds it: one line more
                label.set_text("\n".join(_in_lines(words, lines + extra)))
            here = out(label)
            if not here:
                break
            _flip(label)
            if out(label) > here:  # this side was better
                _flip(label)
            if not out(label):
                break
        if out(label):  # as it was, at the foot of the rule, on the side with room
            label.set_text(first[0])
            label.set_horizontalalignment(first[2])
            label.xy, label.xyann = (label.xy[0], 0), (first[1][0], 2)
            label.set_verticalalignment("bottom")
            here = out(label)
            _flip(label)
            if out(label) > here:
                _flip(label)


def _in_lines(words: str, lines: int) -> list[str]:
    """``words`` wrapped as narrow as they go in ``lines`` lines (no word broken)."""
    width = -(-len(words) // lines)
    while len(textwrap.wrap(words, width)) > lines:
        width += 1
    return textwrap.wrap(words, width)


def _flip(label) -> None:
    """A rule label to the other side of its rule."""
    dx, dy = label.xyann
    label.xyann = (-dx, dy)
    label.set_horizontalalignment("left" if dx < 0 else "right")


def _legend_options(legend: Legend) -> dict:
    """The matplotlib options a Legend spec sets (matplotlib's defaults for the others)."""
    options = {key: value for key, value in (
        ("fontsize", legend.fontsize), ("labelspacing", legend.labelspacing),
        ("borderaxespad", legend.borderaxespad)) if value is not None}
    if legend.ncols != 1:
        options["ncols"] = legend.ncols
    return options


def _legend(ax, legend: Legend) -> None:
    options = _legend_options(legend)
    if legend.entries is None:
        ax.legend(loc=legend.loc, **options)
    else:
        ax.legend(handles=[_key(key) for key in legend.entries], loc=legend.loc, **options)


def _look(look: Look) -> dict:
    """The matplotlib options of a box's look (those it sets)."""
    options = {key: value for key, value in (
        ("facecolor", look.facecolor and color_of(look.facecolor)),
        ("edgecolor", look.edgecolor and color_of(look.edgecolor)),
        ("hatch", look.hatch), ("linestyle", look.linestyle),
        ("linewidth", look.linewidth)) if value is not None}
    if not look.fill:
        options["fill"] = False
    return options


def _key(key: Key):
    """A legend handle for a :class:`Key` of the spec."""
    if key.kind == "line":
        extra = {name: value for name, value in (
            ("linestyle", key.linestyle), ("linewidth", key.linewidth),
            ("marker", key.marker), ("markersize", key.markersize)) if value is not None}
        return Line2D([], [], color=color_of(key.facecolor or "ink:key_line"),
                      label=key.label, **extra)
    return Patch(label=key.label, **_look(key))


def _shared_scales(axes, panels) -> None:
    """Panels of one group end at the highest top among them."""
    groups: dict[str, list] = {}
    for ax, panel in zip(axes, panels, strict=True):
        if panel.scale.shared and not panel.off:
            groups.setdefault(panel.scale.shared, []).append(ax)
    for members in groups.values():
        top = max(ax.get_ylim()[1] for ax in members)
        for ax in members:
            ax.set_ylim(0, top)


# Where a value label may go, in points from its point, in order of preference: above,
# below, right, left, then further out.
_LABEL_SPOTS = ((0, 4, "center", "bottom"), (0, -5, "center", "top"),
                (5, 0, "left", "center"), (-5, 0, "right", "center"),
                (4, 9, "left", "bottom"), (-4, 9, "right", "bottom"),
                (4, -10, "left", "top"), (-4, -10, "right", "top"),
                (0, 15, "center", "bottom"), (0, -16, "center", "top"))


# A paper-coloured ground under a value label, so a rule or grid line behind it does not
# cut the digits.
_HALO = {"boxstyle": "square,pad=0.1", "facecolor": INK["paper"], "edgecolor": "none",
         "alpha": 0.85}


def _overlap(one, other) -> float:
    width = min(one.x1, other.x1) - max(one.x0, other.x0)
    height = min(one.y1, other.y1) - max(one.y0, other.y0)
    return width * height if width > 0 and height > 0 else 0.0


def _marker_boxes(ax) -> list:
    """A box around every data point drawn in the panel (display coordinates)."""
    from matplotlib.transforms import Bbox

    boxes = []
    for line in ax.get_lines():
        if line.get_transform() != ax.transData or line.get_marker() in (None, "None", ""):
            continue
        half = line.get_markersize() * ax.figure.dpi / 72 / 2 + 1
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
            if y == y:
                px, py = ax.transData.transform((float(x), float(y)))
                boxes.append(((float(x), float(y)),
                              Bbox.from_extents(px - half, py - half, px + half, py + half)))
    return boxes


def _small_labels(ax, panel: Panel, renderer) -> None:
    """Write the values of each line that sits near zero, so that it can be read; each
    label goes to the first spot around its point where it covers no other label, no
    data point, rule, tick label or legend (else where it covers least)."""
    from matplotlib.transforms import Bbox

    share = panel.scale.small_share
    if share is None:
        return
    top = ax.get_ylim()[1]
    markers = _marker_boxes(ax)
    legend = ax.get_legend()
    blocked = [legend.get_window_extent(renderer)] if legend is not None else []
    blocked += [tick.get_window_extent(renderer) for tick in
                [*ax.get_xticklabels(), *ax.get_yticklabels()] if tick.get_text()]
    for line in ax.get_lines():  # rules across the panel (a dated event)
        if line.get_transform() != ax.transData and len(line.get_xdata()):
            px = ax.transData.transform((float(line.get_xdata()[0]), 0))[0]
            blocked.append(Bbox.from_extents(px - 1.5, ax.bbox.y0, px + 1.5, ax.bbox.y1))
    for labels in panel.small:
        if not labels.points or max(v for _, v, _ in labels.points) >= share * top:
            continue
        for xpos, value, gid in labels.points:
            others = blocked + [box for point, box in markers if point != (xpos, value)]
            best = None
            for dx, dy, ha, va in _LABEL_SPOTS:
                label = ax.annotate(f"{int(value):,}", (xpos, value), xytext=(dx, dy),
                                    textcoords="offset points", ha=ha, va=va,
                                    fontsize=5.8, color=color_of(labels.color), gid=gid,
                                    bbox=_HALO)
                box = label.get_window_extent(renderer)
                covered = sum(_overlap(box, other) for other in others)
                if best is not None and covered >= best[0]:
                    label.remove()
                    continue
                if best is not None:
                    best[1].remove()
                best = (covered, label, box)
                if covered == 0:
                    break
            blocked.append(best[2])


def _figure_legend(ax, axes, legend: Legend) -> None:
    """One legend for the chart: the first line of each label, across every panel."""
    handles: dict = {}
    for other in axes:
        for line in other.get_lines():
            label = line.get_label()
            if label and not label.startswith("_") and line.get_gid() == label:
                handles.setdefault(label, line)
    labels = ["\n".join(textwrap.wrap(k, legend.wrap)) if legend.wrap else k
              for k in handles]
    ax.legend(list(handles.values()), labels, loc=legend.loc, **_legend_options(legend))


