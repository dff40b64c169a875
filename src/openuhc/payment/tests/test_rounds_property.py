"""Property (Hypothesis): across any sequence of submissions, resubmissions and rounds, no claim or fee item is paid
twice — not even a visit sent again after its item was paid — and every statement total equals the sum of its
lines to the satang."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openuhc.claims.samples import SubmissionBuilder
from openuhc.payment import services, statements
from openuhc.payment.models import ClaimPayment, PaymentRun, UnitPayment
from openuhc.registry.models import Scheme
from openuhc.testing.world import add_person

pytestmark = pytest.mark.django_db

visit = st.tuples(st.just("visit"), st.integers(0, 1), st.integers(0, 2), st.sampled_from(["ANC", "US", "PNC"]),
                  st.sampled_from(["1", "2", "0.5"]))
admission = st.tuples(st.just("admission"), st.integers(0, 1), st.sampled_from(["0.8", "1.5", "3.2"]))
rounds = st.tuples(st.sampled_from(["fee_round", "ip_round", "publish"]))
actions = st.lists(st.one_of(visit, admission, rounds), min_size=2, max_size=7)


class Story:
    """One sequence: a clock that moves on a few days per step, the files sent, the rounds made."""

    def __init__(self, world, mothers, tmp_path) -> None:
        self.world, self.mothers, self.tmp_path = world, mothers, tmp_path
        self.today = date(2026, 2, 1)
        self.files = 0
        self.rounds: list[PaymentRun] = []

    def send(self, build) -> None:
        from openuhc.claims import services as claims

        self.files += 1
        builder = SubmissionBuilder("56001")
        build(builder)
        submission = claims.submit(builder.write(self.tmp_path / f"file{self.files}"), unit_code="56001",
                                   actor=self.world.users["hospital"])
        sent = datetime.combine(self.today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
        type(submission).objects.filter(pk=submission.pk).update(received_at=sent)

    def visit(self, mother: int, seq: int, code: str, qty: str) -> None:
        person = self.mothers[mother]
        hn, key, day = f"M{mother}", f"M{mother}V{seq}", date(2026, 1, 20 + seq)

        def build(b):
            b.patient(hn=hn, cid=person.citizen_id, dob=person.birth_date, sex=2, fname=person.first_name_th,
                      lname=person.last_name_th, hospmain="56001", title="นาง")
            b.visit(hn=hn, seq=key, on=day, diagnoses=["Z340"])
            b.rows["ADP"].append({"HN": hn, "AN": "", "DATEOPD": day.strftime("%Y%m%d"), "TYPE": "12",
                                  "CODE": code, "QTY": qty, "RATE": "0.00", "SEQ": key, "TOTAL": "0.00"})
        self.send(build)

    def admission(self, number: int, adjrw: str) -> None:
        from openuhc.claims.lifecycle import record_grouping
        from openuhc.claims.models import Claim
        from openuhc.drg.models import ClaimGrouping

        person, key = self.world.people["a"], f"A{number}"
        admitted = date(2026, 1, 2 + 6 * number)

        def build(b):
            b.patient(hn="H1", cid=person.citizen_id, dob=person.birth_date, sex=person.sex,
                      fname=person.first_name_th, lname=person.last_name_th, hospmain="56001")
            b.admission(hn="H1", an=key, admitted=admitted, discharged=admitted + timedelta(days=2),
                        diagnoses=["J189"])
        self.send(build)
        claim = Claim.objects.get(kind="IP", key=key, is_current=True)
        if claim.status == "accepted":  # as the grouper would record an exact grouping
            ClaimGrouping.objects.create(claim=claim, table_version="6.3", drg="04520", rw=Decimal(adjrw),
                                         adjrw=Decimal(adjrw), los=2, exact=True, reason="test")
            record_grouping(claim, drg="04520", exact=True, actor=None, detail={})

    def round(self, kind: str) -> None:
        run = services.start_run(actor=self.world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                                 region=self.world.province.region, cutoff=self.today, kind=kind)
        self.rounds.append(services.compute(actor=self.world.users["regional"], run=run))

    def publish(self) -> None:
        waiting = [r for r in self.rounds if PaymentRun.objects.get(pk=r.pk).status != "published"]
        if waiting:
            run = waiting[0]
            for user in ("national", "national2", "national"):
                run = services.advance(actor=self.world.users[user], run=run)

    def play(self, action: tuple) -> None:
        name, *args = action
        if name == "visit":
            self.visit(*args)
        elif name == "admission":
            self.admission(*args)
        elif name == "fee_round":
            self.round("fee")
        elif name == "ip_round":
            self.round("ip")
        else:
            self.publish()
        self.today += timedelta(days=3)


def check_paid_once_and_totals() -> None:
    from openuhc.claims.models import Claim, Item

    originals = ClaimPayment.objects.filter(is_adjustment=False)
    assert originals.count() == len(set(originals.values_list("claim_type", "claim_id")))
    # per visit or admission (unit + SEQ/AN, every version sent): money from one version only
    paid_claims = set(originals.filter(claim_type="ip").values_list("claim_id", flat=True))
    paid_claims |= set(Item.objects.filter(pk__in=originals.filter(claim_type="fee").values("claim_id"))
                       .values_list("claim_id", flat=True))
    keys = list(Claim.objects.filter(pk__in=paid_claims).values_list("unit_id", "kind", "key"))
    assert len(keys) == len(set(keys)), "a visit or admission was paid under two of its versions"
    for run in PaymentRun.objects.filter(computed_at__isnull=False):
        lines = list(run.claim_payments.all())
        units = list(UnitPayment.objects.filter(run=run))
        assert run.gross == sum((u.gross for u in units), Decimal(0)) == sum((x.gross for x in lines), Decimal(0))
        assert run.net == sum((u.net for u in units), Decimal(0)) == sum((x.net for x in lines), Decimal(0))
        for unit in units:
            statement = statements.round_statement(unit=unit.unit, run=run)
            mine = [x for x in lines if x.unit_id == unit.unit_id]
            for key, field in (("gross", "gross"), ("net", "net"), ("rti_deduction", "rti_deduction"),
                               ("salary_deduction", "salary_deduction")):
                assert statement["totals"][key] == sum((getattr(x, field) for x in mine), Decimal(0))
                assert statement["totals"][key] == sum((getattr(x, field) for x in statement["claims"]), Decimal(0))


@pytest.fixture
def mothers(world):
    return [add_person(subdistrict=world.shph_a.subdistrict, birth=date(1994 + i, 5, 1), sex=2, first=f"มารดา{i}")
            for i in range(2)]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=actions)
def test_no_claim_or_item_is_ever_paid_twice_and_statements_add_up(world, budget, officers, mothers, tmp_path,
                                                                    steps):
    with transaction.atomic():
        story = Story(world, mothers, tmp_path / f"story{len(list(tmp_path.iterdir()))}")
        for action in [*steps, ("fee_round",), ("ip_round",)]:
            story.play(action)
        check_paid_once_and_totals()
        transaction.set_rollback(True)  # the next example starts from the same world
