"""Budget services: add a version of a fiscal year's configuration, find the one in force on a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from openuhc.budget.config import YearConfig, parse
from openuhc.budget.errors import BudgetError
from openuhc.budget.models import BudgetVersion
from openuhc.core.dates import fiscal_year, fiscal_year_bounds, format_date
from openuhc.core.errors import DomainError


def _scheme(code: str) -> Any:
    from openuhc.registry.models import Scheme

    scheme = Scheme.objects.filter(code=code).first()
    if scheme is None:
        raise DomainError(BudgetError.UNKNOWN_SCHEME, scheme=code)
    return scheme


def check_regions(config: YearConfig) -> None:
    from openuhc.geo.models import Region

    known = set(Region.objects.values_list("number", flat=True))
    for budget in config.ip_regions:
        if budget.region not in known:
            raise DomainError(BudgetError.UNKNOWN_REGION, region=budget.region)


def add_version(*, actor: Any, scheme: str, fiscal_year: int, valid_from: date, data: dict[str, Any] | YearConfig,
                note: str = "") -> BudgetVersion:
    """Record a new version (the old ones are never changed). `data` is checked field by field first."""
    config = data if isinstance(data, YearConfig) else parse(data)
    check_regions(config)
    start, end = fiscal_year_bounds(fiscal_year)
    if valid_from > end:
        raise DomainError(BudgetError.OUTSIDE_YEAR, fy=fiscal_year, end=format_date(end))
    scheme_row = _scheme(scheme)
    try:
        with transaction.atomic():
            last = BudgetVersion.objects.filter(scheme=scheme_row, fiscal_year=fiscal_year).aggregate(n=Max("number"))
            return BudgetVersion.objects.create(
                scheme=scheme_row, fiscal_year=fiscal_year, number=(last["n"] or 0) + 1, valid_from=valid_from,
                per_capita=config.per_capita, ip_base_rate=config.ip_base_rate, data=config.to_json(), note=note,
                recorded_by=actor)
    except IntegrityError:
        # The unique (scheme, year, number) constraint: another version was saved at the same moment.
        raise DomainError(BudgetError.SAVED_MEANWHILE) from None


def in_force(scheme: str, on: date) -> BudgetVersion:
    """The version of `scheme` in force on `on` (within the fiscal year that contains `on`)."""
    fy = fiscal_year(on)
    version = (BudgetVersion.objects.filter(scheme__code=scheme, fiscal_year=fy, valid_from__lte=on)
               .select_related("scheme").order_by("-valid_from", "-number").first())
    if version is None:
        raise DomainError(BudgetError.NO_CONFIG, scheme=scheme, on=format_date(on), fy=fy)
    return version


def versions(scheme: str, fy: int) -> list[BudgetVersion]:
    return list(BudgetVersion.objects.filter(scheme__code=scheme, fiscal_year=fy).select_related("recorded_by")
                .order_by("-number"))


def latest(scheme: str, fy: int) -> BudgetVersion | None:
    return (BudgetVersion.objects.filter(scheme__code=scheme, fiscal_year=fy).select_related("scheme")
            .order_by("-number").first())
