from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "openuhc.budget"
    label = "budget"
    verbose_name = _("Budget")

    def ready(self) -> None:
        from openuhc.budget import codes, navitems  # noqa: F401
