"""The roles of OpenUHC. Every page and API call is scoped by the role and its scope object."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from openuhc.core.codes import vocabulary


class Role(models.TextChoices):
    NATIONAL = "national", _("National officer")
    REGIONAL = "regional", _("Regional officer")
    HOSPITAL = "hospital", _("Hospital staff")
    LOCALFUND = "localfund", _("Local-fund officer")
    CENTRE = "centre", _("Coordination-centre staff")
    ANALYST = "analyst", _("Analyst")
    SECRETARIAT = "secretariat", _("Governance secretariat")
    PAO = "pao", _("Provincial Administrative Organisation staff")


ALL_ROLES = frozenset(Role.values)
# Roles that may see one person's data (never the analyst: aggregates only).
PERSONAL_DATA_ROLES = frozenset({Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL})
# Roles that may ask whether a citizen ID is covered (a hospital at its counter, a centre helping a caller).
ELIGIBILITY_ROLES = frozenset({Role.NATIONAL, Role.REGIONAL, Role.HOSPITAL, Role.CENTRE})

vocabulary("role", dict(Role.choices))
