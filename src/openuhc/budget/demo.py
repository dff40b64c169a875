"""Demo: the UCS payment configuration of every fiscal year from FY2569 to the year after the demo's month
(numbers and sources in budget/defaults.py; years after FY2569 are illustrative)."""

from __future__ import annotations

from openuhc.budget.defaults import year_config
from openuhc.budget.services import add_version
from openuhc.core.dates import fiscal_year, fiscal_year_bounds
from openuhc.demo.loader import DemoContext

ORDER = 25
FIRST_YEAR = 2569  # the first year with figures from the reference notes


def load(ctx: DemoContext) -> None:
    years = list(range(min(FIRST_YEAR, fiscal_year(ctx.anchor) - 1), fiscal_year(ctx.anchor) + 2))
    ctx.progress.stage("budget configuration", len(years))
    for fy in years:
        ctx.data[f"budget_{fy}"] = add_version(
            actor=ctx.actor, scheme="UCS", fiscal_year=fy, valid_from=fiscal_year_bounds(fy)[0], data=year_config(fy),
            note="demo: FY2569 per-capita and IP base rate from the reference notes; the rest illustrative")
        ctx.progress.advance()
