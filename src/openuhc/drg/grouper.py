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

from openuhc.drg import logic
from openuhc.drg import manual as manual_rules
from openuhc.drg.adjrw import adjrw, key_on, length_of_stay, split_key
from openuhc.drg.tables import LoadedTables, normalise
from openuhc.drg.volume2 import CHAPTERS

UNGROUPABLE, BAD_PDX, OBSTETRIC, BAD_AGE = "26509", "26519", "26529", "26539"
# The words of the approximations, shared with the columnar grouper (drg/vector.py)
PRE_MDC = "pre-MDC DC chosen from the procedure's description (ventilation hours are not in the tables)"
NEWBORN = "newborn DC chosen by admission weight band and procedures; died/transferred rules not applied"
SURGICAL = "surgical DC chosen without the manual's DC logic (first surgical DC of the MDC)"
SEVERITY = "severity digit approximated without the DCL table"
HOSPITAL = "assigned by the official grouper at the hospital"
DECIDED = "decided by the tables"
GUESSED_RANGES = "PCL ranges of DC {dc} are not in the manual's files: those most DCs with its levels have were used"
NO_WEIGHT = "newborn without an admission weight: the weight band is taken as under 1,000 g"


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


def group(case: Case, tables: LoadedTables, *, schedule: list[dict[str, Any]] | None = None) -> Result:
    """Group and weigh one case. `schedule` is the weighing rule by discharge date (`drg.params.weighing_schedule`;
    None: the parameters' defaults)."""
    own = _group(case, tables)
    hospital = (case.drg or "").strip()
    if hospital:
        own = _hospital(own, hospital, tables)
    _weigh(own, case, tables, key_on(schedule, case.discharge_date))
    return own


def _hospital(own: Result, hospital: str, tables: LoadedTables) -> Result:
    """A DRG sent by the hospital is compared, never used over our edits or an exact result; it is used only in
    place of an approximate grouping of ours, and any difference is kept for review."""
    row = tables.drg(hospital)
    if row is None:
        _step(own.trace, "hospital DRG", hospital, f"not in table version {tables.version}: not used")
        own.disagreement = f"hospital DRG {hospital} does not exist in TDRG {tables.version}"
        return own
    if own.exact or own.drg.startswith("265"):
        if hospital != own.drg:
            own.disagreement = f"hospital DRG {hospital}; our grouping gives {own.drg} (exact)"
        _step(own.trace, "hospital DRG", hospital, "kept as the hospital's, not used: our grouping is exact"
              + ("" if hospital != own.drg else "; it agrees"))
        return own
    result = Result(drg=hospital, rw=None, adjrw=None, los=None, exact=True, reason=HOSPITAL, mdc=row.mdc,
                    dc=row.dc, source="hospital", own_drg=own.drg, trace=own.trace)
    if hospital != own.drg:
        result.disagreement = f"our grouping gives {own.drg} (approximate: {own.reason})"
    _step(result.trace, "hospital DRG", hospital, "exists in the table version: accepted"
          + (f"; {result.disagreement}" if result.disagreement else "; our grouping agrees"))
    return result


def _weigh(result: Result, case: Case, tables: LoadedTables, key: str) -> None:
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
    result.adjrw = weigh_drg(row, los, key)


def weigh_drg(row: Any, los: int, key: str) -> Any:
    """AdjRW of a DRG row at a length of stay under a rule key ("tdrg63:mdf")."""
    rule, factor = split_key(key)
    return adjrw(rw=row.rw, rw0d=row.rw0d, wtlos=row.wtlos, los=los, ot=row.ot, mdf=row.mdf, drg=row.drg,
                 rule=rule, factor=factor)


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
    if case.age == 0 and case.age_days is None:  # the official grouper needs the age in days under one year
        return _error(BAD_AGE, "age in days missing at age 0", trace, "edit: age")
    problem = tables.diagnosis_problem(pdx_code, sex=case.sex, age_years=case.age, age_days=case.age_days)
    # A principal diagnosis invalid for the age or the sex is ungroupable (26509), as the official grouper
    # gives it (a newborn's or a pregnancy's code at 70 years: the public sweep, drg/tests/official_sweep.csv);
    # 26539 is for an age that is missing or out of range, 26529 for MDC 14's unmatched combinations.
    if problem == "age_conflict":
        return _error(UNGROUPABLE, f"principal diagnosis {pdx_code} is not valid at age {case.age}", trace,
                      "edit: age")
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
    if tables.manual is not None:
        return _group_by_manual(case, tables, pdx_code, pdx, sdx, procs, trace)
    return _group_without_manual(case, tables, pdx_code, pdx, sdx, procs, trace)


def _group_without_manual(case: Case, tables: LoadedTables, pdx_code: str, pdx: Any, sdx: list[str],
                          procs: list[Any], trace: list[dict[str, str]]) -> Result:
    """The set has no manual files: the DC and the severity digit are approximated (docs/drg.md)."""
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


def _group_by_manual(case: Case, tables: LoadedTables, pdx_code: str, pdx: Any, sdx: list[str], procs: list[Any],
                     trace: list[dict[str, str]]) -> Result:
    """The manual's logic: the DC by Volume 2 (drg/volume2.py), the DRG by the PCL (Volume 1 pp. 170–171)."""
    los = _los(case)
    decision = decide_dc(tables, pdx_code=pdx_code, sex=case.sex, sdx=sdx, procs=[p.code for p in procs],
                         age=case.age, age_days=case.age_days, discharge_type=case.discharge_type, los=los,
                         weight=case.admit_weight)
    for rule, decided, why in decision.steps:
        _step(trace, rule, decided, why)
    approximate = list(decision.approximate)
    if decision.mdc == "15" and case.admit_weight is None:
        approximate.append(NO_WEIGHT)
    if decision.drg:
        exact = not approximate
        if decision.drg.startswith("265"):
            return Result(drg=decision.drg, rw=None, adjrw=None, los=None, exact=True, reason=decision.steps[-1][2],
                          mdc="26", dc=decision.drg[:4], trace=trace)
        return Result(drg=decision.drg, rw=None, adjrw=None, los=None, exact=exact,
                      reason="; ".join(approximate) or DECIDED, mdc=decision.mdc, dc=decision.dc, trace=trace)
    plan, _drg, guess = severity_plan(tables, decision.dc)
    if plan == "pcl_guess":
        approximate.append(guess)
    drg, why = severity(tables, decision.dc, pdx_code, sdx, case.sex)
    _step(trace, "severity", drg[-1:] if drg else "", why)
    if not drg:
        return _error(UNGROUPABLE, why, trace, "severity")
    return Result(drg=drg, rw=None, adjrw=None, los=None, exact=not approximate,
                  reason="; ".join(approximate) or DECIDED, mdc=decision.mdc, dc=decision.dc, trace=trace)


def _los(case: Case) -> int | None:
    if case.admit_date is None or case.discharge_date is None:
        return None
    return length_of_stay(case.admit_date, case.discharge_date, case.leave_days or 0)


def decide_dc(tables: LoadedTables, *, pdx_code: str, sex: int | None, sdx: list[str], procs: list[str],
              age: int | None, age_days: int | None, discharge_type: str, los: int | None,
              weight: int | None) -> logic.Decision:
    """The MDC and DC of a case that passed the edits (codes already checked), by the manual's logic. The batch
    path calls it, once per distinct set of facts, for the cases its compiled rules leave (drg.logic_columns)."""
    return logic.decide(facts_for(tables, pdx_code=pdx_code, sex=sex, sdx=sdx, procs=procs, age=age,
                                  age_days=age_days, discharge_type=discharge_type, los=los, weight=weight), CHAPTERS)


def facts_for(tables: LoadedTables, *, pdx_code: str, sex: int | None, sdx: list[str], procs: list[str],
              age: int | None, age_days: int | None, discharge_type: str, los: int | None,
              weight: int | None) -> logic.Facts:
    manual = tables.manual
    assert manual is not None
    diagnosis = tables.diagnosis
    pdx = diagnosis(pdx_code, sex)
    assert pdx is not None
    dx_lists = manual.dx_lists
    none: frozenset[str] = frozenset()
    sdx_rows = []
    sdx_pdcs: dict[str, set[str]] = {}
    sdx_mdcs: dict[str, list[str]] = {}
    sdx_info: dict[str, tuple[str, frozenset[str]]] = {}
    sites = set()
    for code in sdx:
        row = diagnosis(code, sex)
        if row is None:
            continue
        sdx_rows.append(code)
        sdx_pdcs.setdefault(row.mdc, set()).add(row.pdc)
        sdx_mdcs.setdefault(row.mdc, []).append(code)
        sdx_info[code] = (row.pdc, dx_lists.get(code, none))
        if row.trauma_site:
            sites.add(row.trauma_site)
    proc_rows = [r for r in (tables.procedure(code) for code in procs) if r is not None]
    proc_pdcs: dict[str, set[str]] = {}
    proc_clusters = manual.proc_clusters
    for p in proc_rows:
        for mdc, pdc in proc_clusters.get(p.code, ()):
            proc_pdcs.setdefault(mdc, set()).add(pdc)
    proc_lists = manual.proc_lists
    trauma = bool(pdx.trauma_site) and (len(sites | {pdx.trauma_site}) > 1
                                        or len({p.site for p in proc_rows if p.site}) > 1)
    return logic.Facts(
        pdx=pdx_code, pdx_mdc=pdx.mdc, pdx_pdc=pdx.pdc, pdx_axs=dx_lists.get(pdx_code, none),
        pdx_mos=pdx.mos_dx, sdx=tuple(sdx_rows),
        sdx_axs=frozenset(ax for code in sdx_rows for ax in sdx_info[code][1]),
        sdx_pdcs={m: frozenset(v) for m, v in sdx_pdcs.items()},
        sdx_mdcs={m: tuple(v) for m, v in sdx_mdcs.items()},
        proc_pdcs={m: frozenset(v) for m, v in proc_pdcs.items()},
        paxs=frozenset(pax for p in proc_rows for pax in proc_lists.get(p.code, ())),
        proc_sites=frozenset(p.site for p in proc_rows if p.site),
        or_procs=tuple(p for p in proc_rows if p.group > 0), multiple_trauma=trauma, age=age, age_days=age_days,
        discharge=(discharge_type or "").strip().lstrip("0"), los=los, weight=weight, sdx_info=sdx_info)


def ranges_of(tables: LoadedTables, dc: str) -> tuple[list[tuple[str, int, int]], bool]:
    """The PCL ranges of a DC's DRGs, and whether they are guessed: a DC split by severity that the manual's
    ranges (dc_pcl_drg.csv) leave out — the MDC 26 DCs 2601–2605, 2612, 2613 — takes the ranges most DCs
    with the same severity digits have, and its result is approximate."""
    manual = tables.manual
    assert manual is not None
    cache = manual.__dict__.setdefault("_ranges_of", {})
    if dc not in cache:
        cache[dc] = _ranges_of(tables, manual, dc)
    return cache[dc]


def _ranges_of(tables: LoadedTables, manual: Any, dc: str) -> tuple[list[tuple[str, int, int]], bool]:
    ranges = manual.ranges.get(dc)
    if ranges:
        return ranges, False
    drgs = tables.dcs.get(dc, [])
    if len(drgs) < 2:
        return [], False
    digits = tuple(d[-1] for d in drgs)
    patterns: dict[tuple[tuple[str, int, int], ...], int] = {}
    for rows in manual.ranges.values():
        if tuple(r[0][-1] for r in rows) == digits:
            key = tuple((r[0][-1], r[1], r[2]) for r in rows)
            patterns[key] = patterns.get(key, 0) + 1
    if not patterns:
        return [], False
    best = max(sorted(patterns), key=lambda k: patterns[k])
    return [(dc + digit, low, high) for digit, low, high in best], True


def severity_plan(tables: LoadedTables, dc: str) -> tuple[str, str, str]:
    """How a DC's DRG is chosen: ("fixed", DRG, why) for a DC not split by severity, ("pcl", "", "") for one
    split by PCL ranges, ("pcl_guess", "", why) when those ranges are guessed, ("none", "", why) for a DC
    without a DRG."""
    ranges, guessed = ranges_of(tables, dc)
    if not ranges:
        drgs = tables.dcs.get(dc, [])
        if len(drgs) == 1:
            return "fixed", drgs[0], "the DC is not split by severity"
        return "none", "", f"no DRG for DC {dc} in TDRG {tables.version}"
    if len(ranges) == 1:
        return "fixed", ranges[0][0], "the DC is not split by severity"
    if guessed:
        return "pcl_guess", "", GUESSED_RANGES.format(dc=dc)
    return "pcl", "", ""


def drg_in(ranges: list[tuple[str, int, int]], pcl: int) -> str | None:
    return next((drg for drg, low, high in ranges if low <= pcl <= high), None)


def pcl_of(tables: LoadedTables, dc: str, codes: list[str], sex: int | None
           ) -> tuple[int, list[tuple[str, int]], list[tuple[str, str]]]:
    """The PCL of diagnosis codes (principal first) in a DC, with the codes kept and those excluded."""
    manual = tables.manual
    assert manual is not None
    main_cc: dict[str, str] = {}
    levels = []
    for code in codes:
        row = tables.diagnosis(code, sex)
        if row is None:
            continue
        main_cc[code] = row.main_cc
        levels.append((code, manual.dcl(row.dcl_main, dc)))
    kept, dropped = manual_rules.exclude(manual_rules.order(levels),
                                         lambda code, by: tables.excluded(main_cc[code], by))
    return manual_rules.pcl(level for _code, level in kept), kept, dropped


def severity(tables: LoadedTables, dc: str, pdx_code: str, sdx: list[str], sex: int | None) -> tuple[str, str]:
    """The DRG of a DC by the case's PCL (Volume 1 pp. 170–171), and why; ("", why) when the DC has no DRG."""
    plan, drg, why = severity_plan(tables, dc)
    if plan not in ("pcl", "pcl_guess"):
        return drg, why
    level, kept, dropped = pcl_of(tables, dc, [pdx_code, *sdx], sex)
    found = drg_in(ranges_of(tables, dc)[0], level)
    listed = ", ".join(f"{code} {n}" for code, n in kept) or "none"
    why = f"PCL {level} from the DCLs in DC {dc} ({listed})"
    if dropped:
        why += "; excluded: " + ", ".join(f"{code} by {by}" for code, by in dropped)
    if found is None:
        return "", f"{why}: no DRG of DC {dc} covers PCL {level}"
    return found, f"{why} (Volume 1 pp. 170–171)"

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


def group_row(row: dict[str, Any], tables: LoadedTables, schedule: list[dict[str, Any]] | None = None) -> Result:
    """Group one input row (the CLI / batch column names); a bad row gets an error code, never an exception."""
    try:
        case = case_from_row(row)
    except (ValueError, TypeError) as error:
        result = Result(drg="", rw=None, adjrw=None, los=None, exact=False, reason=str(error), error="bad_row")
        return result
    return group(case, tables, schedule=schedule)


def read_int(value: Any, name: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a whole number") from None


def read_date(value: Any, name: str) -> date | None:
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
    sex = read_int(row.get("sex"), "sex")
    if sex not in (None, 1, 2):
        raise ValueError(f"sex: {sex!r} is neither 1 (male) nor 2 (female)")
    return Case(an=str(row.get("an") or ""), pdx=str(row.get("pdx") or ""), sdx=_codes(row.get("sdx")),
                procedures=_codes(row.get("proc")), sex=sex, age=read_int(row.get("age"), "age"),
                age_days=read_int(row.get("age_days"), "age_days"),
                admit_date=read_date(row.get("admit_date"), "admit_date"),
                discharge_date=read_date(row.get("discharge_date"), "discharge_date"),
                leave_days=read_int(row.get("leave_days"), "leave_days") or 0,
                discharge_type=str(row.get("discharge_type") or ""),
                admit_weight=read_int(row.get("admit_weight"), "admit_weight"), drg=str(row.get("drg") or ""))
