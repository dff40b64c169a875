"""The what-if budget designer (ออกแบบงบประมาณเหมาจ่ายรายหัว): next year's per-capita amount, sub-fund by sub-fund.

Pure functions, no database: a `Design` holds the inputs, `compute(design)` returns every output with the
arithmetic that produced it, so a page can show where each number comes from.

For a sub-fund priced by use (OP, IP, ...):

    cost_s = Σ_g  N_g × use_{s,g} × unit_cost_s × (1 + cost_growth_s) × (1 + policy_s)  + fixed_s

where N_g is the population of age group g in the design year (base population × (1 + population growth)),
use_{s,g} services per person-year, unit_cost_s baht per service. For a sub-fund priced per head (prevention
and promotion is budgeted per head of every Thai national, not only members):

    cost_s = N_base(s) × amount_per_head_s × (1 + cost_growth_s) × (1 + policy_s)  + fixed_s

per capita_s = cost_s / N (the members), total = Σ_s cost_s, per capita = Σ_s per capita_s.
Rounding (one rule): each sub-fund's cost is rounded half-up to the satang, then each per-capita amount
half-up to the satang; the totals are sums of the rounded parts, so the page's columns always add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SATANG = Decimal("0.01")


def _satang(value: Decimal) -> Decimal:
    return value.quantize(SATANG, rounding=ROUND_HALF_UP)


class DesignError(ValueError):
    """A design that cannot be computed; the message says which input is wrong (English, Thai)."""

    def __init__(self, message_en: str, message_th: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_th = message_th


@dataclass(frozen=True)
class SubFund:
    code: str
    name: str
    method: str  # "use" (use rate × unit cost) or "per_head"
    unit_cost: Decimal = Decimal(0)  # baht per service ("use")
    use: dict[str, Decimal] = field(default_factory=dict)  # age group → services per person-year ("use")
    amount_per_head: Decimal = Decimal(0)  # baht per person per year ("per_head")
    head_base: str = "members"  # "members" or "all" (every national, e.g. prevention and promotion)
    cost_growth: Decimal = Decimal(0)  # e.g. 0.03 for +3 % prices
    policy: Decimal = Decimal(0)  # e.g. 0.10 for a new benefit adding 10 %
    fixed: Decimal = Decimal(0)  # baht added as a whole (a new programme)


@dataclass(frozen=True)
class Design:
    fiscal_year: int
    population: dict[str, int]  # members by age group in the base year
    all_population: int = 0  # every national, for per-head sub-funds based on "all"
    population_growth: Decimal = Decimal(0)
    sub_funds: tuple[SubFund, ...] = ()


@dataclass(frozen=True)
class Term:
    """One line of arithmetic behind an output: what was multiplied, and what it gave."""

    label: str
    factors: tuple[tuple[str, Decimal], ...]
    value: Decimal


@dataclass(frozen=True)
class SubFundResult:
    code: str
    name: str
    cost: Decimal
    per_capita: Decimal
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class Result:
    fiscal_year: int
    members: int
    all_population: int
    sub_funds: tuple[SubFundResult, ...]
    total: Decimal
    per_capita: Decimal
    population_terms: tuple[Term, ...]


def projected(count: int, growth: Decimal) -> int:
    """A projected head count: whole people, half-up."""
    return int((Decimal(count) * (1 + growth)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def compute(design: Design) -> Result:
    if not design.population or sum(design.population.values()) <= 0:
        raise DesignError("The design needs a population by age group.", "ต้องระบุจำนวนประชากรรายกลุ่มอายุ")
    if any(n < 0 for n in design.population.values()):
        raise DesignError("A population cannot be negative.", "จำนวนประชากรติดลบไม่ได้")
    codes = [s.code for s in design.sub_funds]
    if len(set(codes)) != len(codes):
        raise DesignError("Each sub-fund appears once.", "แต่ละประเภทบริการระบุได้ครั้งเดียว")
    growth = design.population_growth
    pop = {g: projected(n, growth) for g, n in design.population.items()}
    pop_terms = tuple(Term(f"N[{g}]", (("base", Decimal(design.population[g])), ("× (1 + growth)", 1 + growth)),
                           Decimal(pop[g])) for g in design.population)
    members = sum(pop.values())
    everyone = projected(design.all_population, growth) if design.all_population else members
    results = []
    for sub in design.sub_funds:
        adjust = (1 + sub.cost_growth) * (1 + sub.policy)
        terms: list[Term] = []
        if sub.method == "use":
            unknown = set(sub.use) - set(pop)
            if unknown:
                raise DesignError(f"Sub-fund {sub.code}: use rates for unknown age groups {sorted(unknown)}.",
                                  f"ประเภทบริการ {sub.code}: มีอัตราการใช้บริการของกลุ่มอายุที่ไม่มีในประชากร {sorted(unknown)}")
            if sub.unit_cost < 0 or any(v < 0 for v in sub.use.values()):
                raise DesignError(f"Sub-fund {sub.code}: use rates and unit costs cannot be negative.",
                                  f"ประเภทบริการ {sub.code}: อัตราการใช้บริการและต้นทุนต่อหน่วยติดลบไม่ได้")
            raw = Decimal(0)
            for g, n in pop.items():
                use = sub.use.get(g, Decimal(0))
                value = Decimal(n) * use * sub.unit_cost * adjust
                raw += value
                terms.append(Term(g, (("N", Decimal(n)), ("use", use), ("unit cost", sub.unit_cost),
                                      ("× (1 + cost growth)", 1 + sub.cost_growth), ("× (1 + policy)", 1 + sub.policy)),
                                  value))
        elif sub.method == "per_head":
            if sub.amount_per_head < 0:
                raise DesignError(f"Sub-fund {sub.code}: the amount per head cannot be negative.",
                                  f"ประเภทบริการ {sub.code}: จำนวนเงินต่อหัวติดลบไม่ได้")
            heads = everyone if sub.head_base == "all" else members
            raw = Decimal(heads) * sub.amount_per_head * adjust
            terms.append(Term("all nationals" if sub.head_base == "all" else "members",
                              (("N", Decimal(heads)), ("amount per head", sub.amount_per_head),
                               ("× (1 + cost growth)", 1 + sub.cost_growth), ("× (1 + policy)", 1 + sub.policy)), raw))
        else:
            raise DesignError(f"Sub-fund {sub.code}: unknown method {sub.method!r} (use or per_head).",
                              f"ประเภทบริการ {sub.code}: ไม่รู้จักวิธีคำนวณ {sub.method!r} (use หรือ per_head)")
        if sub.fixed:
            terms.append(Term("fixed", (("fixed amount", sub.fixed),), sub.fixed))
            raw += sub.fixed
        cost = _satang(raw)
        results.append(SubFundResult(sub.code, sub.name, cost, _satang(cost / members), tuple(terms)))
    total = sum((r.cost for r in results), Decimal(0))
    per_capita = sum((r.per_capita for r in results), Decimal(0))
    return Result(design.fiscal_year, members, everyone, tuple(results), total, per_capita, pop_terms)
