"""Area health governance: bodies and their members, meetings and resolutions; local health strategic plans;
health assembly cycles, the proposals they receive and the resolutions they adopt, followed clause by clause.

Current state that pages need fast (a proposal's status, a clause's status and progress) is kept on the row by
the services; every change of it is also an append-only row written in the same transaction.
"""

from openuhc.governance.models.assembly import (
    Agency,
    AmendmentDecision,
    AssemblyCycle,
    AssemblyResolution,
    ClauseComment,
    ClauseStatus,
    ClauseUpdate,
    Constituency,
    Draft,
    DraftClause,
    Phase,
    Proposal,
    ProposalAnswer,
    Referral,
    ResolutionClause,
)
from openuhc.governance.models.bodies import (
    AgendaItem,
    Body,
    BodyEvent,
    BodyType,
    Meeting,
    Member,
    Resolution,
    Secretariat,
)
from openuhc.governance.models.plans import (
    Goal,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    MonitoringRound,
    PlanProject,
    ProjectBudget,
    StrategicPlan,
    Strategy,
)

__all__ = [
    "Agency", "AgendaItem", "AmendmentDecision", "AssemblyCycle", "AssemblyResolution", "Body", "BodyEvent",
    "BodyType", "ClauseComment", "ClauseStatus", "ClauseUpdate", "Constituency", "Draft", "DraftClause", "Goal",
    "Indicator", "IndicatorActual", "IndicatorTarget", "Meeting", "Member", "MonitoringRound", "Phase",
    "PlanProject", "ProjectBudget", "Proposal", "ProposalAnswer", "Referral", "Resolution", "ResolutionClause",
    "Secretariat", "Strategy", "StrategicPlan",
]
