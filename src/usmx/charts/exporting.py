"""Export: every chart's SVG, PDF, PNG and CSV, and the manifest, written atomically.

:func:`export` is the one entry point, for the command line (``python -m usmx charts
--only ... --years ... --countries ... --formats ...``) and for notebooks.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import multiprocessing
import os
from pathlib import Path

from matplotlib.figure import Figure

from usmx.analysis import countries as country_table
from usmx.analysis import params
from usmx.analysis.views import covered_years
from usmx.charts.catalog import CHARTS, COUNTRY_GROUPS, SPECS
from usmx.charts.draw import draw
from usmx.charts.i18n import LANGUAGES, language
from usmx.charts.render import FORMATS, render
from usmx.charts.spec import edition_stamp
from usmx.engine.stamps import (
    Reads,
    chart_current,
    chart_digest,
    code_version,
    edition_files,
)
from usmx.paths import edition_folder
from usmx.rawio import csv_bytes, write_atomic

ALL_FORMATS = (*FORMATS, "csv")


def manifest_entry(fig: Figure, formats=ALL_FORMATS) -> dict:
    meta = fig.usmx
    return {
        "id": meta.id, "title": meta.title, "subtitle": meta.subtitle,
        "description": meta.description, "alt_text": meta.alt_text,
        "source_line": meta.source_line, "sources": meta.source_ids,
        "source_details": meta.source_details, "notes": meta.notes,
        "files": {fmt: f"{meta.id}.{fmt}" for fmt in ALL_FORMATS if fmt in formats},
    }


_JOB: dict = {}
# Charts from slowest to fastest to draw (measured), so that the workers of a parallel run
# finish together (longest-processing-time-first scheduling).
_SLOW_FIRST = ("child-deportations", "funding-vs-child-deportations", "mexico-vs-us",
               "merida-by-account", "claims-scoreboard", "uac-apprehensions")


def chart_files(fig: Figure, outdir: Path, formats=ALL_FORMATS) -> dict[Path, bytes]:
    meta = fig.usmx
    made: dict[str, bytes] = {}
    for fmt in FORMATS:  # svg, pdf, png: the PNG is the PDF rasterized (made once)
        if fmt in formats:
            made[fmt] = render(fig, fmt, pdf=made.get("pdf"))
    files = {outdir / f"{meta.id}.{fmt}": data for fmt, data in made.items()}
    if "csv" in formats:
        files[outdir / f"{meta.id}.csv"] = newsroom_csv(meta.data, meta.source_details)
    return files


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


def _spec(code: str, name: str, record, options) -> tuple:
    """A chart's spec in a language, with the tables it read."""
    reads = Reads(record)
    with language(code):
        spec = SPECS[name](reads, **options.get(name, {}))
    return spec, sorted(reads.read)


def _chart_job(job: tuple[str, str]) -> tuple[dict[Path, bytes] | None, dict | None,
                                               list[str], str]:
    """Draw one edition: its files, manifest entry, the tables it read and the stamp of
    its spec; or, when that stamp is the one its files were drawn from (``_JOB["alike"]``),
    nothing but the tables and the stamp (a table it reads changed, not what it draws)."""
    code, name = job
    spec, reads = _spec(code, name, _JOB["record"], _JOB["options"])
    stamp = edition_stamp(spec, code, _JOB["formats"])
    if _JOB.get("alike", {}).get(job) == stamp:
        return None, None, reads, stamp
    with language(code):
        fig = draw(spec)
    outdir = _JOB["outdirs"][code]
    return (chart_files(fig, outdir, _JOB["formats"]), manifest_entry(fig, _JOB["formats"]),
            reads, stamp)


def _drawn_from(stamps, jobs, on_disk) -> dict[tuple, str]:
    """For each job whose files (``on_disk``: job -> their digest) are the ones its stamp
    recorded, the stamp of the spec they were drawn from."""
    found = {}
    for code, name in jobs:
        entry = stamps.get(f"chart:{code}:{name}")
        if entry and entry.get("spec") and entry.get("files") and \
                on_disk[(code, name)] == entry["files"]:
            found[(code, name)] = entry["spec"]
    return found


def chart_options(name: str) -> set[str]:
    """The options a chart honours: 'years' and 'countries' (read from its signature)."""
    names = set(inspect.signature(CHARTS[name]).parameters)
    return ({"years"} if {"first", "last"} <= names else set()) | (
        {"countries"} if "countries" in names else set())


def _country_choices(name: str, record) -> tuple[str, ...]:
    """The countries a chart may show: the studied countries of its group."""
    return country_table.studied(record, COUNTRY_GROUPS[name])


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


def export(record=None, *, only=None, years=None, countries=None, lang="all",
           formats=ALL_FORMATS, outdir=None, paths=None) -> list[Path]:
    """Draw charts and write their files and manifest, with your own choices.

    - ``only``: chart ids (one or a list; default every chart in ``CHARTS``);
    - ``years``: ``"2010-2016"`` or ``(2010, 2016)``, inside the years the data cover; the
      charts with a year axis are drawn for those years (the claims scoreboard has none);
    - ``countries``: ids such as ``"GTM,HND"`` or ``["GTM", "HND"]``; the charts drawn by
      country show those (each chart shows those of its countries that were asked for);
    - ``lang``: ``en``, ``es`` or ``all`` (default): English files go to ``outdir``,
      the Spanish edition to ``outdir/es/``;
    - ``formats``: any of svg, pdf, png, csv;
    - ``outdir``: default ``reports/figures/``.

    Bad choices raise ``ParameterError`` naming what would work; nothing is written then.
    Charts left out keep their files and their manifest entries.
    """
    from usmx.analysis import processed
    from usmx.paths import project_paths

    paths = paths or project_paths()
    record = processed.load(paths) if record is None else record
    names = list(CHARTS) if only is None else params.choice(
        [n.strip() for item in ([only] if isinstance(only, str) else only)
         for n in str(item).split(",") if n.strip()],
        CHARTS, "chart id")
    formats = params.choice([f.strip() for f in formats.split(",")]
                            if isinstance(formats, str) else formats, ALL_FORMATS, "format")
    options: dict[str, dict] = {name: {} for name in names}
    for option, given in (("years", years), ("countries", countries)):
        takers = [name for name in CHARTS if option in chart_options(name)]
        if given is not None and not set(takers) & set(names):
            raise params.ParameterError(f"{option} apply to {takers}; none of them was chosen")
    if years is not None:
        first, last = params.years(*_parse_years(years), covered_years(record),
                                   names=("first year", "last year"))
        for name in names:
            if "years" in chart_options(name):
                options[name].update(first=first, last=last)
    if countries is not None:
        asked = [c.strip() for c in countries.split(",")] if isinstance(countries, str) \
            else list(countries)
        known = sorted({c for name in CHARTS if "countries" in chart_options(name)
                        for c in _country_choices(name, record)})
        params.choice(asked, known, "country")
        for name in names:
            if "countries" in chart_options(name):
                mine = [c for c in _country_choices(name, record) if c in asked]
                if not mine:
                    raise params.ParameterError(
                        f"chart {name} shows {list(_country_choices(name, record))}; none of "
                        f"{asked} is among them")
                options[name]["countries"] = tuple(mine)
    langs = list(LANGUAGES) if lang == "all" else params.choice(lang, LANGUAGES, "language")
    outdir = Path(outdir) if outdir is not None else paths.figures
    return export_all(record, outdir, names, options=options, formats=tuple(formats),
                      langs=tuple(langs))


def export_all(record, outdir: Path, names=None, *, options=None,
               formats=ALL_FORMATS, langs=("en",), stamps=None,
               table_paths=None, counts: dict | None = None,
               meanwhile=None) -> list[Path]:
    """Draw every chart (or those in ``names``) in each language and write its files and
    manifest (English in ``outdir``, another language in ``outdir/<code>/``), all in one
    atomic commit. Charts are drawn in parallel where the platform can fork, slowest
    first, both languages in one pool; ``meanwhile()``, if given, runs in this process
    while the workers draw."""
    names = list(names or CHARTS)
    outdirs = {code: edition_folder(outdir, code) for code in langs}
    _JOB.update(record=record, outdirs=outdirs, options=options or {}, formats=formats)
    rank = {name: i for i, name in enumerate(_SLOW_FIRST)}
    jobs = sorted(((code, name) for code in langs for name in names),
                  key=lambda job: (rank.get(job[1], -1), names.index(job[1]), job[0]))
    options = options or {}
    skipped, on_disk = [], {}
    if stamps is not None:  # a chart whose inputs did not change is not drawn again
        on_disk = {job: edition_files(outdirs[job[0]], job[1], formats) for job in jobs}
        skipped = [job for job in jobs if chart_current(
            stamps, job[0], job[1], outdirs[job[0]], options.get(job[1], {}), formats,
            table_paths, on_disk[job])]
        jobs = [job for job in jobs if job not in skipped]
    # a worker computes each spec and draws only if it differs from the files' (see
    # _chart_job): a chart that reads an edited table but does not draw the figure is kept
    _JOB["alike"] = _drawn_from(stamps, jobs, on_disk) if stamps is not None else {}
    if stamps is not None:
        stamps.entries["charts"] = {"digest": code_version(), "reads": [],
                                    "formats": list(formats),
                                    "jobs": sorted(f"{code}:{name}" for code in langs
                                                   for name in names)}
    workers = min(len(jobs), os.cpu_count() or 1)
    if not jobs:
        if counts is not None:
            counts.update(drawn=0, skipped=len(skipped), alike=0)
        return []
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            drawing = pool.map_async(_chart_job, jobs, chunksize=1)
            if meanwhile is not None:  # this process's own work, while the workers draw
                meanwhile()
            done = dict(zip(jobs, drawing.get(), strict=True))
    else:
        done = {job: _chart_job(job) for job in jobs}
    alike = {job: done.pop(job)[2] for job in list(done) if done[job][0] is None}
    if counts is not None:
        counts.update(drawn=len(done), skipped=len(skipped) + len(alike), alike=len(alike))
    for (code, name), reads in alike.items():  # kept as drawn; stamped with today's tables
        stamps.entries[f"chart:{code}:{name}"].update(digest=chart_digest(
            code, name, reads, options.get(name, {}), formats, table_paths), reads=reads)
    files: dict[Path, bytes] = {}
    for job, (_, _, reads, drawn_from) in done.items():
        if stamps is not None:
            key = f"chart:{job[0]}:{job[1]}"
            stamps.set(key, chart_digest(*job, reads, options.get(job[1], {}), formats,
                                         table_paths), reads)
            stamps.entries[key]["spec"] = drawn_from
            written = done[job][0]
            png = written.get(outdirs[job[0]] / f"{job[1]}.png")
            if png is not None:  # for notebooks that show this very chart (ChartFigure)
                stamps.entries[key]["png"] = hashlib.sha256(png).hexdigest()
            stamps.entries[key]["files"] = edition_files(outdirs[job[0]], job[1], formats,
                                                         written)
    for code, folder in outdirs.items():
        drawn = [name for name in names if (code, name) in done]
        for name in drawn:
            files.update(done[(code, name)][0])
        entries = {entry["id"]: entry for entry in _manifest(folder) if entry["id"] in CHARTS}
        entries.update({name: done[(code, name)][1] for name in drawn})
        ordered = [entries[name] for name in CHARTS if name in entries]
        files[folder / "manifest.json"] = (
            json.dumps(ordered, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return write_atomic(files)


def _manifest(outdir: Path) -> list[dict]:
    """The entries of an earlier export (kept for the charts not drawn this time)."""
    try:
        entries = json.loads((outdir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in entries if isinstance(e, dict) and "id" in e] \
        if isinstance(entries, list) else []
