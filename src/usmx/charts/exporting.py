"""Export: every chart's SVG, PDF, PNG and CSV, and the manifest, written atomically.

:func:`export` draws the charts asked for, with your choices, for the command line
(``python -m usmx charts --only ... --years ... --countries ... --formats ...``) and for
notebooks; it always draws what it is asked (the report's task graph, ``usmx.tasks``,
decides what a rerun may skip). :func:`edition` is one chart in one language, the unit
both use.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from usmx.analysis import countries as country_table
from usmx.analysis import params
from usmx.analysis.views import covered_years
from usmx.charts.catalog import CHARTS, Chart
from usmx.charts.draw import draw
from usmx.charts.i18n import LANGUAGES
from usmx.charts.render import FORMATS, render
from usmx.charts.spec import ChartMeta, translated
from usmx.paths import edition_folder
from usmx.rawio import csv_bytes, write_atomic

ALL_FORMATS = (*FORMATS, "csv")


def manifest_entry(meta: ChartMeta, formats=ALL_FORMATS) -> dict:
    return {
        "id": meta.id, "title": meta.title, "subtitle": meta.subtitle,
        "description": meta.description, "alt_text": meta.alt_text,
        "source_line": meta.source_line, "sources": meta.source_ids,
        "source_details": meta.source_details, "notes": meta.notes,
        "files": {fmt: f"{meta.id}.{fmt}" for fmt in ALL_FORMATS if fmt in formats},
    }


def manifest_bytes(entries: list[dict]) -> bytes:
    return (json.dumps(entries, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def newsroom_csv(data, source_details) -> bytes:
    """The data drawn, as a CSV that opens as it should in Excel (UTF-8 with a byte-order
    mark, so accents survive), Datawrapper and Flourish: whole numbers without a decimal
    point, and the sources named (column ``sources``) beside their ids."""
    import pandas as pd

    out = data.copy()
    if "source_ids" in out.columns:
        names = {d["source_id"]: d["attribution"] for d in source_details}
        out["sources"] = [None if pd.isna(ids) else "; ".join(
            dict.fromkeys(names.get(i, i) for i in str(ids).split(";") if i))
            for ids in out["source_ids"]]
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            out[column] = pd.Series(
                [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v))
                 for v in out[column]], index=out.index, dtype=object)
    return b"\xef\xbb\xbf" + csv_bytes(out)


def edition(chart: Chart, record, lang: str, options: dict, formats,
            outdir: Path) -> tuple[dict[Path, bytes], dict]:
    """One chart in one language: its files (path -> bytes) in ``outdir`` and its manifest
    entry."""
    fig = draw(chart.spec(record, **options), lang)
    meta = fig.meta
    made: dict[str, bytes] = {}
    for fmt in FORMATS:  # svg, pdf, png: the PNG is the PDF rasterized (made once)
        if fmt in formats:
            made[fmt] = render(fig, fmt, meta, pdf=made.get("pdf"))
    files = {outdir / f"{meta.id}.{fmt}": data for fmt, data in made.items()}
    if "csv" in formats:
        files[outdir / f"{meta.id}.csv"] = newsroom_csv(meta.data, meta.source_details)
    return files, manifest_entry(meta, formats)


def entry(chart: Chart, record, lang: str, options: dict, formats) -> dict:
    """A chart's manifest entry in a language, computed without drawing it."""
    return manifest_entry(translated(chart.spec(record, **options), lang).meta, formats)


def country_choices(chart: Chart, record) -> tuple[str, ...]:
    """The countries a chart may show: the studied countries of its group."""
    return country_table.studied(record, chart.country_group)


def _parse_years(years) -> tuple:
    if isinstance(years, str):
        parts = years.replace("–", "-").split("-")
        if len(parts) != 2:
            raise params.ParameterError(f"years must be a range such as 2010-2016, not "
                                        f"{years!r}")
        return tuple(parts)
    parts = tuple(years)
    if len(parts) != 2:
        raise params.ParameterError(f"years must be (first, last), not {years!r}")
    return parts


def choices(record, *, only=None, years=None, countries=None,
            formats=ALL_FORMATS) -> tuple[list[str], dict[str, dict], tuple[str, ...]]:
    """The charts, each chart's options and the formats that the choices name, checked
    against the record: a bad choice raises ``ParameterError`` naming what would work."""
    names = list(CHARTS) if only is None else params.choice(
        [n.strip() for item in ([only] if isinstance(only, str) else only)
         for n in str(item).split(",") if n.strip()],
        CHARTS, "chart id")
    formats = params.choice([f.strip() for f in formats.split(",")]
                            if isinstance(formats, str) else formats, ALL_FORMATS, "format")
    options: dict[str, dict] = {name: {} for name in names}
    for option, given in (("years", years), ("countries", countries)):
        takers = [name for name, chart in CHARTS.items() if option in chart.options]
        if given is not None and not set(takers) & set(names):
            raise params.ParameterError(f"{option} apply to {takers}; none of them was chosen")
    if years is not None:
        first, last = params.years(*_parse_years(years), covered_years(record),
                                   names=("first year", "last year"))
        for name in names:
            if "years" in CHARTS[name].options:
                options[name].update(first=first, last=last)
    if countries is not None:
        asked = [c.strip() for c in countries.split(",")] if isinstance(countries, str) \
            else list(countries)
        known = sorted({c for chart in CHARTS.values() if "countries" in chart.options
                        for c in country_choices(chart, record)})
        params.choice(asked, known, "country")
        for name in names:
            if "countries" in CHARTS[name].options:
                mine = [c for c in country_choices(CHARTS[name], record) if c in asked]
                if not mine:
                    raise params.ParameterError(
                        f"chart {name} shows {list(country_choices(CHARTS[name], record))}; "
                        f"none of {asked} is among them")
                options[name]["countries"] = tuple(mine)
    return names, options, tuple(formats)


def export(record=None, *, only=None, years=None, countries=None, lang="all",
           formats=ALL_FORMATS, outdir=None, paths=None) -> list[Path]:
    """Draw charts and write their files and manifest, with your own choices.

    - ``only``: chart ids (one or a list; default every chart in ``CHARTS``);
    - ``years``: ``"2010-2016"`` or ``(2010, 2016)``, inside the years the data cover; the
      charts are drawn for those years;
    - ``countries``: ids such as ``"GTM,HND"`` or ``["GTM", "HND"]``; the charts drawn by
      country show those (each chart shows those of its countries that were asked for);
    - ``lang``: ``en``, ``es`` or ``all`` (default): English files go to ``outdir``,
      the Spanish edition to ``outdir/es/``;
    - ``formats``: any of svg, pdf, png, csv;
    - ``outdir``: default ``reports/figures/``.

    Bad choices raise ``ParameterError`` naming what would work; nothing is written then.
    Charts left out keep their files and their manifest entries. The editions are drawn in
    parallel, as many at once as the machine has cores, and written in one atomic commit.
    """
    from usmx.analysis import processed
    from usmx.paths import project_paths

    paths = paths or project_paths()
    record = processed.load(paths) if record is None else record
    names, options, formats = choices(record, only=only, years=years, countries=countries,
                                      formats=formats)
    langs = list(LANGUAGES) if lang == "all" else params.choice(lang, LANGUAGES, "language")
    outdir = Path(outdir) if outdir is not None else paths.figures
    jobs = [(name, code) for code in langs for name in names]
    done = _draw_all(record, jobs, options, formats, outdir)
    files: dict[Path, bytes] = {}
    for code in langs:
        folder = edition_folder(outdir, code)
        entries = {e["id"]: e for e in _manifest(folder) if e["id"] in CHARTS}
        for name in names:
            written, entries[name] = done[(name, code)]
            files.update(written)
        files[folder / "manifest.json"] = manifest_bytes(
            [entries[name] for name in CHARTS if name in entries])
    return write_atomic(files)


def worker_processes(jobs: int) -> int:
    """How many worker processes to fork for ``jobs`` jobs: one per core, but none (1: work
    here) where forking is unsafe: a platform without fork, or a process that runs other
    threads (a Jupyter kernel, a test runner), whose locks a forked child could inherit
    held and wait on for ever."""
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return 1
    return max(1, min(jobs, os.cpu_count() or 1))


def _draw_all(record, jobs, options, formats, outdir) -> dict:
    """Each (chart, language) job's files and manifest entry: in forked worker processes
    where that is safe and there are several cores, else here."""
    workers = worker_processes(len(jobs))
    args = [(CHARTS[name], code, options[name], formats, edition_folder(outdir, code))
            for name, code in jobs]
    if workers > 1:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_hold, initargs=(record,)) as pool:
            return dict(zip(jobs, pool.map(_held_edition, args), strict=True))
    return {job: edition(chart, record, *rest) for job, (chart, *rest)
            in zip(jobs, args, strict=True)}


_HELD: list = []  # a worker's record, set once by the pool's initializer


def _hold(record) -> None:
    _HELD[:] = [record]


def _held_edition(args):
    chart, *rest = args
    return edition(chart, _HELD[0], *rest)


def _manifest(outdir: Path) -> list[dict]:
    """The entries of an earlier export (kept for the charts not drawn this time)."""
    try:
        entries = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict) and "id" in e] \
        if isinstance(entries, list) else []
