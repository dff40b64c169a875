"""Where the wall time of a `drg.group` run goes (issue 12): a timeline per thread.

    .venv/bin/python benchmarks/drg_timeline.py --tables ../shared/tdrg/6.3 --cases 1000000

Makes the cases of benchmarks/drg_group.py (same seed, same cases), then, in a fresh process set up as
drg_group.py's timed part (Polars' threads shared among the workers, modules imported before the clock, the pool
`openuhc drg group` chooses), runs `runner.start` + `runner.resume` with the engine's and the grouper's functions
wrapped: each call's start and end (wall, from the run's start) and its thread's name are recorded (in this
process: a worker process's steps show as its chunks' leases and early writes only). A sampler thread reads every
thread's CPU and state from /proc every 20 ms, so that the cores' use (the workers' Python threads, Polars' pool,
the streaming engine's threads) shows per tenth of a second. Prints the run's wall and CPU (worker processes
included), per thread the steps with their times, each thread's CPU and how often it was runnable, and the CPU
use per 0.1 s (200 % is both cores). `--workdir` re-runs the measurement on cases made before; `--pool` and
`--engine` are experiments (benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# (module, function) wrapped; a step's time includes the steps it calls
STEPS = [
    ("openuhc.engine.runner", "start"),
    ("openuhc.engine.runner", "resume"),
    ("openuhc.engine.runner", "_lease"),
    ("openuhc.engine.runner", "_finish_chunk"),
    ("openuhc.engine.runner", "_assemble"),
    ("openuhc.engine.runner", "_publish"),
    ("openuhc.engine.storage", "sha256"),
    ("openuhc.engine.chunking", "by_rows"),
    ("openuhc.engine.worker", "read_groups"),
    ("openuhc.engine.worker", "write_chunk"),
    ("openuhc.engine.worker", "read_chunk"),
    ("openuhc.engine.worker", "conform"),
    ("openuhc.drg.tables", "load_path"),
    ("openuhc.drg.services", "group_batch"),
    ("openuhc.drg.services", "_attach"),
    ("openuhc.drg.vector", "group_arrow"),
    ("openuhc.drg.vector", "_parse"),
    ("openuhc.drg.vector", "group_frame"),
    ("openuhc.drg.vector", "_valid_codes"),
    ("openuhc.drg.vector", "_facts"),
    ("openuhc.drg.logic_columns", "decide"),
    ("openuhc.drg.vector", "_planned"),
    ("openuhc.drg.vector", "_decided_per_key"),
    ("openuhc.drg.vector", "_pcl"),
    ("openuhc.drg.vector", "_finish"),
]

EVENTS: list[tuple[str, str, float, float, int]] = []  # thread, step, start, end, depth
_depth = threading.local()


def _wrap(module: Any, name: str, origin: float) -> None:
    function = getattr(module, name)

    def timed(*args: Any, **kwargs: Any) -> Any:
        depth = getattr(_depth, "n", 0)
        _depth.n = depth + 1
        started = time.perf_counter() - origin
        try:
            return function(*args, **kwargs)
        finally:
            _depth.n = depth
            EVENTS.append((threading.current_thread().name, name, started, time.perf_counter() - origin, depth))

    setattr(module, name, timed)


def _wrap_method(cls: Any, name: str, label: str, origin: float) -> None:
    function = getattr(cls, name)

    def timed(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter() - origin
        try:
            return function(self, *args, **kwargs)
        finally:
            EVENTS.append((threading.current_thread().name, label, started, time.perf_counter() - origin, 0))

    setattr(cls, name, timed)


class Sampler(threading.Thread):
    """Every thread's CPU ticks (utime + stime from /proc/self/task/*/stat) every 20 ms."""

    def __init__(self, origin: float) -> None:
        super().__init__(name="sampler", daemon=True)
        self.origin = origin
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.states: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # thread: state: samples
        self.stop = threading.Event()

    def read(self) -> dict[str, int]:
        ticks: dict[str, int] = defaultdict(int)
        for task in os.listdir("/proc/self/task"):
            try:
                with open(f"/proc/self/task/{task}/stat") as handle:
                    text = handle.read()
            except OSError:
                continue
            name = text[text.index("(") + 1:text.rindex(")")]
            fields = text[text.rindex(")") + 2:].split()
            self.states[f"{name}:{task}"][fields[0]] += 1
            ticks[f"{name}:{task}"] += int(fields[11]) + int(fields[12])
        return ticks

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((time.perf_counter() - self.origin, self.read()))
            time.sleep(0.02)


def measure(workdir: Path, workers: int, rows: int = 0, pool: str = "", engine: str = "") -> None:
    import importlib

    from drg_group import _django, workers_joined

    _django(workdir)
    from openuhc.drg.engine_functions import share_cores

    share_cores(workers)
    import pyarrow.parquet as pq

    import openuhc.drg.services  # noqa: F401
    import openuhc.drg.vector  # noqa: F401
    from openuhc.drg.engine_functions import in_processes, params_for, rows_per_chunk
    from openuhc.drg.tables import active_tables
    from openuhc.engine import runner

    cases = workdir / "cases.parquet"
    total = pq.ParquetFile(cases).metadata.num_rows
    params = params_for(active_tables(), processes=in_processes(total, workers))
    chunk_rows = rows or rows_per_chunk(total, workers)
    origin = time.perf_counter()
    for module, name in STEPS:
        _wrap(importlib.import_module(module), name, origin)
    runner.sha256 = runner.worker.sha256 = importlib.import_module("openuhc.engine.storage").sha256
    _wrap_method(runner._Early, "done", "early.done", origin)
    _wrap_method(runner._Early, "complete", "early.complete (close)", origin)
    ticks = os.sysconf("SC_CLK_TCK")
    sampler = Sampler(origin)
    sampler.start()
    if engine:  # an experiment: every query of the grouper on this Polars engine
        for name in ("openuhc.drg.vector", "openuhc.drg.logic_columns"):
            importlib.import_module(name).ENGINE = engine
    if pool:  # "threads", "processes" or "mixed", instead of what `in_processes` chooses
        registry = importlib.import_module("openuhc.engine.registry")
        object.__setattr__(registry.get("drg.group"), "pool", lambda params: pool)
    started, cpu = time.perf_counter(), time.process_time()
    run = runner.start("drg.group", cases, params=params, rows_per_chunk=chunk_rows)
    run = runner.resume(run, workers=workers)
    wall = time.perf_counter() - started
    workers_joined()  # the worker processes' CPU counts once they have exited and been joined
    exited = time.perf_counter() - origin
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    sampler.stop.set()
    sampler.join()
    print(f"{run.total_rows:,} cases, {run.total_chunks} chunks, {workers} workers: wall {wall:.2f} s, CPU {cpu:.2f} s "
          f"({cpu / wall / (os.cpu_count() or 1):.0%} of the cores); load average {os.getloadavg()[0]:.1f}; "
          f"sha256 {runner.sha256(run.output_path)[:16]}; worker processes joined at {exited:.3f} s\n")
    by_thread: dict[str, list[tuple[str, float, float, int]]] = defaultdict(list)
    for thread, step, begin, end, depth in EVENTS:
        by_thread[thread].append((step, begin, end, depth))
    for thread, events in by_thread.items():
        print(f"## {thread}")
        for step, begin, end, depth in sorted(events, key=lambda e: (e[1], e[3])):
            if end - begin >= 0.005 or depth == 0:
                print(f"  {begin:7.3f}–{end:7.3f} {(end - begin) * 1000:7.0f} ms {'  ' * depth}{step}")
    first_seen: dict[str, int] = {}
    last_seen: dict[str, int] = {}
    for _t, sample in sampler.samples:
        for name, value in sample.items():
            first_seen.setdefault(name, value)
            last_seen[name] = value
    totals = {name: (last_seen[name] - first_seen[name]) / ticks for name in last_seen}
    print("\n## CPU seconds per thread over the run")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        if seconds:
            states = sampler.states[name]
            seen = sum(states.values()) or 1
            print(f"  {name:32} {seconds:6.2f} s  running {states.get('R', 0) / seen:4.0%} of its samples")
    print("\n## CPU per 0.1 s (% of one core), by thread; total")
    names: set[str] = set()
    rows = []
    previous_t, previous = sampler.samples[0]
    bucket_start, acc = previous_t, defaultdict(float)
    for t, sample in sampler.samples[1:]:
        for name, value in sample.items():
            acc[name] += value - previous.get(name, value)
        if t >= bucket_start + 0.1:
            rows.append((t, {k: v / ticks / (t - bucket_start) * 100 for k, v in acc.items() if v}))
            names |= {k for k, v in acc.items() if v}
            acc = defaultdict(float)
            bucket_start = t
        previous = sample
    order = sorted(names)
    print("   t  | " + " | ".join(n[:18] for n in order) + " | total")
    for t, use in rows:
        print(f"{t:5.1f} | " + " | ".join(f"{use.get(n, 0):>{min(18, len(n))}.0f}" for n in order)
              + f" | {sum(use.values()):4.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "tdrg" / "6.3")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rows-per-chunk", type=int, default=0)  # 0: as `openuhc drg group` chooses
    parser.add_argument("--pool", choices=["", "threads", "processes", "mixed"], default="")  # "": as the command
    parser.add_argument("--engine", default="")  # "": the grouper's own choice per query
    parser.add_argument("--workdir", type=Path, default=None)  # set: measure there, in this process
    args = parser.parse_args()
    if args.workdir:
        measure(args.workdir, args.workers, args.rows_per_chunk, args.pool, args.engine)
        return
    from drg_group import prepared_workdir

    workdir = prepared_workdir(args.tables, args.cases, "openuhc-drg-timeline-")
    print(f"workdir {workdir} (re-run the measurement alone: --workdir {workdir})", flush=True)
    subprocess.run([sys.executable, __file__, "--workdir", str(workdir), "--workers", str(args.workers),
                    "--rows-per-chunk", str(args.rows_per_chunk), "--pool", args.pool, "--engine", args.engine],
                   check=True)


if __name__ == "__main__":
    main()
