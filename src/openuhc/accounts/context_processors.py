from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.core import nav


def scope(request: HttpRequest) -> dict[str, Any]:
    """The user's scope, their menu (sections by what people do) and the item the page belongs to."""
    current = getattr(request, "scope", None)
    role = current.role if current is not None else None
    menu = nav.menu_for(role)
    match = getattr(request, "resolver_match", None)
    item = nav.current(request.path, match.namespace if match else "", menu)
    context: dict[str, Any] = {"nav_menu": menu, "nav_item": item,
                               "nav_section": nav.SECTIONS[item.section] if item else None,
                               "nav_item_is_page": item is not None and item.url == request.path}
    if current is not None:
        context["scope"] = current
    return context
