"""Pages: the installed table sets, and one case grouped with "why this DRG"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openuhc.accounts.scope import role_required
from openuhc.drg.grouper import group_row
from openuhc.drg.models import InstalledTableSet
from openuhc.drg.services import result_dict
from openuhc.drg.tables import active_tables

ROLES = ("national", "regional", "hospital", "analyst")
FIELDS = ["an", "pdx", "sdx", "proc", "sex", "age", "age_days", "admit_date", "discharge_date", "leave_days",
          "admit_weight", "drg"]


@role_required(*ROLES)
def index(request: HttpRequest) -> HttpResponse:
    tables = active_tables()
    values = {f: request.GET.get(f, "") for f in FIELDS}
    result = None
    if tables is not None and (values["pdx"] or request.GET.get("group")):
        result = result_dict(group_row(values, tables), tables.version)
    return render(request, "drg/index.html", {
        "sets": InstalledTableSet.objects.all(), "tables": tables, "values": values, "result": result})
