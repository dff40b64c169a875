#!/usr/bin/env python3
"""What the hospital user's search indexes (registry migration 0008) cost a build, against the definitions before.

    .venv/bin/python benchmarks/search_index_cost.py --db oh_search_pages --rounds 2

On a built PostgreSQL database (e.g. pages_national.py's fixture): each index is built under a scratch name, old
definition then new, by one backend without parallel workers (all the CPU in one process, read from /proc: the
server runs on this machine), measured, then dropped. The registry's first load rebuilds these indexes the same way
(registry.extract: _indexes_and_statistics, maintenance_work_mem 256 MB). Prints CPU and wall seconds and sizes.
"""

from __future__ import annotations

import argparse
import os
import time

import psycopg
from proc_cpu import process_cpu

PAIRS = [
    ("last_th", 'registry_person ("last_name_th" COLLATE "C", "first_name_th" COLLATE "C", "id")',
     'registry_person ("last_name_th" COLLATE "C", "first_name_th" COLLATE "C", "id") '
     'INCLUDE ("current_registration_id")'),
    ("first_th", 'registry_person ("first_name_th" COLLATE "C", "last_name_th" COLLATE "C", "id")',
     'registry_person ("first_name_th" COLLATE "C", "last_name_th" COLLATE "C", "id") '
     'INCLUDE ("current_registration_id")'),
    ("main", 'registry_registration ("main_unit_id")', 'registry_registration ("main_unit_id", "id")'),
    ("primary", 'registry_registration ("primary_unit_id")', 'registry_registration ("primary_unit_id", "id")'),
    ("referral", 'registry_registration ("referral_unit_id")', 'registry_registration ("referral_unit_id", "id")'),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    conn = psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{args.db}", autocommit=True)
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]

    conn.execute("SET maintenance_work_mem = '256MB'")
    conn.execute("SET max_parallel_maintenance_workers = 0")
    total = {"old": [0.0, 0.0], "new": [0.0, 0.0]}
    for number in range(args.rounds):
        for name, old, new in PAIRS:
            for kind, definition in (("old", old), ("new", new)):
                cpu_before, wall_before = process_cpu(pid), time.monotonic()
                conn.execute(f"CREATE INDEX bench_cost_{name} ON {definition}")
                spent, wall = process_cpu(pid) - cpu_before, time.monotonic() - wall_before
                size = conn.execute(f"SELECT pg_relation_size('bench_cost_{name}')").fetchone()[0]
                conn.execute(f"DROP INDEX bench_cost_{name}")
                total[kind][0] += spent / args.rounds
                total[kind][1] += wall / args.rounds
                print(f"round {number} {name:8} {kind}: CPU {spent:6.2f} s, wall {wall:6.2f} s, "
                      f"{size / 2**20:4.0f} MB, load {os.getloadavg()[0]:.1f}", flush=True)
    for kind, (spent, wall) in total.items():
        print(f"{kind}: CPU {spent:.2f} s, wall {wall:.2f} s (mean of {args.rounds} rounds, all five indexes)")


if __name__ == "__main__":
    main()
