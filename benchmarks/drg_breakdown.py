"""Where the CPU of a `drg.group` run goes, step by step (issue 12).

    .venv/bin/python benchmarks/drg_breakdown.py --tables ../shared/tdrg/6.3 --cases 1000000

Makes the cases of benchmarks/drg_group.py (same seed, same cases), then, in a fresh process, takes them
through the engine's path one chunk at a time with Polars on one thread (POLARS_MAX_THREADS=1, set before Polars
is imported, so that the process's CPU clock is the step's CPU): the tables loaded from their cache, each chunk
read, grouped and written as a worker does it (`engine.worker.compute_chunk`, chunks as `openuhc drg group` cuts
them), then the chunk files assembled into one Parquet file with the runner's writer settings, and checksummed.
Each step is its module's function wrapped with a CPU timer. Prints CPU seconds per step, the total and the
output's sha256, which must be drg_group.py's for the same size. Two workers sharing two cores take about 10 %
more CPU than this one chunk at a time (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

os.environ["POLARS_MAX_THREADS"] = "1"  # before anything imports Polars
sys.path.insert(0, str(Path(__file__).resolve().parent))

# (module, function, label) of each step, in the order of the path; a step's time includes the steps it calls
STEPS = [
    ("openuhc.engine.worker", "read_groups", "read the chunk's row groups"),
    ("openuhc.drg.vector", "group_arrow", "group_arrow: the grouping (below), the weights, the casts"),
    ("openuhc.drg.vector", "_parse", "  _parse"),
    ("openuhc.drg.vector", "group_frame", "  group_frame: the steps below, the principal diagnosis's join and edits"),
    ("openuhc.drg.vector", "_valid_codes", "    _valid_codes"),
    ("openuhc.drg.vector", "_facts", "    _facts"),
    ("openuhc.drg.logic_columns", "decide", "    logic_columns.decide"),
    ("openuhc.drg.vector", "_planned", "    _planned"),
    ("openuhc.drg.vector", "_decided_per_key", "    _decided_per_key"),
    ("openuhc.drg.vector", "_pcl", "    _pcl"),
    ("openuhc.drg.vector", "_finish", "    _finish"),
    ("openuhc.engine.worker", "write_chunk", "write the chunk (Arrow IPC, LZ4)"),
    ("openuhc.engine.worker", "sha256", "checksum the chunk"),
]


def _timed(module: Any, name: str, spent: dict[str, float]) -> None:
    """The module's function `name` replaced by one that adds its CPU time to `spent[name]` (callers in the module
    look it up by name, so they call the timed one)."""
    function = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - started

    setattr(module, name, timed)


def measure(workdir: Path, workers: int) -> None:
    import importlib

    from drg_group import _django

    _django(workdir)
    import pyarrow.parquet as pq

    from openuhc.drg.engine_functions import params_for, rows_per_chunk
    from openuhc.drg.tables import active_tables, load_path
    from openuhc.engine import chunking, worker

    cases = workdir / "cases.parquet"
    params = params_for(active_tables())
    meta = pq.ParquetFile(cases).metadata
    ranges = chunking.by_rows(meta, rows_per_chunk(meta.num_rows, workers))
    spent = dict.fromkeys((name for _m, name, _l in STEPS), 0.0)
    for module, name, _label in STEPS:
        _timed(importlib.import_module(module), name, spent)
    started, wall = time.process_time(), time.perf_counter()
    load_path(params["version"], params["tables_path"]).vector  # noqa: B018 - the tables, as a worker loads them
    loading = time.process_time() - started
    paths = [str(workdir / f"chunk-{index:06d}.arrow") for index in range(len(ranges))]
    for (first, last, _rows), path in zip(ranges, paths, strict=True):
        worker.compute_chunk("drg.group", str(cases), first, last, params, path)
    computing = time.process_time() - started - loading
    started = time.process_time()
    writer = None
    for path in paths:
        table = worker.read_chunk(path)
        writer = writer or pq.ParquetWriter(workdir / "output.parquet", table.schema, **worker.WRITE_OPTIONS)
        writer.write_table(table)
    assert writer is not None
    writer.close()
    assembling = time.process_time() - started
    started = time.process_time()
    digest = worker.sha256(workdir / "output.parquet")
    checksum = time.process_time() - started
    total = loading + computing + assembling + checksum
    print(f"{meta.num_rows:,} cases, {len(ranges)} chunks, Polars on one thread; CPU seconds:\n")
    print(f"| step | CPU s | share |\n|---|---|---|\n| load the tables | {loading:.2f} | {loading / total:.0%} |")
    for _module, name, label in STEPS:
        print(f"| {label} | {spent[name]:.2f} | {spent[name] / total:.0%} |")
    print(f"| all the chunks (the steps above, and what joins them) | {computing:.2f} | {computing / total:.0%} |")
    print(f"| assemble: read the chunk files, write the Parquet output | {assembling:.2f} | {assembling / total:.0%} |")
    print(f"| checksum the output | {checksum:.2f} | {checksum / total:.0%} |")
    print(f"| total | {total:.2f} | |")
    print(f"\nWall {time.perf_counter() - wall:.1f} s; load average {os.getloadavg()[0]:.1f}; "
          f"output sha256 {digest[:16]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "tdrg" / "6.3")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2, help="only to choose the chunk size as the command does")
    parser.add_argument("--workdir", type=Path, default=None)  # set: measure there, in this process
    args = parser.parse_args()
    if args.workdir:
        measure(args.workdir, args.workers)
        return
    from drg_group import prepared_workdir

    workdir = prepared_workdir(args.tables, args.cases, "openuhc-drg-breakdown-")
    # measured in a fresh process: the tables are read from the cache as a worker reads them
    subprocess.run([sys.executable, __file__, "--workdir", str(workdir), "--workers", str(args.workers)], check=True)


if __name__ == "__main__":
    main()
