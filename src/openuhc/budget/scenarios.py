"""Budget designer scenarios: inputs pre-filled from the data, computed by `designer.compute`, saved whole.

Inputs (JSON, the form's fields): fiscal_year, population {age group: members}, all_population,
population_growth, sub_funds [{code, name, method, unit_cost, use {age group: rate}, amount_per_head,
head_base, cost_growth, policy, fixed}] — every number as a decimal string.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from openuhc.budget.designer import Design, DesignError, Result, SubFund, compute
from openuhc.budget.models import Scenario

BANDS = ["0-4", "5-14", "15-24", "25-34", "35-44", "45-59", "60-69", "70+"]
BY_USE = {"OP": "op", "IP": "ip"}  # sub-funds priced by use, from the claims in the analytics store


def _num(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else "0").replace(",", ""))
    except InvalidOperation:
        raise DesignError(f"{what}: {value!r} is not a number.", f"{what}: {value!r} ไม่ใช่ตัวเลข") from None
    if not number.is_finite():
        raise DesignError(f"{what}: {value!r} is not a number.", f"{what}: {value!r} ไม่ใช่ตัวเลข")
    return number


def design_from(inputs: dict[str, Any]) -> Design:
    population = {}
    for band, n in (inputs.get("population") or {}).items():
        count = _num(n, f"population {band}")
        if count != count.to_integral_value():
            raise DesignError(f"population {band}: whole people only.", f"ประชากร {band}: ต้องเป็นจำนวนเต็ม")
        population[band] = int(count)
    subs = []
    for row in inputs.get("sub_funds") or []:
        code = str(row.get("code", "")).strip()
        subs.append(SubFund(
            code=code, name=str(row.get("name", code)), method=str(row.get("method", "per_head")),
            unit_cost=_num(row.get("unit_cost"), f"{code} unit cost"),
            use={band: _num(v, f"{code} use {band}") for band, v in (row.get("use") or {}).items()},
            amount_per_head=_num(row.get("amount_per_head"), f"{code} amount per head"),
            head_base=str(row.get("head_base", "members")),
            cost_growth=_num(row.get("cost_growth"), f"{code} cost growth"),
            policy=_num(row.get("policy"), f"{code} policy change"), fixed=_num(row.get("fixed"), f"{code} fixed")))
    return Design(fiscal_year=int(_num(inputs.get("fiscal_year"), "fiscal year")), population=population,
                  all_population=int(_num(inputs.get("all_population"), "all population")),
                  population_growth=_num(inputs.get("population_growth"), "population growth"), sub_funds=tuple(subs))


def defaults(fiscal_year: int) -> dict[str, Any]:
    """Next year's inputs from this year's data: members by age group and use rates from the analytics store,
    unit costs from claims and the in-force configuration, per-head amounts from the configuration."""
    from openuhc.monitoring import store

    base_year = fiscal_year - 1
    population = dict.fromkeys(BANDS, 0)
    everyone, visits, admissions, person_years = 0, {}, {}, {}
    charge_per_visit, adjrw_per_admission = Decimal(0), Decimal(0)
    present = set(store.facts_present())
    if "population" in present:
        latest = store.query('SELECT max(month) AS m FROM "population" WHERE fy <= ?', [base_year],
                             facts=["population"])[0]["m"]
        if latest:
            for row in store.query('SELECT age_band, sum(registered) AS reg, sum(persons) AS people '
                                   'FROM "population" WHERE month = ? GROUP BY 1', [latest], facts=["population"]):
                if row["age_band"] in population:
                    population[row["age_band"]] = int(row["reg"] or 0)
                everyone += int(row["people"] or 0)
        months_with = {}
        for name, fact, measure in (("op", "op_visits", "visits"), ("ip", "ip_admissions", "admissions")):
            if fact in present:
                rows = store.query(f'SELECT age_band, sum({measure}) AS n, count(DISTINCT month) AS months, '
                                   f'sum(charge) AS charge FROM "{fact}" WHERE fy = ? GROUP BY 1', [base_year],
                                   facts=[fact])
                (visits if name == "op" else admissions).update({r["age_band"]: Decimal(r["n"]) for r in rows})
                months_with[name] = max((int(r["months"]) for r in rows), default=0)
                total = sum((Decimal(r["n"]) for r in rows), Decimal(0))
                if name == "op" and total:
                    charge_per_visit = sum((Decimal(str(r["charge"] or 0)) for r in rows), Decimal(0)) / total
            if fact == "ip_admissions" and fact in present:
                row = store.query('SELECT sum(adjrw) AS a, sum(grouped) AS g FROM "ip_admissions" WHERE fy = ?',
                                  [base_year], facts=[fact])[0]
                if row["g"]:
                    adjrw_per_admission = Decimal(str(row["a"])) / Decimal(row["g"])
        for name, months in months_with.items():
            if months:
                rows = store.query('SELECT age_band, sum(registered) AS pm FROM "population" WHERE fy = ? AND month IN '
                                   f'(SELECT DISTINCT month FROM "{"op_visits" if name == "op" else "ip_admissions"}" '
                                   'WHERE fy = ?) GROUP BY 1', [base_year, base_year],
                                   facts=["population", "op_visits" if name == "op" else "ip_admissions"])
                person_years[name] = {r["age_band"]: Decimal(r["pm"] or 0) / 12 for r in rows}
    config = _config(base_year)
    base_rate = Decimal(str(config.ip_base_rate)) if config else Decimal(8350)
    subs = []
    for sub in (config.sub_funds if config else []):
        row: dict[str, Any] = {"code": sub.code, "name": sub.name_en, "method": "per_head",
                               "amount_per_head": str(sub.per_capita), "head_base": "all" if sub.code == "PP"
                               else "members", "cost_growth": "0", "policy": "0", "fixed": "0", "unit_cost": "0",
                               "use": {}}
        kind = BY_USE.get(sub.code)
        counts = visits if kind == "op" else admissions if kind == "ip" else {}
        years = person_years.get(kind or "", {})
        if kind and counts and years:
            row["method"] = "use"
            row["use"] = {band: str((counts.get(band, Decimal(0)) / years[band]).quantize(Decimal("0.0001")))
                          if years.get(band) else "0" for band in BANDS}
            cost = charge_per_visit if kind == "op" else base_rate * (adjrw_per_admission or Decimal(1))
            row["unit_cost"] = str(cost.quantize(Decimal("0.01")))
        subs.append(row)
    return {"fiscal_year": fiscal_year, "population": {b: str(n) for b, n in population.items()},
            "all_population": str(everyone), "population_growth": "0", "sub_funds": subs}


def _config(fiscal_year: int) -> Any:
    from openuhc.budget.models import BudgetVersion

    version = BudgetVersion.objects.filter(scheme__code="UCS", fiscal_year=fiscal_year).order_by(
        "-valid_from", "-number").first()
    return version.config if version else None


def save(*, name: str, inputs: dict[str, Any], actor: Any, based_on: Scenario | None = None) -> Scenario:
    if not name.strip():
        raise DesignError("A scenario needs a name.", "ต้องตั้งชื่อทางเลือก")
    result = compute(design_from(inputs))
    return Scenario.objects.create(name=name.strip()[:200], fiscal_year=result.fiscal_year, inputs=inputs,
                                   per_capita=result.per_capita, total=result.total, based_on=based_on,
                                   created_by=actor if getattr(actor, "pk", None) else None)


def result_of(scenario: Scenario) -> Result:
    return compute(design_from(scenario.inputs))
