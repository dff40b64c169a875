from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("drg.index", _("Thai DRG"), "drg:index", {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.ANALYST},
             section="claims", order=32)
