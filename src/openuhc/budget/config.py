"""A fiscal year's payment configuration as plain, typed values (no database).

`YearConfig` is what one `BudgetVersion` holds: the per-capita amount (งบเหมาจ่ายรายหัว) and its split into
sub-funds, the OP capitation age weights, the regional inpatient global budgets and rate rules, the
late-submission percentages, the salary and road-traffic-insurance deductions and the fee schedule.
`parse(data)` checks a JSON-like dict and says exactly which field is wrong (Thai and English);
`YearConfig.to_json()` gives the dict back. Money and weights are kept as `Decimal` (strings in JSON).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openuhc.budget.errors import BudgetError
from openuhc.core.errors import DomainError

PAID_BY = ("capitation", "ip", "fee", "other")
CAP_PERIODS = ("year", "month")


@dataclass(frozen=True)
class SubFund:
    """One service type inside the per-capita amount (OP general, IP general, P&P, ...)."""

    code: str
    name_th: str
    name_en: str
    per_capita: Decimal  # baht per member per year
    paid_by: str = "other"  # capitation | ip | fee | other: which run pays this money out


@dataclass(frozen=True)
class AgeGroup:
    """An OP capitation age group: ages min_age … max_age (None = open-ended) carry `weight`."""

    code: str
    min_age: int
    max_age: int | None
    weight: Decimal


@dataclass(frozen=True)
class RegionBudget:
    """The inpatient global budget of one NHSO region for the fiscal year (baht)."""

    region: int
    ip_budget: Decimal


@dataclass(frozen=True)
class LateRule:
    """From `from_days` days after discharge (or service) the claim is paid at `percent` %."""

    from_days: int
    percent: Decimal


@dataclass(frozen=True)
class FeeItem:
    """A fee-schedule item: price per unit, who may receive it, and caps per person and period."""

    code: str
    name_th: str
    name_en: str
    price: Decimal
    sex: int = 0  # 0 any, 1 male, 2 female (16-file codes)
    min_age: int = 0
    max_age: int | None = None
    cap_count: int | None = None  # units per person per period
    cap_amount: Decimal | None = None  # baht per person per period
    cap_period: str = "year"  # year (fiscal year) | month


@dataclass(frozen=True)
class YearConfig:
    per_capita: Decimal
    sub_funds: tuple[SubFund, ...]
    age_groups: tuple[AgeGroup, ...]
    ip_base_rate: Decimal  # provisional baht per AdjRW (e.g. 8,350 in FY2569)
    ip_max_rate: Decimal | None  # optional ceiling on the year-end rate; None = budget / AdjRW
    ip_regions: tuple[RegionBudget, ...]
    ip_multipliers: dict[str, Decimal]  # multiplier code → factor (e.g. remote-area hospitals)
    late_rules: tuple[LateRule, ...]
    salary_op_percent: Decimal  # deducted from capitation of public units
    salary_ip_percent: Decimal  # deducted from inpatient payments of public units
    rti_deduct: bool  # deduct what road-traffic insurance (พ.ร.บ.) paid
    rti_cap: Decimal  # at most this much per claim
    fee_items: tuple[FeeItem, ...] = field(default_factory=tuple)

    # --- derived ---------------------------------------------------------------------------------------
    def sub_fund_total(self, paid_by: str) -> Decimal:
        return sum((s.per_capita for s in self.sub_funds if s.paid_by == paid_by), Decimal(0))

    @property
    def capitation_per_head(self) -> Decimal:
        """Baht per weighted member per year paid out by capitation runs."""
        return self.sub_fund_total("capitation")

    def ip_budget(self, region: int) -> Decimal | None:
        return next((r.ip_budget for r in self.ip_regions if r.region == region), None)

    def late_percent(self, days: int) -> Decimal:
        chosen = self.late_rules[0].percent if self.late_rules else Decimal(100)
        for rule in self.late_rules:
            if days >= rule.from_days:
                chosen = rule.percent
        return chosen

    def age_group_of(self, age: int) -> AgeGroup | None:
        return next((g for g in self.age_groups if g.min_age <= age and (g.max_age is None or age <= g.max_age)), None)

    def to_json(self) -> dict[str, Any]:
        return _jsonable(asdict(self))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- parsing with clear errors ---------------------------------------------------------------------------

def _bad(where: str, en: str, th: str) -> DomainError:
    return DomainError(BudgetError.FIELD, where=where, problem=en, problem_th=th)


def _decimal(raw: Any, where: str, *, minimum: Decimal | None = Decimal(0), maximum: Decimal | None = None,
             places: int = 2) -> Decimal:
    if isinstance(raw, float):
        raw = repr(raw)
    try:
        value = Decimal(str(raw).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise _bad(where, f"{raw!r} is not a number", f"{raw!r} ไม่ใช่ตัวเลข") from None
    if not value.is_finite():
        raise _bad(where, f"{raw!r} is not a number", f"{raw!r} ไม่ใช่ตัวเลข")
    if minimum is not None and value < minimum:
        raise _bad(where, f"must be at least {minimum}", f"ต้องไม่น้อยกว่า {minimum}")
    if maximum is not None and value > maximum:
        raise _bad(where, f"must be at most {maximum}", f"ต้องไม่เกิน {maximum}")
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise _bad(where, f"has more than {places} decimal places", f"มีทศนิยมเกิน {places} ตำแหน่ง")
    return value


def _int(raw: Any, where: str, *, minimum: int = 0) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise _bad(where, f"{raw!r} is not a whole number", f"{raw!r} ไม่ใช่จำนวนเต็ม") from None
    if value < minimum:
        raise _bad(where, f"must be at least {minimum}", f"ต้องไม่น้อยกว่า {minimum}")
    return value


def _optional(raw: Any, convert: Callable[[Any], Any]) -> Any:
    return None if raw is None or str(raw).strip() == "" else convert(raw)


def _text(raw: Any, where: str, *, required: bool = True) -> str:
    value = "" if raw is None else str(raw).strip()
    if required and not value:
        raise _bad(where, "is empty", "ไม่ได้กรอก")
    return value


def _rows(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data.get(key) or []
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise _bad(key, "must be a list of rows", "ต้องเป็นรายการ")
    return rows


def _unique(codes: list[Any], what: str, what_th: str) -> None:
    seen: set[Any] = set()
    for code in codes:
        if code in seen:
            raise DomainError(BudgetError.DUPLICATE, what=what, what_th=what_th, code=code)
        seen.add(code)


def parse(data: dict[str, Any]) -> YearConfig:
    """Check and convert a configuration dict (from a form, a file or the database)."""
    per_capita = _decimal(data.get("per_capita"), "per_capita")
    sub_funds = []
    for i, row in enumerate(_rows(data, "sub_funds"), start=1):
        where = f"sub_funds[{i}]"
        paid_by = _text(row.get("paid_by") or "other", f"{where}.paid_by")
        if paid_by not in PAID_BY:
            raise _bad(f"{where}.paid_by", f"must be one of {', '.join(PAID_BY)}", f"ต้องเป็น {', '.join(PAID_BY)}")
        sub_funds.append(SubFund(_text(row.get("code"), f"{where}.code"), _text(row.get("name_th"), f"{where}.name_th"),
                                 _text(row.get("name_en"), f"{where}.name_en", required=False),
                                 _decimal(row.get("per_capita"), f"{where}.per_capita"), paid_by))
    _unique([s.code for s in sub_funds], "Sub-fund", "ประเภทบริการ")
    total = sum((s.per_capita for s in sub_funds), Decimal(0))
    if sub_funds and total != per_capita:
        raise DomainError(BudgetError.SUB_FUNDS_SUM, total=total, per_capita=per_capita)

    groups = []
    for i, row in enumerate(_rows(data, "age_groups"), start=1):
        where = f"age_groups[{i}]"
        groups.append(AgeGroup(_text(row.get("code"), f"{where}.code"), _int(row.get("min_age"), f"{where}.min_age"),
                               _optional(row.get("max_age"), lambda v, w=where: _int(v, f"{w}.max_age")),
                               _decimal(row.get("weight"), f"{where}.weight", places=4)))
    _unique([g.code for g in groups], "Age group", "กลุ่มอายุ")
    groups.sort(key=lambda g: g.min_age)
    expected = 0
    for n, group in enumerate(groups):
        last = n == len(groups) - 1
        if group.min_age != expected or (group.max_age is None) != last or (
                group.max_age is not None and group.max_age < group.min_age):
            raise DomainError(BudgetError.AGE_GROUPS)
        expected = (group.max_age or 0) + 1

    regions = [RegionBudget(_int(row.get("region"), f"ip_regions[{i}].region", minimum=1),
                            _decimal(row.get("ip_budget"), f"ip_regions[{i}].ip_budget"))
               for i, row in enumerate(_rows(data, "ip_regions"), start=1)]
    _unique([r.region for r in regions], "Region", "เขต")
    multipliers_raw = data.get("ip_multipliers") or {}
    if not isinstance(multipliers_raw, dict):
        raise _bad("ip_multipliers", "must map a code to a factor", "ต้องเป็นรหัสคู่กับตัวคูณ")
    multipliers = {str(k): _decimal(v, f"ip_multipliers.{k}", places=4) for k, v in multipliers_raw.items()}

    late = [LateRule(_int(row.get("from_days"), f"late_rules[{i}].from_days"),
                     _decimal(row.get("percent"), f"late_rules[{i}].percent", maximum=Decimal(100)))
            for i, row in enumerate(_rows(data, "late_rules"), start=1)]
    steps_up = all(b.from_days > a.from_days for a, b in zip(late, late[1:], strict=False))
    if late and (late[0].from_days != 0 or not steps_up):
        raise DomainError(BudgetError.LATE_RULES)

    items = []
    for i, row in enumerate(_rows(data, "fee_items"), start=1):
        where = f"fee_items[{i}]"
        sex = _int(row.get("sex") or 0, f"{where}.sex")
        if sex not in (0, 1, 2):
            raise _bad(f"{where}.sex", "must be 0 (any), 1 (male) or 2 (female)",
                       "ต้องเป็น 0 (ทุกเพศ), 1 (ชาย) หรือ 2 (หญิง)")
        period = _text(row.get("cap_period") or "year", f"{where}.cap_period")
        if period not in CAP_PERIODS:
            raise _bad(f"{where}.cap_period", "must be year or month", "ต้องเป็น year หรือ month")
        items.append(FeeItem(
            _text(row.get("code"), f"{where}.code"), _text(row.get("name_th"), f"{where}.name_th"),
            _text(row.get("name_en"), f"{where}.name_en", required=False), _decimal(row.get("price"), f"{where}.price"),
            sex, _int(row.get("min_age") or 0, f"{where}.min_age"),
            _optional(row.get("max_age"), lambda v, w=where: _int(v, f"{w}.max_age")),
            _optional(row.get("cap_count"), lambda v, w=where: _int(v, f"{w}.cap_count", minimum=1)),
            _optional(row.get("cap_amount"), lambda v, w=where: _decimal(v, f"{w}.cap_amount")), period))
    _unique([item.code for item in items], "Fee item", "รายการบริการ")

    rti = data.get("rti_deduct", True)
    return YearConfig(
        per_capita=per_capita, sub_funds=tuple(sub_funds), age_groups=tuple(groups),
        ip_base_rate=_decimal(data.get("ip_base_rate"), "ip_base_rate"),
        ip_max_rate=_optional(data.get("ip_max_rate"), lambda v: _decimal(v, "ip_max_rate")),
        ip_regions=tuple(sorted(regions, key=lambda r: r.region)), ip_multipliers=multipliers,
        late_rules=tuple(late),
        salary_op_percent=_decimal(data.get("salary_op_percent") or 0, "salary_op_percent", maximum=Decimal(100)),
        salary_ip_percent=_decimal(data.get("salary_ip_percent") or 0, "salary_ip_percent", maximum=Decimal(100)),
        rti_deduct=rti if isinstance(rti, bool) else str(rti).strip().lower() in ("1", "true", "yes", "on"),
        rti_cap=_decimal(data.get("rti_cap") or 0, "rti_cap"), fee_items=tuple(items))
