"""Loading and validating the record against a plain pandas read of the same CSVs; prints JSON.

    python bench/bench_load.py RECORD_DIR [--repeats 3]
    python bench/bench_load.py --figures 1000000      # generates a record in a temp dir

RECORD_DIR is a data/-shaped directory (data/ itself, or one written by
bench/generate_record.py). The floor is `pandas.read_csv` of every table the schema
lists, default options, nothing checked; the project's figure is
`presence.record.dataset.load_dataset`, which reads, validates every cell, key, reference and
mission lifetime, and types the columns. Both are timed in the same run, alternating,
and the medians are reported. The bar (issue 15): the ratio under 10 at 1,000,000 figures.
For information, the consistency checks `presence validate` adds (presence.record.checks,
which read several rows together) are timed once after the loads.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from presence.record.checks import run_checks
from presence.record.dataset import load_dataset, load_schema


def plain_read(directory: Path) -> dict[str, pd.DataFrame]:
    """The floor: every table read as pandas reads a CSV by default."""
    schema = load_schema(directory)
    return {table: pd.read_csv(directory / f"{table}.csv") for table in schema["tables"]}


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def measure(directory: Path, repeats: int) -> dict:
    floor, project = [], []
    for _ in range(repeats):
        floor.append(timed(lambda: plain_read(directory)))
        project.append(timed(lambda: load_dataset(directory)))
    dataset = load_dataset(directory)
    checks_s = timed(lambda: run_checks(dataset))
    figures = len(dataset.troops)
    floor_s, project_s = statistics.median(floor), statistics.median(project)
    return {"measure": "load and validate the record", "record": str(directory),
            "troop_figures": figures, "repeats": repeats,
            "project_s": round(project_s, 3), "floor_s": round(floor_s, 3),
            "ratio": round(project_s / floor_s, 2), "bar_ratio": 10,
            "checks_s": round(checks_s, 3),
            "load_and_checks_ratio": round((project_s + checks_s) / floor_s, 2),
            "project_runs_s": [round(t, 3) for t in project],
            "floor_runs_s": [round(t, 3) for t in floor],
            "floor": "pandas.read_csv of every table, default options",
            "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "pandas": pd.__version__}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("record", type=Path, nargs="?", help="a data/-shaped directory")
    parser.add_argument("--figures", type=int, help="generate a record of this many figures")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    if args.record is None and args.figures is None:
        parser.error("give a RECORD_DIR or --figures N")
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.record
        if directory is None:
            directory = Path(scratch) / "record"
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate_record.py"),
                            str(directory), "--figures", str(args.figures)], check=True,
                           stdout=subprocess.DEVNULL)
        print(json.dumps(measure(directory, args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
