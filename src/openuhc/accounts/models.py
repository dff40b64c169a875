"""A user's role and scope, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openuhc.accounts.roles import Role
from openuhc.geo.models import LocalGovernment, Region
from openuhc.governance.models import Secretariat
from openuhc.localfund.models import Fund
from openuhc.providers.models import HealthUnit
from openuhc.rights.models import Centre


class Profile(models.Model):
    """One role per user, with the object that bounds what the user may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(HealthUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    fund = models.ForeignKey(Fund, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    centre = models.ForeignKey(Centre, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    secretariat = models.ForeignKey(Secretariat, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # PAO staff: their Provincial Administrative Organisation.
    local_government = models.ForeignKey(LocalGovernment, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="accounts_profile_scope_matches_role",
                condition=(
                    models.Q(role=Role.NATIONAL) | models.Q(role=Role.ANALYST)
                    | models.Q(role=Role.REGIONAL, region__isnull=False)
                    | models.Q(role=Role.HOSPITAL, unit__isnull=False)
                    | models.Q(role=Role.LOCALFUND, fund__isnull=False)
                    | models.Q(role=Role.CENTRE, centre__isnull=False)
                    | models.Q(role=Role.SECRETARIAT, secretariat__isnull=False)
                    | models.Q(role=Role.PAO, local_government__isnull=False)
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for machine access to the API; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        raw = "ouhc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[5:13], key_hash=hash_token(raw))
        return token, raw
