from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrgConfig(AppConfig):
    name = "openuhc.drg"
    label = "drg"
    verbose_name = _("Thai DRG grouping")

    def ready(self) -> None:
        from openuhc.drg import engine_functions, navitems, params, words  # noqa: F401
