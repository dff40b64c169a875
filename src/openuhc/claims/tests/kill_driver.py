"""A helper process for test_kill (not a test). `setup`: the tables (created straight from the models: a full
migrate would take a minute) and one health unit. `submit FOLDER`: store a submission, and SIGKILL itself in the
middle of storing — after the claims, their events and diagnoses are written, before the other rows and problems.
`check`: what `openuhc claims recover` does, then the counts of every stored kind of row, as JSON."""

from __future__ import annotations

import json
import os
import signal
import sys


def setup() -> None:
    from openuhc.providers.models import HealthUnit
    from openuhc.testing.driver import tables_and_place

    sub, unit_type, owner = tables_and_place()
    HealthUnit.objects.create(code="56001", name_th="โรงพยาบาลเอ", unit_type=unit_type, subdistrict=sub, owner=owner)


def submit(folder: str) -> None:
    from openuhc.claims import services, store
    from openuhc.claims.models import Claim, ClaimEvent, Diagnosis
    from openuhc.core import bulk

    real = bulk.insert_queries

    def killed_midway(duck, writes):  # noqa: ANN001, ANN202
        written = real(duck, writes)
        if any(model is Diagnosis for model, _names, _sql in writes):
            # the claims, their events and lines are written, not the problems nor the outcome: die, as a killed
            # process does
            if not (Claim.objects.exists() and ClaimEvent.objects.exists() and Diagnosis.objects.exists()):
                sys.exit(3)  # nothing written yet: the kill would prove nothing
            os.kill(os.getpid(), signal.SIGKILL)
        return written

    store.bulk.insert_queries = killed_midway  # type: ignore[attr-defined]
    services.submit(folder, unit_code="56001", actor=None)


def check() -> None:
    from openuhc.claims import models as m
    from openuhc.claims.services import recover_interrupted

    recovered = [s.pk for s in recover_interrupted()]
    counts = {model.__name__: model.objects.count() for model in (m.Claim, m.ClaimEvent, m.Diagnosis, m.Charge,
                                                                  m.Drug, m.Problem)}
    submission = m.Submission.objects.get()
    print(json.dumps({"recovered": recovered, "counts": counts, "status": submission.status,
                      "original_kept": bool(submission.original)}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    import django

    django.setup()
    {"setup": setup, "submit": submit, "check": check}[sys.argv[1]](*sys.argv[2:])
