from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from openuhc.accounts.api_auth import api_scope
from openuhc.accounts.roles import ALL_ROLES
from openuhc.geo.models import Province

router = Router(tags=["geography"])


class ProvinceOut(Schema):
    code: str
    name_th: str
    name_en: str
    region: int | None


@router.get("provinces", response=list[ProvinceOut], summary="Provinces with their NHSO region")
def provinces(request: HttpRequest) -> list[dict]:
    api_scope(request, *ALL_ROLES)
    return [{"code": p.code, "name_th": p.name_th, "name_en": p.name_en,
             "region": p.region.number if p.region else None}
            for p in Province.objects.select_related("region").order_by("code")]
