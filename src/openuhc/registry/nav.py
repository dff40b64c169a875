from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ELIGIBILITY_ROLES, PERSONAL_DATA_ROLES, Role
from openuhc.core import nav

nav.register("registry.search", _("People"), "registry:search", PERSONAL_DATA_ROLES, order=10)
nav.register("registry.eligibility", _("Eligibility"), "registry:eligibility", ELIGIBILITY_ROLES, order=11)
nav.register("registry.access_log", _("Access log"), "registry:access_log", {Role.NATIONAL}, order=90)
