#!/usr/bin/env python3
"""Eligibility lookups per second and latency over a registry of N persons (default 1,000,000).

    .venv/bin/python benchmarks/eligibility.py --db sqlite
    .venv/bin/python benchmarks/eligibility.py --db postgres      # needs PostgreSQL on 127.0.0.1:5432
    OPENUHC_DB_PREPARED_STATEMENTS=1 .venv/bin/python benchmarks/eligibility.py --db postgres --reuse

It builds its own database (benchmarks/out/eligibility.sqlite3, or the PostgreSQL database
openuhc_bench_eligibility, dropped first), loads N persons with coverage and a registration, then times
--lookups calls of the eligibility service (80 % registered IDs, 10 % unknown well-formed IDs, 10 % bad
check digits) and the same number through the JSON API (token auth, access-log write included).
Prints one Markdown table row per measurement.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def configure(db: str, reuse: bool) -> None:
    OUT.mkdir(exist_ok=True)
    os.environ["OPENUHC_DATA_DIR"] = str(OUT / "data")
    if db == "sqlite":
        path = OUT / "eligibility.sqlite3"
        if not reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.environ["OPENUHC_DATABASE_URL"] = f"sqlite:///{path}"
    else:
        name = "openuhc_bench_eligibility"
        if not reuse:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        os.environ["OPENUHC_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "openuhc.settings"
    os.environ.setdefault("OPENUHC_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def build(persons: int, seed: int) -> list[str]:
    from django.core.management import call_command
    from django.db import transaction

    from openuhc.geo.models import Subdistrict
    from openuhc.geo.services import load_geography, load_region_mapping
    from openuhc.providers import services as providers
    from openuhc.providers.models import Owner, UnitType
    from openuhc.registry.ids import check_digit
    from openuhc.registry.models import Coverage, Person, Registration, Scheme

    call_command("migrate", verbosity=0)
    load_geography()
    load_region_mapping()
    rng = random.Random(seed)
    subs = list(Subdistrict.objects.filter(district__province__code="56"))
    moph = Owner.objects.get(code="MOPH")
    shph = UnitType.objects.get(code="shph")
    units = [providers.create_unit(actor=None, code=f"0{i:04d}", name_th=f"หน่วย {i}", unit_type=shph,
                                   subdistrict=rng.choice(subs), owner=moph, owner_since=date(2010, 1, 1))
             for i in range(1, 101)]
    ucs, sss = Scheme.objects.get(code="UCS"), Scheme.objects.get(code="SSS")
    ids: list[str] = []
    seen: set[str] = set()
    batch = 20_000
    started = time.monotonic()
    for start in range(0, persons, batch):
        people = []
        for _ in range(min(batch, persons - start)):
            while True:
                body = "1" + "".join(rng.choice("0123456789") for _ in range(11))
                cid = body + str(check_digit(body))
                if cid not in seen:
                    seen.add(cid)
                    break
            born = date(1940 + rng.randrange(80), 1 + rng.randrange(12), 1 + rng.randrange(28))
            people.append(Person(citizen_id=cid, first_name_th="ทดสอบ", last_name_th="ระบบ", sex=rng.choice((1, 2)),
                                 birth_date=born, subdistrict=rng.choice(subs)))
        with transaction.atomic():
            Person.objects.bulk_create(people)
            pks = dict(Person.objects.filter(citizen_id__in=[p.citizen_id for p in people])
                       .values_list("citizen_id", "pk"))
            coverages, registrations = [], []
            for p in people:
                pk = pks[p.citizen_id]
                is_ucs = rng.random() < 0.8
                coverages.append(Coverage(person_id=pk, scheme=ucs if is_ucs else sss, valid_from=date(2002, 10, 1)))
                if is_ucs:
                    unit = rng.choice(units)
                    registrations.append(Registration(person_id=pk, main_unit=unit, primary_unit=unit,
                                                      referral_unit=unit, effective_from=date(2021, 1, 1)))
            Coverage.objects.bulk_create(coverages)
            Registration.objects.bulk_create(registrations)
        ids.extend(p.citizen_id for p in people)
        print(f"  loaded {start + len(people):,} persons ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    from django.db.models import OuterRef, Subquery

    newest = Registration.objects.filter(person=OuterRef("pk")).order_by("-effective_from", "-id").values("pk")[:1]
    Person.objects.update(current_registration=Subquery(newest))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return ids


def sample(ids: list[str], n: int, seed: int) -> list[str]:
    from openuhc.registry.ids import check_digit

    rng = random.Random(seed + 1)
    out = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.8:
            out.append(rng.choice(ids))
        elif roll < 0.9:
            body = "2" + "".join(rng.choice("0123456789") for _ in range(11))  # never issued above
            out.append(body + str(check_digit(body)))
        else:
            cid = rng.choice(ids)
            out.append(cid[:12] + str((int(cid[12]) + 1) % 10))
    return out


def measure(label: str, calls: list[str], fn) -> None:  # noqa: ANN001
    for cid in calls[:200]:  # warm-up
        fn(cid)
    latencies = []
    started = time.perf_counter()
    for cid in calls:
        t0 = time.perf_counter()
        fn(cid)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    print(f"| {label} | {len(calls):,} | {len(calls) / elapsed:,.0f} | {statistics.median(latencies) * 1000:.2f} "
          f"| {p99 * 1000:.2f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="time the database an earlier run built")
    args = parser.parse_args()
    configure(args.db, args.reuse)
    if args.reuse:
        from openuhc.registry.models import Person

        ids = list(Person.objects.values_list("citizen_id", flat=True))
        args.persons = len(ids)
    else:
        started = time.monotonic()
        ids = build(args.persons, args.seed)
        print(f"  built in {time.monotonic() - started:.0f} s", file=sys.stderr)

    from django.test import Client

    from openuhc.accounts.roles import Role
    from openuhc.accounts.services import create_user, issue_token
    from openuhc.registry.services import check_eligibility

    calls = sample(ids, args.lookups, args.seed)
    on = date(2026, 6, 1)
    prepared = ", prepared statements" if os.environ.get("OPENUHC_DB_PREPARED_STATEMENTS") == "1" else ""
    db = f"{args.db}{prepared}, {args.persons:,} persons"
    print("| what | lookups | lookups/s | p50 ms | p99 ms |\n|---|---|---|---|---|")
    measure(f"service `check_eligibility` ({db})", calls, lambda cid: check_eligibility(cid, on))
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username="bench").first() or create_user(
        username="bench", password=None, role=Role.NATIONAL)
    _token, raw = issue_token(user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    measure(f"API `GET /api/v1/eligibility` ({db})", calls,
            lambda cid: client.get("/api/v1/eligibility", {"cid": cid, "date": "2026-06-01"}))


if __name__ == "__main__":
    main()
