from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ALL_ROLES, Role
from openuhc.core import nav

nav.register("budget.years", _("Budget and rates"), "budget:index", ALL_ROLES, section="monitoring", order=40)
nav.register("budget.designer", _("Budget designer"), "budget:designer", {Role.NATIONAL, Role.ANALYST},
             section="monitoring", order=41)
