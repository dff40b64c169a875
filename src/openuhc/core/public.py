"""Forms anyone may post without an account: an hourly limit per client and a field only bots fill in.

    if not public.allow(public.client_address(request), kind="governance.propose", limit=5):
        return too_many_page
    form = MyPublicForm(request.POST)   # declares `website = public.honeypot_field()`
    if form.is_valid() and public.is_bot(form): ...

Clients are counted by a keyed hash of their address, so the limit works without keeping people's IP
addresses; attempts older than a day are forgotten.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

HONEYPOT = "website"


def client_address(request: HttpRequest) -> str:
    """The visitor's address, from the configured trusted proxy header only (core/clientip.py)."""
    from openuhc.core.clientip import client_ip

    return client_ip(request) or "unknown"


def client_key(address: str) -> str:
    """A client address as a keyed hash."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def allow(address: str, *, kind: str, limit: int, now: datetime | None = None) -> bool:
    """Count this attempt and say whether the client is still within `limit` attempts of `kind` per hour."""
    from openuhc.core.models import PublicAttempt

    now = now or timezone.now()
    key = client_key(address)
    PublicAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()  # forget old attempts
    PublicAttempt.objects.create(kind=kind, client=key, at=now)
    recent = PublicAttempt.objects.filter(kind=kind, client=key, at__gt=now - timedelta(hours=1)).count()
    return recent <= limit


def honeypot_field() -> forms.CharField:
    """A text field people do not see (the template hides it): bots fill it in."""
    return forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))


def is_bot(form: forms.BaseForm) -> bool:
    return bool(form.cleaned_data.get(HONEYPOT))
