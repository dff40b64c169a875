"""Demo: published capitation rounds for the demo province's region, the twelve months up to the demo's month; a
published fee-schedule round of the demo claims; and, when DRG tables are installed (official, or the demo set),
two inpatient rounds: the first pays the month's admissions sent on time, the second pays a hospital's late file at
the late-submission percentage. Every date is relative to the demo's month (its anchor)."""

from __future__ import annotations

from datetime import date, timedelta

from openuhc.demo.loader import DemoContext
from openuhc.payment import services
from openuhc.payment.models import PaymentRun
from openuhc.registry.models import Scheme

ORDER = 50
FEE_ORDER = 56  # after the claims (50, 51) and their grouping (55)
IP_ORDER = 57
MONTHS = 12
STILL_HELD = 5  # approximate groupings left on the review list for the regional officer to see


def _publish(ctx: DemoContext, run: PaymentRun) -> PaymentRun:
    for _step in range(3):
        run = services.advance(actor=ctx.actor, run=run, note="demo")
    return run


def _months_up_to(month: date, count: int) -> list[date]:
    months = [month.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months


def load(ctx: DemoContext) -> None:
    scheme = Scheme.objects.get(code="UCS")
    region = ctx.data["province"].region
    months = _months_up_to(ctx.anchor, MONTHS)
    ctx.progress.stage("capitation rounds", len(months))
    for month in months:
        run = services.start_run(actor=ctx.actor, scheme=scheme, region=region, period=month,
                                 kind=PaymentRun.Kind.CAPITATION, note="demo")
        _publish(ctx, services.compute(actor=ctx.actor, run=run))
        ctx.progress.advance()


def load_fee_run(ctx: DemoContext) -> None:
    """The itemised fee-schedule lines of the demo claims sent on time, priced on the engine and published."""
    if not ctx.data.get("claim_submissions"):
        return
    run = services.start_run(actor=ctx.actor, scheme=Scheme.objects.get(code="UCS"),
                             region=ctx.data["province"].region, cutoff=ctx.data["on_time_sent_on"],
                             kind=PaymentRun.Kind.FEE, note="demo")
    ctx.data["fee_run"] = _publish(ctx, services.compute(actor=ctx.actor, run=run, progress=ctx.progress))


def load_ip_rounds(ctx: DemoContext) -> None:
    """The region's officer releases the held (approximate) groupings but a few, then two inpatient rounds: the
    month's admissions sent on time, and — cut off after the late file arrived — the late ones at 95 %."""
    from openuhc.claims.lifecycle import held_for_review, review
    from openuhc.payment.workflow import scope_of

    if not ctx.data.get("grouping"):
        return
    held = list(held_for_review(scope_of(None)))
    for claim in held[:max(0, len(held) - STILL_HELD)]:
        review(claim, actor=ctx.actor, release=True, reason="demo: coding checked against the discharge summary")
    scheme, region = Scheme.objects.get(code="UCS"), ctx.data["province"].region
    cutoffs = [ctx.data["on_time_sent_on"]]  # the day the month's files were sent (claims/demo.py)
    if ctx.data.get("late_sent_on"):
        cutoffs.append(ctx.data["late_sent_on"])
    rounds = []
    for cutoff in cutoffs:
        run = services.start_run(actor=ctx.actor, scheme=scheme, region=region, cutoff=cutoff,
                                 kind=PaymentRun.Kind.IP, note="demo")
        rounds.append(_publish(ctx, services.compute(actor=ctx.actor, run=run, progress=ctx.progress)))
    ctx.data["ip_run"], ctx.data["ip_rounds"] = rounds[0], rounds


STEPS = [(ORDER, load), (FEE_ORDER, load_fee_run), (IP_ORDER, load_ip_rounds)]
