# ruff: noqa: S608 - SQL is built from constant column names, file names and integers; values from the files stay
# inside DuckDB and the database's own queries bind their values.
"""Storing a checked submission: every claim whole (its rows in every file), accepted or rejected, with its
problems and its first events; earlier claims with the same unit + SEQ/AN are replaced. Called inside one
transaction by services.process_submission.

Set-based, at bulk speed: the claims and their rows are shaped by SQL in the submission's DuckDB database and
written with `core.bulk`. On PostgreSQL the claims' ids are taken from their sequence first and every table goes
in one stream of binary COPY; on SQLite (executemany) the ids the database gave the claims are read back into
DuckDB by (kind, key) — unique within a submission. Either way every child row and event joins to its claim's
id there. Python holds only the submission's problems, never a row per claim."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection

from openuhc.claims import models as m
from openuhc.claims.checking import Checked, blocking_codes
from openuhc.claims.errors import ClaimError
from openuhc.claims.problems import Problem, render_sql
from openuhc.claims.rules import service_period
from openuhc.core import bulk
from openuhc.core.errors import present

BATCH = 20000
S = m.Claim.Status
_PROBLEM_COLUMNS = ["submission_id", "claim_id", "file", "line", "field", "code", "klass", "message_th", "message_en"]
_CLAIM_COLUMNS = ["submission_id", "received_at", "unit_id", "kind", "key", "hn", "citizen_id", "person_id", "inscl",
                  "sex", "birth_date", "age_years", "age_days", "service_date", "service_time", "discharge_date",
                  "discharge_time", "discharge_status", "discharge_type", "admit_weight", "leave_days", "clinic",
                  "ward", "drg", "total_charge", "paid_by_patient", "extra", "line", "status", "is_current"]
_EVENT_COLUMNS = ["claim_id", "status", "actor_id", "at", "detail"]


def _problem_values(submission: m.Submission, problem: Problem, claim_id: int | None) -> tuple[Any, ...]:
    return (submission.pk, claim_id, problem.file[:10], problem.line, problem.field[:30], problem.code,
            problem.klass, problem.message_th, problem.message_en)


def store(submission: m.Submission, checked: Checked, *, actor: Any) -> None:
    parsed = checked.parsed
    summary_fields: dict[str, Any] = {"encodings": parsed.encodings, "rows": parsed.row_count}
    if not checked.usable or checked.ctx is None:
        count = bulk.insert_rows(m.Problem, _PROBLEM_COLUMNS,
                                 (_problem_values(submission, p, None) for p in checked.problems()))
        _finish(submission, status=m.Submission.Status.UNUSABLE, problem_count=count, **summary_fields)
        return
    ctx = checked.ctx
    con = ctx.con
    actor_id = _actor_id(actor)
    at = _timestamp(submission.received_at)
    _shape_claims(con, parsed)
    _check_keys_once(con)
    replaced = _replace_earlier(con, submission, actor_id, at)

    postgres = connection.vendor == "postgresql"
    if postgres:
        _take_ids(con)
    claims_sql = f"""
        SELECT {"id, " if postgres else ""}{submission.pk}, '{at}', {submission.unit_id}, kind,
               left("key", {m.KEY_SIZE}), left(coalesce(hn, ''), 30), left(coalesce(cid, ''), 20), person_id,
               left(coalesce(inscl, ''), 10), sex, dob, age_years, age_days,
               service_date, left(coalesce(service_time, ''), 4), discharge_date,
               left(coalesce(discharge_time, ''), 4), discharge_status, discharge_type, admit_weight, leave_days,
               left(coalesce(clinic, ''), 10), left(coalesce(ward, ''), 20), left(coalesce(drg, ''), 10),
               total_charge, paid_by_patient, extra, line, status, is_current
        FROM {"(SELECT i.id, c.* FROM store_claims c JOIN store_ids i USING (kind, _row))" if postgres
              else "store_claims"}
        ORDER BY {"status, " if postgres else ""}kind DESC, _row"""
    if postgres:
        # The ids first, from the claims' sequence: every row of the submission is then shaped before any is
        # written, and all go in one stream (DuckDB makes the next table's rows while the server copies these).
        # The rows go accepted first, then rejected (each in id order): claims_submission_page has the status
        # second, so written in file order one early rejected claim put every later accepted one in front of it
        # (a descent from the root each, splits leaving half-empty pages); now they go at its right edge — 7 % less
        # of the server's CPU for the claims table. The ids, and so every order a page or an event shows, stay
        # file order.
        writes = [(m.Claim, ["id", *_CLAIM_COLUMNS], claims_sql)]
    else:
        # The claims, in one write; then the ids the database gave them, by (kind, key).
        bulk.insert_query(m.Claim, _CLAIM_COLUMNS, con, claims_sql)
        bulk.query_to_duckdb(con, "store_stored", 'SELECT id, kind, "key" FROM claims_claim WHERE submission_id = %s',
                             [submission.pk], {"id": "BIGINT", "kind": "VARCHAR", "key": "VARCHAR"})
        con.execute(f"""
            CREATE OR REPLACE TABLE store_ids AS
            SELECT s.id, c.kind, c."key", c.hn, c.status FROM store_claims c
            JOIN store_stored s ON s.kind = c.kind AND s."key" = left(c."key", {m.KEY_SIZE})""")
        writes = []
    # Dated when the submission was received (the check runs right after; a replayed month keeps its dates).
    # "received" first, then the outcome: the history reads in id order.
    received = json.dumps({"submission": submission.pk})
    writes.append((m.ClaimEvent, _EVENT_COLUMNS, f"""
        SELECT id, status, {_sql_int(actor_id)}, '{at}', detail FROM (
            SELECT id, 0 AS n, '{S.RECEIVED}' AS status, '{received}' AS detail FROM store_ids
            UNION ALL SELECT id, 1, status, '{{}}' FROM store_ids) ORDER BY id, n"""))
    bulk.insert_queries(con, [*writes, *_line_writes(parsed)])
    count = _store_problems(con, submission, checked)
    accepted, total, op_count, ip_count = con.execute(f"""
        SELECT count(*) FILTER (WHERE status = '{S.ACCEPTED}'), count(*), count(*) FILTER (WHERE kind = 'OP'),
               count(*) FILTER (WHERE kind = 'IP') FROM store_claims""").fetchall()[0]
    period = service_period(parsed)
    _finish(
        submission, status=m.Submission.Status.PROCESSED,
        service_month=period.date() if hasattr(period, "date") else period,
        op_count=op_count, ip_count=ip_count, accepted_count=accepted, rejected_count=total - accepted,
        replaced_count=replaced, problem_count=count, tables_missing=ctx.tables_missing, **summary_fields)


def _take_ids(con: Any) -> None:
    """PostgreSQL: the claims' ids taken from their sequence in one query (unique under concurrent writers), in
    increasing order in the order the claims are written, as the table `store_ids` (id, kind, key, hn, status,
    _row), which the claims' rows join when they are written: the wide `store_claims` rewritten with its ids cost
    DuckDB 1.4 s of CPU per million claims on one thread, the narrow table 0.5 s and the join 0.3 s."""
    (count,) = con.execute("SELECT count(*) FROM store_claims").fetchall()[0]
    with connection.cursor() as cursor:
        # The sequence's name looked up once: pg_get_serial_sequence in the query's row costs 2 µs a row.
        cursor.execute("SELECT pg_get_serial_sequence('claims_claim', 'id')")
        (sequence,) = cursor.fetchone()
        # Usually no other writer takes a value meanwhile and the values are one run: its ends are enough.
        cursor.execute("SELECT min(v), max(v) FROM (SELECT nextval(%s::regclass) AS v FROM generate_series(1, %s)) s",
                       [sequence, count])
        first, last = cursor.fetchone()
    if last - first + 1 == count:
        con.execute("CREATE OR REPLACE TABLE store_new_ids AS SELECT CAST(1 AS BIGINT) AS n, CAST(? AS BIGINT) "
                    "AS first", [first])
    else:
        # Another writer took values in between: these are left unused (a sequence has gaps anyway, after every
        # rollback) and the ids are taken again, each one read back, numbered by runs.
        bulk.query_to_duckdb(con, "store_new_ids", "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                             [sequence, count], {"id": "BIGINT"})
        _runs(con)
    _number_claims(con)


def _runs(con: Any) -> None:
    """`store_new_ids` (id), values taken from the sequence, becomes its runs of consecutive values: (n, first), n
    the number of the run's first value among all of them."""
    con.execute("""
        CREATE OR REPLACE TABLE store_new_ids AS
        SELECT min(n) AS n, min(id) AS first FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
                                                   FROM store_new_ids) GROUP BY id - n""")


def _number_claims(con: Any) -> None:
    """Each claim of `store_claims`, numbered in the order they are written, takes its id from the runs in
    `store_new_ids`: the claim numbered n, the value n - n0 past the first of the run that starts at n0. The ids
    go to the table `store_ids`."""
    con.execute("""
        CREATE OR REPLACE TABLE store_ids AS
        SELECT i.first + c.n - i.n AS id, c.kind, c."key", c.hn, c.status, c._row
        FROM (SELECT kind, "key", hn, status, _row, row_number() OVER (ORDER BY kind DESC, _row) AS n
              FROM store_claims) c
        ASOF JOIN store_new_ids i ON c.n >= i.n""")


def _shape_claims(con: Any, parsed: Any) -> None:
    """The DuckDB table `store_claims`: one row per claim with every column it is stored with (status not yet
    known for claims that replace a locked one: _replace_earlier settles those)."""
    ipd_extra = [c for c in parsed.files["IPD"].columns if c not in _known("IPD")] if "IPD" in parsed.files else []
    opd_extra = [c for c in parsed.files["OPD"].columns if c not in _known("OPD")] if "OPD" in parsed.files else []
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'eligible'").fetchall()[0][0]:
        con.execute("""CREATE TABLE eligible (kind VARCHAR, "key" VARCHAR, person_id BIGINT, scheme VARCHAR,
                       units VARCHAR[], main_unit_id BIGINT)""")
    con.execute(f"""
        CREATE OR REPLACE TABLE store_claims AS
        WITH blocking AS (SELECT * FROM problems WHERE code IN (SELECT unnest(?))),
        -- A claim's own problem, or one of its patient's (two equi-joins: an OR in one join condition would
        -- compare every claim with every problem).
        rejected AS (
            SELECT c.kind, c."key" FROM claims c JOIN blocking p ON p.kind = c.kind AND p."key" = c."key"
            UNION
            SELECT c.kind, c."key" FROM claims c JOIN blocking p ON p.hn IS NOT NULL AND p.hn = c.hn),
        money AS (SELECT _kind, _key, sum(TOTAL) AS total, sum(PAID) AS paid FROM l_cht GROUP BY ALL),
        leave AS (SELECT AN, sum(QTYDAY) AS days FROM t_lvd GROUP BY AN),
        persons AS (SELECT kind, "key", any_value(person_id) AS person_id FROM eligible GROUP BY ALL),
        visits AS (
            SELECT c."key", c.hn, c.cid, c.sex, c.dob, c.age_years, c.age_days, c.service_date, c._row,
                   'OP' AS kind, o.TIMEOPD AS service_time, CAST(NULL AS DATE) AS discharge_date,
                   CAST(NULL AS VARCHAR) AS discharge_time, CAST(NULL AS INTEGER) AS discharge_status,
                   CAST(NULL AS INTEGER) AS discharge_type, CAST(NULL AS INTEGER) AS admit_weight, 0 AS leave_days,
                   o.CLINIC AS clinic, CAST(NULL AS VARCHAR) AS ward, CAST(NULL AS VARCHAR) AS drg,
                   {_extra_json("o", opd_extra)} AS extra, {_line_sql(parsed, "OPD", "o._row")} AS line
            FROM claim_people c JOIN w_opd o ON o._row = c._row WHERE c.kind = 'OP'),
        admissions AS (
            SELECT c."key", c.hn, c.cid, c.sex, c.dob, c.age_years, c.age_days, c.service_date, c._row,
                   'IP' AS kind, o.TIMEADM, o.DATEDSC, o.TIMEDSC,
                   CASE WHEN o.DISCHS BETWEEN 0 AND 99 THEN o.DISCHS END,
                   CASE WHEN o.DISCHT BETWEEN 0 AND 99 THEN o.DISCHT END,
                   CASE WHEN o.ADM_W > 0 AND o.ADM_W < 1000 THEN CAST(trunc(o.ADM_W * 1000) AS INTEGER) END,
                   greatest(CAST(coalesce(l.days, 0) AS INTEGER), 0), NULL, o.WARDDSC, o.DRG,
                   {_extra_json("o", ipd_extra)}, {_line_sql(parsed, "IPD", "o._row")}
            FROM claim_people c JOIN w_ipd o ON o._row = c._row LEFT JOIN leave l ON l.AN = c."key"
            WHERE c.kind = 'IP')
        SELECT a.*, cov.inscl, p.person_id, money.total AS total_charge, money.paid AS paid_by_patient,
               CASE WHEN r.kind IS NULL THEN '{S.ACCEPTED}' ELSE '{S.REJECTED}' END AS status, true AS is_current
        FROM (SELECT * FROM visits UNION ALL SELECT * FROM admissions) a
        LEFT JOIN coverage cov ON cov.hn = a.hn
        LEFT JOIN persons p ON p.kind = a.kind AND p."key" = a."key"
        LEFT JOIN money ON money._kind = a.kind AND money._key = a."key"
        LEFT JOIN rejected r ON r.kind = a.kind AND r."key" = a."key" """, [blocking_codes()])
    con.execute("UPDATE store_claims SET sex = NULL WHERE sex NOT IN (1, 2)")


class KeyStoredTwice(RuntimeError):
    """Two claims of one submission would be stored under the same kind and key (a bug, not the unit's mistake)."""


def _check_keys_once(con: Any) -> None:
    """Each (kind, key) once per submission, as stored (the key cut to its column's KEY_SIZE characters): the ids are
    read back and every child row, event and problem joins to its claim by (kind, key). The reader keeps the first
    row of each SEQ/AN (rules.claim_people), so only two keys equal in their first KEY_SIZE characters could collide
    (rules.key_problems refuses such a file first). Checked here, in DuckDB, instead of by a unique index that every
    stored claim would write (0012)."""
    twice = con.execute(f"""
        SELECT kind, left("key", {m.KEY_SIZE}) AS stored FROM store_claims GROUP BY ALL HAVING count(*) > 1
        ORDER BY kind, stored LIMIT 5""").fetchall()
    if twice:
        raise KeyStoredTwice(f"claims stored twice under one kind and key: {twice}")


def _replace_earlier(con: Any, submission: m.Submission, actor_id: int | None, at: str) -> int:
    """Earlier current claims with the same keys are replaced, unless already priced or paid: then the new claim is
    stored rejected and not current (with its problem, see _store_problems). Returns how many were replaced."""
    con.execute("CREATE OR REPLACE TABLE store_earlier (id BIGINT, kind VARCHAR, \"key\" VARCHAR, status VARCHAR)")
    for kind in ("OP", "IP"):
        if not m.Claim.objects.filter(unit_id=submission.unit_id, kind=kind, is_current=True).exists():
            continue  # the unit's first claims of this kind: nothing to look up
        cursor = con.cursor().execute(f'SELECT DISTINCT left("key", {m.KEY_SIZE}) FROM store_claims WHERE kind = ?',
                                      [kind])
        while batch := cursor.fetchmany(BATCH):
            where, params = bulk.any_of('"key"', [k for (k,) in batch])
            bulk.query_to_duckdb(
                con, "store_found", f'SELECT id, kind, "key", status FROM claims_claim WHERE unit_id = %s '
                f"AND kind = %s AND is_current AND {where}", [submission.unit_id, kind, *params],
                {"id": "BIGINT", "kind": "VARCHAR", "key": "VARCHAR", "status": "VARCHAR"})
            con.execute("INSERT INTO store_earlier SELECT * FROM store_found")
    replaceable = [str(s) for s in _replaceable()]
    con.execute(f"""
        UPDATE store_claims c SET is_current = false, status = ? FROM store_earlier e
        WHERE e.kind = c.kind AND e."key" = left(c."key", {m.KEY_SIZE}) AND e.status NOT IN (SELECT unnest(?))""",
                [str(S.REJECTED), replaceable])
    ids = [i for (i,) in con.execute("SELECT id FROM store_earlier WHERE status IN (SELECT unnest(?)) ORDER BY id",
                                     [replaceable]).fetchall()]
    for start in range(0, len(ids), BATCH):
        # Compare-and-set: only claims still current are replaced (two submissions at once cannot both win).
        m.Claim.objects.filter(pk__in=ids[start:start + BATCH], is_current=True).update(
            is_current=False, status=S.REPLACED)
    detail = json.dumps({"submission": submission.pk})
    bulk.insert_query(m.ClaimEvent, _EVENT_COLUMNS, con, f"""
        SELECT id, '{S.REPLACED}', {_sql_int(actor_id)}, '{at}', '{detail}' FROM store_earlier
        WHERE status IN (SELECT unnest(?)) ORDER BY id""", [replaceable])
    return len(ids)


def _store_problems(con: Any, submission: m.Submission, checked: Checked) -> int:
    """Every problem, attached to its claim (or to every claim of its patient). Returns how many problems.

    The rules' problems (table `problems`, nearly all of them) go set-based: their messages are built in SQL, one
    expression per problem code (`render_sql`), and written with their claims' ids in one insert. The few found in
    Python (the reader's, the file-level ones, the locked claims') are written as before, around them, in the
    order `Checked.problems` gives."""
    # The rule locked_claims names these while checking; a claim priced or paid after the check (or with the rule
    # switched off for the year) still gets its problem here.
    locked = [Problem(ClaimError.AN_ALREADY_PAID, file="OPD" if kind == "OP" else "IPD", line=line,
                      field="SEQ" if kind == "OP" else "AN", params={"value": key}, kind=kind, key=key)
              for kind, key, line in con.execute(f"""
                  SELECT kind, "key", line FROM store_claims c WHERE NOT is_current AND NOT EXISTS (
                      SELECT 1 FROM problems p WHERE p.code = '{ClaimError.AN_ALREADY_PAID.code}'
                      AND p.kind = c.kind AND p."key" = c."key")
                  ORDER BY kind DESC, _row""").fetchall()]
    first = [*checked.file_problems, *checked.parsed.problems]
    by_key: dict[tuple[str, str], int] = {}
    by_hn: dict[str, list[int]] = {}
    others = [p for p in [*first, *locked] if p.kind and p.key]
    if others:
        wanted = list({(p.kind, p.key) for p in others})
        con.execute("CREATE OR REPLACE TEMP TABLE store_wanted (kind VARCHAR, \"key\" VARCHAR)")
        con.executemany("INSERT INTO store_wanted VALUES (?, ?)", wanted)
        by_key.update({(k, key): i for k, key, i in con.execute("""
            SELECT i.kind, i."key", i.id FROM store_ids i JOIN store_wanted w USING (kind, "key")""").fetchall()})
    if any(p.hn for p in first + locked):
        # A patient's problem goes to every claim of the patient (only patients the rules named are looked up).
        for hn, claim_id in con.execute("""
                SELECT i.hn, i.id FROM store_ids i WHERE i.hn IN (SELECT hn FROM problems WHERE hn IS NOT NULL)
                ORDER BY i.id""").fetchall():
            by_hn.setdefault(hn, []).append(claim_id)

    def rows(problems: list[Problem]) -> Any:
        for problem in problems:
            if problem.kind and problem.key and (problem.kind, problem.key) in by_key:
                yield _problem_values(submission, problem, by_key[(problem.kind, problem.key)])
            elif problem.hn and problem.hn in by_hn:
                for target in by_hn[problem.hn]:
                    yield _problem_values(submission, problem, target)
            else:
                yield _problem_values(submission, problem, None)

    bulk.insert_rows(m.Problem, _PROBLEM_COLUMNS, rows(first))
    found = con.execute("SELECT count(*) FROM problems").fetchall()[0][0]
    if found:
        _store_rule_problems(con, submission, checked)
    bulk.insert_rows(m.Problem, _PROBLEM_COLUMNS, rows(locked))
    return len(first) + found + len(locked)


def _store_rule_problems(con: Any, submission: m.Submission, checked: Checked) -> None:
    """The table `problems` into the database: what `rules.iter_problems` + `_problem_values` give, row for row,
    with the messages built in SQL. Dates shown in messages (`present`) are rendered in Python once per distinct
    value; everything else is SQL over the whole table."""
    parsed = checked.parsed
    # Which texts `present` shows otherwise (ISO dates): a superset is picked in SQL, Python decides.
    candidates = [v for (v,) in con.execute("""
        SELECT DISTINCT v FROM (SELECT unnest([value, expected, detail, detail_th]) AS v FROM problems)
        WHERE length(v) BETWEEN 10 AND 11 AND substr(v, 5, 1) = '-' AND substr(v, 8, 1) = '-'""").fetchall()]
    shown = [(v, str(present(v, "th")), str(present(v, "en"))) for v in candidates]
    con.execute("CREATE OR REPLACE TABLE store_shown (v VARCHAR, th VARCHAR, en VARCHAR)")
    if shown:
        con.executemany("INSERT INTO store_shown VALUES (?, ?, ?)", [s for s in shown if s[1] != s[0] or s[2] != s[0]])
    unit = {lang: "'" + str(present(checked.ctx.unit_code if checked.ctx else "", lang)).replace("'", "''") + "'"
            for lang in ("th", "en")}
    codes = [c for (c,) in con.execute("SELECT DISTINCT code FROM problems ORDER BY code").fetchall()]

    def message(lang: str) -> str:
        value, expected, detail, detail_th = (f"coalesce({a}.{lang}, p.{c})" for a, c in (
            ("sv", "value"), ("se", "expected"), ("sd", "detail"), ("st", "detail_th")))
        common = {"file": "p.file", "field": "p.field", "value": value, "expected": expected, "unit": unit[lang]}
        cases = []
        for code in codes:
            error = ClaimError(code)
            if error == ClaimError.ORPHAN_ROW:
                values = {**common, "key": detail, "parent": detail_th}
            else:
                values = {**common, "detail": detail,
                          "detail_th": f"CASE WHEN p.detail IS NOT NULL THEN coalesce({detail_th}, {detail}) END"}
            cases.append(f"WHEN '{code}' THEN {render_sql(error, lang, values)}")
        return f"CASE p.code {' '.join(cases)} END"

    klass = " ".join(f"WHEN '{c}' THEN '{ClaimError(c).klass}'" for c in codes)
    row = 'p."row"'
    line = " ".join(f"WHEN '{f}' THEN {_line_sql(parsed, f, row)}" for f in sorted(parsed.files))
    bulk.insert_query(m.Problem, _PROBLEM_COLUMNS, con, f"""
        SELECT {submission.pk}, coalesce(k.id, h.id), left(p.file, 10),
               CASE WHEN p."row" IS NOT NULL THEN CASE p.file {line or "WHEN NULL THEN NULL"} END END,
               left(p.field, 30), p.code, CASE p.code {klass} END, {message("th")}, {message("en")}
        FROM problems p
        LEFT JOIN (SELECT kind, "key", max(id) AS id FROM store_ids GROUP BY ALL) k
               ON k.kind = p.kind AND k."key" = p."key"
        LEFT JOIN store_ids h ON k.id IS NULL AND p.hn <> '' AND h.hn = p.hn
        LEFT JOIN store_shown sv ON sv.v = p.value LEFT JOIN store_shown se ON se.v = p.expected
        LEFT JOIN store_shown sd ON sd.v = p.detail LEFT JOIN store_shown st ON st.v = p.detail_th
        ORDER BY p.file, p."row", p.code, h.id""")


def _finish(submission: m.Submission, **fields: Any) -> None:
    """The outcome, only on a submission still "received": one found interrupted and marked failed meanwhile
    (its checker was thought dead) stays failed, and this transaction rolls back whole."""
    from openuhc.claims.errors import SubmissionError
    from openuhc.core.errors import DomainError

    if m.Submission.objects.filter(pk=submission.pk, status=m.Submission.Status.RECEIVED).update(**fields) != 1:
        raise DomainError(SubmissionError.STALE)


def _replaceable() -> set[str]:
    from openuhc.claims.services import REPLACEABLE

    return set(REPLACEABLE)


def _known(name: str) -> set[str]:
    from openuhc.claims.formats import FILES

    return set(FILES[name].known)


def _actor_id(actor: Any) -> int | None:
    return actor.pk if getattr(actor, "pk", None) else None


def _sql_int(value: int | None) -> str:
    return "NULL" if value is None else str(int(value))


def _timestamp(value: Any) -> str:
    """A timestamp as text the database reads back as the same instant."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return value.isoformat()
    return str(connection.ops.adapt_datetimefield_value(value))


def _extra_json(alias: str, columns: list[str]) -> str:
    """The columns the standard does not name, as a JSON object of those sent non-empty ('{}' when none)."""
    if not columns:
        return "'{}'"
    pairs = ", ".join(f"struct_pack(k := '{c}', v := CAST({alias}.\"{c}\" AS VARCHAR))" for c in columns)
    return (f"CAST(to_json(map_from_entries(list_filter([{pairs}], lambda x: coalesce(x.v, '') <> ''))) "
            f"AS VARCHAR)")


def _line_sql(parsed: Any, file: str, row: str) -> str:
    """ParsedFile.line_of in SQL: the physical line of the row-th good row, past the skipped bad lines.

    Walking the sorted bad lines b_0 < b_1 < …, the j-th is passed when b_j ≤ row + 2 + j, i.e. b_j − j ≤ row + 2;
    b_j − j never decreases, so the count of those is how many lines to add."""
    if file not in parsed.files:
        return "CAST(NULL AS BIGINT)"
    bad = parsed.files[file].bad_lines
    if not bad:
        return f"({row} + 2)"
    shifted = ", ".join(str(b - j) for j, b in enumerate(sorted(bad)))
    return f"({row} + 2 + len(list_filter([{shifted}], lambda x: x <= {row} + 2)))"


def _small(column: str) -> str:
    return f"CASE WHEN {column} BETWEEN 0 AND 99 THEN {column} END"


def _text(column: str, width: int) -> str:
    return f"left(coalesce(CAST({column} AS VARCHAR), ''), {width})"


def _line_writes(parsed: Any) -> list[tuple[Any, list[str], str]]:
    """Every other file's rows, attached to their claim (rows of unknown claims were reported as orphans): the
    writes for bulk.insert_queries."""
    writes: list[tuple[Any, list[str], str]] = []

    def write(model: Any, columns: list[str], file: str, values: str, where: str = "true") -> None:
        writes.append((model, ["claim_id", "line", *columns], f"""
            SELECT i.id, {_line_sql(parsed, file, "r._row")}, {values}
            FROM w_{file.lower()} r JOIN store_ids i ON i.kind = r._kind AND i."key" = r._key
            WHERE {where} ORDER BY r._row"""))

    for file in ("ODX", "IDX"):
        write(m.Diagnosis, ["code", "dxtype", "doctor"], file,
              f"left(upper(r.DIAG), 10), {_small('r.DXTYPE')}, {_text('r.DRDX', 20)}", "coalesce(r.DIAG, '') <> ''")
    write(m.Procedure, ["code", "optype", "doctor", "date_in", "date_out"], "OOP",
          f"left(r.OPER, 10), '', {_text('r.DROPID', 20)}, r.DATEOPD, NULL", "coalesce(r.OPER, '') <> ''")
    write(m.Procedure, ["code", "optype", "doctor", "date_in", "date_out"], "IOP",
          f"left(r.OPER, 10), {_text('r.OPTYPE', 5)}, {_text('r.DROPID', 20)}, r.DATEIN, r.DATEOUT",
          "coalesce(r.OPER, '') <> ''")
    write(m.Charge, ["item", "amount"], "CHA", f"{_text('r.CHRGITEM', 5)}, r.AMOUNT")
    write(m.Drug, ["code", "name", "quantity", "price", "total"], "DRU",
          f"{_text('r.DID', 30)}, {_text('r.DIDNAME', 200)}, r.AMOUNT, r.DRUGPRICE, r.TOTAL")
    write(m.LeaveDay, ["date_out", "date_in", "days"], "LVD", "r.DATEOUT, r.DATEIN, r.QTYDAY")
    for file, source in (("ORF", m.Referral.Direction.OP), ("IRF", m.Referral.Direction.IP)):
        write(m.Referral, ["source", "unit_code", "refer_type"], file,
              f"'{source}', {_text('r.REFER', 10)}, {_text('r.REFERTYPE', 5)}")
    write(m.Accident, ["authae", "aetype", "ucae", "emtype", "refer_no"], "AER",
          f"{_text('r.AUTHAE', 30)}, {_text('r.AETYPE', 5)}, {_text('r.UCAE', 5)}, {_text('r.EMTYPE', 5)}, "
          f"{_text('r.REFER_NO', 30)}")
    write(m.Item, ["type", "code", "quantity", "rate", "total"], "ADP",
          f"{_text('r.TYPE', 5)}, {_text('r.CODE', 30)}, r.QTY, r.RATE, r.TOTAL")
    return writes
