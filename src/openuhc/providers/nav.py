from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ALL_ROLES
from openuhc.core import nav

nav.register("providers.units", _("Health units"), "providers:list", ALL_ROLES, section="units", order=20)
