from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("governance.staff", _("Governance"), "governance:index",
             {Role.NATIONAL, Role.REGIONAL, Role.SECRETARIAT, Role.PAO}, section="governance", order=45)
nav.register("governance.public", _("Health committees and assemblies"), "governance:public", {nav.PUBLIC},
             section="governance", order=97)
