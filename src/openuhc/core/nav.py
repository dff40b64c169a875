"""The navigation: a few sections named by what people do, each app adding its items to a section for the roles
that may use them.

    nav.register("claims.submissions", _("Claim submissions"), "claims:submissions", {Role.HOSPITAL, ...},
                 section="claims", order=20)

A role sees only the sections that hold at least one of its items. An item for `PUBLIC` is shown to visitors
who are not logged in (and to logged-in users only when their role is listed too). An item registered without
a section goes to "More", so an app written before its section was chosen still shows up.

`current(path, namespace, role)` tells which item (and so which section) a page belongs to, for the
breadcrumbs and the marked section: the item whose address is the longest prefix of the page's path, else the
first item of the page's URL namespace (a fund's page belongs to "Local funds" though its address is not under
the overview's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    order: int


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    roles: frozenset[str]
    order: int = 100
    section: str = "more"

    @property
    def url(self) -> str:
        return _reverse(self.url_name)

    @property
    def namespace(self) -> str:
        return self.url_name.split(":", 1)[0] if ":" in self.url_name else ""


@dataclass
class Menu:
    """What one role sees: its sections in order, each with its items."""

    sections: list[tuple[Section, list[NavItem]]] = field(default_factory=list)

    def items(self) -> list[NavItem]:
        return [item for _section, items in self.sections for item in items]


PUBLIC = "public"  # an item for visitors who are not logged in (published pages)
MORE = "more"

SECTIONS: dict[str, Section] = {}
ITEMS: dict[str, NavItem] = {}


def section(key: str, label: str | Promise, order: int) -> None:
    SECTIONS[key] = Section(key, label, order)


# The sections, in the order of the menu (apps add their items to them).
section("people", _("People & rights to care"), 10)
section("units", _("Service units"), 20)
section("claims", _("Claims & payment"), 30)
section("funds", _("Local funds"), 40)
section("rights", _("Rights protection"), 50)
section("governance", _("Area health governance"), 55)
section("monitoring", _("Monitoring & budget"), 60)
section("admin", _("Administration"), 80)
section(MORE, _("More"), 90)


def register(key: str, label: str | Promise, url_name: str, roles: Iterable[str], order: int = 100,
             section: str | None = None) -> None:
    ITEMS[key] = NavItem(key, label, url_name, frozenset(roles), order, section if section in SECTIONS else MORE)


@lru_cache(maxsize=256)
def _reverse(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def _visible(item: NavItem, role: str | None) -> bool:
    if role is None:
        return PUBLIC in item.roles
    return role in item.roles


def items_for(role: str | None) -> list[NavItem]:
    return sorted((i for i in ITEMS.values() if _visible(i, role)), key=lambda i: (i.order, i.key))


def menu_for(role: str | None) -> Menu:
    grouped: dict[str, list[NavItem]] = {}
    for item in items_for(role):
        grouped.setdefault(item.section, []).append(item)
    ordered = sorted(grouped, key=lambda k: (SECTIONS[k].order, k))
    return Menu([(SECTIONS[k], grouped[k]) for k in ordered])


def current(path: str, namespace: str, menu: Menu) -> NavItem | None:
    """The item a page belongs to (see the module's docstring), or None (the home page, the login page)."""
    best: NavItem | None = None
    for item in menu.items():
        url = item.url
        if url and url != "/" and path.startswith(url) and (best is None or len(url) > len(best.url)):
            best = item
    if best is not None:
        return best
    for item in menu.items():
        if namespace and item.namespace == namespace:
            return item
    return None
