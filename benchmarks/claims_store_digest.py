"""What storing writes, as one digest: the same code must store the same rows (a check for speed changes).

    .venv/bin/python benchmarks/claims_store_digest.py --db oh_store_eq --template oh_store_bench --persons 1000000
    .venv/bin/python benchmarks/claims_store_digest.py --sqlite /tmp/cs_sqlite --persons 200000

On a fresh copy of a registry national_month.py (or claims_store.py --sqlite) built, it writes three submissions
with faults of many kinds — bad dates, times, amounts and codes, wrong check digits, people of other schemes,
unknown and dead people (some of the registry's people are marked dead on the copy), duplicated and orphan rows,
visits sent again under the same SEQ (replacements, some of them of claims marked priced: 142) and under new SEQs
(179), admissions overlapping stored ones at the same unit (151) and at another unit (150) — stores them through
`claims.services.submit`, then prints one SHA-256 over the claims, their lines, events and problems (ids replaced by
the claim's (submission number, kind, key)), and the count of problems per code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import claims_store as cs  # noqa: E402
import national_month as nm  # noqa: E402

VISITS = 20000


def _read(folder: Path, name: str) -> tuple[list[str], list[list[str]]]:
    path = folder / f"{name}.txt"
    if not path.exists():
        return [], []
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    return lines[0].split("|"), [line.split("|") for line in lines[1:] if line]


def _write(folder: Path, name: str, header: list[str], rows: list[list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = "\r\n".join("|".join(r) for r in [header, *rows]) + "\r\n"
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")


def spoil(folder: Path, persons: int, rng: random.Random) -> list[str]:
    """Faults of many kinds in a clean national_month submission; returns citizen IDs to mark dead."""
    files = {n: _read(folder, n) for n in ("INS", "PAT", "OPD", "ODX", "CHT", "CHA", "DRU", "IPD", "IDX", "IOP")}

    def col(name: str, column: str) -> int:
        return files[name][0].index(column)

    dead: list[str] = []
    pat_h, pat = files["PAT"]
    ins_h, ins = files["INS"]
    cid_p, cid_i, sex_p, dob_p = col("PAT", "PERSON_ID"), col("INS", "CID"), col("PAT", "SEX"), col("PAT", "DOB")
    ins_by_hn = {r[col("INS", "HN")]: r for r in ins}
    for row in pat:
        roll = rng.random()
        other = ins_by_hn[row[col("PAT", "HN")]]
        if roll < 0.01:  # wrong check digit (116)
            row[cid_p] = other[cid_i] = row[cid_p][:12] + str((int(row[cid_p][12]) + 1) % 10)
        elif roll < 0.03:  # a person of another scheme (903)
            i = rng.randrange(persons)
            while nm.scheme_of(i) == "UCS":
                i = (i + 1) % persons
            row[cid_p] = other[cid_i] = nm.cid_of(i)
        elif roll < 0.04:  # not in the registry (999)
            row[cid_p] = other[cid_i] = nm.cid_of(persons + 10_000_000 + rng.randrange(10**6))
        elif roll < 0.05:  # dead during the month (902 for visits after)
            dead.append(row[cid_p])
        elif roll < 0.055:
            row[sex_p] = "3"
        elif roll < 0.06:
            row[dob_p] = "25300101"
        elif roll < 0.065:
            row[cid_p] = other[cid_i] = ""
    opd_h, opd = files["OPD"]
    extra: list[list[str]] = []
    for row in opd:
        roll = rng.random()
        date_c, time_c, seq_c = col("OPD", "DATEOPD"), col("OPD", "TIMEOPD"), col("OPD", "SEQ")
        if roll < 0.01:
            row[date_c] = str(int(row[date_c][:4]) + 543) + row[date_c][4:]
        elif roll < 0.015:
            row[date_c] = "20251332"
        elif roll < 0.02:
            row[time_c] = "2599"
        elif roll < 0.025:
            extra.append(list(row))  # the same SEQ twice (140)
        elif roll < 0.03:
            copy = list(row)
            copy[seq_c] = row[seq_c] + "D"  # the same person and day again, no diagnosis nor charge
            extra.append(copy)
        elif roll < 0.035:
            row[col("OPD", "HN")] = "NOHN" + row[col("OPD", "HN")]
        elif roll < 0.04:
            row[date_c] = "20261231"  # after the day of receipt
        elif roll < 0.043:
            row[col("OPD", "CLINIC")] = ""
    opd.extend(extra)
    for row in files["ODX"][1]:
        roll = rng.random()
        if roll < 0.01:
            row[col("ODX", "DXTYPE")] = "4"
        elif roll < 0.015:
            row[col("ODX", "DIAG")] = "J06.9"
        elif roll < 0.018:
            row[col("ODX", "DXTYPE")] = "7"
        elif roll < 0.021:
            row[col("ODX", "DIAG")] = "Z999999"
    files["ODX"][1].append(["" for _ in files["ODX"][0]])
    orphan = list(files["ODX"][1][0])
    orphan[col("ODX", "SEQ")] = "NOSUCHSEQ"
    files["ODX"][1].append(orphan)
    for row in files["CHT"][1]:
        roll = rng.random()
        if roll < 0.01:
            row[col("CHT", "TOTAL")] = "999.99"
        elif roll < 0.013:
            row[col("CHT", "TOTAL")] = "abc"
        elif roll < 0.016:
            row[col("CHT", "TOTAL")] = "12.345"
    for row in files["CHA"][1]:
        if rng.random() < 0.005:
            row[col("CHA", "AMOUNT")] = "-5.00"
    for row in files["DRU"][1]:
        roll = rng.random()
        if roll < 0.005:
            row[col("DRU", "AMOUNT")] = "x"
        elif roll < 0.01:
            row[col("DRU", "HCODE")] = "99999"
    for row in files["IPD"][1]:
        roll = rng.random()
        if roll < 0.03:
            row[col("IPD", "DATEDSC")] = (date.fromisoformat(
                f"{row[col('IPD', 'DATEADM')][:4]}-{row[col('IPD', 'DATEADM')][4:6]}-"
                f"{row[col('IPD', 'DATEADM')][6:]}") - timedelta(days=2)).strftime("%Y%m%d")
        elif roll < 0.05:
            row[col("IPD", "DISCHS")] = "0"
        elif roll < 0.07:
            row[col("IPD", "DISCHT")] = "7"
        elif roll < 0.09:
            row[col("IPD", "TIMEADM")] = "2460"
        elif roll < 0.11:
            row[col("IPD", "ADM_W")] = "0.5"
    for name, (header, rows) in files.items():
        if header:
            _write(folder, name, header, rows)
    return dead


def resend(source: Path, target: Path, rng: random.Random, *, new_keys: bool, keep: float) -> list[str]:
    """Some of `source`'s claims again: under their own SEQ/AN, or new ones (`new_keys`). Returns the SEQs kept."""
    kept_seq: dict[str, str] = {}
    kept_an: dict[str, str] = {}
    for name in ("OPD", "IPD"):
        header, rows = _read(source, name)
        key = header.index("SEQ" if name == "OPD" else "AN")
        for row in rows:
            if rng.random() < keep:
                (kept_seq if name == "OPD" else kept_an)[row[key]] = ("R" + row[key]) if new_keys else row[key]
    for name in ("INS", "PAT", "OPD", "ODX", "CHT", "CHA", "DRU", "IPD", "IDX", "IOP"):
        header, rows = _read(source, name)
        if not header:
            continue
        out = []
        for row in rows:
            row = list(row)
            if name in ("INS", "PAT"):
                pass  # every patient again
            elif "AN" in header and row[header.index("AN")]:
                an = row[header.index("AN")]
                if an not in kept_an:
                    continue
                row[header.index("AN")] = kept_an[an]
                if "SEQ" in header:
                    row[header.index("SEQ")] = kept_an[an]
            elif "SEQ" in header:
                seq = row[header.index("SEQ")]
                if seq not in kept_seq:
                    continue
                row[header.index("SEQ")] = kept_seq[seq]
            out.append(row)
        _write(target, name, header, out)
    return list(kept_seq)


def build(workdir: Path, persons: int) -> tuple[list[tuple[str, Path]], list[str], list[str]]:
    rng = random.Random(20261206)  # noqa: S311 - synthetic data
    a = workdir / "a"
    cs.write(a, VISITS, persons, "EQ", "EQ")
    dead = spoil(a, persons, rng)
    b = workdir / "b"
    resend(a, b, rng, new_keys=False, keep=0.2)  # replacements (some of them priced first: 142)
    b2 = workdir / "b2"
    resend(a, b2, rng, new_keys=True, keep=0.2)  # the same people and days under new SEQs (179, 151)
    c = workdir / "c"
    resend(a, c, rng, new_keys=False, keep=0.3)  # at another unit: overlapping admissions (150), HCODE (018)
    header, rows = _read(b, "OPD")
    priced = [row[header.index("SEQ")] for row in rows[::7]]
    return [(nm.unit_code(0), a), (nm.unit_code(0), b), (nm.unit_code(0), b2), (nm.unit_code(1), c)], dead, priced


def run(workdir: Path, persons: int) -> dict[str, Any]:
    from django.db import connection

    from openuhc.claims import services
    from openuhc.providers.models import HealthUnit

    subs, dead, priced = build(workdir, persons)
    if not HealthUnit.objects.filter(code=nm.unit_code(1)).exists():  # claims_store.py --sqlite has one hospital
        unit = HealthUnit.objects.get(code=nm.unit_code(0))
        unit.pk, unit.code = None, nm.unit_code(1)
        unit.save()
    with connection.cursor() as cursor:
        for cid in dead:
            cursor.execute("UPDATE registry_person SET death_date = %s WHERE citizen_id = %s",
                           [date(2025, 10, 12), cid])
    ids = []
    for n, (unit, folder) in enumerate(subs):
        done = services.submit(folder, unit_code=unit, actor=None, received_at=nm.RECEIVED)
        ids.append(done.pk)
        if n == 0:
            with connection.cursor() as cursor:  # some claims priced: sending them again is refused (142)
                cursor.execute("UPDATE claims_claim SET status = 'priced' WHERE submission_id = %s AND kind = 'OP' "
                               "AND \"key\" IN (SELECT value FROM json_each(%s))" if connection.vendor == "sqlite"
                               else "UPDATE claims_claim SET status = 'priced' WHERE submission_id = %s AND "
                               "kind = 'OP' AND \"key\" = ANY(%s)",
                               [done.pk, json.dumps(priced) if connection.vendor == "sqlite" else priced])
    return digest(ids)


def digest(submission_ids: list[int]) -> dict[str, Any]:
    from openuhc.claims import models as m

    number = {pk: n for n, pk in enumerate(submission_ids)}
    claims = m.Claim.objects.filter(submission_id__in=submission_ids)
    natural = {pk: (number[s], kind, key) for pk, s, kind, key in claims.values_list("id", "submission_id", "kind",
                                                                                     "key")}
    parts: dict[str, str] = {}
    counts: dict[str, int] = {}

    def put(name: str, rows: list[Any]) -> None:
        rows = sorted(repr(r) for r in rows)
        parts[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        counts[name] = len(rows)

    def fields(model: Any) -> list[str]:
        return [f.attname for f in model._meta.concrete_fields if f.attname not in ("id", "claim_id", "submission_id")]

    put("claims", [(natural[r["id"]], *(r[f] for f in fields(m.Claim))) for r in claims.values("id", *fields(m.Claim))])
    for model in (m.Diagnosis, m.Procedure, m.Charge, m.Drug, m.LeaveDay, m.Referral, m.Accident, m.Item):
        put(model.__name__, [(natural[r["claim_id"]], *(r[f] for f in fields(model)))
                             for r in model.objects.filter(claim_id__in=natural).values("claim_id", *fields(model))])
    events = m.ClaimEvent.objects.filter(claim_id__in=natural).order_by("claim_id", "id")
    last, rank, rows = None, 0, []
    for r in events.values("claim_id", *fields(m.ClaimEvent)):
        rank = rank + 1 if r["claim_id"] == last else 0
        last = r["claim_id"]
        rows.append((natural[r["claim_id"]], rank, *(r[f] for f in fields(m.ClaimEvent))))
    put("events", rows)
    problems = m.Problem.objects.filter(submission_id__in=submission_ids)
    put("problems", [(number[r["submission_id"]], natural.get(r["claim_id"]), *(r[f] for f in fields(m.Problem)))
                     for r in problems.values("submission_id", "claim_id", *fields(m.Problem))])
    subs = m.Submission.objects.filter(pk__in=submission_ids).order_by("id")
    put("submissions", list(subs.values_list("status", "service_month", "rows", "op_count", "ip_count",
                                             "accepted_count", "rejected_count", "replaced_count", "problem_count",
                                             "tables_missing")))
    by_code: dict[str, int] = {}
    for code in problems.values_list("code", flat=True):
        by_code[code] = by_code.get(code, 0) + 1
    total = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    return {"sha256": total, "parts": parts, "rows": counts, "problems_by_code": dict(sorted(by_code.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="PostgreSQL: the database to create (dropped first) as a copy of --template")
    parser.add_argument("--template", default="oh_store_bench")
    parser.add_argument("--sqlite", metavar="FOLDER", help="SQLite: the claims_store.py --sqlite folder (copied)")
    parser.add_argument("--persons", type=int, required=True, help="the registry's size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="openuhc-digest-") as tmp:
        work = Path(tmp)
        if args.sqlite:
            shutil.copy(Path(args.sqlite) / "openuhc.sqlite3", work / "copy.sqlite3")
            url = f"sqlite:///{work / 'copy.sqlite3'}"
        else:
            for sql in (f"DROP DATABASE IF EXISTS {args.db}", f"CREATE DATABASE {args.db} TEMPLATE {args.template}"):
                subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)  # noqa: S603,S607
            url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
        cs.setup_django(url, str(work))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # the code's own schema (an index added since the copy was built)
        print(json.dumps(run(work, args.persons), indent=1))


if __name__ == "__main__":
    main()
