"""Demo: the demo province's area health governance, built through the services and laid out around today (the
month the demo is loaded), so that terms end soon, an open call runs and the register has recent updates
whenever the demo is loaded.

- the PAO's provincial health committee (names published), one year of meetings (one without a quorum, the
  matter reconvened with a third), minutes and resolutions; the assembly organising committee; the region's
  area health board;
- the PAO's local health strategic plan, adopted by the committee, whose indicators read the demo's KPIs
  (monitoring rounds are recorded after the analytics store is filled);
- last year's provincial assembly with proposals screened, drafts amended, resolutions adopted and followed
  clause by clause (every status), sent to the minister and agencies; this year's assembly with its call open.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, today
from openuhc.demo.loader import DEMO_PASSWORD, DemoContext
from openuhc.governance import assembly as A
from openuhc.governance import bodies as B
from openuhc.governance import plans as PL
from openuhc.governance.models import (
    Agency,
    BodyType,
    ClauseComment,
    ClauseStatus,
    Indicator,
    Member,
    Phase,
    Proposal,
    Secretariat,
    StrategicPlan,
)

S, R = Member.Sector, Member.Role
COMMITTEE = [  # name, role, sector, seat, organisation
    ("นายวิรัตน์ พรหมสุข", R.CHAIR, S.STATE, "นายกองค์การบริหารส่วนจังหวัด", "อบจ."),
    ("นพ.สมเกียรติ ใจกว้าง", R.VICE_CHAIR, S.STATE, "นายแพทย์สาธารณสุขจังหวัด", "สำนักงานสาธารณสุขจังหวัด"),
    ("นางกาญจนา ศรีเมือง", R.MEMBER, S.STATE, "ผู้แทน สปสช. เขต 1", "สปสช. เขต 1 เชียงใหม่"),
    ("นายบุญมา ทองคำ", R.MEMBER, S.STATE, "ผู้แทนนายกเทศมนตรี", "เทศบาลเมือง"),
    ("นายสุรชัย แก้วมา", R.MEMBER, S.STATE, "ผู้แทนนายก อบต.", "อบต."),
    ("ผศ.ดร.วิไลวรรณ คำแสน", R.MEMBER, S.ACADEMIC, "ผู้ทรงคุณวุฒิด้านสาธารณสุข", "มหาวิทยาลัยพะเยา"),
    ("นพ.ธนากร วงศ์ดี", R.MEMBER, S.ACADEMIC, "ผู้แทนผู้อำนวยการโรงพยาบาล", "โรงพยาบาลจังหวัด"),
    ("นางสาวอรุณี ปัญญาดี", R.MEMBER, S.PEOPLE, "ผู้แทนเครือข่ายสมัชชาสุขภาพจังหวัด", "เครือข่ายสมัชชาสุขภาพ"),
    ("นายคำปัน อินต๊ะ", R.MEMBER, S.PEOPLE, "ผู้แทน อสม.", "ชมรม อสม. จังหวัด"),
    ("นางจันทร์เพ็ญ ยะเขียว", R.MEMBER, S.PEOPLE, "ผู้แทนเครือข่ายผู้สูงอายุ", "ชมรมผู้สูงอายุจังหวัด"),
    ("นายประเสริฐ ดวงดี", R.MEMBER, S.PEOPLE, "ผู้แทนคนพิการ", "สมาคมคนพิการจังหวัด"),
    ("นางสาวมาลี สุขใจ", R.MEMBER, S.PEOPLE, "ผู้แทนเยาวชน", "สภาเด็กและเยาวชนจังหวัด"),
    ("นายทองดี คำมา", R.SECRETARY, S.STATE, "ผู้อำนวยการกองสาธารณสุข อบจ.", "อบจ."),
]
ORGANISERS = [("นางสาวอรุณี ปัญญาดี", R.CHAIR, S.PEOPLE), ("นายสุริยา ศรีวงศ์", R.VICE_CHAIR, S.STATE),
              ("ดร.อำไพ ใจงาม", R.MEMBER, S.ACADEMIC), ("นายวันเพ็ญ คำปัน", R.MEMBER, S.PEOPLE),
              ("นางบุญเรือง ปัญญา", R.MEMBER, S.PEOPLE), ("นายทองสุข มีสุข", R.MEMBER, S.STATE),
              ("นางสาวเพ็ญศรี วงศ์ใหญ่", R.SECRETARY, S.STATE)]
AGENDAS = ["เรื่องที่ประธานแจ้งให้ที่ประชุมทราบ", "รับรองรายงานการประชุมครั้งที่แล้ว", "เรื่องสืบเนื่อง",
           "เรื่องเพื่อพิจารณา", "เรื่องอื่น ๆ"]
RESOLUTIONS = ["เห็นชอบกรอบแผนยุทธศาสตร์ระบบสุขภาพระดับพื้นที่ และมอบฝ่ายเลขานุการยกร่าง",
               "เห็นชอบแผนยุทธศาสตร์ระบบสุขภาพระดับพื้นที่ อบจ.",
               "เห็นชอบจัดสรรงบประมาณพัฒนา รพ.สต. ที่ถ่ายโอนตามแผนปฏิบัติการ",
               "เห็นชอบหลักสูตรอบรมบุคลากรสุขภาพท้องถิ่นแบบองค์รวม",
               "รับข้อเสนอจากเวทีสมัชชาสุขภาพจังหวัดไปจัดทำแผนปฏิบัติการ"]


def _day(days: int) -> date:
    return today() + timedelta(days=days)


def minutes_pdf(title: str) -> bytes:
    """A one-page PDF (ASCII title) standing in for signed minutes."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def load(ctx: DemoContext) -> None:
    ctx.progress.stage("area health governance", None)
    rng = ctx.rng("governance")
    province, pao = ctx.data["province"], ctx.data["pao"]
    types = {t.code: t for t in BodyType.objects.all()}
    secretariat = Secretariat.objects.create(code=f"SEC-{province.code}", province=province,
                                             name_th=f"ฝ่ายเลขานุการคณะกรรมการสุขภาพจังหวัด{province.name_th}",
                                             name_en=f"{province.name_en} health committees' secretariat")
    number = province.region.number
    region_office = Secretariat.objects.create(code=f"SEC-R{number}", region=province.region,
                                               name_th=f"สำนักงานเลขานุการ กขป. เขต {number}",
                                               name_en=f"Area health board secretariat, region {number}")
    for username, role, scope, first, last in [
            ("secretariat", Role.SECRETARIAT, {"secretariat": secretariat}, "ปวีณา", "ศรีสวัสดิ์"),
            ("pao", Role.PAO, {"local_government": pao}, "ณัฐพล", "คำดี")]:
        create_user(username=username, password=DEMO_PASSWORD, role=role, first_name=first, last_name=last, **scope)
        ctx.logins.append((username, role, str(scope[next(iter(scope))])))
    actor = None
    start = _day(-700)
    committee = B.create_body(actor=actor, secretariat=secretariat, body_type=types["pao_health"],
                              code=f"PHC-{province.code}", name_th=f"คณะกรรมการสุขภาพจังหวัด{province.name_th}",
                              name_en=f"{province.name_en} Provincial Health Committee", local_government=pao,
                              appointing_order=f"คำสั่ง{pao.name_th} ที่ 1250/{fiscal_year(start)}",
                              appointed_on=start, publish_names=True)
    members = []
    for i, (name, role, sector, seat, organisation) in enumerate(COMMITTEE):
        # two people's seats were filled later and end soon: the page warns about them
        begins, ends = (start, start + timedelta(days=4 * 365)) if i not in (10, 11) else (_day(-500), _day(45))
        members.append(B.appoint_member(actor=actor, body=committee, name=name, role=role, sector=sector, seat=seat,
                                        organisation=organisation, term_start=begins, term_end=ends))
    B.member_leaves(actor=actor, member=members[4], left_on=_day(-150), reason="ย้ายไปดำรงตำแหน่งอื่น")
    organiser = B.create_body(actor=actor, secretariat=secretariat, body_type=types["assembly_organising"],
                              code=f"ORG-{province.code}", province=province,
                              name_th=f"คณะกรรมการจัดสมัชชาสุขภาพจังหวัด{province.name_th}",
                              name_en=f"{province.name_en} Provincial Health Assembly Organising Committee",
                              appointing_order=f"คำสั่งจังหวัด{province.name_th} ที่ 88/{fiscal_year(start)}",
                              appointed_on=start)
    organisers = [B.appoint_member(actor=actor, body=organiser, name=n, role=r, sector=s, term_start=start,
                                   term_end=start + timedelta(days=3 * 365)) for n, r, s in ORGANISERS]
    board = B.create_body(actor=actor, secretariat=region_office, body_type=types["area_health_board"],
                          code=f"AHB-R{province.region.number}", region=province.region,
                          name_th=f"คณะกรรมการเขตสุขภาพเพื่อประชาชน เขต {province.region.number}",
                          name_en=f"Area Health Board for the People, region {province.region.number}")
    for i, sector in enumerate([S.STATE, S.ACADEMIC, S.PEOPLE] * 3):
        B.appoint_member(actor=actor, body=board, name=f"กรรมการ กขป. {i + 1}", role=R.CHAIR if i == 0 else R.MEMBER,
                         sector=sector, term_start=_day(-400), term_end=_day(4 * 365 - 400))
    resolutions = _meetings(ctx, rng, committee, members)
    for days in (-300, -240, -90):
        B.record_meeting(actor=actor, body=organiser, held_on=_day(days), agenda=AGENDAS[:1] + AGENDAS[3:4],
                         attendees=[m for m in organisers if rng.random() < 0.85])
    plan = _plan(ctx, rng, pao, resolutions[1])
    _assemblies(ctx, rng, organiser, plan)
    ctx.data.update(governance_plan=plan, governance_committee=committee)


def _meetings(ctx: DemoContext, rng: Any, committee: Any, members: list[Member]) -> list[Any]:
    """A year of meetings about every two months; the third lacked a quorum and its matter was taken up again
    ten days later with a third of the members (the notice said so)."""
    resolutions = []
    failed = None
    for number, days in enumerate((-350, -290, -230, -220, -160, -100, -30)):
        on = _day(days)
        in_office = [m for m in members if m.in_office_on(on)]
        if number == 2:
            present = in_office[:4]
            failed = B.record_meeting(actor=None, body=committee, held_on=on, agenda=AGENDAS, attendees=present)
            continue
        reconvene = {"reconvenes": failed, "notice_reduced_quorum": True} if number == 3 else {}
        # most come: up to three send apologies, so the quorum (half) is always met
        absent = set(rng.sample(range(len(in_office)), rng.randint(0, 3)))
        present = in_office[:5] if number == 3 else [m for i, m in enumerate(in_office) if i not in absent]
        meeting = B.record_meeting(actor=None, body=committee, held_on=on, agenda=AGENDAS, attendees=present,
                                   place="ห้องประชุม อบจ.", **reconvene)
        text = RESOLUTIONS[min(len(resolutions), len(RESOLUTIONS) - 1)]
        resolutions.append(B.add_resolution(actor=None, meeting=meeting, text=text,
                                            item=meeting.items.get(number=4)))
        upload = SimpleUploadedFile("minutes.pdf", minutes_pdf(f"Minutes {meeting.number}/{meeting.year}"),
                                    content_type="application/pdf")
        B.file_minutes(actor=None, meeting=meeting, upload=upload, public=number % 2 == 0)
    return resolutions


INDICATORS = [  # strategy, goal, indicator, unit, kpi, direction, baseline, targets by year offset
    ("ระบบบริการปฐมภูมิใน รพ.สต. ที่ถ่ายโอนเข้มแข็ง", "ประชาชนเข้าถึงบริการปฐมภูมิใกล้บ้าน",
     "อัตราการใช้บริการผู้ป่วยนอกต่อคนต่อปี", "ครั้ง/คน/ปี", "op_visits_per_py", "up", "3.1", ["3.2", "3.4", "3.6", "3.8"]),
    (None, None, "ความครอบคลุมสิทธิหลักประกันสุขภาพ", "%", "coverage_rate", "up", "98.5", ["99", "99.2", "99.5", "99.5"]),
    (None, "รพ.สต. ที่ถ่ายโอนได้มาตรฐาน", "รพ.สต. ที่ผ่านเกณฑ์ รพ.สต.ติดดาว", "แห่ง", "", "up", "4", ["6", "9", "12", "14"]),
    ("สร้างเสริมสุขภาพและป้องกันโรคร่วมกับกองทุนสุขภาพตำบล", "ลดการนอนโรงพยาบาลที่ป้องกันได้",
     "อัตราการนอนโรงพยาบาลต่อประชากร 1,000 คน", "ต่อ 1,000 คน-ปี", "admissions_per_1000", "down", "95",
     ["92", "90", "88", "85"]),
    (None, None, "ผู้สูงอายุได้รับการคัดกรองสุขภาพ", "%", "", "up", "72", ["75", "80", "85", "90"]),
    ("การมีส่วนร่วมของประชาชนและการคุ้มครองสิทธิ", "เรื่องร้องเรียนได้รับการแก้ไขทันเวลา",
     "เรื่องร้องเรียนปิดได้ภายในกำหนด", "%", "complaints_on_time", "up", "80", ["85", "88", "90", "92"]),
]
PROJECTS = [("พัฒนา รพ.สต. ที่ถ่ายโอนสู่ รพ.สต.ติดดาว", "กองสาธารณสุข อบจ.", 3, "2850000.00"),
            ("ทีมหมอครอบครัวเยี่ยมบ้านผู้สูงอายุติดบ้านติดเตียง", "กองสาธารณสุข อบจ. ร่วมกับ รพ.สต.", 5, "1200000.00"),
            ("อบรมบุคลากรสุขภาพท้องถิ่นแบบองค์รวม", "กองสาธารณสุข อบจ.", 1, "480000.00"),
            ("เวทีสมัชชาสุขภาพและประชาคมรายอำเภอ", "สำนักงานเลขานุการสมัชชาสุขภาพจังหวัด", 6, "350000.00")]


def _plan(ctx: DemoContext, rng: Any, pao: Any, adopting: Any) -> StrategicPlan:
    first = fiscal_year(today()) - 1
    plan = PL.create_plan(actor=None, title_th=f"แผนยุทธศาสตร์ระบบสุขภาพระดับพื้นที่ {pao.name_th}",
                          title_en=f"{pao.name_en} local health system strategic plan", first_year=first,
                          last_year=first + 3, local_government=pao,
                          summary="ระบบสุขภาพปฐมภูมิที่ประชาชนมีส่วนร่วม ดูแลใกล้บ้าน ใกล้ใจ")
    strategy = goal = None
    goals = {}
    for i, (s_title, g_title, name, unit, kpi, direction, baseline, targets) in enumerate(INDICATORS, start=1):
        if s_title:
            strategy = PL.add_strategy(actor=None, plan=plan, title=s_title)
        if g_title:
            goal = PL.add_goal(actor=None, strategy=strategy, title=g_title)
        goals[i] = goal
        indicator = PL.add_indicator(actor=None, goal=goal, name=name, unit=unit, kpi_code=kpi, direction=direction,
                                     baseline=baseline, baseline_year=first - 1)
        for year, value in zip(plan.years, targets, strict=True):
            PL.set_target(actor=None, indicator=indicator, year=year, value=value)
    units = list(PL.own_units(plan).order_by("code"))
    for title, owner, goal_of, amount in PROJECTS:
        chosen = rng.sample(units, min(len(units), rng.randint(2, 5))) if units and goal_of in (3, 5) else []
        project = PL.add_project(actor=None, plan=plan, title=title, owner=owner, goal=goals[goal_of], units=chosen)
        for offset, year in enumerate(plan.years):
            PL.set_budget(actor=None, project=project, year=year, source="งบประมาณ อบจ.",
                          amount=(Decimal(amount) * (1 + Decimal(offset) / 10)).quantize(Decimal("0.01")))
        if goal_of == 5:
            PL.set_budget(actor=None, project=project, year=first, source="กองทุนหลักประกันสุขภาพ อบจ.",
                          amount="250000.00")
    PL.adopt_plan(actor=None, plan=plan, resolution=adopting)
    return plan


def record_rounds(ctx: DemoContext) -> None:
    """After the analytics store is filled: last year's year-end round and this year's latest round."""
    plan = ctx.data.get("governance_plan")
    if plan is None:
        return
    rng = ctx.rng("governance-rounds")
    manual = {i.pk: i for i in Indicator.objects.filter(goal__strategy__plan=plan, kpi_code="")}
    this = fiscal_year(today())
    for year in (this - 1, this):
        start, end = fiscal_year_bounds(year)
        as_of = min(end, today())
        values = {pk: str(Decimal(i.targets.get(year=year).value) * Decimal(rng.choice(["0.9", "0.97", "1.02"])))
                  for pk, i in manual.items()}
        PL.record_round(actor=None, plan=plan, year=year, as_of=as_of, values=values,
                        note="ติดตามรอบสิ้นปีงบประมาณ" if as_of == end else "ติดตามรอบล่าสุด")


def _assemblies(ctx: DemoContext, rng: Any, organiser: Any, plan: StrategicPlan) -> None:
    this = fiscal_year(today())
    province = ctx.data["province"]
    last = A.create_cycle(actor=None, body=organiser, code=f"PHA-{province.code}-{this - 1}", year=this - 1,
                          title_th=f"สมัชชาสุขภาพจังหวัด{province.name_th} ประจำปี {this - 1}",
                          title_en=f"{province.name_en} Provincial Health Assembly {this - 1}",
                          phases={Phase.Kind.CALL: (_day(-330), _day(-300)),
                                  Phase.Kind.SCREENING: (_day(-299), _day(-285)),
                                  Phase.Kind.DRAFTING: (_day(-284), _day(-260)),
                                  Phase.Kind.CONSULTATION: (_day(-259), _day(-245)),
                                  Phase.Kind.ASSEMBLY: (_day(-240), _day(-239)),
                                  Phase.Kind.FOLLOW_UP: (_day(-238), _day(127))})
    groups = [A.add_constituency(actor=None, cycle=last, name=n, sector=s) for n, s in [
        ("กลุ่มหน่วยงานภาครัฐ", S.STATE), ("กลุ่มองค์กรปกครองส่วนท้องถิ่น", S.STATE),
        ("กลุ่มวิชาการและวิชาชีพ", S.ACADEMIC), ("กลุ่มเครือข่ายภาคประชาชน", S.PEOPLE),
        ("กลุ่มเด็ก เยาวชน และสตรี", S.PEOPLE)]]
    issues = [
        ("การดูแลผู้สูงอายุติดบ้านติดเตียงในพื้นที่ห่างไกล", "เครือข่ายผู้สูงอายุจังหวัด", "network", True,
         ["ให้ อบจ. จัดทีมหมอครอบครัวเยี่ยมบ้านผู้สูงอายุติดเตียงทุกตำบล",
          "ให้ สปสช. เขต สนับสนุนงบประมาณการดูแลระยะยาวผ่านกองทุนหลักประกันสุขภาพ",
          "ให้สำนักงานสาธารณสุขจังหวัดพัฒนาระบบข้อมูลผู้สูงอายุร่วมกับ รพ.สต."]),
        ("บุคลากรสุขภาพใน รพ.สต. ที่ถ่ายโอนไม่เพียงพอ", "สมาพันธ์หมออนามัย", "network", True,
         ["ให้ อบจ. จัดทำแผนอัตรากำลังบุคลากร รพ.สต. ที่ถ่ายโอน", "ให้จัดอบรมบุคลากรสุขภาพท้องถิ่นแบบองค์รวม"]),
        ("ฝุ่นควันจากการเผาในที่โล่ง", "เครือข่ายเกษตรกรสุขภาพดี", "network", False,
         ["ให้ทุกท้องถิ่นมีแผนจัดการเชื้อเพลิงในพื้นที่เกษตร"]),
        ("ทางลาดสำหรับคนพิการที่ รพ.สต.", "ประชาชน", "citizen", None, []),
        ("อาหารปลอดภัยในโรงเรียน", "เครือข่ายเด็กและเยาวชน", "network", None, []),
    ]
    for number, (title, who, kind, fate, clauses) in enumerate(issues):
        proposal = A.submit_proposal(actor=None, cycle=last, title=title, problem=f"สภาพปัญหา: {title}",
                                     evidence="ข้อมูลจากเวทีประชาคมรายอำเภอและรายงานสถานการณ์สุขภาพจังหวัด",
                                     proposer_name=who, proposer_kind=kind, received_on=_day(-320 + number),
                                     channel=Proposal.Channel.PUBLIC if kind == "citizen" else Proposal.Channel.STAFF)
        accept = fate is not None
        scores = {c.code: rng.randint(3, 5) if accept else rng.randint(1, 3) for c in A.criteria(today())}
        A.screen(actor=None, proposal=proposal, scores=scores, accept=accept, answered_on=_day(-290),
                 answer="รับเป็นระเบียบวาระการประชุมสมัชชา" if accept else
                 "ส่งต่อให้หน่วยงานที่เกี่ยวข้องพิจารณาโดยตรง เนื่องจากอยู่ในอำนาจของหน่วยงานอยู่แล้ว")
        if not accept:
            continue
        draft = A.create_draft(actor=None, proposal=proposal, title=title, clauses=clauses,
                               preamble="สมัชชาสุขภาพจังหวัด ได้พิจารณารายงานเรื่องนี้แล้ว")
        first = draft.clauses.get(number=1)
        A.comment(actor=None, clause=first, constituency=groups[0], kind=ClauseComment.Kind.COMMENT,
                  text="เห็นด้วยในหลักการ")
        amendment = A.comment(actor=None, clause=first, constituency=groups[3], kind=ClauseComment.Kind.AMENDMENT,
                              text="ให้กำหนดกรอบเวลาให้ชัดเจน", proposed_text=f"{first.text} ภายในปีงบประมาณถัดไป")
        A.decide_amendment(actor=None, amendment=amendment, accepted=fate is True, note="ที่ประชุมเห็นพ้อง")
        if fate:
            resolution = A.adopt(actor=None, draft=draft, adopted_on=_day(-240))
            _follow(rng, resolution, plan)
        else:
            A.not_adopted(actor=None, draft=draft, on=_day(-240), reason="ที่ประชุมเห็นควรให้ศึกษาข้อมูลเพิ่มเติม")
    current = A.create_cycle(actor=None, body=organiser, code=f"PHA-{province.code}-{this}", year=this,
                             title_th=f"สมัชชาสุขภาพจังหวัด{province.name_th} ประจำปี {this}",
                             title_en=f"{province.name_en} Provincial Health Assembly {this}",
                             phases={Phase.Kind.CALL: (_day(-20), _day(25)), Phase.Kind.SCREENING: (_day(26), _day(40)),
                                     Phase.Kind.ASSEMBLY: (_day(90), _day(91))})
    for days, (title, who, kind) in enumerate([("น้ำดื่มสะอาดในโรงเรียน", "สภาเด็กและเยาวชนจังหวัด", "network"),
                                               ("ไฟส่องทางเข้าหมู่บ้านเพื่อรถฉุกเฉิน", "ประชาชน", "citizen"),
                                               ("สุขภาพจิตผู้สูงอายุที่อยู่ลำพัง", "ชมรมผู้สูงอายุ", "network")]):
        A.submit_proposal(actor=None, cycle=current, title=title, problem=f"สภาพปัญหา: {title}",
                          evidence="ข้อมูลจากการสำรวจในชุมชน", proposer_name=who, proposer_kind=kind,
                          received_on=_day(-18 + days * 5),
                          channel=Proposal.Channel.PUBLIC if kind == "citizen" else Proposal.Channel.STAFF)


def _follow(rng: Any, resolution: Any, plan: StrategicPlan) -> None:
    """Owners, links and dated updates for each clause, so the register shows every status."""
    agencies = {a.code: a for a in Agency.objects.all()}
    projects = list(plan.projects.order_by("number"))
    paths = [[(ClauseStatus.IN_PROGRESS, 30), (ClauseStatus.IN_PROGRESS, 60), (ClauseStatus.DONE, 100)],
             [(ClauseStatus.IN_PROGRESS, 20), (ClauseStatus.DELAYED, 25)],
             [(ClauseStatus.IN_PROGRESS, 40)], [], [(ClauseStatus.DROPPED, 10)]]
    for clause in resolution.clauses.order_by("number"):
        owners = [agencies[c] for c in rng.sample(["MOPH", "NHSO", "DLA", "NHCO"], 2)]
        project = projects[(resolution.number + clause.number) % len(projects)]
        A.assign_clause(actor=None, clause=clause, agencies=owners, project=project,
                        budget=str(project.budgets.order_by("year").first().amount), budget_source="งบประมาณ อบจ.")
        # the first resolution has three clauses: together the clauses take every path once
        path = paths[((resolution.number - 1) * 3 + clause.number - 1) % len(paths)]
        for step, (status, progress) in enumerate(path):
            clause.refresh_from_db()
            A.update_clause(actor=None, clause=clause, on=_day(-200 + step * 60 + clause.number), status=status,
                            progress=progress, note=f"รายงานความก้าวหน้าครั้งที่ {step + 1}")
    A.refer(actor=None, resolution=resolution, agency=agencies["MIN-MOPH"], sent_on=_day(-230),
            letter=f"สมัชชา {resolution.reference}")
    referral = A.refer(actor=None, resolution=resolution, agency=agencies["NHSO"], sent_on=_day(-230))
    if resolution.number == 1:
        A.record_reply(actor=None, referral=referral, reply="สปสช. เขต 1 บรรจุในแผนการสนับสนุนกองทุนปีถัดไป",
                       replied_on=_day(-180))


# after the logins and the rights work (ORDER 95); the rounds after the analytics store is filled (900)
STEPS = [(96, load), (950, record_rounds)]
