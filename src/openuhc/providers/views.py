from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openuhc.accounts.roles import ALL_ROLES, Role
from openuhc.accounts.scope import role_required
from openuhc.core.errors import DomainError
from openuhc.providers import services
from openuhc.providers.forms import TransferForm
from openuhc.providers.models import HealthUnit, ReferralLink, UnitType
from openuhc.registry.models import Person


@role_required(*ALL_ROLES)
def unit_list(request: HttpRequest) -> HttpResponse:
    units = request.scope.units().select_related(  # type: ignore[attr-defined]
        "unit_type", "owner", "subdistrict__district__province", "cup")
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(Q(code__startswith=query) | Q(name_th__icontains=query) | Q(name_en__icontains=query))
    unit_type = request.GET.get("type", "")
    if unit_type:
        units = units.filter(unit_type__code=unit_type)
    page = Paginator(units.order_by("code"), 50).get_page(request.GET.get("page"))
    return render(request, "providers/list.html", {
        "page": page, "q": query, "type": unit_type, "types": UnitType.objects.all(),
    })


def _visible_unit(request: HttpRequest, code: str) -> HealthUnit:
    unit = get_object_or_404(
        HealthUnit.objects.select_related("unit_type", "owner", "subdistrict__district__province__region",
                                          "cup__main_unit"), code=code)
    if not request.scope.can_see_unit(unit):  # type: ignore[attr-defined]
        raise PermissionDenied
    return unit


@role_required(*ALL_ROLES)
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    scope = request.scope  # type: ignore[attr-defined]
    led_cup = getattr(unit, "led_cup", None)  # RelatedObjectDoesNotExist is an AttributeError
    context = {
        "unit": unit,
        "ownership": unit.ownership_history.select_related("owner").order_by("-valid_from", "-id"),
        "cup_history": unit.cup_history.select_related("cup__main_unit").order_by("-valid_from", "-id"),
        "cup_members": led_cup.current_members.select_related("unit_type").order_by("code") if led_cup else None,
        "refers_to": ReferralLink.objects.filter(from_unit=unit).select_related("to_unit"),
        "referred_from": ReferralLink.objects.filter(to_unit=unit).select_related("from_unit"),
        "registered_main": Person.objects.filter(current_registration__main_unit=unit).count(),
        "registered_primary": Person.objects.filter(current_registration__primary_unit=unit).count(),
        "can_transfer": scope.role in (Role.NATIONAL, Role.REGIONAL),
        "transfer_form": TransferForm() if scope.role in (Role.NATIONAL, Role.REGIONAL) else None,
    }
    return render(request, "providers/detail.html", context)


@role_required(Role.NATIONAL, Role.REGIONAL)
@require_POST
def transfer(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    form = TransferForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_ownership(actor=request.user, unit=unit, to_owner=form.cleaned_data["owner"],
                                        on=form.cleaned_data["on"], note=form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The transfer was recorded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("providers:detail", code=unit.code)
