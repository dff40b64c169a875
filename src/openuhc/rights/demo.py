"""Demo: the people's health security coordination centre of the demo province."""

from __future__ import annotations

from openuhc.demo.loader import DemoContext
from openuhc.rights.models import Centre

ORDER = 40


def load(ctx: DemoContext) -> None:
    province = ctx.data["province"]
    centre = Centre.objects.create(
        code=f"PC{province.code}", kind=Centre.Kind.PEOPLES_CENTRE, region=province.region,
        name_th=f"ศูนย์ประสานงานหลักประกันสุขภาพประชาชนจังหวัด{province.name_th}",
        name_en=f"People's Health Security Coordination Centre, {province.name_en}",
    )
    centre.provinces.set([province])
    ctx.data["centre"] = centre
