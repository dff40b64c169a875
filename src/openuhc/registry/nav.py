from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ELIGIBILITY_ROLES, PERSONAL_DATA_ROLES, Role
from openuhc.core import nav

nav.register("registry.search", _("Find a person"), "registry:search", PERSONAL_DATA_ROLES, section="people", order=10)
nav.register("registry.eligibility", _("Eligibility check"), "registry:eligibility", ELIGIBILITY_ROLES,
             section="people", order=11)
nav.register("registry.access_log", _("Personal-data access log"), "registry:access_log", {Role.NATIONAL},
             section="admin", order=90)
