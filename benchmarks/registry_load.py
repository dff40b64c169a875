"""The registry's initial load alone, again and again on the same database: where the time goes.

    .venv/bin/python benchmarks/national_month.py --persons 1000000 --op 1000 --ip 100 --hospitals 100 \\
        --db oh_registry_month --workdir /tmp/nm_reg --restart --until files     # the database and the file
    .venv/bin/python benchmarks/registry_load.py --db oh_registry_month --workdir /tmp/nm_reg
    .venv/bin/python benchmarks/registry_load.py --db oh_registry_month --workdir /tmp/nm_reg \\
        --delta /tmp/nm_reg/delta-11.csv --digest                      # a load, a delta, then the rows' digest

Each run empties the registry tables (persons, coverages, registrations, events, imports, and the rows that
refer to persons; refused when claims refer to persons), then applies WORKDIR/persons.csv as
`openuhc import persons FILE --mode load` does
(`registry.extract.apply_extract`). It prints persons/s, the import's seconds per step, this process's CPU
(Python and DuckDB) and the CPU of its database backend (PostgreSQL on this machine: /proc of the backend; the
parallel workers of an index build are not counted), and the load average. `--delta FILE` applies a delta file
after the load (registry_delta.py writes one); `--digest` prints one SHA-256 over what is stored (persons,
coverages, registrations and events, ids replaced by citizen IDs, times left out), to compare two versions of
the code on the same files. `--sqlite PATH` runs the same on a SQLite database (migrated on first use).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TABLES = ["registry_registryevent", "registry_personaccess", "registry_coverage", "registry_registration",
          "registry_person", "registry_registryimport"]


def setup(args: argparse.Namespace) -> None:
    if args.sqlite:
        os.environ["OPENUHC_DATABASE_URL"] = f"sqlite:///{args.sqlite}"
    else:
        os.environ["OPENUHC_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ["OPENUHC_DATA_DIR"] = str(Path(args.workdir) / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "openuhc.settings"
    import django

    django.setup()
    if args.sqlite:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def empty() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT EXISTS (SELECT 1 FROM claims_claim WHERE person_id IS NOT NULL)")
            if cursor.fetchone()[0]:
                raise SystemExit("claims refer to the registry's persons: not emptied")
            cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            cursor.execute("CHECKPOINT")  # each run starts without the last one's dirty pages
        else:
            cursor.execute("UPDATE registry_person SET current_registration_id = NULL")
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - constant names
            cursor.execute("DELETE FROM sqlite_sequence")


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_apply(path: Path, mode: str) -> dict:
    from claims_store import server_cpu  # the backend's CPU from /proc (None on SQLite)

    from openuhc.registry.extract import apply_extract

    load0, wall0, cpu0, server = os.getloadavg()[0], time.monotonic(), own_cpu(), server_cpu()
    report, record = apply_extract(path, mode=mode)
    wall, spent = time.monotonic() - wall0, server()
    if record.status != "stored":
        raise SystemExit(f"{mode}: {record.status} {report.errors[:3]}")
    return {"mode": mode, "rows": record.rows_read, "added": record.added, "changed": record.changed,
            "seconds": round(wall, 1), "rows_per_s": round(record.rows_read / wall),
            "python_cpu_s": round(own_cpu() - cpu0, 1), "server_cpu_s": None if spent is None else round(spent, 1),
            "load": [round(load0, 2), round(os.getloadavg()[0], 2)],
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "steps": record.detail.get("seconds", {})}


def digest() -> str:
    """One SHA-256 over the registry's rows, ids replaced by citizen IDs (and the events' ids of coverages and
    registrations left out), times left out; in a fixed order."""
    from django.db import connection

    text = "CAST(%s AS TEXT)" if connection.vendor == "postgresql" else "%s"
    queries = {
        "person": f"""SELECT p.citizen_id, p.title, p.first_name_th, p.last_name_th, p.first_name_en, p.last_name_en,
                   p.sex, {text % 'p.birth_date'}, s.code, {text % 'p.death_date'}, r.effective_from, mu.code
            FROM registry_person p JOIN geo_subdistrict s ON s.id = p.subdistrict_id
            LEFT JOIN registry_registration r ON r.id = p.current_registration_id
            LEFT JOIN providers_healthunit mu ON mu.id = r.main_unit_id ORDER BY p.citizen_id""",
        "coverage": f"""SELECT p.citizen_id, k.code, {text % 'c.valid_from'}, {text % 'c.valid_to'}, c.source
            FROM registry_coverage c JOIN registry_person p ON p.id = c.person_id
            JOIN registry_scheme k ON k.id = c.scheme_id ORDER BY p.citizen_id, c.valid_from""",
        "registration": f"""SELECT p.citizen_id, mu.code, pu.code, ru.code, {text % 'r.effective_from'}, r.is_change,
                   r.reason, r.source
            FROM registry_registration r JOIN registry_person p ON p.id = r.person_id
            JOIN providers_healthunit mu ON mu.id = r.main_unit_id
            JOIN providers_healthunit pu ON pu.id = r.primary_unit_id
            JOIN providers_healthunit ru ON ru.id = r.referral_unit_id
            ORDER BY p.citizen_id, r.effective_from, mu.code""",
        "event": """SELECT p.citizen_id, e.kind, e.detail FROM registry_registryevent e
            JOIN registry_person p ON p.id = e.person_id ORDER BY p.citizen_id, e.kind, e.id""",
    }
    whole = hashlib.sha256()
    counts = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql)
            n = 0
            while batch := cursor.fetchmany(50_000):
                for row in batch:
                    row = list(row)
                    if name == "event":
                        detail = row[2] if isinstance(row[2], dict) else json.loads(row[2])
                        row[2] = {k: v for k, v in detail.items() if k not in ("coverage", "registration")}
                    whole.update(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode())
                    n += 1
            counts[name] = n
    return f"{whole.hexdigest()} {json.dumps(counts)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="oh_registry_month")
    parser.add_argument("--sqlite", default="")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--file", default="", help="the load file (default WORKDIR/persons.csv)")
    parser.add_argument("--delta", default="", help="a delta file to apply after the load")
    parser.add_argument("--digest", action="store_true")
    args = parser.parse_args()
    setup(args)
    empty()
    result = timed_apply(Path(args.file or Path(args.workdir) / "persons.csv"), "load")
    print(json.dumps(result), flush=True)
    if args.delta:
        print(json.dumps(timed_apply(Path(args.delta), "delta")), flush=True)
    if args.digest:
        print("digest", digest(), flush=True)


if __name__ == "__main__":
    main()
