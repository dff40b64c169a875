"""Grouping stored admissions: accepted (or already grouped or held) IP claims → the engine → ClaimGrouping rows,
and each claim moved on by `claims.lifecycle.record_grouping` (grouped; held for review when approximate;
rejected with its code for an error DRG). A case the grouper cannot weigh keeps its status and gets its error."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.db import transaction

from openuhc.core.jobs import NullProgress, Progress
from openuhc.drg.engine_functions import params_for
from openuhc.drg.models import ClaimGrouping
from openuhc.drg.services import tables_for

GROUPABLE = ("accepted", "grouped", "held")


def group_claims(queryset: Any, *, actor: Any = None, workers: int | None = None,
                 progress: Progress | None = None) -> dict[str, int]:
    """Group the IP claims of `queryset` that are accepted or grouped; returns counts by outcome."""
    from openuhc.claims.lifecycle import record_grouping
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
        run = runner.start("drg.group", source, params=params_for(tables, trace=True), reference_version=tables.version,
                           title=f"group {table.num_rows} admissions", actor=actor)
        run = runner.resume(run, workers=workers, progress=progress)
        out = runner.output(run)
    by_id = {c.pk: c for c in Claim.objects.filter(pk__in=out.column("claim_id").to_pylist())}
    progress.stage("record", out.num_rows)
    with transaction.atomic():
        rows = []
        for row in out.to_pylist():
            claim = by_id[row["claim_id"]]
            rows.append(ClaimGrouping(
                claim=claim, table_version=row["table_version"], drg=row["drg"] or "", rw=row["rw"],
                adjrw=row["adjrw"], los=row["los"], exact=bool(row["exact"]), reason=row["reason"] or "",
                source=row["source"] or "openuhc", disagreement=row["disagreement"] or "", error=row["error"] or "",
                trace=json.loads(row["trace"] or "[]"), run=run))
            if row["error"] or row["adjrw"] is None:
                counts["errors"] += 1
                continue
            outcome = record_grouping(claim, drg=row["drg"] or "", exact=bool(row["exact"]), actor=actor, detail={
                "drg": row["drg"], "adjrw": str(row["adjrw"]), "exact": bool(row["exact"]),
                "table_version": row["table_version"], "run": str(run.pk)})
            counts[outcome] += 1
            counts["approximate"] += 0 if row["exact"] else 1
            counts["disagreements"] += 1 if row["disagreement"] else 0
            progress.advance(1)
        ClaimGrouping.objects.bulk_create(rows)
    return counts


def latest(claim: Any) -> ClaimGrouping | None:
    return ClaimGrouping.objects.filter(claim=claim).order_by("-id").first()


def latest_adjrw(claim_ids: list[int]) -> dict[int, ClaimGrouping]:
    """The newest grouping of each claim (one query)."""
    found: dict[int, ClaimGrouping] = {}
    for grouping in ClaimGrouping.objects.filter(claim_id__in=claim_ids).order_by("claim_id", "-id"):
        found.setdefault(grouping.claim_id, grouping)
    return found


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
