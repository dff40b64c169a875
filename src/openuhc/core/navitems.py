from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("core.import", _("Import files"), "core:import", {Role.NATIONAL}, section="admin", order=80)
