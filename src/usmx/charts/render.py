"""Rendering for publication: SVG (text kept as text), PDF (embedded TrueType), PNG
(the PDF rasterized at 200 dpi), the CSV of the exact data drawn, and a manifest.
Byte-identical from run to run."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import struct
import zlib
from pathlib import Path

import matplotlib as mpl
import matplotlib.text
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from usmx.charts.theme import house_style

FORMATS = ("svg", "pdf", "png")


def import_renderers() -> None:
    """Import what writing SVG, PDF and PNG needs (matplotlib's vector backends, fontTools'
    subsetter, PDFium): about 0.2 s, paid once in a process that forks workers afterwards,
    instead of once in every worker."""
    import fontTools.subset  # noqa: F401
    import matplotlib.backends.backend_pdf
    import matplotlib.backends.backend_svg  # noqa: F401
    import pypdfium2  # noqa: F401


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


_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "kern")


def _subset_options(**extra):
    from fontTools import subset

    options = subset.Options(glyph_names=True, recommended_glyphs=True, layout_features=[],
                             **extra)
    options.drop_tables += [*_LAYOUT_TABLES, "FFTM"]
    return options


def _subset(font, gids, options) -> dict[int, int]:
    """Reduce ``font`` in place to the glyphs ``gids``; the map from their ids to the
    subset's."""
    from fontTools import subset

    subsetter = subset.Subsetter(options=options)
    subsetter.populate(gids=gids)
    subsetter.subset(font)
    return subsetter.glyph_index_map


def _load_font(source, options):
    """A font for subsetting, its layout tables deleted unread (the subsetter would parse
    them only to drop them)."""
    from fontTools import subset

    font = subset.load_font(source, options)
    for tag in _LAYOUT_TABLES:
        if tag in font:
            del font[tag]
    return font


# Characters the charts can draw: Latin-1 (the texts are kept to it, see style.latin1) plus
# the punctuation and mathematical blocks (tick labels may use the minus sign U+2212).
_LEAN_RANGES = ((0x20, 0x24F), (0x2000, 0x206F), (0x2200, 0x22FF))


@functools.lru_cache(maxsize=16)
def _font_digest(path: str, size: int, mtime_ns: int) -> str:
    """The digest of a font file's bytes (once per file and version of it)."""
    import hashlib

    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def _lean_source(fontfile) -> tuple[io.BytesIO, dict[int, int], str] | None:
    """A copy of ``fontfile`` reduced to the glyphs of _LEAN_RANGES, without layout tables,
    the map from the font's glyph ids to the copy's, and the copy's key in the cache; None
    if the font cannot be read.
    Reading the full font (a large cmap, thousands of glyphs) dominated every PDF export, so
    the copy is cached in matplotlib's cache directory and then read in a few milliseconds.
    The cache only saves time: when it cannot be written the copy is made in memory, so
    the PDF's bytes never depend on the state of the cache."""
    import hashlib

    import fontTools

    try:
        st = os.stat(fontfile)
        # keyed by the font's bytes, so every copy of one font (a new environment, a
        # fresh clone) shares one entry instead of adding its own
        ident = f"{_font_digest(os.fspath(fontfile), st.st_size, st.st_mtime_ns)}|" \
                f"{fontfile.face_index}|{fontTools.version}|{_LEAN_RANGES}"
        digest = hashlib.sha256(ident.encode()).hexdigest()[:20]
        folder = Path(mpl.get_cachedir()) / "usmx-lean-fonts"
        path, kept = folder / f"{digest}.ttf", folder / f"{digest}.json"
        with contextlib.suppress(OSError, ValueError):
            if path.exists() and kept.exists():
                return (io.BytesIO(path.read_bytes()), dict(json.loads(kept.read_text())),
                        digest)
        options = _subset_options(notdef_outline=True)
        options.font_number = fontfile.face_index
        font = _load_font(fontfile, options)
        cmap = font.getBestCmap()
        order = font.getGlyphOrder()
        gids = sorted({order.index(name) for cp, name in cmap.items()
                       if any(lo <= cp <= hi for lo, hi in _LEAN_RANGES)} | {0})
        mapping = sorted(_subset(font, gids, options).items())
        buf = io.BytesIO()
        font.save(buf)
        # Forked chart workers may make the copy at the same moment: each writes its own
        # temporaries and renames them into place, the map before the font, so a reader
        # that sees both files sees whole files (identical from any writer).
        with contextlib.suppress(OSError):
            _replace_into(kept, json.dumps(mapping).encode())
            _replace_into(path, buf.getvalue())
        return io.BytesIO(buf.getvalue()), dict(mapping), digest
    except (OSError, ValueError, KeyError, AttributeError):
        return None


def _replace_into(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary of this process's own (safe when
    several processes write the same file at once)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _lean_subset(fontfile, glyphs):
    """Subset a TrueType font for PDF embedding without its layout tables (GSUB, GPOS,
    GDEF, kern): the PDF already holds each glyph's position, so they are dead weight.
    Reads the cached lean copy of the font when it holds every glyph asked for, and keeps
    each subset made from it in the cache too (a chart's glyphs change rarely between
    exports). Cached or not, matplotlib gets the subset read back from its bytes, so the PDF
    is the same either way."""
    import hashlib

    from fontTools.ttLib import TTFont
    from matplotlib.backends import _backend_pdf_ps

    glyphs = set(glyphs)
    options = _subset_options()
    lean = _lean_source(fontfile)
    if lean is None or not glyphs <= lean[1].keys():  # a glyph beyond the lean copy
        options.font_number = fontfile.face_index
        font = _load_font(fontfile, options)
        return _backend_pdf_ps.SubsetResults(font, _subset(font, glyphs, options))._as_cm()
    source, to_lean, lean_key = lean
    folder = Path(mpl.get_cachedir()) / "usmx-lean-fonts" / "subsets"
    path = folder / (hashlib.sha256(  # (the lean copy's key names the fontTools version)
        f"{lean_key}|{_SUBSET_RECIPE}|{sorted(glyphs)}".encode()).hexdigest()[:24] + ".bin")
    found = _read_subset(path)
    if found is None:
        font = _load_font(source, options)
        index = _subset(font, {to_lean[g] for g in glyphs}, options)
        # the font's glyph ids -> the copy's -> the subset's
        index = {g: index[lg] for g, lg in to_lean.items() if lg in index}
        buf = io.BytesIO()
        font.save(buf, reorderTables=False)
        found = buf.getvalue(), index
        _write_subset(path, *found)
    data, index = found
    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)  # as saved
    return _backend_pdf_ps.SubsetResults(font, index)._as_cm()


_SUBSETS_KEPT = 400  # subsets in the cache (about 10 MB); the oldest go first
_SUBSET_RECIPE = 1  # part of a cached subset's key: raise it when _subset_options changes


def _read_subset(path: Path) -> tuple[bytes, dict[int, int]] | None:
    """A cached subset: its font bytes and glyph map, or None (absent or unreadable)."""
    try:
        raw = path.read_bytes()
        size = int.from_bytes(raw[:4], "big")
        index = {int(k): v for k, v in json.loads(raw[4:4 + size]).items()}
        return raw[4 + size:], index
    except (OSError, ValueError):
        return None


def _write_subset(path: Path, data: bytes, index: dict[int, int]) -> None:
    """Keep a subset in the cache (best effort: the cache only saves time)."""
    header = json.dumps({str(k): v for k, v in sorted(index.items())}).encode()
    with contextlib.suppress(OSError):
        _replace_into(path, len(header).to_bytes(4, "big") + header + data)
        kept = sorted(path.parent.glob("*.bin"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-_SUBSETS_KEPT]:
            old.unlink()


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


def render(fig: Figure, fmt: str, dpi: int = 200, *, pdf: bytes | None = None) -> bytes:
    """One figure as bytes in ``fmt``, with fixed metadata (no dates, no software tags).
    The PNG is the PDF rasterized (``pdf``: that figure's PDF, when it is already made), so
    the two show the same drawing."""
    meta = fig.usmx
    metadata = {
        "svg": {"Title": meta.title, "Description": meta.alt_text, "Source": meta.source_line,
                "Date": None, "Creator": "usmx"},
        "pdf": {"Title": meta.title, "Subject": meta.alt_text, "Creator": "usmx",
                "Producer": "usmx", "CreationDate": None},
        "png": {"Title": meta.title, "Description": meta.alt_text, "Source": meta.source_line,
                "Software": None},
    }[fmt]
    if fmt == "png":
        size = (round(fig.get_figwidth() * dpi), round(fig.get_figheight() * dpi))
        return png_bytes(rasterize(render(fig, "pdf") if pdf is None else pdf, dpi, size),
                         dpi, metadata)
    prepare(fig)
    buf = io.BytesIO()
    fonts = _pdf_fonts() if fmt == "pdf" else contextlib.nullcontext()
    with house_style(), mpl.rc_context({"svg.hashsalt": f"usmx-{meta.id}"}), fonts:
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=dpi)
    return buf.getvalue()


def rasterize(pdf: bytes, dpi: float, size: tuple[int, int] | None = None):
    """The first page of a PDF as RGB pixels (rows, columns, 3) on white, drawn by PDFium
    (the PDF engine of Chromium) at ``dpi``, ``size`` (width, height) pixels if given: PDFium
    rounds a page edge up, and adds a blank row when its size in pixels is a hair over a
    whole number. Three to four times faster than matplotlib drawing the figure again,
    whose per-glyph text rendering dominates a PNG."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        bitmap = page.render(scale=dpi / 72, fill_color=(255, 255, 255, 255),
                             rev_byteorder=True)
        pixels = bitmap.to_numpy()
        if size is not None:
            width, height = size
            if pixels.shape[1] < width or pixels.shape[0] < height:
                raise ValueError(f"PDFium drew {pixels.shape[1]}x{pixels.shape[0]} pixels "
                                 f"for a {width}x{height} figure")
            pixels = pixels[:height, :width]
        pixels = pixels.copy()
        bitmap.close()
        page.close()
    finally:
        document.close()
    return pixels


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data))


def png_bytes(pixels, dpi: float, metadata: dict) -> bytes:
    """A PNG of RGB or RGBA pixels (rows, columns, channels): RGB when every pixel is
    opaque, rows unfiltered and deflated at level 1, with the texts of ``metadata`` (None
    values left out) and the resolution. Twice as fast as Pillow's encoder at the same
    level, whose adaptive row filters cost more than they save on flat chart colours, and
    the file comes out smaller."""
    import numpy as np

    pixels = np.asarray(pixels, dtype=np.uint8)
    if pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
        raise ValueError(f"pixels of shape {pixels.shape}; expected (rows, columns, 3 or 4)")
    height, width, channels = pixels.shape
    if channels == 4 and bool((pixels[..., 3] == 255).all()):
        pixels, channels = pixels[..., :3], 3  # opaque: the alpha channel says nothing
    rows = np.empty((height, width * channels + 1), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None
    body = np.lib.stride_tricks.as_strided(  # each row after its filter byte, as pixels
        rows[:, 1:], shape=(height, width, channels), strides=(rows.strides[0], channels, 1))
    body[...] = pixels
    texts = b""
    for key, value in metadata.items():
        if value is None:
            continue
        try:
            texts += _chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
        except UnicodeEncodeError:  # beyond Latin-1: international text, UTF-8
            texts += _chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0\0\0"
                            + value.encode("utf-8"))
    per_metre = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8,
                                          2 if channels == 3 else 6, 0, 0, 0))
            + texts
            + _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + _chunk(b"IEND", b""))
