from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "openuhc.rights"
    label = "rights"
    verbose_name = _("Rights protection")

    def ready(self) -> None:
        from openuhc.rights import home, nav, params  # noqa: F401
