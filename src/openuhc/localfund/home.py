"""Home-page panel: a fund officer's money this year and what needs doing; others get the overview link."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.accounts.roles import Role
from openuhc.core import home
from openuhc.core.dates import fiscal_year, today
from openuhc.localfund.models import Project


def _fund_panel(request: HttpRequest, scope: Any) -> dict[str, Any]:
    from openuhc.localfund import reports
    from openuhc.localfund.services import working_year
    from openuhc.localfund.views import funds_in_scope

    funds = funds_in_scope(scope)
    years = reports.years_with_data(funds)
    year = years[0] if years else fiscal_year(today())  # the latest year with money recorded, not an empty one
    context: dict[str, Any] = {"year": year, "fund": scope.fund}
    if scope.role in (Role.NATIONAL, Role.REGIONAL):
        context["funds"] = funds.filter(is_active=True).count()
        context["waiting_all"] = Project.objects.filter(fund__in=funds, year=year,
                                                        status=Project.Status.SUBMITTED).count()
        context["projects"] = Project.objects.filter(fund__in=funds, year=year).count()
    if scope.role == Role.LOCALFUND and scope.fund is not None:
        year = context["year"] = working_year(scope.fund)
        context["summary"] = reports.year_summary(scope.fund, year)
        context["waiting"] = Project.objects.filter(fund=scope.fund, status=Project.Status.SUBMITTED).count()
    return context


home.register("localfund.fund", "localfund/panels/fund.html", {Role.LOCALFUND, Role.NATIONAL, Role.REGIONAL},
              _fund_panel, order=30)
