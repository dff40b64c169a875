"""Grouping as a batch function of the engine: `drg.group`.

Params: the table set's `version` and cache path (`tables_path`), `weighing` (the AdjRW rule by discharge
date, `drg.params.weighing_schedule`) and `trace` (default false). Without a
trace the columnar grouper (`drg.vector`) groups the chunk; with `trace: true` the per-case grouper does,
and each row also carries its "why this DRG" (JSON) — what the claims pipeline stores per claim. Both give the
same results (drg/tests/test_vector.py)."""

from __future__ import annotations

import os
import sys
from typing import Any

import pyarrow as pa

from openuhc.engine.registry import MIXED, ROWS, register


def _output(input_schema: pa.Schema, params: dict[str, Any]) -> pa.Schema:
    """The input's columns and the grouper's (drg.services.OUTPUT_COLUMNS, with `trace` when asked)."""
    from openuhc.drg.services import OUTPUT_COLUMNS, TYPES

    added = [*OUTPUT_COLUMNS, *(["trace"] if params.get("trace") else [])]
    kept = [field for field in input_schema if field.name not in (*OUTPUT_COLUMNS, "trace")]
    return pa.schema([*kept, *(pa.field(name, TYPES[name]) for name in added)])


def _columnar(params: dict[str, Any]) -> bool | str:
    """Without a trace the work is Polars (threads); with one it is the per-case Python path (processes). A large
    run (`processes`: `in_processes`) has one worker thread and the other workers processes (registry.MIXED)."""
    if params.get("trace"):
        return False
    return MIXED if params.get("processes") else True


@register("drg.group", "2", standalone=True, threads=_columnar, shape=ROWS, schema=_output)
def group(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    from openuhc.drg.services import group_batch
    from openuhc.drg.tables import load_path

    return group_batch(table, tables=load_path(params["version"], params["tables_path"]),
                       trace=bool(params.get("trace")), schedule=params.get("weighing"))


def rows_per_chunk(total_rows: int, workers: int) -> int:
    """Rows per chunk of a `drg.group` run: 100,000 when that still gives every worker four chunks or more, else
    50,000. Each chunk pays a fixed cost of Polars queries (about 0.1 s of CPU: the rules' chapters, whatever
    their rows), so larger chunks cost less per case; four per worker keep the workers busy to the end.
    On 1,000,000 cases, 100,000-row chunks took 12–16 % less CPU than 50,000 (benchmarks/README.md)."""
    return 100_000 if total_rows >= 100_000 * 4 * max(1, workers) else 50_000


def in_processes(total_rows: int, workers: int) -> bool:
    """Whether a `drg.group` run of `total_rows` on `workers` takes worker processes besides a thread of its own
    (`params_for(..., processes=True)`, registry.MIXED): when every worker gets four chunks or more. Worker
    threads of one process wait for each other on Polars' pool and streaming executor, one per process (two
    threads used 1.4 of 2 cores); a thread and a process each have their own and used 1.8. Starting a process
    costs about 0.5 s (imports, tables), which a run of a few chunks does not win back (benchmarks/README.md)."""
    chunks = -(-total_rows // rows_per_chunk(total_rows, workers))
    return workers > 1 and chunks >= 4 * workers


def share_cores(workers: int) -> None:
    """Before Polars is imported, for a run on `workers` threads: Polars' thread pool is one per process, sized
    once, when Polars is imported, to every core, so `workers` threads each running queries on all cores
    oversubscribe them. The pool gets the cores divided among the workers (POLARS_MAX_THREADS; one each on two
    cores and two workers: 7 % less CPU on 1,000,000 cases, benchmarks/README.md). An operator's
    POLARS_MAX_THREADS is kept; once Polars is imported this changes nothing."""
    cores = os.cpu_count() or 1
    if workers > 1 and "polars" not in sys.modules:
        os.environ.setdefault("POLARS_MAX_THREADS", str(max(1, cores // workers)))


def params_for(tables: Any, *, trace: bool = False, processes: bool = False) -> dict[str, Any]:
    from openuhc.drg.params import weighing_schedule

    # the AdjRW rule by discharge date, read here: workers do not open the database
    params: dict[str, Any] = {"version": tables.version, "tables_path": str(tables.folder),
                              "weighing": weighing_schedule()}
    if trace:
        params["trace"] = True
    if processes:
        params["processes"] = True
    return params
