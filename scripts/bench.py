"""Time `python -m usmx build` against the import floor of pandas + matplotlib.

Prints the median of each over N runs (fresh interpreter each time) and their ratio; exits 1
when the ratio exceeds --max-ratio. The build runs on a scratch copy of data/ whose
data/processed/ is emptied before every run, so each run writes every file.

    python scripts/bench.py [--runs 7] [--max-ratio 2.0]
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
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--max-ratio", type=float, default=2.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "data", Path(tmp) / "data")
        processed = Path(tmp) / "data" / "processed"

        def empty_processed():
            shutil.rmtree(processed)
            processed.mkdir()

        build = [sys.executable, "-m", "usmx", "build", "--root", tmp]
        timed(FLOOR)  # warm the OS file cache and matplotlib's font cache
        timed(build, empty_processed)
        floor, built = [], []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            floor.append(timed(FLOOR))
            built.append(timed(build, empty_processed))

    f, b = statistics.median(floor), statistics.median(built)
    ratio = b / f
    print(f"import floor (pandas + matplotlib.pyplot): median {f:.3f} s over {args.runs} runs")
    print(f"python -m usmx build:                       median {b:.3f} s over {args.runs} runs")
    print(f"ratio build / floor: {ratio:.2f} (limit {args.max_ratio:.2f})")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
