"""Read-only figures for pages and reports: a fund's year, warnings, the annual statement, the overview."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from openuhc.core import params
from openuhc.core.money import baht
from openuhc.localfund import params as P
from openuhc.localfund import services
from openuhc.localfund.models import Account, Disbursement, Fund, FundYear, LedgerEntry, Meeting, Project

ZERO = Decimal("0.00")
INCOME_KINDS = list(services.RECEIPT_KINDS)


@dataclass
class AccountYear:
    account: str
    carry_in: Decimal = ZERO
    receipts: dict[str, Decimal] = field(default_factory=dict)
    disbursed: Decimal = ZERO
    refunds: Decimal = ZERO
    carry_out: Decimal = ZERO
    balance: Decimal = ZERO  # the sum of the year's entries of this account
    committed: Decimal = ZERO

    @property
    def label(self) -> str:
        return str(Account(self.account).label)

    @property
    def total_receipts(self) -> Decimal:
        return sum(self.receipts.values(), ZERO)

    @property
    def available(self) -> Decimal:
        """Money the account had to work with in the year: brought forward plus new receipts."""
        return self.carry_in + self.total_receipts

    @property
    def spent(self) -> Decimal:
        """Paid out, net of unused money returned."""
        return self.disbursed - self.refunds

    @property
    def before_carry_out(self) -> Decimal:
        return self.balance - self.carry_out

    @property
    def uncommitted(self) -> Decimal:
        return self.before_carry_out - self.committed

    @property
    def unspent_share(self) -> Decimal | None:
        return (self.before_carry_out / self.available).quantize(Decimal("0.001")) if self.available > 0 else None


@dataclass
class YearSummary:
    fund: Fund
    year: int
    is_closed: bool
    accounts: dict[str, AccountYear]
    cofunding: services.Cofunding
    warnings: list[str]

    @property
    def main(self) -> AccountYear:
        return self.accounts[Account.MAIN]

    @property
    def balance(self) -> Decimal:
        return sum((a.balance for a in self.accounts.values()), ZERO)


def year_summary(fund: Fund, year: int) -> YearSummary:
    accounts = {a: AccountYear(a) for a in Account.values}
    rows = (LedgerEntry.objects.filter(fund=fund, year=year).values_list("account", "kind")
            .annotate(s=Sum("amount")))
    for account, kind, total in rows:
        row = accounts[account]
        total = baht(total)
        row.balance += total
        if kind == LedgerEntry.Kind.CARRY_IN:
            row.carry_in += total
        elif kind == LedgerEntry.Kind.CARRY_OUT:
            row.carry_out += total
        elif kind == LedgerEntry.Kind.DISBURSEMENT:
            row.disbursed -= total
        elif kind == LedgerEntry.Kind.REFUND:
            row.refunds += total
        else:
            row.receipts[kind] = row.receipts.get(kind, ZERO) + total
    closed = FundYear.objects.filter(fund=fund, year=year, status=FundYear.Status.CLOSED).exists()
    if not closed:
        for account, row in accounts.items():
            row.committed = services.committed(fund, account=account)
    summary = YearSummary(fund, year, closed, accounts, services.cofunding(fund, year), [])
    summary.warnings = warnings(summary)
    return summary


def warnings(summary: YearSummary) -> list[str]:
    """Money sitting unspent, money running short, co-funding below the required share (open years only)."""
    found: list[str] = []
    if summary.is_closed:
        return found
    on = services.year_start(summary.year)
    unspent_limit = params.get(P.UNSPENT_WARNING.key, on=on)
    low_limit = params.get(P.LOW_BALANCE_WARNING.key, on=on)
    for row in summary.accounts.values():
        if row.available <= 0:
            continue
        free = row.uncommitted
        if row.committed > row.before_carry_out:
            found.append(_("%(account)s: approved projects still to be paid (%(committed)s baht) exceed the balance "
                           "(%(balance)s baht).") % {"account": row.label, "committed": f"{row.committed:,.2f}",
                                                     "balance": f"{row.before_carry_out:,.2f}"})
        elif free > row.available * unspent_limit:
            found.append(_("%(account)s: %(free)s baht (%(share)s %% of the money available this year) is neither "
                           "spent nor committed to a project.") % {
                "account": row.label, "free": f"{free:,.2f}", "share": f"{free * 100 / row.available:.0f}"})
        elif free < row.available * low_limit:
            found.append(_("%(account)s is running short: only %(free)s baht is not yet committed.") % {
                "account": row.label, "free": f"{free:,.2f}"})
    cof = summary.cofunding
    if cof.required and not cof.compliant:
        found.append(_("Local co-funding is %(contributed)s baht, short of the %(required)s baht required "
                       "(%(percent)s %% of the national transfer).") % {
            "contributed": f"{cof.contributed:,.2f}", "required": f"{cof.required:,.2f}", "percent": cof.percent})
    return found


# --- the annual statement ---------------------------------------------------------------------------------
def statement(fund: Fund, year: int) -> dict[str, Any]:
    """Everything the annual financial statement and activity report show (PDF and Excel use the same)."""
    summary = year_summary(fund, year)
    projects = list(Project.objects.filter(fund=fund, year=year).order_by("number")
                    .annotate(paid_total=Sum("disbursements__amount")))
    labels = {code: c.label for code, c in services.categories(year).items()}
    spending: dict[str, dict[str, Any]] = {}
    for entry in (LedgerEntry.objects.filter(fund=fund, year=year, project__isnull=False)
                  .values_list("project__category").annotate(s=Sum("amount"))):
        code, total = entry
        spending[code] = {"code": code, "label": labels.get(code, code), "amount": baht(-total)}
    by_category = []
    for code, label in labels.items():
        in_year = [p for p in projects if p.category == code]
        approved = sum((p.approved_amount or ZERO for p in in_year if p.approved_amount), ZERO)
        by_category.append({
            "code": code, "label": label, "projects": len(in_year),
            "approved": approved, "spent": spending.get(code, {}).get("amount", ZERO),
            "people": sum(p.people_reached or 0 for p in in_year),
        })
    receipts_rows = []
    for account in summary.accounts.values():
        for kind, amount in sorted(account.receipts.items()):
            receipts_rows.append({"account": account.label, "kind": str(LedgerEntry.Kind(kind).label),
                                  "amount": amount})
    return {
        "fund": fund, "year": year, "summary": summary, "projects": projects, "by_category": by_category,
        "receipts_rows": receipts_rows, "labels": labels,
        "meetings": Meeting.objects.filter(fund=fund, year=year).count(),
        "total_receipts": sum((a.total_receipts for a in summary.accounts.values()), ZERO),
        "total_carry_in": sum((a.carry_in for a in summary.accounts.values()), ZERO),
        "total_spent": sum((a.spent for a in summary.accounts.values()), ZERO),
        "total_before_carry_out": sum((a.before_carry_out for a in summary.accounts.values()), ZERO),
    }


def statement_sheets(data: dict[str, Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    summary: YearSummary = data["summary"]
    money = [[a.label, a.carry_in, a.total_receipts, a.disbursed, a.refunds, a.before_carry_out]
             for a in summary.accounts.values()]
    money.append([_("Total"), data["total_carry_in"], data["total_receipts"],
                  sum((a.disbursed for a in summary.accounts.values()), ZERO),
                  sum((a.refunds for a in summary.accounts.values()), ZERO), data["total_before_carry_out"]])
    return {
        _("Summary"): ([_("Account"), _("Brought forward"), _("Receipts"), _("Paid to projects"), _("Refunds"),
                        _("Balance at year end")], money),
        _("Receipts"): ([_("Account"), _("Kind"), _("Amount (baht)")],
                        [[r["account"], r["kind"], r["amount"]] for r in data["receipts_rows"]]),
        _("Categories"): ([pgettext("project", "Category"), _("Projects"), _("Approved (baht)"), _("Spent (baht)"),
                           _("People reached")],
                          [[c["label"], c["projects"], c["approved"], c["spent"], c["people"]]
                           for c in data["by_category"]]),
        _("Projects"): ([_("Project"), _("Title"), pgettext("project", "Category"), _("Proposer"), _("Status"),
                         _("Requested (baht)"), _("Approved (baht)"), _("Paid (baht)"), _("Actual spending (baht)"),
                         _("Results")],
                        [[p.reference, p.title, data["labels"].get(p.category, p.category), p.proposer_name,
                          str(p.get_status_display()), p.requested_amount, p.approved_amount,
                          baht(p.paid_total or ZERO), p.actual_spending, p.results] for p in data["projects"]]),
    }


# --- the regional and national overview -------------------------------------------------------------------
@dataclass
class FundRow:
    fund: Fund
    carry_in: Decimal = ZERO
    receipts: Decimal = ZERO
    transfer: Decimal = ZERO
    cofunding: Decimal = ZERO
    spent: Decimal = ZERO
    balance: Decimal = ZERO
    required: Decimal = ZERO
    projects: int = 0

    @property
    def available(self) -> Decimal:
        return self.carry_in + self.receipts

    @property
    def end_balance(self) -> Decimal:
        return self.available - self.spent

    @property
    def unspent_share(self) -> Decimal | None:
        return (self.end_balance * 100 / self.available).quantize(Decimal("0.1")) if self.available > 0 else None

    @property
    def compliant(self) -> bool | None:
        return None if not self.transfer else self.cofunding >= self.required


def overview(funds: QuerySet, year: int) -> list[FundRow]:
    """One row per fund for a year, from two grouped queries (no query per fund)."""
    funds = funds.select_related("local_government__province__region")
    rows = {f.pk: FundRow(f) for f in funds}
    table = params.get(P.COFUNDING_PERCENT.key, on=services.year_start(year))
    entries = (LedgerEntry.objects.filter(fund__in=funds, year=year).values_list("fund", "kind")
               .annotate(s=Sum("amount")))
    for fund_id, kind, total in entries:
        row = rows[fund_id]
        if kind == LedgerEntry.Kind.CARRY_IN:
            row.carry_in += total
        elif kind in (LedgerEntry.Kind.DISBURSEMENT, LedgerEntry.Kind.REFUND):
            row.spent -= total
        elif kind in INCOME_KINDS:
            row.receipts += total
            if kind == LedgerEntry.Kind.NATIONAL_TRANSFER:
                row.transfer += total
            if kind == LedgerEntry.Kind.COFUNDING:
                row.cofunding += total
    for fund_id, n in (Project.objects.filter(fund__in=funds, year=year).values_list("fund")
                       .annotate(n=Count("id"))):
        rows[fund_id].projects = n
    for row in rows.values():
        row.required = baht(row.transfer * Decimal(str(table.get(row.fund.tier, "0"))) / 100)
    return list(rows.values())


def group_rows(rows: list[FundRow], by: str) -> list[dict[str, Any]]:
    """Totals per province (by="province") or per region (by="region")."""
    groups: dict[Any, dict[str, Any]] = defaultdict(lambda: {"funds": 0, "available": ZERO, "receipts": ZERO,
                                                             "spent": ZERO, "end_balance": ZERO, "compliant": 0,
                                                             "with_transfer": 0})
    for row in rows:
        lg = row.fund.local_government
        key = (lg.province if by == "province" else lg.province.region) if lg else None
        g = groups[key]
        g["key"] = key
        g["funds"] += 1
        g["available"] += row.available
        g["receipts"] += row.receipts
        g["spent"] += row.spent
        g["end_balance"] += row.end_balance
        if row.compliant is not None:
            g["with_transfer"] += 1
            g["compliant"] += 1 if row.compliant else 0
    result = []
    for g in groups.values():
        g["label"] = str(g["key"]) if g["key"] is not None else _("No area")
        g["unspent_share"] = (g["end_balance"] * 100 / g["available"]).quantize(Decimal("0.1")) if g["available"] \
            else None
        result.append(g)
    return sorted(result, key=lambda g: g["label"])


def years_with_data(funds: QuerySet) -> list[int]:
    return sorted(set(LedgerEntry.objects.filter(fund__in=funds).values_list("year", flat=True).distinct()),
                  reverse=True)


def paid_by_project(projects: QuerySet) -> dict[int, Decimal]:
    return {pid: baht(s) for pid, s in Disbursement.objects.filter(project__in=projects).values_list("project")
            .annotate(s=Sum("amount"))}
