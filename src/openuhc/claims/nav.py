from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("claims.submissions", _("Claim submissions"), "claims:submissions",
             {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL}, section="claims", order=20)
nav.register("claims.list", _("A unit's claims"), "claims:list", {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL},
             section="claims", order=22)
nav.register("claims.review", _("Held for review"), "claims:review", {Role.NATIONAL, Role.REGIONAL},
             section="claims", order=21)
