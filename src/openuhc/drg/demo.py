"""Demo: Thai DRG tables and the demo month's grouping.

Before the claims are loaded (so that their codes are checked against the tables): the official table set at
OPENUHC_TDRG_PATH when an operator points it at one, otherwise the small invented demonstration set
(drg/demoset.py, version "demo-1", marked as not official wherever it is used). After the claims: the demo
month's admissions are grouped. The inpatient rounds that pay them are the payment demo's (payment/demo.py)."""

from __future__ import annotations

import os
from pathlib import Path

from openuhc.demo.loader import DemoContext

INSTALL_ORDER = 45  # before the claims (50)
GROUP_ORDER = 55  # after the claims, before the fee round (56)


def install(ctx: DemoContext) -> None:
    from openuhc.drg.demoset import install_demo_set
    from openuhc.drg.models import InstalledTableSet
    from openuhc.drg.tables import install_tables

    ctx.progress.stage("Thai DRG tables", 1)
    path = os.environ.get("OPENUHC_TDRG_PATH", "")
    if InstalledTableSet.objects.exists():
        record = InstalledTableSet.objects.order_by("-valid_from", "-id").first()
    elif path and Path(path).is_dir():
        record = install_tables(path, actor=ctx.actor)
    else:
        record = install_demo_set(actor=ctx.actor)
    ctx.data["drg_tables"] = record.version
    ctx.progress.advance()


def group(ctx: DemoContext) -> None:
    from openuhc.claims.models import Claim
    from openuhc.drg.claims import group_claims

    ctx.data["grouping"] = group_claims(Claim.objects.all(), actor=ctx.actor, workers=1, progress=ctx.progress)


STEPS = [(INSTALL_ORDER, install), (GROUP_ORDER, group)]
