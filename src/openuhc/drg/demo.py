"""Demo: when an operator points OPENUHC_TDRG_PATH at an official table set, install it and group the demo
month's admissions (the tables may not be shipped with OpenUHC, so without it the demo has no grouping)."""

from __future__ import annotations

import os
from pathlib import Path

from openuhc.demo.loader import DemoContext

ORDER = 55


def load(ctx: DemoContext) -> None:
    path = os.environ.get("OPENUHC_TDRG_PATH", "")
    if not path or not Path(path).is_dir():
        ctx.data["drg_tables"] = None
        return
    from openuhc.claims.models import Claim
    from openuhc.drg.claims import group_claims
    from openuhc.drg.models import InstalledTableSet
    from openuhc.drg.tables import install_tables

    if not InstalledTableSet.objects.exists():
        install_tables(path, actor=ctx.actor)
    ctx.data["drg_tables"] = path
    ctx.data["grouping"] = group_claims(Claim.objects.all(), actor=ctx.actor, workers=1, progress=ctx.progress)
    _inpatient_run(ctx)


def _inpatient_run(ctx: DemoContext) -> None:
    """The demo month's inpatient run, computed, checked, approved and published: its claims are paid."""
    from datetime import date

    from openuhc.payment.claims_runs import compute_ip_from_claims
    from openuhc.payment.services import advance, start_run
    from openuhc.registry.models import Scheme

    if not ctx.data.get("grouping", {}).get("grouped"):
        return
    month = ctx.anchor.replace(day=1)
    run = start_run(actor=ctx.actor, scheme=Scheme.objects.get(code="UCS"), region=ctx.data["province"].region,
                    period=date(month.year, month.month, 1), kind="ip")
    run = compute_ip_from_claims(actor=ctx.actor, run=run)
    for _step in range(3):
        run = advance(actor=ctx.actor, run=run, note="demo")
    ctx.data["ip_run"] = run
