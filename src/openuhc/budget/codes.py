"""Words for the budget designer's arithmetic (budget/designer.py names its terms and factors in English)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core.codes import vocabulary

vocabulary("design_term", {
    "base": _("base-year members"), "× (1 + growth)": _("× (1 + population growth)"), "N": _("people"),
    "use": _("use per person-year"), "unit cost": _("unit cost"), "× (1 + cost growth)": _("× (1 + cost growth)"),
    "× (1 + policy)": _("× (1 + policy change)"), "all nationals": _("all nationals"), "members": _("members"),
    "amount per head": _("amount per head"), "fixed": _("fixed amount"), "fixed amount": _("fixed amount"),
})


def _subfunds() -> dict[str, str]:
    """The sub-funds' names in the active language, from the latest configured year of each code."""
    from django.utils.translation import get_language

    from openuhc.budget.models import BudgetVersion

    thai = (get_language() or "th").startswith("th")
    key = (thai, BudgetVersion.objects.order_by("-id").values_list("id", flat=True).first())
    if key in _NAMES:
        return _NAMES[key]
    names: dict[str, str] = {}
    for version in BudgetVersion.objects.order_by("fiscal_year", "id").only("data")[:50]:
        for sub in (version.data or {}).get("sub_funds", []):
            name = sub.get("name_th") if thai else (sub.get("name_en") or sub.get("name_th"))
            if sub.get("code") and name:
                names[sub["code"]] = name
    _NAMES.clear()  # versions are append-only: a new one makes a new key, so the cache holds one entry
    _NAMES[key] = names
    return names


_NAMES: dict[tuple[bool, int | None], dict[str, str]] = {}


vocabulary("subfund", _subfunds)

# Which kind of payment run pays a sub-fund's money out (budget/config.py PAID_BY).
vocabulary("paid_by", {"capitation": _("capitation runs"), "ip": _("inpatient runs"), "fee": _("fee-schedule runs"),
                       "other": pgettext_lazy("paid by", "other programmes")})
