"""Budget API: the configuration of a scheme in force on a date (every logged-in role may read it)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.accounts.roles import ALL_ROLES
from openuhc.budget.services import in_force
from openuhc.core.dates import parse_api_date, today

router = Router(tags=["budget"])


class VersionOut(Schema):
    scheme: str
    fiscal_year: int
    version: int
    valid_from: str
    configuration: dict


@router.get("in-force", response=VersionOut, summary="The fiscal-year configuration in force on a date")
def version_in_force(request: HttpRequest, scheme: str = "UCS", date: str | None = None) -> dict:
    api_scope(request, *ALL_ROLES)
    version = in_force(scheme, parse_api_date(date) if date else today())
    return {"scheme": version.scheme.code, "fiscal_year": version.fiscal_year, "version": version.number,
            "valid_from": version.valid_from.isoformat(), "configuration": version.data}
