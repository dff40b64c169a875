"""Where an engine run's time went, from what the run leaves behind: the run record's `created_at` and
`finished_at` and its chunk files' modification times (each written by the worker or Spark task that computed
the chunk). Before the first chunk: staging, workers' start (Spark: reading and shuffling a group function's
input); the chunk phase; after the last chunk: the driver's recording and assembling of the output.

    .venv/bin/python benchmarks/engine_phases.py /tmp/openuhc-spark-bench-*/bench.sqlite3
"""

from __future__ import annotations

import argparse
import sqlite3
from datetime import datetime
from pathlib import Path


def phases(database: Path) -> None:
    with sqlite3.connect(database) as con:
        runs = con.execute("SELECT function, runner, created_at, finished_at, total_chunks, total_rows, workdir "
                           "FROM engine_run WHERE finished_at IS NOT NULL ORDER BY created_at").fetchall()
    for function, runner, created, finished, chunks, rows, workdir in runs:
        started, ended = datetime.fromisoformat(created).timestamp(), datetime.fromisoformat(finished).timestamp()
        times = sorted(p.stat().st_mtime for p in Path(workdir).glob("chunk-*.arrow"))
        if len(times) < 2:
            continue
        apart = (times[-1] - times[0]) / (len(times) - 1)
        print(f"| {function} | {runner} | {rows:,} | {chunks} | {ended - started:.1f} | {times[0] - started:.1f} | "
              f"{times[-1] - times[0]:.1f} ({apart:.2f} s apart) | {ended - times[-1]:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("databases", nargs="+", type=Path)
    args = parser.parse_args()
    print("| function | runner | rows | chunks | run s | before the first chunk s | chunk phase s | after the last s |")
    print("|---|---|---|---|---|---|---|---|")
    for database in args.databases:
        phases(database)


if __name__ == "__main__":
    main()
