"""Facts for the analytics store, extracted from the operational database.

Each extractor returns one Arrow table with `fy` (BE fiscal year, int) and `month` ("YYYY-MM") columns plus
dimensions (region, province, hcode, ...) and measures. Facts hold no personal data: no names, no citizen
IDs, no person keys — only counts and sums by group, or one row per claim without who it was.

An app whose models are not installed yet (or hold nothing) simply yields an empty fact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb
import pyarrow as pa

from openuhc.core.dates import fiscal_year, fiscal_year_bounds, today

# Age bands for monitoring (not the payment weights, which are configured per fiscal year in `budget`).
AGE_BANDS: list[tuple[str, int, int | None]] = [
    ("0-4", 0, 4), ("5-14", 5, 14), ("15-24", 15, 24), ("25-34", 25, 34), ("35-44", 35, 44),
    ("45-59", 45, 59), ("60-69", 60, 69), ("70+", 70, None),
]


@dataclass(frozen=True)
class Month:
    fy: int
    label: str  # "2026-01"
    first: date
    last: date  # the month's last day, or today for the running month


def months_between(first_fy: int, last_day: date) -> list[Month]:
    start, _ = fiscal_year_bounds(first_fy)
    months = []
    cursor = start
    while cursor <= last_day:
        following = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1)
        last = min(following - timedelta(days=1), last_day)
        months.append(Month(fiscal_year(cursor), f"{cursor:%Y-%m}", cursor, last))
        cursor = following
    return months


def default_months() -> list[Month]:
    from openuhc.core import params

    on = today()
    first = fiscal_year(on) - int(params.get("monitoring.history_years", on=on)) + 1
    return months_between(first, on)


def arrow_of(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """A DuckDB result as one Arrow table (the method's name changed in DuckDB 1.4)."""
    method = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    return method()


def _age_band_sql(age: str) -> str:
    parts = [f"WHEN {age} <= {hi} THEN '{label}'" for label, _lo, hi in AGE_BANDS if hi is not None]
    return "CASE " + " ".join(parts) + f" ELSE '{AGE_BANDS[-1][0]}' END"


def _months_table(months: list[Month]) -> pa.Table:
    return pa.table({"fy": pa.array([m.fy for m in months], pa.int32()),
                     "month": [m.label for m in months],
                     "month_end": pa.array([m.last for m in months], pa.date32())})


# --- population ---------------------------------------------------------------------------------------

def population(months: list[Month]) -> pa.Table:
    """Living persons at each month's end by residence, scheme, registered main unit, age band and sex."""
    from openuhc.providers.models import HealthUnit
    from openuhc.registry.models import Coverage, Person, Registration, Scheme

    people = Person.objects.values_list(
        "id", "birth_date", "death_date", "sex", "subdistrict__district__province__code",
        "subdistrict__district__province__region__number")
    cols = list(zip(*people, strict=True)) if people else [[]] * 6
    persons = pa.table({
        "id": pa.array(cols[0], pa.int64()), "birth_date": pa.array(cols[1], pa.date32()),
        "death_date": pa.array(cols[2], pa.date32()), "sex": pa.array(cols[3], pa.int8()),
        "res_province": pa.array(cols[4], pa.string()), "res_region": pa.array([str(r or "") for r in cols[5]]),
    })
    cov = list(Coverage.objects.values_list("person_id", "scheme__code", "valid_from", "valid_to"))
    c = list(zip(*cov, strict=True)) if cov else [[]] * 4
    coverages = pa.table({"person_id": pa.array(c[0], pa.int64()), "scheme": pa.array(c[1], pa.string()),
                          "valid_from": pa.array(c[2], pa.date32()), "valid_to": pa.array(c[3], pa.date32())})
    reg = list(Registration.objects.values_list("id", "person_id", "main_unit_id", "effective_from"))
    r = list(zip(*reg, strict=True)) if reg else [[]] * 4
    registrations = pa.table({"id": pa.array(r[0], pa.int64()), "person_id": pa.array(r[1], pa.int64()),
                              "unit_id": pa.array(r[2], pa.int64()), "effective_from": pa.array(r[3], pa.date32())})
    units_rows = list(HealthUnit.objects.values_list(
        "id", "code", "subdistrict__district__province__code", "subdistrict__district__province__region__number"))
    u = list(zip(*units_rows, strict=True)) if units_rows else [[]] * 4
    units = pa.table({"unit_id": pa.array(u[0], pa.int64()), "hcode": pa.array(u[1], pa.string()),
                      "province": pa.array(u[2], pa.string()), "region": pa.array([str(x or "") for x in u[3]])})
    registering = list(Scheme.objects.filter(registers_with_unit=True).values_list("code", flat=True))
    con = duckdb.connect()
    try:
        for name, table in (("persons", persons), ("coverages", coverages), ("registrations", registrations),
                            ("units", units), ("months", _months_table(months)),
                            ("reg_schemes", pa.table({"code": pa.array(registering, pa.string())}))):
            con.register(name, table)
        age = "date_diff('year', p.birth_date, m.month_end)"
        return arrow_of(con.sql(f"""
            WITH reg AS (  -- the newest row wins among rows with the same effective date
                SELECT person_id, effective_from, arg_max(unit_id, id) AS unit_id
                FROM registrations GROUP BY person_id, effective_from),
            alive AS (
                SELECT p.id, p.sex, p.res_province, p.res_region, m.fy, m.month, m.month_end,
                       {_age_band_sql(age)} AS age_band
                FROM persons p CROSS JOIN months m
                WHERE p.birth_date <= m.month_end AND (p.death_date IS NULL OR p.death_date > m.month_end)),
            covered AS (
                SELECT a.*, (SELECT min(c.scheme) FROM coverages c WHERE c.person_id = a.id
                             AND c.valid_from <= a.month_end
                             AND (c.valid_to IS NULL OR c.valid_to >= a.month_end)) AS scheme
                FROM alive a),
            registered AS (  -- a unit counts only for members of a scheme that registers people with one
                SELECT cv.*, CASE WHEN cv.scheme IN (SELECT code FROM reg_schemes) THEN r.unit_id END AS unit_id
                FROM covered cv
                ASOF LEFT JOIN reg r ON cv.id = r.person_id AND cv.month_end >= r.effective_from)
            SELECT CAST(x.fy AS INTEGER) AS fy, x.month, x.res_region, x.res_province,
                   coalesce(u.region, '') AS region, coalesce(u.province, '') AS province,
                   coalesce(u.hcode, '') AS hcode, coalesce(x.scheme, '') AS scheme, x.age_band,
                   CAST(x.sex AS TINYINT) AS sex, count(*)::BIGINT AS persons,
                   count(*) FILTER (WHERE x.scheme IS NOT NULL)::BIGINT AS covered,
                   count(u.hcode)::BIGINT AS registered
            FROM registered x LEFT JOIN units u ON u.unit_id = x.unit_id
            GROUP BY ALL ORDER BY ALL
        """))
    finally:
        con.close()


Extractor = Callable[[list[Month]], pa.Table]

FACTS: dict[str, Extractor] = {"population": population}


def register(name: str, extractor: Extractor) -> None:
    FACTS[name] = extractor


# --- local health security funds ----------------------------------------------------------------------

def _decimal_array(values: list) -> pa.Array:
    return pa.array(values, pa.decimal128(18, 2))


def localfund(months: list[Month]) -> pa.Table:
    """Money in and out of each local health security fund by month (carry-overs in, not out, count once)."""
    from openuhc.localfund.models import LedgerEntry

    years = sorted({m.fy for m in months})
    inflow = {"national_transfer", "cofunding", "interest", "other", "ltc_transfer", "carry_in"}
    outflow = {"disbursement", "refund"}  # a refund is money back: it lowers what was spent
    rows = LedgerEntry.objects.filter(year__in=years, kind__in=inflow | outflow).values_list(
        "year", "entry_date", "kind", "amount", "fund__code", "fund__local_government__province__code",
        "fund__local_government__province__region__number")
    cols: dict[str, list] = {k: [] for k in ("fy", "month", "region", "province", "fund", "direction", "amount")}
    for year, day, kind, amount, fund, province, region in rows:
        cols["fy"].append(year)
        cols["month"].append(f"{day:%Y-%m}")
        cols["region"].append(str(region or ""))
        cols["province"].append(province or "")
        cols["fund"].append(fund)
        cols["direction"].append("in" if kind in inflow else "out")
        cols["amount"].append(amount if kind in inflow else -amount)
    return pa.table({"fy": pa.array(cols["fy"], pa.int32()), "month": pa.array(cols["month"], pa.string()),
                     "region": pa.array(cols["region"], pa.string()),
                     "province": pa.array(cols["province"], pa.string()), "fund": pa.array(cols["fund"], pa.string()),
                     "direction": pa.array(cols["direction"], pa.string()), "amount": _decimal_array(cols["amount"])})


FACTS["localfund"] = localfund


# --- claims -------------------------------------------------------------------------------------------

PAYABLE = ("accepted", "grouped", "priced", "paid")


def _age_band(age: int | None) -> str:
    if age is None:
        return ""
    for label, _lo, hi in AGE_BANDS:
        if hi is None or age <= hi:
            return label
    return AGE_BANDS[-1][0]


def _claims(months: list[Month], kind: str) -> pa.Table:
    """One row per current, accepted claim (OP by visit month, IP by discharge month): no person in it."""
    from openuhc.claims.models import Claim

    first, last = months[0].first, months[-1].last
    date_field = "service_date" if kind == "OP" else "discharge_date"
    rows = Claim.objects.filter(kind=kind, is_current=True, status__in=PAYABLE, **{
        f"{date_field}__gte": first, f"{date_field}__lte": last}).values_list(
        "pk", date_field, "unit__code", "unit__subdistrict__district__province__code",
        "unit__subdistrict__district__province__region__number", "inscl", "age_years", "sex", "total_charge")
    cols: dict[str, list] = {k: [] for k in ("id", "fy", "month", "region", "province", "hcode", "scheme",
                                             "age_band", "sex", "charge")}
    for pk, day, hcode, province, region, inscl, age, sex, charge in rows:
        for name, value in (("id", pk), ("fy", fiscal_year(day)), ("month", f"{day:%Y-%m}"),
                            ("region", str(region or "")), ("province", province or ""), ("hcode", hcode),
                            ("scheme", inscl or ""), ("age_band", _age_band(age)), ("sex", sex or 0),
                            ("charge", charge)):
            cols[name].append(value)
    table = {"fy": pa.array(cols["fy"], pa.int32()), "month": pa.array(cols["month"], pa.string()),
             "region": pa.array(cols["region"], pa.string()), "province": pa.array(cols["province"], pa.string()),
             "hcode": pa.array(cols["hcode"], pa.string()), "scheme": pa.array(cols["scheme"], pa.string()),
             "age_band": pa.array(cols["age_band"], pa.string()), "sex": pa.array(cols["sex"], pa.int8()),
             "charge": _decimal_array(cols["charge"])}
    if kind == "IP":
        from openuhc.drg.claims import latest_adjrw

        groupings = latest_adjrw(cols["id"])
        table["adjrw"] = pa.array([float(g.adjrw) if (g := groupings.get(pk)) and g.adjrw is not None else None
                                   for pk in cols["id"]], pa.float64())
    return pa.table(table)


def op_claims(months: list[Month]) -> pa.Table:
    return _claims(months, "OP")


def ip_claims(months: list[Month]) -> pa.Table:
    return _claims(months, "IP")


# --- payments -----------------------------------------------------------------------------------------

SUB_FUND_OF_KIND = {"capitation": "OP", "ip": "IP", "year_end": "IP", "fee": "PP", "adjustment": "ADJ"}


def payments(months: list[Month]) -> pa.Table:
    """What published payment runs paid each unit, by month, kind and sub-fund; AdjRW paid for IP."""
    from openuhc.payment.models import PaymentRun, UnitPayment

    first, last = months[0].first, months[-1].last
    published = PaymentRun.Status.PUBLISHED
    # The AdjRW a round's money paid for is the payable AdjRW (AdjRW2 × late %), which each unit's total keeps;
    # the raw AdjRW would make the rate per AdjRW of a round with late claims look lower than the rate paid.
    rows = UnitPayment.objects.filter(run__status=published, run__period__gte=first, run__period__lte=last) \
        .values_list("run__period", "run__kind", "unit__code", "unit__subdistrict__district__province__code",
                     "unit__subdistrict__district__province__region__number", "gross", "adjrw")
    cols: dict[str, list] = {k: [] for k in ("fy", "month", "region", "province", "hcode", "kind", "subfund",
                                             "amount", "adjrw")}
    for period, kind, hcode, province, region, gross, adjrw in rows:
        for name, value in (("fy", fiscal_year(period)), ("month", f"{period:%Y-%m}"), ("region", str(region or "")),
                            ("province", province or ""), ("hcode", hcode), ("kind", kind),
                            ("subfund", SUB_FUND_OF_KIND.get(kind, kind)), ("amount", gross),
                            ("adjrw", float(adjrw) if kind == "ip" else 0.0)):
            cols[name].append(value)
    return pa.table({"fy": pa.array(cols["fy"], pa.int32()), "month": pa.array(cols["month"], pa.string()),
                     "region": pa.array(cols["region"], pa.string()),
                     "province": pa.array(cols["province"], pa.string()),
                     "hcode": pa.array(cols["hcode"], pa.string()), "kind": pa.array(cols["kind"], pa.string()),
                     "subfund": pa.array(cols["subfund"], pa.string()), "amount": _decimal_array(cols["amount"]),
                     "adjrw": pa.array(cols["adjrw"], pa.float64())})


FACTS["op_claims"] = op_claims
FACTS["ip_claims"] = ip_claims
FACTS["payments"] = payments


# --- rights protection --------------------------------------------------------------------------------------

def cases(months: list[Month]) -> pa.Table:
    """Cases by month (closure month for closed cases, receipt month for open ones): counts only, no person."""
    from django.db.models import Q
    from django.utils import timezone

    from openuhc.rights.models import Case

    first, last = months[0].first, months[-1].last
    rows = (Case.objects.filter(received_at__date__lte=last)
            .filter(Q(closed_at__isnull=True, received_at__date__gte=first) | Q(closed_at__date__gte=first,
                                                                                 closed_at__date__lte=last))
            .values_list("kind", "received_at", "closed_at", "outcome_by", "region__number", "unit__code",
                         "unit__subdistrict__district__province__code", "category__parent__code", "category__code"))
    cols: dict[str, list] = {k: [] for k in ("fy", "month", "region", "province", "hcode", "category", "kind",
                                             "received", "closed", "on_time")}
    for kind, received, closed, due, region, hcode, province, ground, code in rows:
        day = timezone.localtime(closed or received).date()
        for name, value in (("fy", fiscal_year(day)), ("month", f"{day:%Y-%m}"), ("region", str(region or "")),
                            ("province", province or ""), ("hcode", hcode or ""), ("category", ground or code),
                            ("kind", kind), ("received", 0 if closed else 1), ("closed", 1 if closed else 0),
                            ("on_time", 1 if closed and closed <= due else 0)):
            cols[name].append(value)
    return pa.table({"fy": pa.array(cols["fy"], pa.int32()), "month": pa.array(cols["month"], pa.string()),
                     **{k: pa.array(cols[k], pa.string()) for k in ("region", "province", "hcode", "category",
                                                                     "kind")},
                     **{k: pa.array(cols[k], pa.int64()) for k in ("received", "closed", "on_time")}})


FACTS["cases"] = cases


def _fact_words() -> None:
    from django.utils.translation import gettext_lazy as _

    from openuhc.core.codes import vocabulary

    vocabulary("fact", {"population": _("registered population"), "localfund": _("local funds"),
                        "op_claims": _("OP visits"), "ip_claims": _("admissions"), "payments": _("payments"),
                        "cases": _("rights cases")})


_fact_words()
