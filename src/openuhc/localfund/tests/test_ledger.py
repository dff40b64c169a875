"""The ledger: append-only; balances are sums of entries; carry-over; a property test over random operations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openuhc.core.errors import DomainError
from openuhc.core.models_base import AppendOnlyError
from openuhc.localfund import services
from openuhc.localfund.models import Account, LedgerEntry, Project
from openuhc.localfund.tests.conftest import YEAR, fund_money, make_committee, submit


def test_ledger_entries_cannot_be_changed_or_deleted(world):
    fund_money(world.fund, "1000")
    entry = LedgerEntry.objects.get()
    entry.amount = Decimal("2000")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.update(amount=1)
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_closing_a_year_carries_each_account_over_and_refuses_late_entries(world):
    fund = world.fund
    fund_money(fund, "1000.50")
    services.record_income(actor=None, fund=fund, year=YEAR, kind="ltc_transfer", amount="200",
                           received_on=date(2025, 11, 1))
    services.close_year(actor=None, fund=fund, year=YEAR)
    assert services.balance(fund, year=YEAR) == 0
    assert services.balance(fund, year=YEAR + 1, account=Account.MAIN) == Decimal("1000.50")
    assert services.balance(fund, year=YEAR + 1, account=Account.LTC) == Decimal("200.00")
    assert services.balance(fund) == Decimal("1200.50")
    with pytest.raises(DomainError) as caught:
        fund_money(fund, "5")
    assert caught.value.code == "fund_year_closed"
    with pytest.raises(DomainError) as caught:
        services.close_year(actor=None, fund=fund, year=YEAR)
    assert caught.value.code == "fund_year_already_closed"
    assert LedgerEntry.objects.filter(kind="carry_in").count() == 2


def test_years_are_closed_in_order(world):
    fund_money(world.fund, "10", year=YEAR)
    fund_money(world.fund, "10", year=YEAR + 1)
    with pytest.raises(DomainError) as caught:
        services.close_year(actor=None, fund=world.fund, year=YEAR + 1)
    assert caught.value.code == "fund_previous_year_open"


# --- property test --------------------------------------------------------------------------------------------
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)
operation = st.one_of(
    st.tuples(st.just("income"), st.sampled_from(["national_transfer", "cofunding", "interest", "ltc_transfer"]),
              amounts),
    st.tuples(st.just("project"), st.sampled_from(["1", "2", "4", "ltc"]), amounts),
    st.tuples(st.just("pay"), st.integers(0, 5), amounts),
    st.tuples(st.just("close_project"), st.integers(0, 5), st.decimals(min_value=0, max_value=1, places=2)),
    st.tuples(st.just("close_year"), st.none(), st.none()),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=14))
def test_any_sequence_of_operations_keeps_the_ledger_balanced_and_never_negative(world, ops):
    """A shadow model tracks what each accepted operation should do to each account; refused operations
    must leave the ledger unchanged. After every step: balance == sum of entries == the model, and no
    account of any year is below zero."""
    with transaction.atomic():
        fund = world.fund
        meeting = make_committee(fund, size=3).meeting(fund)
        expected = {Account.MAIN: Decimal("0.00"), Account.LTC: Decimal("0.00")}
        year = YEAR
        projects: list[Project] = []
        for kind, arg, amount in ops:
            before = LedgerEntry.objects.count()
            day = services.year_start(year).replace(day=20)
            try:
                if kind == "income":
                    services.record_income(actor=None, fund=fund, year=year, kind=arg, amount=amount, received_on=day)
                    expected[Account.LTC if arg == "ltc_transfer" else Account.MAIN] += amount
                elif kind == "project":
                    project = submit(fund, category=arg, amount=str(amount), year=year)
                    projects.append(project)
                    services.decide_project(actor=None, project=project, meeting=meeting, decision="approve")
                    services.sign_agreement(actor=None, project=project, agreement_no="A", agreement_date=day)
                elif kind == "pay" and projects:
                    project = projects[arg % len(projects)]
                    services.disburse(actor=None, project=project, amount=amount, paid_on=day)
                    expected[project.account] -= amount
                elif kind == "close_project" and projects:
                    project = projects[arg % len(projects)]
                    paid = services.paid(project)
                    spent = (paid * amount).quantize(Decimal("0.01"))
                    services.report_progress(actor=None, project=project, kind="final", reported_on=day, text="done",
                                             spent_to_date=spent)
                    services.close_project(actor=None, project=project, closed_on=day)
                    expected[project.account] += paid - spent
                elif kind == "close_year":
                    services.close_year(actor=None, fund=fund, year=year)
                    year += 1
                    meeting = make_committee(fund, size=3).meeting(fund, held_on=services.year_start(year))
            except DomainError:
                # Refusals happen (caps, money, status); whatever the service had started is rolled back.
                if kind != "project":
                    assert LedgerEntry.objects.count() == before
            for account, value in expected.items():
                entries = LedgerEntry.objects.filter(fund=fund, account=account)
                total = sum((e.amount for e in entries), Decimal("0.00"))
                assert services.balance(fund, account=account) == total == value
                assert value >= 0
                for y in {e.year for e in entries}:
                    assert services.balance(fund, year=y, account=account) >= 0
        transaction.set_rollback(True)
