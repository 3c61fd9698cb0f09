"""PNGs that are the PDF rasterized by PDFium and encoded by Pillow, with their texts and
resolution (usmx.charts.render)."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from usmx.charts.render import png_bytes, render
from usmx.charts.theme import house_style


def _figure_with_texts():
    fig = Figure(figsize=(4, 2))
    FigureCanvasAgg(fig)
    texts = [fig.text(0.1, 0.8, "Niños devueltos por México, AF2016", fontsize=9),
             fig.text(0.1, 0.5, "1,008.7 per 100,000", fontsize=7, fontweight="bold"),
             fig.text(0.9, 0.2, "Fuente: CBP; INM/UPM", fontsize=12, ha="right")]
    return fig, texts


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    found, at = [], 8
    while at < len(png):
        size = int.from_bytes(png[at:at + 4], "big")
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + size]
        assert zlib.crc32(kind + data) == int.from_bytes(png[at + 8 + size:at + 12 + size],
                                                         "big")
        found.append((kind, data))
        at += 12 + size
    return found


def test_png_is_the_pdf_drawn_at_200_dpi_with_its_texts_and_resolution():
    fig, _ = _figure_with_texts()
    fig.add_axes((0.1, 0.1, 0.5, 0.3)).plot([0, 1, 2], [2, 0, 1], marker="o")
    meta = type("Meta", (), {"id": "t", "title": "Niños — title", "alt_text": "Alt ü",
                             "source_line": "Fuente: CBP"})()
    png = render(fig, "png", meta)
    assert png == render(fig, "png", meta, pdf=render(fig, "pdf", meta))  # one drawing, made once
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    kinds = [kind for kind, _ in _chunks(png)]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND" and b"pHYs" in kinds
    with Image.open(io.BytesIO(png)) as img:
        img.load()
        assert img.mode == "RGB" and img.size == (800, 400)  # 4 x 2 in at 200 dpi
        assert img.info["Title"] == "Niños — title"  # beyond Latin-1: iTXt, in UTF-8
        assert img.info["Description"] == "Alt ü" and img.info["Source"] == "Fuente: CBP"
        assert "Software" not in img.info
        assert img.info["dpi"][0] == pytest.approx(200, abs=0.01)
        ours = np.asarray(img).astype(int)
    # matplotlib's own drawing of the figure: the same picture, up to antialiasing (a
    # drawing one pixel off, or at another scale, differs several times more)
    reference = io.BytesIO()
    with house_style():
        Figure.savefig(fig, reference, format="png", dpi=200)
    with Image.open(reference) as img:
        theirs = np.asarray(img.convert("RGB")).astype(int)
    assert np.abs(ours - theirs).mean() < 2.0
    assert np.abs(ours[:, 1:] - theirs[:, :-1]).mean() > 2 * np.abs(ours - theirs).mean()


def test_png_has_the_figures_size_when_its_height_is_a_hair_over_whole_pixels():
    """6.04 in at 200 dpi is 1208 pixels; PDFium, given the page in points, drew 1209."""
    fig = Figure(figsize=(7.5, 6.04))
    fig.text(0.5, 0.5, "x")
    meta = type("Meta", (), {"id": "t", "title": "t", "alt_text": "a", "source_line": "s"})()
    with Image.open(io.BytesIO(render(fig, "png", meta))) as img:
        assert img.size == (1500, 1208)


def test_png_keeps_transparency_when_there_is_some():
    pixels = np.full((3, 2, 4), 255, dtype=np.uint8)
    pixels[1, 1] = (10, 20, 30, 128)
    png = png_bytes(pixels, 200, {"Title": "t", "Software": None})
    with Image.open(io.BytesIO(png)) as img:
        assert img.mode == "RGBA" and np.array_equal(np.asarray(img), pixels)
        assert "Software" not in img.info
    with Image.open(io.BytesIO(png_bytes(pixels[..., :3], 200, {}))) as img:
        assert img.mode == "RGB" and np.array_equal(np.asarray(img), pixels[..., :3])
    with pytest.raises(ValueError, match="expected"):
        png_bytes(pixels[..., 0], 200, {})
