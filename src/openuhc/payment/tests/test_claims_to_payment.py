"""End to end: a hospital's claim file → accepted → grouped (Thai DRG, on the engine; held for review while the
DRG is approximate, then released by the regional officer) → priced by an inpatient round (on the engine) →
published → paid, every step an event on the claim; the claim page says why this DRG."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from openuhc.claims.samples import SubmissionBuilder

pytestmark = pytest.mark.django_db


@pytest.fixture
def tables(db, tdrg_dir):
    from openuhc.drg.tables import active_tables, install_tables

    install_tables(tdrg_dir)
    return active_tables()


def submit_october(world, tmp_path):
    from openuhc.claims import services as claims

    a = world.people["a"]
    builder = SubmissionBuilder("56001")
    builder.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex, fname=a.first_name_th,
                    lname=a.last_name_th, hospmain="56001")
    builder.admission(hn="H1", an="A1", admitted=date(2025, 10, 10), discharged=date(2025, 10, 13),
                      diagnoses=["J189", "E119"])
    builder.admission(hn="H1", an="A2", admitted=date(2025, 10, 20), discharged=date(2025, 10, 21),
                      diagnoses=["K358"], procedures=["4709"])
    submission = claims.submit(builder.write(tmp_path / "sub"), unit_code="56001", actor=world.users["hospital"])
    # as if sent on time, in early November 2025 (the late-submission rules would cut a year-late claim to 0 %)
    type(submission).objects.filter(pk=submission.pk).update(received_at=datetime(2025, 11, 5, 9, 0, tzinfo=UTC))
    return submission


def test_the_claim_page_explains_a_batch_grouping_with_the_explaining_path(world, tables, budget, officers,
                                                                           tmp_path, client_for):
    """The batch stores no trace: the page recomputes it with the per-case grouper, the same steps."""
    from openuhc.claims.models import Claim
    from openuhc.claims.services import admissions_table
    from openuhc.drg.claims import group_claims, latest, latest_explained
    from openuhc.drg.grouper import group_row
    from openuhc.drg.params import weighing_schedule

    submit_october(world, tmp_path)
    group_claims(Claim.objects.all(), actor=world.users["national"])
    pneumonia = Claim.objects.get(kind="IP", key="A1")
    assert latest(pneumonia).trace == []
    expected = group_row(admissions_table(Claim.objects.filter(pk=pneumonia.pk)).to_pylist()[0], tables,
                         weighing_schedule()).trace
    assert expected and latest_explained(pneumonia).trace == expected
    page = client_for("hospital").get(f"/claims/{pneumonia.pk}/").content.decode()
    assert "Why this DRG" in page and expected[-1]["rule"] in page
    assert client_for("hospital2").get(f"/claims/{pneumonia.pk}/").status_code in (403, 404)


def test_a_claim_goes_from_file_to_payment(world, tables, budget, officers, tmp_path, client_for):
    from openuhc.claims.models import Claim
    from openuhc.drg.claims import group_claims
    from openuhc.payment import services
    from openuhc.registry.models import Scheme

    submit_october(world, tmp_path)
    admissions = Claim.objects.filter(kind="IP", unit__code="56001")
    assert set(admissions.values_list("status", flat=True)) == {"accepted"}
    counts = group_claims(Claim.objects.all(), actor=world.users["national"])
    # the tables come with the manual's files: both DRGs are exact, so both admissions are grouped
    assert counts["grouped"] == 2 and counts["errors"] == 0 and counts["held"] == 0
    pneumonia = admissions.get(key="A1")
    assert set(admissions.values_list("status", flat=True)) == {"grouped"}
    page = client_for("hospital").get(f"/claims/{pneumonia.pk}/").content.decode()
    assert 'id="grouping"' in page and "Why this DRG" in page and "04520" in page

    run = services.start_run(actor=world.users["national"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.province.region, cutoff=date(2025, 11, 10), kind="ip")
    run = services.compute(actor=world.users["national"], run=run)
    assert run.claims == 2 and run.gross > 0
    assert set(admissions.values_list("status", flat=True)) == {"priced"}
    lines = {p.claim_id: p for p in run.claim_payments.all()}
    assert lines[pneumonia.pk].detail["drg"] == "04520"
    assert sum(p.gross for p in lines.values()) == run.gross
    # AdjRW 0.5661 (04520, LOS 3) × 8,350 baht (the month's rate does not float: the budget is large)
    assert lines[pneumonia.pk].gross == (Decimal("0.5661") * Decimal(8350)).quantize(Decimal("0.01"))

    from openuhc.engine.models import Run

    assert Run.objects.filter(function="payment.price_ip", status="done").count() == 1
    for actor in ("national2", "national", "national2"):
        run = services.advance(actor=world.users[actor], run=run)
    assert run.status == "published"
    assert set(admissions.values_list("status", flat=True)) == {"paid"}
    events = list(pneumonia.events.order_by("at", "id").values_list("status", flat=True))
    assert events[-4:] == ["accepted", "grouped", "priced", "paid"]
    # a later round finds nothing left to pay: each admission is paid once
    again = services.start_run(actor=world.users["national"], scheme=Scheme.objects.get(code="UCS"),
                               region=world.province.region, cutoff=date(2025, 11, 30), kind="ip")
    assert services.compute(actor=world.users["national"], run=again).claims == 0
