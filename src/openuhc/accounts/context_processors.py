from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.core import nav


def scope(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "scope", None)
    if current is None:
        return {}
    return {"scope": current, "nav_items": nav.items_for(current.role)}
