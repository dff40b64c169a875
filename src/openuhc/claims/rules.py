# ruff: noqa: S608 - SQL is built from the file specs' constant names and from header names quoted by _q(); every
# value from the files stays inside DuckDB, and values from Python are bound parameters.
"""Validation rules: each a small named function over a `CheckContext`, switched on per fiscal year.

A rule writes problems into the DuckDB table `problems` (file, row, field, code, value, expected, detail,
detail_th, kind, key, hn) — SQL over the whole submission at once, so that a million visits are checked
in seconds and in bounded memory. Rules that need the database (eligibility, units, code tables) ask it
once per distinct value, not once per row.

Every rule is listed in RULES and switched by the parameter `claims.rule.<name>` read on the first day of
the submission's service month; rules whose limits change with the year read them on each claim's date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
from django.db import connection, transaction

from openuhc.claims import formats, lifecycle, typing_sql
from openuhc.claims.errors import ClaimError
from openuhc.claims.problems import Problem
from openuhc.claims.reader import ParsedSubmission
from openuhc.core import bulk, params


def raw_view(name: str) -> str:
    return f"r_{name.lower()}"


def typed_view(name: str) -> str:
    """The file's rows with typed columns (dates, money, numbers) and `_row`, as handed to later stages."""
    return f"typed_{name.lower()}"


def _table(name: str) -> str:
    return f"t_{name.lower()}"


_q = typing_sql.q


def prepare(parsed: ParsedSubmission) -> None:
    """The views over the typed tables t_<file> (made by the reader as the rows arrived; an empty one here for a
    file not sent), the problems table, and the claims found (OPD visits and IPD admissions).

    t_<file> (see typing_sql) holds what the rules read, typed once; `w_<file>` trims the other columns for storing
    and for `ParsedSubmission.table()`, at no cost to the checks."""
    con = parsed.connection
    for name, spec in formats.FILES.items():
        sent = parsed.files[name].columns if name in parsed.files else list(spec.known)
        if name not in parsed.files:
            empty = ", ".join(f"CAST(NULL AS VARCHAR) AS {_q(c)}" for c in spec.known)
            con.execute(typing_sql.create_table_sql(name, sent, f"(SELECT {empty}, CAST(NULL AS BIGINT) AS _row "
                                                                "WHERE false)"))
        con.execute(f"CREATE VIEW {raw_view(name)} AS SELECT * FROM {_table(name)}")
        con.execute(f"CREATE VIEW l_{name.lower()} AS SELECT * FROM {_table(name)}")
        con.execute(typing_sql.wide_view_sql(name, sent))
        con.execute(f"CREATE VIEW {typed_view(name)} AS SELECT * EXCLUDE (_kind, _key, _hn) FROM w_{name.lower()}")
    con.execute("""CREATE TABLE problems (file VARCHAR, "row" BIGINT, field VARCHAR, code VARCHAR, value VARCHAR,
                   expected VARCHAR, detail VARCHAR, detail_th VARCHAR, kind VARCHAR, "key" VARCHAR, hn VARCHAR)""")
    con.execute("""
        CREATE TABLE claims AS
        -- The first row of each SEQ/AN (a later copy is named by the rule duplicates): an aggregate, not a sort.
        SELECT 'OP' AS kind, SEQ AS "key", HN AS hn, DATEOPD AS service_date, CAST(NULL AS DATE) AS discharge_date,
               _row, TIMEOPD AS t1, CAST(NULL AS VARCHAR) AS t2
        FROM t_opd WHERE _row IN (SELECT min(_row) FROM t_opd WHERE coalesce(SEQ, '') <> '' GROUP BY SEQ)
        UNION ALL
        SELECT 'IP', AN, HN, DATEADM, DATEDSC, _row, TIMEADM, TIMEDSC
        FROM t_ipd WHERE _row IN (SELECT min(_row) FROM t_ipd WHERE coalesce(AN, '') <> '' GROUP BY AN)""")
    con.execute("""
        CREATE TABLE patients AS
        SELECT HN AS hn, arg_min(PERSON_ID, _row) AS cid, arg_min(DOB, _row) AS dob, arg_min(SEX, _row) AS sex,
               arg_min(HCODE, _row) AS hcode
        FROM t_pat WHERE coalesce(HN, '') <> '' GROUP BY HN""")
    con.execute("""
        CREATE TABLE coverage AS
        SELECT HN AS hn, arg_min(CID, _row) AS cid, arg_min(INSCL, _row) AS inscl, arg_min(HOSPMAIN, _row) AS hospmain
        FROM t_ins WHERE coalesce(HN, '') <> '' GROUP BY HN""")
    con.execute("""
        CREATE TABLE claim_people AS
        SELECT c.*, coalesce(nullif(p.cid, ''), nullif(i.cid, '')) AS cid, p.dob, p.sex,
               date_diff('day', p.dob, c.service_date) AS age_days,
               CASE WHEN p.dob IS NULL OR c.service_date IS NULL THEN NULL
                    ELSE date_diff('year', p.dob, c.service_date)
                         - CASE WHEN strftime(c.service_date, '%m%d') < strftime(p.dob, '%m%d') THEN 1 ELSE 0 END
               END AS age_years
        FROM claims c LEFT JOIN patients p ON p.hn = c.hn LEFT JOIN coverage i ON i.hn = c.hn""")


@dataclass
class CheckContext:
    parsed: ParsedSubmission
    received_on: date
    unit_code: str = ""
    period: date | None = None
    tables_missing: bool = False
    tables_version: str = ""
    _params: dict[tuple[str, date], Any] = field(default_factory=dict)
    # one query for every claims.* parameter the rules ask (a rule switch each, then per service day)
    _snapshot: params.Snapshot = field(default_factory=lambda: params.Snapshot("claims."))
    _stored: bool | None = None  # whether claims stored earlier were loaded into the DuckDB table `stored`
    _unit_id: int | None = None
    _periods: str = ""  # "" none yet, "admitted": the table `periods` holds only people with an admission, "all"

    @property
    def con(self) -> Any:
        return self.parsed.connection

    def param(self, key: str, on: date | None = None) -> Any:
        on = on or self.period or self.received_on
        cached = self._params.get((key, on))
        if cached is None:
            cached = self._params[(key, on)] = self._snapshot.get(key, on=on)
        return cached

    def emit(self, file: str, error: ClaimError, where: str, *, field: str = "", value: str = "NULL",
             expected: str = "NULL", detail: str = "NULL", detail_th: str = "NULL", source: str | None = None) -> None:
        """Add a problem for every row of `file` (or of `source`, a view with the l_ columns) matching `where`."""
        source = source or f"l_{file.lower()}"
        field_sql = field if field.startswith("(") else f"'{field}'"
        self.con.execute(
            f"INSERT INTO problems SELECT '{file}', _row, {field_sql}, '{error.code}', CAST({value} AS VARCHAR), "
            f"CAST({expected} AS VARCHAR), {detail}, {detail_th}, _kind, _key, _hn FROM {source} WHERE {where}")

    def add(self, problems: list[tuple[str, int | None, str, ClaimError, dict[str, Any], str, str, str]]) -> None:
        """Problems found in Python: (file, row, field, error, params, kind, key, hn)."""
        if not problems:
            return
        names = ["file", "row", "field", "code", "value", "expected", "detail", "detail_th", "kind", "key", "hn"]
        rows = [(f, r, fld, e.code, _s(p.get("value")), _s(p.get("expected")), p.get("detail"), p.get("detail_th"),
                 k or None, key or None, hn or None) for f, r, fld, e, p, k, key, hn in problems]
        batch = pa.table({n: pa.array([row[i] for row in rows], pa.int64() if n == "row" else pa.string())
                          for i, n in enumerate(names)})
        self.con.register("_found", batch)
        self.con.execute("INSERT INTO problems SELECT * FROM _found")
        self.con.unregister("_found")


def _s(value: Any) -> str | None:
    return None if value is None else str(value)


Rule = Callable[[CheckContext], None]
RULES: dict[str, Rule] = {}


def rule(function: Rule) -> Rule:
    RULES[function.__name__] = function
    return function


def _present(column: str) -> str:
    return f"coalesce(trim(CAST({_q(column)} AS VARCHAR)), '') <> ''"


# --- rules ---------------------------------------------------------------------------------------------------

_SPECIAL_CODES = {("PAT", "DOB"): ClaimError.BAD_BIRTH_DATE, ("PAT", "SEX"): ClaimError.BAD_SEX,
                  ("IPD", "TIMEADM"): ClaimError.BAD_ADMIT_TIME, ("IPD", "TIMEDSC"): ClaimError.BAD_DISCHARGE_TIME,
                  ("IPD", "DISCHS"): ClaimError.BAD_DISCHARGE_STATUS, ("IPD", "DISCHT"): ClaimError.BAD_DISCHARGE_TYPE}
_BAD_BY_KIND = {formats.DATE: ClaimError.BAD_DATE, formats.TIME: ClaimError.BAD_TIME,
                formats.MONEY: ClaimError.BAD_AMOUNT, formats.INT: ClaimError.BAD_NUMBER,
                formats.DECIMAL: ClaimError.BAD_NUMBER}
_MUST_HAVE = {("OPD", "DATEOPD"): ClaimError.BAD_DATE, ("IPD", "DATEADM"): ClaimError.BAD_DATE,
              ("IPD", "DATEDSC"): ClaimError.NO_DISCHARGE_DATE, ("IPD", "TIMEADM"): ClaimError.BAD_ADMIT_TIME,
              ("IPD", "TIMEDSC"): ClaimError.BAD_DISCHARGE_TIME, ("PAT", "DOB"): ClaimError.BAD_BIRTH_DATE,
              ("PAT", "SEX"): ClaimError.BAD_SEX}


def _check_adder(checks: list[str]) -> Callable[[str, str], None]:
    def add(column: str, code_sql: str) -> None:
        raw = "_raw_" + column if column not in ("HN", "AN", "SEQ") else column
        checks.append(f"struct_pack(f := '{column}', c := {code_sql}, v := trim(l.{_q(raw)}))")

    return add


@rule
def field_formats(ctx: CheckContext) -> None:
    """Dates CE YYYYMMDD (a BE year is named as such), times HHMM, amounts in baht, numbers; keys present.

    One scan per file: every column's check is a struct in a list, the failed ones are unnested into problems."""
    for name, spec in formats.FILES.items():
        if name not in ctx.parsed.files:
            continue
        present = set(ctx.parsed.files[name].columns)
        checks: list[str] = []
        add = _check_adder(checks)
        # Which rows have anything to report at all: the list of checks is built only for those.
        suspects: list[str] = []

        for column, kind in spec.types.items():
            if column not in present:
                continue
            error = _SPECIAL_CODES.get((name, column), _BAD_BY_KIND[kind])
            # _raw_<column> holds the sent text only where it could not be typed (see prepare).
            raw_value = f"l.{_q('_raw_' + column)}"
            bad = f"{raw_value} IS NOT NULL"
            suspects.append(bad)
            if kind == formats.DATE:
                be = f"regexp_full_match({raw_value}, '2[4-9][0-9]{{2}}[0-9]{{4}}')"
                code = f"CASE WHEN {bad} THEN CASE WHEN {be} THEN '{ClaimError.BE_YEAR.code}' ELSE '{error.code}' END"
            else:
                code = f"CASE WHEN {bad} THEN '{error.code}'"
            must = _MUST_HAVE.get((name, column))
            if must is not None:
                code += f" WHEN l.{_q(column)} IS NULL THEN '{must.code}'"
                suspects.append(f"l.{_q(column)} IS NULL")
            add(column, code + " END")
        keys: list[tuple[str, ClaimError, str]] = []
        if "HN" in spec.required:
            keys.append(("HN", ClaimError.NO_HN, "NOT {HN}"))
        if spec.link == "ip":
            keys.append(("AN", ClaimError.NO_AN, "NOT {AN}"))
        elif spec.link == "op":
            keys.append(("SEQ", ClaimError.NO_KEY, "NOT {SEQ}"))
        elif spec.link == "either":
            keys.append(("SEQ", ClaimError.NO_KEY, "NOT {AN} AND NOT {SEQ}"))
        for column, error, template in keys:
            condition = template.format(**{c: f"coalesce(l.{c}, '') <> ''" for c in ("HN", "AN", "SEQ")})
            add(column, f"CASE WHEN {condition} THEN '{error.code}' END")
            suspects.append(f"({condition})")
        if not checks:
            continue
        ctx.con.execute(f"""
            INSERT INTO problems
            SELECT '{name}', _row, p.f, p.c, p.v, NULL, NULL, NULL, _kind, _key, _hn FROM (
                SELECT l._row, l._kind, l._key, l._hn,
                       unnest(list_filter([{", ".join(checks)}], lambda x: x.c IS NOT NULL)) AS p
                FROM l_{name.lower()} l WHERE {" OR ".join(suspects)})""")


def _cid_checks(ctx: CheckContext, file: str, column: str) -> None:
    from openuhc.country.packs import active

    person_id = active().primary_id  # the country pack's rules: digits, and the check digit where one exists
    digits = person_id.digits
    ctx.emit(file, ClaimError.NO_CID, f"NOT {_present(column)}", field=column)
    # The ID trimmed once per row: written out in the check digit's formula, trim() ran 14 times per row.
    source = f"(SELECT _row, _kind, _key, _hn, trim(CAST({_q(column)} AS VARCHAR)) AS _cid FROM l_{file.lower()})"
    c = "_cid"
    detail = (f"CASE WHEN NOT regexp_full_match({c}, '[0-9]+') THEN 'it has characters other than digits' "
              f"WHEN length({c}) <> {digits} THEN 'it has ' || length({c}) || ' digits, not {digits}' "
              f"ELSE 'the check digit does not match' END")
    detail_th = (f"CASE WHEN NOT regexp_full_match({c}, '[0-9]+') THEN 'มีอักขระที่ไม่ใช่ตัวเลข' "
                 f"WHEN length({c}) <> {digits} THEN 'มี ' || length({c}) || ' หลัก ไม่ใช่ {digits} หลัก' "
                 f"ELSE 'เลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง' END")
    bad = f"coalesce({c}, '') <> '' AND {person_id.sql_invalid(c)}"
    ctx.emit(file, ClaimError.BAD_CID, bad, field=column, value=c, detail=detail, detail_th=detail_th, source=source)


@rule
def patient_identity(ctx: CheckContext) -> None:
    """PAT: name, sex 1/2, citizen ID present and well formed (13 digits, check digit); INS.CID likewise."""
    if "PAT" in ctx.parsed.files:
        names = [c for c in ("FNAME", "LNAME", "NAMEPAT") if c in ctx.parsed.files["PAT"].columns]
        if names:
            no_name = " AND ".join(f"NOT {_present(c)}" for c in names)
            ctx.emit("PAT", ClaimError.NO_NAME, no_name, field=names[0])
        ctx.emit("PAT", ClaimError.BAD_SEX, "SEX IS NOT NULL AND SEX NOT IN (1, 2)", field="SEX", value="SEX")
        _cid_checks(ctx, "PAT", "PERSON_ID")
    if "INS" in ctx.parsed.files:
        _cid_checks(ctx, "INS", "CID")


@rule
def service_dates(ctx: CheckContext) -> None:
    """Discharge not before admission, nothing after the day of receipt, no service before birth, no more leave
    days than days in hospital."""
    on = ctx.received_on.isoformat()
    ctx.emit("IPD", ClaimError.DISCHARGE_BEFORE_ADMISSION,
             "DATEDSC IS NOT NULL AND DATEADM IS NOT NULL AND (DATEDSC < DATEADM OR (DATEDSC = DATEADM AND "
             "TIMEDSC IS NOT NULL AND TIMEADM IS NOT NULL AND TIMEDSC < TIMEADM))", field="DATEDSC",
             value="strftime(DATEDSC, '%Y%m%d') || ' ' || coalesce(TIMEDSC, '')",
             expected="strftime(DATEADM, '%Y%m%d') || ' ' || coalesce(TIMEADM, '')")
    for file, column in (("OPD", "DATEOPD"), ("IPD", "DATEADM"), ("IPD", "DATEDSC")):
        ctx.emit(file, ClaimError.FUTURE_DATE, f"{column} > DATE '{on}'", field=column,
                 value=f"strftime({column}, '%Y%m%d')")
    # Leave days (LVD.QTYDAY) longer than the stay: the length of stay for the DRG would be negative, so the
    # admission could never be weighed or paid (LOS = discharge − admission − leave days, reference §1.7).
    leave = ("(SELECT i._row, i._kind, i._key, i._hn, i.DATEADM, i.DATEDSC, l.days FROM l_ipd i JOIN "
             "(SELECT _key, sum(QTYDAY) AS days FROM l_lvd WHERE QTYDAY > 0 GROUP BY _key) l ON l._key = i._key)")
    ctx.emit("IPD", ClaimError.LEAVE_LONGER_THAN_STAY,
             "DATEADM IS NOT NULL AND DATEDSC IS NOT NULL AND DATEDSC >= DATEADM "
             "AND days > date_diff('day', DATEADM, DATEDSC)", field="DATEDSC", value="days",
             expected="date_diff('day', DATEADM, DATEDSC)", source=leave)
    source = ("(SELECT c._row, c.kind AS _kind, c.\"key\" AS _key, NULL AS _hn, c.service_date, c.dob, "
              "CASE c.kind WHEN 'OP' THEN 'OPD' ELSE 'IPD' END AS file FROM claim_people c)")
    for file, column in (("OPD", "DATEOPD"), ("IPD", "DATEADM")):
        ctx.emit(file, ClaimError.ADMITTED_BEFORE_BIRTH, f"file = '{file}' AND service_date < dob", field=column,
                 value="strftime(service_date, '%Y%m%d')", expected="strftime(dob, '%Y%m%d')", source=source)


@rule
def discharge_codes(ctx: CheckContext) -> None:
    """DISCHS 1–9, DISCHT 1–5/8/9, and a death (status 9) is a death in both fields."""
    ctx.emit("IPD", ClaimError.BAD_DISCHARGE_STATUS, "DISCHS IS NOT NULL AND DISCHS NOT BETWEEN 1 AND 9",
             field="DISCHS", value="DISCHS")
    ctx.emit("IPD", ClaimError.BAD_DISCHARGE_TYPE, "DISCHT IS NOT NULL AND DISCHT NOT IN (1, 2, 3, 4, 5, 8, 9)",
             field="DISCHT", value="DISCHT")
    ctx.emit("IPD", ClaimError.DISCHARGE_MISMATCH,
             "DISCHS BETWEEN 1 AND 9 AND DISCHT IN (1, 2, 3, 4, 5, 8, 9) AND ((DISCHS = 9) <> (DISCHT IN (8, 9)))",
             field="DISCHT", value="DISCHS", expected="DISCHT")


@rule
def newborn_weight(ctx: CheckContext) -> None:
    """A newborn's admission needs ADM_W (kg in the file), within the plausible range (e-Claim 114/153)."""
    age, low, high = (ctx.param("claims.newborn_age_days"), ctx.param("claims.newborn_weight_min_g"),
                      ctx.param("claims.newborn_weight_max_g"))
    source = ("(SELECT i.*, c.age_days FROM l_ipd i JOIN claim_people c ON c.kind = 'IP' AND c.\"key\" = i.AN "
              "AND c._row = i._row)")
    ctx.emit("IPD", ClaimError.NO_ADMIT_WEIGHT, f"age_days BETWEEN 0 AND {int(age) - 1} AND coalesce(ADM_W, 0) = 0",
             field="ADM_W", source=source)
    ctx.emit("IPD", ClaimError.NEWBORN_WEIGHT,
             f"age_days BETWEEN 0 AND {int(age) - 1} AND ADM_W > 0 AND ADM_W * 1000 NOT BETWEEN {int(low)} AND "
             f"{int(high)}", field="ADM_W", value="CAST(ADM_W * 1000 AS INTEGER)", expected=f"'{low}–{high}'",
             source=source)


@rule
def cross_file_links(ctx: CheckContext) -> None:
    """Every OPD/IPD row has PAT and INS rows; every other row refers to an existing visit or admission."""
    for file in ("OPD", "IPD"):
        ctx.emit(file, ClaimError.NO_PAT_ROW, f"{_present('HN')} AND HN NOT IN (SELECT hn FROM patients)",
                 field="HN", value="HN")
        if "INS" in ctx.parsed.files:
            ctx.emit(file, ClaimError.NO_INS_ROW, f"{_present('HN')} AND HN NOT IN (SELECT hn FROM coverage)",
                     field="HN", value="HN")
    for name, spec in formats.FILES.items():
        if name in ("OPD", "IPD") or spec.link in ("hn", "") or name not in ctx.parsed.files:
            continue
        # One anti-join per file for both kinds (a CHT row may belong to a visit or to an admission).
        ctx.emit(name, ClaimError.ORPHAN_ROW,
                 "coalesce(_key, '') <> '' AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.kind = _kind "
                 "AND c.\"key\" = _key)",
                 field="(CASE _kind WHEN 'OP' THEN 'SEQ' ELSE 'AN' END)", value="_key",
                 detail="CASE _kind WHEN 'OP' THEN 'SEQ' ELSE 'AN' END",
                 detail_th="CASE _kind WHEN 'OP' THEN 'OPD' ELSE 'IPD' END")


@rule
def charge_totals(ctx: CheckContext) -> None:
    """A claim has a charge total, nothing negative, and CHT.TOTAL equals the sum of its CHA lines."""
    tolerance = ctx.param("claims.charge_tolerance")
    ctx.emit("CHT", ClaimError.NO_CHARGE, "TOTAL < 0", field="TOTAL", value="TOTAL")
    ctx.emit("CHA", ClaimError.NO_CHARGE, "AMOUNT < 0", field="AMOUNT", value="AMOUNT")
    no_total = ("(SELECT c._row, c.kind AS _kind, c.\"key\" AS _key, NULL AS _hn, c.kind FROM claims c "
                "WHERE NOT EXISTS (SELECT 1 FROM l_cht h WHERE h._kind = c.kind AND h._key = c.\"key\"))")
    ctx.emit("OPD", ClaimError.NO_CHARGE, "kind = 'OP'", field="SEQ", value="'-'", source=no_total)
    ctx.emit("IPD", ClaimError.NO_CHARGE, "kind = 'IP'", field="AN", value="'-'", source=no_total)
    sums = ("(SELECT h._row, h._kind, h._key, NULL AS _hn, h.TOTAL, coalesce(a.amount, 0) AS amount "
            "FROM l_cht h LEFT JOIN (SELECT _kind, _key, sum(AMOUNT) AS amount FROM l_cha GROUP BY ALL) a "
            "ON a._kind = h._kind AND a._key = h._key WHERE h.TOTAL IS NOT NULL)")
    ctx.emit("CHT", ClaimError.CHARGE_TOTALS_DIFFER, f"abs(TOTAL - amount) > {tolerance}", field="TOTAL",
             value="TOTAL", expected="amount", source=sums)


@rule
def duplicates(ctx: CheckContext) -> None:
    """One row per AN (IPD) and per SEQ (OPD); one OP visit per person, day and unit (else verify)."""
    # Aggregates first: the windows then run only over the few rows whose key or person-day repeats.
    for file, key in (("IPD", "AN"), ("OPD", "SEQ")):
        dup = (f"(SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY _row) AS copy FROM l_{file.lower()} "
               f"WHERE {key} IN (SELECT {key} FROM l_{file.lower()} WHERE {_present(key)} GROUP BY {key} "
               f"HAVING count(*) > 1))")
        ctx.emit(file, ClaimError.DUPLICATE_AN, "copy > 1", field=key, value=key, source=dup)
    same_day = """(
        SELECT c._row, 'OP' AS _kind, c."key" AS _key, NULL AS _hn, c."key", row_number() OVER w AS nth,
               first_value(c."key") OVER w AS first_key
        FROM claim_people c JOIN (SELECT coalesce(cid, hn) AS person, service_date FROM claim_people
                                  WHERE kind = 'OP' AND service_date IS NOT NULL GROUP BY ALL HAVING count(*) > 1) g
          ON g.person = coalesce(c.cid, c.hn) AND g.service_date = c.service_date
        WHERE c.kind = 'OP'
        WINDOW w AS (PARTITION BY coalesce(c.cid, c.hn), c.service_date ORDER BY c._row))"""
    ctx.emit("OPD", ClaimError.DUPLICATE_VISIT, "nth > 1", field="DATEOPD", value="first_key", source=same_day)


# --- duplicates and overlaps across submissions (and within one) ---------------------------------------------
# Stored claims that still stand: a rejected or replaced claim is no rival (it will not be paid).
_STANDING = ("received", "accepted", "grouped", "held", "priced", "paid")
_LOCKED = lifecycle.LOCKED  # lifecycle.REPLACEABLE leaves these out: a resubmission cannot replace them


def _minutes(time_sql: str) -> str:
    """HHMM text (already checked, or NULL) → INTERVAL; a missing time counts as 00:00."""
    return (f"to_minutes(CASE WHEN regexp_full_match(coalesce({time_sql}, ''), '([01][0-9]|2[0-3])[0-5][0-9]') "
            f"THEN CAST(substr({time_sql}, 1, 2) AS INTEGER) * 60 + CAST(substr({time_sql}, 3, 2) AS INTEGER) "
            f"ELSE 0 END)")


def _unit_id(ctx: CheckContext) -> int | None:
    from openuhc.providers.models import HealthUnit

    if ctx._unit_id is None and ctx.unit_code:
        ctx._unit_id = HealthUnit.objects.filter(code=ctx.unit_code).values_list("id", flat=True).first()
    return ctx._unit_id


def _periods(ctx: CheckContext) -> None:
    """`periods`: each visit and admission of the submission with its person (citizen ID, else the HN) and its
    date-time span (an OP visit is a point; `has_time` says whether the visit's time was sent).

    Without stored claims to compare with, only the people with an admission in this submission can have an
    overlap, so only their visits are taken (a small share of a month's OP visits)."""
    person = "coalesce(nullif(c.cid, ''), 'HN:' || c.hn)"
    only = "" if ctx._stored else (f"AND {person} IN (SELECT coalesce(nullif(cid, ''), 'HN:' || hn) "
                                   "FROM claim_people WHERE kind = 'IP')")
    wanted = "all" if ctx._stored else "admitted"
    if ctx._periods in (wanted, "all"):
        return
    ctx._periods = wanted
    ctx.con.execute(f"""
        CREATE OR REPLACE TABLE periods AS
        SELECT c._row, c.kind, c."key", c.cid, {person} AS person, c.service_date,
               c.service_date + {_minutes('c.t1')} AS start_ts,
               CASE WHEN c.kind = 'IP' THEN c.discharge_date + {_minutes('c.t2')}
                    ELSE c.service_date + {_minutes('c.t1')} END AS end_ts,
               c.t1 IS NOT NULL AS has_time
        FROM claim_people c
        WHERE c.service_date IS NOT NULL AND (c.kind = 'OP' OR c.discharge_date >= c.service_date) {only}""")


_STORED_FIELDS = ["unit_id", "unit__code", "kind", "key", "status", "citizen_id", "service_date", "service_time",
                  "discharge_date", "discharge_time"]
_DUCK_TYPES = {"unit_id": "BIGINT", "unit_code": "VARCHAR", "kind": "VARCHAR", "key": "VARCHAR", "status": "VARCHAR",
               "cid": "VARCHAR", "service_date": "DATE", "t1": "VARCHAR", "discharge_date": "DATE", "t2": "VARCHAR"}
_STORED_TYPES = {"unit_id": pa.int64(), "unit_code": pa.string(), "kind": pa.string(), "key": pa.string(),
                 "status": pa.string(), "cid": pa.string(), "service_date": pa.date32(), "t1": pa.string(),
                 "discharge_date": pa.date32(), "t2": pa.string()}


# PostgreSQL: `window` of _load_stored for the people of the temporary table stored_people. The claims come per
# person by the index on (citizen ID, service date), in a LATERAL subquery the planner cannot flatten (OFFSET 0):
# right after a bulk submission the table's statistics are stale, and a flattened plan scanned a unit's claims or
# combined the status index; the other conditions filter the few rows found per person.
_STORED_BY_PERSON = """
    SELECT c.unit_id, u.code, c.kind, c."key", c.status, c.citizen_id, c.service_date, c.service_time,
           c.discharge_date, c.discharge_time
    FROM stored_people p CROSS JOIN LATERAL (
        SELECT c.unit_id, c.kind, c."key", c.status, c.citizen_id, c.service_date, c.service_time, c.discharge_date,
               c.discharge_time, c.is_current
        FROM claims_claim c WHERE c.citizen_id = p.cid AND c.service_date <= %s OFFSET 0) c
    JOIN providers_healthunit u ON u.id = c.unit_id
    WHERE c.is_current AND (c.discharge_date >= %s OR c.service_date >= %s) AND c.status = ANY(%s)"""


def _load_stored(ctx: CheckContext) -> bool:
    """Copy into DuckDB (table `stored`) the current, standing claims of the people in this submission whose
    dates reach into its period — one query on PostgreSQL, one per 5,000 citizen IDs on SQLite, none at all when
    nothing is stored in the period (as for `openuhc claims check` on a fresh database). True when there is
    anything to compare with."""
    from django.db.models import Q

    from openuhc.claims.models import Claim

    if ctx._stored is not None:
        return ctx._stored
    con = ctx.con
    con.execute("""CREATE OR REPLACE TABLE stored (unit_id BIGINT, unit_code VARCHAR, kind VARCHAR, "key" VARCHAR,
                   status VARCHAR, cid VARCHAR, service_date DATE, start_ts TIMESTAMP, end_ts TIMESTAMP,
                   has_time BOOLEAN)""")
    first, last = con.execute("SELECT min(service_date), max(coalesce(discharge_date, service_date)) "
                              "FROM claims").fetchall()[0]
    ctx._stored = False
    if first is None:
        return False
    window = Claim.objects.filter(is_current=True, status__in=_STANDING, service_date__lte=last).filter(
        Q(discharge_date__gte=first) | Q(service_date__gte=first))
    if not window.exists():
        return False
    names = ["unit_id", "unit_code", "kind", "key", "status", "cid", "service_date", "t1", "discharge_date", "t2"]
    from openuhc.country.packs import active

    digits = active().primary_id.digits
    people = f"SELECT DISTINCT cid FROM claim_people WHERE length(cid) = {digits}"
    start, end = _minutes("nullif(t1, '')"), _minutes("nullif(t2, '')")
    insert = f"""
        INSERT INTO stored SELECT unit_id, unit_code, kind, "key", status, cid, service_date, service_date + {start},
               CASE WHEN kind = 'IP' THEN discharge_date + {end} ELSE service_date + {start} END,
               coalesce(t1, '') <> ''
        FROM _stored_rows WHERE kind = 'OP' OR discharge_date >= service_date"""
    if connection.vendor == "postgresql":
        # Set-based: the people go by COPY into a temporary table, their stored claims come back by COPY, one
        # query looking each person up by index (claims_person_dates): its cost follows the submission's people,
        # not the number of claims stored in the period.
        with transaction.atomic(), connection.cursor() as db:
            db.execute("DROP TABLE IF EXISTS pg_temp.stored_people")  # an outer transaction's ON COMMIT is later
            db.execute("CREATE TEMPORARY TABLE stored_people (cid varchar) ON COMMIT DROP")
            bulk.insert_query("stored_people", ["cid"], con, people)
            db.execute("SET LOCAL jit = off")  # compiling the plan would cost more than running it
            bulk.query_to_duckdb(con, "_stored_rows", _STORED_BY_PERSON, [last, first, first, list(_STANDING)],
                                 {n: _DUCK_TYPES[n] for n in names})
            db.execute("DROP TABLE stored_people")
        con.execute(insert)
        con.execute("DROP TABLE _stored_rows")
        ctx._stored = bool(con.execute("SELECT count(*) FROM stored").fetchall()[0][0])
        return ctx._stored
    cursor = con.cursor().execute(people)
    while batch := cursor.fetchmany(5000):
        rows = list(window.filter(citizen_id__in=[c for (c,) in batch]).values_list(*_STORED_FIELDS))
        if not rows:
            continue
        # Explicit types: a batch of OP visits only has no discharge date at all, and an all-None column would
        # arrive in DuckDB as type NULL (and `NULL + INTERVAL` does not bind).
        con.register("_stored_rows", pa.table({n: pa.array([r[i] for r in rows], _STORED_TYPES[n])
                                               for i, n in enumerate(names)}))
        con.execute(insert)
        con.unregister("_stored_rows")
    ctx._stored = bool(con.execute("SELECT count(*) FROM stored").fetchall()[0][0])
    return ctx._stored


# An OP visit at a point in time lies inside an admission: strictly between admission and discharge when its time
# was sent (a visit on the morning of the admission is not inside it), else on a day strictly between the two.
_VISIT_IN_STAY = ("CASE WHEN {o}.has_time THEN {i}.start_ts < {o}.start_ts AND {o}.start_ts < {i}.end_ts "
                  "ELSE CAST({i}.start_ts AS DATE) < {o}.service_date "
                  "AND {o}.service_date < CAST({i}.end_ts AS DATE) END")
# Two stays overlap when each begins before the other ends (a transfer out at 10:00 and in at 10:00 does not).
_STAYS_OVERLAP = "{a}.start_ts < {b}.end_ts AND {b}.start_ts < {a}.end_ts"
_EARLIER = ("'sent earlier'", "'ที่ส่งมาก่อนหน้านี้'")
_HERE = ("'in this submission'", "'ในชุดข้อมูลนี้'")


@rule
def locked_claims(ctx: CheckContext) -> None:
    """A visit or admission sent again whose earlier claim (same unit and SEQ/AN) is already priced or paid:
    it cannot replace it (e-Claim's duplicate-AN case). Asked by key, one query per 5,000 keys, and only when the
    unit has any priced or paid claim at all."""
    from openuhc.claims.models import Claim

    unit_id = _unit_id(ctx)
    if unit_id is None:
        return
    locked = Claim.objects.filter(unit_id=unit_id, is_current=True, status__in=_LOCKED)
    if not locked.exists():
        return
    ctx.con.execute('CREATE OR REPLACE TEMP TABLE locked_keys (kind VARCHAR, "key" VARCHAR)')
    for kind in ("OP", "IP"):
        cursor = ctx.con.cursor().execute('SELECT "key" FROM claims WHERE kind = ?', [kind])
        while batch := cursor.fetchmany(5000):
            keys = list(locked.filter(kind=kind, key__in=[k for (k,) in batch]).values_list("key", flat=True))
            if keys:
                ctx.con.execute("INSERT INTO locked_keys SELECT ?, unnest(?)", [kind, keys])
    for file, kind, field_name in (("OPD", "OP", "SEQ"), ("IPD", "IP", "AN")):
        source = (f"(SELECT c._row, c.kind AS _kind, c.\"key\" AS _key, NULL AS _hn FROM claims c JOIN locked_keys k "
                  f"ON k.kind = c.kind AND k.\"key\" = c.\"key\" WHERE c.kind = '{kind}')")
        ctx.emit(file, ClaimError.AN_ALREADY_PAID, "true", field=field_name, value="_key", source=source)
    ctx.con.execute("DROP TABLE locked_keys")


@rule
def earlier_visits(ctx: CheckContext) -> None:
    """The same person's OP visit at this unit on the same day is already stored from an earlier submission
    under another SEQ (e-Claim 179). Sending the same SEQ again is a replacement, not a duplicate; a stored SEQ
    that this submission sends again is being replaced, so it does not count either."""
    unit_id = _unit_id(ctx)
    if unit_id is None or not _load_stored(ctx):
        return
    _periods(ctx)
    source = (f"(SELECT p._row, 'OP' AS _kind, p.\"key\" AS _key, NULL AS _hn, min(s.\"key\") AS other "
              f"FROM periods p JOIN stored s ON s.kind = 'OP' AND s.unit_id = {int(unit_id)} AND s.cid = p.cid "
              f"AND s.service_date = p.service_date AND s.\"key\" <> p.\"key\" "
              f"WHERE p.kind = 'OP' AND s.\"key\" NOT IN (SELECT \"key\" FROM claims WHERE kind = 'OP') "
              f"GROUP BY p._row, p.\"key\")")
    ctx.emit("OPD", ClaimError.EARLIER_VISIT, "true", field="DATEOPD", value="other", source=source)


@rule
def overlapping_stays(ctx: CheckContext) -> None:
    """The same person's admissions overlap in date and time at this unit, or an OP visit falls inside an
    admission (e-Claim 151) — within the submission and against claims stored earlier. Two admissions: reported
    on the later one; an admission and a visit: on the visit (OP care during a stay belongs to the stay)."""
    unit_id = _unit_id(ctx)
    stored = unit_id is not None and _load_stored(ctx)
    _periods(ctx)
    overlap = _STAYS_OVERLAP.format(a="a", b="b")
    ctx.emit("IPD", ClaimError.OVERLAPPING_STAY, "true", field="DATEADM", value="'AN ' || other",
             detail=_HERE[0], detail_th=_HERE[1], source=f"""(
        SELECT DISTINCT b._row, 'IP' AS _kind, b."key" AS _key, NULL AS _hn, a."key" AS other
        FROM periods a JOIN periods b ON a.person = b.person AND a.kind = 'IP' AND b.kind = 'IP'
         AND a."key" <> b."key" AND {overlap}
         AND (a.start_ts < b.start_ts OR (a.start_ts = b.start_ts AND a._row < b._row)))""")
    ctx.emit("OPD", ClaimError.OVERLAPPING_STAY, "true", field="DATEOPD", value="'AN ' || other",
             detail=_HERE[0], detail_th=_HERE[1], source=f"""(
        SELECT o._row, 'OP' AS _kind, o."key" AS _key, NULL AS _hn, i."key" AS other
        FROM periods i JOIN periods o ON i.person = o.person AND i.kind = 'IP' AND o.kind = 'OP'
         AND {_VISIT_IN_STAY.format(i="i", o="o")})""")
    if not stored:
        return
    # Stored claims of this unit that this submission sends again are being replaced: not rivals.
    rivals = (f"(SELECT * FROM stored WHERE unit_id = {int(unit_id)} AND (kind, \"key\") NOT IN "
              f"(SELECT kind, \"key\" FROM claims))")
    for file, new_kind, old_kind, condition, field_name, label in (
            ("IPD", "IP", "IP", _STAYS_OVERLAP.format(a="p", b="s"), "DATEADM", "AN"),
            ("IPD", "IP", "OP", _VISIT_IN_STAY.format(i="p", o="s"), "DATEADM", "SEQ"),
            ("OPD", "OP", "IP", _VISIT_IN_STAY.format(i="s", o="p"), "DATEOPD", "AN")):
        ctx.emit(file, ClaimError.OVERLAPPING_STAY, "true", field=field_name, value=f"'{label} ' || other",
                 detail=_EARLIER[0], detail_th=_EARLIER[1], source=f"""(
            SELECT p._row, p.kind AS _kind, p."key" AS _key, NULL AS _hn, s."key" AS other
            FROM periods p JOIN {rivals} s ON s.cid = p.cid AND s.kind = '{old_kind}' AND {condition}
            WHERE p.kind = '{new_kind}')""")


@rule
def overlapping_admissions(ctx: CheckContext) -> None:
    """The same person is admitted at another unit over an overlapping period (e-Claim 150), against the
    admissions stored from the other units' submissions (one submission is always from one unit)."""
    unit_id = _unit_id(ctx)
    if unit_id is None or not _load_stored(ctx):
        return
    _periods(ctx)
    ctx.emit("IPD", ClaimError.OVERLAPPING_ADMISSION, "true", field="DATEADM", value="other", expected="unit",
             source=f"""(
        SELECT p._row, 'IP' AS _kind, p."key" AS _key, NULL AS _hn, s."key" AS other, s.unit_code AS unit
        FROM periods p JOIN stored s ON s.cid = p.cid AND s.kind = 'IP' AND s.unit_id <> {int(unit_id)}
         AND {_STAYS_OVERLAP.format(a="p", b="s")}
        WHERE p.kind = 'IP')""")


@rule
def diagnoses(ctx: CheckContext) -> None:
    """Exactly one principal diagnosis per claim, DXTYPE 1–5, ICD-10 and ICD-9-CM codes well formed."""
    for file, kind, key in (("ODX", "OP", "SEQ"), ("IDX", "IP", "AN")):
        parent = "OPD" if kind == "OP" else "IPD"
        # One aggregate and one join; only the claims with other than one principal diagnosis are kept.
        ctx.con.execute(f"""CREATE OR REPLACE TEMP TABLE pdx_counts AS
            SELECT c._row, c.kind AS _kind, c."key" AS _key, NULL AS _hn, coalesce(d.n, 0) AS n FROM claims c
            LEFT JOIN (SELECT _key, count(*) AS n FROM l_{file.lower()} WHERE DXTYPE = 1 GROUP BY _key) d
            ON d._key = c."key" WHERE c.kind = '{kind}' AND coalesce(d.n, 0) <> 1""")
        ctx.emit(parent, ClaimError.NO_PDX, "n = 0", field=key, source="pdx_counts")
        ctx.emit(parent, ClaimError.MANY_PDX, "n > 1", field=key, value="n", source="pdx_counts")
        ctx.emit(file, ClaimError.BAD_DXTYPE, "DXTYPE IS NOT NULL AND DXTYPE NOT BETWEEN 1 AND 5", field="DXTYPE",
                 value="DXTYPE")
        ctx.emit(file, ClaimError.BAD_DIAGNOSIS_FORMAT,
                 f"{_present('DIAG')} AND NOT regexp_full_match(upper(DIAG), '[A-Z][0-9][0-9A-Z]{{1,5}}')",
                 field="DIAG", value="DIAG")
    ctx.con.execute("DROP TABLE IF EXISTS pdx_counts")
    for file in ("OOP", "IOP"):
        ctx.emit(file, ClaimError.BAD_PROCEDURE_FORMAT,
                 f"{_present('OPER')} AND NOT regexp_full_match(OPER, '[0-9]{{3,7}}')", field="OPER", value="OPER")


@rule
def code_tables(ctx: CheckContext) -> None:
    """Diagnosis and procedure codes exist in the installed code tables, with their age and sex edits.

    The tables are asked once per distinct (code, sex, age, month) — age in days only under a year, where the
    newborn edits need it — and the answers are joined back to the rows in SQL, so memory stays flat."""
    from openuhc.drg.tables import active_tables

    # Without any installed tables for the months of this submission there is nothing to look up: say so and
    # skip joining every code to its claim.
    months = [m for (m,) in ctx.con.execute("SELECT DISTINCT date_trunc('month', coalesce(service_date, "
                                              "DATE '1900-01-01')) FROM claim_people").fetchall()]
    days = [m.date() if hasattr(m, "date") else m for m in months]
    if all(active_tables(on=d if d.year > 1900 else ctx.received_on) is None for d in days):
        ctx.tables_missing = bool(ctx.con.execute(
            "SELECT EXISTS (SELECT 1 FROM l_odx UNION ALL SELECT 1 FROM l_idx UNION ALL SELECT 1 FROM l_oop "
            "UNION ALL SELECT 1 FROM l_iop)").fetchall()[0][0])
        return
    ctx.con.execute("""
        CREATE OR REPLACE TABLE code_rows AS
        SELECT d._row, d._kind, d._key, upper(d.DIAG) AS code, c.sex, c.age_years,
               least(c.age_days, 366) AS age_days,  -- past a year only "older than a newborn" matters
               date_trunc('month', coalesce(c.service_date, DATE '1900-01-01')) AS month, d.file, 'dx' AS what
        FROM (SELECT *, 'ODX' AS file FROM l_odx UNION ALL BY NAME SELECT *, 'IDX' AS file FROM l_idx) d
        JOIN claim_people c ON c.kind = d._kind AND c."key" = d._key
        WHERE regexp_full_match(upper(d.DIAG), '[A-Z][0-9][0-9A-Z]{1,5}')
        UNION ALL
        SELECT p._row, p._kind, p._key, p.OPER, c.sex, NULL, NULL,
               date_trunc('month', coalesce(c.service_date, DATE '1900-01-01')), p.file, 'op'
        FROM (SELECT *, 'OOP' AS file FROM l_oop UNION ALL BY NAME SELECT *, 'IOP' AS file FROM l_iop) p
        JOIN claim_people c ON c.kind = p._kind AND c."key" = p._key
        WHERE regexp_full_match(p.OPER, '[0-9]{3,7}')""")
    cursor = ctx.con.cursor().execute("SELECT DISTINCT what, code, sex, age_years, age_days, month FROM code_rows")
    tables_by_month: dict[Any, Any] = {}
    answers: list[tuple[Any, ...]] = []
    dx = {"unknown_code": ClaimError.UNKNOWN_DIAGNOSIS, "sex_conflict": ClaimError.DIAGNOSIS_SEX,
          "age_conflict": ClaimError.DIAGNOSIS_AGE}
    op = {"unknown_code": ClaimError.UNKNOWN_PROCEDURE, "sex_conflict": ClaimError.PROCEDURE_SEX}
    while batch := cursor.fetchmany(10000):
        for what, code, sex, age_years, age_days, month in batch:
            day = month.date() if hasattr(month, "date") else month
            if day not in tables_by_month:
                tables_by_month[day] = active_tables(on=day if day.year > 1900 else ctx.received_on)
            tables = tables_by_month[day]
            if tables is None:
                ctx.tables_missing = True
                continue
            ctx.tables_version = tables.version
            if what == "dx":
                error = dx.get(tables.diagnosis_problem(code, sex=sex, age_years=age_years, age_days=age_days) or "")
            else:
                error = op.get(tables.procedure_problem(code, sex=sex) or "")
            if error is not None:
                answers.append((what, code, sex, age_years, age_days, month, error.code, tables.version))
    if answers:
        names = ["what", "code", "sex", "age_years", "age_days", "month", "error", "version"]
        found = pa.table({n: pa.array([a[i] for a in answers]) for i, n in enumerate(names)})
        ctx.con.register("_answers", found)
        ctx.con.execute("""
            INSERT INTO problems
            SELECT r.file, r._row, CASE r.what WHEN 'dx' THEN 'DIAG' ELSE 'OPER' END, a.error, r.code, a.version,
                   NULL, NULL, r._kind, r._key, NULL
            FROM code_rows r JOIN _answers a ON a.what = r.what AND a.code = r.code
                AND a.sex IS NOT DISTINCT FROM r.sex AND a.age_years IS NOT DISTINCT FROM r.age_years
                AND a.age_days IS NOT DISTINCT FROM r.age_days AND a.month = r.month""")
        ctx.con.unregister("_answers")
    ctx.con.execute("DROP TABLE code_rows")


@rule
def unit_codes(ctx: CheckContext) -> None:
    """HCODE in PAT and DRU is the submitting unit, and the unit is in the register of health units."""
    from openuhc.providers.models import HealthUnit

    if ctx.unit_code:
        for file in ("PAT", "DRU"):
            if file in ctx.parsed.files and "HCODE" in ctx.parsed.files[file].columns:
                ctx.emit(file, ClaimError.UNIT_MISMATCH, f"{_present('HCODE')} AND HCODE <> '{ctx.unit_code}'",
                         field="HCODE", value="HCODE", detail="NULL")
    codes = [c for (c,) in ctx.con.execute("SELECT DISTINCT HCODE FROM t_pat WHERE coalesce(HCODE, '') <> ''")
             .fetchall()]
    known = set(HealthUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    unknown = [c for c in codes if c not in known]
    if unknown:
        ctx.con.execute("CREATE TEMP TABLE unknown_units AS SELECT unnest(?) AS code", [unknown])
        ctx.emit("PAT", ClaimError.UNKNOWN_UNIT, "HCODE IN (SELECT code FROM unknown_units)", field="HCODE",
                 value="HCODE")
        ctx.con.execute("DROP TABLE unknown_units")


@rule
def eligibility(ctx: CheckContext) -> None:
    """The person is covered by one of the fund's schemes on the service date, and alive (registry check).

    Set-based: the submission's distinct (citizen ID, service date) pairs go to the registry at once
    (`registry_facts_into`: one query on PostgreSQL, chunks on SQLite; the person, death date, coverage and
    registration in force that day), the answers land in the DuckDB table `registry_facts`, and the problems and
    the table `eligible` come from SQL over the whole submission — the reasons and their order are
    `check_eligibility`'s: not in the registry,
    bad check digit, dead before that day, no coverage that day; then a scheme outside the fund."""
    from openuhc.registry.eligibility import registry_facts_into
    from openuhc.registry.ids import CitizenIdError

    con = ctx.con
    con.execute("""CREATE TABLE IF NOT EXISTS eligible (kind VARCHAR, "key" VARCHAR, person_id BIGINT,
                   scheme VARCHAR, units VARCHAR[], main_unit_id BIGINT)""")
    con.execute("""CREATE OR REPLACE TABLE registry_facts (cid VARCHAR, "day" DATE, person_id BIGINT,
                   death_date DATE, scheme VARCHAR, registers_with_unit BOOLEAN, main_unit VARCHAR,
                   primary_unit VARCHAR, referral_unit VARCHAR, main_unit_id BIGINT)""")
    from openuhc.country.packs import active

    person_id = active().primary_id  # the country pack's number: its digits, and its check digit where one exists
    digits = person_id.digits
    wanted = (f"FROM claim_people WHERE service_date IS NOT NULL AND length(cid) = {digits} "
              f"AND regexp_full_match(cid, '[0-9]{{{digits}}}')")
    registry_facts_into(con, f"SELECT DISTINCT cid, service_date {wanted}", "registry_facts")
    # The fund's schemes are a dated parameter: one answer per service day of the submission.
    days = [d for (d,) in con.execute('SELECT DISTINCT "day" FROM registry_facts').fetchall()]
    fund = [(d, scheme) for d in days for scheme in ctx.param("claims.fund_schemes", d.date() if hasattr(d, "date")
                                                              else d)]
    con.execute('CREATE OR REPLACE TABLE fund_schemes ("day" DATE, scheme VARCHAR)')
    if fund:
        con.register("_fund", pa.table({"day": pa.array([d for d, _ in fund], pa.date32()),
                                        "scheme": pa.array([s for _, s in fund], pa.string())}))
        con.execute("INSERT INTO fund_schemes SELECT * FROM _fund")
        con.unregister("_fund")
    bad_digit = CitizenIdError.BAD_CHECK_DIGIT
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE eligibility_answers AS
        SELECT c.kind, c."key", c._row, c.service_date, f.person_id, f.death_date, f.scheme, f.registers_with_unit,
               f.main_unit, f.primary_unit, f.referral_unit, f.main_unit_id,
               CASE WHEN f.cid IS NULL THEN 'unknown_id'
                    WHEN {person_id.sql_invalid("c.cid")} THEN 'bad_check_digit'
                    WHEN f.death_date < c.service_date THEN 'dead'
                    WHEN f.scheme IS NULL THEN 'no_coverage'
                    WHEN f.scheme NOT IN (SELECT scheme FROM fund_schemes s WHERE s."day" = c.service_date)
                        THEN 'other_scheme'
               END AS reason
        FROM (SELECT kind, "key", _row, cid, service_date {wanted}) c
        LEFT JOIN registry_facts f ON f.cid = c.cid AND f."day" = c.service_date""")
    day = "strftime(service_date, '%Y-%m-%d')"
    # One pass per file for the five reasons (not one per reason): each claim has at most one reason.
    said = {"unknown_id": ("not in the registry", "ไม่พบในทะเบียน"),
            "no_coverage": ("no coverage on that date", "ไม่มีสิทธิในวันนั้น"),
            "bad_check_digit": (bad_digit.message("en"), bad_digit.message("th"))}
    codes = {**dict.fromkeys(said, ClaimError.NO_RIGHT), "dead": ClaimError.DEAD,
             "other_scheme": ClaimError.OTHER_SCHEME}
    code = " ".join(f"WHEN '{reason}' THEN '{error.code}'" for reason, error in codes.items())
    detail, detail_th = (" ".join(f"WHEN '{reason}' THEN {_sql_text(text[i])}" for reason, text in said.items())
                         for i in (0, 1))
    for file, kind, date_field in (("OPD", "OP", "DATEOPD"), ("IPD", "IP", "DATEADM")):
        con.execute(f"""
            INSERT INTO problems
            SELECT '{file}', _row, CASE reason WHEN 'dead' THEN '{date_field}' ELSE 'PERSON_ID' END,
                   CASE reason {code} END, {day},
                   CASE reason WHEN 'dead' THEN strftime(death_date, '%Y-%m-%d') WHEN 'other_scheme' THEN scheme END,
                   CASE reason {detail} END, CASE reason {detail_th} END, kind, "key", NULL
            FROM eligibility_answers WHERE kind = '{kind}' AND reason IS NOT NULL""")
    # What later rules and storing read: the person of every claim the registry knows, and — when covered and
    # alive that day — the scheme and, for a registering scheme, the registered units.
    # The units' list once per (main, primary, referral) of the submission (a few hundred), not once per claim.
    con.execute("""
        INSERT INTO eligible
        WITH lists AS (
            SELECT main_unit, primary_unit, referral_unit,
                   list_sort(list_distinct([main_unit, primary_unit, referral_unit])) AS units
            FROM (SELECT DISTINCT main_unit, primary_unit, referral_unit FROM eligibility_answers
                  WHERE main_unit IS NOT NULL))
        SELECT kind, "key", person_id,
               CASE WHEN reason IS NULL OR reason = 'other_scheme' THEN scheme ELSE '' END,
               CASE WHEN (reason IS NULL OR reason = 'other_scheme') AND registers_with_unit AND a.main_unit IS NOT NULL
                    THEN l.units ELSE [] END,
               CASE WHEN (reason IS NULL OR reason = 'other_scheme') AND registers_with_unit THEN main_unit_id END
        FROM eligibility_answers a LEFT JOIN lists l ON l.main_unit = a.main_unit
             AND l.primary_unit IS NOT DISTINCT FROM a.primary_unit
             AND l.referral_unit IS NOT DISTINCT FROM a.referral_unit
        WHERE person_id IS NOT NULL AND coalesce(reason, '') <> 'bad_check_digit'""")
    con.execute("DROP TABLE eligibility_answers")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@rule
def op_referral(ctx: CheckContext) -> None:
    """OP care outside the person's registered units (and their CUP) needs a referral in ORF, unless AER says
    accident or emergency. Switched per date by claims.op_referral_required ("30 baht, treatment anywhere")."""
    from openuhc.providers.models import HealthUnit

    exists = ctx.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'eligible'")
    if not ctx.unit_code or not exists.fetchall()[0][0]:
        return
    codes = ctx.param("claims.emergency_ucae_codes")
    # The switch is asked once per service day, and only the visits of days it is on are read into Python.
    days = [d for (d,) in ctx.con.execute("SELECT DISTINCT service_date FROM claims WHERE kind = 'OP' "
                                          "AND service_date IS NOT NULL").fetchall()]
    required = [d for d in days if ctx.param("claims.op_referral_required", d.date() if hasattr(d, "date") else d)]
    if not required:
        return
    cursor = ctx.con.cursor().execute("""
        SELECT c."key", c._row, c.service_date, e.units, e.main_unit_id FROM claims c
        JOIN eligible e ON e.kind = 'OP' AND e."key" = c."key"
        WHERE c.kind = 'OP' AND c.service_date IN (SELECT unnest(?)) AND len(e.units) > 0
          AND NOT list_contains(e.units, ?)
          AND c."key" NOT IN (SELECT SEQ FROM t_orf WHERE coalesce(SEQ, '') <> '')
          AND c."key" NOT IN (SELECT _key FROM l_aer WHERE _kind = 'OP'
                              AND (UCAE IN (SELECT unnest(?)) OR coalesce(AETYPE, '') <> ''))""",
                             [required, ctx.unit_code, list(codes) or [""]])
    cup_of: dict[int, set[str]] = {}
    while batch := cursor.fetchmany(5000):
        found: list[Any] = []
        for key, row, day, units, main in batch:
            if day is None or not ctx.param("claims.op_referral_required", day):
                continue
            if main not in cup_of:
                cup_of[main] = set(HealthUnit.objects.filter(cup__main_unit_id=main).values_list("code", flat=True))
            if ctx.unit_code not in cup_of[main]:
                found.append(("OPD", row, "SEQ", ClaimError.REFERRAL_NEEDED,
                              {"value": key, "expected": ", ".join(units)}, "OP", key, ""))
        ctx.add(found)


# --- running ---------------------------------------------------------------------------------------------------

def file_problems(ctx: CheckContext) -> list[Problem]:
    """Required files present, and at least one visit or admission."""
    found = []
    names = set(ctx.parsed.files)
    for name in ctx.param("claims.required_files", ctx.received_on):
        if name not in names and not any(p.file == name for p in ctx.parsed.problems):
            found.append(Problem(ClaimError.FILE_MISSING, file=name))
    if "OPD" not in names and "IPD" not in names and not any(p.file in ("OPD", "IPD") for p in ctx.parsed.problems):
        found.append(Problem(ClaimError.FILE_MISSING, file="OPD/IPD"))
    for parent, children in (("OPD", ("ORF", "ODX", "OOP")), ("IPD", ("IRF", "IDX", "IOP", "LVD"))):
        if names.intersection(children) and parent not in names and not any(p.file == parent for p in found):
            found.append(Problem(ClaimError.FILE_MISSING, file=parent))
    return found


# The stored key's size (claims_claim.key): a longer SEQ/AN is stored cut to it.
KEY_SIZE = 30


def key_problems(ctx: CheckContext) -> list[Problem]:
    """Visits (or admissions) whose keys differ but are equal once cut to the stored key's size: one problem per
    row, with its file and line. The file cannot be stored as it is (the two would be one claim), so the code is
    file-level; storing's own check (store.KeyStoredTwice) is then never reached for a checked file."""
    found = []
    files = {"OP": ("OPD", "SEQ"), "IP": ("IPD", "AN")}
    # Only keys of at least KEY_SIZE characters can be equal in their first KEY_SIZE: one filtered scan.
    for kind, key, row in ctx.con.execute(f"""
            WITH long AS (SELECT kind, "key", _row FROM claims WHERE length("key") >= {KEY_SIZE})
            SELECT kind, "key", _row FROM long WHERE length("key") > {KEY_SIZE} AND (kind, left("key", {KEY_SIZE}))
              IN (SELECT kind, left("key", {KEY_SIZE}) FROM long GROUP BY ALL HAVING count(*) > 1)
            ORDER BY kind DESC, _row""").fetchall():
        file, field_name = files[kind]
        parsed_file = ctx.parsed.files.get(file)
        found.append(Problem(ClaimError.KEY_CUT_TWICE, file=file, field=field_name, kind=kind, key=key,
                             line=parsed_file.line_of(row) if parsed_file is not None else None,
                             params={"value": key, "expected": KEY_SIZE}))
    return found


def service_period(parsed: ParsedSubmission) -> date | None:
    """The first day of the month most visits and admissions fall in."""
    rows = parsed.connection.execute("""
        SELECT date_trunc('month', service_date) AS m, count(*) FROM claims WHERE service_date IS NOT NULL
        GROUP BY m ORDER BY count(*) DESC, m LIMIT 1""").fetchall()
    return rows[0][0] if rows else None


def run_rules(ctx: CheckContext, *, only: list[str] | None = None, progress: Callable[[str], None] | None = None
              ) -> None:
    for name, function in RULES.items():
        if only is not None and name not in only:
            continue
        if not ctx.param(f"claims.rule.{name}"):
            continue
        if progress is not None:
            progress(name)
        function(ctx)


def iter_problems(ctx: CheckContext) -> Iterator[Problem]:
    """Every problem of the submission, reader's first, then rules' in file and line order."""
    yield from ctx.parsed.problems
    cursor = ctx.con.cursor().execute('SELECT * FROM problems ORDER BY file, "row", code')
    while batch := cursor.fetchmany(10000):
        for file, row, field_name, code, value, expected, detail, detail_th, kind, key, hn in batch:
            parsed_file = ctx.parsed.files.get(file)
            line = parsed_file.line_of(row) if parsed_file is not None and row is not None else None
            params_: dict[str, Any] = {"value": value, "expected": expected, "unit": ctx.unit_code}
            if detail is not None:
                params_["detail"] = detail
                params_["detail_th"] = detail_th if detail_th is not None else detail
            if code == ClaimError.ORPHAN_ROW.code:
                params_["key"], params_["parent"] = detail, detail_th
                params_["detail"] = params_["detail_th"] = None
            yield Problem(ClaimError(code), file=file, line=line, field=field_name, params=params_, kind=kind or "",
                          key=key or "", hn=hn or "")


def claim_counts(ctx: CheckContext) -> dict[str, int]:
    return dict(ctx.con.execute("SELECT kind, count(*) FROM claims GROUP BY kind").fetchall())
