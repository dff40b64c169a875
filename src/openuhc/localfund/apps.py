from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LocalFundConfig(AppConfig):
    name = "openuhc.localfund"
    label = "localfund"
    verbose_name = _("Local health security funds")

    def ready(self) -> None:
        from openuhc.localfund import home, nav, params  # noqa: F401
