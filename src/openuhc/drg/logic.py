"""The TDRG 6.3 decision logic as data: conditions, rules and the interpreter both grouping paths use.

Each MDC is a `Chapter` (drg/volume2.py): an ordered list of (condition, outcome) rules as Volume 2 draws
them — the MDC's procedure clusters in its surgical hierarchy, the unrelated-OR-procedure step (Volume 1
p. 122), then the principal diagnosis's cluster with its conditions. The first rule whose condition holds
decides. `decide(facts)` walks the pre-MDC chapter (Book 2 p. 10) and then the chapters it leads to, and
records every rule that decided, in the manual's own words (`Cond.text`), for "why this DRG".

The explaining path (drg.grouper) calls `decide` once per case with a trace. The batch path (drg.vector)
compiles the same chapters into Polars expressions (drg.logic_columns: one expression per chapter over
per-case columns, each atom of `TESTS` with its expression in `logic_columns.ATOMS`) and decides every case of a
batch at once; the rare case an unrelated OR procedure moves among several MDCs is decided by `decide` itself.
One definition of the logic, at two speeds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# --- conditions ---------------------------------------------------------------------------------------------


class Cond:
    """A condition on a case's facts; `&`, `|` and `~` combine conditions."""

    def test(self, f: Facts, mdc: str) -> bool:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def __and__(self, other: Cond) -> Cond:
        return All((self, other))

    def __or__(self, other: Cond) -> Cond:
        return Any_((self, other))

    def __invert__(self) -> Cond:
        return Not(self)


@dataclass(frozen=True)
class Atom(Cond):
    kind: str
    args: tuple[Any, ...]

    def test(self, f: Facts, mdc: str) -> bool:
        return TESTS[self.kind](f, mdc, *self.args)

    def text(self) -> str:
        return WORDS[self.kind].format(*self.args, joined="/".join(str(a) for a in self.args))


@dataclass(frozen=True)
class All(Cond):
    parts: tuple[Cond, ...]

    def test(self, f: Facts, mdc: str) -> bool:
        return all(p.test(f, mdc) for p in self.parts)

    def text(self) -> str:
        return " and ".join(_wrapped(p) for p in self.parts)

    def __and__(self, other: Cond) -> Cond:
        return All((*self.parts, other))


@dataclass(frozen=True)
class Any_(Cond):
    parts: tuple[Cond, ...]

    def test(self, f: Facts, mdc: str) -> bool:
        return any(p.test(f, mdc) for p in self.parts)

    def text(self) -> str:
        return " or ".join(_wrapped(p) for p in self.parts)

    def __or__(self, other: Cond) -> Cond:
        return Any_((*self.parts, other))


@dataclass(frozen=True)
class Not(Cond):
    part: Cond

    def test(self, f: Facts, mdc: str) -> bool:
        return not self.part.test(f, mdc)

    def text(self) -> str:
        return f"not {_wrapped(self.part)}"


class Always(Cond):
    def test(self, f: Facts, mdc: str) -> bool:
        return True

    def text(self) -> str:
        return "otherwise"


def _wrapped(c: Cond) -> str:
    return f"({c.text()})" if isinstance(c, All | Any_) else c.text()


TESTS: dict[str, Callable[..., bool]] = {
    "pdx": lambda f, mdc, pdc: f.pdx_pdc == pdc,
    "proc": lambda f, mdc, pdc: pdc in f.proc_pdcs.get(mdc, ()),
    "any_proc": lambda f, mdc: bool(f.proc_pdcs.get(mdc)),
    "pax": lambda f, mdc, name: name in f.paxs,
    "sdx_ax": lambda f, mdc, name: name in f.sdx_axs,
    "pdx_ax": lambda f, mdc, name: name in f.pdx_axs,
    "dx_ax": lambda f, mdc, name: name in f.pdx_axs or name in f.sdx_axs,
    "dx_pdc": lambda f, mdc, pdc: f.pdx_pdc == pdc or pdc in f.sdx_pdcs.get(mdc, ()),
    "age_over": lambda f, mdc, n: f.age is not None and f.age > n,
    "age_days_over": lambda f, mdc, n: f.age == 0 and (f.age_days or 0) > n,
    "discharge": lambda f, mdc, *types: f.discharge in types,
    "los_over": lambda f, mdc, n: f.los is not None and f.los > n,
    "los_under": lambda f, mdc, n: f.los is not None and f.los < n,
    "weight_over": lambda f, mdc, n: (f.weight or 0) > n,
    "site": lambda f, mdc, *sites: any(s in f.proc_sites for s in sites),
    "or_group_at_least": lambda f, mdc, n: f.or_group >= n,
    "multiple_trauma": lambda f, mdc: f.multiple_trauma,
    "pdx_mdc": lambda f, mdc, m: f.pdx_mdc == m,
    "newborn": lambda f, mdc: f.age == 0 and f.age_days is not None and f.age_days < 28,
}
WORDS = {
    "pdx": "PDx as PDC {0}", "proc": "Proc as PDC {0}", "any_proc": "a procedure in one of the MDC's clusters",
    "pax": "Proc as AX {0}", "sdx_ax": "SDx as AX {0}", "pdx_ax": "PDx as AX {0}", "dx_ax": "(PDx or SDx) as AX {0}",
    "dx_pdc": "(PDx or SDx) as PDC {0}", "age_over": "Age > {0}", "age_days_over": "age in days > {0}",
    "discharge": "DischT {joined}", "los_over": "LOS > {0} days", "los_under": "LOS < {0} days",
    "weight_over": "AdmWt > {0} g", "site": "Proc site {joined}", "or_group_at_least": "OR procedure group ≥ {0}",
    "multiple_trauma": "trauma at two or more sites", "pdx_mdc": "PDx in MDC {0}",
    "newborn": "age under 28 days",
}


def _atom(kind: str) -> Callable[..., Cond]:
    return lambda *args: Atom(kind, tuple(args))


pdx, proc, pax, sdx_ax, pdx_ax, dx_ax, dx_pdc = (_atom(k) for k in (
    "pdx", "proc", "pax", "sdx_ax", "pdx_ax", "dx_ax", "dx_pdc"))
age_over, age_days_over, discharge, los_over, los_under, weight_over, site, or_group_at_least, pdx_mdc = (
    _atom(k) for k in ("age_over", "age_days_over", "discharge", "los_over", "los_under", "weight_over", "site",
                       "or_group_at_least", "pdx_mdc"))
ANY_PROC = Atom("any_proc", ())
MULTIPLE_TRAUMA = Atom("multiple_trauma", ())
NEWBORN = Atom("newborn", ())
ALWAYS = Always()


# --- outcomes and chapters ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    kind: str  # "dc", "drg", "mdc", "unrelated_or", "reassign_14", "pdx_mdc"
    value: str = ""


def dc(code: str) -> Outcome:
    return Outcome("dc", code)


def drg(code: str) -> Outcome:
    return Outcome("drg", code)


def mdc(code: str) -> Outcome:
    return Outcome("mdc", code)


UNRELATED_OR = Outcome("unrelated_or")
REASSIGN_14 = Outcome("reassign_14")  # O98/O99 moved to the MDC of a secondary diagnosis: not encoded yet
PDX_MDC = Outcome("pdx_mdc")


@dataclass(frozen=True)
class Chapter:
    mdc: str
    page: int | None  # Volume 2 (TDRG 6.3.3 pdf) page
    rules: list[tuple[Cond, Outcome]]

    def reference(self) -> str:
        return f"Volume 2 p. {self.page}" if self.page else "Volume 2"

    @cached_property
    def compiled(self) -> list[Rule]:
        """The rules compiled once (`compile_cond`), in order."""
        return [Rule(compile_cond(cond, self.mdc), cond, outcome) for cond, outcome in self.rules]

    @cached_property
    def _plans(self) -> dict[tuple[str, frozenset[str]], list[Rule]]:
        return {}

    def rules_for(self, f: Facts) -> list[Rule]:
        """The rules that can hold for a case with this principal diagnosis cluster and these procedure
        clusters of the MDC (`may_hold`), in order: the others are false whatever else the case has."""
        key = (f.pdx_pdc, f.proc_pdcs.get(self.mdc, frozenset()))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = [r for r in self.compiled if may_hold(r.cond, *key)]
        return plan


@dataclass(frozen=True)
class Rule:
    test: Callable[[Facts], bool]
    cond: Cond
    outcome: Outcome


def may_hold(cond: Cond, pdx_pdc: str, proc_pdcs: frozenset[str]) -> bool:
    """False when `cond` cannot hold for a case whose PDx cluster and procedure clusters in the chapter's MDC
    are these, whatever its other facts (the same atoms as `TESTS`, evaluated on what is known)."""
    if isinstance(cond, Atom):
        if cond.kind == "pdx":
            return pdx_pdc == cond.args[0]
        if cond.kind == "proc":
            return cond.args[0] in proc_pdcs
        if cond.kind == "any_proc":
            return bool(proc_pdcs)
        return True
    if isinstance(cond, All):
        return all(may_hold(p, pdx_pdc, proc_pdcs) for p in cond.parts)
    if isinstance(cond, Any_):
        return any(may_hold(p, pdx_pdc, proc_pdcs) for p in cond.parts)
    return True


def compile_cond(cond: Cond, mdc: str) -> Callable[[Facts], bool]:
    """A condition as one closure over the facts, built from the same atoms and `TESTS` (no interpretation
    of the condition tree per case): what `cond.test(f, mdc)` answers."""
    if isinstance(cond, Atom):
        fn, args = TESTS[cond.kind], cond.args
        if not args:
            return lambda f: fn(f, mdc)
        if len(args) == 1:
            (a,) = args
            return lambda f: fn(f, mdc, a)
        return lambda f: fn(f, mdc, *args)
    if isinstance(cond, All):
        parts = tuple(compile_cond(p, mdc) for p in cond.parts)
        if len(parts) == 2:
            a, b = parts
            return lambda f: a(f) and b(f)
        return lambda f: all(p(f) for p in parts)
    if isinstance(cond, Any_):
        parts = tuple(compile_cond(p, mdc) for p in cond.parts)
        if len(parts) == 2:
            a, b = parts
            return lambda f: a(f) or b(f)
        return lambda f: any(p(f) for p in parts)
    if isinstance(cond, Not):
        inner = compile_cond(cond.part, mdc)
        return lambda f: not inner(f)
    return lambda f: bool(cond.test(f, mdc))


# --- the facts of a case ------------------------------------------------------------------------------------

@dataclass
class Facts:
    """What the rules read about one case, after the edits (codes invalid for the age or sex dropped)."""

    pdx: str
    pdx_mdc: str
    pdx_pdc: str
    pdx_axs: frozenset[str]
    pdx_mos: bool
    sdx: tuple[str, ...]  # the secondary diagnoses the rules may read (MDC reassignment)
    sdx_axs: frozenset[str]
    sdx_pdcs: dict[str, frozenset[str]]  # MDC → clusters of the secondary diagnoses there
    sdx_mdcs: dict[str, tuple[str, ...]]  # MDC → secondary diagnoses of that MDC
    proc_pdcs: dict[str, frozenset[str]]  # MDC → clusters of the procedures there
    paxs: frozenset[str]
    proc_sites: frozenset[str]
    or_procs: tuple[Any, ...]  # ProcedureRow of procedures with an OR procedure group (PROCGR > 0)
    multiple_trauma: bool
    age: int | None
    age_days: int | None
    discharge: str
    los: int | None
    weight: int | None
    sdx_info: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)  # code → (PDC, AX lists)

    @property
    def or_group(self) -> int:
        return max((p.group for p in self.or_procs), default=0)


@dataclass
class Decision:
    mdc: str
    dc: str = ""
    drg: str = ""  # set when a rule gives the DRG itself (pre-MDC transplants, error DRGs)
    steps: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, decided, why)
    approximate: list[str] = field(default_factory=list)


REASSIGN_14_WHY = "MDC 14 reassignment of O98/O99 to a secondary diagnosis's MDC is not encoded: DC 1452 given"


def decide(f: Facts, chapters: dict[str, Chapter]) -> Decision:
    """The MDC and DC (or DRG) of a case, walking the pre-MDC chapter and the chapters it leads to."""
    decision = Decision(mdc="00")
    current, facts = "00", f
    for _ in range(12):  # a chapter leads to another at most a few times (pre-MDC → MDC → MDC of an OR proc)
        chapter = chapters.get(current)
        if chapter is None:
            decision.mdc, decision.drg = "26", "26509"
            decision.steps.append(("MDC", current, f"no logic for MDC {current}: ungroupable"))
            return decision
        outcome, why = _first(chapter, facts)
        if outcome.kind == "pdx_mdc":
            outcome, why = Outcome("mdc", facts.pdx_mdc), f"{why}: the MDC of the principal diagnosis {facts.pdx}"
        if outcome.kind == "mdc":
            target = outcome.value
            if target.startswith("pdx:"):  # an OR procedure moves the case to a secondary diagnosis's MDC
                target, new_pdx = target[4:].split(":")
                facts = _swap_pdx(facts, new_pdx, target)
            decision.steps.append(("MDC", target, why))
            decision.mdc = current = target
            continue
        if outcome.kind == "reassign_14":
            decision.steps.append(("DC", "1452", f"{why}; {REASSIGN_14_WHY}"))
            decision.approximate.append(REASSIGN_14_WHY)
            decision.mdc, decision.dc = current, "1452"
            return decision
        decision.mdc = current
        if outcome.kind == "drg":
            decision.drg, decision.dc = outcome.value, outcome.value[:4]
            decision.steps.append(("DRG", outcome.value, why))
            if outcome.value.startswith("265"):
                decision.mdc = "26"
            return decision
        decision.dc = outcome.value
        decision.mdc = outcome.value[:2]  # an unrelated OR procedure's DC is in MDC 26 (or 18, 23, 25)
        decision.steps.append(("DC", outcome.value, why))
        return decision
    decision.mdc, decision.drg = "26", "26509"
    decision.steps.append(("MDC", "26", "the MDC logic did not settle: ungroupable"))
    return decision


def _first(chapter: Chapter, f: Facts) -> tuple[Outcome, str]:
    for rule in chapter.rules_for(f):
        if not rule.test(f):
            continue
        cond, outcome = rule.cond, rule.outcome
        if outcome.kind == "unrelated_or":
            found, why = unrelated_or(chapter.mdc, f)
            if found.kind == "none":
                continue  # no unrelated OR procedure decides: the chapter goes on
            return found, why
        return outcome, f"{cond.text()} (MDC {chapter.mdc}, {chapter.reference()})"
    return Outcome("drg", "26509"), f"no rule of MDC {chapter.mdc} applies ({chapter.reference()})"


def _swap_pdx(f: Facts, new_pdx: str, new_mdc: str) -> Facts:
    """The facts with a secondary diagnosis as the principal one (pdx cluster from the same MDC's rows)."""
    from dataclasses import replace

    pdc, axs = f.sdx_info.get(new_pdx, ("", frozenset()))
    return replace(f, pdx=new_pdx, pdx_mdc=new_mdc, pdx_pdc=pdc, pdx_axs=axs)


# --- OR procedures unrelated to the principal diagnosis (Volume 1 p. 122) -----------------------------------

# Volume 1 p. 122, step (4): an OR procedure group's DC is <first><base + min(group, last)> in the case's MDC
# (MDC 18, 23 and 25 have DCs of their own; every other MDC takes MDC 26's). One definition for the per-case
# interpreter and the batch path's expression (drg/logic_columns.py).
GROUP_DC = {"18": ("18", 0, 5), "23": ("23", 3, 4), "25": ("25", 0, 4)}
GROUP_DC_OTHER = ("26", 0, 5)
# Groups 1 and 2 decide only short stays: the group → the stay (days) it must be shorter than.
SHORT_STAY_GROUPS = {1: 4, 2: 5}


def group_dc_parts(current: str) -> tuple[str, int, int]:
    return GROUP_DC.get(current, GROUP_DC_OTHER)


def unrelated_or(current: str, f: Facts) -> tuple[Outcome, str]:
    """Volume 1 p. 122: the OR procedures of the highest procedure group decide — (1) a principal diagnosis
    marked MOSDX moves the case to the procedure's main MDC; (2) else an MDC shared by those procedures and the
    secondary diagnoses moves it there, with that diagnosis as principal; (3) else a MOS procedure's DC (by its
    hierarchy); (4) else the DC of the procedure group (groups 1 and 2 only for short stays). No outcome: the
    chapter goes on with its next rule (kind "none")."""
    if not f.or_procs:
        return Outcome("none"), ""
    top = max(p.group for p in f.or_procs)
    best = sorted((p for p in f.or_procs if p.group == top), key=lambda p: (-p.level, _neg(p.code)))
    where = "(Volume 1 p. 122)"
    if f.pdx_mos and best[0].main_mdc:
        if best[0].main_mdc == current:
            return Outcome("none"), ""
        return Outcome("mdc", best[0].main_mdc), (f"PDx {f.pdx} may move with an OR procedure: {best[0].code}'s "
                                                  f"main MDC {best[0].main_mdc} {where}")
    moved = _by_secondary(best, f)
    if moved is not None:
        target, new_pdx = moved
        return Outcome("mdc", f"pdx:{target}:{new_pdx}"), (
            f"OR procedure unrelated to MDC {current} and secondary diagnosis {new_pdx} of MDC {target}: "
            f"{new_pdx} becomes the principal diagnosis {where}")
    mos = sorted(((p.mos_dc, p.mos_hierarchy or "9", p.code) for p in best if p.mos_dc), key=lambda t: t[1])
    if mos:
        return Outcome("dc", mos[0][0]), f"OR procedure {mos[0][2]} unrelated to MDC {current}: MOS DC {mos[0][0]} " \
                                         f"{where}"
    first, base, last = group_dc_parts(current)
    if any(top == g and not (f.los is not None and f.los < days) for g, days in SHORT_STAY_GROUPS.items()):
        return Outcome("none"), ""
    number = base + min(top, last)
    code = f"{first}{number:02d}"
    return Outcome("dc", code), f"OR procedure group {top} unrelated to MDC {current}: DC {code} {where}"


def _neg(code: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in code) + (1,)


def _by_secondary(best: list[Any], f: Facts) -> tuple[str, str] | None:
    main: dict[str, list[str]] = {}
    other: dict[str, list[str]] = {}
    for p in best:
        if p.main_mdc:
            main.setdefault(p.main_mdc, []).append(p.code)
        for m in p.other_mdcs:
            other.setdefault(m, []).append(p.code)
    both = (set(main) | set(other)) & set(f.sdx_mdcs)
    if not both:
        return None
    if len(both) > 1:
        for source in (main, other):
            matched = sorted(set(source) & both)
            if len(matched) == 1:
                both = set(matched)
                break
            if len(matched) > 1:
                _code, chosen = max((c, m) for m in matched for c in source[m])
                both = {chosen}
                break
        else:
            return None
    target = next(iter(both))
    return target, max(f.sdx_mdcs[target])
