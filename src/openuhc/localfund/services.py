"""Every change to a local fund: money in, projects through their lifecycle, committee records, year end.

Each function is one transaction with a keyword-only `actor`. Money moves only through `_post`, which writes
an append-only `LedgerEntry`; the fund-year row is locked first (`select_for_update`) so that two payments
made at the same moment cannot both pass the balance check (the race the lock guards).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.utils import translation

from openuhc.core import committees, params
from openuhc.core.dates import fiscal_year_bounds, format_date
from openuhc.core.errors import DomainError
from openuhc.core.money import baht
from openuhc.localfund import params as P
from openuhc.localfund.errors import FundError
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

ZERO = Decimal("0.00")
# Money counted as the year's receipts (the base of the category caps): new money, not money brought forward.
RECEIPT_KINDS = (LedgerEntry.Kind.NATIONAL_TRANSFER, LedgerEntry.Kind.COFUNDING, LedgerEntry.Kind.INTEREST,
                 LedgerEntry.Kind.OTHER, LedgerEntry.Kind.LTC_TRANSFER)
# Projects whose approved money is committed but not yet settled.
OPEN_STATUSES = (Project.Status.APPROVED, Project.Status.AGREED, Project.Status.REPORTED)


# --- small helpers ----------------------------------------------------------------------------------------
def year_start(year: int) -> date:
    return fiscal_year_bounds(year)[0]


def money(value: Any) -> Decimal:
    """A positive amount in baht with at most 2 decimals; anything else is refused (never rounded silently)."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise DomainError(FundError.AMOUNT_NOT_POSITIVE) from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError(FundError.AMOUNT_NOT_POSITIVE)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(FundError.AMOUNT_SATANG)
    return baht(amount)


def _fmt(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def working_year(fund: Fund) -> int:
    """The year a fund's pages open on: its earliest open year (the one still being worked on), else the
    current fiscal year."""
    from openuhc.core.dates import fiscal_year, today

    open_year = FundYear.objects.filter(fund=fund, status=FundYear.Status.OPEN).order_by("year").first()
    return open_year.year if open_year else fiscal_year(today())


def _check_in_year(on: date, year: int) -> None:
    start, end = fiscal_year_bounds(year)
    if not start <= on <= end:
        raise DomainError(FundError.DATE_OUTSIDE_YEAR, date=format_date(on), year=year, start=format_date(start),
                          end=format_date(end))


def _lock_open_year(fund: Fund, year: int) -> FundYear:
    """The fund-year row, locked for this transaction; refuses a closed year."""
    FundYear.objects.get_or_create(fund=fund, year=year)
    row = FundYear.objects.select_for_update().get(fund=fund, year=year)
    if row.status == FundYear.Status.CLOSED:
        raise DomainError(FundError.YEAR_CLOSED, year=year)
    return row


def _post(*, fund: Fund, year: int, account: str, amount: Decimal, kind: str, on: date, actor: Any,
          memo: str = "", **refs: Any) -> LedgerEntry:
    return LedgerEntry.objects.create(fund=fund, year=year, account=account, amount=amount, kind=kind,
                                      entry_date=on, memo=memo[:300], created_by=actor, **refs)


def balance(fund: Fund, *, year: int | None = None, account: str | None = None) -> Decimal:
    """The sum of the fund's ledger entries (of one year and/or sub-account when given)."""
    entries = LedgerEntry.objects.filter(fund=fund)
    if year is not None:
        entries = entries.filter(year=year)
    if account is not None:
        entries = entries.filter(account=account)
    return baht(entries.aggregate(s=Sum("amount"))["s"] or ZERO)


# --- categories -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    code: str
    account: str
    en: str
    th: str

    @property
    def label(self) -> str:
        return self.th if (translation.get_language() or "th").startswith("th") else self.en


def categories(year: int) -> dict[str, Category]:
    rows = params.get(P.CATEGORIES.key, on=year_start(year))
    return {str(r["code"]): Category(str(r["code"]), r.get("account", Account.MAIN), r["en"], r["th"]) for r in rows}


def find_category(year: int, code: str) -> Category:
    found = categories(year).get(str(code))
    if found is None:
        raise DomainError(FundError.UNKNOWN_CATEGORY, category=code)
    return found


def category_label(year: int, code: str) -> str:
    found = categories(year).get(str(code))
    return found.label if found else str(code)


# --- money in ---------------------------------------------------------------------------------------------
def registered_population(fund: Fund, on: date) -> int:
    """People alive on `on` who belong to the fund's area, by the configured rule (localfund.population_rule).

    address (default): the person's address sub-district (as in the civil registration, every scheme) is one
    of the local government's sub-districts. unit: the person's current main registered unit lies there.
    """
    from openuhc.registry.models import Person

    if not fund.local_government_id:
        return 0
    rule = params.get(P.POPULATION_RULE.key, on=on)
    subdistricts = fund.local_government.subdistricts.values("pk")
    people = Person.objects.filter(birth_date__lte=on).filter(Q(death_date__isnull=True) | Q(death_date__gt=on))
    if rule == "address":
        people = people.filter(subdistrict__in=subdistricts)
    elif rule == "unit":
        people = people.filter(current_registration__main_unit__subdistrict__in=subdistricts)
    else:
        raise DomainError(FundError.BAD_POPULATION_RULE, rule=rule)
    return people.count()


@dataclass(frozen=True)
class Transfer:
    population: int
    rate: Decimal
    amount: Decimal
    counted_on: date


def expected_transfer(fund: Fund, year: int) -> Transfer:
    """The national transfer: rate per head × population counted on the first day of the fiscal year."""
    on = year_start(year)
    population = registered_population(fund, on)
    rate = params.get(P.RATE_PER_HEAD.key, on=on)
    return Transfer(population, rate, baht(rate * population), on)


@transaction.atomic
def record_income(*, actor: Any, fund: Fund, year: int, kind: str, received_on: date, amount: Any = None,
                  basis_count: int | None = None, note: str = "") -> Income:
    """Record money received. The national transfer defaults to population × rate; the LTC transfer to
    dependent person-years (`basis_count`) × the LTC rate."""
    if kind not in Income.Kind.values:
        raise DomainError(FundError.UNKNOWN_KIND, kind=kind)
    _check_in_year(received_on, year)
    _lock_open_year(fund, year)
    rate = None
    if kind == Income.Kind.NATIONAL_TRANSFER and amount in (None, ""):
        transfer = expected_transfer(fund, year)
        if transfer.population == 0:
            raise DomainError(FundError.NO_POPULATION)
        amount, basis_count, rate = transfer.amount, transfer.population, transfer.rate
    elif kind == Income.Kind.LTC_TRANSFER and amount in (None, "") and basis_count:
        rate = params.get(P.LTC_RATE.key, on=year_start(year))
        amount = baht(rate * basis_count)
    amount = money(amount)
    account = Account.LTC if kind == Income.Kind.LTC_TRANSFER else Account.MAIN
    income = Income.objects.create(fund=fund, year=year, kind=kind, account=account, amount=amount,
                                   received_on=received_on, basis_count=basis_count, basis_rate=rate, note=note,
                                   created_by=actor)
    _post(fund=fund, year=year, account=account, amount=amount, kind=kind, on=received_on, actor=actor,
          memo=note, income=income)
    return income


def receipts(fund: Fund, year: int, account: str = Account.MAIN) -> Decimal:
    entries = LedgerEntry.objects.filter(fund=fund, year=year, account=account, kind__in=RECEIPT_KINDS)
    return baht(entries.aggregate(s=Sum("amount"))["s"] or ZERO)


@dataclass(frozen=True)
class Cofunding:
    tier: str
    percent: Decimal
    transfer: Decimal
    transfer_is_expected: bool
    required: Decimal
    contributed: Decimal

    @property
    def compliant(self) -> bool:
        return self.contributed >= self.required

    @property
    def shortfall(self) -> Decimal:
        return max(self.required - self.contributed, ZERO)

    @property
    def share(self) -> Decimal | None:
        """The contribution as a percentage of the transfer."""
        return (self.contributed * 100 / self.transfer).quantize(Decimal("0.1")) if self.transfer else None


def cofunding(fund: Fund, year: int) -> Cofunding:
    """Required co-funding = percent (by tier) of the national transfer received (or expected, before it
    arrives); compliance compares what the local government actually contributed in the year."""
    table = params.get(P.COFUNDING_PERCENT.key, on=year_start(year))
    percent = Decimal(str(table.get(fund.tier, "0")))
    sums = dict(LedgerEntry.objects.filter(fund=fund, year=year, kind__in=[LedgerEntry.Kind.NATIONAL_TRANSFER,
                                                                          LedgerEntry.Kind.COFUNDING])
                .values_list("kind").annotate(s=Sum("amount")))
    transfer = baht(sums.get(LedgerEntry.Kind.NATIONAL_TRANSFER) or ZERO)
    expected = False
    if not transfer:
        transfer, expected = expected_transfer(fund, year).amount, True
    return Cofunding(fund.tier, percent, transfer, expected, baht(transfer * percent / 100),
                     baht(sums.get(LedgerEntry.Kind.COFUNDING) or ZERO))


# --- committee ----------------------------------------------------------------------------------------------
@transaction.atomic
def add_member(*, actor: Any, fund: Fund, name: str, role: str, term_start: date, term_end: date,
               organisation: str = "", is_voting: bool | None = None) -> CommitteeMember:
    if term_end < term_start:
        raise DomainError(FundError.MEMBER_TERM)
    if is_voting is None:
        is_voting = role != CommitteeMember.Role.ADVISER
    return CommitteeMember.objects.create(fund=fund, name=name, role=role, organisation=organisation,
                                          term_start=term_start, term_end=term_end, is_voting=is_voting)


def members_in_office(fund: Fund, on: date) -> Any:
    return committees.in_office(fund.members.all(), on)


def quorum_needed(in_office: int, on: date) -> int:
    return committees.quorum_needed(in_office, params.get(P.QUORUM_FRACTION.key, on=on))


@transaction.atomic
def record_meeting(*, actor: Any, fund: Fund, held_on: date, attendees: Iterable[CommitteeMember],
                   agenda: str = "", number: int | None = None, year: int | None = None) -> Meeting:
    """A meeting with its attendance; the quorum is worked out from the voting members in office that day."""
    from openuhc.core.dates import fiscal_year

    year = year or fiscal_year(held_on)
    _check_in_year(held_on, year)
    attendees = list(attendees)
    if any(m.fund_id != fund.pk for m in attendees):
        raise DomainError(FundError.MEMBER_OTHER_FUND)
    count = committees.attendance(members_in_office(fund, held_on).filter(is_voting=True), attendees,
                                  fraction=params.get(P.QUORUM_FRACTION.key, on=held_on))
    if number is None:
        number = committees.next_number(Meeting.objects.filter(fund=fund, year=year))
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                fund=fund, year=year, number=number, held_on=held_on, agenda=agenda, members_in_office=count.in_office,
                members_present=count.present, quorum_met=count.met, recorded_by=actor)
    except IntegrityError:
        raise DomainError(FundError.DUPLICATE_MEETING, number=number, year=year) from None
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def add_resolution(*, actor: Any, meeting: Meeting, text: str, project: Project | None = None) -> Resolution:
    return Resolution.objects.create(meeting=meeting, text=text, project=project)


# --- health plan ------------------------------------------------------------------------------------------
@transaction.atomic
def save_plan(*, actor: Any, fund: Fund, year: int, summary: str = "") -> HealthPlan:
    plan, created = HealthPlan.objects.get_or_create(fund=fund, year=year, defaults={"summary": summary})
    if not created and summary:
        plan.summary = summary
        plan.save(update_fields=["summary"])
    return plan


@transaction.atomic
def add_plan_target(*, actor: Any, fund: Fund, year: int, group: str, problem: str, target: str,
                    indicator: str = "") -> PlanTarget:
    plan = save_plan(actor=actor, fund=fund, year=year)
    return PlanTarget.objects.create(plan=plan, group=group, problem=problem, target=target, indicator=indicator)


# --- projects ---------------------------------------------------------------------------------------------
def _event(project: Project, old: str, new: str, actor: Any, note: str = "", meeting: Meeting | None = None) -> None:
    ProjectEvent.objects.create(project=project, from_status=old, to_status=new, actor=actor, note=note,
                                meeting=meeting)


def _move(project: Project, old: Sequence[str], new: str, actor: Any, *, note: str = "",
          meeting: Meeting | None = None, **fields: Any) -> None:
    """Compare-and-set the status: a step taken twice at once (two tabs, a double click) happens once."""
    current = project.status
    changed = Project.objects.filter(pk=project.pk, status__in=old).update(status=new, **fields)
    if changed != 1:
        project.refresh_from_db()
        raise DomainError(FundError.WRONG_STATUS, status=project.get_status_display(),
                          needed=" / ".join(str(Project.Status(s).label) for s in old))
    for key, value in fields.items():
        setattr(project, key, value)
    project.status = new
    _event(project, current, new, actor, note, meeting)


def _require(project: Project, *statuses: str) -> None:
    if project.status not in statuses:
        raise DomainError(FundError.WRONG_STATUS, status=project.get_status_display(),
                          needed=" / ".join(str(Project.Status(s).label) for s in statuses))


def _lines(budget_lines: Iterable[tuple[str, Any]]) -> list[tuple[str, Decimal]]:
    lines = [(str(d).strip(), money(a)) for d, a in budget_lines if str(d).strip() or str(a or "").strip()]
    if not lines:
        raise DomainError(FundError.NO_BUDGET_LINES)
    return lines


@transaction.atomic
def submit_project(*, actor: Any, fund: Fund, year: int, title: str, category: str, proposer_kind: str,
                   proposer_name: str, objectives: str, target_group: str, budget_lines: Iterable[tuple[str, Any]],
                   submitted_on: date, contact_person: str = "", target_count: int | None = None,
                   activities: str = "", expected_outputs: str = "", plan_target: PlanTarget | None = None) -> Project:
    cat = find_category(year, category)
    _check_in_year(submitted_on, year)
    _lock_open_year(fund, year)
    if plan_target is not None and (plan_target.plan.fund_id != fund.pk or plan_target.plan.year != year):
        raise DomainError(FundError.PLAN_TARGET_OTHER)
    lines = _lines(budget_lines)
    # The fund-year lock above serialises numbering; the unique constraint is the backstop.
    number = (Project.objects.filter(fund=fund, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    project = Project.objects.create(
        fund=fund, year=year, number=number, title=title, category=cat.code, account=cat.account,
        proposer_kind=proposer_kind, proposer_name=proposer_name, contact_person=contact_person,
        objectives=objectives, target_group=target_group, target_count=target_count, activities=activities,
        expected_outputs=expected_outputs, plan_target=plan_target,
        requested_amount=sum((a for _, a in lines), ZERO), submitted_on=submitted_on, created_by=actor)
    BudgetLine.objects.bulk_create(BudgetLine(project=project, description=d, amount=a) for d, a in lines)
    _event(project, "", Project.Status.SUBMITTED, actor)
    return project


def committed(fund: Fund, *, account: str) -> Decimal:
    """Approved money of open projects not yet paid out (commitments)."""
    projects = Project.objects.filter(fund=fund, account=account, status__in=OPEN_STATUSES)
    approved = projects.aggregate(s=Sum("approved_amount"))["s"] or ZERO
    paid = Disbursement.objects.filter(project__in=projects).aggregate(s=Sum("amount"))["s"] or ZERO
    return baht(approved - paid)


def category_total(fund: Fund, year: int, code: str) -> Decimal:
    """Money a category holds in a year: approved amounts of open projects, actual spending of closed ones."""
    projects = Project.objects.filter(fund=fund, year=year, category=code)
    open_sum = projects.filter(status__in=OPEN_STATUSES).aggregate(s=Sum("approved_amount"))["s"] or ZERO
    closed_sum = projects.filter(status=Project.Status.CLOSED).aggregate(s=Sum("actual_spending"))["s"] or ZERO
    return baht(open_sum + closed_sum)


def check_caps(fund: Fund, year: int, code: str, amount: Decimal) -> None:
    caps = params.get(P.CATEGORY_CAPS.key, on=year_start(year))
    if str(code) not in caps:
        return
    percent = Decimal(str(caps[str(code)]))
    cap = baht(receipts(fund, year) * percent / 100)
    total = category_total(fund, year, code) + amount
    if total > cap:
        raise DomainError(FundError.CAP_EXCEEDED, amount=_fmt(amount), category=category_label(year, code),
                          total=_fmt(total), year=year, percent=percent, cap=_fmt(cap))


def uncommitted(fund: Fund, account: str) -> Decimal:
    return balance(fund, account=account) - committed(fund, account=account)


@transaction.atomic
def decide_project(*, actor: Any, project: Project, meeting: Meeting, decision: str, amount: Any = None,
                   conditions: str = "") -> Project:
    """The committee's decision at a meeting with a quorum: approve (within caps and money), reject, or return."""
    _lock_open_year(project.fund, project.year)
    _require(project, Project.Status.SUBMITTED)
    if meeting.fund_id != project.fund_id:
        raise DomainError(FundError.MEETING_OTHER_FUND)
    if not meeting.quorum_met:
        raise DomainError(FundError.NO_QUORUM, meeting=str(meeting), present=meeting.members_present,
                          in_office=meeting.members_in_office,
                          needed=quorum_needed(meeting.members_in_office, meeting.held_on))
    if meeting.held_on < project.submitted_on:
        raise DomainError(FundError.MEETING_BEFORE_SUBMISSION)
    if decision == "approve":
        approved = project.requested_amount if amount in (None, "") else money(amount)
        if approved > project.requested_amount:
            raise DomainError(FundError.APPROVED_TOO_MUCH, approved=_fmt(approved),
                              requested=_fmt(project.requested_amount))
        check_caps(project.fund, project.year, project.category, approved)
        if params.get(P.APPROVAL_WITHIN_BALANCE.key, on=meeting.held_on):
            available = uncommitted(project.fund, project.account)
            if approved > available:
                raise DomainError(FundError.NOT_ENOUGH_MONEY, amount=_fmt(approved), available=_fmt(available),
                                  account=Account(project.account).label)
        _move(project, [Project.Status.SUBMITTED], Project.Status.APPROVED, actor, meeting=meeting,
              note=conditions, approved_amount=approved, conditions=conditions)
        text = f"อนุมัติโครงการ {project.reference} {project.title} วงเงิน {_fmt(approved)} บาท"
    elif decision == "reject":
        _move(project, [Project.Status.SUBMITTED], Project.Status.REJECTED, actor, meeting=meeting, note=conditions,
              conditions=conditions)
        text = f"ไม่อนุมัติโครงการ {project.reference} {project.title}"
    elif decision == "return":
        _move(project, [Project.Status.SUBMITTED], Project.Status.RETURNED, actor, meeting=meeting, note=conditions,
              conditions=conditions)
        text = f"ส่งคืนโครงการ {project.reference} {project.title} ให้แก้ไขตามเงื่อนไข"
    else:
        raise ValueError(decision)
    Resolution.objects.create(meeting=meeting, project=project, text=text + (f": {conditions}" if conditions else ""))
    return project


@transaction.atomic
def resubmit_project(*, actor: Any, project: Project, submitted_on: date,
                     budget_lines: Iterable[tuple[str, Any]] | None = None, note: str = "") -> Project:
    """A project returned with conditions comes back, possibly with a new budget."""
    _lock_open_year(project.fund, project.year)
    _require(project, Project.Status.RETURNED)
    fields: dict[str, Any] = {"submitted_on": submitted_on}
    if budget_lines is not None:
        lines = _lines(budget_lines)
        project.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(BudgetLine(project=project, description=d, amount=a) for d, a in lines)
        fields["requested_amount"] = sum((a for _, a in lines), ZERO)
    _move(project, [Project.Status.RETURNED], Project.Status.SUBMITTED, actor, note=note, **fields)
    return project


@transaction.atomic
def sign_agreement(*, actor: Any, project: Project, agreement_no: str, agreement_date: date) -> Project:
    if not agreement_no.strip():
        raise DomainError(FundError.NEEDS_AGREEMENT_NO)
    _move(project, [Project.Status.APPROVED], Project.Status.AGREED, actor, agreement_no=agreement_no.strip(),
          agreement_date=agreement_date)
    return project


def paid(project: Project) -> Decimal:
    return baht(project.disbursements.aggregate(s=Sum("amount"))["s"] or ZERO)


@transaction.atomic
def disburse(*, actor: Any, project: Project, amount: Any, paid_on: date) -> Disbursement:
    """Pay an instalment, in the fiscal year of the payment date, never beyond the approved amount and never
    taking the sub-account below zero."""
    from openuhc.core.dates import fiscal_year

    amount = money(amount)
    year = fiscal_year(paid_on)
    _lock_open_year(project.fund, year)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require(project, Project.Status.AGREED)
    total = paid(project) + amount
    if total > project.approved_amount:
        raise DomainError(FundError.OVER_APPROVED, amount=_fmt(amount), total=_fmt(total),
                          approved=_fmt(project.approved_amount))
    available = balance(project.fund, year=year, account=project.account)
    if amount > available:
        raise DomainError(FundError.OVERDRAWN, amount=_fmt(amount), account=Account(project.account).label,
                          balance=_fmt(available))
    instalment = project.disbursements.count() + 1
    row = Disbursement.objects.create(project=project, instalment=instalment, amount=amount, paid_on=paid_on,
                                      created_by=actor)
    _post(fund=project.fund, year=year, account=project.account, amount=-amount, kind=LedgerEntry.Kind.DISBURSEMENT,
          on=paid_on, actor=actor, memo=f"{project.reference} งวดที่ {instalment}", project=project, disbursement=row)
    return row


@transaction.atomic
def report_progress(*, actor: Any, project: Project, kind: str, reported_on: date, text: str, spent_to_date: Any,
                    people_reached: int | None = None) -> ProgressReport:
    """A progress report (project stays under agreement) or the final report (results and actual spending)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require(project, Project.Status.AGREED)
    spent = baht(Decimal(str(spent_to_date or 0)))
    if spent < 0:
        raise DomainError(FundError.AMOUNT_NOT_POSITIVE)
    if spent > paid(project):
        raise DomainError(FundError.SPENT_MORE_THAN_PAID, spent=_fmt(spent), paid=_fmt(paid(project)))
    report = ProgressReport.objects.create(project=project, kind=kind, reported_on=reported_on, text=text,
                                           spent_to_date=spent, people_reached=people_reached, created_by=actor)
    if kind == ProgressReport.Kind.FINAL:
        _move(project, [Project.Status.AGREED], Project.Status.REPORTED, actor, results=text, actual_spending=spent,
              people_reached=people_reached)
    return report


@transaction.atomic
def close_project(*, actor: Any, project: Project, closed_on: date) -> Project:
    """Close after the final report; money paid but not spent comes back to the fund as a refund entry."""
    from openuhc.core.dates import fiscal_year

    year = fiscal_year(closed_on)
    _lock_open_year(project.fund, year)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require(project, Project.Status.REPORTED)
    unused = paid(project) - project.actual_spending
    _move(project, [Project.Status.REPORTED], Project.Status.CLOSED, actor, closed_on=closed_on,
          note=f"คืนเงิน {_fmt(unused)} บาท" if unused else "")
    if unused > 0:
        _post(fund=project.fund, year=year, account=project.account, amount=unused, kind=LedgerEntry.Kind.REFUND,
              on=closed_on, actor=actor, memo=f"{project.reference} คืนเงินเหลือจ่าย", project=project)
    return project


# --- year end ---------------------------------------------------------------------------------------------
@transaction.atomic
def close_year(*, actor: Any, fund: Fund, year: int) -> FundYear:
    """Close a fiscal year: each sub-account's balance is carried over to the next year (two entries that
    cancel out, so the fund's total never changes)."""
    from django.utils import timezone

    earlier_open = FundYear.objects.filter(fund=fund, year__lt=year, status=FundYear.Status.OPEN).order_by("year")
    if earlier_open.exists():
        raise DomainError(FundError.PREVIOUS_YEAR_OPEN, year=earlier_open.first().year)
    FundYear.objects.get_or_create(fund=fund, year=year)
    row = FundYear.objects.select_for_update().get(fund=fund, year=year)
    if row.status == FundYear.Status.CLOSED:
        raise DomainError(FundError.YEAR_ALREADY_CLOSED, year=year)
    end = fiscal_year_bounds(year)[1]
    start_next = fiscal_year_bounds(year + 1)[0]
    FundYear.objects.get_or_create(fund=fund, year=year + 1)
    for account in Account.values:
        amount = balance(fund, year=year, account=account)
        if amount:
            _post(fund=fund, year=year, account=account, amount=-amount, kind=LedgerEntry.Kind.CARRY_OUT, on=end,
                  actor=actor, memo=f"ยกไปปีงบประมาณ {year + 1}")
            _post(fund=fund, year=year + 1, account=account, amount=amount, kind=LedgerEntry.Kind.CARRY_IN,
                  on=start_next, actor=actor, memo=f"ยกมาจากปีงบประมาณ {year}")
    FundYear.objects.filter(pk=row.pk).update(status=FundYear.Status.CLOSED, closed_at=timezone.now(),
                                              closed_by=actor)
    row.refresh_from_db()
    return row
