"""A `drg.group` worker process's start and its first chunks, in fresh interpreters (issue 12).

    .venv/bin/python benchmarks/drg_worker_start.py --workdir /tmp/openuhc-drg-timeline-… [--runs 5]

On a folder made by `drg_group.py` or `drg_timeline.py` (its database, installed tables and cases.parquet), runs
`--runs` fresh interpreters that do what a spawned worker of the mixed pool does: the modules a spawned child has
imported before ours (multiprocessing, concurrent.futures.process), `worker.setup`, `worker.function("drg.group",
…, standalone=True)` (no `django.setup`), the tables' `load_path` and `.vector`, then `worker.compute_chunk` on the
first two chunks of 100,000 rows (row groups 0–4 and 4–8), with one Polars thread as `share_cores` gives each
worker on two cores. Prints, per run, the process CPU (process_time) and wall time from the interpreter's first
line of ours to each mark, and the best of the runs. A first run after a change of the grouper's code also builds
the columnar look-ups (the cache folder's digest changed): the best of several runs leaves it out.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKS = ("imports", "function", "load_path", "vector", "chunk1", "chunk2")


def part_worker(workdir: Path, params: dict) -> None:
    """What a spawned worker does, timed; the marks as JSON on stdout."""
    os.environ["POLARS_MAX_THREADS"] = "1"
    marks: list[tuple[str, float, float]] = []
    started, cpu = time.perf_counter(), time.process_time()

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter() - started, time.process_time() - cpu))

    import concurrent.futures.process  # noqa: F401 - what a spawned child has imported before our code
    import multiprocessing  # noqa: F401

    from openuhc.engine import worker

    worker.setup()
    mark("imports")
    worker.function("drg.group", "openuhc.drg.engine_functions", standalone=True)
    mark("function")
    from openuhc.drg.tables import load_path

    tables = load_path(params["version"], params["tables_path"])
    mark("load_path")
    tables.vector  # noqa: B018 - the columnar look-ups, read from the table cache
    mark("vector")
    with tempfile.TemporaryDirectory() as out:
        for n, (first, last) in enumerate(((0, 4), (4, 8)), start=1):
            worker.compute_chunk("drg.group", str(workdir / "cases.parquet"), first, last, params,
                                 str(Path(out) / f"chunk{n}.arrow"), "openuhc.drg.engine_functions", True)
            mark(f"chunk{n}")
    print(json.dumps(marks))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--params", default="")  # set: one timed worker (internal)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.params:
        part_worker(args.workdir, json.loads(args.params))
        return
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from drg_group import _django

    _django(args.workdir)
    from openuhc.drg.engine_functions import params_for
    from openuhc.drg.tables import active_tables

    params = json.dumps(params_for(active_tables(), processes=True))
    runs = []
    for _ in range(args.runs):
        done = subprocess.run([sys.executable, __file__, "--workdir", str(args.workdir), "--params", params],
                              check=True, capture_output=True, text=True, cwd=ROOT)
        runs.append({name: (wall, cpu) for name, wall, cpu in json.loads(done.stdout.splitlines()[-1])})
        print("  ".join(f"{name} {runs[-1][name][1]:.3f} ({runs[-1][name][0]:.3f})" for name in MARKS), flush=True)
    print("best CPU s (wall s) at each mark: " + "  ".join(
        f"{name} {min(r[name][1] for r in runs):.3f} ({min(r[name][0] for r in runs):.3f})" for name in MARKS))


if __name__ == "__main__":
    main()
