"""A helper process for test_concurrent (not a test). `setup`: the tables and a place (testing.driver),
two hospitals and a few registered people. `submit UNIT FOLDER GATE`: wait until every process
named in GATE (a folder) is ready, then store the unit's submission through `claims.services.submit`.
`digest UNIT`: what the unit's submission stored — claims, events, rows and problems, without database ids — as
one SHA-256, with the submission's status, as JSON."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

UNITS = ("56001", "56002")
PEOPLE = 8


def setup() -> None:
    from django.apps import apps

    from openuhc.providers.models import HealthUnit
    from openuhc.registry import services as registry
    from openuhc.registry.models import Scheme
    from openuhc.testing.driver import tables_and_place
    from openuhc.testing.world import make_cid

    sub, unit_type, owner = tables_and_place()
    importlib.import_module("openuhc.registry.migrations.0002_default_schemes").add(apps, None)
    units = [HealthUnit.objects.create(code=code, name_th=f"โรงพยาบาล {code}", unit_type=unit_type, subdistrict=sub,
                                       owner=owner) for code in UNITS]
    for n in range(PEOPLE):
        person = registry.add_person(actor=None, citizen_id=make_cid(f"1560100{n:05d}"), first_name_th="สมชาย",
                                     last_name_th="ทดสอบ", sex=1, birth_date=date(1980, 1, 1), subdistrict=sub,
                                     title="นาย")
        registry.add_coverage(actor=None, person=person, scheme=Scheme.objects.get(code="UCS"),
                              valid_from=date(2002, 10, 1))
        registry.register(actor=None, person=person, main_unit=units[n % 2], primary_unit=units[n % 2],
                          referral_unit=units[n % 2], effective_from=date(2021, 1, 1))


def submission(unit: str, folder: Path) -> Path:
    """Every registered person's OP visits on every day of September at this unit, plus visits of people the
    registry does not know (rejected, with problems): the same file whichever process writes it."""
    from openuhc.claims.samples import SubmissionBuilder
    from openuhc.testing.world import make_cid

    builder = SubmissionBuilder(unit)
    for n in range(PEOPLE + 4):
        known = n < PEOPLE
        builder.patient(hn=f"H{n}", cid=make_cid(f"1560100{n:05d}" if known else f"1999900{n:05d}"),
                        dob=date(1980, 1, 1), sex=1, hospmain=UNITS[n % 2])
        for day in range(1, 31):
            builder.visit(hn=f"H{n}", seq=f"{unit}-{n}-{day}", on=date(2025, 9, day), diagnoses=["J069", "R509"],
                          charges={"31": "120.00"}, drugs=1)
    return builder.write(folder)


def submit(unit: str, folder: str, gate: str) -> None:
    from openuhc.claims import services

    path = submission(unit, Path(folder))
    ready = Path(gate)
    (ready / unit).touch()
    deadline = time.monotonic() + 120
    while not all((ready / u).exists() for u in UNITS) and time.monotonic() < deadline:
        time.sleep(0.01)  # both processes start storing together: their transactions overlap
    started = time.time()
    done = services.submit(path, unit_code=unit, actor=None)
    print(json.dumps({"unit": unit, "status": done.status, "claims": done.op_count + done.ip_count,
                      "started": started, "finished": time.time()}))


def digest(unit: str) -> None:
    from openuhc.claims import models as m

    sub = m.Submission.objects.get(unit__code=unit)
    key = {c.pk: (c.kind, c.key) for c in m.Claim.objects.filter(submission=sub)}
    parts = {
        "claims": sorted(tuple(str(v) for v in row) for row in m.Claim.objects.filter(submission=sub).values_list(
            "kind", "key", "hn", "citizen_id", "person_id", "status", "is_current", "service_date", "total_charge",
            "line")),
        # the submission's id depends on which process saved it first: the unit stands for it
        "events": sorted((key[c], s, json.dumps({**d, "submission": unit} if "submission" in d else d, sort_keys=True))
                         for c, s, d in m.ClaimEvent.objects.filter(claim_id__in=key).values_list(
                             "claim_id", "status", "detail")),
        "diagnoses": sorted((key[c], ln, code) for c, ln, code in m.Diagnosis.objects.filter(
            claim_id__in=key).values_list("claim_id", "line", "code")),
        "charges": sorted((key[c], ln, item, str(a)) for c, ln, item, a in m.Charge.objects.filter(
            claim_id__in=key).values_list("claim_id", "line", "item", "amount")),
        "drugs": sorted((key[c], ln, code) for c, ln, code in m.Drug.objects.filter(
            claim_id__in=key).values_list("claim_id", "line", "code")),
        "problems": sorted((key.get(c), f, ln, fld, code, en) for c, f, ln, fld, code, en in m.Problem.objects.filter(
            submission=sub).values_list("claim_id", "file", "line", "field", "code", "message_en")),
    }
    text = json.dumps(parts, sort_keys=True, default=str)
    print(json.dumps({"unit": unit, "status": sub.status, "sha256": hashlib.sha256(text.encode()).hexdigest(),
                      "rows": {k: len(v) for k, v in parts.items()},
                      "parts": {k: hashlib.sha256(json.dumps(v, default=str).encode()).hexdigest()[:16]
                                for k, v in parts.items()}}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    import django

    django.setup()
    {"setup": setup, "submit": submit, "digest": digest}[sys.argv[1]](*sys.argv[2:])
