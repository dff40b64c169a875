"""Grouping as JSON: one case, or a batch of cases."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.drg.grouper import group_row
from openuhc.drg.params import weighing_schedule
from openuhc.drg.services import result_dict, tables_for

router = Router(tags=["drg"])
ROLES = ("national", "regional", "hospital", "analyst")


class CaseIn(Schema):
    an: str = ""
    pdx: str
    sdx: str = ""
    proc: str = ""
    sex: int | None = None
    age: int | None = None
    age_days: int | None = None
    admit_date: str
    discharge_date: str
    leave_days: int = 0
    discharge_type: str = ""
    admit_weight: int | None = None
    drg: str = ""


class BatchIn(Schema):
    cases: list[CaseIn]
    version: str | None = None


@router.post("group", summary="Group one admission and compute its AdjRW, with the reasons")
def group_one(request: HttpRequest, case: CaseIn, version: str | None = None) -> dict[str, Any]:
    api_scope(request, *ROLES)
    tables = tables_for(version)
    return {"an": case.an, **result_dict(group_row(case.dict(), tables, weighing_schedule()), tables.version)}


@router.post("group/batch", summary="Group many admissions (up to 10,000 per call)")
def group_many(request: HttpRequest, body: BatchIn) -> dict[str, Any]:
    api_scope(request, *ROLES)
    tables = tables_for(body.version)
    cases = body.cases[:10_000]
    return {"table_version": tables.version, "results": [
        {"an": c.an, **result_dict(group_row(c.dict(), tables, weighing_schedule()), tables.version)} for c in cases]}
