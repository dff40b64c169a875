from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import ALL_ROLES
from openuhc.core import nav

nav.register("geo.browse", _("Geography"), "geo:regions", ALL_ROLES, section="units", order=30)
