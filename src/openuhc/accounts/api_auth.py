"""API authentication: a session (pages' own calls, CSRF-checked) or a bearer token (other systems)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from openuhc.accounts.models import ApiToken, hash_token
from openuhc.accounts.scope import Scope


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (ApiToken.objects.select_related("user")
               .filter(key_hash=hash_token(token), revoked_at__isnull=True).first())
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


API_AUTH = [BearerToken(), django_auth]


def api_scope(request: HttpRequest, *roles: str) -> Scope:
    """The caller's scope; refuses (403) a caller whose role is not among `roles` when roles are given."""
    scope = Scope.of(getattr(request, "auth", None) or request.user)
    if roles and scope.role not in roles:
        raise PermissionDenied
    return scope
