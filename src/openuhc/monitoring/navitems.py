from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ALL_ROLES, Role
from openuhc.core import nav

nav.register("monitoring.dashboard", _("Dashboard"), "monitoring:dashboard", ALL_ROLES, section="monitoring", order=5)
nav.register("monitoring.open", _("Open data"), "monitoring:open", {nav.PUBLIC, *ALL_ROLES}, section="monitoring",
             order=95)
nav.register("monitoring.store", _("Analytics store"), "monitoring:store", {Role.NATIONAL}, section="admin", order=85)
