"""The home page is made of panels; each app contributes panels for the roles it serves."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    roles: frozenset[str]
    context: Callable[[HttpRequest, Any], dict[str, Any]]
    order: int = 100


PANELS: dict[str, Panel] = {}


def register(
    key: str, template: str, roles: Iterable[str], context: Callable[[HttpRequest, Any], dict[str, Any]],
    order: int = 100,
) -> None:
    PANELS[key] = Panel(key, template, frozenset(roles), context, order)


def panels_for(role: str | None) -> list[Panel]:
    if role is None:
        return []
    return sorted((p for p in PANELS.values() if role in p.roles), key=lambda p: (p.order, p.key))
