"""Export charts for publication: SVG (text kept as text), PDF (embedded TrueType), PNG
(200 dpi), the CSV of the exact data drawn, and a manifest. Byte-identical from run to run."""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
from pathlib import Path

import matplotlib as mpl
import matplotlib.text
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from usmx.charts.style import house_style
from usmx.rawio import csv_bytes, write_atomic

FORMATS = ("svg", "pdf", "png")


def prepare(fig: Figure) -> None:
    """Once per figure: turn ligatures off in every text the chart wrote (titles, labels,
    legends, notes), so that exported text stays plain to search and edit. Tick labels,
    made at draw time, hold only numbers and codes."""
    if getattr(fig, "_usmx_prepared", False):
        return
    FigureCanvasAgg(fig)
    for text in fig.findobj(matplotlib.text.Text):
        text.set_fontfeatures(["-liga"])
    fig._usmx_prepared = True


def _lean_subset(fontfile, glyphs):
    """Subset a TrueType font for PDF embedding without its layout tables (GSUB, GPOS,
    GDEF, kern): the PDF already holds each glyph's position, so they are dead weight, and
    dropping them makes subsetting about four times faster."""
    from fontTools import subset
    from matplotlib.backends import _backend_pdf_ps

    options = subset.Options(glyph_names=True, recommended_glyphs=True, layout_features=[])
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    options.font_number = fontfile.face_index
    font = subset.load_font(fontfile, options)
    for tag in ("GSUB", "GPOS", "GDEF", "kern"):  # delete unread: the subsetter would parse
        if tag in font:                            # them only to drop them
            del font[tag]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=glyphs)
    subsetter.subset(font)
    return _backend_pdf_ps.SubsetResults(font, subsetter.glyph_index_map)._as_cm()


def _pdf_fonts():
    """Use the lean subsetter where this matplotlib exposes the hook, else change nothing."""
    from matplotlib.backends import _backend_pdf_ps

    if hasattr(_backend_pdf_ps, "get_glyphs_subset") and hasattr(_backend_pdf_ps,
                                                                  "SubsetResults"):
        return _swapped(_backend_pdf_ps, "get_glyphs_subset", _lean_subset)
    return contextlib.nullcontext()


@contextlib.contextmanager
def _swapped(owner, name: str, value):
    """Set ``owner.name`` to ``value`` for the duration (unittest.mock costs an asyncio
    import, a tenth of the import floor)."""
    old = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, old)


def render(fig: Figure, fmt: str, dpi: int = 200) -> bytes:
    """One figure as bytes in ``fmt``, with fixed metadata (no dates, no software tags)."""
    meta = fig.usmx
    metadata = {
        "svg": {"Title": meta.title, "Description": meta.alt_text, "Source": meta.source_line,
                "Date": None, "Creator": "usmx"},
        "pdf": {"Title": meta.title, "Subject": meta.alt_text, "Creator": "usmx",
                "Producer": "usmx", "CreationDate": None},
        "png": {"Title": meta.title, "Description": meta.alt_text, "Source": meta.source_line,
                "Software": None},
    }[fmt]
    prepare(fig)
    buf = io.BytesIO()
    fonts = _pdf_fonts() if fmt == "pdf" else contextlib.nullcontext()
    with house_style(), mpl.rc_context({"svg.hashsalt": f"usmx-{meta.id}"}), fonts:
        extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=dpi, **extra)
    return buf.getvalue()


def manifest_entry(fig: Figure) -> dict:
    meta = fig.usmx
    return {
        "id": meta.id, "title": meta.title, "subtitle": meta.subtitle,
        "description": meta.description, "alt_text": meta.alt_text,
        "source_line": meta.source_line, "sources": meta.source_ids, "notes": meta.notes,
        "files": {fmt: f"{meta.id}.{fmt}" for fmt in (*FORMATS, "csv")},
    }


_JOB: dict = {}
# Charts from slowest to fastest to draw (measured), so that the workers of a parallel run
# finish together (longest-processing-time-first scheduling).
_SLOW_FIRST = ("child-deportations", "funding-vs-child-deportations", "mexico-vs-us",
               "claims-scoreboard", "merida-by-account", "uac-apprehensions")


def chart_files(fig: Figure, outdir: Path) -> dict[Path, bytes]:
    meta = fig.usmx
    files = {outdir / f"{meta.id}.{fmt}": render(fig, fmt) for fmt in FORMATS}
    files[outdir / f"{meta.id}.csv"] = csv_bytes(meta.data)
    return files


def _chart_job(name: str) -> tuple[dict[Path, bytes], dict]:
    from usmx.charts.figures import CHARTS

    fig = CHARTS[name](_JOB["tables"])
    return chart_files(fig, _JOB["outdir"]), manifest_entry(fig)


def export_all(tables, outdir: Path, names=None) -> list[Path]:
    """Draw every chart (or those in ``names``) and write its files and the manifest into
    ``outdir`` atomically. Charts are drawn in parallel where the platform can fork."""
    from usmx.charts.figures import CHARTS

    names = list(names or CHARTS)
    _JOB.update(tables=tables, outdir=Path(outdir))
    rank = {name: i for i, name in enumerate(_SLOW_FIRST)}
    order = sorted(names, key=lambda n: (rank.get(n, -1), names.index(n)))
    workers = min(len(names), os.cpu_count() or 1)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = dict(zip(order, pool.map(_chart_job, order, chunksize=1), strict=True))
    else:
        done = {name: _chart_job(name) for name in order}
    files: dict[Path, bytes] = {}
    for name in names:
        files.update(done[name][0])
    entries = [done[name][1] for name in names]
    files[Path(outdir) / "manifest.json"] = (
        json.dumps(entries, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return write_atomic(files)
