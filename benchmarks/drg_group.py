"""Thai DRG grouping + AdjRW: OpenUHC against the `thai-drg-grouper` package, on the same synthetic cases.

    .venv/bin/pip install thai-drg-grouper            # the peer, for this benchmark only (not a dependency)
    .venv/bin/python benchmarks/drg_group.py --tables ../shared/tdrg/6.3
    # options: --sizes 100000,500000,1000000 (OpenUHC), --peer-sizes 100000 (the peer; "" for none),
    #          --workers N (default: all cores), --rows-per-chunk N (default: as `openuhc drg group` chooses,
    #          `drg.engine_functions.rows_per_chunk`: 100,000 from 800,000 cases on 2 workers, else 50,000),
    #          --pool auto|threads|mixed (default auto: as the command chooses, `drg.engine_functions.in_processes`)

Cases are drawn from the 6.3 tables themselves: a principal diagnosis acceptable for the case's sex and age,
0–3 secondary diagnoses among the complication codes, an OR procedure for 30 % of cases, ages 1–90, stays of
0–20 days. Each measurement runs in its own process, so that its peak memory (its own and its workers')
is its own.

- Table load: a fresh process imports the modules (timed apart), then loads the installed set
  (`LoadedTables`), the CC exclusion list (first use) and the columnar look-ups (`tables.vector`).
- OpenUHC: `runner.start` + `runner.resume` of `drg.group` on the cases' Parquet file (chunks of 50,000 or
  100,000 rows, as `openuhc drg group` chooses them), from the run's start to its assembled, checksummed
  Parquet output — table loading included; the Python modules (Polars, the grouper) are imported before the
  clock starts, as the peer's are, Polars' threads are shared among the workers as `openuhc drg group`
  shares them (`drg.engine_functions.share_cores`), and the workers are threads or, for a run of four chunks or
  more per worker, one thread and worker processes, as the command chooses (`in_processes`).
- The peer: `ThaiDRGGrouper.group` called per case on the same rows, timed around the loop only (loading
  its DBF tables, about 5 s, is not counted). It weighs with floats and its own rules, so its DRGs differ.

Prints the table-load line, a Markdown table (cases, seconds, CPU seconds of the timed part — the process's and its
worker processes' —, cases/s, peak MiB of the largest process, ratio; with our workers, the cores the machine gave
that many busy processes just before and after our run, `cores_free`), the load average, the
output's sha256 per size (the same cases give the same bytes: a change that must not move the output keeps it) and
the national-month figure (500,000 admissions).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def _django(workdir: Path) -> None:
    os.environ["OPENUHC_DATA_DIR"] = str(workdir / "data")
    os.environ["OPENUHC_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    import django

    django.setup()


def make_cases(tables_dir: Path, n: int, seed: int, out: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from dbfread import DBF

    rng = random.Random(seed)  # noqa: S311
    dx = list(DBF(str(tables_dir / "c63i10.dbf"), encoding="cp874"))
    pdx = [r for r in dx if r["ACCPDX"] == "Y" and r["MDC"] not in ("30", "15", "14") and r["SEX"] == "B"
           and r["AGEMIN"] <= 18 and r["AGEMAX"] >= 60 and r["AGEDUSE"] != "Y"]
    cc = [r["CODE"] for r in dx if r["CC"] and r["SEX"] == "B" and r["AGEMIN"] == 0 and r["AGEMAX"] == 124]
    procs = [r["CODE"] for r in DBF(str(tables_dir / "c63proc.dbf"), encoding="cp874") if r["ORP"] == "Y"
             and r["SEX"] == "B"]
    start = date(2026, 1, 1)
    cols: dict[str, list] = {k: [] for k in ("an", "pdx", "sdx", "proc", "sex", "age", "admit_date",
                                             "discharge_date", "leave_days")}
    for i in range(n):
        row = rng.choice(pdx)
        admitted = start + timedelta(days=rng.randrange(28))
        cols["an"].append(f"A{i:08d}")
        cols["pdx"].append(row["CODE"])
        cols["sdx"].append(";".join(rng.sample(cc, rng.choice([0, 0, 1, 1, 2, 3]))))
        cols["proc"].append(rng.choice(procs) if rng.random() < 0.3 else "")
        cols["sex"].append(rng.choice([1, 2]))
        cols["age"].append(rng.randrange(max(1, row["AGEMIN"], 18), min(90, row["AGEMAX"]) + 1))
        cols["admit_date"].append(admitted)
        cols["discharge_date"].append(admitted + timedelta(days=rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 7, 10, 14, 20])))
        cols["leave_days"].append(0)
    pq.write_table(pa.table(cols), out, row_group_size=25_000)


def workers_joined() -> None:
    """Wait until the run's worker processes have exited: a run returns before they have (runner._run_pool), and
    RUSAGE_CHILDREN counts a child's CPU only once the pool's management thread has joined it."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()


def bytecode() -> None:
    """OpenUHC's modules compiled to bytecode, as a pip-installed package has them (the peer's are): a source
    checkout gets them on first import, except where PYTHONDONTWRITEBYTECODE is set, as on the machines these
    figures come from, where every worker process compiled its modules again (0.2-0.4 s of a 1,000,000-case run,
    benchmarks/README.md)."""
    import compileall

    compileall.compile_dir(ROOT / "src" / "openuhc", quiet=1)


def prepared_workdir(tables: Path, cases: int, prefix: str) -> Path:
    """A new work folder with its database migrated, the tables installed and `cases` synthetic cases
    (cases.parquet, the seed being their number, as in the side by side)."""
    bytecode()
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    _django(workdir)
    from django.core.management import call_command

    from openuhc.drg.tables import install_tables

    call_command("migrate", verbosity=0)
    install_tables(tables)
    make_cases(tables, cases, seed=cases, out=workdir / "cases.parquet")
    return workdir


def part_load(args: argparse.Namespace) -> dict:
    _django(args.workdir)
    started = time.perf_counter()
    import polars  # noqa: F401 - module imports are a process cost, timed apart from the tables
    import pyarrow.compute  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    from openuhc.drg import vector  # noqa: F401
    from openuhc.drg.tables import LoadedTables, active_tables

    imports = time.perf_counter() - started
    record = active_tables()
    started = time.perf_counter()
    tables = LoadedTables(record.version, record.folder)
    load = time.perf_counter() - started
    started = time.perf_counter()
    tables.excluded("A000", "A000")
    ccex = time.perf_counter() - started
    started = time.perf_counter()
    tables.vector  # noqa: B018 - builds the columnar look-ups
    columnar = time.perf_counter() - started
    return {"imports_ms": imports * 1000, "load_ms": load * 1000, "ccex_ms": ccex * 1000,
            "vector_ms": columnar * 1000}


def part_ours(args: argparse.Namespace) -> dict:
    _django(args.workdir)
    from openuhc.drg.engine_functions import share_cores

    share_cores(args.workers)  # as `openuhc drg group` does, before Polars is imported
    # Modules are imported before the clock starts, as the peer's are (a server has them loaded); loading the
    # tables stays inside the timed part.
    import pyarrow.parquet as pq

    import openuhc.drg.services  # noqa: F401
    import openuhc.drg.vector  # noqa: F401
    from openuhc.drg.engine_functions import in_processes, params_for, rows_per_chunk
    from openuhc.drg.tables import active_tables
    from openuhc.engine import runner

    total = pq.ParquetFile(args.cases).metadata.num_rows
    chunk_rows = args.rows_per_chunk or rows_per_chunk(total, args.workers)
    processes = in_processes(total, args.workers) if args.pool == "auto" else args.pool == "mixed"
    started, cpu = time.perf_counter(), time.process_time()
    run = runner.start("drg.group", args.cases, params=params_for(active_tables(), processes=processes),
                       rows_per_chunk=chunk_rows)
    run = runner.resume(run, workers=args.workers)
    seconds = time.perf_counter() - started
    workers_joined()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # worker processes, once the pool has joined them
    cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
    out = pq.read_table(run.output_path, columns=["drg", "adjrw", "exact", "error"])
    return {"seconds": seconds, "cpu_s": cpu, "rows": out.num_rows, "sha256": runner.sha256(run.output_path),
            "errors": out.num_rows - out.column("error").null_count}


def part_peer(args: argparse.Namespace) -> dict:
    import pyarrow.parquet as pq
    from thai_drg_grouper import ThaiDRGGrouper

    grouper = ThaiDRGGrouper(str(args.tables), version="6.3")
    table = pq.read_table(args.cases).to_pylist()
    started, cpu = time.perf_counter(), time.process_time()
    for row in table:
        los = (row["discharge_date"] - row["admit_date"]).days
        grouper.group(row["pdx"], sdx=[c for c in row["sdx"].split(";") if c],
                      procedures=[row["proc"]] if row["proc"] else [], age=row["age"],
                      sex="M" if row["sex"] == 1 else "F", los=los)
    return {"seconds": time.perf_counter() - started, "cpu_s": time.process_time() - cpu, "rows": len(table)}


BURN = "import time\nc = time.process_time()\nwhile time.process_time() - c < 0.5:\n    pass\n"


def cores_free(workers: int) -> float:
    """How many cores the machine gives `workers` processes that each burn 0.5 s of CPU at once (CPU / wall). With
    another busy process on this 2-core machine two such processes got 1.0–1.4 cores, not 2: that slows our two
    workers but not the peer's one process."""
    started = time.perf_counter()
    burners = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(workers)]
    for burner in burners:
        burner.wait()
    return workers * 0.5 / (time.perf_counter() - started - 0.03)  # less an interpreter's start, about 0.03 s


def _run_part(part: str, args: argparse.Namespace, cases: Path) -> dict:
    command = [sys.executable, __file__, "--part", part, "--tables", str(args.tables), "--workdir", str(args.workdir),
               "--cases", str(cases), "--workers", str(args.workers), "--rows-per-chunk", str(args.rows_per_chunk),
               "--pool", args.pool]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{part} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, default=ROOT.parent / "shared" / "tdrg" / "6.3")
    parser.add_argument("--sizes", default="100000,500000,1000000")
    parser.add_argument("--peer-sizes", default="100000")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rows-per-chunk", type=int, default=0)  # 0: as `openuhc drg group` chooses
    parser.add_argument("--pool", choices=["auto", "threads", "mixed"], default="auto")  # auto: as the command
    parser.add_argument("--part", default="")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--cases", type=Path, default=None)
    args = parser.parse_args()
    if args.part:
        result = {"load": part_load, "ours": part_ours, "peer": part_peer}[args.part](args)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result["peak_mib"] = max(own, children) / 1024
        print(json.dumps(result))
        return
    if not (args.tables / "c63drg.dbf").exists():
        raise SystemExit(f"The Thai DRG 6.3 tables are not at {args.tables} (--tables PATH).")
    bytecode()
    args.workdir = Path(tempfile.mkdtemp(prefix="openuhc-drg-bench-"))
    _django(args.workdir)
    from django.core.management import call_command

    from openuhc.drg.tables import install_tables

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    install_tables(args.tables)
    install_seconds = time.perf_counter() - started
    load = _run_part("load", args, args.workdir / "none")
    total = load["load_ms"] + load["ccex_ms"] + load["vector_ms"]
    print(f"install (DBF → columnar cache, once): {install_seconds:.2f} s; load from the cache: "
          f"{load['load_ms']:.0f} ms; CC exclusions on first use: {load['ccex_ms']:.0f} ms; columnar look-ups "
          f"(built at install, read from the cache): {load['vector_ms']:.0f} ms; total {total:.0f} ms "
          f"(module imports, once per process: {load['imports_ms']:.0f} ms)")
    print("\n| cases | grouper | seconds | CPU s | cases/s | peak MiB | ratio |\n|---|---|---|---|---|---|---|")
    peer_sizes = {int(s) for s in args.peer_sizes.split(",") if s}
    month = None
    digests: dict[int, str] = {}
    for size in sorted({int(s) for s in args.sizes.split(",") if s} | peer_sizes):
        cases = args.workdir / f"cases-{size}.parquet"
        make_cases(args.tables, size, seed=size, out=cases)
        free = cores_free(args.workers)
        ours = _run_part("ours", args, cases)
        free = (free + cores_free(args.workers)) / 2
        digests[size] = ours["sha256"]
        rate = ours["rows"] / ours["seconds"]
        month = ours["seconds"] if size == 500_000 else month
        print(f"| {size:,} | OpenUHC ({args.workers} workers; {free:.1f} cores free) | {ours['seconds']:.1f} | "
              f"{ours['cpu_s']:.1f} | {rate:,.0f} | {ours['peak_mib']:,.0f} | |", flush=True)
        if size in peer_sizes:
            peer = _run_part("peer", args, cases)
            peer_rate = peer["rows"] / peer["seconds"]
            print(f"| {size:,} | thai-drg-grouper 1 process | {peer['seconds']:.1f} | {peer['cpu_s']:.1f} | "
                  f"{peer_rate:,.0f} | {peer['peak_mib']:,.0f} | OpenUHC {rate / peer_rate:.1f}× "
                  f"(CPU {peer['cpu_s'] / ours['cpu_s']:.1f}×) |", flush=True)
    print(f"\nLoad average at the end: {os.getloadavg()[0]:.1f}. Output sha256 per size: "
          + ", ".join(f"{size:,}: {digest[:16]}" for size, digest in digests.items()))
    if month is not None:
        print(f"\nA national month (500,000 admissions) grouped and weighted: {month:.1f} s (target: under 10 s).")


if __name__ == "__main__":
    main()
