"""The panel every role sees first on its home page: who you are and what you work within."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from openuhc.accounts.roles import ALL_ROLES
from openuhc.core import home


def _welcome(request: HttpRequest, scope: Any) -> dict[str, Any]:
    return {"scope": scope}


home.register("accounts.welcome", "accounts/panels/welcome.html", ALL_ROLES, _welcome, order=0)
