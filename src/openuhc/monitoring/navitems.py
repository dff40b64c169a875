from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("monitoring.dashboard", _("Dashboard"), "monitoring:dashboard",
             {Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.LOCALFUND, Role.CENTRE, Role.ANALYST}, order=5)
nav.register("monitoring.store", _("Analytics store"), "monitoring:store", {Role.NATIONAL}, order=85)
nav.register("monitoring.open", _("Open data"), "monitoring:open", {nav.PUBLIC}, order=95)
