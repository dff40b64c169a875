from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "openuhc.providers"
    label = "providers"
    verbose_name = _("Provider network")

    def ready(self) -> None:
        from openuhc.providers import home, imports, nav  # noqa: F401
