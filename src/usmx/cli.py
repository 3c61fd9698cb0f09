"""Command line: ``python -m usmx build | check | charts | docs | report`` (all offline)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from usmx.analysis.params import ParameterError
from usmx.paths import edition_folder, project_paths
from usmx.rawio import DataError


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS,
                        help="project root (default: this clone, or $USMX_ROOT)")
    parser = argparse.ArgumentParser(prog="usmx", description=__doc__, parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", parents=[common],
                               help="validate data/raw and write data/processed (offline)")
    build_cmd.add_argument("--explain", action="store_true",
                           help="print the build's steps (what each reads and makes) and exit")
    sub.add_parser("check", parents=[common],
                   help="exit 1 if data/processed differs from a fresh build")
    charts = sub.add_parser("charts", parents=[common],
                            help="export the charts to reports/figures (SVG, PDF, PNG, CSV, "
                                 "manifest)")
    charts.add_argument("--only", nargs="+", metavar="ID",
                        help="chart ids (default: every chart)")
    charts.add_argument("--years", metavar="FIRST-LAST",
                        help="years for the charts with a year axis, e.g. 2010-2016")
    charts.add_argument("--countries", metavar="CODES",
                        help="countries for the charts drawn by country, e.g. GTM,HND,SLV")
    charts.add_argument("--lang", default="all", choices=["en", "es", "all"],
                        help="language edition(s): Spanish goes to <outdir>/es/ "
                             "(default: all)")
    charts.add_argument("--formats", metavar="LIST", default="svg,pdf,png,csv",
                        help="any of svg,pdf,png,csv (default: all)")
    charts.add_argument("--outdir", metavar="DIR",
                        help="where to write (default: reports/figures/)")
    sub.add_parser("report", parents=[common],
                   help="build, export the charts, update the README's generated section, "
                        "execute the notebooks into reports/*.html")
    sub.add_parser("docs", parents=[common],
                   help="update the README's section 'What the record says' from the "
                        "processed claims")
    sub.add_parser("manifest", parents=[common],
                   help="record the sha256 of every raw file after a deliberate hand edit")
    strip = sub.add_parser("strip-notebooks", parents=[common],
                           help="clear the outputs of notebooks/*.ipynb in place (or, with "
                                "--stdin, act as the git clean filter)")
    strip.add_argument("--stdin", action="store_true", help=argparse.SUPPRESS)
    refresh = sub.add_parser("refresh", parents=[common],
                             help="download machine-readable sources into new dated "
                                  "snapshots (online; the build never is)")
    refresh.add_argument("sources", nargs="*", metavar="SOURCE",
                         help="the sources to refresh, or a group standing for several "
                              "(default: all; --list names them)")
    refresh.add_argument("--list", action="store_true",
                         help="list the sources and groups, and exit")
    refresh.add_argument("--from", dest="copy_from", metavar="DIR",
                         help="read the files from a local copy in DIR (a checkout of the "
                              "carrier's repository, or the downloaded files) instead of the "
                              "network")
    refresh.add_argument("--commit", metavar="SHA",
                         help="for the sources read from IOM's gdidata: the commit to read "
                              "(default: the newest online; the pinned one for --from)")
    args = parser.parse_args(argv)
    if args.command == "build" and args.explain:
        from usmx.build import PIPELINE
        from usmx.engine.pipeline import explain

        print(explain(PIPELINE))
        return 0
    if args.command == "refresh" and args.list:
        from usmx.refresh.core import GROUPS, SOURCES

        for name, source in SOURCES.items():
            print(f"{name:24s} {source.title}")
        for name, members in GROUPS.items():
            print(f"{name:24s} the group of {', '.join(members)}")
        return 0
    if args.command == "strip-notebooks" and args.stdin:
        from usmx.publish.nbstrip import filter_stdin

        return filter_stdin()
    paths = project_paths(getattr(args, "root", None))
    if not paths.raw.is_dir():
        what = ("does not exist" if not paths.root.exists() else
                "is not a folder" if not paths.root.is_dir() else "has no data/raw/ folder")
        print(f"error: {paths.root} is not a usmx project root: it {what}. Give the folder "
              f"of a clone with --root, or run from inside one.", file=sys.stderr)
        return 2

    from usmx.rawio import recover

    for line in recover(paths.commit_folders):  # an interrupted earlier command
        print(f"recovered: {line}", file=sys.stderr)

    try:
        if args.command in ("build", "check"):  # imported here: --help stays fast, and
            from usmx import build  # the commands that do not build skip its 60 ms
        if args.command == "build":
            written = build.build(paths)
            print(f"build: {len(written)} file(s) written to {paths.rel(paths.processed)}/"
                  + "".join(f"\n  {paths.rel(p)}" for p in written))
        elif args.command == "check":
            stale = build.stale_outputs(paths)
            if stale:
                print("check: out of date (run `python -m usmx build`):"
                      + "".join(f"\n  {paths.rel(p)}" for p in stale), file=sys.stderr)
                return 1
            print("check: data/processed matches a fresh build")
        elif args.command == "docs":
            from usmx.analysis import processed
            from usmx.publish import docs

            written = docs.write_docs(paths, processed.load(paths)["claims"])
            print(f"docs: {len(written)} file(s) written"
                  + "".join(f"\n  {paths.rel(p)}" for p in written))
        elif args.command == "report":
            _report(paths)
        elif args.command == "charts":
            from usmx.analysis import processed
            from usmx.charts.exporting import export

            written = export(processed.load(paths), paths=paths, only=args.only,
                             years=args.years, countries=args.countries,
                             lang=args.lang, formats=args.formats, outdir=args.outdir)
            where = paths.figures if args.outdir is None else Path(args.outdir)
            print(f"charts: {len(written)} file(s) written to {paths.rel(where)}/")
        elif args.command == "strip-notebooks":
            from usmx.publish.nbstrip import strip_files
            from usmx.publish.report import notebooks

            written = strip_files(notebooks(paths))
            print(f"strip-notebooks: {len(written)} notebook(s) cleared"
                  + "".join(f"\n  {paths.rel(p)}" for p in written))
        elif args.command == "manifest":
            from usmx.engine import snapshots

            written = snapshots.record(paths)
            print(f"manifest: {'updated' if written else 'unchanged'} "
                  f"({paths.rel(snapshots.manifest_path(paths))})")
        elif args.command == "refresh":
            from usmx.refresh import RefreshError, refresh

            try:
                written = refresh(paths, args.sources, copy_from=args.copy_from,
                                  commit=args.commit)
            except RefreshError as exc:
                print(f"error: refresh failed; nothing was written.\n{exc}", file=sys.stderr)
                return 3
            print(f"refresh: {len(written)} file(s) written"
                  + "".join(f"\n  {paths.rel(p)}" for p in written))
    except DataError as exc:
        print(f"error: bad input; nothing was written.\n{exc.report()}", file=sys.stderr)
        return 2
    except _notebook_error() as exc:
        print(f"error: a notebook failed, so no reader edition was written (the data and "
              f"charts are up to date).\n{exc}", file=sys.stderr)
        return 5
    except ParameterError as exc:
        print(f"error: {exc}; nothing was written.", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: not a write failure
        raise
    except OSError as exc:  # a full disk, a read-only folder: the outputs stay as they were
        where = exc.filename or "a file"
        print(f"error: could not write {where}: {exc.strerror or exc}; the files already "
              f"there are unchanged.", file=sys.stderr)
        return 4
    return 0


def _build_meanwhile(paths) -> list:
    """Build the tables in a child process while this one imports what the charts and
    notebooks need (one core builds, the other imports); in this process where the
    platform cannot fork."""
    from usmx import build
    from usmx.engine.forked import Forked, can_fork

    if not can_fork():
        return build.build(paths)
    building = Forked(lambda: build.build(paths))
    try:
        import usmx.charts.exporting  # noqa: F401  matplotlib and the charts
        from usmx.publish.report import prepare_workers

        prepare_workers()
    finally:
        written = building.result()
    return written


def _notebook_error() -> type:
    """The error of a failed notebook (imported only when something was raised)."""
    from usmx.publish.warm import NotebookError

    return NotebookError


def _report(paths) -> None:
    """build, docs, charts (both languages), notebooks: each step redoes only what its
    inputs changed (usmx.engine.stamps), and says what it did and what it skipped."""
    from usmx import schema
    from usmx.engine import snapshots
    from usmx.engine.stamps import Stamps, code_version, digest_files

    step = [time.perf_counter()]

    def took() -> str:  # the time the step took, for the progress line
        now = time.perf_counter()
        spent, step[0] = now - step[0], now
        return f" [{spent:.1f} s]"

    stamps = Stamps(paths.stamps)
    tables = {t.name: paths.root / t.path for t in schema.PROCESSED_TABLES}
    outputs = [*tables.values(), paths.processed / "README.md",
               paths.processed / "datapackage.json"]
    inputs = digest_files(snapshots.raw_files(paths), code_version())
    stamp = stamps.get("build")
    if stamp and stamp["digest"] == inputs and all(p.exists() for p in outputs) \
            and stamp.get("outputs") == digest_files(outputs):
        print("build: skipped (raw data and code as last time)" + took())
    else:
        written = _build_meanwhile(paths)
        print(f"build: {len(written)} file(s) written" + took())
        stamps.set("build", inputs)
        stamps.entries["build"]["outputs"] = digest_files(outputs)

    claims = tables["claims"]
    docs_in = digest_files([claims, paths.readme], code_version())
    if (stamps.get("docs") or {}).get("digest") == docs_in:
        print("docs: skipped (claims and README as last time)" + took())
    else:
        import pandas as pd

        from usmx.publish import docs

        written = docs.write_docs(paths, pd.read_csv(claims, keep_default_na=False,
                                                     na_values=[""]))
        print(f"docs: {len(written)} file(s) written" + took())
        stamps.set("docs", digest_files([claims, paths.readme], code_version()))

    counts: dict = {}
    if _charts_unchanged(paths, stamps, tables):  # checked without drawing anything
        print(f"charts: skipped ({len(stamps.get('charts')['jobs'])} charts, inputs as "
              f"last time)" + took())
    else:
        from usmx.analysis import processed
        from usmx.charts.exporting import ALL_FORMATS, export_all
        from usmx.charts.i18n import LANGUAGES
        from usmx.publish.report import prepare_workers

        written = export_all(processed.load(paths), paths.figures, options={},
                             formats=ALL_FORMATS, langs=LANGUAGES, stamps=stamps,
                             table_paths=tables, counts=counts,
                             meanwhile=prepare_workers)  # for the notebooks, next
        print(f"charts: {counts['drawn']} drawn, {counts['skipped']} skipped (inputs as "
              f"last time, or {counts['alike']} whose tables changed but not what they "
              f"draw); {len(written)} file(s) written to {paths.rel(paths.figures)}/"
              + took())
    stamps.save()

    from usmx.publish.report import run_notebooks

    written = run_notebooks(paths, stamps, tables, counts)
    stamps.save()
    print(f"notebooks: {counts['ran']} run, {counts['skipped']} skipped (inputs as last "
          f"time); {len(written)} file(s) written to {paths.rel(paths.reports)}/" + took()
          + "".join(f"\n  {paths.rel(p)}" for p in written))


def _charts_unchanged(paths, stamps, tables) -> bool:
    """Every chart of the last report has its files and an unchanged stamp (the code is
    the same, so the list of charts is too)."""
    from usmx.engine.stamps import chart_current, code_version

    last = stamps.get("charts")
    if not last or last["digest"] != code_version() or not last.get("jobs"):
        return False
    formats = tuple(last.get("formats", ()))
    return all(chart_current(stamps, lang, name, edition_folder(paths.figures, lang), {},
                             formats, tables)
               for lang, name in (job.split(":", 1) for job in last["jobs"]))
