"""The DuckDB side of `openuhc import persons FILE --mode load|delta` alone: read, check and write the staging CSV
of a registry file, with the time of each and the process's peak memory (DuckDB is capped at
registry.extract.DUCKDB_MEMORY and keeps the rows in a database file in a scratch folder).

    .venv/bin/python benchmarks/registry_file_memory.py --db oh_registry --file /tmp/nm_reg10/persons.csv

The database only lends its sub-districts, units and schemes (national_month.py's setup stage makes them);
nothing is written to it.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_month import setup_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="openuhc_bench_national")
    parser.add_argument("--file", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="registry-memory-") as work:
        args.workdir = work
        setup_django(args)
        from openuhc.core.importing import ImportReport
        from openuhc.registry import extract

        duck = extract.scratch_connection(Path(work))
        report = ImportReport(kind="persons", file_name=Path(args.file).name)
        started = time.monotonic()
        extract.read_and_check(duck, Path(args.file), report)
        checked = time.monotonic()
        print(f"rows {report.rows_read:,}, clean {report.ok}: read and check {checked - started:.1f} s, peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10} MiB", flush=True)
        target = Path(work) / "staged.csv"
        duck.execute(f"COPY ({extract.STAGING_QUERY}) TO '{target}' (FORMAT csv, HEADER false)")
        print(f"staging CSV {target.stat().st_size >> 20} MiB in {time.monotonic() - checked:.1f} s, peak RSS "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10} MiB", flush=True)
        duck.close()


if __name__ == "__main__":
    main()
