"""Pure pricing functions over Arrow tables: inpatient (IP) global budget and fee schedule. No database.

Every function takes Arrow data (a `pa.Table` or `pa.RecordBatch`) and plain rules, and returns Arrow tables;
the same input always gives the same bytes. Column contracts are documented in docs/payment.md.

Money. Inside, every amount is an integer number of satang (int64), so sums are exact; money columns in
and out are `decimal128(16, 2)` baht. AdjRW comes in as float64 and is rounded half away from zero to
4 decimal places (ten-thousandths) on entry; from there on it is an integer too.

The rounding rule of an inpatient round, per region and budget year (the one rule, stated once):
  weight_i   = AdjRW2_i × late%_i, with AdjRW2_i = AdjRW_i × CCUF_i × multiplier_i rounded half-up to 4 places
               once (the product of the three, not a rounded CCUF × multiplier times AdjRW)
  rate       = base rate, or — when base rate × Σ weight would exceed what is left of the year's regional budget
               — what is left divided by Σ weight, rounded DOWN to the satang (the rate floats down; the budget is
               never exceeded)
  total      = rate × Σ weight, rounded half-up to the satang (≤ budget, because the budget is whole satang)
  claim_i    = ⌊rate × weight_i⌋ satang, plus one satang for the (total − Σ⌊…⌋) claims with the largest
               remainders (ties: smaller claim_id first) — so the claims sum exactly to the total.
Deductions per claim, in the order of the NHSO statement: road-traffic insurance = min(amount the insurer
paid, the cap, the claim amount); salary deduction (public units) = (claim − road-traffic) × salary %,
rounded half-up to the satang; net = claim − road-traffic − salary.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from openuhc.core.errors import DomainError
from openuhc.payment.errors import PaymentError

E4 = 10_000
E8 = 100_000_000
INT64_MAX = 2**63 - 1
MONEY = pa.decimal128(16, 2)

IP_REQUIRED = ("claim_id", "hcode", "region", "fiscal_year", "adjrw")
IP_KEYS = ["region", "fiscal_year"]  # the claims of one region charged to one fiscal year's budget share a rate
FEE_REQUIRED = ("claim_id", "hcode", "region", "service_date", "person_key", "item")


# --- money conversion ------------------------------------------------------------------------------------

def satang(amount: Decimal | int | str) -> int:
    """Baht (exact to the satang) → integer satang."""
    value = Decimal(amount) * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} baht is not a whole number of satang")
    return int(value)


def to_money(values: pa.Array | pa.ChunkedArray | pl.Series) -> pa.Array:
    """int64 satang → decimal128(16, 2) baht, exactly."""
    if isinstance(values, pl.Series):
        values = values.to_arrow()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    scaled = pc.multiply(values.cast(pa.int64()).cast(pa.decimal128(19, 0)),
                         pa.scalar(Decimal("0.01"), pa.decimal128(3, 2)))
    return scaled.cast(MONEY)


def _money_in(df: pl.DataFrame, column: str) -> pl.Expr:
    """A decimal baht column (or absent/null) → int64 satang; floats are refused (they cannot hold satang)."""
    if column not in df.columns:
        return pl.lit(0, dtype=pl.Int64)
    dtype = df.schema[column]
    if isinstance(dtype, pl.Decimal):
        return (pl.col(column).cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64).fill_null(0)
    if dtype.is_integer():
        raise DomainError(PaymentError.MONEY_COLUMN, column=column, kind=str(dtype))
    raise DomainError(PaymentError.MONEY_COLUMN, column=column, kind=str(dtype))


def _frame(data: pa.Table | pa.RecordBatch, required: Sequence[str]) -> pl.DataFrame:
    df = pl.from_arrow(data)
    assert isinstance(df, pl.DataFrame)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DomainError(PaymentError.MISSING_COLUMNS, columns=", ".join(missing))
    for column in required:
        nulls = df.get_column(column).null_count()
        if nulls:
            raise DomainError(PaymentError.NULLS, column=column, count=nulls)
    if df.height and df.get_column("claim_id").is_duplicated().any():
        first = df.filter(pl.col("claim_id").is_duplicated()).get_column("claim_id")[0]
        raise DomainError(PaymentError.DUPLICATE_CLAIM, claim_id=first)
    return df


def _percent_bp(percent: Decimal) -> int:
    """A percentage with at most 2 decimals → basis points (100.00 % = 10,000)."""
    return satang(percent)


def _late_bp(rules: Sequence[tuple[int, Decimal]]) -> pl.Expr:
    days = pl.col("late_days").fill_null(0)
    ordered = sorted(rules)
    if not ordered:
        return pl.lit(E4, dtype=pl.Int64)
    expr = pl.lit(_percent_bp(ordered[0][1]), dtype=pl.Int64)
    for from_days, percent in ordered[1:]:
        expr = pl.when(days >= from_days).then(pl.lit(_percent_bp(percent), dtype=pl.Int64)).otherwise(expr)
    return expr


def _allocate_in_groups(keys: list[str], exact: str, totals: str) -> pl.Expr:
    """The satang each row gets: ⌊exact / 1e8⌋ plus one for the rows with the largest remainders of a group,
    as many as the group's total needs. The frame must be sorted by keys, remainder descending, claim_id."""
    floor = pl.col(exact) // E8
    position = pl.int_range(pl.len()).over(keys)
    short = pl.col(totals) - floor.sum().over(keys)
    return floor + (position < short).cast(pl.Int64)


# --- inpatient ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IpRules:
    """What IP pricing needs from a fiscal year's configuration (see budget.config.YearConfig)."""

    base_rate: Decimal
    budgets: Mapping[tuple[int, int], Decimal]  # (region, fiscal year BE) → what is left of its budget, baht
    late_rules: Sequence[tuple[int, Decimal]] = ((0, Decimal(100)),)
    multipliers: Mapping[str, Decimal] = field(default_factory=dict)
    salary_percent: Decimal = Decimal(0)
    rti_deduct: bool = True
    rti_cap: Decimal | None = None
    max_rate: Decimal | None = None  # year-end: a ceiling on the final rate (None: budget / AdjRW)

    @classmethod
    def from_config(cls, config: object, budgets: Mapping[tuple[int, int], Decimal] | None = None) -> IpRules:
        """The rules of a year's configuration; `budgets` (region, fiscal year) → what a round may spend."""
        return cls(base_rate=config.ip_base_rate,  # type: ignore[attr-defined]
                   budgets=dict(budgets or {}),
                   late_rules=tuple((r.from_days, r.percent) for r in config.late_rules),  # type: ignore[attr-defined]
                   multipliers=dict(config.ip_multipliers),  # type: ignore[attr-defined]
                   salary_percent=config.salary_ip_percent,  # type: ignore[attr-defined]
                   rti_deduct=config.rti_deduct, rti_cap=config.rti_cap or None,  # type: ignore[attr-defined]
                   max_rate=config.ip_max_rate)  # type: ignore[attr-defined]


def _ip_weights(df: pl.DataFrame, rules: IpRules) -> pl.DataFrame:
    if df.height and df.get_column("adjrw").min() < 0:  # type: ignore[operator]
        raise DomainError(PaymentError.NEGATIVE, column="adjrw")
    codes = {str(k) for k in rules.multipliers}
    if "multiplier_code" in df.columns:
        used = set(df.get_column("multiplier_code").drop_nulls().unique().to_list())
        unknown = sorted(used - set(codes))
        if unknown:
            raise DomainError(PaymentError.UNKNOWN_MULTIPLIER, codes=", ".join(unknown))
        factors = {k: int(Decimal(v) * E4) for k, v in rules.multipliers.items()}
        multiplier = pl.col("multiplier_code").replace_strict(factors, default=E4, return_dtype=pl.Int64)
    else:
        multiplier = pl.lit(E4, dtype=pl.Int64)
    if df.height and "ccuf" in df.columns and (df.get_column("ccuf").fill_null(1.0).min() or 0) < 0:  # type: ignore[operator]
        raise DomainError(PaymentError.NEGATIVE, column="ccuf")
    ccuf = ((pl.col("ccuf").fill_null(1.0) * E4).round(0, mode="half_away_from_zero").cast(pl.Int64)
            if "ccuf" in df.columns else pl.lit(E4, dtype=pl.Int64))
    late = _late_bp(rules.late_rules) if "late_days" in df.columns else pl.lit(E4, dtype=pl.Int64)
    public = pl.col("is_public").fill_null(False) if "is_public" in df.columns else pl.lit(False)
    df = df.with_columns(
        adjrw_e4=(pl.col("adjrw") * E4).round(0, mode="half_away_from_zero").cast(pl.Int64),
        ccuf_e4=ccuf, multiplier_e4=multiplier,
        late_bp=late, rti_in=_money_in(df, "rti_amount"), is_public=public,
        region=pl.col("region").cast(pl.Int32), fiscal_year=pl.col("fiscal_year").cast(pl.Int32),
    )
    # AdjRW2 = AdjRW × CCUF × multiplier, each with 4 places: the exact product has 12, rounded half-up once.
    df = df.with_columns(adjrw2_e4=(pl.col("adjrw_e4") * pl.col("ccuf_e4") * pl.col("multiplier_e4") + E8 // 2)
                         // E8)
    return df.with_columns(w_e8=pl.col("adjrw2_e4") * pl.col("late_bp"))


def _rate_for(budget: int, base: int, weight: int, cap: int | None = None) -> tuple[int, bool]:
    """Satang per AdjRW: the base rate, or floated down so that rate × weight ≤ budget."""
    rate, floated = base, False
    if weight > 0 and base * weight > budget * E8:
        rate, floated = (budget * E8) // weight, True
    if cap is not None and rate > cap:
        rate = cap
    return rate, floated


def _deductions(df: pl.DataFrame, rules: IpRules, gross: str) -> pl.DataFrame:
    if rules.rti_deduct:
        rti = pl.min_horizontal(pl.col("rti_in"), pl.col(gross))
        if rules.rti_cap is not None:
            rti = pl.min_horizontal(rti, pl.lit(satang(rules.rti_cap), dtype=pl.Int64))
    else:
        rti = pl.lit(0, dtype=pl.Int64)
    bp = _percent_bp(rules.salary_percent)
    df = df.with_columns(rti_s=rti)
    salary = pl.when(pl.col("is_public")).then(((pl.col(gross) - pl.col("rti_s")) * bp + E4 // 2) // E4).otherwise(0)
    df = df.with_columns(salary_s=salary.cast(pl.Int64))
    return df.with_columns(net_s=pl.col(gross) - pl.col("rti_s") - pl.col("salary_s"))


def _check_overflow(df: pl.DataFrame) -> None:
    """rate × weight must fit in int64 satang × 1e8 for every claim (a float estimate, with a margin)."""
    if df.height and (df.select((pl.col("rate").cast(pl.Float64) * pl.col("w_e8")).max()).item() or 0) > INT64_MAX / 2:
        raise DomainError(PaymentError.TOO_LARGE)


def price_ip(data: pa.Table | pa.RecordBatch, rules: IpRules) -> tuple[pa.Table, pa.Table]:
    """Price inpatient claims of any number of (region, budget year) groups with one year's rules. Returns
    (claims, summary per region and budget year)."""
    df = _ip_weights(_frame(data, IP_REQUIRED), rules)
    keys = IP_KEYS
    groups = df.group_by(keys).agg(claims=pl.len(), weight=pl.col("w_e8").sum()).sort(keys)
    base = satang(rules.base_rate)
    rows = []
    for region, year, claims, weight in groups.iter_rows():
        if (region, year) not in rules.budgets:
            raise DomainError(PaymentError.NO_BUDGET, region=region, month=f"FY{year}")
        budget = max(0, satang(rules.budgets[(region, year)]))
        rate, floated = _rate_for(budget, base, int(weight))
        total = (rate * int(weight) + E8 // 2) // E8
        rows.append((region, year, claims, int(weight), budget, base, rate, floated, total))
    rates = pl.DataFrame(rows, schema={"region": pl.Int32, "fiscal_year": pl.Int32, "claims": pl.Int64,
                                       "weight": pl.Int64, "budget": pl.Int64, "base_rate": pl.Int64,
                                       "rate": pl.Int64, "floated": pl.Boolean, "total": pl.Int64}, orient="row")
    df = df.join(rates.select([*keys, "rate", "floated", "total"]), on=keys, how="left")
    _check_overflow(df)
    df = df.with_columns(exact=pl.col("rate") * pl.col("w_e8"))
    df = df.with_columns(rem=pl.col("exact") % E8).sort([*keys, "rem", "claim_id"], descending=[False, False, True,
                                                                                                  False])
    df = df.with_columns(gross_s=_allocate_in_groups(keys, "exact", "total"))
    df = _deductions(df, rules, "gross_s").sort("claim_id")
    reasons = pl.concat_str([
        pl.when(pl.col("floated")).then(pl.lit("RATE_FLOATED")),
        pl.when(pl.col("late_bp") < E4).then(pl.lit("LATE")),
        pl.when(pl.col("rti_s") > 0).then(pl.lit("RTI")),
        pl.when(pl.col("salary_s") > 0).then(pl.lit("SALARY")),
    ], separator=",", ignore_nulls=True)
    out = df.select("claim_id", "hcode", "region", "fiscal_year", "is_public",
                    adjrw=pl.col("adjrw_e4") / E4, adjrw2=pl.col("adjrw2_e4") / E4, reasons=reasons)
    claims = out.to_arrow().append_column("late_percent", to_money(df.get_column("late_bp")))
    for name, column in (("rate", "rate"), ("amount", "gross_s"), ("rti", "rti_s"), ("salary", "salary_s"),
                         ("net", "net_s")):
        claims = claims.append_column(name, to_money(df.get_column(column)))
    sums = df.group_by(keys).agg(gross=pl.col("gross_s").sum(), rti=pl.col("rti_s").sum(),
                                 salary=pl.col("salary_s").sum(), net=pl.col("net_s").sum())
    rates = rates.join(sums, on=keys, how="left").fill_null(0).sort(keys)
    summary = rates.select(*keys, "claims", "floated", payable_adjrw=pl.col("weight") / E8).to_arrow()
    for name in ("budget", "base_rate", "rate", "total", "rti", "salary", "net"):
        summary = summary.append_column(name, to_money(rates.get_column(name)))
    return claims, summary


def by_year(data: pa.Table | pa.RecordBatch, rules: Mapping[int, object],
            missing: Callable[[int], DomainError]) -> tuple[pa.Table, list[tuple[int, pa.Table]]]:
    """A round's rows split by their `fiscal_year` (each year is priced with its own rules; `missing(fy)` is the
    refusal for a year without rules). Returns the whole table and [(year, its rows)] in year order."""
    table = data if isinstance(data, pa.Table) else pa.Table.from_batches([data])
    if "fiscal_year" not in table.column_names:
        raise DomainError(PaymentError.MISSING_COLUMNS, columns="fiscal_year")
    years = sorted({int(y) for y in table.column("fiscal_year").drop_null().to_pylist()})
    for year in years:
        if year not in rules:
            raise missing(year)
    if len(years) <= 1:
        return table, [(years[0], table)] if years else []
    return table, [(year, table.filter(pc.equal(table.column("fiscal_year"), year))) for year in years]


def price_ip_years(data: pa.Table | pa.RecordBatch, rules: Mapping[int, IpRules]) -> tuple[pa.Table, pa.Table]:
    """Price a round's claims charged to several fiscal years, each year with its own rules (its configuration:
    base rate, late-submission steps, multipliers, deductions, and what is left of its budget)."""
    table, parts = by_year(data, rules, lambda fy: DomainError(PaymentError.NO_BUDGET, region="-", month=f"FY{fy}"))
    if len(parts) <= 1:
        return price_ip(table, rules[parts[0][0]] if parts else next(iter(rules.values()), IpRules(Decimal(0), {})))
    priced = [price_ip(rows, rules[year]) for year, rows in parts]
    return pa.concat_tables([p[0] for p in priced]).sort_by("claim_id"), pa.concat_tables([p[1] for p in priced])


def price_ip_batch(batch: pa.RecordBatch, rules: IpRules) -> pa.RecordBatch:
    """The engine's shape (`pa.RecordBatch -> pa.RecordBatch`): a batch must hold whole (region, budget year)
    groups, because the round's rate of a budget year depends on all its claims."""
    claims, _ = price_ip(batch, rules)
    return claims.combine_chunks().to_batches()[0] if claims.num_rows else pa.RecordBatch.from_pylist(
        [], schema=claims.schema)


def reconcile_ip_year(priced: pa.Table, budgets: Mapping[int, Decimal], rules: IpRules) -> tuple[pa.Table, pa.Table]:
    """Year-end reconciliation of a region's inpatient money: the final rate is the year's budget divided by
    the year's payable AdjRW (rounded down to the satang, at most `rules.max_rate`); each claim's final amount
    is allocated as in `price_ip`; the difference with what was paid is paid (positive) or recovered
    (negative). `priced` is the year's output of `price_ip` (columns claim_id, hcode, region, is_public,
    adjrw2, late_percent, amount, rti, salary)."""
    df = pl.from_arrow(priced)
    assert isinstance(df, pl.DataFrame)
    df = df.select("claim_id", "hcode", "region", "is_public", "adjrw2", "late_percent", "amount", "rti", "salary")
    df = df.with_columns(
        adjrw2_e4=(pl.col("adjrw2") * E4).round(0, mode="half_away_from_zero").cast(pl.Int64),
        late_bp=(pl.col("late_percent").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64),
        paid_s=(pl.col("amount").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64),
        rti_in=(pl.col("rti").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64),
        paid_salary=(pl.col("salary").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64),
    ).with_columns(w_e8=pl.col("adjrw2_e4") * pl.col("late_bp"))
    cap = satang(rules.max_rate) if rules.max_rate is not None else None
    rows = []
    for region, weight, paid in df.group_by("region").agg(pl.col("w_e8").sum(), pl.col("paid_s").sum()).sort(
            "region").iter_rows():
        if region not in budgets:
            raise DomainError(PaymentError.NO_BUDGET, region=region, month="FY")
        budget = satang(budgets[region])
        rate = (budget * E8) // int(weight) if weight else 0
        if cap is not None:
            rate = min(rate, cap)
        rows.append((region, int(weight), budget, rate, (rate * int(weight) + E8 // 2) // E8, int(paid)))
    rates = pl.DataFrame(rows, schema={"region": pl.Int32, "weight": pl.Int64, "budget": pl.Int64, "rate": pl.Int64,
                                       "total": pl.Int64, "paid": pl.Int64}, orient="row")
    df = df.with_columns(pl.col("region").cast(pl.Int32)).join(rates.select("region", "rate", "total"), on="region")
    _check_overflow(df)
    df = df.with_columns(exact=pl.col("rate") * pl.col("w_e8"))
    df = df.with_columns(rem=pl.col("exact") % E8).sort(["region", "rem", "claim_id"], descending=[False, True, False])
    df = df.with_columns(final_s=_allocate_in_groups(["region"], "exact", "total"))
    no_rti = IpRules(base_rate=rules.base_rate, budgets={}, salary_percent=rules.salary_percent, rti_deduct=True)
    # The road-traffic amount deducted stays what it was; the salary deduction follows the final amount.
    df = _deductions(df.with_columns(rti_in=pl.min_horizontal("rti_in", "final_s")), no_rti, "final_s").sort(
        "claim_id")
    claims = df.select("claim_id", "hcode", "region").to_arrow()
    for name, expr in (("final_amount", pl.col("final_s")), ("paid_amount", pl.col("paid_s")),
                       ("difference", pl.col("final_s") - pl.col("paid_s")),
                       ("salary_difference", pl.col("salary_s") - pl.col("paid_salary")),
                       ("net_difference", (pl.col("final_s") - pl.col("paid_s"))
                        - (pl.col("salary_s") - pl.col("paid_salary")) - (pl.col("rti_s") - pl.col("rti_in")))):
        claims = claims.append_column(name, to_money(df.select(v=expr).get_column("v")))
    summary = rates.select("region", payable_adjrw=pl.col("weight") / E8).to_arrow()
    for name, expr in (("budget", pl.col("budget")), ("final_rate", pl.col("rate")), ("final_total", pl.col("total")),
                       ("paid", pl.col("paid")), ("difference", pl.col("total") - pl.col("paid"))):
        summary = summary.append_column(name, to_money(rates.select(v=expr).get_column("v")))
    return claims, summary


# --- fee schedule ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeeRules:
    """A fiscal year's fee schedule; `fy_start_month` is the first month of the fiscal year (the setting
    OPENUHC_FISCAL_YEAR_START_MONTH: callers pass it, this module reads no settings)."""

    items: Sequence[object]  # budget.config.FeeItem (code, price, sex, min_age, max_age, cap_count, cap_amount, …)
    fy_start_month: int = 10

    @classmethod
    def from_config(cls, config: object, fy_start_month: int) -> FeeRules:
        return cls(items=tuple(config.fee_items), fy_start_month=fy_start_month)  # type: ignore[attr-defined]


# Quantities (ADP.QTY, 3 decimals) are counted in thousandths inside, so 2.5 hours stay 2.5.
Q3 = 1000
QUANTITY = pa.decimal128(12, 3)


def _quantity_in(values: pl.Expr) -> pl.Expr:
    return (values.cast(pl.Decimal(20, 3)) * Q3).cast(pl.Int64)


def _quantity_out(values: pl.Series) -> pa.Array:
    array = values.to_arrow().cast(pa.int64())
    scaled = pc.multiply(array.cast(pa.decimal128(19, 0)), pa.scalar(Decimal("0.001"), pa.decimal128(4, 3)))
    return scaled.cast(QUANTITY)


def _fee_items(rules: FeeRules) -> pl.DataFrame:
    return pl.DataFrame(
        [(i.code, satang(i.price), i.sex, i.min_age, i.max_age,  # type: ignore[attr-defined]
          None if i.cap_count is None else i.cap_count * Q3,  # type: ignore[attr-defined]
          None if i.cap_amount is None else satang(i.cap_amount), i.cap_period)  # type: ignore[attr-defined]
         for i in rules.items],
        schema={"item": pl.String, "price_s": pl.Int64, "sex_rule": pl.Int64, "min_age": pl.Int64,
                "max_age": pl.Int64, "cap_count": pl.Int64, "cap_amount": pl.Int64, "cap_period": pl.String},
        orient="row")


def _prior_usage(prior: pa.Table | None) -> pl.DataFrame | None:
    if prior is None or not prior.num_rows:
        return None
    before = pl.from_arrow(prior)
    assert isinstance(before, pl.DataFrame)
    return before.group_by("person_key", "item", "period").agg(
        prior_qty=_quantity_in(pl.col("quantity")).sum(),
        prior_amt=(pl.col("amount").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64).sum(),
    ).with_columns(pl.col("period").cast(pl.Int64))


def _fee_lines(df: pl.DataFrame, items: pl.DataFrame, before: pl.DataFrame | None, start: int) -> pl.DataFrame:
    """One partition (all of a person's claims): the priced lines, money as int64 satang."""
    keys = ["person_key", "item", "period"]
    date = pl.col("service_date")
    fiscal = date.dt.year().cast(pl.Int64) + (date.dt.month() >= start).cast(pl.Int64) * (1 if start > 1 else 0) + 543
    lazy = df.lazy().join(items.lazy(), on="item", how="left").with_columns(
        period=pl.when(pl.col("cap_period") == "month")
        .then(date.dt.year().cast(pl.Int64) * 100 + date.dt.month().cast(pl.Int64)).otherwise(fiscal))
    refusal = (pl.when(pl.col("price_s").is_null()).then(pl.lit("UNKNOWN_ITEM"))
               .when((pl.col("sex_rule") > 0) & (pl.col("sex") != pl.col("sex_rule")).fill_null(True))
               .then(pl.lit("SEX"))
               .when((pl.col("age") < pl.col("min_age")).fill_null(False)
                     | (pl.col("age") > pl.col("max_age")).fill_null(False)
                     | (pl.col("age").is_null() & ((pl.col("min_age") > 0) | pl.col("max_age").is_not_null())))
               .then(pl.lit("AGE")))
    lazy = lazy.with_columns(refused=refusal).with_columns(
        asked=pl.when(pl.col("refused").is_null()).then(pl.col("quantity")).otherwise(0))
    if before is not None:
        lazy = lazy.join(before.lazy(), on=keys, how="left")
    else:
        lazy = lazy.with_columns(prior_qty=pl.lit(None, pl.Int64), prior_amt=pl.lit(None, pl.Int64))
    lazy = lazy.with_columns(pl.col("prior_qty").fill_null(0), pl.col("prior_amt").fill_null(0))
    lazy = lazy.sort([*keys, "service_date", "claim_id"])
    # Sorted by (person, item, period): a group's running total is the global running total minus its value at
    # the group's start — linear, without a hash-based window per group.
    first = pl.any_horizontal([pl.col(k) != pl.col(k).shift(1) for k in keys]).fill_null(True)

    def running(column: str) -> pl.Expr:
        total = pl.col(column).cum_sum()
        return total - pl.when(first).then(total - pl.col(column)).otherwise(None).forward_fill()

    lazy = lazy.with_columns(cum_q=running("asked") + pl.col("prior_qty"))
    capped_q = (pl.min_horizontal(pl.col("cap_count"), pl.col("cum_q"))
                - pl.min_horizontal(pl.col("cap_count"), pl.col("cum_q") - pl.col("asked"))).clip(lower_bound=0)
    lazy = lazy.with_columns(paid_quantity=pl.when(pl.col("cap_count").is_null()).then(pl.col("asked"))
                             .otherwise(capped_q))
    # price × quantity (in thousandths), rounded half-up to the satang: the line's amount before the amount cap
    lazy = lazy.with_columns(pre=(pl.col("paid_quantity") * pl.col("price_s").fill_null(0) + Q3 // 2) // Q3)
    lazy = lazy.with_columns(cum_a=running("pre") + pl.col("prior_amt"))
    capped_a = (pl.min_horizontal(pl.col("cap_amount"), pl.col("cum_a"))
                - pl.min_horizontal(pl.col("cap_amount"), pl.col("cum_a") - pl.col("pre"))).clip(lower_bound=0)
    lazy = lazy.with_columns(amount_s=pl.when(pl.col("cap_amount").is_null()).then(pl.col("pre")).otherwise(capped_a))
    reason = (pl.when(pl.col("refused").is_not_null()).then(pl.col("refused"))
              .when(pl.col("paid_quantity") < pl.col("asked")).then(pl.lit("CAP_COUNT"))
              .when(pl.col("amount_s") < pl.col("pre")).then(pl.lit("CAP_AMOUNT"))
              .otherwise(pl.lit("")))
    return lazy.select("claim_id", "hcode", "region", "service_date", "person_key", "item", "period", "quantity",
                       "paid_quantity", reason=reason, price_s=pl.col("price_s").fill_null(0),
                       amount_s="amount_s").sort("claim_id").collect()


def price_fee(data: pa.Table | pa.RecordBatch, rules: FeeRules, prior: pa.Table | None = None, *,
              partitions: int = 1) -> tuple[pa.Table, pa.Table]:
    """Price itemised claims by the fee schedule, with caps per person, item and period.

    Within a (person, item, period) the claims count in order of service date then claim_id; `prior` holds
    what earlier rounds already paid in the same periods (columns person_key, item, period, quantity, amount).
    Quantities may have 3 decimals (an hour and a half of care is 1.5): a line's amount is price × quantity
    rounded half-up to the satang.
    `partitions` > 1 prices the claims in that many groups of people (by a hash of person_key), one after the
    other, to bound memory; the result is the same lines (in claim_id order within each group).
    Returns (claim lines with paid quantity, amount and reason, per-unit summary).
    """
    df = _frame(data, FEE_REQUIRED)
    quantity = (_quantity_in(pl.col("quantity").fill_null(1)) if "quantity" in df.columns
                else pl.lit(Q3, pl.Int64))
    df = df.select("claim_id", "hcode", "region", "service_date", "person_key", quantity=quantity,
                   item=pl.col("item").cast(pl.String),
                   age=pl.col("age").cast(pl.Int64) if "age" in df.columns else pl.lit(None, pl.Int64),
                   sex=pl.col("sex").cast(pl.Int64) if "sex" in df.columns else pl.lit(None, pl.Int64))
    if df.height and df.get_column("quantity").min() < 0:  # type: ignore[operator]
        raise DomainError(PaymentError.NEGATIVE, column="quantity")
    items, before = _fee_items(rules), _prior_usage(prior)
    if partitions > 1 and df.height:
        bucket = df.get_column("person_key").hash(2569) % partitions
        parts = df.with_columns(_bucket=bucket).partition_by("_bucket", maintain_order=True, include_key=False)
    else:
        parts = [df]
    del df
    tables, sums = [], []
    while parts:  # each group of people is priced, turned into Arrow and let go before the next
        out = _fee_lines(parts.pop(0), items, before, rules.fy_start_month)
        table = out.select("claim_id", "hcode", "region", "service_date", "person_key", "item", "period",
                           "reason").to_arrow()
        table = table.append_column("quantity", _quantity_out(out.get_column("quantity")))
        table = table.append_column("paid_quantity", _quantity_out(out.get_column("paid_quantity")))
        table = table.append_column("price", to_money(out.get_column("price_s")))
        tables.append(table.append_column("amount", to_money(out.get_column("amount_s"))))
        sums.append(out.group_by(["region", "hcode"]).agg(lines=pl.len(), paid_lines=(pl.col("amount_s") > 0).sum(),
                                                          amount=pl.col("amount_s").sum()))
        del out
    lines = pa.concat_tables(tables)
    total = pl.concat(sums).group_by(["region", "hcode"]).agg(pl.col("lines", "paid_lines", "amount").sum()).sort(
        ["region", "hcode"])
    summary = total.select("region", "hcode", pl.col("lines").cast(pl.UInt32), pl.col("paid_lines").cast(pl.UInt32)
                           ).to_arrow().append_column("amount", to_money(total.get_column("amount")))
    return lines, summary


def price_fee_years(data: pa.Table | pa.RecordBatch, rules: Mapping[int, FeeRules],
                    prior: pa.Table | None = None) -> tuple[pa.Table, pa.Table]:
    """Price a round's itemised lines of several fiscal years (column `fiscal_year`), each with its year's fee
    schedule. Caps count within a year or a month, so the years are priced apart; lines in claim_id order."""
    table, split = by_year(data, rules, lambda fy: DomainError(PaymentError.NO_FEE_SCHEDULE, fy=fy))
    if len(split) <= 1:
        return price_fee(table.drop_columns(["fiscal_year"]), rules[split[0][0]] if split else FeeRules(items=()),
                         prior)
    parts = [price_fee(rows.drop_columns(["fiscal_year"]), rules[year], prior) for year, rows in split]
    lines = pa.concat_tables([p[0] for p in parts]).sort_by("claim_id")
    total = pl.concat([pl.from_arrow(p[1]) for p in parts]).group_by(["region", "hcode"]).agg(  # type: ignore[list-item]
        pl.col("lines", "paid_lines").sum(), pl.col("amount").cast(pl.Decimal(20, 2)).sum()).sort(["region", "hcode"])
    summary = total.select("region", "hcode", pl.col("lines").cast(pl.UInt32), pl.col("paid_lines").cast(pl.UInt32)
                           ).to_arrow().append_column("amount", total.get_column("amount").to_arrow().cast(MONEY))
    return lines, summary


def price_fee_batch(batch: pa.RecordBatch, rules: FeeRules) -> pa.RecordBatch:
    """The engine's shape: a batch must hold all of a person's claims of the period (partition by person)."""
    lines, _ = price_fee(batch, rules)
    return lines.combine_chunks().to_batches()[0] if lines.num_rows else pa.RecordBatch.from_pylist(
        [], schema=lines.schema)
