from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("rights.cases", _("Complaints and cases"), "rights:cases",
             {Role.NATIONAL, Role.REGIONAL, Role.CENTRE, Role.HOSPITAL}, section="rights", order=50)
nav.register("rights.assistance", _("Section 41 assistance"), "rights:assistance_list",
             {Role.NATIONAL, Role.REGIONAL, Role.CENTRE}, section="rights", order=52)
nav.register("rights.participation", _("Networks and participation"), "rights:participation",
             {Role.NATIONAL, Role.REGIONAL, Role.CENTRE, Role.ANALYST}, section="rights", order=53)
nav.register("rights.overview", _("Rights protection charts"), "rights:overview",
             {Role.NATIONAL, Role.REGIONAL, Role.CENTRE, Role.ANALYST}, section="rights", order=54)
nav.register("rights.complain", _("Complain or ask"), "rights:public_form", {nav.PUBLIC}, section="rights", order=97)
