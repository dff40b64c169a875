"""No claim is ever paid twice, no month is counted twice for capitation, rounds are numbered once — also when two
start at the same moment."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal as D

import pyarrow as pa
import pytest
from django.db import connection, connections

from openuhc.core.errors import DomainError
from openuhc.payment import services
from openuhc.payment.models import ClaimPayment, PaymentRun, UnitPayment
from openuhc.registry.models import Scheme

SQLITE_REASON = ("SQLite lets one writer in at a time (a database lock, not concurrent transactions), so the race "
                 "these tests provoke needs PostgreSQL; the same guarantees are tested one after the other above.")


def ip_claims(ids, *, region=1, hcode="56001"):
    n = len(ids)
    return pa.table({"claim_id": pa.array(ids, pa.int64()), "hcode": [hcode] * n, "region": [region] * n,
                     "fiscal_year": [2569] * n, "adjrw": [1.0] * n, "drg": ["01010"] * n, "rw": [1.0] * n})


def ip_run(world, cutoff=date(2026, 1, 31), user="regional"):
    return services.start_run(actor=world.users[user], scheme=Scheme.objects.get(code="UCS"),
                              region=world.province.region, cutoff=cutoff, kind=PaymentRun.Kind.IP)


def test_an_ip_run_prices_and_pays_its_claims_and_keeps_the_statement_columns(world, budget):
    run = services.compute_ip(actor=world.users["regional"], run=ip_run(world), claims=ip_claims([1, 2, 3]))
    lines = list(ClaimPayment.objects.filter(run=run).order_by("claim_id"))
    assert [line.claim_id for line in lines] == [1, 2, 3]
    # 8,350 baht per AdjRW; hospital A is public: 58.02 % salary deduction
    assert lines[0].gross == D("8350.00") and lines[0].salary_deduction == D("4844.67")
    assert lines[0].detail["drg"] == "01010" and lines[0].detail["adjrw2"] == 1.0
    total = UnitPayment.objects.get(run=run, unit=world.hospital_a)
    assert total.claims == 3 and total.gross == sum(line.gross for line in lines) == run.gross


def test_a_claim_paid_by_one_run_is_refused_by_another_and_nothing_of_that_run_is_paid(world, budget):
    services.compute_ip(actor=world.users["regional"], run=ip_run(world), claims=ip_claims([1, 2, 3]))
    other = ip_run(world, cutoff=date(2026, 2, 28))
    with pytest.raises(DomainError, match="1 claims are already paid by another run \\(first: claim 3"):
        services.compute_ip(actor=world.users["regional"], run=other, claims=ip_claims([3, 4]))
    assert not ClaimPayment.objects.filter(run=other).exists()
    assert PaymentRun.objects.get(pk=other.pk).computed_at is None
    assert ClaimPayment.objects.filter(claim_id=3).count() == 1


def test_claims_of_another_region_are_refused(world, budget):
    with pytest.raises(DomainError, match="Region 2 has no inpatient budget"):
        services.compute_ip(actor=world.users["regional"], run=ip_run(world), claims=ip_claims([1], region=2))


def _race(targets):
    """Run the callables at the same moment on their own database connections; return what each gave."""
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def go(i, target):
        try:
            barrier.wait(timeout=10)
            results[i] = target()
        except DomainError as error:
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_paying_the_same_claims_at_once_never_pay_a_claim_twice_in_50_trials(world, budget):
    if connection.vendor != "postgresql":
        pytest.skip(SQLITE_REASON)
    paid_twice = 0
    scheme = Scheme.objects.get(code="UCS")
    for trial in range(50):
        ids = [trial * 10 + k for k in range(5)]
        # two rounds that both hold the same five claims, paying them at the same moment
        runs = [services.start_run(actor=world.users["regional"], scheme=scheme, region=world.province.region,
                                   cutoff=date(2026, 1, 31), kind=PaymentRun.Kind.IP) for _ in range(2)]
        lines = [{"claim_id": i, "hcode": "56001", "amount": D("1.00")} for i in ids]
        results = _race([lambda r=run, c=lines: record(r, c) for run in runs])
        errors = [r for r in results if isinstance(r, DomainError)]
        assert len(errors) == 1, results
        assert "already paid by another run" in errors[0].message_en
        for claim in ids:
            paid_twice += ClaimPayment.objects.filter(claim_type="ip", claim_id=claim).count() > 1
    assert paid_twice == 0


def record(run, lines):
    from django.db import transaction

    from openuhc.payment.workflow import record_lines

    with transaction.atomic():
        return record_lines(run, actor=None, version=None, claim_type="ip", lines=lines, detail_keys=())


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_people_starting_rounds_at_once_get_consecutive_numbers(world, budget):
    if connection.vendor != "postgresql":
        pytest.skip(SQLITE_REASON)
    scheme = Scheme.objects.get(code="UCS")
    for _trial in range(20):
        results = _race([lambda u=u: services.start_run(actor=world.users[u], scheme=scheme,
                                                        region=world.province.region, cutoff=date(2026, 1, 31),
                                                        kind=PaymentRun.Kind.IP) for u in ("regional", "national")])
        assert all(isinstance(r, PaymentRun) for r in results), results
    numbers = list(PaymentRun.objects.filter(kind="ip").order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 41))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_people_starting_the_same_run_at_once_get_one_run_and_one_clear_error(world, budget):
    if connection.vendor != "postgresql":
        pytest.skip(SQLITE_REASON)
    scheme = Scheme.objects.get(code="UCS")
    for trial in range(50):
        period = date(2030 + trial // 12, trial % 12 + 1, 1)
        results = _race([lambda u=u, p=period: services.start_run(actor=world.users[u], scheme=scheme,
                                                        region=world.province.region, period=p,
                                                        kind=PaymentRun.Kind.CAPITATION)
                         for u in ("regional", "national")])
        errors = [r for r in results if isinstance(r, DomainError)]
        assert len(errors) == 1, results
        assert errors[0].code in ("payment_run_exists", "payment_run_started_meanwhile")
        assert PaymentRun.objects.filter(period=period).count() == 1
