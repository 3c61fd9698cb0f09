"""Text measured once per process, for every renderer that draws our charts.

Matplotlib measures a text again for each renderer it meets: the layout pass, then the
SVG, the PDF and the PNG of one figure each measure every label anew (its cache is keyed by
the renderer object). With unhinted text (the house style) a text's size is the same
outline at any resolution, so :func:`shared_metrics` measures it once, in points, the way
matplotlib's PDF backend does, and scales that to each renderer's pixels.

The result depends only on the text and its font properties (a pure function, cached per
process), so the files stay byte-identical whatever order the charts are drawn in.
Mathematical and TeX text, and renderers other than Agg, PDF and SVG, are measured by
matplotlib as before. Imports nothing from usmx.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

import matplotlib as mpl
import matplotlib.text
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.font_manager import fontManager, get_font
from matplotlib.ft2font import LoadFlags

_ORIGINAL = getattr(matplotlib.text, "_get_text_metrics_with_cache", None)


@functools.cache  # (asked for every text a PDF or SVG measures)
def _vector_renderers() -> tuple[type, ...]:
    from matplotlib.backends.backend_pdf import RendererPdf
    from matplotlib.backends.backend_svg import RendererSVG

    return RendererPdf, RendererSVG


# The settings that decide which font files a FontProperties resolves to, and how FreeType
# sizes them: part of every measurement's key, so that a measurement depends on nothing else.
_FONT_RC = ("font.serif", "font.sans-serif", "font.cursive", "font.fantasy",
            "font.monospace", "font.enable_last_resort", "text.hinting_factor",
            "text.kerning_factor")
_MEASURED: dict[tuple, tuple[float, float, float]] = {}
_OPEN: list[tuple] = []  # the font settings of each open shared_metrics() block


def _font_rc() -> tuple:
    return tuple(tuple(v) if isinstance(v, list) else v
                 for v in (mpl.rcParams[key] for key in _FONT_RC))


def points(text: str, prop, rc: tuple | None = None) -> tuple[float, float, float]:
    """Width, height and descent of one line of plain text in the font ``prop`` resolves to,
    in points, unhinted (as the PDF backend measures it); ``rc``: the font settings in
    force (default: read now)."""
    key = (text, prop.get_size_in_points(), tuple(prop.get_family()), prop.get_style(),
           prop.get_variant(), prop.get_weight(), prop.get_stretch(), prop.get_file(),
           _font_rc() if rc is None else rc)
    found = _MEASURED.get(key)
    if found is None:
        if len(_MEASURED) > 100_000:  # a long session: start again rather than grow
            _MEASURED.clear()
        font = get_font(fontManager._find_fonts_by_props(prop))
        font.clear()
        font.set_size(prop.get_size_in_points(), 72)
        font.set_text(text, 0.0, flags=LoadFlags.NO_HINTING)
        width, height = font.get_width_height()
        found = _MEASURED[key] = (width / 64.0, height / 64.0, font.get_descent() / 64.0)
    return found


def _scale(renderer) -> float | None:
    """Display units per point for the renderers measured here, else None."""
    inner = renderer._renderer if isinstance(renderer, MixedModeRenderer) else renderer
    if type(inner) is RendererAgg:
        return inner.dpi / 72.0
    if isinstance(inner, _vector_renderers()):
        return 1.0
    return None


def _metrics(renderer, text, fontprop, ismath, dpi):
    scale = None if ismath else _scale(renderer)
    if scale is None:
        return _ORIGINAL(renderer, text, fontprop, ismath, dpi)
    width, height, descent = points(text, fontprop, _OPEN[-1])
    return width * scale, height * scale, descent * scale


@contextlib.contextmanager
def shared_metrics() -> Iterator[None]:
    """Measure text with :func:`points` for the duration of the block (nestable); where this
    matplotlib has no such hook, change nothing."""
    if _ORIGINAL is None:
        yield
        return
    before = matplotlib.text._get_text_metrics_with_cache
    matplotlib.text._get_text_metrics_with_cache = _metrics
    _OPEN.append(_font_rc())  # the block's settings (the house style's, in usmx)
    try:
        yield
    finally:
        _OPEN.pop()
        matplotlib.text._get_text_metrics_with_cache = before
