"""Refreshing the analytics store and reading KPIs from it."""

from __future__ import annotations

import logging
from typing import Any

from django.utils import timezone

from openuhc.core.jobs import NullProgress, Progress
from openuhc.monitoring import facts as fact_module
from openuhc.monitoring import rollups, store
from openuhc.monitoring.models import StoreRefresh

log = logging.getLogger(__name__)


def refresh(*, months: list[fact_module.Month] | None = None, only: list[str] | None = None, actor: Any = None,
            trigger: str = "", progress: Progress | None = None) -> StoreRefresh:
    """Re-extract every fact (or `only` some) for the months kept, and swap each into the store whole."""
    progress = progress or NullProgress()
    months = months if months is not None else fact_module.default_months()
    names = [n for n in fact_module.FACTS if only is None or n in only]
    record = StoreRefresh.objects.create(first_month=months[0].label if months else "",
                                         last_month=months[-1].label if months else "", trigger=trigger,
                                         actor=actor if getattr(actor, "pk", None) else None)
    progress.stage("analytics", len(names))
    try:
        for name in names:
            fact = fact_module.FACTS[name](months)
            if isinstance(fact, fact_module.Extract):
                with fact:
                    record.rows[name] = store.write_query(name, fact.duck, fact.sql)
            else:
                record.rows[name] = store.write_fact(name, fact)
            progress.advance(1)
        record.rows.update(rollups.build_all())
    except Exception as error:
        log.exception("analytics refresh failed")
        record.status = StoreRefresh.Status.FAILED
        record.error = f"{type(error).__name__}: {error}"
        record.finished_at = timezone.now()
        record.save()
        raise
    record.status = StoreRefresh.Status.DONE
    record.finished_at = timezone.now()
    record.save()
    return record


def last_refresh() -> StoreRefresh | None:
    return StoreRefresh.objects.filter(status=StoreRefresh.Status.DONE).first()
