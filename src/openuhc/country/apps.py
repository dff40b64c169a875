from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountryConfig(AppConfig):
    name = "openuhc.country"
    label = "country"
    verbose_name = _("Country pack")

    def ready(self) -> None:
        from openuhc.country.packs import active

        # settings.py read the manifest; here every object it names is imported, so that a wrong name stops
        # start-up rather than the first request that needs it.
        active().check_code()
