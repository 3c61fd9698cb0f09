"""Command line: ``python -m usmx build`` (offline) and ``python -m usmx check``."""

from __future__ import annotations

import argparse
import sys

from usmx.paths import project_paths
from usmx.rawio import DataError


def main(argv: list[str] | None = None) -> int:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", default=argparse.SUPPRESS,
                        help="project root (default: this clone, or $USMX_ROOT)")
    parser = argparse.ArgumentParser(prog="usmx", description=__doc__, parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", parents=[common],
                   help="validate data/raw and write data/processed (offline)")
    sub.add_parser("check", parents=[common],
                   help="exit 1 if data/processed differs from a fresh build")
    args = parser.parse_args(argv)
    paths = project_paths(getattr(args, "root", None))

    from usmx import build  # imported here so that --help stays fast

    try:
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
    except DataError as exc:
        print(f"error: bad input; nothing was written.\n{exc.report()}", file=sys.stderr)
        return 2
    return 0
