"""Fee-schedule rounds from stored claims: the unpaid itemised lines of accepted claims received by the cut-off,
priced within the caps per person and period, each line paid once, through the workflow onto the unit's statement
and pages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pyarrow.parquet as pq
import pytest

from openuhc.claims.samples import SubmissionBuilder
from openuhc.core.errors import DomainError
from openuhc.payment import services
from openuhc.payment.fee_runs import compute_fee
from openuhc.payment.models import ClaimPayment, PaymentRun, RunEvent, UnitPayment
from openuhc.registry.models import Scheme
from openuhc.testing.world import add_person

pytestmark = pytest.mark.django_db
SENT = datetime(2026, 2, 5, 9, tzinfo=UTC)


def adp(builder: SubmissionBuilder, *, hn: str, seq: str, on: date, code: str, qty: int = 1) -> None:
    builder.rows["ADP"].append({"HN": hn, "AN": "", "DATEOPD": on.strftime("%Y%m%d"), "TYPE": "12", "CODE": code,
                                "QTY": qty, "RATE": "0.00", "SEQ": seq, "TOTAL": "0.00"})


def submit(world, tmp_path, visits: list[tuple[str, date, str, int]], *, name: str = "sub", sent=SENT):
    """Hospital A's file: a pregnant woman's visits, each with one itemised line (code, quantity)."""
    from openuhc.claims import services as claims

    mother = world.people.get("mother")
    if mother is None:
        mother = world.people["mother"] = add_person(subdistrict=world.shph_a.subdistrict, birth=date(1995, 4, 2),
                                                     sex=2, first="มารดา")
    builder = SubmissionBuilder("56001")
    builder.patient(hn="M1", cid=mother.citizen_id, dob=mother.birth_date, sex=2, fname=mother.first_name_th,
                    lname=mother.last_name_th, hospmain="56001", title="นาง")
    for seq, on, code, qty in visits:
        builder.visit(hn="M1", seq=seq, on=on, diagnoses=["Z340"])
        adp(builder, hn="M1", seq=seq, on=on, code=code, qty=qty)
    submission = claims.submit(builder.write(tmp_path / name), unit_code="56001", actor=world.users["hospital"])
    type(submission).objects.filter(pk=submission.pk).update(received_at=sent)
    return submission


def fee_run(world, cutoff=date(2026, 2, 10), user="regional"):
    return services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"),
                              region=world.province.region, cutoff=cutoff, kind=PaymentRun.Kind.FEE)


def test_a_fee_round_pays_the_unpaid_itemised_lines_within_the_caps_per_person(world, budget, officers, tmp_path):
    from openuhc.claims.models import Claim

    visits = [(f"V{d}", date(2026, 1, d), "ANC", 1) for d in range(2, 9)]  # 7 antenatal visits: 5 paid a year
    visits += [("U1", date(2026, 1, 20), "US", 3), ("X1", date(2026, 1, 21), "DEVICE9", 1)]
    submit(world, tmp_path, visits)
    # sent after the first round's cut-off: the next round's
    submit(world, tmp_path, [("F1", date(2026, 2, 3), "ANC", 1)], name="later", sent=datetime(2026, 2, 20, 9,
                                                                                              tzinfo=UTC))
    assert Claim.objects.filter(kind="OP", status="accepted").count() == 10
    run = compute_fee(actor=world.users["regional"], run=fee_run(world))
    lines = list(ClaimPayment.objects.filter(run=run).order_by("claim_id"))
    got = [(x.detail["item"], x.gross, x.detail["reason"]) for x in lines]
    assert got == [("ANC", D("360.00"), "")] * 5 + [("ANC", D("0.00"), "CAP_COUNT")] * 2 + [
        ("US", D("800.00"), "CAP_COUNT")]  # 3 ultrasounds asked, 2 paid (and 800 baht at most)
    assert run.gross == D("2600.00") == sum(x.gross for x in lines) and run.claims == 8
    assert UnitPayment.objects.get(run=run, unit=world.hospital_a).gross == run.gross
    assert all(x.detail["claim"] for x in lines) and "DEVICE9" not in {x.detail["item"] for x in lines}
    # the visits whose lines were priced are locked; the device-only visit is not
    assert Claim.objects.filter(kind="OP", status="priced").count() == 8
    assert Claim.objects.get(key="X1").status == "accepted"
    # what the first round paid counts against the next one's cap: the year's five antenatal visits are used up
    february = compute_fee(actor=world.users["regional"], run=fee_run(world, date(2026, 2, 28)))
    assert [(x.detail["item"], x.gross, x.detail["reason"]) for x in february.claim_payments.all()] == [
        ("ANC", D("0.00"), "CAP_COUNT")]
    # the workflow, as for every run: four eyes, events, published
    for user in ("national", "national2", "national"):
        run = services.advance(actor=world.users[user], run=run)
    assert run.status == "published"
    assert list(run.events.values_list("action", flat=True)) == ["started", "computed", "checked", "approved",
                                                                "published"]
    assert Claim.objects.filter(kind="OP", status="paid").count() == 8


def test_recomputing_a_fee_run_changes_nothing_and_no_line_is_paid_twice(world, budget, tmp_path):
    submit(world, tmp_path, [("V1", date(2026, 1, 5), "ANC", 1), ("V2", date(2026, 1, 6), "PNC", 1)])
    run = compute_fee(actor=world.users["regional"], run=fee_run(world))
    counts = (ClaimPayment.objects.count(), UnitPayment.objects.count(), RunEvent.objects.count())
    again = compute_fee(actor=world.users["national"], run=run)
    assert again.checksum == run.checksum
    assert (ClaimPayment.objects.count(), UnitPayment.objects.count(), RunEvent.objects.count()) == counts
    # another round handed the same itemised lines (here: the first round's staged input) is refused whole
    from openuhc.engine.models import Run

    other = fee_run(world, date(2026, 2, 28))
    table = pq.read_table(Run.objects.get(pk=run.engine_run).input_path)
    with pytest.raises(DomainError, match="already paid by another run"):
        services.compute_fee(actor=world.users["regional"], run=other, claims=table)
    assert not ClaimPayment.objects.filter(run=other).exists()


def test_a_fee_run_is_on_the_statement_and_the_run_page(world, budget, officers, tmp_path, client_for):
    submit(world, tmp_path, [("V1", date(2026, 1, 5), "ANC", 1)])
    run = compute_fee(actor=world.users["regional"], run=fee_run(world))
    for user in ("national", "national2", "national"):
        run = services.advance(actor=world.users[user], run=run)
    body = client_for("hospital").get(f"/payment/runs/{run.pk}/statements/56001/").content.decode()
    assert 'id="claim-lines"' in body and "ANC" in body and "360.00" in body and "FY2569 round 1" in body
    assert client_for("hospital2").get(f"/payment/runs/{run.pk}/statements/56001/").status_code == 403
    month = client_for("hospital").get("/payment/statements/56001/2026-02/").content.decode()  # the cut-off's month
    assert "360.00" in month
    page = client_for("regional").get(f"/payment/runs/{run.pk}/").content.decode()
    assert "fee schedule" in page and "360.00" in page


def test_the_start_form_computes_a_fee_run(world, budget, tmp_path, client_for):
    submit(world, tmp_path, [("V1", date(2026, 1, 5), "ANC", 1)])
    response = client_for("regional").post("/payment/start/", {"scheme": "UCS", "kind": "fee", "cutoff": "10/02/2569",
                                                               "region": world.province.region.number})
    run = PaymentRun.objects.get(kind="fee")
    assert response.status_code == 302 and run.computed_at and run.gross == D("360.00")


def test_a_statement_shows_its_claim_lines_a_page_at_a_time_and_downloads_them_all(world, budget, officers, tmp_path,
                                                                                  client_for, monkeypatch):
    from openuhc.payment import views

    submit(world, tmp_path, [("V1", date(2026, 1, 5), "ANC", 1), ("V2", date(2026, 1, 6), "PNC", 1),
                             ("V3", date(2026, 1, 7), "ANC", 1)])
    run = compute_fee(actor=world.users["regional"], run=fee_run(world))
    for user in ("national", "national2", "national"):
        run = services.advance(actor=world.users[user], run=run)
    monkeypatch.setattr(views, "STATEMENT_LINES", 2)
    hospital = client_for("hospital")
    first = hospital.get(f"/payment/runs/{run.pk}/statements/56001/").content.decode()
    second = hospital.get(f"/payment/runs/{run.pk}/statements/56001/?page=2").content.decode()

    def lines(body: str) -> int:  # rows of the claim lines' table
        table = body[body.index('id="claim-lines"'):]
        return table[:table.index("</table>")].count("<tr>") - 1  # less the header row

    assert (lines(first), lines(second)) == (2, 1)
    assert 'class="pager"' in first and "page=2" in first
    assert 'id="statement-net"' in second  # the totals are the whole statement's on every page
    download = hospital.get(f"/payment/runs/{run.pk}/statements/56001/?format=csv")
    csv = b"".join(download.streaming_content).decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 1 + 3
