from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngineConfig(AppConfig):
    name = "openuhc.engine"
    label = "engine"
    verbose_name = _("Batch engine")

    def ready(self) -> None:
        from openuhc.engine import functions, navitems  # noqa: F401
