from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "openuhc.governance"
    label = "governance"
    verbose_name = _("Area health governance")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from openuhc.governance import home, navitems, params  # noqa: F401
        from openuhc.governance.defaults import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self)
