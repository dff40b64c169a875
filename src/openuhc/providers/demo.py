"""Demo: a provincial hospital, a community hospital per other district, about 40 sub-district health
promoting hospitals (some transferred to the PAO), CUPs and referral links."""

from __future__ import annotations

from datetime import date

from openuhc.demo.loader import DemoContext
from openuhc.providers import services
from openuhc.providers.models import Owner, ReferralLink, UnitType

ORDER = 20
SUBDISTRICT_UNITS = 40


def load(ctx: DemoContext) -> None:
    rng = ctx.rng("providers")
    ctx.progress.stage("health units", None)
    province = ctx.data["province"]
    moph = Owner.objects.get(code="MOPH")
    pao = Owner.objects.create(code=f"PAO-{province.code}", kind=Owner.Kind.LOCAL_GOVERNMENT,
                               local_government=ctx.data["pao"], name_th=ctx.data["pao"].name_th,
                               name_en=ctx.data["pao"].name_en)
    types = {t.code: t for t in UnitType.objects.all()}
    since = date(2010, 10, 1)
    districts = list(province.districts.order_by("code"))
    hospitals = {}
    for number, district in enumerate(districts, start=1):
        seat = district.subdistricts.order_by("code").first()
        if number == 1:
            unit = services.create_unit(
                actor=None, code=f"{province.code}001", unit_type=types["general"], subdistrict=seat, owner=moph,
                owner_since=since, name_th=f"โรงพยาบาล{province.name_th}", name_en=f"{province.name_en} Hospital")
        else:
            unit = services.create_unit(
                actor=None, code=f"{province.code}{number:03d}", unit_type=types["community"], subdistrict=seat,
                owner=moph, owner_since=since, name_th=f"โรงพยาบาล{district.name_th}",
                name_en=f"{district.name_en} Hospital")
        services.create_cup(actor=None, main_unit=unit, since=since)
        hospitals[district.code] = unit
    provincial = hospitals[districts[0].code]
    for district in districts[1:]:
        services.add_referral(from_unit=hospitals[district.code], to_unit=provincial,
                              level=ReferralLink.Level.SECONDARY_TO_TERTIARY, valid_from=since)

    subdistricts = [s for d in districts for s in d.subdistricts.order_by("code")]
    chosen = sorted(rng.sample(subdistricts, min(SUBDISTRICT_UNITS, len(subdistricts))), key=lambda s: s.code)
    health_units = []
    for index, sub in enumerate(chosen, start=1):
        # Codes of sub-district units start with 0 here, as many real ones do: leading zeros are kept.
        hospital = hospitals[sub.district.code]
        unit = services.create_unit(
            actor=None, code=f"0{province.code}{index:02d}", unit_type=types["shph"], subdistrict=sub, owner=moph,
            owner_since=since, name_th=f"โรงพยาบาลส่งเสริมสุขภาพตำบล{sub.name_th}",
            name_en=f"{sub.name_en} Sub-district Health Promoting Hospital", cup=hospital.led_cup)
        services.add_referral(from_unit=unit, to_unit=hospital, level=ReferralLink.Level.PRIMARY_TO_SECONDARY,
                              valid_from=since)
        # About a third were transferred to the Provincial Administrative Organisation (from FY2566 on).
        if rng.random() < 0.35:
            services.transfer_ownership(actor=None, unit=unit, to_owner=pao,
                                        on=rng.choice([date(2022, 10, 1), date(2023, 10, 1), date(2024, 10, 1)]),
                                        note="ถ่ายโอนภารกิจ รพ.สต. ให้ อบจ. / transfer to the PAO")
        health_units.append(unit)
    clinic = services.create_unit(
        actor=None, code=f"{province.code}901", unit_type=types["clinic"],
        subdistrict=districts[0].subdistricts.order_by("code").first(),
        owner=Owner.objects.get(code="PRIVATE"), owner_since=date(2018, 1, 1), name_th="คลินิกเวชกรรมชุมชนอบอุ่น",
        name_en="Community Warm Clinic", cup=provincial.led_cup)
    ctx.data.update(hospitals=hospitals, provincial=provincial, health_units=health_units, clinic=clinic)
