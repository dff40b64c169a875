"""Demo: the coordination centres of the demo province, its people's networks, a year of cases up to today,
Section 41 requests at every step with the region's reserve, two trainings and the annual public hearings.

Cases go through the services with a simulated clock (`now=`), so their deadlines, escalations and histories
are exactly what the product would have recorded; the last twelve months end today, so the pages show
open, overdue and closed cases whenever the demo is loaded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from openuhc.core.dates import fiscal_year, today
from openuhc.demo.loader import DemoContext
from openuhc.providers.models import HealthUnit
from openuhc.rights import assistance, participation, services
from openuhc.rights.models import CaseCategory, Centre, Network, NetworkGroup

NETWORKS = [
    ("youth", "เครือข่ายเยาวชนรักษ์สุขภาพพะเยา", "Phayao Youth for Health", 45),
    ("women", "เครือข่ายผู้หญิงเพื่อสุขภาพจังหวัดพะเยา", "Phayao Women's Health Network", 60),
    ("ethnic", "เครือข่ายชาติพันธุ์ม้งและเมี่ยน", "Hmong and Mien Network", 38),
    ("ethnic", "เครือข่ายชาวลัวะ", "Lua People's Network", 22),
    ("elderly", "ชมรมผู้สูงอายุจังหวัดพะเยา", "Phayao Elderly Club", 120),
    ("disabled", "สมาคมคนพิการจังหวัดพะเยา", "Phayao Disabled People's Association", 75),
    ("hiv", "เครือข่ายผู้อยู่ร่วมกับเอชไอวีพะเยา", "Phayao Network of People Living with HIV", 40),
    ("workers", "เครือข่ายแรงงานนอกระบบพะเยา", "Phayao Informal Workers", 55),
    ("consumers", "เครือข่ายคุ้มครองผู้บริโภคพะเยา", "Phayao Consumer Protection Network", 30),
    ("farmers", "เครือข่ายเกษตรกรสุขภาพดี", "Healthy Farmers Network", 48),
]

KIND_CATEGORIES = {
    "complaint": ["convenience.waiting", "convenience.conduct", "standard.harm", "standard.diagnosis",
                  "charged.fees", "charged.drugs"],
    "grievance": ["denied.refused", "denied.referral", "denied.registration", "charged.fees"],
    "advice": ["question.rights", "question.unit"],
    "coordination": ["coordination"],
}
SUBJECTS = {
    "convenience.waiting": "รอตรวจนานเกินไป", "convenience.conduct": "เจ้าหน้าที่พูดจาไม่สุภาพ",
    "standard.harm": "ได้รับความเสียหายหลังผ่าตัด", "standard.diagnosis": "วินิจฉัยล่าช้า",
    "charged.fees": "ถูกเรียกเก็บค่ารักษา", "charged.drugs": "ถูกเรียกเก็บค่ายานอกบัญชี",
    "denied.refused": "ถูกปฏิเสธการรักษา", "denied.referral": "ไม่ได้รับใบส่งตัว",
    "denied.registration": "ต้องการเปลี่ยนหน่วยบริการประจำ", "question.rights": "สอบถามสิทธิบัตรทอง",
    "question.unit": "สอบถามหน่วยบริการใกล้บ้าน", "coordination": "ขอประสานส่งต่อผู้ป่วยไปโรงพยาบาลจังหวัด",
}
FIRST = ["สมศรี", "บุญเรือง", "ประเสริฐ", "มาลี", "สุริยา", "อำไพ", "จันทร์เพ็ญ", "ทองดี", "วันเพ็ญ", "คำปัน"]
LAST = ["ใจงาม", "ศรีวงศ์", "คำมา", "อินต๊ะ", "ปัญญา", "ยะเขียว", "สุขใจ", "ดวงดี"]
COUNTRIES = ["TH", "LA", "KH", "MM", "VN", "ID", "PH", "BT", "NP"]


def load_centres(ctx: DemoContext) -> None:
    province = ctx.data["province"]
    centre = Centre.objects.create(
        code=f"PC{province.code}", kind=Centre.Kind.PEOPLES_CENTRE, region=province.region,
        name_th=f"ศูนย์ประสานงานหลักประกันสุขภาพประชาชนจังหวัด{province.name_th}",
        name_en=f"People's Health Security Coordination Centre, {province.name_en}", phone="054-000-000")
    centre.provinces.set([province])
    unit_50_5 = Centre.objects.create(
        code=f"S{province.code}", kind=Centre.Kind.SECTION_50_5, region=province.region,
        name_th=f"หน่วยรับเรื่องร้องเรียนอิสระ มาตรา 50(5) จังหวัด{province.name_th}",
        name_en=f"Section 50(5) Independent Complaint Unit, {province.name_en}")
    unit_50_5.provinces.set([province])
    groups = {g.code: g for g in NetworkGroup.objects.all()}
    networks = [Network.objects.create(code=f"N{province.code}{i:02d}", group=groups[group], name_th=th, name_en=en,
                                       region=province.region, province=province, members=members)
                for i, (group, th, en, members) in enumerate(NETWORKS, start=1)]
    centre.networks.set(networks)
    unit_50_5.networks.set(networks[4:7])
    ctx.data.update(centre=centre, centre_50_5=unit_50_5, networks=networks)


def _at(day: date, rng: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59))))


def _cases(ctx: DemoContext, now: datetime) -> None:
    rng = ctx.rng("rights.cases")
    province = ctx.data["province"]
    centre = ctx.data["centre"]
    staff = ctx.data.get("rights_staff")
    categories = {c.code: c for c in CaseCategory.objects.all()}
    units = list(HealthUnit.objects.filter(subdistrict__district__province=province).order_by("code"))
    hospitals = sorted(ctx.data["hospitals"].values(), key=lambda u: u.code)
    kinds = ["complaint"] * 35 + ["grievance"] * 15 + ["advice"] * 35 + ["coordination"] * 15
    channels = ["hotline"] * 40 + ["walk_in"] * 25 + ["web_form"] * 15 + ["letter"] * 5 + ["partner"] * 15
    start = timezone.localtime(now).date() - timedelta(days=365)
    for i in range(180):
        day = start + timedelta(days=int(365 * i / 180) + rng.randint(0, 1))
        received = _at(day, rng)
        if received >= now:
            continue
        kind = rng.choice(kinds)
        code = rng.choice(KIND_CATEGORIES[kind])
        named = rng.random() < 0.6
        unit = rng.choice(hospitals if code.startswith(("standard", "charged", "denied")) else units)
        case, _secret = services.open_case(
            actor=staff, kind=kind, channel=rng.choice(channels), category=categories[code], subject=SUBJECTS[code],
            description=f"{SUBJECTS[code]} ที่ {unit.name_th}", centre=centre if i % 6 else ctx.data["centre_50_5"],
            unit=unit if kind != "advice" else None,
            complainant_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}" if named else "",
            complainant_contact=f"08{rng.randint(10000000, 99999999)}" if named else "",
            consent_to_record=named, share_identity_with_unit=named and rng.random() < 0.3,
            with_secret=True, now=received)
        ack_at = received + timedelta(hours=rng.choice([2, 4, 20, 30]))
        if ack_at < now:
            services.acknowledge(case, actor=staff, text="รับเรื่องแล้ว จะติดต่อกลับ", now=ack_at)
        days_needed = rng.choice([1, 3, 5, 10, 14, 20, 25, 28, 35, 45]) if kind in ("complaint", "grievance") else \
            rng.choice([0, 1, 2, 3, 5, 9])
        closes_at = ack_at + timedelta(days=days_needed, hours=1)
        if case.unit and days_needed >= 2 and ack_at + timedelta(days=1) < now:
            services.add_note(case, actor=staff, text="ประสานหน่วยบริการเพื่อขอข้อเท็จจริง",
                              audience="unit", now=ack_at + timedelta(days=1))
        if closes_at > case.outcome_by and min(closes_at, now) > case.outcome_by + timedelta(hours=1):
            services.escalate(case, actor=None, now=case.outcome_by + timedelta(hours=1),
                              text="outcome deadline missed / เลยกำหนดได้ข้อยุติ")
        if closes_at < now and case.acknowledged_at:
            outcome = {"advice": "answered", "coordination": "resolved"}.get(
                kind, rng.choice(["resolved", "resolved", "partly", "not_upheld", "referred"]))
            services.close(case, actor=staff, outcome=outcome, outcome_text="ชี้แจงและแก้ไขปัญหาแล้ว",
                           now=closes_at)
            if rng.random() < 0.4:
                case.refresh_from_db()
                services.rate(case, score=rng.choice([3, 4, 4, 5, 5]), now=closes_at + timedelta(days=1))
    services.escalate_overdue(now=now)


def _assistance(ctx: DemoContext, now_day: date) -> None:
    province = ctx.data["province"]
    region = province.region
    centre = ctx.data["centre"]
    officer = ctx.data.get("rights_region_officer")
    year = fiscal_year(now_day)
    for fy in (year - 1, year):
        assistance.allocate_reserve(actor=officer, fiscal_year=fy, region=region, amount=Decimal("3000000.00"),
                                    on=date(fy - 544, 10, 1), note="กันเงินร้อยละ 1 ตามมาตรา 41")
    units = sorted(ctx.data["hospitals"].values(), key=lambda u: u.code)
    plans = [  # (days ago received, category, amount, final step)
        (300, "death", "400000.00", "paid"), (250, "organ", "240000.00", "paid"), (210, "injury", "80000.00", "paid"),
        (180, "injury", "50000.00", "appeal_paid"), (150, "", "", "rejected"), (120, "organ", "150000.00", "paid"),
        (60, "injury", "100000.00", "approved"), (40, "death", "300000.00", "complete"), (20, "", "", "received"),
        (10, "injury", "60000.00", "received"),
    ]
    for i, (ago, category, amount, step) in enumerate(plans):
        received = now_day - timedelta(days=ago)
        unit = units[i % len(units)]
        req = assistance.file_request(
            actor=officer, region=region, centre=centre, requester_kind="heir" if category == "death" else "injured",
            requester_name=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}",
            injured_name=f"{FIRST[(i + 3) % len(FIRST)]} {LAST[(i + 2) % len(LAST)]}", unit=unit,
            incident_on=received - timedelta(days=20), known_on=received - timedelta(days=10), received_on=received,
            description="ได้รับความเสียหายจากการรับบริการ" + (" (คลอดบุตร)" if i % 3 == 0 else ""))
        if step == "received" and i % 2 == 0:
            continue
        assistance.add_evidence(req, actor=officer, kind="เวชระเบียน", description="สำเนาเวชระเบียน",
                                received_on=received + timedelta(days=3))
        if step == "received":
            continue
        assistance.mark_complete(req, actor=officer, on=received + timedelta(days=7))
        if step == "complete":
            continue
        decided = received + timedelta(days=25)
        first_amount = "30000.00" if step == "appeal_paid" else amount
        assistance.decide(req, actor=officer, approved=step != "rejected", decided_on=decided,
                          committee="คณะอนุกรรมการพิจารณาวินิจฉัยเงินช่วยเหลือเบื้องต้น เขต 1",
                          reason="เข้าเกณฑ์ความเสียหาย" if step != "rejected" else "เป็นไปตามพยาธิสภาพของโรค",
                          category=category, amount=first_amount or None)
        if step in ("rejected", "approved"):
            continue
        assistance.pay(req, actor=officer, paid_on=decided + timedelta(days=7), reference=f"TRF{6900 + i}")
        if step == "appeal_paid":
            assistance.appeal(req, actor=officer, filed_on=decided + timedelta(days=20), reason="ค่าเสียหายไม่เพียงพอ")
            assistance.decide(req, actor=officer, approved=True, decided_on=decided + timedelta(days=45),
                              committee="คณะกรรมการควบคุมคุณภาพและมาตรฐานบริการสาธารณสุข",
                              reason="อุทธรณ์ฟังขึ้น", category=category, amount=amount)
            assistance.pay(req, actor=officer, paid_on=decided + timedelta(days=50), reference=f"TRF{6950 + i}")


def _participation(ctx: DemoContext, now_day: date) -> None:
    rng = ctx.rng("rights.participation")
    province = ctx.data["province"]
    centre = ctx.data["centre"]
    networks = ctx.data["networks"]
    first = now_day - timedelta(days=90)
    training = participation.create_activity(
        actor=None, kind="training", title="อบรมแกนนำเครือข่ายภาคประชาชนรุ่นใหม่ด้านการคุ้มครองสิทธิ",
        starts_on=first, ends_on=first + timedelta(days=1), place="หอประชุมจังหวัดพะเยา", region=province.region,
        centre=centre)
    for i in range(30):
        p = participation.add_participant(training, actor=None, name=f"{FIRST[i % len(FIRST)]} {LAST[i % len(LAST)]}",
                                          network=networks[i % len(networks)], is_new_leader=True)
        for day in range(2 if i < 28 else 1):
            participation.record_attendance(p, actor=None, day=training.starts_on + timedelta(days=day))
    workshop_start = now_day - timedelta(days=45)
    workshop = participation.create_activity(
        actor=None, kind="workshop", title="International workshop: people's participation in universal coverage",
        starts_on=workshop_start, ends_on=workshop_start + timedelta(days=2), place="Phayao", region=province.region,
        centre=centre, is_international=True)
    for i in range(22):
        country = COUNTRIES[i % len(COUNTRIES)]
        p = participation.add_participant(workshop, actor=None, name=f"Participant {i + 1:02d}", country=country,
                                          organisation="Ministry of Health" if country != "TH" else "NHSO Region 1")
        for day in range(3):
            if rng.random() < 0.93:
                participation.record_attendance(p, actor=None, day=workshop.starts_on + timedelta(days=day))
    year = fiscal_year(now_day)
    topics = [("สิทธิประโยชน์", "ขอให้ขยายสิทธิการฟอกไตทางหน้าท้องในพื้นที่ห่างไกล"),
              ("การเข้าถึงบริการ", "การส่งต่อผู้ป่วยจาก รพ.สต. ใช้เวลานาน"),
              ("การเงินการคลัง", "ขอให้ปรับอัตราเหมาจ่ายรายหัวตามต้นทุนจริง"),
              ("การมีส่วนร่วม", "ขอให้มีผู้แทนกลุ่มชาติพันธุ์ในคณะกรรมการกองทุนท้องถิ่น"),
              ("คุณภาพบริการ", "ยาเบาหวานขาดบ่อยที่ รพ.สต."), ("การคุ้มครองสิทธิ", "ขอช่องทางร้องเรียนภาษาชาติพันธุ์")]
    for fy, ago in ((year - 1, 400), (year, 30)):
        hearing = participation.record_hearing(actor=None, fiscal_year=fy, region=province.region,
                                               held_on=now_day - timedelta(days=ago), place="โรงแรมในจังหวัดพะเยา",
                                               beneficiaries=180, providers=95)
        for j, (topic, text) in enumerate(topics):
            issue = participation.raise_issue(hearing, actor=None, topic=topic, text=text,
                                              raised_by=networks[j % len(networks)].name_th)
            if fy < year or j < 4:
                participation.answer_issue(issue, actor=None, answer="รับไปพิจารณาในการจัดทำประกาศปีถัดไป",
                                           answered_on=hearing.held_on + timedelta(days=60), answered_by="สปสช. เขต 1")


def load_work(ctx: DemoContext) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    ctx.data["rights_staff"] = users.filter(profile__role="centre").order_by("id").first()
    ctx.data["rights_region_officer"] = users.filter(profile__role="regional").order_by("id").first()
    now = timezone.now()
    _cases(ctx, now)
    _assistance(ctx, today())
    _participation(ctx, today())


# the centres before the logins (ORDER 90, which give centre staff their centre); the work after them
STEPS = [(40, load_centres), (95, load_work)]
ORDER = 40
load = load_centres
