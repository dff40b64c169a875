"""The demo: every local government's fund with two fiscal years that obey the services' own rules."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from openuhc.demo.loader import load_demo
from openuhc.localfund import reports, services
from openuhc.localfund.models import Disbursement, Fund, FundYear, LedgerEntry, Project


def test_the_demo_has_two_years_of_history_for_every_fund_that_keep_the_rules(geography):
    """The later year is the demo month's year, or the one before while its books are still open."""
    ctx = load_demo(seed=2569, people=2000)
    closed, open_ = ctx.data["localfund_years"]
    assert open_ == closed + 1
    funds = list(Fund.objects.filter(local_government__province=ctx.data["province"]))
    assert len(funds) == len([lg for lg in ctx.data["local_governments"] if lg.kind != "pao"]) > 10
    assert FundYear.objects.filter(year=closed, status="closed").count() == len(funds)
    assert FundYear.objects.filter(year=open_, status="open").count() == len(funds)
    statuses = set(Project.objects.filter(year=open_).values_list("status", flat=True))
    assert {"submitted", "approved", "agreed", "reported", "closed", "returned"} <= statuses
    assert set(Project.objects.filter(year=closed).values_list("status", flat=True)) <= {"closed", "rejected"}

    for fund in funds:
        for year in (closed, open_):
            for account in ("main", "ltc"):
                assert services.balance(fund, year=year, account=account) >= 0
            services.check_caps(fund, year, "4", Decimal("0"))  # raises if the demo broke the cap
        assert services.balance(fund, year=closed) == 0  # carried over
        carried = LedgerEntry.objects.filter(fund=fund, year=open_, kind="carry_in").aggregate(s=Sum("amount"))["s"]
        assert carried and carried > 0
        for project in Project.objects.filter(fund=fund, status__in=["agreed", "reported", "closed"]):
            assert services.paid(project) <= project.approved_amount
    assert Disbursement.objects.exists()
    overview = reports.overview(Fund.objects.all(), open_)
    assert any(row.compliant is False for row in overview) and any(row.compliant for row in overview)
