"""Demo: the whole country's geography, the NHSO regions, and local governments for the demo province."""

from __future__ import annotations

from openuhc.demo.loader import DemoContext
from openuhc.geo.models import LocalGovernment, Province
from openuhc.geo.services import load_geography, load_region_mapping

ORDER = 10


def load(ctx: DemoContext) -> None:
    ctx.progress.stage("geography", None)
    load_geography()
    load_region_mapping()
    province = Province.objects.get(code=ctx.province_code)
    ctx.data["province"] = province
    pao = LocalGovernment.objects.create(
        code=f"{province.code}00000", kind=LocalGovernment.Kind.PAO, province=province,
        name_th=f"องค์การบริหารส่วนจังหวัด{province.name_th}", name_en=f"{province.name_en} PAO",
    )
    pao.subdistricts.set([s for d in province.districts.all() for s in d.subdistricts.all()])
    local_governments = [pao]
    for district in province.districts.order_by("code"):
        for index, sub in enumerate(district.subdistricts.order_by("code")):
            if index == 0 and district.code.endswith("01"):
                kind, prefix, prefix_en = LocalGovernment.Kind.TOWN_MUNICIPALITY, "เทศบาลเมือง", "Town Municipality"
            elif index == 0:
                kind, prefix, prefix_en = (LocalGovernment.Kind.SUBDISTRICT_MUNICIPALITY, "เทศบาลตำบล",
                                           "Sub-district Municipality")
            else:
                kind, prefix, prefix_en = LocalGovernment.Kind.SAO, "องค์การบริหารส่วนตำบล", "SAO"
            lg = LocalGovernment.objects.create(
                code=f"{sub.code}1", kind=kind, province=province, name_th=f"{prefix}{sub.name_th}",
                name_en=f"{sub.name_en} {prefix_en}",
            )
            lg.subdistricts.set([sub])
            local_governments.append(lg)
    ctx.data["pao"] = pao
    ctx.data["local_governments"] = local_governments
