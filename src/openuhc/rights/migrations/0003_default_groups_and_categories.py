"""The default network groups and case categories (editable afterwards: configurable lists).

Grounds are the Act's complaint grounds (sections 57 and 59): not given reasonable convenience, denied a
right or service, charged without entitlement, sub-standard care; plus questions and coordination."""

from django.db import migrations

GROUPS = [
    ("youth", "เครือข่ายเด็กและเยาวชน", "Children and youth", 10),
    ("women", "เครือข่ายผู้หญิง", "Women", 20),
    ("ethnic", "เครือข่ายกลุ่มชาติพันธุ์", "Ethnic groups", 30),
    ("elderly", "เครือข่ายผู้สูงอายุ", "Elderly people", 40),
    ("disabled", "เครือข่ายคนพิการ", "People with disabilities", 50),
    ("hiv", "เครือข่ายผู้ติดเชื้อเอชไอวี", "People living with HIV", 60),
    ("workers", "เครือข่ายแรงงาน", "Workers", 70),
    ("consumers", "เครือข่ายผู้บริโภค", "Consumers", 80),
    ("farmers", "เครือข่ายเกษตรกร", "Farmers", 90),
    ("slum", "เครือข่ายชุมชนแออัด", "Urban poor communities", 100),
    ("chronic", "เครือข่ายผู้ป่วยโรคเรื้อรัง", "People with chronic illness", 110),
]

# code, parent code, Thai, English, order
CATEGORIES = [
    ("convenience", None, "ไม่ได้รับความสะดวกตามสมควร", "Not given reasonable convenience", 10),
    ("convenience.waiting", "convenience", "รอนาน/ขั้นตอนยุ่งยาก", "Long waits or complicated steps", 11),
    ("convenience.conduct", "convenience", "พฤติกรรมบริการไม่เหมาะสม", "Inappropriate conduct of staff", 12),
    ("denied", None, "ไม่ได้รับบริการตามสิทธิ", "Denied a right or service", 20),
    ("denied.refused", "denied", "ถูกปฏิเสธการรักษา", "Refused treatment", 21),
    ("denied.referral", "denied", "ไม่ได้รับการส่งต่อ", "Refused a referral", 22),
    ("denied.registration", "denied", "ปัญหาการลงทะเบียน/เปลี่ยนหน่วยบริการ", "Registration or change of unit", 23),
    ("charged", None, "ถูกเรียกเก็บเงิน", "Charged without entitlement", 30),
    ("charged.fees", "charged", "ถูกเรียกเก็บค่ารักษา", "Charged for treatment", 31),
    ("charged.drugs", "charged", "ถูกเรียกเก็บค่ายา/อุปกรณ์", "Charged for drugs or devices", 32),
    ("standard", None, "ไม่ได้รับบริการตามมาตรฐาน", "Sub-standard care", 40),
    ("standard.harm", "standard", "ได้รับความเสียหายจากการรับบริการ", "Harmed by a service", 41),
    ("standard.diagnosis", "standard", "การวินิจฉัย/รักษาล่าช้าหรือผิดพลาด", "Late or wrong diagnosis or treatment", 42),
    ("question", None, "สอบถามข้อมูล", "Question or advice", 50),
    ("question.rights", "question", "สอบถามสิทธิ", "Rights and entitlements", 51),
    ("question.unit", "question", "สอบถามหน่วยบริการ", "Where to get care", 52),
    ("coordination", None, "ประสานส่งต่อ/ประสานการรักษา", "Coordination of care", 60),
]


def add(apps, schema_editor):
    NetworkGroup = apps.get_model("rights", "NetworkGroup")
    CaseCategory = apps.get_model("rights", "CaseCategory")
    for code, th, en, order in GROUPS:
        NetworkGroup.objects.update_or_create(code=code, defaults={"name_th": th, "name_en": en, "order": order})
    for code, parent, th, en, order in CATEGORIES:
        CaseCategory.objects.update_or_create(code=code, defaults={
            "name_th": th, "name_en": en, "order": order,
            "parent": CaseCategory.objects.get(code=parent) if parent else None})


class Migration(migrations.Migration):
    dependencies = [("rights", "0002_cases_assistance_participation")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
