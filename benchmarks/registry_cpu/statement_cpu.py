#!/usr/bin/env python3
"""The PostgreSQL backend's CPU seconds (utime + stime from /proc) and the wall seconds of each step of a SQL file,
in one transaction rolled back at the end: a comparison of statements that the machine's load barely changes.
The server must run on this machine (its backend's /proc entry is read).

    .venv/bin/python benchmarks/registry_cpu/statement_cpu.py oh_registry_a benchmarks/registry_cpu/load_events.sql

A step starts with a line `-- step NAME`; the SQL under it runs as one statement (several, separated by `;`).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psycopg

TICKS = 100  # clock ticks per second (os.sysconf("SC_CLK_TCK") on Linux)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main() -> None:
    database, script = sys.argv[1], Path(sys.argv[2]).read_text()
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}") as conn:
        pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        for block in script.split("-- step ")[1:]:
            name, _, statement = block.partition("\n")
            cpu, wall = cpu_seconds(pid), time.monotonic()
            cursor = conn.execute(statement)
            print(f"{name.strip()[:60]:60s} rows {cursor.rowcount:>9} cpu {cpu_seconds(pid) - cpu:6.2f} s "
                  f"wall {time.monotonic() - wall:6.2f} s", flush=True)
        conn.rollback()


if __name__ == "__main__":
    main()
