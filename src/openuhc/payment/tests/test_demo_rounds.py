"""The demo shows a late claim paid in a later round (with the official DRG tables, which the demo installs when
OPENUHC_TDRG_PATH points at them)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_pays_a_late_file_in_a_later_round_at_the_late_percentage(geography, tdrg_dir, monkeypatch):
    from openuhc.claims.models import Claim
    from openuhc.demo.loader import load_demo
    from openuhc.payment.models import ClaimPayment

    monkeypatch.setenv("OPENUHC_TDRG_PATH", str(tdrg_dir))
    # a month in the past: the files are sent when the demo says, not cut short by today
    ctx = load_demo(seed=2569, people=2000, month=date(2026, 3, 1))
    first, later = ctx.data["ip_rounds"]
    assert first.status == later.status == "published" and first.cutoff < ctx.data["late_sent_on"] == later.cutoff
    late = set(Claim.objects.filter(submission=ctx.data["late_submission"]).values_list("pk", flat=True))
    paid_first = set(ClaimPayment.objects.filter(run=first).values_list("claim_id", flat=True))
    paid_later = list(ClaimPayment.objects.filter(run=later))
    assert first.claims > 0 and not paid_first & late
    assert paid_later and {line.claim_id for line in paid_later} <= late
    assert all(line.detail["late_percent"] == "95.00" and "LATE" in line.detail["reasons"] for line in paid_later)
    assert all(line.detail["late_days"] >= 31 and line.gross > D(0) for line in paid_later)
    assert Claim.objects.filter(status="paid", pk__in=late).count() == len(paid_later)
    # with the manual's files every demo admission groups exactly: a claim still held has an approximate grouping
    from openuhc.drg.claims import latest

    assert Claim.objects.filter(kind="IP", status="paid").exists()
    assert all(not latest(claim).exact for claim in Claim.objects.filter(status="held"))


def test_a_demo_built_today_shows_no_file_received_in_the_future(geography):
    from django.utils import timezone

    from openuhc.claims.models import Submission
    from openuhc.demo.loader import load_demo

    ctx = load_demo(seed=2569, people=300)
    assert Submission.objects.exists() and not Submission.objects.filter(received_at__gt=timezone.now()).exists()
    assert ctx.data["on_time_sent_on"] < ctx.data["late_sent_on"] <= timezone.localdate()
