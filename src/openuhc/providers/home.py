"""Home-page panel for hospital staff: their unit and the units of the CUP it leads."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.accounts.roles import Role
from openuhc.core import home


def _my_units(request: HttpRequest, scope: Any) -> dict[str, Any]:
    return {"unit": scope.unit, "units": scope.units().select_related("unit_type").order_by("code")[:100]}


home.register("providers.my_units", "providers/panels/my_units.html", {Role.HOSPITAL}, _my_units, order=10)
