from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from openuhc.accounts.roles import ALL_ROLES
from openuhc.accounts.scope import role_required
from openuhc.geo.models import District, LocalGovernment, Province, Region


@role_required(*ALL_ROLES)
def regions(request: HttpRequest) -> HttpResponse:
    rows = Region.objects.prefetch_related("provinces").order_by("number")
    unmapped = Province.objects.filter(region__isnull=True)
    return render(request, "geo/regions.html", {"regions": rows, "unmapped": unmapped})


@role_required(*ALL_ROLES)
def province(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(Province.objects.select_related("region"), code=code)
    districts = item.districts.annotate(n_subdistricts=Count("subdistricts")).order_by("code")
    local_governments = LocalGovernment.objects.filter(province=item).annotate(
        n_subdistricts=Count("subdistricts")).order_by("kind", "code")
    return render(request, "geo/province.html", {"province": item, "districts": districts,
                                                 "local_governments": local_governments})


@role_required(*ALL_ROLES)
def district(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(District.objects.select_related("province__region"), code=code)
    subdistricts = item.subdistricts.prefetch_related("local_governments").annotate(
        n_units=Count("health_units")).order_by("code")
    return render(request, "geo/district.html", {"district": item, "subdistricts": subdistricts})
