from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.accounts.roles import ALL_ROLES
from openuhc.core.api import limit_param, offset_param
from openuhc.providers.models import HealthUnit

router = Router(tags=["providers"])


class UnitOut(Schema):
    code: str
    name_th: str
    name_en: str
    unit_type: str
    owner: str
    cup: str | None
    subdistrict: str
    province: str


def _unit_out(unit: HealthUnit) -> dict:
    return {"code": unit.code, "name_th": unit.name_th, "name_en": unit.name_en, "unit_type": unit.unit_type.code,
            "owner": unit.owner.code, "cup": unit.cup.code if unit.cup else None, "subdistrict": unit.subdistrict.code,
            "province": unit.subdistrict.district.province.code}


_RELATED = ("unit_type", "owner", "cup", "subdistrict__district__province")


@router.get("", response=list[UnitOut], summary="Units the caller may see")
def unit_list(request: HttpRequest, limit: int = limit_param(100, most=1000), offset: int = offset_param()
              ) -> list[dict]:
    scope = api_scope(request, *ALL_ROLES)
    units = scope.units().select_related(*_RELATED).order_by("code")[offset:offset + limit]
    return [_unit_out(u) for u in units]


@router.get("{code}", response=UnitOut, summary="One unit by its 5-digit code")
def unit_detail(request: HttpRequest, code: str) -> dict:
    scope = api_scope(request, *ALL_ROLES)
    unit = get_object_or_404(HealthUnit.objects.select_related(*_RELATED), code=code)
    if not scope.can_see_unit(unit):
        raise PermissionDenied
    return _unit_out(unit)
