"""Default body types and agencies (configurable lists: edit them, or add a country's own)."""

from django.db import migrations

BODY_TYPES = [
    # code, level, Thai, English, legal basis, order
    ("pao_health", "province", "คณะกรรมการสุขภาพระดับจังหวัด (นายก อบจ. เป็นประธาน)",
     "Provincial health committee chaired by the PAO president",
     "Agreement of the National Health Commission Office and the Association of Provincial Administrative "
     "Organisations of Thailand, 16 May 2024: a provincial health committee chaired by the PAO president with the "
     "provincial health assembly network, local governments and health partners, to drive local and primary health "
     "care, including the sub-district health promoting hospitals transferred to the PAO.", 10),
    ("transfer_support", "province", "คณะกรรมการสนับสนุนการดำเนินงานหน่วยบริการที่ถ่ายโอน",
     "Committee supporting the units transferred to the PAO",
     "Set up under the decentralisation plan's rules for transferring sub-district health promoting hospitals to "
     "PAOs; record the order that appointed it.", 20),
    ("area_health_board", "region", "คณะกรรมการเขตสุขภาพเพื่อประชาชน (กขป.)", "Area health board for the people",
     "Regulation of the Office of the Prime Minister on the establishment of health areas for the people, "
     "B.E. 2559 (2016): a board in each of the 13 areas, from the state, academic and people's sectors.", 30),
    ("assembly_organising", "province", "คณะกรรมการจัดสมัชชาสุขภาพจังหวัด",
     "Provincial health assembly organising committee",
     "National Health Act B.E. 2550, s.40: area health assemblies under the criteria set by the National Health "
     "Commission.", 40),
    ("assembly_follow_up", "province", "คณะกรรมการขับเคลื่อนและติดตามมติสมัชชาสุขภาพจังหวัด",
     "Provincial assembly resolutions follow-up committee",
     "National Health Act B.E. 2550, s.40; the national assembly's resolutions are followed by a follow-up "
     "committee in the same way.", 50),
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


def add(apps, schema_editor):
    BodyType = apps.get_model("governance", "BodyType")
    Agency = apps.get_model("governance", "Agency")
    for code, level, th, en, basis, order in BODY_TYPES:
        BodyType.objects.update_or_create(code=code, defaults={
            "level": level, "name_th": th, "name_en": en, "legal_basis": basis, "sort_order": order})
    for code, kind, th, en in AGENCIES:
        Agency.objects.update_or_create(code=code, defaults={"kind": kind, "name_th": th, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
