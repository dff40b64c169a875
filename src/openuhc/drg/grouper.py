"""Thai DRG grouping (จัดกลุ่มวินิจฉัยโรคร่วม) driven by the installed tables, with a trace of every decision.

What the four official tables allow us to decide, and what they do not (docs/drg.md):
- edits — missing or unknown principal diagnosis → 26509, unacceptable principal diagnosis → 26519,
  obstetric inconsistency → 26529, invalid age → 26539; secondary diagnoses and procedures invalid for the
  age or sex are dropped;
- the MDC: pre-MDC procedures (MMDC 00: transplants, tracheostomy, laryngectomy), the newborn MDC 15, the
  sex-specific rows of the principal diagnosis (MDC 12 for males, 13 for females);
- the surgical / medical split from OR procedures (ORP = Y) related to the MDC (MMDC / OMDCS), MDC 26 for
  OR procedures unrelated to it (DC 2601–2605 by procedure group; 2611–2614 for the MOS procedures);
- which secondary diagnoses count as complications: CC = true, not the principal diagnosis, not repeated,
  and not excluded for this principal diagnosis by the exclusion list (matched exactly, never by prefix).

The 6.3 tables do not hold the per-DC diagnosis complexity (DCL) table nor the DC logic of the manual's
second volume, so the DC inside an MDC's partition and the severity digit are approximations: every result
says `exact` or not and why. A DRG assigned by the official grouper at the hospital is accepted when it
exists in the table version; any disagreement with our own grouping is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from openuhc.drg.adjrw import adjrw, length_of_stay
from openuhc.drg.tables import LoadedTables, normalise

UNGROUPABLE, BAD_PDX, OBSTETRIC, BAD_AGE = "26509", "26519", "26529", "26539"
# The words of the approximations, shared with the columnar grouper (drg/vector.py)
PRE_MDC = "pre-MDC DC chosen from the procedure's description (ventilation hours are not in the tables)"
NEWBORN = "newborn DC chosen by admission weight band and procedures; died/transferred rules not applied"
SURGICAL = "surgical DC chosen without the manual's DC logic (first surgical DC of the MDC)"
SEVERITY = "severity digit approximated without the DCL table"
HOSPITAL = "assigned by the official grouper at the hospital"
DECIDED = "decided by the tables"


@dataclass
class Case:
    an: str = ""
    pdx: str = ""
    sdx: list[str] = field(default_factory=list)
    procedures: list[str] = field(default_factory=list)
    sex: int | None = None
    age: int | None = None
    age_days: int | None = None
    admit_date: date | None = None
    discharge_date: date | None = None
    leave_days: int = 0
    discharge_type: str = ""
    admit_weight: int | None = None
    drg: str = ""  # assigned by the official grouper at the hospital, if any


@dataclass
class Result:
    drg: str
    rw: Decimal | None
    adjrw: Decimal | None
    los: int | None
    exact: bool
    reason: str
    mdc: str = ""
    dc: str = ""
    source: str = "openuhc"  # "openuhc" or "hospital"
    own_drg: str = ""  # our grouping, when the hospital's DRG was used
    disagreement: str = ""
    error: str = ""  # a row error code (bad dates, ...) when the case could not be weighted
    trace: list[dict[str, str]] = field(default_factory=list)


def _step(trace: list[dict[str, str]], rule: str, decided: str, why: str) -> None:
    trace.append({"rule": rule, "decided": decided, "why": why})


def group(case: Case, tables: LoadedTables, *, long_stay_rule: str = "tdrg5") -> Result:
    own = _group(case, tables)
    hospital = (case.drg or "").strip()
    if hospital:
        row = tables.drg(hospital)
        if row is None:
            _step(own.trace, "hospital DRG", hospital, f"not in table version {tables.version}: not used")
            own.disagreement = f"hospital DRG {hospital} does not exist in TDRG {tables.version}"
        else:
            result = Result(drg=hospital, rw=None, adjrw=None, los=None, exact=True,
                            reason=HOSPITAL, mdc=row.mdc, dc=row.dc,
                            source="hospital", own_drg=own.drg, trace=own.trace)
            if hospital != own.drg:
                result.disagreement = f"our grouping gives {own.drg} ({'exact' if own.exact else 'approximate'}: " \
                                      f"{own.reason})"
            _step(result.trace, "hospital DRG", hospital, "exists in the table version: accepted"
                  + (f"; {result.disagreement}" if result.disagreement else "; our grouping agrees"))
            own = result
    _weigh(own, case, tables, long_stay_rule)
    return own


def _weigh(result: Result, case: Case, tables: LoadedTables, rule: str) -> None:
    if case.admit_date is None or case.discharge_date is None:
        result.error = "dates_missing"
        return
    los = length_of_stay(case.admit_date, case.discharge_date, case.leave_days or 0)
    if los < 0:
        result.error = "negative_los"
        return
    result.los = los
    row = tables.drg(result.drg)
    if row is None:
        result.error = "unknown_drg"
        return
    result.rw = row.rw
    result.adjrw = adjrw(rw=row.rw, rw0d=row.rw0d, wtlos=row.wtlos, los=los, ot=row.ot, mdf=row.mdf, rule=rule)


def _error(drg: str, why: str, trace: list[dict[str, str]], rule: str) -> Result:
    _step(trace, rule, drg, why)
    return Result(drg=drg, rw=None, adjrw=None, los=None, exact=True, reason=why, mdc="26", dc=drg[:4], trace=trace)


def _valid_age(case: Case) -> bool:
    return case.age is not None and 0 <= case.age <= 124 and not (
        case.age == 0 and case.age_days is not None and not 0 <= case.age_days <= 365)


def _group(case: Case, tables: LoadedTables) -> Result:
    trace: list[dict[str, str]] = []
    pdx_code = normalise(case.pdx)
    # 1. edits on the case and its principal diagnosis
    if not pdx_code:
        return _error(UNGROUPABLE, "no principal diagnosis", trace, "edit: principal diagnosis")
    pdx = tables.diagnosis(pdx_code, case.sex)
    if pdx is None:
        return _error(UNGROUPABLE, f"principal diagnosis {pdx_code} is not in TDRG {tables.version}", trace,
                      "edit: principal diagnosis")
    if not _valid_age(case):
        return _error(BAD_AGE, "age missing or invalid", trace, "edit: age")
    problem = tables.diagnosis_problem(pdx_code, sex=case.sex, age_years=case.age, age_days=case.age_days)
    if pdx.mdc == "14" and (case.sex == 1 or problem is not None):
        return _error(OBSTETRIC, f"pregnancy diagnosis {pdx_code} for a {'male' if case.sex == 1 else 'patient'} "
                      f"aged {case.age}", trace, "edit: obstetric consistency")
    if problem == "age_conflict":
        return _error(BAD_AGE, f"principal diagnosis {pdx_code} is not valid at age {case.age}", trace, "edit: age")
    if problem == "sex_conflict":
        return _error(UNGROUPABLE, f"principal diagnosis {pdx_code} is not valid for this sex", trace,
                      "edit: sex")
    if not pdx.acceptable_pdx:
        return _error(BAD_PDX, f"{pdx_code} is not acceptable as a principal diagnosis", trace,
                      "edit: acceptable principal diagnosis")
    _step(trace, "edit: principal diagnosis", pdx_code, f"valid (MDC {pdx.mdc}, PDC {pdx.pdc or '—'})")
    # secondary diagnoses and procedures invalid for the age or sex are dropped
    sdx: list[str] = []
    for code in (normalise(c) for c in case.sdx):
        if not code or code == pdx_code or code in sdx:
            continue
        reason = tables.diagnosis_problem(code, sex=case.sex, age_years=case.age, age_days=case.age_days)
        if reason:
            _step(trace, "edit: secondary diagnosis", code, f"dropped ({reason.replace('_', ' ')})")
            continue
        sdx.append(code)
    procs = []
    for code in (normalise(c) for c in case.procedures):
        if not code or any(p.code == code for p in procs):
            continue
        reason = tables.procedure_problem(code, sex=case.sex)
        if reason:
            _step(trace, "edit: procedure", code, f"dropped ({reason.replace('_', ' ')})")
            continue
        procs.append(tables.procedure(code))
    # 2. complications that count: CC, not excluded for this principal diagnosis (exact code match)
    ccs = []
    for code in sdx:
        row = tables.diagnosis(code, case.sex)
        if row is None or not row.is_cc:
            continue
        if tables.excluded(row.main_cc, pdx_code):
            _step(trace, "CC exclusion", code, f"does not count with {pdx_code} (exclusion group {row.main_cc})")
            continue
        ccs.append(code)
    # 3. MDC and partition
    pre_mdc = [p for p in procs if p.main_mdc == "00"]
    or_procs = [p for p in procs if p.is_or]
    if pre_mdc:
        best = max(pre_mdc, key=lambda p: (p.level, p.code))
        mdc, dc, why = "00", _pre_mdc_dc(best, tables), f"pre-MDC procedure {best.code} ({best.description})"
        _step(trace, "MDC", mdc, why)
        approx = PRE_MDC
    elif case.age == 0 and case.age_days is not None and case.age_days < 28:
        mdc = "15"
        dc, why = _newborn_dc(case, or_procs), "newborn: age under 28 days"
        _step(trace, "MDC", mdc, why)
        approx = NEWBORN
    else:
        mdc = pdx.mdc
        _step(trace, "MDC", mdc, f"from the principal diagnosis {pdx_code}"
              + (" (row for this sex)" if mdc in ("12", "13") else ""))
        related = [p for p in or_procs if p.related_to(mdc)]
        mos = [p for p in or_procs if p.mos_dc and not p.related_to(mdc)]
        if related:
            best = max(related, key=lambda p: (p.level, p.code))
            dc = _first_dc(tables, mdc, surgical=True)
            _step(trace, "partition", "surgical", f"OR procedure {best.code} is related to MDC {mdc}")
            approx = SURGICAL
        elif mos:
            best = min(mos, key=lambda p: (p.mos_hierarchy or "9", p.code))
            mdc, dc = "26", best.mos_dc
            _step(trace, "partition", "MDC 26", f"{best.code} is a general procedure (DC {dc})")
            approx = ""
        elif or_procs:
            best = max(or_procs, key=lambda p: (p.group, p.code))
            mdc, dc = "26", f"260{min(max(best.group, 1), 5)}"
            _step(trace, "partition", "MDC 26", f"OR procedure {best.code} is unrelated to MDC {pdx.mdc} "
                  f"(procedure group {best.group})")
            approx = ""
        else:
            dc = _medical_dc(tables, mdc, pdx.pdc)
            _step(trace, "partition", "medical", "no OR procedure")
            approx = (f"medical DC {dc} guessed from the diagnosis cluster {pdx.pdc or '—'} without the manual's "
                      "DC logic")
    if dc not in tables.dcs:
        return _error(UNGROUPABLE, f"no DC {dc} in TDRG {tables.version}", trace, "DC")
    _step(trace, "DC", dc, approx or "decided by the tables")
    # 4. severity digit
    drgs = tables.dcs[dc]
    if len(drgs) == 1:
        drg = drgs[0]
        _step(trace, "severity", drg[-1], "the DC is not split by severity")
        exact_digit = True
    else:
        digits = sorted(d[-1] for d in drgs)
        wanted = str(min(len(ccs), int(digits[-1])))
        digit = max((d for d in digits if d <= wanted), default=digits[0])
        drg = dc + digit
        _step(trace, "severity", digit, f"{len(ccs)} complication(s) that count ({', '.join(ccs) or 'none'}); "
              "level approximated by their number (the DCL table is not in the tables)")
        exact_digit = False
    reasons = [r for r in (approx, "" if exact_digit else SEVERITY) if r]
    return Result(drg=drg, rw=None, adjrw=None, los=None, exact=not reasons, reason="; ".join(reasons) or DECIDED,
                  mdc=mdc, dc=dc, trace=trace)


def _first_dc(tables: LoadedTables, mdc: str, *, surgical: bool) -> str:
    candidates = sorted(dc for dc in tables.dcs if dc[:2] == mdc and (int(dc[2:]) < 50) == surgical)
    if not candidates:
        candidates = sorted(dc for dc in tables.dcs if dc[:2] == mdc)
    return candidates[0] if candidates else f"{mdc}99"


def _medical_dc(tables: LoadedTables, mdc: str, pdc: str) -> str:
    """A guess: the n-th cluster letter of the MDC → medical DC 50 + n, else the nearest medical DC that
    exists. Right for some clusters (pneumonia 4C → 0452), wrong for many (docs/drg.md)."""
    medical = sorted(int(dc[2:]) for dc in tables.dcs if dc[:2] == mdc and int(dc[2:]) >= 50)
    if not medical:
        return _first_dc(tables, mdc, surgical=True)
    letter = pdc[-1:] if pdc and pdc[-1:].isalpha() else "A"
    wanted = 50 + ord(letter.upper()) - ord("A")
    nearest = min(medical, key=lambda n: (abs(n - wanted), n))
    return f"{mdc}{nearest:02d}"


def _pre_mdc_dc(proc: Any, tables: LoadedTables) -> str:
    text = proc.description.lower()
    if "liver" in text:
        return "0001"
    if "heart" in text or "lung" in text:
        return "0002"
    if "marrow" in text or "stem" in text:
        return "0004"
    if "laryng" in text:
        return "0009"
    return "0011"  # tracheostomy


def _newborn_dc(case: Case, or_procs: list[Any]) -> str:
    weight = case.admit_weight
    band = 0 if weight is None else (0 if weight < 1000 else 1 if weight < 1500 else 2 if weight < 2500 else 3)
    if weight is None:
        band = 3
    surgical = ["1503", "1505", "1507", "1509"]
    medical = ["1551", "1552", "1553", "1554"]
    return (surgical if or_procs else medical)[band]


def group_row(row: dict[str, Any], tables: LoadedTables) -> Result:
    """Group one input row (the CLI / batch column names); a bad row gets an error code, never an exception."""
    try:
        case = case_from_row(row)
    except (ValueError, TypeError) as error:
        result = Result(drg="", rw=None, adjrw=None, los=None, exact=False, reason=str(error), error="bad_row")
        return result
    return group(case, tables)


def _int(value: Any, name: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a whole number") from None


def _date(value: Any, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date YYYY-MM-DD") from None


def _codes(value: Any) -> list[str]:
    if value is None:
        return []
    return [c.strip() for c in str(value).split(";") if c.strip()]


def case_from_row(row: dict[str, Any]) -> Case:
    sex = _int(row.get("sex"), "sex")
    if sex not in (None, 1, 2):
        raise ValueError(f"sex: {sex!r} is neither 1 (male) nor 2 (female)")
    return Case(an=str(row.get("an") or ""), pdx=str(row.get("pdx") or ""), sdx=_codes(row.get("sdx")),
                procedures=_codes(row.get("proc")), sex=sex, age=_int(row.get("age"), "age"),
                age_days=_int(row.get("age_days"), "age_days"),
                admit_date=_date(row.get("admit_date"), "admit_date"),
                discharge_date=_date(row.get("discharge_date"), "discharge_date"),
                leave_days=_int(row.get("leave_days"), "leave_days") or 0,
                discharge_type=str(row.get("discharge_type") or ""),
                admit_weight=_int(row.get("admit_weight"), "admit_weight"), drg=str(row.get("drg") or ""))
