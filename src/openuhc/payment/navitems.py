from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

PAYMENT_ROLES = frozenset({Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.ANALYST})

nav.register("payment.runs", _("Payment runs"), "payment:index", PAYMENT_ROLES, section="claims", order=41)
nav.register("payment.statements", _("Statements"), "payment:statements", PAYMENT_ROLES, section="claims", order=42)
nav.register("payment.charts", _("Payment charts"), "payment:charts", PAYMENT_ROLES, section="claims", order=43)
