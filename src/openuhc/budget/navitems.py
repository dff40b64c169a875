from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ALL_ROLES
from openuhc.core import nav

nav.register("budget.years", _("Budget"), "budget:index", ALL_ROLES, order=40)
nav.register("budget.designer", _("Budget designer"), "budget:designer", {"national", "analyst"}, order=41)
