from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("engine.runs", _("Batch runs"), "engine:runs", {Role.NATIONAL}, section="admin", order=86)
