"""The public accountability register: every clause of every adopted resolution, with its owners, status and
progress, filtered as a reader asks; and what the public pages may show of bodies and proposals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from openuhc.governance.models import Body, ClauseStatus, Member, Proposal, ResolutionClause


@dataclass(frozen=True)
class Filters:
    cycle: str = ""
    status: str = ""
    agency: str = ""
    province: str = ""
    q: str = ""

    @classmethod
    def of(cls, query: Any) -> Filters:
        status = query.get("status", "")
        return cls(cycle=query.get("cycle", "").strip(), status=status if status in ClauseStatus.values else "",
                   agency=query.get("agency", "").strip(), province=query.get("province", "").strip(),
                   q=query.get("q", "").strip()[:100])


def clauses(filters: Filters) -> QuerySet:
    rows = ResolutionClause.objects.select_related("resolution__cycle__body__province", "plan", "project")
    if filters.cycle:
        rows = rows.filter(resolution__cycle__code=filters.cycle)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.agency:
        rows = rows.filter(agencies__code=filters.agency)
    if filters.province:
        rows = rows.filter(Q(resolution__cycle__body__province__code=filters.province)
                           | Q(resolution__cycle__body__region__provinces__code=filters.province))
    if filters.q:
        rows = rows.filter(Q(text__icontains=filters.q) | Q(resolution__title__icontains=filters.q))
    return rows.distinct().prefetch_related("agencies").order_by("resolution__cycle__year", "resolution__cycle__code",
                                                                 "resolution__number", "number")


def status_counts(rows: QuerySet) -> dict[str, int]:
    counts = dict.fromkeys(ClauseStatus.values, 0)
    for status, count in rows.order_by().values_list("status").annotate(n=Count("id", distinct=True)):
        counts[status] = count
    return counts


REGISTER_HEADER = ["cycle", "resolution", "clause", "title", "text", "status", "progress", "last_update",
                   "owner_agencies", "plan", "project", "budget", "budget_source"]


def register_rows(rows: QuerySet) -> list[list[Any]]:
    return [[c.resolution.cycle.code, c.resolution.reference, c.number, c.resolution.title, c.text, c.status,
             c.progress, c.updated_on, "; ".join(a.name for a in c.agencies.all()), str(c.plan) if c.plan else "",
             c.project.title if c.project else "", c.budget, c.budget_source] for c in rows]


@dataclass(frozen=True)
class Seat:
    role: str
    sector: str
    seat: str
    organisation: str
    name: str  # empty unless the body publishes names


def composition(body: Body, members: list[Member]) -> list[Seat]:
    """The members in office as the public sees them: names only where the body's setting says so."""
    return [Seat(m.get_role_display(), m.get_sector_display(), m.seat, m.organisation,
                 m.name if body.publish_names else "") for m in members]


def proposer_shown(proposal: Proposal) -> str:
    """A citizen's name is personal data: the public pages say "a citizen" instead."""
    if proposal.proposer_kind == Proposal.ProposerKind.CITIZEN:
        return _("A citizen")
    return proposal.proposer_name
