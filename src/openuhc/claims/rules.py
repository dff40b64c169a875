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

from openuhc.claims import formats
from openuhc.claims.errors import ClaimError
from openuhc.claims.problems import Problem
from openuhc.claims.reader import ParsedSubmission
from openuhc.core import params

TEXT_CID_WEIGHTS = range(13, 1, -1)


def raw_view(name: str) -> str:
    return f"r_{name.lower()}"


def typed_view(name: str) -> str:
    """The file's rows with typed columns (dates, money, numbers) and `_row`, as handed to later stages."""
    return f"typed_{name.lower()}"


def _table(name: str) -> str:
    return f"t_{name.lower()}"


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _typed_expr(kind: str, column: str) -> str:
    v = f"nullif(trim({_q(column)}), '')"
    if kind == formats.DATE:
        # Eight digits, a real calendar day, a CE year 1800–2199 (a BE year such as 2568 is refused here and named
        # by field_formats).
        return (f"CASE WHEN length({v}) = 8 AND {v} BETWEEN '18000101' AND '21991231' "
                f"THEN CAST(try_strptime({v}, '%Y%m%d') AS DATE) END")
    if kind == formats.TIME:
        return f"CASE WHEN regexp_full_match({v}, '([01][0-9]|2[0-3])[0-5][0-9]') THEN {v} END"
    if kind == formats.MONEY:
        return (f"CASE WHEN regexp_full_match({v}, '-?[0-9]{{1,14}}(\\.[0-9]{{1,2}})?') "
                f"THEN CAST({v} AS DECIMAL(16,2)) END")
    if kind == formats.DECIMAL:
        return (f"CASE WHEN regexp_full_match({v}, '-?[0-9]{{1,9}}(\\.[0-9]{{1,3}})?') "
                f"THEN CAST({v} AS DECIMAL(12,3)) END")
    if kind == formats.INT:
        return f"CASE WHEN length({v}) <= 9 THEN TRY_CAST({v} AS INTEGER) END"
    return f"trim({_q(column)})"


def _link(spec: formats.FileSpec) -> tuple[str, str, str]:
    """SQL for (kind, key, hn) of a row of this file."""
    if spec.link == "op":
        return "'OP'", "SEQ", "NULL"
    if spec.link == "ip":
        return "'IP'", "AN", "NULL"
    if spec.link == "either":
        return ("CASE WHEN coalesce(AN, '') <> '' THEN 'IP' ELSE 'OP' END",
                "CASE WHEN coalesce(AN, '') <> '' THEN AN ELSE SEQ END", "NULL")
    return "NULL", "NULL", "HN"


def prepare(parsed: ParsedSubmission) -> None:
    """Typed views t_<file>, the problems table, and the claims found (OPD visits and IPD admissions)."""
    con = parsed.connection
    for name, spec in formats.FILES.items():
        raw = f"raw_{name.lower()}"
        columns = parsed.files[name].columns if name in parsed.files else list(spec.known)
        columns += [c for c in spec.known if c not in columns]
        blank = " || ".join(f"coalesce(trim({_q(c)}), '')" for c in columns)
        # A blank line (exporters leave them) is no row at all.
        con.execute(f"CREATE VIEW {raw_view(name)} AS SELECT * FROM {raw} WHERE ({blank}) <> ''")
        typed = ", ".join(f"{_typed_expr(spec.type_of(c), c)} AS {_q(c)}" for c in columns)
        raws = "".join(f", {_q(c)} AS {_q('_raw_' + c)}" for c in columns if spec.type_of(c) != formats.TEXT)
        kind, key, hn = _link(spec)
        # Typed once, into a table (DuckDB spills it to disk when large); every rule reads the table.
        con.execute(f"CREATE TABLE {_table(name)} AS SELECT *, {kind} AS _kind, {key} AS _key, {hn} AS _hn FROM "
                    f"(SELECT {typed}{raws}, _row FROM {raw_view(name)})")
        con.execute(f"CREATE VIEW l_{name.lower()} AS SELECT * FROM {_table(name)}")
        con.execute(f"CREATE VIEW {typed_view(name)} AS SELECT * EXCLUDE (_kind, _key, _hn"
                    + "".join(f", {_q('_raw_' + c)}" for c in columns if spec.type_of(c) != formats.TEXT)
                    + f") FROM {_table(name)}")
    con.execute("""CREATE TABLE problems (file VARCHAR, "row" BIGINT, field VARCHAR, code VARCHAR, value VARCHAR,
                   expected VARCHAR, detail VARCHAR, detail_th VARCHAR, kind VARCHAR, "key" VARCHAR, hn VARCHAR)""")
    con.execute("""
        CREATE TABLE claims AS
        SELECT * FROM (
            SELECT 'OP' AS kind, SEQ AS "key", HN AS hn, DATEOPD AS service_date, CAST(NULL AS DATE) AS discharge_date,
                   _row, row_number() OVER (PARTITION BY SEQ ORDER BY _row) AS copy
            FROM t_opd WHERE coalesce(SEQ, '') <> ''
            UNION ALL
            SELECT 'IP', AN, HN, DATEADM, DATEDSC, _row, row_number() OVER (PARTITION BY AN ORDER BY _row)
            FROM t_ipd WHERE coalesce(AN, '') <> ''
        ) WHERE copy = 1""")
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

    @property
    def con(self) -> Any:
        return self.parsed.connection

    def param(self, key: str, on: date | None = None) -> Any:
        on = on or self.period or self.received_on
        cached = self._params.get((key, on))
        if cached is None:
            cached = self._params[(key, on)] = params.get(key, on=on)
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

        for column, kind in spec.types.items():
            if column not in present:
                continue
            error = _SPECIAL_CODES.get((name, column), _BAD_BY_KIND[kind])
            raw_value = f"trim(l.{_q('_raw_' + column)})"
            bad = f"coalesce({raw_value}, '') <> '' AND l.{_q(column)} IS NULL"
            if kind == formats.DATE:
                be = f"regexp_full_match({raw_value}, '2[4-9][0-9]{{2}}[0-9]{{4}}')"
                code = f"CASE WHEN {bad} THEN CASE WHEN {be} THEN '{ClaimError.BE_YEAR.code}' ELSE '{error.code}' END"
            else:
                code = f"CASE WHEN {bad} THEN '{error.code}'"
            must = _MUST_HAVE.get((name, column))
            if must is not None:
                code += f" WHEN coalesce({raw_value}, '') = '' THEN '{must.code}'"
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
        if not checks:
            continue
        ctx.con.execute(f"""
            INSERT INTO problems
            SELECT '{name}', _row, p.f, p.c, p.v, NULL, NULL, NULL, _kind, _key, _hn FROM (
                SELECT l._row, l._kind, l._key, l._hn,
                       unnest(list_filter([{", ".join(checks)}], lambda x: x.c IS NOT NULL)) AS p
                FROM l_{name.lower()} l)""")


def _cid_checks(ctx: CheckContext, file: str, column: str) -> None:
    c = f"trim({_q(column)})"
    weighted = " + ".join(f"CAST(substr({c}, {i + 1}, 1) AS INTEGER) * {w}" for i, w in enumerate(TEXT_CID_WEIGHTS))
    ctx.emit(file, ClaimError.NO_CID, f"NOT {_present(column)}", field=column)
    detail = (f"CASE WHEN NOT regexp_full_match({c}, '[0-9]+') THEN 'it has characters other than digits' "
              f"WHEN length({c}) <> 13 THEN 'it has ' || length({c}) || ' digits, not 13' "
              f"ELSE 'the check digit does not match' END")
    detail_th = (f"CASE WHEN NOT regexp_full_match({c}, '[0-9]+') THEN 'มีอักขระที่ไม่ใช่ตัวเลข' "
                 f"WHEN length({c}) <> 13 THEN 'มี ' || length({c}) || ' หลัก ไม่ใช่ 13 หลัก' "
                 f"ELSE 'เลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง' END")
    bad = (f"{_present(column)} AND (NOT regexp_full_match({c}, '[0-9]{{13}}') OR "
           f"(11 - ({weighted}) % 11) % 10 <> CAST(substr({c}, 13, 1) AS INTEGER))")
    ctx.emit(file, ClaimError.BAD_CID, bad, field=column, value=c, detail=detail, detail_th=detail_th)


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
    """Discharge not before admission, nothing after the day of receipt, no service before birth."""
    on = ctx.received_on.isoformat()
    ctx.emit("IPD", ClaimError.DISCHARGE_BEFORE_ADMISSION,
             "DATEDSC IS NOT NULL AND DATEADM IS NOT NULL AND (DATEDSC < DATEADM OR (DATEDSC = DATEADM AND "
             "TIMEDSC IS NOT NULL AND TIMEADM IS NOT NULL AND TIMEDSC < TIMEADM))", field="DATEDSC",
             value="strftime(DATEDSC, '%Y%m%d') || ' ' || coalesce(TIMEDSC, '')",
             expected="strftime(DATEADM, '%Y%m%d') || ' ' || coalesce(TIMEADM, '')")
    for file, column in (("OPD", "DATEOPD"), ("IPD", "DATEADM"), ("IPD", "DATEDSC")):
        ctx.emit(file, ClaimError.FUTURE_DATE, f"{column} > DATE '{on}'", field=column,
                 value=f"strftime({column}, '%Y%m%d')")
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
        for kind, parent, key in (("OP", "OPD", "SEQ"), ("IP", "IPD", "AN")):
            ctx.emit(name, ClaimError.ORPHAN_ROW,
                     f"_kind = '{kind}' AND coalesce(_key, '') <> '' AND _key NOT IN "
                     f"(SELECT \"key\" FROM claims WHERE kind = '{kind}')",
                     field=key, value="_key", detail=f"'{key}'", detail_th=f"'{parent}'")


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
    for file, key in (("IPD", "AN"), ("OPD", "SEQ")):
        dup = (f"(SELECT *, row_number() OVER (PARTITION BY {key} ORDER BY _row) AS copy FROM l_{file.lower()} "
               f"WHERE {_present(key)})")
        ctx.emit(file, ClaimError.DUPLICATE_AN, "copy > 1", field=key, value=key, source=dup)
    same_day = ("(SELECT c._row, 'OP' AS _kind, c.\"key\" AS _key, NULL AS _hn, c.\"key\", "
                "row_number() OVER (PARTITION BY coalesce(c.cid, c.hn), c.service_date ORDER BY c._row) AS nth, "
                "first_value(c.\"key\") OVER (PARTITION BY coalesce(c.cid, c.hn), c.service_date ORDER BY c._row) "
                "AS first_key FROM claim_people c WHERE c.kind = 'OP' AND c.service_date IS NOT NULL)")
    ctx.emit("OPD", ClaimError.DUPLICATE_VISIT, "nth > 1", field="DATEOPD", value="first_key", source=same_day)


@rule
def diagnoses(ctx: CheckContext) -> None:
    """Exactly one principal diagnosis per claim, DXTYPE 1–5, ICD-10 and ICD-9-CM codes well formed."""
    for file, kind, key in (("ODX", "OP", "SEQ"), ("IDX", "IP", "AN")):
        parent = "OPD" if kind == "OP" else "IPD"
        counts = (f"(SELECT c._row, c.kind AS _kind, c.\"key\" AS _key, NULL AS _hn, "
                  f"(SELECT count(*) FROM l_{file.lower()} d WHERE d._key = c.\"key\" AND d.DXTYPE = 1) AS n "
                  f"FROM claims c WHERE c.kind = '{kind}')")
        ctx.emit(parent, ClaimError.NO_PDX, "n = 0", field=key, source=counts)
        ctx.emit(parent, ClaimError.MANY_PDX, "n > 1", field=key, value="n", source=counts)
        ctx.emit(file, ClaimError.BAD_DXTYPE, "DXTYPE IS NOT NULL AND DXTYPE NOT BETWEEN 1 AND 5", field="DXTYPE",
                 value="DXTYPE")
        ctx.emit(file, ClaimError.BAD_DIAGNOSIS_FORMAT,
                 f"{_present('DIAG')} AND NOT regexp_full_match(upper(DIAG), '[A-Z][0-9][0-9A-Z]{{1,5}}')",
                 field="DIAG", value="DIAG")
    for file in ("OOP", "IOP"):
        ctx.emit(file, ClaimError.BAD_PROCEDURE_FORMAT,
                 f"{_present('OPER')} AND NOT regexp_full_match(OPER, '[0-9]{{3,7}}')", field="OPER", value="OPER")


@rule
def code_tables(ctx: CheckContext) -> None:
    """Diagnosis and procedure codes exist in the installed code tables, with their age and sex edits.

    The tables are asked once per distinct (code, sex, age, month) — age in days only under a year, where the
    newborn edits need it — and the answers are joined back to the rows in SQL, so memory stays flat."""
    from openuhc.drg.tables import active_tables

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


_REASONS = {"unknown_id": ("not in the registry", "ไม่พบในทะเบียน"),
            "no_coverage": ("no coverage on that date", "ไม่มีสิทธิในวันนั้น")}


@rule
def eligibility(ctx: CheckContext) -> None:
    """The person is covered by one of the fund's schemes on the service date, and alive (registry check).

    One `check_eligibility` per distinct (citizen ID, service date); IDs unknown to the registry are answered
    in bulk first. Visits are read in chunks and the answers written to the DuckDB table `eligible`, so
    memory does not grow with the submission."""
    from openuhc.registry.eligibility import check_eligibility
    from openuhc.registry.models import Person

    ctx.con.execute("""CREATE TABLE IF NOT EXISTS eligible (kind VARCHAR, "key" VARCHAR, person_id BIGINT,
                       scheme VARCHAR, units VARCHAR[], main_unit_id BIGINT)""")
    # A cursor of its own: the loop below writes to the same database while this result is being read.
    cursor = ctx.con.cursor().execute("""
        SELECT cid, service_date, list(kind), list("key"), list(_row) FROM claim_people
        WHERE service_date IS NOT NULL AND regexp_full_match(cid, '[0-9]{13}')
        GROUP BY cid, service_date ORDER BY cid, service_date""")
    while batch := cursor.fetchmany(5000):
        cids = sorted({row[0] for row in batch})
        known = set(Person.objects.filter(citizen_id__in=cids).values_list("citizen_id", flat=True))
        found: list[Any] = []
        rows: list[tuple[Any, ...]] = []
        for cid, day, kinds, keys, lines in batch:
            claims = list(zip(kinds, keys, lines, strict=True))
            if cid not in known:
                for kind, key, row in claims:
                    found.append(("OPD" if kind == "OP" else "IPD", row, "PERSON_ID", ClaimError.NO_RIGHT,
                                  {"value": day.isoformat(), "detail": "not in the registry",
                                   "detail_th": "ไม่พบในทะเบียน"}, kind, key, ""))
                continue
            result = check_eligibility(cid, day)
            reg = result.registration
            problem = _eligibility_problem(ctx, result, day)
            for kind, key, row in claims:
                if result.person is not None:
                    units = sorted({reg.main_unit.code, reg.primary_unit.code, reg.referral_unit.code}) if reg else []
                    rows.append((kind, key, result.person.pk, result.coverage.scheme.code if result.coverage else "",
                                 units, reg.main_unit_id if reg else None))
                if problem is not None:
                    error, params_, field_name = problem
                    file, date_field = ("OPD", "DATEOPD") if kind == "OP" else ("IPD", "DATEADM")
                    found.append((file, row, field_name or date_field, error, params_, kind, key, ""))
        ctx.add(found)
        if rows:
            names = ["kind", "key", "person_id", "scheme", "units", "main_unit_id"]
            table = pa.table({n: pa.array([r[i] for r in rows]) for i, n in enumerate(names)})
            ctx.con.register("_eligible", table)
            ctx.con.execute("INSERT INTO eligible SELECT * FROM _eligible")
            ctx.con.unregister("_eligible")


def _eligibility_problem(ctx: CheckContext, result: Any, day: date) -> tuple[ClaimError, dict[str, Any], str] | None:
    if not result.eligible:
        if result.reason_code == "dead":
            return ClaimError.DEAD, {"value": day.isoformat(), "expected": result.person.death_date.isoformat()}, ""
        en, th = _REASONS.get(result.reason_code or "", (result.error.message_en, result.error.message_th))
        return ClaimError.NO_RIGHT, {"value": day.isoformat(), "detail": en, "detail_th": th}, "PERSON_ID"
    if result.coverage.scheme.code not in ctx.param("claims.fund_schemes", day):
        return ClaimError.OTHER_SCHEME, {"value": day.isoformat(), "expected": result.coverage.scheme.code}, "PERSON_ID"
    return None


@rule
def op_referral(ctx: CheckContext) -> None:
    """OP care outside the person's registered units (and their CUP) needs a referral in ORF, unless AER says
    accident or emergency. Switched per date by claims.op_referral_required ("30 baht, treatment anywhere")."""
    from openuhc.providers.models import HealthUnit

    exists = ctx.con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'eligible'")
    if not ctx.unit_code or not exists.fetchall()[0][0]:
        return
    codes = ctx.param("claims.emergency_ucae_codes")
    cursor = ctx.con.cursor().execute("""
        SELECT c."key", c._row, c.service_date, e.units, e.main_unit_id FROM claims c
        JOIN eligible e ON e.kind = 'OP' AND e."key" = c."key"
        WHERE c.kind = 'OP' AND len(e.units) > 0 AND NOT list_contains(e.units, ?)
          AND c."key" NOT IN (SELECT SEQ FROM t_orf WHERE coalesce(SEQ, '') <> '')
          AND c."key" NOT IN (SELECT _key FROM l_aer WHERE _kind = 'OP'
                              AND (UCAE IN (SELECT unnest(?)) OR coalesce(AETYPE, '') <> ''))""",
                             [ctx.unit_code, list(codes) or [""]])
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
