from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "openuhc.claims"
    label = "claims"
    verbose_name = _("Claims")

    def ready(self) -> None:
        from openuhc.claims import codes, home, nav, params, services  # noqa: F401
        from openuhc.core import jobs

        jobs.register_kind("claims")(services.run_submission_job)
