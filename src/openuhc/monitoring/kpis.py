"""Key performance indicators, each defined once: a numerator and a denominator over facts in the store.

    KPIS["op_visits_per_py"].compute(Filters(fy=2569, region="1"), by="province")

A measure is a SQL aggregate over one fact. A "stock" measure (people registered, people covered) is read at
the last month of the period; a "flow" measure (visits, money) is summed over the period. Rates over
person-time use the monthly population snapshots: the sum of a month's registered people over the months of
the period is person-months, so "per person-year" is numerator × 12 / person-months.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import duckdb
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openuhc.monitoring import store

DIMENSIONS: dict[str, Promise] = {
    "all": _("Total"), "month": _("Month"), "region": _("Region"), "province": _("Province"),
    "hcode": _("Unit"), "subfund": _("Sub-fund"), "kind": _("Kind"), "category": _("Category"),
    "fund": _("Fund"),
}


@dataclass(frozen=True)
class Filters:
    fy: int | None = None
    region: str | None = None
    province: str | None = None
    hcodes: tuple[str, ...] | None = None  # None: any unit; (): none at all
    month: str | None = None

    def key(self) -> str:
        return f"{self.fy}|{self.region}|{self.province}|{','.join(self.hcodes or ())}|{self.month}"


@dataclass(frozen=True)
class Measure:
    fact: str
    expr: str
    where: str = ""
    stock: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # dimension → column in this fact, when it differs

    def column(self, dim: str) -> str:
        return self.columns.get(dim, dim)

    def sql(self, by: str, filters: Filters) -> tuple[str, list[Any]]:
        conds, params = [], []
        if self.where:
            conds.append(f"({self.where})")
        for dim, value in (("region", filters.region), ("province", filters.province)):
            if value:
                conds.append(f"{self.column(dim)} = ?")
                params.append(value)
        if filters.hcodes is not None:
            if not filters.hcodes:
                conds.append("FALSE")
            else:
                conds.append(f"{self.column('hcode')} IN ({', '.join('?' for _ in filters.hcodes)})")
                params.extend(filters.hcodes)
        period = []
        if filters.fy:
            period.append("fy = ?")
            params.append(filters.fy)
        if filters.month:
            period.append("month = ?")
            params.append(filters.month)
        conds.extend(period)
        if self.stock and by != "month":
            inner = " AND ".join(period) or "TRUE"
            conds.append(f"month = (SELECT max(month) FROM \"{self.fact}\" WHERE {inner})")
            params.extend(params[len(params) - len(period):] if period else [])
        key = "'all'" if by == "all" else f"CAST({self.column(by)} AS VARCHAR)"
        where = " AND ".join(conds) or "TRUE"
        return f'SELECT {key} AS key, {self.expr} AS v FROM "{self.fact}" WHERE {where} GROUP BY 1', params


@dataclass(frozen=True)
class Row:
    key: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None


@dataclass(frozen=True)
class Kpi:
    code: str
    name: Promise
    description: Promise
    unit: Promise
    numerator: Measure
    denominator: Measure | None = None
    scale: Decimal = Decimal(1)
    decimals: int = 2
    dims: tuple[str, ...] = ("month", "region", "province", "hcode")
    # the roles whose dashboard shows this KPI (every KPI is an aggregate: no personal data)
    roles: frozenset[str] = frozenset({"national", "regional", "hospital", "analyst", "localfund", "centre",
                                       "secretariat", "pao"})
    target: Callable[[], Decimal] | None = None

    @property
    def facts(self) -> list[str]:
        return [m.fact for m in (self.numerator, self.denominator) if m is not None]

    def available(self) -> bool:
        present = set(store.facts_present())
        return all(f in present for f in self.facts)

    def compute(self, filters: Filters, by: str = "all") -> list[Row]:
        if by != "all" and by not in self.dims:
            raise ValueError(by)
        if not self.available():
            return []
        con = store.connect(self.facts)
        try:
            top = self._fetch(con, self.numerator, by, filters)
            if self.denominator is None:
                return [Row(k, v, None, _round(v, self.decimals)) for k, v in sorted(top.items())]
            # A breakdown the denominator does not have (e.g. sub-fund) divides each row by the total.
            den_by = by if by == "all" or self.denominator.column(by) in _columns(con, self.denominator.fact) else "all"
            bottom = self._fetch(con, self.denominator, den_by, filters)
        finally:
            con.close()
        rows = []
        for key in sorted(set(top) | (set(bottom) if den_by == by else set())):
            d = bottom.get(key if den_by == by else "all")
            n = top.get(key, Decimal(0) if d else None)  # a unit with people and no visits has a rate of 0
            value = None if n is None or not d else _round(n * self.scale / d, self.decimals)
            rows.append(Row(key, n, d, value))
        return rows

    def _fetch(self, con: duckdb.DuckDBPyConnection, measure: Measure, by: str, filters: Filters) -> dict[str, Decimal]:
        sql, params = measure.sql(by, filters)
        out = {}
        for key, value in con.execute(sql, params).fetchall():
            # the "no unit" group of a unit breakdown (people not registered) has nothing to show
            if value is not None and not (key == "" and value == 0):
                out[str(key)] = Decimal(str(value))
        return out


def _columns(con: duckdb.DuckDBPyConnection, fact: str) -> set[str]:
    return {row[0] for row in con.execute(f'DESCRIBE "{fact}"').fetchall()}


def _round(value: Decimal | None, decimals: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _on_time_target() -> Decimal:
    from openuhc.core import params
    from openuhc.core.dates import today

    return Decimal(str(params.get("monitoring.on_time_target_percent", on=today())))


RESIDENCE = {"region": "res_region", "province": "res_province"}
REGISTERED = Measure("population", "sum(registered)")
PERSON_MONTHS = REGISTERED  # summed over the months of a period: person-months of registered people

KPIS: dict[str, Kpi] = {k.code: k for k in [
    Kpi("coverage_rate", _("Coverage rate"),
        _("Living people with a coverage scheme, as a share of all living people in the registry (by residence)."),
        _("%"), Measure("population", "sum(covered)", stock=True, columns=RESIDENCE),
        Measure("population", "sum(persons)", stock=True, columns=RESIDENCE), scale=Decimal(100), decimals=2,
        dims=("month", "region", "province")),
    Kpi("registered_population", _("Registered population"),
        _("Members of schemes that register people with a unit (UCS), registered with a main unit, at the "
          "end of the period."),
        _("persons"), Measure("population", "sum(registered)", stock=True), decimals=0),
    Kpi("op_visits_per_py", _("OP visits per person-year"),
        _("Outpatient visits in accepted claims, per person-year of registered population."),
        _("visits per person-year"), Measure("op_visits", "sum(visits)"), PERSON_MONTHS, scale=Decimal(12),
        decimals=2),
    Kpi("admissions_per_1000", _("Admissions per 1,000"),
        _("Inpatient admissions in accepted claims, per 1,000 person-years of registered population."),
        _("per 1,000 person-years"), Measure("ip_admissions", "sum(admissions)"), PERSON_MONTHS,
        scale=Decimal(12_000), decimals=1),
    Kpi("case_mix_index", _("AdjRW per admission (case-mix index)"),
        _("Sum of adjusted relative weights of grouped admissions divided by their number."),
        _("AdjRW"), Measure("ip_admissions", "sum(adjrw)"), Measure("ip_admissions", "sum(grouped)"), decimals=4),
    Kpi("spending_per_capita", _("Spending per capita"),
        _("Money paid to units (capitation, inpatient, fee schedule), per person-year of registered "
          "population; by sub-fund when broken down so."),
        _("baht per person-year"), Measure("payments", "sum(amount)"), PERSON_MONTHS, scale=Decimal(12),
        decimals=2, dims=("month", "region", "province", "hcode", "subfund")),
    Kpi("rate_per_adjrw", _("Rate per AdjRW"),
        _("Inpatient money paid divided by the AdjRW it paid for (the point value)."),
        _("baht per AdjRW"), Measure("payments", "sum(amount)", where="kind = 'ip'"),
        Measure("payments", "sum(adjrw)", where="kind = 'ip'"), decimals=2),
    Kpi("localfund_unspent_share", _("Local funds: unspent share"),
        _("Money received by local health security funds and not spent, as a share of what they received."),
        _("%"), Measure("localfund", "sum(CASE WHEN direction = 'in' THEN amount ELSE -amount END)"),
        Measure("localfund", "sum(amount)", where="direction = 'in'"), scale=Decimal(100), decimals=1,
        dims=("month", "region", "province", "fund"),
        roles=frozenset({"national", "regional", "analyst", "localfund", "secretariat", "pao"})),
    Kpi("complaints_on_time", _("Complaints closed on time"),
        _("Complaints closed within their deadline, as a share of complaints closed."),
        _("%"), Measure("cases", "sum(on_time)", where="kind = 'complaint'"),
        Measure("cases", "sum(closed)", where="kind = 'complaint'"), scale=Decimal(100), decimals=1,
        dims=("month", "region", "province", "hcode", "category"),
        roles=frozenset({"national", "regional", "analyst", "centre", "secretariat"}), target=_on_time_target),
]}


def for_role(role: str | None) -> list[Kpi]:
    return [k for k in KPIS.values() if role in k.roles]
