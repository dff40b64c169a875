"""The demo province's governance: what a visitor should find whenever the demo is loaded."""

from __future__ import annotations

import pytest

from openuhc.core.dates import today
from openuhc.demo.loader import load_demo
from openuhc.governance import assembly as A
from openuhc.governance import bodies as B
from openuhc.governance.models import (
    Body,
    ClauseStatus,
    IndicatorActual,
    Meeting,
    Proposal,
    ResolutionClause,
    StrategicPlan,
)


@pytest.mark.django_db
def test_the_demo_has_a_committee_a_plan_reading_kpis_and_assemblies_in_every_state(geography):
    ctx = load_demo(seed=2569, people=300)
    committee = Body.objects.get(code="PHC-56")
    meetings = Meeting.objects.filter(body=committee)
    assert meetings.count() == 7 and meetings.filter(quorum_met=False).count() == 1
    assert meetings.filter(reconvenes__isnull=False, quorum_met=True).exists()
    assert any("terms end" in w.text for w in B.warnings([committee], today()))
    plan = StrategicPlan.objects.get()
    assert plan.status == StrategicPlan.Status.ADOPTED and plan.rounds.count() == 2
    assert IndicatorActual.objects.filter(source="kpi", value__isnull=False).exists()
    assert set(ResolutionClause.objects.values_list("status", flat=True)) == set(ClauseStatus.values)
    assert A.open_calls(today()).count() == 1
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert {"submitted", "declined", "adopted", "not_adopted"} <= statuses
    assert {"secretariat", "pao"} <= {username for username, _role, _scope in ctx.logins}
