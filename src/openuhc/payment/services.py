"""Payment services, as the pages, the API, the command line and the demo call them.

The workflow every round shares is `workflow` (start, compute, check, approve, publish); each kind computes in its
own module behind the small `workflow.RoundKind` interface: `capitation`, `inpatient`, `fee_runs`, `year_end`.
Statements are read from `statements`. This module only gathers their public names.
"""

from __future__ import annotations

from openuhc.payment.capitation import capitation_amounts, compute_capitation, counted_population
from openuhc.payment.fee_runs import compute_fee
from openuhc.payment.inpatient import compute_ip
from openuhc.payment.owners import public_owner_kinds
from openuhc.payment.statements import may_see_statement, round_statement, runs_for, statement
from openuhc.payment.workflow import (
    COMPUTABLE,
    START_ROLES,
    STATUS_TH,
    STEPS,
    advance,
    compute,
    fiscal_year_months,
    four_eyes_problem,
    may_work_on,
    start_run,
)
from openuhc.payment.year_end import compute_year_end

__all__ = [
    "COMPUTABLE", "START_ROLES", "STATUS_TH", "STEPS", "advance", "capitation_amounts", "compute", "compute_capitation",
    "compute_fee", "compute_ip", "compute_year_end", "counted_population", "fiscal_year_months", "four_eyes_problem",
    "may_see_statement", "may_work_on", "public_owner_kinds", "round_statement", "runs_for", "start_run", "statement",
]
