from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentConfig(AppConfig):
    name = "openuhc.payment"
    label = "payment"
    verbose_name = _("Payment")

    def ready(self) -> None:
        from openuhc.payment import codes, engine_functions, home, navitems, params  # noqa: F401
