"""Time `python -m usmx build`, `python -m usmx charts` and `python -m usmx report` against
the import floor of pandas + matplotlib.

Prints the median of each over N runs (fresh interpreter each time), the ratios, and which
timing misses its goal (--max-build 2x and --max-charts 10x the floor for both language
editions, --max-report 20 seconds);
it always exits 0: a benchmark reports, it does not fail the build. Runs on a scratch copy
of data/ and notebooks/, emptied of outputs before every run, so each run writes every file.

    python scripts/bench.py [--runs 5] [--report-runs 1]

With --report-runs, it also times `report` again with nothing changed (goal 2x the floor)
and after one raw figure is edited (goal 10x).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = [sys.executable, "-c", "import pandas, matplotlib.pyplot"]


def timed(cmd: list[str], before=None) -> float:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    if before:
        before()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--report-runs", type=int, default=1)
    parser.add_argument("--max-build", type=float, default=2.0)
    parser.add_argument("--max-charts", type=float, default=10.0)
    parser.add_argument("--max-report", type=float, default=20.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(ROOT / "data", root / "data")
        shutil.copytree(ROOT / "notebooks", root / "notebooks")

        def fresh():
            shutil.rmtree(root / "data" / "processed")
            (root / "data" / "processed").mkdir()
            shutil.rmtree(root / "reports", ignore_errors=True)

        usmx = [sys.executable, "-m", "usmx"]
        cmds = {"build": [*usmx, "build", "--root", tmp],
                "charts": [*usmx, "charts", "--root", tmp]}
        timed(FLOOR)  # warm the OS file cache and matplotlib's font cache
        timed(cmds["build"], fresh)
        times: dict[str, list[float]] = {"floor": [], "build": [], "charts": []}
        for _ in range(args.runs):  # interleaved, so drift hits all alike
            times["floor"].append(timed(FLOOR))
            times["build"].append(timed(cmds["build"], fresh))
            times["charts"].append(timed(cmds["charts"],
                                         lambda: shutil.rmtree(root / "reports",
                                                               ignore_errors=True)))
        report = [timed([*usmx, "report", "--root", tmp], fresh)
                  for _ in range(args.report_runs)]
        unchanged, edited = [], []
        if report:  # reruns: nothing changed, then one raw figure changed
            raw = root / "data" / "raw" / "deportations.csv"
            text = raw.read_text(encoding="utf-8")
            for _ in range(args.runs):
                unchanged.append(timed([*usmx, "report", "--root", tmp]))
            for run in range(args.report_runs):
                raw.write_text(text.replace(",6112,", f",{6113 + run},", 1),
                               encoding="utf-8")
                subprocess.run([*usmx, "manifest", "--root", tmp], check=True,
                               stdout=subprocess.DEVNULL)
                edited.append(timed([*usmx, "report", "--root", tmp]))

    floor = statistics.median(times["floor"])
    build = statistics.median(times["build"])
    charts = statistics.median(times["charts"])
    rep = statistics.median(report) if report else float("nan")
    print(f"import floor (pandas + matplotlib.pyplot): median {floor:.3f} s ({args.runs} runs)")
    print(f"python -m usmx build:   median {build:.3f} s  ratio {build / floor:.2f} "
          f"(limit {args.max_build:.1f})")
    print(f"python -m usmx charts:  median {charts:.3f} s  ratio {charts / floor:.2f} "
          f"(goal {args.max_charts:.1f})")
    if report:
        print(f"python -m usmx report:  median {rep:.3f} s  (build + charts + notebooks; "
              f"goal {args.max_report:.0f} s)")
        same, one = statistics.median(unchanged), statistics.median(edited)
        print(f"report, nothing changed:   median {same:.3f} s  ratio {same / floor:.2f} "
              f"(goal 2.0)")
        print(f"report, one figure edited: median {one:.3f} s  ratio {one / floor:.2f} "
              f"(goal 10.0)")
    missed = [name for name, value, goal in (
        ("build", build / floor, args.max_build), ("charts", charts / floor, args.max_charts),
        ("report", rep, args.max_report),
        ("unchanged report", statistics.median(unchanged) / floor if unchanged else 0, 2.0),
        ("edited report", statistics.median(edited) / floor if edited else 0, 10.0),
    ) if value > goal]  # NaN (not run) is never over
    print("goals: " + ("all met" if not missed else
                       "missed by " + ", ".join(missed) + " (a benchmark reports; it does "
                       "not fail the build)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
