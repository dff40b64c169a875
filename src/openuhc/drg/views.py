"""Pages: the installed table sets, and one case grouped with "why this DRG"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.core.dates import parse_date
from openuhc.core.errors import DomainError
from openuhc.drg.grouper import group_row
from openuhc.drg.models import InstalledTableSet
from openuhc.drg.params import weighing_schedule
from openuhc.drg.services import result_dict
from openuhc.drg.tables import active_tables

ROLES = (Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.ANALYST)
FIELDS = ["an", "pdx", "sdx", "proc", "sex", "age", "age_days", "admit_date", "discharge_date", "leave_days",
          "admit_weight", "drg"]
WHOLE_NUMBERS = ("age", "age_days", "leave_days", "admit_weight")


def _clean(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values as the grouper reads them (dates typed in BE or CE → ISO), and an error per field."""
    from django.utils.translation import gettext as _

    row: dict[str, Any] = dict(values)
    errors: dict[str, str] = {}
    if not values["pdx"].strip():
        errors["pdx"] = _("Enter the principal diagnosis (ICD-10 code, e.g. J189).")
    for name in WHOLE_NUMBERS:
        text = values[name].strip()
        if text and not text.isdigit():
            errors[name] = _("Enter a whole number.")
    for name in ("admit_date", "discharge_date"):
        text = values[name].strip()
        if not text:
            continue
        try:
            row[name] = parse_date(text).value.isoformat()
        except DomainError as error:
            errors[name] = error.message
    if values["sex"] not in ("", "1", "2"):
        errors["sex"] = _("Choose male or female.")
    return row, errors


@role_required(*ROLES)
def index(request: HttpRequest) -> HttpResponse:
    tables = active_tables()
    values = {f: request.GET.get(f, "") for f in FIELDS}
    result, errors = None, {}
    if tables is not None and request.GET.get("group"):
        row, errors = _clean(values)
        if not errors:
            result = result_dict(group_row(row, tables, weighing_schedule()), tables.version)
    return render(request, "drg/index.html", {
        "sets": InstalledTableSet.objects.all(), "tables": tables, "values": values, "result": result,
        "errors": errors})
