"""The navigation bar: each app adds its entries for the roles that may use them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 100


ITEMS: dict[str, NavItem] = {}


def register(key: str, label: str | Promise, url_name: str, roles: Iterable[str], order: int = 100) -> None:
    ITEMS[key] = NavItem(key, label, url_name, frozenset(roles), order)


PUBLIC = "public"  # an entry for everyone, logged in or not (published pages)


def items_for(role: str | None) -> list[NavItem]:
    return sorted((i for i in ITEMS.values() if PUBLIC in i.roles or (role is not None and role in i.roles)),
                  key=lambda i: (i.order, i.key))
