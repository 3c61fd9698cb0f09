"""Export: every chart's SVG, PDF, PNG and CSV, and the manifest, written atomically."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

from matplotlib.figure import Figure

from usmx.charts.catalog import CHARTS
from usmx.charts.render import FORMATS, render
from usmx.rawio import csv_bytes, write_atomic


def manifest_entry(fig: Figure) -> dict:
    meta = fig.usmx
    return {
        "id": meta.id, "title": meta.title, "subtitle": meta.subtitle,
        "description": meta.description, "alt_text": meta.alt_text,
        "source_line": meta.source_line, "sources": meta.source_ids,
        "source_details": meta.source_details, "notes": meta.notes,
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
    fig = CHARTS[name](_JOB["record"])
    return chart_files(fig, _JOB["outdir"]), manifest_entry(fig)


def export_all(record, outdir: Path, names=None) -> list[Path]:
    """Draw every chart (or those in ``names``) and write its files and the manifest into
    ``outdir`` atomically. Charts are drawn in parallel where the platform can fork."""
    names = list(names or CHARTS)
    _JOB.update(record=record, outdir=Path(outdir))
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
