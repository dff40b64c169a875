"""Pricing a payment round on the batch engine, shared by inpatient and fee-schedule rounds.

Not one transaction, on purpose: the engine commits its chunks one by one so that a killed compute resumes where
it stopped. Three steps, each safe to repeat:
1. stage (atomic, per kind): the run's input written to a Parquet file whose row groups never split what must be
   priced together, an engine run started and linked to the payment run (compare-and-set from empty);
2. the engine run is resumed (leases, heartbeats, progress; chunks of a killed process are taken back);
3. record (atomic, per kind): the priced lines are paid once and the run's totals written (compare-and-set).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from openuhc.core.errors import DomainError
from openuhc.payment.errors import PaymentError
from openuhc.payment.models import PaymentRun


def write_row_groups(table: pa.Table, path: Path, groups: pa.Array) -> Path:
    """Write `table` with one Parquet row group per value of `groups` (an int64 key per row), in key order then
    claim_id order; written atomically. An engine chunk is whole row groups, so a group is never split."""
    table = table.append_column("_group", groups).sort_by([("_group", "ascending"), ("claim_id", "ascending")])
    keys = table.column("_group").to_pylist()
    table = table.drop_columns(["_group"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with pq.ParquetWriter(tmp, table.schema) as writer:
        first = 0
        for i in range(1, len(keys) + 1):
            if i == len(keys) or keys[i] != keys[first]:
                writer.write_table(table.slice(first, i - first), row_group_size=i - first)
                first = i
    os.replace(tmp, path)
    return path


def start_engine(run: PaymentRun, source: Path, *, function: str, params: dict[str, Any], version: Any, title: str,
                 actor: Any) -> PaymentRun:
    """Start the engine run (one chunk per row group) and link it to the payment run, compare-and-set from empty:
    two computes staging at the same moment cannot both link one."""
    from openuhc.engine import runner

    engine = runner.start(function, source, params=params, reference_version=f"{version}", rows_per_chunk=1,
                          title=title, actor=actor)
    if PaymentRun.objects.filter(pk=run.pk, engine_run="").update(engine_run=str(engine.pk),
                                                                   budget_version=version) != 1:
        raise DomainError(PaymentError.CHANGED_MEANWHILE)
    run.engine_run, run.budget_version = str(engine.pk), version
    return run


def compute(*, actor: Any, run: PaymentRun, stage: Callable[[], PaymentRun],
            record: Callable[..., PaymentRun], workers: int = 1, progress: Any = None,
            attempts: int = 5) -> PaymentRun:
    """Stage → engine → record. A compute killed anywhere is finished by calling this again. A record step that
    finds that what the round was priced against changed meanwhile (another round paid the same claims, spent the
    same budget or used the same caps) lets the engine run go (`release`) and the round is priced again."""
    from openuhc.engine import runner
    from openuhc.engine.models import Run

    for _attempt in range(attempts):
        run = stage()
        if run.computed_at is not None:
            return run
        engine = Run.objects.get(pk=run.engine_run)
        engine = runner.resume(engine, workers=_useful_workers(engine, workers), progress=progress)
        run = record(actor=actor, run=run, engine=engine)
        if run.computed_at is not None:
            return run
    raise DomainError(PaymentError.CHANGED_MEANWHILE)


def _useful_workers(engine: Any, workers: int) -> int:
    """No more workers than chunks left: a region's round is often one chunk (one budget year), and a pool of
    processes started for it would spend more time starting than pricing; one chunk is priced in this process."""
    from openuhc.engine.models import Chunk

    pending = Chunk.objects.filter(run=engine).exclude(state=Chunk.State.DONE).count()
    return max(1, min(workers, pending))


def release(run: PaymentRun, engine: Any) -> PaymentRun:
    """Let go of an engine run whose input is stale (compare-and-set): the next stage starts a new one."""
    PaymentRun.objects.filter(pk=run.pk, engine_run=str(engine.pk)).update(engine_run="")
    run.engine_run = ""
    return run


def lock_for_record(run: PaymentRun) -> PaymentRun:
    """Step 3's start, for every kind: the payment run locked for the rest of the transaction (only its own row:
    PostgreSQL refuses FOR UPDATE on the nullable side of the budget version's outer join). A caller returns it
    as it is when `computed_at` is set — recorded already, by this compute or another."""
    return PaymentRun.objects.select_for_update(of=("self",)).select_related("scheme", "region", "budget_version").get(
        pk=run.pk)


def priced_lines(run: PaymentRun, engine: Any, keep: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """The engine's priced lines, with the input's columns `keep` (None: every input column the pricing function
    does not return) put back on each line by claim_id."""
    from openuhc.engine import runner

    if engine.status != "done":
        done = engine.chunks.filter(state="done").count()
        raise DomainError(PaymentError.PRICING_UNFINISHED, run=run.pk, done=done, total=engine.total_chunks)
    priced = runner.output(engine)
    names = pq.read_schema(engine.input_path).names
    wanted = [n for n in names if n not in priced.column_names] if keep is None else [n for n in keep if n in names]
    lines = priced.to_pylist()
    if wanted and lines:
        source = pq.read_table(engine.input_path, columns=["claim_id", *wanted])
        by_id = {row.pop("claim_id"): row for row in source.to_pylist()}
        for line in lines:
            line.update(by_id[line["claim_id"]])
    return lines


def progress(run: PaymentRun) -> dict[str, Any] | None:
    """The linked engine run's state for the run page: status, chunks done and in all."""
    if not run.engine_run:
        return None
    from openuhc.engine.models import Chunk, Run

    engine = Run.objects.filter(pk=run.engine_run).first()
    if engine is None:
        return None
    done = Chunk.objects.filter(run=engine, state=Chunk.State.DONE).count()
    return {"run": engine, "done": done, "total": engine.total_chunks}
