"""Demo: a local health security fund for every municipality and sub-district organisation of the demo
province, with two fiscal years of history (FY2568 closed and carried over, FY2569 under way): committee,
meetings, health plan, income (national transfer per head, co-funding, interest, LTC), and projects at every
step of their lifecycle.

For speed the rows are written with bulk_create rather than one service call per step; the amounts follow
the same rules as the services (rate per head, co-funding table, caps, never paying beyond the balance), and
tests/test_demo.py checks the result against the services' own invariants.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from openuhc.core import params
from openuhc.core.dates import fiscal_year_bounds
from openuhc.core.money import baht
from openuhc.demo.loader import DemoContext
from openuhc.geo.models import LocalGovernment
from openuhc.localfund import params as P
from openuhc.localfund.models import (
    Account,
    BudgetLine,
    CommitteeMember,
    Disbursement,
    Fund,
    FundYear,
    HealthPlan,
    Income,
    LedgerEntry,
    Meeting,
    PlanTarget,
    ProgressReport,
    Project,
    ProjectEvent,
    Resolution,
)

ORDER = 40


def demo_years(anchor: date) -> tuple[int, int]:
    """The two fiscal years the demo funds hold: the earlier one closed and carried over, the later one still open.
    The later one is the last year whose demo events (up to mid-August) are all before the demo's month: the
    anchor's year when the anchor is its last month, otherwise the year before (its books not yet closed)."""
    from openuhc.core.dates import fiscal_year

    _start, end = fiscal_year_bounds(fiscal_year(anchor))
    later = fiscal_year(anchor) if anchor.month == end.month else fiscal_year(anchor) - 1
    return later - 1, later

TITLES = {
    "1": ["คัดกรองเบาหวานความดันโลหิตสูงเชิงรุก", "เยี่ยมบ้านผู้ป่วยติดเตียง", "ฝากครรภ์คุณภาพ"],
    "2": ["ออกกำลังกายผู้สูงอายุ", "ชุมชนปลอดลูกน้ำยุงลาย", "ลดหวานมันเค็มในครัวเรือน", "อสม.นักจัดการสุขภาพ"],
    "3": ["อาหารกลางวันเสริมสุขภาพศูนย์เด็กเล็ก", "โรงเรียนผู้สูงอายุ"],
    "4": ["ประชุมคณะกรรมการกองทุน", "อบรมพัฒนาศักยภาพคณะกรรมการ"],
    "5": ["ป้องกันไข้เลือดออกระบาด", "ควบคุมโรคติดต่อในชุมชน"],
    "ltc": ["บริการดูแลระยะยาวสำหรับผู้มีภาวะพึ่งพิง"],
}
PROPOSERS = {"1": ("health_unit", "โรงพยาบาลส่งเสริมสุขภาพตำบล"), "2": ("community", "ชมรมอาสาสมัครสาธารณสุข"),
             "3": ("centre", "ศูนย์พัฒนาเด็กเล็ก"), "4": ("fund_office", "สำนักงานกองทุน"),
             "5": ("health_unit", "โรงพยาบาลส่งเสริมสุขภาพตำบล"), "ltc": ("health_unit", "ศูนย์ดูแลระยะยาว")}
GROUPS = {"1": "chronic", "2": "working_age", "3": "mother_child", "5": "environment", "ltc": "disabled", "4": "other"}
MEMBER_ROLES = ["chair", "vice_chair", "vice_chair", "council", "council", "unit_head", "volunteer", "volunteer",
                "community", "community", "secretary", "adviser"]
FIRST = ["สมศักดิ์", "สมพร", "บุญเรือน", "ประเสริฐ", "มาลี", "สุนทร", "จันทร์เพ็ญ", "วิไล", "ทองดี", "คำปัน"]
LAST = ["ใจงาม", "ศรีวงศ์", "คำมา", "อินทร์แก้ว", "ปัญญา", "ธรรมใจ", "บุญมี", "แก้วมูล"]


def _day(year: int, month: int, day: int) -> date:
    start, _end = fiscal_year_bounds(year)
    return date(start.year if month >= start.month else start.year + 1, month, day)


def _populations(province: Any, on: date) -> Counter:
    from openuhc.registry.models import Person

    alive = Person.objects.filter(subdistrict__district__province=province, birth_date__lte=on).filter(
        Q(death_date__isnull=True) | Q(death_date__gt=on))
    return Counter(dict(alive.values_list("subdistrict").annotate(n=Count("id"))))


class _Book:
    """Collects the rows of one demo run and writes them in a few bulk inserts."""

    def __init__(self) -> None:
        self.ledger: list[LedgerEntry] = []
        self.events: list[ProjectEvent] = []

    def post(self, fund: Fund, year: int, account: str, amount: Decimal, kind: str, on: date, memo: str = "",
             **refs: Any) -> None:
        self.ledger.append(LedgerEntry(fund=fund, year=year, account=account, amount=amount, kind=kind, entry_date=on,
                                       memo=memo, **refs))


def load(ctx: DemoContext) -> None:
    rng = ctx.rng("localfund")
    ctx.progress.stage("local funds", None)
    tiers = ["small", "medium", "medium", "large"]
    funds = [
        Fund(code=f"L{lg.code}", name_th=f"กองทุนหลักประกันสุขภาพ{lg.name_th}",
             name_en=f"Local Health Security Fund, {lg.name_en}", local_government=lg,
             cofunding_tier=rng.choice(tiers) if lg.kind == LocalGovernment.Kind.SAO else "",
             bank_name="ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร", bank_account_no=f"0{rng.randrange(10**9):09d}",
             bank_account_name=f"กองทุนหลักประกันสุขภาพ{lg.name_th}")
        for lg in ctx.data["local_governments"] if lg.kind != LocalGovernment.Kind.PAO
    ]
    Fund.objects.bulk_create(funds)
    funds = list(Fund.objects.filter(local_government__province=ctx.data["province"])
                 .select_related("local_government").prefetch_related("local_government__subdistricts")
                 .order_by("code"))
    ctx.data["funds"] = funds
    if not funds:
        return

    # Committee: one four-year term covering both years.
    years = ctx.data["localfund_years"] = demo_years(ctx.anchor)
    term_start = fiscal_year_bounds(years[0])[0]
    term_end = fiscal_year_bounds(years[0] + 3)[1]
    members = []
    for fund in funds:
        for i, role in enumerate(MEMBER_ROLES):
            members.append(CommitteeMember(
                fund=fund, name=f"{rng.choice(FIRST)} {rng.choice(LAST)}", role=role, is_voting=role != "adviser",
                organisation="" if i % 3 else fund.local_government.name_th,
                term_start=term_start, term_end=term_end))
    CommitteeMember.objects.bulk_create(members)
    by_fund: dict[int, list[CommitteeMember]] = {}
    for m in members:
        by_fund.setdefault(m.fund_id, []).append(m)

    book = _Book()
    carry: dict[tuple[int, str], Decimal] = {}
    for year in years:
        _load_year(ctx, rng, book, funds, by_fund, year, carry)
        if year != years[-1]:
            end, next_start = fiscal_year_bounds(year)[1], fiscal_year_bounds(year + 1)[0]
            sums: dict[tuple[int, str], Decimal] = {}
            for e in book.ledger:
                if e.year == year:
                    sums[(e.fund.pk, e.account)] = sums.get((e.fund.pk, e.account), Decimal("0.00")) + e.amount
            for fund in funds:
                for account in Account.values:
                    amount = sums.get((fund.pk, account), Decimal("0.00"))
                    carry[(fund.pk, account)] = amount
                    if amount:
                        book.post(fund, year, account, -amount, LedgerEntry.Kind.CARRY_OUT, end,
                                  f"ยกไปปีงบประมาณ {year + 1}")
                        book.post(fund, year + 1, account, amount, LedgerEntry.Kind.CARRY_IN, next_start,
                                  f"ยกมาจากปีงบประมาณ {year}")
    FundYear.objects.bulk_create(
        [FundYear(fund=f, year=y, status=FundYear.Status.CLOSED if y != years[-1] else FundYear.Status.OPEN)
         for f in funds for y in years])
    LedgerEntry.objects.bulk_create(book.ledger, batch_size=2000)
    ProjectEvent.objects.bulk_create(book.events, batch_size=2000)


def _load_year(ctx: DemoContext, rng: Any, book: _Book, funds: list[Fund], by_fund: dict[int, list[CommitteeMember]],
               year: int, carry: dict[tuple[int, str], Decimal]) -> None:
    start = fiscal_year_bounds(year)[0]
    populations = _populations(ctx.data["province"], start)
    rate = params.get(P.RATE_PER_HEAD.key, on=start)
    ltc_rate = params.get(P.LTC_RATE.key, on=start)
    cofunding = params.get(P.COFUNDING_PERCENT.key, on=start)
    admin_cap = Decimal(str(params.get(P.CATEGORY_CAPS.key, on=start).get("4", "100")))
    current = year == ctx.data["localfund_years"][-1]

    # Meetings: three a year, the quorum met (most members come).
    meetings: list[Meeting] = []
    attendance: list[Any] = []
    for fund in funds:
        voting = [m for m in by_fund[fund.pk] if m.is_voting]
        for number, month in enumerate((11, 2, 6), start=1):
            present = rng.sample(voting, k=len(voting) - rng.randrange(0, 4))
            meetings.append(Meeting(fund=fund, year=year, number=number, held_on=_day(year, month, 15),
                                    agenda="พิจารณาโครงการ รายงานการเงิน", members_in_office=len(voting),
                                    members_present=len(present), quorum_met=True))
            attendance.append(present)
    Meeting.objects.bulk_create(meetings)
    through = Meeting.attendees.through
    through.objects.bulk_create([through(meeting_id=m.pk, committeemember_id=p.pk)
                                 for m, present in zip(meetings, attendance, strict=True) for p in present],
                                batch_size=5000)
    meeting_of = {(m.fund_id, m.number): m for m in meetings}

    # Health plan with a target per group the projects will address.
    plans = HealthPlan.objects.bulk_create([HealthPlan(fund=f, year=year, summary="แผนสุขภาพตำบลจากเวทีประชาคม")
                                            for f in funds])
    targets = PlanTarget.objects.bulk_create([
        PlanTarget(plan=plan, group=group, problem=problem, target=target, indicator=indicator)
        for plan in plans for group, problem, target, indicator in (
            ("chronic", "ผู้ป่วยเบาหวานความดันควบคุมไม่ได้", "กลุ่มเสี่ยงได้รับการคัดกรองร้อยละ 90", "ร้อยละการคัดกรอง"),
            ("elderly", "ผู้สูงอายุติดบ้านติดเตียงเพิ่มขึ้น", "ผู้สูงอายุมีกิจกรรมทางกายสม่ำเสมอ", "จำนวนผู้เข้าร่วม"),
            ("mother_child", "เด็กเล็กมีภาวะทุพโภชนาการ", "เด็กเล็กมีพัฒนาการสมวัยร้อยละ 85", "ร้อยละพัฒนาการสมวัย"),
            ("environment", "ไข้เลือดออกระบาดในฤดูฝน", "ค่าดัชนีลูกน้ำยุงลายต่ำกว่าเกณฑ์", "ค่า HI/CI"))])
    target_of = {(t.plan.fund_id, t.group): t for t in targets}

    # Income.
    incomes: list[Income] = []
    for fund in funds:
        subs = [s.pk for s in fund.local_government.subdistricts.all()]
        population = sum(populations.get(s, 0) for s in subs)
        transfer = baht(rate * population)
        if transfer:
            incomes.append(Income(fund=fund, year=year, kind=Income.Kind.NATIONAL_TRANSFER, account=Account.MAIN,
                                  amount=transfer, received_on=_day(year, 10, 20), basis_count=population,
                                  basis_rate=rate))
        required = baht(transfer * Decimal(str(cofunding.get(fund.tier, "0"))) / 100)
        # Most local governments pay their share, some pay more; about one in eight falls short.
        factor = Decimal(rng.choice(["1", "1", "1", "1.2", "1.5", "1", "0.8", "1"]))
        if required:
            incomes.append(Income(fund=fund, year=year, kind=Income.Kind.COFUNDING, account=Account.MAIN,
                                  amount=baht(required * factor), received_on=_day(year, 12, 1)))
        incomes.append(Income(fund=fund, year=year, kind=Income.Kind.INTEREST, account=Account.MAIN,
                              amount=baht(Decimal(rng.randrange(500, 5000)) + Decimal(rng.randrange(100)) / 100),
                              received_on=_day(year, 3, 31) if current else _day(year, 9, 30)))
        if rng.random() < 0.5:
            persons = rng.randrange(3, 15)
            incomes.append(Income(fund=fund, year=year, kind=Income.Kind.LTC_TRANSFER, account=Account.LTC,
                                  amount=baht(ltc_rate * persons), received_on=_day(year, 11, 10),
                                  basis_count=persons, basis_rate=ltc_rate))
    Income.objects.bulk_create(incomes)
    money: dict[tuple[int, str], Decimal] = {}
    receipts: dict[int, Decimal] = {}
    for income in incomes:
        book.post(income.fund, year, income.account, income.amount, income.kind, income.received_on, income=income)
        key = (income.fund.pk, income.account)
        money[key] = money.get(key, Decimal(0)) + income.amount
        if income.account == Account.MAIN:
            receipts[income.fund.pk] = receipts.get(income.fund.pk, Decimal(0)) + income.amount

    # Projects: plan each one's fate, then write them and what happened to them.
    projects: list[tuple[Project, str, list[tuple[str, Decimal]]]] = []
    for fund in funds:
        main = money.get((fund.pk, Account.MAIN), Decimal(0)) + carry.get((fund.pk, Account.MAIN), Decimal(0))
        ltc = money.get((fund.pk, Account.LTC), Decimal(0)) + carry.get((fund.pk, Account.LTC), Decimal(0))
        budget = main * Decimal(rng.choice(["0.55", "0.7", "0.85"]))
        plan = [("4", receipts.get(fund.pk, Decimal(0)) * admin_cap / 100 * Decimal("0.6"))]
        for code in rng.sample(["1", "1", "2", "2", "2", "3", "5"], k=rng.randrange(4, 7)):
            plan.append((code, None))
        free = budget - plan[0][1]
        shares = [rng.randrange(2, 6) for _ in plan[1:]]
        for i, (code, _amount) in enumerate(plan[1:], start=1):
            plan[i] = (code, free * shares[i - 1] / sum(shares))
        if ltc > 0:
            plan.append(("ltc", ltc * Decimal("0.9")))
        left = {Account.MAIN: main, Account.LTC: ltc}
        number = 0
        for code, planned in plan:
            account = Account.LTC if code == "ltc" else Account.MAIN
            # Whole hundreds of baht, never more than the account still has uncommitted.
            # (Type 4 gets no floor: it must stay within its cap of the year's receipts.)
            floor = Decimal(0) if code == "4" else Decimal(1000)
            amount = baht(min(max(floor, (planned or 0) // 100 * 100), left[account] // 100 * 100))
            if amount < 100:
                continue
            left[account] -= amount
            number += 1
            fate = _fate(rng, current, number, len(plan))
            kind, proposer = PROPOSERS[code]
            lines = [("ค่าวัสดุอุปกรณ์", baht(amount * Decimal("0.4"))), ("ค่าอาหารและเครื่องดื่ม",
                                                                       amount - baht(amount * Decimal("0.4")))]
            project = Project(
                fund=fund, year=year, number=number, title=f"โครงการ{rng.choice(TITLES[code])}", category=code,
                account=Account.LTC if code == "ltc" else Account.MAIN, proposer_kind=kind,
                proposer_name=f"{proposer}{fund.local_government.name_th.removeprefix('องค์การบริหารส่วนตำบล')}",
                contact_person=f"{rng.choice(FIRST)} {rng.choice(LAST)}", objectives="ส่งเสริมสุขภาพและป้องกันโรค",
                target_group="ประชาชนในพื้นที่", target_count=rng.randrange(20, 300),
                activities="อบรม ให้ความรู้ ติดตามผล", expected_outputs="กลุ่มเป้าหมายมีพฤติกรรมสุขภาพดีขึ้น",
                plan_target=target_of.get((fund.pk, GROUPS[code])) if code != "4" else None,
                requested_amount=amount, submitted_on=_day(year, 11, 1), status=fate)
            projects.append((project, fate, lines))
    Project.objects.bulk_create([p for p, _f, _l in projects], batch_size=2000)
    BudgetLine.objects.bulk_create([BudgetLine(project=p, description=d, amount=a) for p, _f, lines in projects
                                    for d, a in lines], batch_size=5000)
    _lifecycles(rng, book, projects, meeting_of, year)


def _fate(rng: Any, current: bool, number: int, count: int) -> str:
    """Where a project ends up: last year's all closed (one rejected); this year's at every step."""
    S = Project.Status
    if not current:
        return S.REJECTED if number == count - 1 and rng.random() < 0.3 else S.CLOSED
    return rng.choice([S.CLOSED, S.REPORTED, S.AGREED, S.AGREED, S.APPROVED, S.SUBMITTED, S.RETURNED, S.AGREED])


def _lifecycles(rng: Any, book: _Book, projects: list[tuple[Project, str, list]], meeting_of: dict,
                year: int) -> None:
    S = Project.Status
    disbursements: list[Disbursement] = []
    reports: list[ProgressReport] = []
    resolutions: list[Resolution] = []
    refunds: list[tuple[Project, Decimal, date]] = []
    steps = [S.SUBMITTED, S.APPROVED, S.AGREED, S.REPORTED, S.CLOSED]
    for project, fate, _lines in projects:
        meeting = meeting_of[(project.fund_id, 1)]
        book.events.append(ProjectEvent(project=project, from_status="", to_status=S.SUBMITTED))
        if fate in (S.SUBMITTED,):
            continue
        if fate in (S.REJECTED, S.RETURNED):
            book.events.append(ProjectEvent(project=project, from_status=S.SUBMITTED, to_status=fate, meeting=meeting,
                                            note="งบประมาณไม่สอดคล้องกับแผน"))
            verb = "ไม่อนุมัติโครงการ" if fate == S.REJECTED else "ส่งคืนโครงการให้แก้ไข"
            resolutions.append(Resolution(meeting=meeting, project=project, text=f"{verb} {project.reference}"))
            Project.objects.filter(pk=project.pk).update(conditions="งบประมาณไม่สอดคล้องกับแผน")
            continue
        reached = steps.index(fate)
        approved = project.requested_amount
        updates: dict[str, Any] = {"approved_amount": approved}
        resolutions.append(Resolution(meeting=meeting, project=project,
                                      text=f"อนุมัติโครงการ {project.reference} วงเงิน {approved:,.2f} บาท"))
        for i in range(1, reached + 1):
            book.events.append(ProjectEvent(project=project, from_status=steps[i - 1], to_status=steps[i],
                                            meeting=meeting if steps[i] == S.APPROVED else None))
        if reached >= 2:
            updates.update(agreement_no=f"{project.number}/{year}", agreement_date=_day(year, 11, 25))
            first = baht(approved * Decimal("0.6")) if reached == 2 and rng.random() < 0.7 else approved
            paid = [(first, _day(year, 12, 10))]
            if first < approved and reached > 2:
                paid.append((approved - first, _day(year, 3, 10)))
            for n, (amount, on) in enumerate(paid, start=1):
                row = Disbursement(project=project, instalment=n, amount=amount, paid_on=on)
                disbursements.append(row)
            total = sum((a for a, _d in paid), Decimal(0))
            if reached >= 3:
                spent = baht(total * Decimal(rng.choice(["1", "0.97", "0.9", "1", "0.85"])))
                reports.append(ProgressReport(project=project, kind="final", reported_on=_day(year, 7, 15),
                                              text="ดำเนินกิจกรรมครบตามแผน กลุ่มเป้าหมายเข้าร่วมตามเป้า",
                                              spent_to_date=spent, people_reached=project.target_count))
                updates.update(results="ดำเนินกิจกรรมครบตามแผน กลุ่มเป้าหมายเข้าร่วมตามเป้า", actual_spending=spent,
                               people_reached=project.target_count)
                if reached == 4:
                    updates["closed_on"] = _day(year, 8, 15)
                    if total > spent:
                        refunds.append((project, total - spent, _day(year, 8, 15)))
        Project.objects.filter(pk=project.pk).update(**updates)
    Disbursement.objects.bulk_create(disbursements, batch_size=2000)
    ProgressReport.objects.bulk_create(reports, batch_size=2000)
    Resolution.objects.bulk_create(resolutions, batch_size=2000)
    for row in disbursements:
        p = row.project
        book.post(p.fund, year, p.account, -row.amount, LedgerEntry.Kind.DISBURSEMENT, row.paid_on,
                  f"{p.reference} งวดที่ {row.instalment}", project=p, disbursement=row)
    for p, amount, on in refunds:
        book.post(p.fund, year, p.account, amount, LedgerEntry.Kind.REFUND, on, f"{p.reference} คืนเงินเหลือจ่าย",
                  project=p)
