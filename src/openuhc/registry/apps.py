from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "openuhc.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from openuhc.registry import codes, home, imports, nav, params  # noqa: F401
