from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "openuhc.geo"
    label = "geo"
    verbose_name = _("Geography")

    def ready(self) -> None:
        from openuhc.geo import imports, nav  # noqa: F401
