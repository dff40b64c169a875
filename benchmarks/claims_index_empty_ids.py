"""The person index's upkeep when some claims have no citizen ID (''): a B-tree, a hash, a hash leaving them out.

    .venv/bin/python benchmarks/claims_index_empty_ids.py --db oh_ci_big --share 20
    .venv/bin/python benchmarks/claims_index_empty_ids.py --db oh_ci_big --share 1000000000 --copies 8 [--fresh-ids]

On a PostgreSQL database holding stored claims (after `claims_store.py --visits 1000000`): a table of (citizen_id
COLLATE "C", service_date) with one variant's index takes the stored claims' pairs three times over, one claim in
`--share` with its ID emptied; the backend's CPU seconds (from /proc) for each million. A hash index walks a key's
whole bucket chain before each insert, so a value many claims share costs more with every copy. With
`--fresh-ids` each copy's IDs are new ones (a letter of the copy in front): the index grows without any person's
claims repeating.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_cpu import process_cpu  # noqa: E402

VARIANTS = {
    "btree (citizen_id, service_date)": "CREATE INDEX ON ci_ids (citizen_id, service_date)",
    "hash (citizen_id)": "CREATE INDEX ON ci_ids USING hash (citizen_id)",
    "hash (citizen_id) WHERE citizen_id <> ''": "CREATE INDEX ON ci_ids USING hash (citizen_id) WHERE citizen_id <> ''",
    "none": None,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--share", type=int, default=20, help="one claim in SHARE without a citizen ID")
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--fresh-ids", action="store_true", help="each copy's IDs new ones")
    args = parser.parse_args()

    def rows(copy: int) -> str:
        cid = f"chr({65 + copy}) || citizen_id" if args.fresh_ids else "citizen_id"
        return (f"SELECT CASE WHEN id % {args.share} = 0 THEN '' ELSE {cid} END, service_date "  # noqa: S608
                "FROM claims_claim ORDER BY id")

    for name, ddl in VARIANTS.items():
        with psycopg.connect(f"postgres://postgres@127.0.0.1:5432/{args.db}", autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS ci_ids")
            conn.execute('CREATE TABLE ci_ids (citizen_id varchar(20) COLLATE "C", service_date date)')
            if ddl:
                conn.execute(ddl)
            pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            cpu = []
            for copy in range(args.copies):
                before = process_cpu(pid)
                conn.execute(f"INSERT INTO ci_ids {rows(copy)}")
                cpu.append(round(process_cpu(pid) - before, 2))
            conn.execute("DROP TABLE ci_ids")
        print(json.dumps({"variant": name, "share": args.share, "fresh_ids": args.fresh_ids,
                          "server_cpu_s_per_copy": cpu, "load": Path("/proc/loadavg").read_text().split()[0]}),
              flush=True)


if __name__ == "__main__":
    main()
