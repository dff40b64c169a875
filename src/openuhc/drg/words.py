"""The grouper's explanation ("why this DRG") in the page's language.

The grouper writes its trace and reasons in English (they are stored with each grouping and read by the API). A
page shows them through `explain()`: each known sentence pattern has a translatable template; a sentence this
module does not know is shown as the grouper wrote it, so nothing is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

RULES = {
    "edit: principal diagnosis": gettext_lazy("check: principal diagnosis"),
    "edit: age": gettext_lazy("check: age"),
    "edit: obstetric consistency": gettext_lazy("check: pregnancy and sex"),
    "edit: sex": gettext_lazy("check: sex"),
    "edit: acceptable principal diagnosis": gettext_lazy("check: acceptable as a principal diagnosis"),
    "edit: secondary diagnosis": gettext_lazy("check: secondary diagnosis"),
    "edit: procedure": gettext_lazy("check: procedure"),
    "CC exclusion": gettext_lazy("complication exclusion"),
    "MDC": gettext_lazy("major diagnostic category (MDC)"),
    "partition": gettext_lazy("surgical or medical"),
    "DC": gettext_lazy("disease cluster (DC)"),
    "severity": gettext_lazy("severity level"),
    "hospital DRG": gettext_lazy("the hospital's DRG"),
    "DRG": gettext_lazy("DRG"),
}

ERRORS = {
    "dates_missing": gettext_lazy("admission or discharge date missing"),
    "negative_los": gettext_lazy("discharge before admission"),
    "unknown_drg": gettext_lazy("the DRG is not in the tables"),
    "bad_row": gettext_lazy("the row cannot be read"),
}


def _patterns() -> list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]]:
    def p(regex: str, render: Callable[[dict[str, str]], str]) -> tuple[re.Pattern[str], Callable[..., str]]:
        return re.compile(f"^{regex}$"), render

    return [
        p(r"decided by the tables", lambda g: _("decided by the tables")),
        p(r"no principal diagnosis", lambda g: _("no principal diagnosis")),
        p(r"principal diagnosis (?P<code>\S+) is not in TDRG (?P<v>\S+)",
          lambda g: _("principal diagnosis %(code)s is not in the tables %(v)s") % g),
        p(r"age missing or invalid", lambda g: _("age missing or not valid")),
        p(r"pregnancy diagnosis (?P<code>\S+) for a (?P<who>male|patient) aged (?P<age>\S+)",
          lambda g: _("pregnancy diagnosis %(code)s for a patient of this sex or age (%(age)s)") % g),
        p(r"principal diagnosis (?P<code>\S+) is not valid at age (?P<age>\S+)",
          lambda g: _("principal diagnosis %(code)s is not valid at age %(age)s") % g),
        p(r"principal diagnosis (?P<code>\S+) is not valid for this sex",
          lambda g: _("principal diagnosis %(code)s is not valid for this sex") % g),
        p(r"(?P<code>\S+) is not acceptable as a principal diagnosis",
          lambda g: _("%(code)s is not acceptable as a principal diagnosis") % g),
        p(r"valid \(MDC (?P<mdc>\S+), PDC (?P<pdc>\S+)\)",
          lambda g: _("valid (MDC %(mdc)s, diagnosis cluster %(pdc)s)") % g),
        p(r"dropped \(unknown code\)", lambda g: _("left out (not in the tables)")),
        p(r"dropped \(sex conflict\)", lambda g: _("left out (not valid for this sex)")),
        p(r"dropped \(age conflict\)", lambda g: _("left out (not valid at this age)")),
        p(r"does not count with (?P<pdx>\S+) \(exclusion group (?P<group>\S+)\)",
          lambda g: _("does not count with %(pdx)s (exclusion group %(group)s)") % g),
        p(r"pre-MDC procedure (?P<code>\S+) \((?P<desc>.*)\)",
          lambda g: _("procedure %(code)s comes before the MDCs (%(desc)s)") % g),
        p(r"newborn: age under 28 days", lambda g: _("newborn: under 28 days old")),
        p(r"from the principal diagnosis (?P<code>\S+) \(row for this sex\)",
          lambda g: _("from the principal diagnosis %(code)s (the row for this sex)") % g),
        p(r"from the principal diagnosis (?P<code>\S+)", lambda g: _("from the principal diagnosis %(code)s") % g),
        p(r"OR procedure (?P<code>\S+) is related to MDC (?P<mdc>\S+)",
          lambda g: _("operating-room procedure %(code)s belongs to MDC %(mdc)s") % g),
        p(r"(?P<code>\S+) is a general procedure \(DC (?P<dc>\S+)\)",
          lambda g: _("%(code)s is a general procedure (DC %(dc)s)") % g),
        p(r"OR procedure (?P<code>\S+) is unrelated to MDC (?P<mdc>\S+) \(procedure group (?P<group>\S+)\)",
          lambda g: _("operating-room procedure %(code)s is unrelated to MDC %(mdc)s (procedure group %(group)s)")
          % g),
        p(r"no OR procedure", lambda g: _("no operating-room procedure")),
        p(r"no DC (?P<dc>\S+) in TDRG (?P<v>\S+)", lambda g: _("no DC %(dc)s in the tables %(v)s") % g),
        p(r"the DC is not split by severity", lambda g: _("the DC has one severity level")),
        p(r"(?P<n>\d+) complication\(s\) that count \((?P<list>.*)\); level approximated by their number "
          r"\(the DCL table is not in the tables\)",
          lambda g: _("%(n)s complication(s) that count (%(list)s); the level is approximated by their number "
                      "(the tables hold no complexity levels)") % {**g, "list": _("none") if g["list"] == "none"
                                                                   else g["list"]}),
        p(r"medical DC (?P<dc>\S+) guessed from the diagnosis cluster (?P<pdc>\S+) without the manual's DC logic",
          lambda g: _("medical DC %(dc)s estimated from diagnosis cluster %(pdc)s, without the manual's DC rules")
          % g),
        p(r"pre-MDC DC chosen from the procedure's description \(ventilation hours are not in the tables\)",
          lambda g: _("DC chosen from the procedure's description (ventilation hours are not in the tables)")),
        p(r"newborn DC chosen by admission weight band and procedures; died/transferred rules not applied",
          lambda g: _("newborn DC chosen by admission weight and procedures, without the death and transfer rules")),
        p(r"surgical DC chosen without the manual's DC logic \(first surgical DC of the MDC\)",
          lambda g: _("surgical DC chosen without the manual's DC rules (the MDC's first surgical DC)")),
        p(r"severity digit approximated without the DCL table",
          lambda g: _("severity level approximated without the complexity table")),
        p(r"assigned by the official grouper at the hospital",
          lambda g: _("assigned by the official grouper at the hospital")),
        p(r"not in table version (?P<v>\S+): not used", lambda g: _("not in the tables %(v)s: not used") % g),
        p(r"hospital DRG (?P<drg>\S+) does not exist in TDRG (?P<v>\S+)",
          lambda g: _("the hospital's DRG %(drg)s is not in the tables %(v)s") % g),
        p(r"exists in the table version: accepted; our grouping agrees",
          lambda g: _("in the tables: accepted; our grouping agrees")),
        p(r"exists in the table version: accepted; our grouping gives (?P<drg>\S+) \((?P<rest>.*)\)",
          lambda g: _("in the tables: accepted; our grouping gives %(drg)s (%(rest)s)")
          % {"drg": g["drg"], "rest": translate(g["rest"])}),
        p(r"our grouping gives (?P<drg>\S+) \((?P<rest>.*)\)",
          lambda g: _("our grouping gives %(drg)s (%(rest)s)") % {"drg": g["drg"], "rest": translate(g["rest"])}),
        p(r"(?P<kind>exact|approximate): (?P<why>.*)",
          lambda g: f"{_('exact') if g['kind'] == 'exact' else _('approximate')}: {translate(g['why'])}"),
        p(r"age in days missing at age 0", lambda g: _("age in days missing for a patient under one year")),
        p(r"(?P<cond>.+) \(MDC (?P<mdc>\d\d), Volume 2 p\. (?P<page>\d+)\): the MDC of the principal diagnosis "
          r"(?P<code>\S+)",
          lambda g: _("%(cond)s (MDC %(mdc)s, manual Volume 2 p. %(page)s): the MDC of the principal diagnosis "
                      "%(code)s") % g),
        p(r"no rule of MDC (?P<mdc>\d\d) applies \(Volume 2 p\. (?P<page>\d+)\)",
          lambda g: _("no rule of MDC %(mdc)s applies (manual Volume 2 p. %(page)s)") % g),
        p(r"(?P<cond>.+) \(MDC (?P<mdc>\d\d), Volume 2 p\. (?P<page>\d+)\)",
          lambda g: _("%(cond)s (MDC %(mdc)s, manual Volume 2 p. %(page)s)") % g),
        p(r"OR procedure group (?P<group>\d+) unrelated to MDC (?P<mdc>\d\d): DC (?P<dc>\S+) \(Volume 1 p\. 122\)",
          lambda g: _("operating-room procedure group %(group)s unrelated to MDC %(mdc)s: DC %(dc)s "
                      "(manual Volume 1 p. 122)") % g),
        p(r"OR procedure (?P<code>\S+) unrelated to MDC (?P<mdc>\d\d): MOS DC (?P<dc>\S+) \(Volume 1 p\. 122\)",
          lambda g: _("operating-room procedure %(code)s unrelated to MDC %(mdc)s: its DC %(dc)s "
                      "(manual Volume 1 p. 122)") % g),
        p(r"OR procedure unrelated to MDC (?P<mdc>\d\d) and secondary diagnosis (?P<code>\S+) of MDC (?P<new>\d\d): "
          r"\S+ becomes the principal diagnosis \(Volume 1 p\. 122\)",
          lambda g: _("operating-room procedure unrelated to MDC %(mdc)s and secondary diagnosis %(code)s of MDC "
                      "%(new)s: %(code)s becomes the principal diagnosis (manual Volume 1 p. 122)") % g),
        p(r"PDx (?P<code>\S+) may move with an OR procedure: (?P<proc>\S+)'s main MDC (?P<mdc>\d\d) "
          r"\(Volume 1 p\. 122\)",
          lambda g: _("principal diagnosis %(code)s moves with operating-room procedure %(proc)s to its MDC %(mdc)s "
                      "(manual Volume 1 p. 122)") % g),
        p(r"PCL (?P<pcl>\d) from the DCLs in DC (?P<dc>\S+) \((?P<list>[^)]*)\)(?:; excluded: (?P<ex>.*?))?"
          r"(?P<ref> \(Volume 1 pp\. 170–171\))?",
          lambda g: _("complexity level (PCL) %(pcl)s from the diagnosis levels in DC %(dc)s (%(list)s)") % {
              **g, "list": _("none") if g["list"] == "none" else g["list"]}
          + ("; " + _("excluded: %(ex)s") % {"ex": g["ex"].replace(" by ", " ← ")} if g["ex"] else "")
          + (" (" + _("manual Volume 1 pp. 170–171") + ")" if g["ref"] else "")),
        p(r"no DRG for DC (?P<dc>\S+) in TDRG (?P<v>\S+)", lambda g: _("no DRG for DC %(dc)s in the tables %(v)s") % g),
        p(r"PCL ranges of DC (?P<dc>\S+) are not in the manual's files: those most DCs with its levels have were used",
          lambda g: _("the complexity ranges of DC %(dc)s are not in the manual's files: those of most DCs with the "
                      "same levels were used") % g),
        p(r"newborn without an admission weight: the weight band is taken as under 1,000 g",
          lambda g: _("newborn without an admission weight: taken as under 1,000 g")),
        p(r"MDC 14 reassignment of O98/O99 to a secondary diagnosis's MDC is not encoded: DC 1452 given",
          lambda g: _("moving O98/O99 to the MDC of a secondary diagnosis is not encoded yet: DC 1452 given")),
        p(r"kept as the hospital's, not used: our grouping is exact; it agrees",
          lambda g: _("kept as the hospital's, not used: our grouping is exact and agrees")),
        p(r"kept as the hospital's, not used: our grouping is exact",
          lambda g: _("kept as the hospital's, not used: our grouping is exact")),
        p(r"hospital DRG (?P<drg>\S+); our grouping gives (?P<ours>\S+) \(exact\)",
          lambda g: _("the hospital's DRG %(drg)s; our grouping gives %(ours)s (exact)") % g),
        p(r"surgical", lambda g: _("surgical")),
        p(r"medical", lambda g: _("medical")),
        p(r"MDC 26", lambda g: _("MDC 26 (procedure unrelated to the diagnosis)")),
    ]


_COMPILED: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = []


def translate(text: str | None) -> str:
    """One sentence of the grouper in the active language; several joined by "; " are translated one by one."""
    if not text:
        return ""
    if not _COMPILED:
        _COMPILED.extend(_patterns())
    whole = _one(str(text).strip())
    if whole is not None:
        return whole
    if "; " in str(text):
        return "; ".join(_one(part.strip()) or part for part in str(text).split("; "))
    return str(text)


def _one(sentence: str) -> str | None:
    for pattern, render in _COMPILED:
        match = pattern.match(sentence)
        if match:
            return render(match.groupdict())
    return None


def rule(name: str) -> str:
    return str(RULES.get(name, name))


def error(code: str | None) -> str:
    return str(ERRORS.get(code or "", code or ""))


def explain(trace: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """The trace's steps with their rule and reason in the active language."""
    return [{"rule": rule(step.get("rule", "")), "decided": translate(step.get("decided", "")),
             "why": translate(step.get("why", ""))} for step in trace or ()]


TABLES = {"diagnoses": gettext_lazy("diagnoses"), "procedures": gettext_lazy("procedures"),
          "drgs": gettext_lazy("DRGs"), "ccex": gettext_lazy("complication exclusions")}


def _register() -> None:
    from openuhc.core.codes import vocabulary

    vocabulary("drg_table", TABLES)


_register()
