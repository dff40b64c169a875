"""Storing a checked submission: every claim whole (its rows in every file), accepted or rejected, with its
problems and its first events; earlier claims with the same unit + SEQ/AN are replaced. Called inside one
transaction by services.process_submission."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from openuhc.claims import models as m
from openuhc.claims.checking import Checked, blocking_codes
from openuhc.claims.errors import ClaimError
from openuhc.claims.problems import Problem
from openuhc.claims.rules import service_period

BATCH = 2000
S = m.Claim.Status


def _problem_row(submission: m.Submission, problem: Problem, claim_id: int | None) -> m.Problem:
    return m.Problem(submission=submission, claim_id=claim_id, file=problem.file[:10], line=problem.line,
                     field=problem.field[:30], code=problem.code, klass=problem.klass,
                     message_th=problem.message_th, message_en=problem.message_en)


def _fetch(con: Any, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def store(submission: m.Submission, checked: Checked, *, actor: Any) -> None:
    parsed = checked.parsed
    summary_fields: dict[str, Any] = {"encodings": parsed.encodings, "rows": parsed.row_count}
    if not checked.usable or checked.ctx is None:
        m.Problem.objects.bulk_create([_problem_row(submission, p, None) for p in checked.problems()],
                                      batch_size=BATCH)
        _finish(submission, status=m.Submission.Status.UNUSABLE,
                problem_count=m.Problem.objects.filter(submission=submission).count(), **summary_fields)
        return
    ctx = checked.ctx
    con = ctx.con
    unit = submission.unit
    ipd_extra = [c for c in parsed.files["IPD"].columns if c not in _known("IPD")] if "IPD" in parsed.files else []
    opd_extra = [c for c in parsed.files["OPD"].columns if c not in _known("OPD")] if "OPD" in parsed.files else []
    blocking = con.execute("""
        SELECT DISTINCT c.kind, c."key" FROM claims c JOIN problems p
        ON (p.kind = c.kind AND p."key" = c."key") OR (p.hn IS NOT NULL AND p.hn = c.hn)
        WHERE p.code IN (SELECT unnest(?))""", [blocking_codes()]).fetchall()
    rejected = set(blocking)
    money = _fetch(con, "SELECT _kind, _key, sum(TOTAL), sum(PAID) FROM l_cht GROUP BY ALL")
    totals = {(k, key): (total, paid) for k, key, total, paid in money}
    leave = {key: int(days or 0) for key, days in _fetch(con, "SELECT AN, sum(QTYDAY) FROM t_lvd GROUP BY AN")}
    coverage = dict(_fetch(con, "SELECT hn, inscl FROM coverage"))
    extra_sql = lambda cols: ", ".join(f'o."{c}"' for c in cols) or "NULL"  # noqa: E731
    op_rows = _fetch(con, f"""
        SELECT c."key", c.hn, c.cid, c.sex, c.dob, c.age_years, c.age_days, c.service_date, o.TIMEOPD, o.CLINIC,
               o._row, {extra_sql(opd_extra)}
        FROM claim_people c JOIN w_opd o ON o._row = c._row WHERE c.kind = 'OP'""")  # noqa: S608
    ip_rows = _fetch(con, f"""
        SELECT c."key", c.hn, c.cid, c.sex, c.dob, c.age_years, c.age_days, c.service_date, o.TIMEADM, o.DATEDSC,
               o.TIMEDSC, o.DISCHS, o.DISCHT, o.ADM_W, o.WARDDSC, o.DRG, o._row, {extra_sql(ipd_extra)}
        FROM claim_people c JOIN w_ipd o ON o._row = c._row WHERE c.kind = 'IP'""")  # noqa: S608

    # Earlier current claims with the same keys: replaced, unless already priced or paid.
    keys = [("OP", r[0]) for r in op_rows] + [("IP", r[0]) for r in ip_rows]
    earlier: dict[tuple[str, str], m.Claim] = {}
    for kind in ("OP", "IP"):
        kind_keys = [k for kk, k in keys if kk == kind]
        for start in range(0, len(kind_keys), BATCH):
            for claim in m.Claim.objects.filter(unit=unit, kind=kind, is_current=True,
                                                key__in=kind_keys[start:start + BATCH]):
                earlier[(kind, claim.key)] = claim
    locked = {k for k, c in earlier.items() if c.status not in _replaceable()}
    replaced_events = []
    to_replace = [c.pk for k, c in earlier.items() if k not in locked]
    for start in range(0, len(to_replace), BATCH):
        chunk = to_replace[start:start + BATCH]
        # Compare-and-set: only claims still current are replaced (two submissions at once cannot both win).
        m.Claim.objects.filter(pk__in=chunk, is_current=True).update(is_current=False, status=S.REPLACED)
    replaced_ids = set(to_replace)
    for claim in earlier.values():
        if claim.pk in replaced_ids:
            replaced_events.append(m.ClaimEvent(claim=claim, status=S.REPLACED, actor=_actor(actor),
                                                at=submission.received_at, detail={"submission": submission.pk}))

    period = service_period(parsed)
    claims: list[m.Claim] = []
    for row in op_rows:
        key, hn, cid, sex, dob, age_y, age_d, day, time_, clinic, line_row, *extra = row
        claims.append(m.Claim(
            submission=submission, received_at=submission.received_at, unit=unit, kind="OP", key=key[:30],
            hn=(hn or "")[:30], citizen_id=(cid or "")[:20],
            inscl=(coverage.get(hn) or "")[:10], sex=sex if sex in (1, 2) else None, birth_date=dob, age_years=age_y,
            age_days=age_d, service_date=day, service_time=(time_ or "")[:4], clinic=(clinic or "")[:10],
            total_charge=_money(totals.get(("OP", key), (None, None))[0]),
            paid_by_patient=_money(totals.get(("OP", key), (None, None))[1]),
            extra={c: v for c, v in zip(opd_extra, extra, strict=False) if v},
            line=parsed.files["OPD"].line_of(line_row)))
    for row in ip_rows:
        (key, hn, cid, sex, dob, age_y, age_d, day, time_, discharged, dtime, dstatus, dtype, weight, ward, drg,
         line_row, *extra) = row
        claims.append(m.Claim(
            submission=submission, received_at=submission.received_at, unit=unit, kind="IP", key=key[:30],
            hn=(hn or "")[:30], citizen_id=(cid or "")[:20],
            inscl=(coverage.get(hn) or "")[:10], sex=sex if sex in (1, 2) else None, birth_date=dob, age_years=age_y,
            age_days=age_d, service_date=day, service_time=(time_ or "")[:4], discharge_date=discharged,
            discharge_time=(dtime or "")[:4], discharge_status=_small(dstatus), discharge_type=_small(dtype),
            admit_weight=int(weight * 1000) if weight and 0 < weight < 1000 else None,
            leave_days=max(leave.get(key, 0), 0),
            ward=(ward or "")[:20], drg=(drg or "")[:10], total_charge=_money(totals.get(("IP", key), (None, None))[0]),
            paid_by_patient=_money(totals.get(("IP", key), (None, None))[1]),
            extra={c: v for c, v in zip(ipd_extra, extra, strict=False) if v},
            line=parsed.files["IPD"].line_of(line_row)))
    persons: dict[tuple[str, str], int] = {}
    if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'eligible'").fetchall()[0][0]:
        persons = {(kind, key): pid for kind, key, pid in _fetch(con, 'SELECT kind, "key", person_id FROM eligible')}
    locked_problems: list[Problem] = []
    # The rule locked_claims names these while checking; a claim priced or paid after the check (or with the rule
    # switched off for the year) still gets its problem here.
    named = {(k, key) for k, key in con.execute('SELECT kind, "key" FROM problems WHERE code = ?',
                                                [ClaimError.AN_ALREADY_PAID.code]).fetchall()}
    for claim in claims:
        claim.person_id = persons.get((claim.kind, claim.key))
        if (claim.kind, claim.key) in locked:
            claim.is_current = False
            claim.status = S.REJECTED
            if (claim.kind, claim.key) in named:
                continue
            locked_problems.append(Problem(ClaimError.AN_ALREADY_PAID, file="OPD" if claim.kind == "OP" else "IPD",
                                           line=claim.line, field="SEQ" if claim.kind == "OP" else "AN",
                                           params={"value": claim.key}, kind=claim.kind, key=claim.key))
        else:
            claim.status = S.REJECTED if (claim.kind, claim.key) in rejected else S.ACCEPTED
    m.Claim.objects.bulk_create(claims, batch_size=BATCH)
    by_key = {(c.kind, c.key): c.pk for c in claims}
    by_hn: dict[str, list[int]] = defaultdict(list)
    for c in claims:
        if c.hn:
            by_hn[c.hn].append(c.pk)
    events = []
    for claim in claims:
        # Dated when the submission was received (the check runs right after; a replayed month keeps its dates)
        events.append(m.ClaimEvent(claim_id=claim.pk, status=S.RECEIVED, actor=_actor(actor),
                                   at=submission.received_at, detail={"submission": submission.pk}))
        events.append(m.ClaimEvent(claim_id=claim.pk, status=claim.status, actor=_actor(actor),
                                   at=submission.received_at, detail={}))
    m.ClaimEvent.objects.bulk_create(replaced_events + events, batch_size=BATCH)
    _store_lines(con, parsed, by_key)

    problem_rows: list[m.Problem] = []
    count = 0
    for problem in [*checked.problems(), *locked_problems]:
        targets: list[int | None]
        if problem.kind and problem.key and (problem.kind, problem.key) in by_key:
            targets = [by_key[(problem.kind, problem.key)]]
        elif problem.hn and problem.hn in by_hn:
            targets = list(by_hn[problem.hn])
        else:
            targets = [None]
        for target in targets:
            problem_rows.append(_problem_row(submission, problem, target))
        count += 1
        if len(problem_rows) >= BATCH:
            m.Problem.objects.bulk_create(problem_rows)
            problem_rows = []
    m.Problem.objects.bulk_create(problem_rows)
    accepted = sum(1 for c in claims if c.status == S.ACCEPTED)
    _finish(
        submission, status=m.Submission.Status.PROCESSED,
        service_month=period.date() if hasattr(period, "date") else period,
        op_count=len(op_rows), ip_count=len(ip_rows), accepted_count=accepted, rejected_count=len(claims) - accepted,
        replaced_count=len(replaced_events), problem_count=count, tables_missing=ctx.tables_missing, **summary_fields)


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


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _small(value: Any) -> int | None:
    return value if isinstance(value, int) and 0 <= value < 100 else None


def _store_lines(con: Any, parsed: Any, by_key: dict[tuple[str, str], int]) -> None:
    """Every other file's rows, attached to their claim (rows of unknown claims were reported as orphans)."""
    def line(file: str, row: int) -> int | None:
        return parsed.files[file].line_of(row) if file in parsed.files else None

    def rows(file: str, columns: str) -> Any:
        cursor = con.cursor().execute(f"SELECT _kind, _key, _row, {columns} FROM w_{file.lower()}")  # noqa: S608
        while batch := cursor.fetchmany(BATCH):
            for kind, key, row, *values in batch:
                claim_id = by_key.get((kind, key))
                if claim_id is not None:
                    yield claim_id, line(file, row), values

    def save(model: Any, objects: Any) -> None:
        chunk = []
        for obj in objects:
            chunk.append(obj)
            if len(chunk) >= BATCH:
                model.objects.bulk_create(chunk)
                chunk = []
        model.objects.bulk_create(chunk)

    for file in ("ODX", "IDX"):
        save(m.Diagnosis, (m.Diagnosis(claim_id=c, line=ln, code=(v[0] or "").upper()[:10], dxtype=_small(v[1]),
                                       doctor=(v[2] or "")[:20]) for c, ln, v in rows(file, "DIAG, DXTYPE, DRDX")
                           if v[0]))
    save(m.Procedure, (m.Procedure(claim_id=c, line=ln, code=v[0][:10], doctor=(v[1] or "")[:20],
                                   date_in=v[2]) for c, ln, v in rows("OOP", "OPER, DROPID, DATEOPD") if v[0]))
    save(m.Procedure, (m.Procedure(claim_id=c, line=ln, code=v[0][:10], optype=(v[1] or "")[:5],
                                   doctor=(v[2] or "")[:20], date_in=v[3], date_out=v[4])
                       for c, ln, v in rows("IOP", "OPER, OPTYPE, DROPID, DATEIN, DATEOUT") if v[0]))
    save(m.Charge, (m.Charge(claim_id=c, line=ln, item=(v[0] or "")[:5], amount=_money(v[1]))
                    for c, ln, v in rows("CHA", "CHRGITEM, AMOUNT")))
    save(m.Drug, (m.Drug(claim_id=c, line=ln, code=(v[0] or "")[:30], name=(v[1] or "")[:200], quantity=v[2],
                         price=_money(v[3]), total=_money(v[4]))
                  for c, ln, v in rows("DRU", "DID, DIDNAME, AMOUNT, DRUGPRICE, TOTAL")))
    save(m.LeaveDay, (m.LeaveDay(claim_id=c, line=ln, date_out=v[0], date_in=v[1], days=v[2])
                      for c, ln, v in rows("LVD", "DATEOUT, DATEIN, QTYDAY")))
    for file, source in (("ORF", m.Referral.Direction.OP), ("IRF", m.Referral.Direction.IP)):
        save(m.Referral, (m.Referral(claim_id=c, line=ln, source=source, unit_code=(v[0] or "")[:10],
                                     refer_type=(v[1] or "")[:5]) for c, ln, v in rows(file, "REFER, REFERTYPE")))
    save(m.Accident, (m.Accident(claim_id=c, line=ln, authae=(v[0] or "")[:30], aetype=(v[1] or "")[:5],
                                 ucae=(v[2] or "")[:5], emtype=(v[3] or "")[:5], refer_no=(v[4] or "")[:30])
                      for c, ln, v in rows("AER", "AUTHAE, AETYPE, UCAE, EMTYPE, REFER_NO")))
    save(m.Item, (m.Item(claim_id=c, line=ln, type=(v[0] or "")[:5], code=(v[1] or "")[:30], quantity=v[2],
                         rate=_money(v[3]), total=_money(v[4]))
                  for c, ln, v in rows("ADP", "TYPE, CODE, QTY, RATE, TOTAL")))

