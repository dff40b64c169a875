"""The engine's functions in-process and on Apache Spark (`local[2]`), side by side, on the same inputs:
seconds, peak memory, ratio — and the two outputs' SHA-256, which must be equal.

    .venv/bin/pip install '.[spark]'       # pyspark; Java 17+ on the machine
    .venv/bin/python benchmarks/spark_engine.py --tables ../shared/tdrg/6.3
    # options: --admissions 1000000 (drg.group), --ip 500000 (payment.price_ip, a national month),
    #          --fee 15000000 (payment.price_fee), --master 'local[2]', --workers 2 (in-process), --only drg,ip,fee

Inputs (not timed): admissions drawn from the 6.3 tables as in benchmarks/drg_group.py (row groups of 50,000);
a national month of IP claims and itemised OP lines as in benchmarks/payment_pricing.py, staged the way payment
runs stage them (one row group per region-month; one per group of 50,000 lines of people).

Each measurement is its own process: `runner.start` + `runner.resume` from the run's start to its assembled,
checksummed output. For Spark the clock starts after the SparkSession is up (Java's start is printed apart: a
server keeps its session). Peak memory, sampled from /proc every 0.25 s by this process while the measuring one
runs (benchmarks/proctree.py): the driver's Python alone (its own peak RSS), and the whole process tree at its
largest — the measuring process with every descendant alive at the same instant: for Spark the JVM and its Python
workers, for the in-process runner its worker processes — summed as PSS (a page shared by forked workers counted
once), with the most processes seen at once.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from drg_group import _django  # noqa: E402 - the same SQLite file and data folder under the work folder
from proctree import TreePeak  # noqa: E402


def stage(workdir: Path, args: argparse.Namespace) -> dict[str, tuple[str, dict, int]]:
    """(function, input, params, rows per chunk) per kind."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    inputs: dict[str, tuple[str, dict, int]] = {}
    if "drg" in args.only:
        from drg_group import make_cases

        from openuhc.drg.engine_functions import params_for
        from openuhc.drg.tables import active_tables, install_tables

        install_tables(args.tables)
        make_cases(args.tables, args.admissions, seed=15, out=workdir / "admissions.parquet")
        inputs["drg"] = ("drg.group", str(workdir / "admissions.parquet"), params_for(active_tables()), 50_000)
    if "ip" in args.only or "fee" in args.only:
        from payment_pricing import generate

        from openuhc.budget.defaults import year_config
        from openuhc.payment.fee_runs import write_fee_input
        from openuhc.payment.inpatient import write_ip_input

        generate(workdir, args.ip, args.fee, seed=2569)
        ip = pq.read_table(workdir / "ip.parquet")
        write_ip_input(ip, workdir / "ip-staged.parquet")
        inputs["ip"] = ("payment.price_ip", str(workdir / "ip-staged.parquet"),
                        {"years": {"2569": {"config": year_config(2569), "left": {
                            str(r["region"]): r["ip_budget"] for r in year_config(2569)["ip_regions"]}}}}, 1)
        if "fee" in args.only:
            op = pq.read_table(workdir / "op.parquet")
            op = op.set_column(op.schema.get_field_index("person_key"), "person_key",
                               op.column("person_key").cast("string"))
            if "fiscal_year" not in op.column_names:
                op = op.append_column("fiscal_year", pa.array([2569] * op.num_rows, pa.int32()))
            write_fee_input(op, workdir / "fee-staged.parquet")
            inputs["fee"] = ("payment.price_fee", str(workdir / "fee-staged.parquet"),
                             {"years": {"2569": year_config(2569)}, "fy_start_month": 10}, 1)
    return inputs


def own_peak_mib() -> float:
    """This process's peak RSS since it started (VmHWM). Not getrusage's ru_maxrss: Linux carries that over exec
    from the forking parent, so a child started by a process of 900 MiB would report 900 MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(args: argparse.Namespace) -> dict:
    _django(args.workdir)
    from openuhc.engine import runner

    function, source, params, rows_per_chunk = json.loads(args.measure)
    java = 0.0
    if args.runner == "spark":
        from openuhc.engine import spark

        started = time.perf_counter()
        spark.session(args.master)
        java = time.perf_counter() - started
    started = time.perf_counter()
    run = runner.start(function, source, params=params, rows_per_chunk=rows_per_chunk)
    options = {"runner": "spark", "master": args.master} if args.runner == "spark" else \
        {"runner": "in-process", "workers": args.workers}
    run = runner.resume(run, **options)
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "java": java, "rows": run.total_rows, "chunks": run.total_chunks,
              "sha256": run.output_checksum, "status": run.status}
    result["own_mib"] = own_peak_mib()
    if args.runner == "spark":
        spark.stop()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=Path, default=ROOT.parent / "shared" / "tdrg" / "6.3")
    parser.add_argument("--admissions", type=int, default=1_000_000)
    parser.add_argument("--ip", type=int, default=500_000)
    parser.add_argument("--fee", type=int, default=15_000_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="drg,ip,fee")
    parser.add_argument("--runner", default="")
    parser.add_argument("--measure", default="")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args)))
        return
    args.only = set(args.only.split(","))
    args.workdir = Path(tempfile.mkdtemp(prefix="openuhc-spark-bench-"))
    _django(args.workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    inputs = stage(args.workdir, args)
    print(f"work folder (kept: benchmarks/engine_phases.py {args.workdir}/bench.sqlite3; delete it after)",
          file=sys.stderr)
    print("| function | rows | chunks | runner | seconds | peak MiB: driver's Python / whole tree (PSS; RSS) "
          "| processes | ratio | same SHA-256 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for kind in ("drg", "ip", "fee"):
        if kind not in inputs:
            continue
        results = {}
        for name in ("in-process", "spark"):
            command = [sys.executable, __file__, "--measure", json.dumps(inputs[kind]), "--runner", name,
                       "--master", args.master, "--workers", str(args.workers), "--workdir", str(args.workdir)]
            with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child, \
                    TreePeak(child.pid) as peak:
                stdout, stderr = child.communicate()
            if child.returncode != 0:
                raise SystemExit(f"{kind} on {name} failed:\n{stderr[-3000:]}")
            results[name] = json.loads(stdout.strip().splitlines()[-1])
            results[name].update(tree_pss_mib=peak.pss_mib, tree_rss_mib=peak.rss_mib, processes=peak.processes)
        local, on_spark = results["in-process"], results["spark"]
        same = "yes" if local["sha256"] == on_spark["sha256"] else "NO"
        for name, r in results.items():
            label = f"in-process ({args.workers} workers)" if name == "in-process" else \
                f"Spark {args.master} (+{r['java']:.0f} s Java start)"
            ratio = f"{r['seconds'] / local['seconds']:.2f}" if name == "spark" else "1"
            print(f"| {inputs[kind][0]} | {r['rows']:,} | {r['chunks']} | {label} | {r['seconds']:.1f} | "
                  f"{r['own_mib']:,.0f} / {r['tree_pss_mib']:,.0f}; {r['tree_rss_mib']:,.0f} | {r['processes']} | "
                  f"{ratio} | {same} |", flush=True)


if __name__ == "__main__":
    main()
