"""Demo: when an operator points OPENUHC_TDRG_PATH at an official table set, install it and group the demo
month's admissions (the tables may not be shipped with OpenUHC, so without it the demo has no grouping). The
inpatient rounds that pay them are the payment demo's (payment/demo.py)."""

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
