"""Demo: published capitation runs for the demo province's region, every month of FY2569."""

from __future__ import annotations

from openuhc.demo.loader import DemoContext
from openuhc.payment import services
from openuhc.payment.models import PaymentRun
from openuhc.registry.models import Scheme

ORDER = 50
FISCAL_YEAR = 2569


def load(ctx: DemoContext) -> None:
    scheme = Scheme.objects.get(code="UCS")
    region = ctx.data["province"].region
    months = services.fiscal_year_months(FISCAL_YEAR)
    ctx.progress.stage("capitation runs", len(months))
    for month in months:
        run = services.start_run(actor=ctx.actor, scheme=scheme, region=region, period=month,
                                 kind=PaymentRun.Kind.CAPITATION, note="demo")
        run = services.compute_capitation(actor=ctx.actor, run=run)
        for _step in range(3):
            run = services.advance(actor=ctx.actor, run=run, note="demo")
        ctx.progress.advance()
