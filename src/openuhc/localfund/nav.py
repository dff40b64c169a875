from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("localfund.fund", _("My fund"), "localfund:index", {Role.LOCALFUND}, section="funds", order=15)
nav.register("localfund.overview", _("Local funds overview"), "localfund:overview",
             {Role.NATIONAL, Role.REGIONAL, Role.ANALYST}, section="funds", order=40)
nav.register("localfund.public", _("Local health security funds"), "localfund:public_list", {nav.PUBLIC},
             section="funds", order=96)
