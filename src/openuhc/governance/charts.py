"""Charts of governance pages (Chart.js with the numbers in a table under each, as everywhere)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from openuhc.core.charts import Chart, Series
from openuhc.governance.plans import IndicatorRow
from openuhc.governance.transfers import Transfers


def indicator_charts(table: list[IndicatorRow]) -> list[Chart]:
    """One chart per indicator: target and actual per fiscal year."""
    charts = []
    for row in table:
        if not any(c.target is not None or c.actual is not None for c in row.cells):
            continue
        labels = [str(c.year) for c in row.cells]
        unit = f" ({row.indicator.unit})" if row.indicator.unit else ""
        charts.append(Chart(f"indicator-{row.indicator.pk}", f"{row.indicator}{unit}", labels, [
            Series(_("Target"), [c.target for c in row.cells]),
            Series(_("Actual"), [c.actual for c in row.cells]),
        ], kind="line"))
    return charts


def transfer_charts(data: Transfers) -> list[Chart]:
    years = [str(y) for y in data.years]
    by_year = Chart("transfers-by-year", _("Sub-district units transferred to PAOs, by fiscal year"), years,
                    [Series(_("units"), [data.total(y) for y in data.years])])
    by_province = Chart("transfers-by-province", _("Share of sub-district units with the PAO now (%)"),
                        [p.name for p in data.provinces], [Series("%", [p.share for p in data.provinces])])
    return [by_year, by_province]
