from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.core import nav

nav.register("rights.cases", _("Cases"), "rights:cases", {Role.NATIONAL, Role.REGIONAL, Role.CENTRE, Role.HOSPITAL},
             order=50)
nav.register("rights.overview", _("Rights protection"), "rights:overview",
             {Role.NATIONAL, Role.REGIONAL, Role.CENTRE, Role.ANALYST}, order=51)
nav.register("rights.complain", _("Complain or ask"), "rights:public_form", {nav.PUBLIC}, order=97)
