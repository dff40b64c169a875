"""Demo: the UCS payment configuration of FY2569 and FY2570 (numbers and sources in budget/defaults.py)."""

from __future__ import annotations

from openuhc.budget.defaults import year_config
from openuhc.budget.services import add_version
from openuhc.core.dates import fiscal_year_bounds
from openuhc.demo.loader import DemoContext

ORDER = 25


def load(ctx: DemoContext) -> None:
    ctx.progress.stage("budget configuration", 2)
    for fy in (2569, 2570):
        ctx.data[f"budget_{fy}"] = add_version(
            actor=ctx.actor, scheme="UCS", fiscal_year=fy, valid_from=fiscal_year_bounds(fy)[0], data=year_config(fy),
            note="demo: FY2569 per-capita and IP base rate from the reference notes; the rest illustrative")
        ctx.progress.advance()
