"""Money in: the national transfer per head of the area's population, co-funding compliance, LTC, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openuhc.core import params
from openuhc.core.errors import DomainError
from openuhc.geo.models import Subdistrict
from openuhc.localfund import services
from openuhc.localfund.models import Account, Fund, LedgerEntry
from openuhc.localfund.tests.conftest import YEAR
from openuhc.registry import services as registry
from openuhc.testing.world import add_person

START = date(2025, 10, 1)


def test_population_counts_people_living_in_the_area_alive_at_the_start_of_the_year(world):
    sub_a = Subdistrict.objects.get(code="560101")
    # In the world: "a" and "sss" live in sub-district A (the fund's area); "b" and "far" do not.
    assert services.registered_population(world.fund, START) == 2
    add_person(subdistrict=sub_a, first="เกิดทีหลัง", birth=date(2025, 12, 1))  # born after the count date
    dead = add_person(subdistrict=sub_a, first="เสียชีวิต")
    registry.record_death(actor=None, person=dead, death_date=date(2025, 6, 1), source="test")
    add_person(subdistrict=sub_a, first="ยังอยู่")
    assert services.registered_population(world.fund, START) == 3


def test_the_unit_rule_counts_people_by_their_registered_main_unit_instead(world):
    params.set_value("localfund.population_rule", "unit", valid_from=date(2020, 1, 1))
    # Hospital A is in sub-district A: "a" is registered there; "sss" (social security) has no registration.
    assert services.registered_population(world.fund, START) == 1


def test_the_national_transfer_is_45_baht_per_head_by_default_and_follows_the_yearly_parameter(world):
    transfer = services.expected_transfer(world.fund, YEAR)
    assert (transfer.population, transfer.rate, transfer.amount) == (2, Decimal("45"), Decimal("90.00"))
    params.set_value("localfund.rate_per_head", "47.50", valid_from=date(2026, 10, 1))
    assert services.expected_transfer(world.fund, YEAR).amount == Decimal("90.00")
    assert services.expected_transfer(world.fund, YEAR + 1).amount == Decimal("95.00")

    income = services.record_income(actor=None, fund=world.fund, year=YEAR, kind="national_transfer",
                                    received_on=date(2025, 10, 20))
    assert (income.amount, income.basis_count, income.basis_rate) == (Decimal("90.00"), 2, Decimal("45"))
    entry = LedgerEntry.objects.get(income=income)
    assert (entry.account, entry.amount, entry.year) == (Account.MAIN, Decimal("90.00"), YEAR)


def test_co_funding_required_depends_on_the_tier_and_compliance_compares_the_contribution(world):
    fund = world.fund  # a town municipality: 60 % by default
    services.record_income(actor=None, fund=fund, year=YEAR, kind="national_transfer", amount="100000",
                           received_on=date(2025, 10, 20))
    status = services.cofunding(fund, YEAR)
    assert (status.tier, status.percent, status.required, status.compliant) == ("city", 60, Decimal("60000.00"), False)
    services.record_income(actor=None, fund=fund, year=YEAR, kind="cofunding", amount="59999.99",
                           received_on=date(2025, 12, 1))
    assert services.cofunding(fund, YEAR).shortfall == Decimal("0.01")
    services.record_income(actor=None, fund=fund, year=YEAR, kind="cofunding", amount="0.01",
                           received_on=date(2025, 12, 2))
    assert services.cofunding(fund, YEAR).compliant

    Fund.objects.filter(pk=fund.pk).update(cofunding_tier="small")
    fund.refresh_from_db()
    assert services.cofunding(fund, YEAR).required == Decimal("30000.00")


def test_the_long_term_care_transfer_goes_to_its_own_account(world):
    income = services.record_income(actor=None, fund=world.fund, year=YEAR, kind="ltc_transfer", basis_count=3,
                                    received_on=date(2025, 11, 1))
    assert income.amount == Decimal("31326.00")  # 3 × 10,442
    assert services.balance(world.fund, account=Account.LTC) == Decimal("31326.00")
    assert services.balance(world.fund, account=Account.MAIN) == 0


@pytest.mark.parametrize(("amount", "code"), [("0", "fund_amount_not_positive"), ("-5", "fund_amount_not_positive"),
                                               ("10.005", "fund_amount_satang"), ("abc", "fund_amount_not_positive")])
def test_bad_amounts_are_refused_and_nothing_is_written(world, amount, code):
    with pytest.raises(DomainError) as caught:
        services.record_income(actor=None, fund=world.fund, year=YEAR, kind="interest", amount=amount,
                               received_on=date(2025, 10, 20))
    assert caught.value.code == code
    assert caught.value.message_th
    assert not LedgerEntry.objects.exists()


def test_income_dated_outside_the_fiscal_year_is_refused(world):
    with pytest.raises(DomainError) as caught:
        services.record_income(actor=None, fund=world.fund, year=YEAR, kind="interest", amount="10",
                               received_on=date(2026, 10, 1))
    assert caught.value.code == "fund_date_outside_year"


def test_a_fund_without_population_cannot_get_a_computed_transfer(world):
    area_fund = Fund.objects.create(code="AREA1", name_th="กองทุนพื้นที่")  # an area fund with no local government
    with pytest.raises(DomainError) as caught:
        services.record_income(actor=None, fund=area_fund, year=YEAR, kind="national_transfer",
                               received_on=date(2025, 10, 20))
    assert caught.value.code == "fund_no_population"
