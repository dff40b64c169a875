from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("claims.submissions", _("Claims"), "claims:submissions", {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL},
             order=20)
nav.register("claims.review", _("Held for review"), "claims:review", {Role.NATIONAL, Role.REGIONAL}, order=21)
