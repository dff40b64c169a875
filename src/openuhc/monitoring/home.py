"""Home-page panel for analysts (and the national office): headline figures of the latest fiscal year with data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.accounts.roles import Role
from openuhc.core import home

HEADLINES = ("coverage_rate", "registered_population", "op_visits_per_py", "case_mix_index")


def _figures_panel(request: HttpRequest, scope: Any) -> dict[str, Any]:
    from openuhc.monitoring.kpis import KPIS, Filters
    from openuhc.monitoring.views import latest_year_with_data, scope_filters, years_in_store

    base = scope_filters(scope)
    kpis = [KPIS[code] for code in HEADLINES if code in KPIS and scope.role in KPIS[code].roles]
    year = latest_year_with_data(years_in_store(), base, kpis)
    figures = []
    if year is not None:
        filters = Filters(fy=year, region=base.region, province=base.province, hcodes=base.hcodes)
        for kpi in kpis:
            rows = kpi.compute(filters, "all") if kpi.available() else []
            figures.append({"kpi": kpi, "value": rows[0].value if rows else None})
    return {"year": year, "figures": figures, "designer": scope.role in (Role.NATIONAL, Role.ANALYST)}


home.register("monitoring.figures", "monitoring/panels/figures.html", {Role.ANALYST, Role.NATIONAL}, _figures_panel,
              order=15)
