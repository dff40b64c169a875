"""Default unit types and owners (editable afterwards: configurable lists)."""

from django.db import migrations

UNIT_TYPES = [
    # code, Thai, English, admits inpatients, primary care, order
    ("regional", "โรงพยาบาลศูนย์", "Regional hospital", True, False, 10),
    ("general", "โรงพยาบาลทั่วไป", "General (provincial) hospital", True, True, 20),
    ("community", "โรงพยาบาลชุมชน", "Community hospital", True, True, 30),
    ("university", "โรงพยาบาลมหาวิทยาลัย", "University hospital", True, False, 40),
    ("shph", "โรงพยาบาลส่งเสริมสุขภาพตำบล", "Sub-district health promoting hospital", False, True, 50),
    ("health_centre", "ศูนย์สุขภาพชุมชน", "Community health centre", False, True, 60),
    ("private_hospital", "โรงพยาบาลเอกชน", "Private hospital", True, False, 70),
    ("clinic", "คลินิกเอกชน", "Private clinic", False, True, 80),
    ("other", "หน่วยบริการอื่น", "Other unit", False, False, 90),
]

OWNERS = [
    ("MOPH", "ministry", "กระทรวงสาธารณสุข", "Ministry of Public Health"),
    ("STATE", "other_ministry", "หน่วยงานรัฐอื่น", "Other state agency"),
    ("PRIVATE", "private", "เอกชน", "Private"),
    ("OTHER", "other", "อื่น ๆ", "Other"),
]


def add(apps, schema_editor):
    UnitType = apps.get_model("providers", "UnitType")
    Owner = apps.get_model("providers", "Owner")
    for code, th, en, hospital, primary, order in UNIT_TYPES:
        UnitType.objects.update_or_create(code=code, defaults={
            "name_th": th, "name_en": en, "is_hospital": hospital, "is_primary_care": primary, "sort_order": order})
    for code, kind, th, en in OWNERS:
        Owner.objects.update_or_create(code=code, defaults={"kind": kind, "name_th": th, "name_en": en})


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
