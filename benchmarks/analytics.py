"""Dashboard queries over a synthetic national year in the analytics store (issue 8).

    .venv/bin/python benchmarks/analytics.py                 # 180,000,000 claim rows (about 6 GB of disk)
    .venv/bin/python benchmarks/analytics.py --rows 18000000 # a tenth, for a quick look

1. Writes a national year of claim-level facts as Parquet partitioned by fiscal year and month, the way the
   store lays them out: `op_claims` (one row per OP visit, 97 %) and `ip_claims` (one row per admission, 3 %),
   for 10,000 units in 77 provinces and 13 regions, plus the monthly `population` snapshot.
2. Builds the roll-ups the dashboards read (`op_visits`, `ip_admissions`) from the claim rows, as a refresh does.
3. Times the KPI queries a dashboard makes — every KPI the claims feed, by total / month / region / province /
   unit, nationally, for a region and for a province — through `Kpi.compute`, the code the pages call, over the
   roll-ups; and the same questions asked of the raw claim rows, for comparison.

Prints a Markdown table: p50 / p95 / max per query family, rows, bytes on disk, peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=180_000_000, help="claim rows in the year (default 180 M)")
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5, help="times each query is run")
    parser.add_argument("--dir", type=Path, default=None, help="where to write the store (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the store afterwards")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    workdir = args.dir or Path(tempfile.mkdtemp(prefix="openuhc-analytics-"))
    os.environ["OPENUHC_DATA_DIR"] = str(workdir / "data")
    os.environ["OPENUHC_ANALYTICS_DIR"] = str(workdir / "analytics")
    import django

    django.setup()
    import duckdb

    from openuhc.monitoring import rollups, store
    from openuhc.monitoring.kpis import KPIS, Filters

    root = store.store_dir()
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    ip_rows = args.rows * 3 // 100
    op_rows = args.rows - ip_rows
    con = duckdb.connect()
    con.execute(f"SET threads={args.threads}")
    con.execute(f"SET memory_limit='{_mem_limit()}'")
    con.execute(f"SET temp_directory='{workdir / 'duckdb-tmp'}'")
    months = [f"{y:04d}-{m:02d}" for y, m in [(2025, 10), (2025, 11), (2025, 12)] + [(2026, k) for k in range(1, 10)]]
    con.execute("CREATE TABLE months AS SELECT * FROM (VALUES " + ", ".join(
        f"({i}, '{m}')" for i, m in enumerate(months)) + ") t(i, month)")
    unit = f"(hash(i) % {args.units})"
    month_list = "[" + ", ".join(f"'{m}'" for m in months) + "]"
    dims = f"""2569 AS fy, {month_list}[1 + CAST(i % 12 AS INTEGER)] AS month,
        CAST({unit} % 13 + 1 AS VARCHAR) AS region, lpad(CAST(10 + {unit} % 77 AS VARCHAR), 2, '0') AS province,
        lpad(CAST({unit} AS VARCHAR), 5, '0') AS hcode,
        CASE WHEN hash(i + 1) % 100 < 92 THEN 'UCS' ELSE 'STP' END AS scheme,
        ['0-4','5-14','15-24','25-34','35-44','45-59','60-69','70+'][1 + CAST(hash(i + 2) % 8 AS INTEGER)] AS age_band,
        CAST(1 + hash(i + 3) % 2 AS TINYINT) AS sex"""
    timings: dict[str, float] = {}

    started = time.perf_counter()
    for name, count, measures in [
        ("op_claims", op_rows, "CAST(hash(i + 4) % 200000 AS DECIMAL(12,2)) / 100 AS charge"),
        ("ip_claims", ip_rows, "round(0.3 + (hash(i + 5) % 40000) / 10000.0, 4) AS adjrw, "
                               "CAST(hash(i + 6) % 5000000 AS DECIMAL(14,2)) / 100 AS charge"),
    ]:
        target = root / name
        con.execute(f"""COPY (SELECT {dims}, {measures} FROM range({count}) r(i))
                        TO '{target}' (FORMAT parquet, PARTITION_BY (fy, month), COMPRESSION zstd)""")
    timings["write claim rows"] = time.perf_counter() - started

    started = time.perf_counter()
    unit_dims = ("CAST(u % 13 + 1 AS VARCHAR) AS {p}region, "
                 "lpad(CAST(10 + u % 77 AS VARCHAR), 2, '0') AS {p}province")
    con.execute(f"""COPY (SELECT 2569 AS fy, m.month, {unit_dims.format(p='')}, {unit_dims.format(p='res_')},
                        lpad(CAST(u AS VARCHAR), 5, '0') AS hcode,
                        'UCS' AS scheme, '25-34' AS age_band, CAST(1 AS TINYINT) AS sex,
                        CAST(4800 AS BIGINT) AS persons, CAST(4750 AS BIGINT) AS covered,
                        CAST(4700 AS BIGINT) AS registered
                    FROM range({args.units}) t(u) CROSS JOIN months m)
                    TO '{root / 'population'}' (FORMAT parquet, PARTITION_BY (fy, month))""")
    con.close()

    # the roll-ups a refresh builds from the claim rows
    started = time.perf_counter()
    rolled = rollups.build_all()
    timings["build roll-ups"] = time.perf_counter() - started

    filters = {"national": Filters(fy=2569), "region 1": Filters(fy=2569, region="1"),
               "province 10": Filters(fy=2569, province="10")}
    families: dict[str, list[float]] = {}
    for code in ("op_visits_per_py", "admissions_per_1000", "case_mix_index", "registered_population"):
        kpi = KPIS[code]
        for by in ("all", "month", "region", "province", "hcode"):
            for fname, f in filters.items():
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    rows = kpi.compute(f, by)
                    families.setdefault(f"KPI over roll-ups, by {by}", []).append(time.perf_counter() - t0)
                assert rows, (code, by, fname)
    # the same questions straight from the claim rows, for comparison
    raw = store.connect(["op_claims", "ip_claims"])
    for by in ("month", "region", "province", "hcode"):
        for where in ("fy = 2569", "fy = 2569 AND region = '1'", "fy = 2569 AND province = '10'"):
            for _ in range(max(1, args.repeat // 2)):
                t0 = time.perf_counter()
                raw.execute(f"SELECT {by}, count(*) FROM op_claims WHERE {where} GROUP BY 1").fetchall()
                families.setdefault(f"same from raw OP claim rows, by {by}", []).append(time.perf_counter() - t0)
    raw.close()

    size = sum(p.stat().st_size for p in root.rglob("*.parquet"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nclaim rows: {args.rows:,} (OP {op_rows:,}, IP {ip_rows:,}); units {args.units:,}; "
          f"Parquet on disk {size / 2**30:.2f} GiB; roll-up rows {rolled}; threads {args.threads}")
    for name, seconds in timings.items():
        print(f"{name}: {seconds:.1f} s")
    print("\n| query family | queries | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    for name, values in families.items():
        values.sort()
        p95 = values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))]
        print(f"| {name} | {len(values)} | {statistics.median(values) * 1000:.0f} | {p95 * 1000:.0f} | "
              f"{values[-1] * 1000:.0f} |")
    print(f"\npeak RSS of this process: {peak:.0f} MiB")
    if not args.keep and args.dir is None:
        shutil.rmtree(workdir, ignore_errors=True)


def _mem_limit() -> str:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return "4GB"
    return f"{max(1, int(total * 0.5 / 2**30))}GB"


if __name__ == "__main__":
    main()
