"""Command line: ``python -m usmx build | check | charts | docs | report`` (all offline)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from usmx.analysis.params import ParameterError
from usmx.paths import Paths, project_paths
from usmx.rawio import DataError


def _parser() -> argparse.ArgumentParser:
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
    report = sub.add_parser("report", parents=[common],
                            help="build, update the README's generated section, export the "
                                 "charts, execute the notebooks into reports/*.html: each "
                                 "output only when what it reads changed")
    report.add_argument("--jobs", type=int, metavar="N",
                        help="tasks at once (default: one per core)")
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
    return parser


class NotAProject(Exception):
    """--root (or the working folder) is not a clone of this project."""


def _project(args) -> Paths:
    """The project the command works on, after finishing any interrupted earlier command
    (its commit journal)."""
    from usmx.rawio import recover

    paths = project_paths(getattr(args, "root", None))
    if not paths.raw.is_dir():
        what = ("does not exist" if not paths.root.exists() else
                "is not a folder" if not paths.root.is_dir() else "has no data/raw/ folder")
        raise NotAProject(f"{paths.root} is not a usmx project root: it {what}. Give the "
                          f"folder of a clone with --root, or run from inside one.")
    for line in recover(paths.commit_folders):
        print(f"recovered: {line}", file=sys.stderr)
    return paths


def _listing(paths: Paths, written) -> str:
    return "".join(f"\n  {paths.rel(p)}" for p in written)


def build(args) -> int:
    if args.explain:
        from usmx.build import PIPELINE
        from usmx.engine.pipeline import explain

        print(explain(PIPELINE))
        return 0
    from usmx import build as building

    paths = _project(args)
    written = building.build(paths)
    print(f"build: {len(written)} file(s) written to {paths.rel(paths.processed)}/"
          + _listing(paths, written))
    return 0


def check(args) -> int:
    from usmx import build as building

    paths = _project(args)
    stale = building.stale_outputs(paths)
    if stale:
        print("check: out of date (run `python -m usmx build`):" + _listing(paths, stale),
              file=sys.stderr)
        return 1
    print("check: data/processed matches a fresh build")
    return 0


def charts(args) -> int:
    from usmx.analysis import processed
    from usmx.charts.exporting import export

    paths = _project(args)
    written = export(processed.load(paths), paths=paths, only=args.only, years=args.years,
                     countries=args.countries, lang=args.lang, formats=args.formats,
                     outdir=args.outdir)
    where = paths.figures if args.outdir is None else Path(args.outdir)
    print(f"charts: {len(written)} file(s) written to {paths.rel(where)}/")
    return 0


def report(args) -> int:
    from usmx import tasks

    paths = _project(args)
    start = time.perf_counter()
    failures = tasks.run(paths, args.jobs)
    spent = time.perf_counter() - start
    if failures:
        print(f"error: the report stopped after {spent:.1f} s: {len(failures)} task(s) "
              f"failed (above); every other output is written and whole.", file=sys.stderr)
        messages = [message for _, message in failures]
        for prefix, code in ((tasks.BAD_INPUT, 2), (tasks.WRITE_FAILED, 4),
                             (tasks.NOTEBOOK_FAILED, 5)):
            if any(m.startswith(prefix) for m in messages):
                return code
        return 1
    print(f"report: up to date in {spent:.1f} s ('--' marks a task skipped because what "
          f"it reads and wrote is as it was)")
    return 0


def docs(args) -> int:
    from usmx.analysis import processed
    from usmx.publish import docs as documents

    paths = _project(args)
    written = documents.write_docs(paths, processed.load(paths)["claims"])
    print(f"docs: {len(written)} file(s) written" + _listing(paths, written))
    return 0


def manifest(args) -> int:
    from usmx.engine import snapshots

    paths = _project(args)
    written = snapshots.record(paths)
    print(f"manifest: {'updated' if written else 'unchanged'} "
          f"({paths.rel(snapshots.manifest_path(paths))})")
    return 0


def strip_notebooks(args) -> int:
    from usmx.publish.nbstrip import filter_stdin, strip_files

    if args.stdin:
        return filter_stdin()
    from usmx.publish.report import notebooks

    paths = _project(args)
    written = strip_files(notebooks(paths))
    print(f"strip-notebooks: {len(written)} notebook(s) cleared" + _listing(paths, written))
    return 0


def refresh(args) -> int:
    from usmx.refresh.core import GROUPS, SOURCES

    if args.list:
        for name, source in SOURCES.items():
            print(f"{name:24s} {source.title}")
        for name, members in GROUPS.items():
            print(f"{name:24s} the group of {', '.join(members)}")
        return 0
    from usmx.refresh import RefreshError
    from usmx.refresh import refresh as refreshing

    paths = _project(args)
    try:
        written = refreshing(paths, args.sources, copy_from=args.copy_from,
                             commit=args.commit)
    except RefreshError as exc:
        print(f"error: refresh failed; nothing was written.\n{exc}", file=sys.stderr)
        return 3
    print(f"refresh: {len(written)} file(s) written" + _listing(paths, written))
    return 0


COMMANDS = {"build": build, "check": check, "charts": charts, "report": report,
            "docs": docs, "manifest": manifest, "strip-notebooks": strip_notebooks,
            "refresh": refresh}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except NotAProject as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataError as exc:
        print(f"error: bad input; nothing was written.\n{exc.report()}", file=sys.stderr)
        return 2
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
