"""The server CPU and WAL one index of the claims table costs to keep while a submission's claims are written.

    .venv/bin/python benchmarks/claims_index_cost.py --db oh_ci_big --repeat 2
    .venv/bin/python benchmarks/claims_index_cost.py --db oh_ci_big --repeat 2 --preload --only "service_date brin"
    .venv/bin/python benchmarks/claims_index_cost.py --db oh_ci_big --table claims_claimevent   # a line table's two

On a PostgreSQL database holding stored claims (after `claims_store.py --visits 1000000`): the claims are dumped once
in their id order (`COPY … TO … (FORMAT binary)`, the rows the store sends) and copied back into an empty copy of the
table (`CREATE TABLE … (LIKE claims_claim INCLUDING DEFAULTS)`, column collations included) holding no index, then
each variant's index alone (a `CHECKPOINT` before each copy, so that no full-page image lands in the middle). The
backend's CPU seconds come from /proc, the WAL from `pg_current_wal_insert_lsn()`; a variant's cost is its CPU less
the no-index run's of the same round. Variants run in turn, `--repeat` rounds. One JSON line per run, a summary last.
With `--preload` the copy goes into a table that holds the same rows once already (the indexes' cost when the
table is not empty; only variants without a unique index). With `--table` another stored table (events, a line
table) is copied the same way, with its primary key, its claim_id index, or both.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_cpu import process_cpu  # noqa: E402

# name -> CREATE INDEX statements on the copy (table ci_claims); "none" is the heap alone
VARIANTS: dict[str, list[str]] = {
    "none": [],
    "person_dates btree (citizen_id, service_date)": ["CREATE INDEX ON ci_claims (citizen_id, service_date)"],
    "person hash (citizen_id)": ["CREATE INDEX ON ci_claims USING hash (citizen_id)"],
    "person hash (citizen_id) WHERE citizen_id <> ''": ["CREATE INDEX ON ci_claims USING hash (citizen_id) "
                                                         "WHERE citizen_id <> ''"],
    "person btree (citizen_id)": ["CREATE INDEX ON ci_claims (citizen_id)"],
    "service_date btree": ["CREATE INDEX ON ci_claims (service_date)"],
    "service_date brin": ["CREATE INDEX ON ci_claims USING brin (service_date)"],
    "unit_kind_key btree": ['CREATE INDEX ON ci_claims (unit_id, kind, "key")'],
    "unit_kind_key btree WHERE NOT is_current": ['CREATE INDEX ON ci_claims (unit_id, kind, "key") '
                                                 "WHERE NOT is_current"],
    "unit_service_page": ["CREATE INDEX ON ci_claims (unit_id, service_date, id)"],
    "unit_status_page": ["CREATE INDEX ON ci_claims (unit_id, status, service_date, id)"],
}
_KEPT = ["ALTER TABLE ci_claims ADD PRIMARY KEY (id)",
         "CREATE INDEX ON ci_claims (unit_id, service_date, id)",
         'CREATE UNIQUE INDEX ON ci_claims (unit_id, kind, "key") WHERE is_current',
         'CREATE INDEX ON ci_claims (submission_id, status, kind, "key")',
         "CREATE INDEX ON ci_claims (status) WHERE kind = 'IP'",
         "CREATE INDEX ON ci_claims (unit_id, status, service_date, id)"]
# the table's nine indexes before this change, and after it
VARIANTS["all nine (before)"] = [*_KEPT, "CREATE INDEX ON ci_claims (service_date)",
                                 'CREATE INDEX ON ci_claims (unit_id, kind, "key")',
                                 "CREATE INDEX ON ci_claims (citizen_id, service_date)"]
VARIANTS["all nine (after)"] = [*_KEPT, "CREATE INDEX ON ci_claims USING brin (service_date)",
                                'CREATE INDEX ON ci_claims (unit_id, kind, "key") WHERE NOT is_current',
                                "CREATE INDEX ON ci_claims (citizen_id, service_date)"]
# with the person lookup as a hash (tried, not kept: dearer than the B-tree once the table holds a few million)
VARIANTS["all nine (after, person hash)"] = [*VARIANTS["all nine (after)"][:-1],
                                             "CREATE INDEX ON ci_claims USING hash (citizen_id)"]


def line_variants(table: str) -> dict[str, list[str]]:
    return {"none": [], f"{table} pkey (id)": ["ALTER TABLE ci_claims ADD PRIMARY KEY (id)"],
            f"{table} claim_id": ["CREATE INDEX ON ci_claims (claim_id)"],
            f"{table} pkey + claim_id": ["ALTER TABLE ci_claims ADD PRIMARY KEY (id)",
                                         "CREATE INDEX ON ci_claims (claim_id)"]}


def lsn_bytes(cur: psycopg.Cursor) -> int:
    cur.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")
    return int(cur.fetchone()[0])


def run(url: str, dump: str, statements: list[str], table: str = "claims_claim", preload: bool = False
        ) -> dict[str, float]:
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS ci_claims")
        cur.execute(f"CREATE TABLE ci_claims (LIKE {table} INCLUDING DEFAULTS)")
        for statement in statements:
            cur.execute(statement)
        if preload:  # the rows once already (not measured): a table that already holds a month
            cur.execute(f"COPY ci_claims FROM '{dump}' (FORMAT binary)")  # noqa: S608 - our own path
        cur.execute("CHECKPOINT")
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
        cpu, wal, wall = process_cpu(pid), lsn_bytes(cur), time.perf_counter()
        with conn.transaction():
            cur.execute(f"COPY ci_claims FROM '{dump}' (FORMAT binary)")  # noqa: S608 - our own path
        cpu, wal, wall = process_cpu(pid) - cpu, lsn_bytes(cur) - wal, time.perf_counter() - wall
        cur.execute("SELECT coalesce(sum(pg_relation_size(indexrelid)), 0) FROM pg_index "
                    "WHERE indrelid = 'ci_claims'::regclass")
        size = int(cur.fetchone()[0])
        cur.execute("DROP TABLE ci_claims")
    return {"server_cpu_s": round(cpu, 2), "wal_mb": round(wal / 1e6, 1), "wall_s": round(wall, 2),
            "index_mb": round(size / 1e6, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="variant names to run (with 'none' always)")
    parser.add_argument("--table", default="claims_claim")
    parser.add_argument("--preload", action="store_true",
                        help="copy the rows in once before the measured copy (not with a unique index)")
    parser.add_argument("--dump", default=str(Path(tempfile.gettempdir()) / "ci_<table>.bin"),
                        help="a file the server writes and reads (the server runs on this machine)")
    args = parser.parse_args()
    args.dump = args.dump.replace("<table>", args.table)
    variants = VARIANTS if args.table == "claims_claim" else line_variants(args.table)
    url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    if not os.path.exists(args.dump):
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"COPY (SELECT * FROM {args.table} ORDER BY id) TO '{args.dump}' (FORMAT binary)")
    names = ["none", *[n for n in variants if n != "none" and (not args.only or n in args.only)]]
    costs: dict[str, list[float]] = {n: [] for n in names}
    for round_ in range(args.repeat):
        base = 0.0
        for name in names:
            load = Path("/proc/loadavg").read_text().split()[0]
            result = run(url, args.dump, variants[name], args.table, args.preload)
            if name == "none":
                base = result["server_cpu_s"]
            else:
                costs[name].append(round(result["server_cpu_s"] - base, 2))
            print(json.dumps({"round": round_, "variant": name, **result, "load": load}), flush=True)
    print(json.dumps({"index_cpu_s_over_heap": {n: c for n, c in costs.items() if n != "none"}}))


if __name__ == "__main__":
    main()
