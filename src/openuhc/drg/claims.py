"""Grouping stored admissions: accepted (or already grouped or held) IP claims → the engine → ClaimGrouping rows,
and the claims moved on by `claims.lifecycle.record_groupings` (grouped; held for review when approximate;
rejected with its code for an error DRG). A case the grouper cannot weigh keeps its status and gets its error.

The batch runs the columnar grouper and stores no trace: the claim page's "why this DRG" is recomputed when
asked (`explained`) by the per-case grouper from the claim's admission, the grouping's table version and the
run's weighing rule — the one logic both paths share (drg.logic), on data that do not change (a claim is never
edited: a resubmission is a new claim)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.db import connection, transaction
from django.utils import timezone

from openuhc.core.jobs import NullProgress, Progress
from openuhc.drg.engine_functions import params_for, rows_per_chunk
from openuhc.drg.models import ClaimGrouping
from openuhc.drg.services import tables_for

GROUPABLE = ("accepted", "grouped", "held")
_GROUPING_COLUMNS = ["claim_id", "table_version", "drg", "rw", "adjrw", "los", "exact", "reason", "source",
                     "disagreement", "error", "trace", "run_id", "created_at"]


def group_claims(queryset: Any, *, actor: Any = None, workers: int | None = None,
                 progress: Progress | None = None) -> dict[str, int]:
    """Group the IP claims of `queryset` that are accepted or grouped; returns counts by outcome."""
    from openuhc.claims.models import Claim
    from openuhc.claims.services import admissions_table
    from openuhc.engine import runner

    progress = progress or NullProgress()
    tables = tables_for()
    claims = queryset.filter(kind=Claim.Kind.IP, is_current=True, status__in=GROUPABLE)
    table = admissions_table(claims)
    counts = {"grouped": 0, "held": 0, "rejected": 0, "errors": 0, "approximate": 0, "disagreements": 0}
    if table.num_rows == 0:
        return counts
    with tempfile.TemporaryDirectory(prefix="openuhc-group-") as folder:
        source = Path(folder) / "admissions.parquet"
        pq.write_table(table, source, row_group_size=25_000)
        run = runner.start("drg.group", source, params=params_for(tables), reference_version=tables.version,
                           rows_per_chunk=rows_per_chunk(table.num_rows, workers or runner.default_workers()),
                           title=f"group {table.num_rows} admissions", actor=actor)
        run = runner.resume(run, workers=workers, progress=progress)
        out = runner.output(run)
    rows = out.select(["claim_id", *_GROUPING_COLUMNS[1:11]]).to_pylist()
    progress.stage("record", len(rows))
    with transaction.atomic():
        _store_groupings(rows, run)
        counts.update(_record(rows, run, actor))
    progress.advance(len(rows))
    return counts


def _store_groupings(rows: list[dict[str, Any]], run: Any) -> None:
    """The ClaimGrouping rows in one write (COPY on PostgreSQL); the trace is left to `explained`."""
    from openuhc.core import bulk

    created = connection.ops.adapt_datetimefield_value(timezone.now())
    run_id = ClaimGrouping._meta.get_field("run").get_db_prep_save(run.pk, connection)  # a UUID, as each db stores it
    bulk.insert_rows(ClaimGrouping, _GROUPING_COLUMNS, (
        (row["claim_id"], row["table_version"], row["drg"] or "", row["rw"], row["adjrw"], row["los"],
         bool(row["exact"]), row["reason"] or "", row["source"] or "openuhc", row["disagreement"] or "",
         row["error"] or "", "[]", run_id, created) for row in rows))


def _record(rows: list[dict[str, Any]], run: Any, actor: Any) -> dict[str, int]:
    """The weighed admissions moved on in bulk; one the grouper could not weigh keeps its status."""
    from openuhc.claims.lifecycle import Grouped, record_groupings

    weighed = [row for row in rows if not row["error"] and row["adjrw"] is not None]
    counts = record_groupings([Grouped(claim_id=row["claim_id"], drg=row["drg"] or "", exact=bool(row["exact"]),
                                       detail={"drg": row["drg"], "adjrw": str(row["adjrw"]),
                                               "exact": bool(row["exact"]), "table_version": row["table_version"],
                                               "run": str(run.pk)})
                               for row in weighed], actor=actor)
    return {**counts, "errors": len(rows) - len(weighed),
            "approximate": sum(1 for row in weighed if not row["exact"]),
            "disagreements": sum(1 for row in weighed if row["disagreement"])}


def explained(grouping: ClaimGrouping | None) -> ClaimGrouping | None:
    """The grouping with its "why this DRG": a batch grouping stores none, so the per-case grouper recomputes it
    from the claim's admission with the grouping's table version and its run's weighing rule. A result that
    differs from the stored DRG (which the shared logic should never give) shows no steps rather than wrong ones."""
    if grouping is None or grouping.trace:
        return grouping
    from openuhc.claims.models import Claim
    from openuhc.claims.services import admissions_table
    from openuhc.drg.grouper import group_row
    from openuhc.drg.params import weighing_schedule
    from openuhc.drg.tables import by_version

    tables = by_version(grouping.table_version)
    rows = admissions_table(Claim.objects.filter(pk=grouping.claim_id)).to_pylist()
    if tables is None or not rows:
        return grouping
    schedule = grouping.run.params.get("weighing") if grouping.run_id else None
    result = group_row(rows[0], tables, schedule if schedule is not None else weighing_schedule())
    if (result.drg or "") == grouping.drg:
        grouping.trace = result.trace
    return grouping


def latest(claim: Any) -> ClaimGrouping | None:
    return ClaimGrouping.objects.filter(claim=claim).order_by("-id").first()


def latest_explained(claim: Any) -> ClaimGrouping | None:
    """The newest grouping with its "why this DRG" (the claim page)."""
    return explained(latest(claim))


def latest_adjrw(claim_ids: list[int]) -> dict[int, ClaimGrouping]:
    """The newest grouping of each claim (one query)."""
    found: dict[int, ClaimGrouping] = {}
    for grouping in ClaimGrouping.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "-id"):
        found.setdefault(grouping.claim_id, grouping)
    return found


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
