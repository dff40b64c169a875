from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.models import ApiToken
from openuhc.accounts.services import issue_token
from openuhc.core import home as home_panels


def start(request: HttpRequest) -> HttpResponse:
    """The site's root: the home page for a signed-in user, the login page otherwise."""
    if request.user.is_authenticated:
        return redirect("accounts:home")
    return redirect("accounts:login")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    if scope.role is None:
        return render(request, "accounts/no_role.html", status=403)
    panels = [
        {"template": panel.template, **panel.context(request, scope)} for panel in home_panels.panels_for(scope.role)
    ]
    return render(request, "accounts/home.html", {"panels": panels})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.scope.role is None:  # type: ignore[attr-defined]
        return render(request, "accounts/no_role.html", status=403)
    new_token = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, _("Give the token a name (e.g. the system that will use it)."))
        else:
            _row, new_token = issue_token(user=request.user, name=name)
    rows = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/tokens.html", {"tokens": rows, "new_token": new_token})


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    updated = ApiToken.objects.filter(pk=pk, user=request.user, revoked_at__isnull=True).update(
        revoked_at=timezone.now())
    if updated:
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
