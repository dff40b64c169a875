"""The default body types and agencies (configurable lists: edit them in the pages, or add a country's own).

Installed by migration and again after every database flush (post_migrate), as Django does for content types, so a
database emptied between tests still has them."""

from __future__ import annotations

from typing import Any

BODY_TYPES = [
    # code, level, Thai, English, legal basis (in the language of the instrument), order
    ("pao_health", "province", "คณะกรรมการสุขภาพระดับจังหวัด (นายก อบจ. เป็นประธาน)",
     "Provincial health committee chaired by the PAO president",
     "ข้อตกลงระหว่างสำนักงานคณะกรรมการสุขภาพแห่งชาติกับสมาคมองค์การบริหารส่วนจังหวัดแห่งประเทศไทย "
     "(16 พฤษภาคม 2567): ให้มีคณะกรรมการสุขภาพระดับจังหวัด มีนายกองค์การบริหารส่วนจังหวัดเป็นประธาน "
     "ร่วมกับเครือข่ายสมัชชาสุขภาพจังหวัด องค์กรปกครองส่วนท้องถิ่น และภาคีสุขภาพ", 10),
    ("transfer_support", "province", "คณะกรรมการสนับสนุนการดำเนินงานหน่วยบริการที่ถ่ายโอน",
     "Committee supporting the units transferred to the PAO",
     "ตามหลักเกณฑ์การถ่ายโอนภารกิจโรงพยาบาลส่งเสริมสุขภาพตำบลให้แก่องค์การบริหารส่วนจังหวัด "
     "(ระบุคำสั่งแต่งตั้ง)", 20),
    ("area_health_board", "region", "คณะกรรมการเขตสุขภาพเพื่อประชาชน (กขป.)", "Area health board for the people",
     "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยการจัดตั้งเขตสุขภาพเพื่อประชาชน พ.ศ. 2559", 30),
    ("assembly_organising", "province", "คณะกรรมการจัดสมัชชาสุขภาพจังหวัด",
     "Provincial health assembly organising committee",
     "พระราชบัญญัติสุขภาพแห่งชาติ พ.ศ. 2550 มาตรา 40 (สมัชชาสุขภาพเฉพาะพื้นที่ตามหลักเกณฑ์ที่ คสช. กำหนด)", 40),
    ("assembly_follow_up", "province", "คณะกรรมการขับเคลื่อนและติดตามมติสมัชชาสุขภาพจังหวัด",
     "Provincial assembly resolutions follow-up committee",
     "พระราชบัญญัติสุขภาพแห่งชาติ พ.ศ. 2550 มาตรา 40", 50),
]

AGENCIES = [
    # code, kind, Thai, English
    ("MIN-MOPH", "minister", "รัฐมนตรีว่าการกระทรวงสาธารณสุข", "Minister of Public Health"),
    ("MOPH", "ministry", "กระทรวงสาธารณสุข", "Ministry of Public Health"),
    ("DLA", "ministry", "กรมส่งเสริมการปกครองท้องถิ่น", "Department of Local Administration"),
    ("NHSO", "agency", "สำนักงานหลักประกันสุขภาพแห่งชาติ", "National Health Security Office"),
    ("NHCO", "agency", "สำนักงานคณะกรรมการสุขภาพแห่งชาติ", "National Health Commission Office"),
    ("THAIHEALTH", "agency", "สำนักงานกองทุนสนับสนุนการสร้างเสริมสุขภาพ", "Thai Health Promotion Foundation"),
]


def install(body_type_model: Any, agency_model: Any) -> None:
    """Create the defaults that are missing; an edited default keeps its edits."""
    for code, level, th, en, basis, order in BODY_TYPES:
        body_type_model.objects.get_or_create(code=code, defaults={
            "level": level, "name_th": th, "name_en": en, "legal_basis": basis, "sort_order": order})
    for code, kind, th, en in AGENCIES:
        agency_model.objects.get_or_create(code=code, defaults={"kind": kind, "name_th": th, "name_en": en})


def install_after_migrate(sender: Any, **kwargs: Any) -> None:
    from openuhc.governance.models import Agency, BodyType

    install(BodyType, Agency)
