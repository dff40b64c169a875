"""Facts for the analytics store, extracted from the operational database.

Each extractor returns the fact's rows with `fy` (BE fiscal year, int) and `month` ("YYYY-MM") columns plus
dimensions (region, province, hcode, ...) and measures: one Arrow table for the small facts, or, for the facts
that grow with the country (the population snapshot, the claim rows), an `Extract` — a query over a scratch DuckDB
database on disk into which only the columns needed were streamed (COPY on PostgreSQL), which the store writes to
Parquet straight from DuckDB. Python never holds their rows, and DuckDB's memory is capped (`store.DUCKDB_MEMORY`): what
does not fit goes to the scratch folder. Facts hold no personal data: no names, no citizen IDs, no person keys —
only counts and sums by group, or one row per claim without who it was.

An app whose models are not installed yet (or hold nothing) simply yields an empty fact.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings

from openuhc.core import bulk
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, today
from openuhc.monitoring.store import duckdb_memory

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


def scratch_connection(folder: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB database file in a private folder, its memory capped; large sorts and joins spill to the folder."""
    config: dict[str, Any] = {"memory_limit": duckdb_memory(), "temp_directory": str(folder)}
    threads = getattr(settings, "OPENUHC_ANALYTICS_THREADS", None)
    if threads:
        config["threads"] = int(threads)
    return duckdb.connect(str(folder / "extract.duckdb"), config=config)


class Extract:
    """A fact's rows as `sql` over the tables of a scratch DuckDB database; `close()` (or `with`) removes it."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="openuhc-analytics-")
        self.duck = scratch_connection(Path(self._folder.name))
        self.sql = ""

    def load(self, name: str, queryset: Any, columns: dict[str, str]) -> None:
        """The rows of a `values_list` queryset into table `name` (its columns, in order, with DuckDB types)."""
        sql, params = queryset.query.sql_with_params()
        bulk.query_to_duckdb(self.duck, name, sql, list(params), columns)

    def put(self, name: str, table: pa.Table) -> None:
        """A small Arrow table (the months, a list of codes) copied into table `name` of the scratch database."""
        self.duck.register("_arrow", table)
        self.duck.execute(f"CREATE TABLE {name} AS SELECT * FROM _arrow")
        self.duck.unregister("_arrow")

    def close(self) -> None:
        self.duck.close()
        self._folder.cleanup()

    def __enter__(self) -> Extract:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _age_band_sql(age: str) -> str:
    parts = [f"WHEN {age} <= {hi} THEN '{label}'" for label, _lo, hi in AGE_BANDS if hi is not None]
    return "CASE " + " ".join(parts) + f" ELSE '{AGE_BANDS[-1][0]}' END"


def _months_table(months: list[Month]) -> pa.Table:
    return pa.table({"fy": pa.array([m.fy for m in months], pa.int32()),
                     "month": [m.label for m in months],
                     "month_end": pa.array([m.last for m in months], pa.date32())})


# --- population ---------------------------------------------------------------------------------------

def _region_sql(number: str) -> str:
    """A region's number as the facts keep it: text, '' for none."""
    return f"CASE WHEN {number} IS NULL OR {number} = 0 THEN '' ELSE CAST({number} AS VARCHAR) END"


def population(months: list[Month]) -> Extract:
    """Living persons at each month's end by residence, scheme, registered main unit, age band and sex."""
    from openuhc.providers.models import HealthUnit
    from openuhc.registry.models import Coverage, Person, Registration, Scheme

    registering = list(Scheme.objects.filter(registers_with_unit=True).values_list("code", flat=True))
    extract = Extract()
    try:
        con = extract.duck
        extract.load("person_rows", Person.objects.order_by().values_list(
            "id", "birth_date", "death_date", "sex", "subdistrict__district__province__code",
            "subdistrict__district__province__region__number"),
            {"id": "BIGINT", "birth_date": "DATE", "death_date": "DATE", "sex": "TINYINT",
             "res_province": "VARCHAR", "res_region": "INTEGER"})
        extract.load("coverages", Coverage.objects.order_by().values_list(
            "person_id", "scheme__code", "valid_from", "valid_to"),
            {"person_id": "BIGINT", "scheme": "VARCHAR", "valid_from": "DATE", "valid_to": "DATE"})
        extract.load("registrations", Registration.objects.order_by().values_list(
            "id", "person_id", "main_unit_id", "effective_from"),
            {"id": "BIGINT", "person_id": "BIGINT", "unit_id": "BIGINT", "effective_from": "DATE"})
        extract.load("unit_rows", HealthUnit.objects.order_by().values_list(
            "id", "code", "subdistrict__district__province__code", "subdistrict__district__province__region__number"),
            {"unit_id": "BIGINT", "hcode": "VARCHAR", "province": "VARCHAR", "region": "INTEGER"})
        con.execute(f"""CREATE VIEW persons AS SELECT id, birth_date, death_date, sex, res_province,
                        {_region_sql('res_region')} AS res_region FROM person_rows""")
        con.execute(f"CREATE VIEW units AS SELECT unit_id, hcode, province, {_region_sql('region')} AS region "
                    "FROM unit_rows")
        extract.put("months", _months_table(months))
        extract.put("reg_schemes", pa.table({"code": pa.array(registering, pa.string())}))
        age = "date_diff('year', p.birth_date, m.month_end)"
        con.execute("""CREATE TABLE reg AS  -- the newest row wins among rows with the same effective date
                       SELECT person_id, effective_from, arg_max(unit_id, id) AS unit_id
                       FROM registrations GROUP BY person_id, effective_from""")
        snapshot = f"""
            WITH alive AS (
                SELECT p.id, p.sex, p.res_province, p.res_region, m.fy, m.month, m.month_end,
                       {_age_band_sql(age)} AS age_band
                FROM persons p CROSS JOIN this_month m
                WHERE p.birth_date <= m.month_end AND (p.death_date IS NULL OR p.death_date > m.month_end)),
            in_force AS (  -- each person's scheme at the month's end (the first code if periods overlap)
                SELECT c.person_id, m.month_end, min(c.scheme) AS scheme
                FROM coverages c JOIN this_month m
                  ON c.valid_from <= m.month_end AND (c.valid_to IS NULL OR c.valid_to >= m.month_end)
                GROUP BY ALL),
            covered AS (
                SELECT a.*, f.scheme FROM alive a
                LEFT JOIN in_force f ON f.person_id = a.id AND f.month_end = a.month_end),
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
            GROUP BY ALL
        """
        # One month at a time: each query joins one month's living people (the cost of all months at once
        # grows faster than their number, as DuckDB spills the whole persons × months product to disk).
        for i, label in enumerate([m.label for m in months] or [None]):
            con.execute("CREATE OR REPLACE TABLE this_month AS SELECT * FROM months WHERE month = ? OR ? IS NULL",
                        [label, label])
            con.execute(f"CREATE TABLE snapshot AS {snapshot}" if i == 0 else f"INSERT INTO snapshot {snapshot}")
        extract.sql = "SELECT * FROM snapshot ORDER BY ALL"
    except BaseException:
        extract.close()
        raise
    return extract


Extractor = Callable[[list[Month]], "pa.Table | Extract"]

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


def _claims(months: list[Month], kind: str) -> Extract:
    """One row per current, accepted claim (OP by visit month, IP by discharge month): no person in it."""
    from openuhc.claims.models import Claim

    first, last = months[0].first, months[-1].last
    date_field = "service_date" if kind == "OP" else "discharge_date"
    claims = Claim.objects.filter(kind=kind, is_current=True, status__in=PAYABLE, **{
        f"{date_field}__gte": first, f"{date_field}__lte": last}).order_by()
    extract = Extract()
    try:
        extract.load("claims", claims.values_list(
            "pk", date_field, "unit__code", "unit__subdistrict__district__province__code",
            "unit__subdistrict__district__province__region__number", "inscl", "age_years", "sex", "total_charge"),
            {"id": "BIGINT", "day": "DATE", "hcode": "VARCHAR", "province": "VARCHAR", "region": "INTEGER",
             "inscl": "VARCHAR", "age": "INTEGER", "sex": "INTEGER", "charge": "DECIMAL(18,2)"})
        extract.put("months", _months_table(months))
        adjrw, grouped = "", ""
        if kind == "IP":
            from openuhc.drg.models import ClaimGrouping

            # The newest grouping of each claim (drg.claims.latest_adjrw), its AdjRW as a float.
            extract.load("groupings", ClaimGrouping.objects.filter(claim__in=claims.values("pk")).order_by()
                         .values_list("claim_id", "id", "adjrw"),
                         {"claim_id": "BIGINT", "id": "BIGINT", "adjrw": "DOUBLE"})
            adjrw = ", g.adjrw"
            grouped = ("LEFT JOIN (SELECT claim_id, adjrw FROM groupings QUALIFY row_number() OVER "
                       "(PARTITION BY claim_id ORDER BY id DESC) = 1) g ON g.claim_id = c.id")
        # The month's fiscal year is the one its Month carries (every claim falls in one of the months).
        extract.sql = f"""
            SELECT m.fy, m.month, {_region_sql('c.region')} AS region, coalesce(c.province, '') AS province,
                   c.hcode, coalesce(c.inscl, '') AS scheme,
                   CASE WHEN c.age IS NULL THEN '' ELSE {_age_band_sql('c.age')} END AS age_band,
                   CAST(coalesce(c.sex, 0) AS TINYINT) AS sex, c.charge{adjrw}
            FROM claims c JOIN months m ON m.month = strftime(c.day, '%Y-%m') {grouped}
        """
    except BaseException:
        extract.close()
        raise
    return extract


def op_claims(months: list[Month]) -> Extract:
    return _claims(months, "OP")


def ip_claims(months: list[Month]) -> Extract:
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
