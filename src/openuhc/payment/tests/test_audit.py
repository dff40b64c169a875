"""The audit of the money paths (issue 13): one test per defect found. Each of them failed on the code before the
fix (commit 06a86ad, written against the API of the time; adapted to rounds since): a late admission never
paid, an error DRG priced at 0, a paid fee item's visit replaced and paid again, a person counted in two regions,
the rate per AdjRW divided by raw AdjRW, AdjRW2 rounded twice, the fiscal year fixed to October, CCUF /
multipliers / road-traffic insurance never reaching pricing, the salary deduction by today's owner, fractional
quantities truncated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D

import pyarrow as pa
import pytest

from openuhc.budget.defaults import year_config
from openuhc.budget.services import add_version
from openuhc.claims.samples import SubmissionBuilder
from openuhc.payment import services
from openuhc.payment.models import ClaimPayment, UnitPayment
from openuhc.payment.tests.conftest import register
from openuhc.registry.models import Scheme
from openuhc.testing.world import add_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def tables(db, tdrg_dir):
    from openuhc.drg.tables import active_tables, install_tables

    install_tables(tdrg_dir)
    return active_tables()


def _submit(world, tmp_path, name, received, build):
    from openuhc.claims import services as claims

    a = world.people["a"]
    builder = SubmissionBuilder("56001")
    builder.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex, fname=a.first_name_th,
                    lname=a.last_name_th, hospmain="56001")
    build(builder)
    submission = claims.submit(builder.write(tmp_path / name), unit_code="56001", actor=world.users["hospital"])
    type(submission).objects.filter(pk=submission.pk).update(received_at=received)
    return submission


def _publish(world, run):
    """Check, approve and publish, each by someone other than who did the step before (four eyes)."""
    computed_by = run.events.get(action="computed").actor
    order = ("national2", "national", "national2") if computed_by == world.users["national"] else (
        "national", "national2", "national")
    for user in order:
        run = services.advance(actor=world.users[user], run=run)
    return run


def _group_and_release(world):
    """Group every admission; the regional officer releases the approximate ones (as long as the DRG tables lack
    the manual's logic, most groupings are approximate and held for review)."""
    from openuhc.claims.lifecycle import review
    from openuhc.claims.models import Claim
    from openuhc.drg.claims import group_claims

    group_claims(Claim.objects.all(), actor=world.users["national"])
    for claim in Claim.objects.filter(status="held"):
        review(claim, actor=world.users["regional"], release=True, reason="checked against the chart")


def _ip_round(world, cutoff, user="national"):
    return services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"),
                              region=world.province.region, cutoff=cutoff, kind="ip")


def test_a_late_admission_is_paid_by_a_later_round(world, tables, budget, officers, tmp_path):
    from openuhc.claims.models import Claim

    _submit(world, tmp_path, "on-time", datetime(2025, 11, 5, 9, tzinfo=UTC), lambda b: b.admission(
        hn="H1", an="A1", admitted=date(2025, 10, 8), discharged=date(2025, 10, 10), diagnoses=["J189"]))
    _group_and_release(world)
    first = _publish(world, services.compute(actor=world.users["national"], run=_ip_round(world, date(2025, 11, 15))))
    assert first.claims == 1
    # sent 70 days after its discharge on 20 October, after October's claims were paid
    _submit(world, tmp_path, "late", datetime(2025, 12, 29, 9, tzinfo=UTC), lambda b: b.admission(
        hn="H1", an="A2", admitted=date(2025, 10, 18), discharged=date(2025, 10, 20), diagnoses=["J189"]))
    _group_and_release(world)
    later = services.compute(actor=world.users["national"], run=_ip_round(world, date(2025, 12, 31)))
    late = Claim.objects.get(key="A2", is_current=True)
    line = ClaimPayment.objects.filter(claim_type="ip", claim_id=late.pk).first()
    assert line is not None, "the late admission is never paid"
    assert line.run_id == later.pk and later.claims == 1  # A1 is not paid again
    assert line.detail["late_percent"] == "95.00" and line.detail["late_days"] == 70 and line.fiscal_year == 2569
    assert "LATE" in line.detail["reasons"]


def test_an_error_drg_is_rejected_not_priced_at_zero_and_the_correction_is_paid(world, tables, budget, tmp_path):
    from openuhc.claims.models import Claim

    _submit(world, tmp_path, "first", datetime(2025, 11, 5, 9, tzinfo=UTC), lambda b: b.admission(
        hn="H1", an="A1", admitted=date(2025, 10, 8), discharged=date(2025, 10, 10), diagnoses=["B950"]))
    _group_and_release(world)
    claim = Claim.objects.get(key="A1")
    assert claim.groupings.get().drg == "26519"
    assert claim.status == "rejected"
    assert claim.problems.filter(code="211").exists()
    nothing = services.compute(actor=world.users["national"], run=_ip_round(world, date(2025, 11, 15)))
    assert nothing.claims == 0 and not ClaimPayment.objects.exists()
    # the unit corrects the principal diagnosis and sends the same AN again: not refused (142), and paid
    _submit(world, tmp_path, "corrected", datetime(2025, 11, 20, 9, tzinfo=UTC), lambda b: b.admission(
        hn="H1", an="A1", admitted=date(2025, 10, 8), discharged=date(2025, 10, 10), diagnoses=["J189"]))
    corrected = Claim.objects.get(key="A1", is_current=True)
    assert corrected.status == "accepted" and not corrected.problems.filter(code="142").exists()
    _group_and_release(world)
    paid = services.compute(actor=world.users["national"], run=_ip_round(world, date(2025, 11, 30)))
    assert paid.claims == 1 and paid.gross > 0
    assert ClaimPayment.objects.get().claim_id == corrected.pk


def _mother_visit(world, tmp_path, name, *, seq="V1", code="ANC", qty="1", on=date(2026, 1, 5)):
    """A pregnant woman's visit at hospital A with one itemised line, sent on 5 February (test_fee_runs)."""
    from openuhc.payment.tests.test_fee_runs import submit

    return submit(world, tmp_path, [(seq, on, code, qty)], name=name)


def _fee_round(world, cutoff=date(2026, 2, 10)):
    run = services.start_run(actor=world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.province.region, cutoff=cutoff, kind="fee")
    return services.compute(actor=world.users["regional"], run=run)


def test_a_visit_whose_fee_item_was_paid_cannot_be_sent_again(world, budget, officers, tmp_path):
    from openuhc.claims.models import Claim

    _mother_visit(world, tmp_path, "first")
    run = _fee_round(world)
    assert run.gross == D("360.00")
    assert Claim.objects.get(key="V1", is_current=True).status == "priced"
    again = _mother_visit(world, tmp_path, "again")
    resent = Claim.objects.get(submission=again)
    assert resent.status == "rejected" and resent.problems.filter(code="142").exists()
    assert _fee_round(world, date(2026, 2, 20)).gross == D("0.00")  # 360.00 for the visit, not 720.00
    _publish(world, run)
    assert Claim.objects.get(key="V1", is_current=True).status == "paid"


def test_a_person_who_moved_region_is_counted_once(world, budget):
    from openuhc.providers import services as providers
    from openuhc.registry import services as registry

    providers.create_cup(actor=None, main_unit=world.far_unit, since=date(2010, 10, 1))
    mover = register(add_person(subdistrict=world.shph_a.subdistrict, first="ย้ายเขต"), world.hospital_a,
                     world.shph_a)
    registry.register(actor=None, person=mover, main_unit=world.far_unit, primary_unit=world.far_unit,
                      referral_unit=world.far_unit, effective_from=date(2025, 12, 1))
    registry.register(actor=None, person=mover, main_unit=world.hospital_b, primary_unit=world.shph_b,
                      referral_unit=world.hospital_b, effective_from=date(2026, 1, 20))
    counted = 0
    for user, region in (("regional", world.province.region), ("regional2", world.other_province.region)):
        run = services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"), region=region,
                                 period=date(2026, 1, 1), kind="capitation")
        run = services.compute_capitation(actor=world.users[user], run=run)
        counted += run.population
    # a (A, region 1), b (B, region 1), far (far unit, region 2) and the mover, in force with the far unit on 1 Jan
    assert counted == 4


def test_the_rate_per_adjrw_indicator_divides_by_payable_adjrw(world, budget, officers):
    from openuhc.monitoring.facts import months_between, payments

    table = pa.table({"claim_id": pa.array([1], pa.int64()), "hcode": ["56001"], "region": [1],
                      "service_month": [202601], "adjrw": [1.0], "late_days": [40]})
    run = _ip_round(world, date(2026, 1, 31), user="regional")
    run = _publish(world, services.compute_ip(actor=world.users["regional"], run=run, claims=table))
    assert run.gross == D("7932.50")
    facts = payments(months_between(2569, date(2026, 1, 31))).to_pylist()
    ip = [row for row in facts if row["kind"] == "ip"]
    assert sum(row["amount"] for row in ip) / D(str(sum(row["adjrw"] for row in ip))) == D("8350")


def test_adjrw2_is_rounded_once():
    from openuhc.payment.pricing import IpRules, price_ip

    rules = IpRules(base_rate=D("8350"), budgets={(1, 2569): D("1000000")}, multipliers={"REMOTE": D("1.1")})
    table = pa.table({"claim_id": [1], "hcode": ["56001"], "region": [1], "fiscal_year": [2569],
                      "adjrw": [2.0], "ccuf": [1.0005], "multiplier_code": ["REMOTE"]})
    claims, _ = price_ip(table, rules)
    # 2.0 × 1.0005 × 1.1 = 2.2011 exactly; rounding 1.0005 × 1.1 = 1.10055 to 1.1006 first gave 2.2012
    assert claims.column("adjrw2").to_pylist() == [2.2011]


def test_the_fiscal_year_of_pricing_follows_the_setting(world, settings, officers):
    settings.OPENUHC_FISCAL_YEAR_START_MONTH = 1  # a country whose fiscal year is the calendar year
    add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2026, 1, 1), data=year_config(2569))
    table = pa.table({"claim_id": pa.array([1], pa.int64()), "hcode": ["56001"], "region": [1],
                      "service_month": [202612], "adjrw": [1.0]})
    run = services.compute_ip(actor=world.users["regional"], run=_ip_round(world, date(2026, 12, 5), "regional"),
                              claims=table)
    assert run.gross == D("8350.00") and run.fiscal_year == 2569
    assert ClaimPayment.objects.get(run=run).fiscal_year == 2569


def test_ccuf_multipliers_and_road_traffic_insurance_reach_inpatient_pricing(world, tables, budget, tmp_path):
    from openuhc.core import params

    params.set_value("payment.ccuf", {"56001": "1.0200"}, valid_from=date(2025, 10, 1))
    params.set_value("payment.unit_multipliers", {"56001": "REMOTE"}, valid_from=date(2025, 10, 1))
    params.set_value("payment.rti_column", "RTI_PAID", valid_from=date(2025, 10, 1))

    from openuhc.claims import services as claims

    a = world.people["a"]
    builder = SubmissionBuilder("56001")
    builder.patient(hn="H1", cid=a.citizen_id, dob=a.birth_date, sex=a.sex, fname=a.first_name_th,
                    lname=a.last_name_th, hospmain="56001")
    builder.admission(hn="H1", an="A1", admitted=date(2025, 10, 8), discharged=date(2025, 10, 10),
                      diagnoses=["J189"])
    folder = builder.write(tmp_path / "rti")
    # an extra IPD column, as a fund that receives what the insurer paid would have it
    header, row, end = (folder / "IPD.txt").read_bytes().decode().split("\r\n")
    (folder / "IPD.txt").write_bytes(f"{header}|RTI_PAID\r\n{row}|2000.00\r\n{end}".encode())
    submission = claims.submit(folder, unit_code="56001", actor=world.users["hospital"])
    type(submission).objects.filter(pk=submission.pk).update(received_at=datetime(2025, 11, 5, 9, tzinfo=UTC))
    _group_and_release(world)
    run = services.compute(actor=world.users["national"], run=_ip_round(world, date(2025, 11, 15)))
    line = ClaimPayment.objects.get(run=run)
    adjrw = D(str(line.detail["adjrw"]))
    assert D(str(line.detail["adjrw2"])) == (adjrw * D("1.02") * D("1.1")).quantize(D("0.0001"))
    assert line.detail["ccuf"] == 1.02 and line.detail["multiplier_code"] == "REMOTE"
    assert line.rti_deduction == D("2000.00") and "RTI" in line.detail["reasons"]


def test_the_salary_deduction_follows_the_owner_in_the_month_paid(world, population):
    from openuhc.providers import services as providers

    # hospital A passed from the Ministry to the PAO on 1 February: January's capitation still has salaries
    providers.transfer_ownership(actor=None, unit=world.hospital_a, to_owner=world.pao_owner, on=date(2026, 2, 1))
    run = services.start_run(actor=world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.province.region, period=date(2026, 1, 1), kind="capitation")
    run = services.compute_capitation(actor=world.users["regional"], run=run)
    assert UnitPayment.objects.get(run=run, unit=world.hospital_a).salary_deduction > 0


def test_fractional_quantities_of_itemised_lines_are_kept(world, officers, tmp_path):
    data = year_config(2569)
    data["fee_items"] = [*data["fee_items"], {"code": "HHC", "name_th": "เยี่ยมบ้าน (ชั่วโมง)", "name_en":
                                              "Home care (hours)", "price": "100"}]
    add_version(actor=None, scheme="UCS", fiscal_year=2569, valid_from=date(2025, 10, 1), data=data)
    _mother_visit(world, tmp_path, "hhc", code="HHC", qty="2.5")
    run = _fee_round(world)
    assert run.gross == D("250.00")
    assert ClaimPayment.objects.get(run=run).detail["paid_quantity"] == "2.500"
