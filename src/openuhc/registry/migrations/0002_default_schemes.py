"""The default list of coverage schemes (editable afterwards: a configurable list)."""

from django.db import migrations

SCHEMES = [
    # code, Thai, English, code in claim files, members register with a unit, order
    ("UCS", "สิทธิหลักประกันสุขภาพแห่งชาติ", "Universal Coverage Scheme", "UCS", True, 10),
    ("SSS", "สิทธิประกันสังคม", "Social Security Scheme", "SSS", False, 20),
    ("CSMBS", "สิทธิสวัสดิการรักษาพยาบาลข้าราชการ", "Civil Servant Medical Benefit Scheme", "OFC", False, 30),
    ("LGO", "สิทธิสวัสดิการรักษาพยาบาลพนักงานส่วนท้องถิ่น", "Local Government Officers' scheme", "LGO", False, 40),
    ("STP", "บุคคลที่มีปัญหาสถานะและสิทธิ", "Persons with status and rights problems", "STP", True, 50),
    ("OTHER", "สิทธิอื่น", "Other scheme", "", False, 90),
]


def add(apps, schema_editor):
    Scheme = apps.get_model("registry", "Scheme")
    for code, th, en, eclaim, registers, order in SCHEMES:
        Scheme.objects.update_or_create(code=code, defaults={
            "name_th": th, "name_en": en, "eclaim_code": eclaim, "registers_with_unit": registers, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
