"""The budget designer's pages: a scenario form pre-filled from the data, saved scenarios, a comparison,
and exports. Every output shows the arithmetic behind it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import role_required
from openuhc.budget import scenarios
from openuhc.budget.designer import DesignError
from openuhc.budget.models import Scenario
from openuhc.core import exports
from openuhc.core.charts import Chart, Series
from openuhc.core.dates import fiscal_year, today
from openuhc.core.query import int_list_param, int_param
from openuhc.core.templatetags.uhc import subfund_name

DESIGNERS = (Role.NATIONAL, Role.ANALYST)
FIELDS = ("method", "unit_cost", "amount_per_head", "head_base", "cost_growth", "policy", "fixed")


def _inputs_from_post(post: Any) -> dict[str, Any]:
    codes = post.getlist("code")
    subs = []
    for code in codes:
        row = {"code": code, "name": post.get(f"{code}__name", code)}
        for field in FIELDS:
            row[field] = post.get(f"{code}__{field}", "")
        row["use"] = {band: post.get(f"{code}__use__{band}", "0") for band in scenarios.BANDS
                      if f"{code}__use__{band}" in post}
        subs.append(row)
    return {"fiscal_year": post.get("fiscal_year", ""),
            "population": {band: post.get(f"pop__{band}", "0") for band in scenarios.BANDS},
            "all_population": post.get("all_population", "0"), "population_growth": post.get("population_growth", "0"),
            "sub_funds": subs}


@role_required(*DESIGNERS)
def designer(request: HttpRequest) -> HttpResponse:
    based_on = None
    if request.method == "POST":
        inputs = _inputs_from_post(request.POST)
        based_on_id = int_param(request.POST, "based_on", low=1)
        based_on = Scenario.objects.filter(pk=based_on_id).first() if based_on_id else None
        try:
            if request.POST.get("action") == "save":
                scenario = scenarios.save(name=request.POST.get("name", ""), inputs=inputs, actor=request.user,
                                          based_on=based_on)
                messages.success(request, _("Scenario saved."))
                return redirect("budget:scenario", pk=scenario.pk)
            result = scenarios.compute(scenarios.design_from(inputs))
            error = None
        except DesignError as problem:
            result, error = None, problem
    else:
        source_id = int_param(request.GET, "from", low=1)
        source = Scenario.objects.filter(pk=source_id).first() if source_id else None
        if source is not None:
            inputs, based_on = source.inputs, source
        else:
            # a fiscal year in the Buddhist Era, as everywhere on the pages
            fy = int_param(request.GET, "fy", low=2500, high=2700) or fiscal_year(today()) + 1
            inputs = scenarios.defaults(fy)
        try:
            result, error = scenarios.compute(scenarios.design_from(inputs)), None
        except DesignError as problem:
            result, error = None, problem
    return render(request, "budget/designer.html", {
        "inputs": inputs, "result": result, "error": error, "bands": scenarios.BANDS, "based_on": based_on,
        "saved": Scenario.objects.select_related("created_by")[:50]})


@role_required(*DESIGNERS)
def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Scenario, pk=pk)
    result = scenarios.result_of(item)
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        return exports.xlsx_response(f"scenario-{item.pk}.xlsx", _sheets([item], [result]))
    if fmt == "pdf":
        header, rows = _comparison_rows([item], [result])
        return exports.table_pdf_response(f"scenario-{item.pk}.pdf", str(item), header, rows)
    return render(request, "budget/scenario.html", {"scenario": item, "result": result, "bands": scenarios.BANDS})


def _comparison_rows(items: list[Scenario], results: list[Any]) -> tuple[list[str], list[list[Any]]]:
    codes: list[str] = []
    names: dict[str, str] = {}
    for result in results:
        for sub in result.sub_funds:
            if sub.code not in codes:
                codes.append(sub.code)
                names[sub.code] = sub.name
    header = [_("Sub-fund")] + [f"{s.name} (FY{s.fiscal_year})" for s in items]
    rows = []
    for code in codes:
        rows.append([subfund_name(code, names[code])]
                    + [next((sub.per_capita for sub in r.sub_funds if sub.code == code), None) for r in results])
    rows.append([_("Per capita (baht)")] + [r.per_capita for r in results])
    rows.append([_("Members")] + [r.members for r in results])
    rows.append([_("Total budget (baht)")] + [r.total for r in results])
    return header, rows


def _sheets(items: list[Scenario], results: list[Any]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    header, rows = _comparison_rows(items, results)
    sheets = {_("Comparison"): (header, rows)}
    for item, result in zip(items, results, strict=True):
        lines = []
        for sub in result.sub_funds:
            for term in sub.terms:
                lines.append([sub.code, term.label, " × ".join(f"{k} {v}" for k, v in term.factors), term.value])
            lines.append([sub.code, _("cost"), "", sub.cost])
            lines.append([sub.code, _("per capita"), f"{sub.cost} / {result.members}", sub.per_capita])
        sheets[f"{item.pk} {item.name}"[:31]] = ([_("Sub-fund"), _("Term"), _("Arithmetic"), _("Baht")], lines)
    return sheets


@role_required(*DESIGNERS)
def compare(request: HttpRequest) -> HttpResponse:
    ids = int_list_param(request.GET, "ids", most=6)
    items = list(Scenario.objects.filter(pk__in=ids).order_by("pk"))
    if len(items) < 1:
        raise Http404
    results = [scenarios.result_of(s) for s in items]
    header, rows = _comparison_rows(items, results)
    fmt = request.GET.get("format", "")
    if fmt == "xlsx":
        return exports.xlsx_response("scenarios.xlsx", _sheets(items, results))
    if fmt == "pdf":
        return exports.table_pdf_response("scenarios.pdf", _("Budget scenarios compared"), header, rows)
    codes = [row[0] for row in rows[:-3]]
    chart = Chart("scenarios", _("Per capita by sub-fund"), labels=codes,
                  series=[Series(str(s), [row[i + 1] for row in rows[:-3]]) for i, s in enumerate(items)])
    return render(request, "budget/compare.html", {"header": header, "rows": rows, "chart": chart, "items": items})
