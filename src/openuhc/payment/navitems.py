from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

PAYMENT_ROLES = frozenset({Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.ANALYST})

nav.register("payment.runs", _("Payments"), "payment:index", PAYMENT_ROLES, order=41)
