from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ALL_ROLES
from openuhc.core import nav

nav.register("providers.units", _("Units"), "providers:list", ALL_ROLES, order=20)
