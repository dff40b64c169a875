"""Aggregates and charts of the rights work: no names, no contacts, only counts and sums by group."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from openuhc.core.charts import Chart, Series
from openuhc.rights.models import (
    Activity,
    AssistancePayment,
    Case,
    DamageCategory,
    Decision,
    Network,
    NetworkGroup,
    Participant,
)


@dataclass
class CaseFigures:
    received: int
    open: int
    closed: int
    closed_on_time: int
    escalated: int

    @property
    def on_time_share(self) -> Decimal | None:
        if not self.closed:
            return None
        return (Decimal(100) * self.closed_on_time / self.closed).quantize(Decimal("0.1"))


def case_figures(cases: QuerySet) -> CaseFigures:
    closed = cases.filter(status=Case.Status.CLOSED)
    return CaseFigures(
        received=cases.count(), open=cases.exclude(status=Case.Status.CLOSED).count(), closed=closed.count(),
        closed_on_time=closed.filter(closed_at__lte=F("outcome_by")).count(),
        escalated=cases.filter(escalated_at__isnull=False).count())


def _counts(cases: QuerySet, field: str, labels: dict[Any, str], top: int | None = None) -> tuple[list, list]:
    rows = list(cases.values(field).annotate(n=Count("id")).order_by("-n", field))
    if top:
        rows = rows[:top]
    return [labels.get(r[field], str(r[field] or _("not stated"))) for r in rows], [r["n"] for r in rows]


def case_charts(cases: QuerySet) -> list[Chart]:
    from openuhc.geo.models import Region
    from openuhc.providers.models import HealthUnit
    from openuhc.rights.models import CaseCategory

    kinds = {k.value: str(k.label) for k in Case.Kind}
    labels, values = _counts(cases, "kind", kinds)
    charts = [Chart("cases-by-kind", _("Cases by kind"), labels, [Series(_("cases"), values)])]

    grounds = {c.pk: c.ground for c in CaseCategory.objects.select_related("parent")}
    by_ground: dict[str, int] = {}
    for row in cases.values("category").annotate(n=Count("id")):
        name = str(grounds[row["category"]].name) if row["category"] in grounds else str(_("not stated"))
        by_ground[name] = by_ground.get(name, 0) + row["n"]
    ordered = sorted(by_ground.items(), key=lambda kv: -kv[1])
    charts.append(Chart("cases-by-category", _("Cases by complaint ground"), [k for k, _v in ordered],
                        [Series(_("cases"), [v for _k, v in ordered])], options={"indexAxis": "y"}))

    unit_ids = [r["unit"] for r in cases.values("unit").annotate(n=Count("id")) if r["unit"]]
    units = {u.pk: f"{u.code} {u.name}" for u in HealthUnit.objects.filter(pk__in=unit_ids)}
    labels, values = _counts(cases.filter(unit__isnull=False), "unit", units, top=10)
    charts.append(Chart("cases-by-unit", _("Cases by unit concerned (top 10)"), labels,
                        [Series(_("cases"), values)], options={"indexAxis": "y"}))

    regions = {r.pk: str(r) for r in Region.objects.all()}
    labels, values = _counts(cases, "region", regions)
    charts.append(Chart("cases-by-region", _("Cases by region"), labels, [Series(_("cases"), values)]))

    shares = []
    kind_labels = []
    for kind in Case.Kind:
        share = case_figures(cases.filter(kind=kind)).on_time_share
        if share is not None:
            kind_labels.append(str(kind.label))
            shares.append(share)
    charts.append(Chart("cases-on-time", _("Share closed within the deadline"), kind_labels,
                        [Series(_("% of closed cases"), shares)], unit="%",
                        options={"scales": {"y": {"min": 0, "max": 100}}}))
    return charts


def s41_chart(year: int | None = None, region: Any = None) -> Chart:
    decisions = Decision.objects.filter(approved=True)
    payments = AssistancePayment.objects.all()
    if year:
        payments = payments.filter(fiscal_year=year)
    if region is not None:
        decisions = decisions.filter(request__region=region)
        payments = payments.filter(region=region)
    # only each request's latest decision counts (an appeal decision replaces the first)
    latest: dict[int, tuple[str, Decimal]] = {}
    for request_id, category, amount in decisions.order_by("decided_on", "id").values_list(
            "request_id", "category", "amount"):
        latest[request_id] = (category, amount)
    decided = {c: Decimal(0) for c in DamageCategory.values}
    for category, amount in latest.values():
        decided[category] += amount
    paid = {c: Decimal(0) for c in DamageCategory.values}
    for row in payments.values("category").annotate(total=Sum("amount")):
        paid[row["category"]] = row["total"]
    return Chart("s41-by-category", _("Section 41 assistance by damage category (baht)"),
                 [str(c.label) for c in DamageCategory],
                 [Series(_("approved"), [decided[c] for c in DamageCategory.values]),
                  Series(_("paid"), [paid[c] for c in DamageCategory.values])], unit=str(_("baht")))


def participation_charts(activities: QuerySet, networks: QuerySet | None = None) -> list[Chart]:
    networks = Network.objects.all() if networks is None else networks
    groups = list(NetworkGroup.objects.annotate(n=Count("networks", filter=Q(networks__in=networks))))
    charts = [Chart("networks-by-group", _("People's networks by group"), [g.name for g in groups],
                    [Series(_("networks"), [g.n for g in groups])])]
    trained = (Participant.objects.filter(activity__in=activities, attendance__isnull=False).distinct()
               .values("activity__kind").annotate(n=Count("id", distinct=True)))
    by_kind = {r["activity__kind"]: r["n"] for r in trained}
    charts.append(Chart("people-trained", _("People who attended, by kind of activity"),
                        [str(k.label) for k in Activity.Kind], [Series(_("people"), [by_kind.get(k, 0)
                                                                                     for k in Activity.Kind.values])]))
    return charts
