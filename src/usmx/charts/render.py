"""Rendering for publication: SVG (text kept as text), PDF (embedded TrueType), PNG
(the PDF rasterized at 200 dpi by PDFium, encoded by Pillow). Byte-identical from run to
run. Public matplotlib, PDFium and Pillow APIs only."""

from __future__ import annotations

import io

import matplotlib as mpl

from usmx.charts.spec import ChartMeta
from usmx.charts.theme import house_style

FORMATS = ("svg", "pdf", "png")


def render(fig, fmt: str, meta: ChartMeta, dpi: int = 200, *,
           pdf: bytes | None = None) -> bytes:
    """One figure as bytes in ``fmt``, with fixed metadata from ``meta`` (no dates, no
    software tags). The PNG is the PDF rasterized (``pdf``: that figure's PDF, when it is
    already made), so the two show the same drawing."""
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
        pixels = rasterize(render(fig, "pdf", meta) if pdf is None else pdf, dpi, size)
        return png_bytes(pixels, dpi, metadata)
    buf = io.BytesIO()
    with house_style(), mpl.rc_context({"svg.hashsalt": f"usmx-{meta.id}"}):
        fig.savefig(buf, format=fmt, metadata=metadata, dpi=dpi)
    return buf.getvalue()


def rasterize(pdf: bytes, dpi: float, size: tuple[int, int] | None = None):
    """The first page of a PDF as RGB pixels (rows, columns, 3) on white, drawn by PDFium
    (the PDF engine of Chromium) at ``dpi``, ``size`` (width, height) pixels if given: PDFium
    rounds a page edge up, and adds a blank row when its size in pixels is a hair over a
    whole number. The PNG is then the very drawing of the PDF."""
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


def png_bytes(pixels, dpi: float, metadata: dict) -> bytes:
    """A PNG of RGB or RGBA pixels (rows, columns, channels), encoded by Pillow: RGB when
    every pixel is opaque, with the texts of ``metadata`` (None values left out; text
    beyond Latin-1 as international text) and the resolution."""
    import numpy as np
    from PIL import Image, PngImagePlugin

    pixels = np.asarray(pixels, dtype=np.uint8)
    if pixels.ndim != 3 or pixels.shape[2] not in (3, 4):
        raise ValueError(f"pixels of shape {pixels.shape}; expected (rows, columns, 3 or 4)")
    if pixels.shape[2] == 4 and bool((pixels[..., 3] == 255).all()):
        pixels = pixels[..., :3]  # opaque: the alpha channel says nothing
    info = PngImagePlugin.PngInfo()
    for key, value in metadata.items():
        if value is not None:
            info.add_text(key, value)
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(pixels)).save(
        buf, format="PNG", pnginfo=info, dpi=(dpi, dpi), compress_level=6)
    return buf.getvalue()
