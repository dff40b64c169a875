from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "openuhc.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from openuhc.core import converters, navitems, services, xlsx  # noqa: F401 - xlsx: parameters; services: jobs

        converters.register()
