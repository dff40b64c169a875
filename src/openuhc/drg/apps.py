from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrgConfig(AppConfig):
    name = "openuhc.drg"
    label = "drg"
    verbose_name = _("Thai DRG grouping")

    def ready(self) -> None:
        from openuhc.core.codes import extend
        from openuhc.drg import engine_functions, navitems, params, words  # noqa: F401

        # the function's name for pages, here rather than beside it: a worker process imports engine_functions
        # without Django, and Django's translation machinery cost it about 15 ms of its start
        extend("engine_function", {"drg.group": _("Thai DRG grouping")})
