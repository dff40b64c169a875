"""Demo: published capitation runs for the demo province's region, the twelve months up to the demo's month, and
a published fee-schedule run of the demo claims' month (after the claims are loaded)."""

from __future__ import annotations

from datetime import date, timedelta

from openuhc.demo.loader import DemoContext
from openuhc.payment import services
from openuhc.payment.models import PaymentRun
from openuhc.registry.models import Scheme

ORDER = 50
FEE_ORDER = 56  # after the claims (50) and their grouping (55)
MONTHS = 12


def _months_up_to(month: date, count: int) -> list[date]:
    months = [month.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def load(ctx: DemoContext) -> None:
    scheme = Scheme.objects.get(code="UCS")
    region = ctx.data["province"].region
    months = _months_up_to(ctx.anchor, MONTHS)
    ctx.progress.stage("capitation runs", len(months))
    for month in months:
        run = services.start_run(actor=ctx.actor, scheme=scheme, region=region, period=month,
                                 kind=PaymentRun.Kind.CAPITATION, note="demo")
        run = services.compute_capitation(actor=ctx.actor, run=run)
        for _step in range(3):
            run = services.advance(actor=ctx.actor, run=run, note="demo")
        ctx.progress.advance()


def load_fee_run(ctx: DemoContext) -> None:
    """The demo claims' month: its itemised fee-schedule lines priced on the engine, checked, approved, published."""
    from openuhc.payment.fee_runs import compute_fee

    if not ctx.data.get("claim_submissions"):
        return
    run = services.start_run(actor=ctx.actor, scheme=Scheme.objects.get(code="UCS"),
                             region=ctx.data["province"].region, period=ctx.anchor.replace(day=1),
                             kind=PaymentRun.Kind.FEE, note="demo")
    run = compute_fee(actor=ctx.actor, run=run, progress=ctx.progress)
    for _step in range(3):
        run = services.advance(actor=ctx.actor, run=run, note="demo")
    ctx.data["fee_run"] = run


STEPS = [(ORDER, load), (FEE_ORDER, load_fee_run)]
