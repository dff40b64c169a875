"""The Apache Spark runner: the engine's chunks computed by a Spark cluster (or Spark in local mode), recorded by
this process — the driver — exactly as the in-process runner records them.

    run = runner.start("drg.group", "admissions.parquet", params=...)
    runner.resume(run, runner="spark", master="spark://head:7077")   # or local[2], yarn, k8s://...

- A row function's chunks: `spark.range(n, numPartitions=n).mapInArrow(ChunkTask)`, one task per chunk, each
  reading its chunk's row groups itself.
- A group function's (registry.groups): Spark reads the input, each row is given its chunk (whole groups, by
  engine.chunking) from its position in the file, and `groupBy(chunk).applyInArrow(GroupTask)` computes one chunk
  per call, rows put back in file order.

Either way a task computes through `worker.compute_table` and writes the chunk file and a receipt; only this
process writes to the database (leases, heartbeats, compare-and-set on chunks) while the job runs in a thread of
it; the output is assembled by `runner._assemble`, the same writer as in-process. Speculation is off.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import threading
import time
import uuid
from typing import Any

from django.conf import settings

from openuhc.core.errors import DomainError
from openuhc.core.jobs import Progress
from openuhc.engine import registry, runner, storage, worker
from openuhc.engine.errors import EngineError
from openuhc.engine.models import Chunk, Run
from openuhc.engine.spark_tasks import CHUNK, RESULT_SCHEMA, ROW, AssignChunks, ChunkTask, GroupTask, Job, receipt_path

_LOCK = threading.Lock()
_CURRENT: dict[str, Any] = {}  # master → SparkSession: one per process, as Spark allows
POLL_SECONDS = 0.5


def default_master() -> str:
    return getattr(settings, "OPENUHC_SPARK_MASTER", "") or "local[*]"


def _is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def extra_conf() -> dict[str, str]:
    text = getattr(settings, "OPENUHC_SPARK_CONF", "") or ""
    if not text.strip():
        return {}
    try:
        conf = json.loads(text)
    except json.JSONDecodeError as error:
        raise DomainError(EngineError.SPARK_CONF, reason=str(error)) from None
    if not isinstance(conf, dict):
        raise DomainError(EngineError.SPARK_CONF, reason="not an object")
    return {str(k): str(v) for k, v in conf.items()}


def missing() -> DomainError | None:
    """Why Spark cannot start here (pyspark or Java missing), or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError as error:
        return DomainError(EngineError.SPARK_MISSING, reason=str(error))
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not os.path.exists(java):
        return DomainError(EngineError.NO_JAVA, reason=f"JAVA_HOME={java_home}" if java_home else "no java on PATH")
    return None


def session(master: str) -> Any:
    """This process's SparkSession for `master`, started on first use. Local mode binds to 127.0.0.1 and needs no
    network; the web UI is off; speculation is off (a task runs again only when it failed)."""
    with _LOCK:
        if master in _CURRENT:
            return _CURRENT[master]
        if _CURRENT:
            raise DomainError(EngineError.SPARK_OTHER_MASTER, current=next(iter(_CURRENT)), master=master)
        problem = missing()
        if problem is not None:
            raise problem
        from pyspark.sql import SparkSession

        logging.getLogger("py4j").setLevel(logging.WARNING)  # not a line per closed connection

        conf = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", "spark.log.level": "ERROR",
                "spark.speculation": "false", "spark.app.name": "openuhc",
                "spark.sql.execution.arrow.pyspark.enabled": "true", "spark.python.worker.reuse": "true",
                "spark.executorEnv.DJANGO_SETTINGS_MODULE": "openuhc.settings"}
        if _is_local(master):
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers import OpenUHC from this environment
            conf.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                         "spark.sql.shuffle.partitions": "8"})
        conf.update(extra_conf())
        builder = SparkSession.builder.master(master)
        for key, value in conf.items():
            builder = builder.config(key, value)
        try:
            spark = builder.getOrCreate()
        except Exception as error:  # noqa: BLE001 - Java's and py4j's errors alike: refused with the reason
            raise DomainError(EngineError.SPARK_START, master=master, reason=str(error)[:500]) from None
        spark.sparkContext.setLogLevel("ERROR")
        _CURRENT[master] = spark
        return spark


def stop() -> None:
    with _LOCK:
        for spark in _CURRENT.values():
            spark.stop()
        _CURRENT.clear()


# --- a run on Spark ---------------------------------------------------------------------------------------

def _storage_for(run: Run) -> tuple[str, str]:
    """(the input every executor reads, the folder its chunk files go to). OPENUHC_SPARK_STORAGE set: the input is
    copied there once (its checksum checked) and the chunks are written there; unset: the run's own folder."""
    shared = getattr(settings, "OPENUHC_SPARK_STORAGE", "") or ""
    if not shared:
        return run.input_path, run.workdir
    folder = storage.join(shared, str(run.pk))
    if run.input_path.startswith(shared.rstrip("/") + "/"):
        return run.input_path, folder
    copy = storage.join(folder, f"input-{run.input_checksum[:16]}.parquet")
    if not storage.exists(copy) or storage.sha256(copy) != run.input_checksum:
        storage.copy(run.input_path, copy)
        if storage.sha256(copy) != run.input_checksum:
            raise DomainError(EngineError.INPUT_CHANGED)
    return copy, folder


def _lease_all(run: Run, owner: str, seconds: int) -> list[Chunk]:
    leased = []
    while (chunk := runner._lease(run, owner, seconds)) is not None:
        leased.append(chunk)
    return leased


def _plan(spark: Any, fn: registry.Registered, job: Job, chunks: list[Chunk], starts: tuple[int, ...]) -> Any:
    """The Spark job's plan (built in the job's thread: no database here)."""
    if not fn.shape.grouped:
        descriptors = tuple((c.index, c.first_group, c.last_group) for c in chunks)
        return spark.range(0, len(chunks), 1, numPartitions=len(chunks)).mapInArrow(
            ChunkTask(job, descriptors), RESULT_SCHEMA)
    from pyspark.sql import functions as F  # noqa: N812 - Spark's own convention
    from pyspark.sql.types import LongType, StructField, StructType

    source = storage.parquet(job.input_uri)
    frame = spark.read.parquet(job.input_uri).select("*", F.col("_metadata.row_index").alias(ROW))
    keyed_schema = StructType([*frame.schema.fields, StructField(CHUNK, LongType(), False)])
    spark.conf.set("spark.sql.shuffle.partitions", str(max(1, min(len(chunks), 2000))))
    keyed = frame.mapInArrow(AssignChunks(starts, frozenset(c.index for c in chunks)), keyed_schema)
    return keyed.groupBy(CHUNK).applyInArrow(GroupTask(job, source.schema_arrow).as_function(), RESULT_SCHEMA)


def _chunk_starts(run: Run, input_uri: str) -> tuple[int, ...]:
    """Each chunk's first row in the input file (a row's chunk follows from its position)."""
    meta = storage.parquet(input_uri).metadata
    offsets = [0]
    for group in range(meta.num_row_groups):
        offsets.append(offsets[-1] + meta.row_group(group).num_rows)
    firsts = Chunk.objects.filter(run=run).order_by("index").values_list("first_group", flat=True)
    return tuple(offsets[first] for first in firsts)


def run_chunks(spark: Any, run: Run, owner: str, progress: Progress, lease_seconds: int) -> None:
    """Lease every chunk not done (or held by a live driver), compute them in one Spark job, record each as its
    receipt appears (so a driver killed mid-job keeps what was finished), then what the job returned."""
    fn = registry.get(run.function)
    chunks = _lease_all(run, owner, lease_seconds)
    if not chunks:
        return
    input_uri, folder = _storage_for(run)
    targets = {c.index: storage.join(folder, f"chunk-{c.index:06d}.arrow") for c in chunks}
    job = Job(fn.name, fn.module, fn.standalone, input_uri, run.params, uuid.uuid4().hex, targets)
    empty = [c for c in chunks if c.rows == 0]  # no row reaches a group task: computed here (fn of no rows)
    for chunk in empty:
        rows, checksum = worker.compute_chunk(fn.name, input_uri, chunk.first_group, chunk.last_group,
                                                     run.params, targets[chunk.index], fn.module, fn.standalone)
        if runner._finish_chunk(run, chunk, owner, rows, checksum, targets[chunk.index]):
            progress.advance(1)
    chunks = [c for c in chunks if c.rows > 0]
    if not chunks:
        return
    outcome: dict[str, Any] = {}
    starts = _chunk_starts(run, input_uri) if fn.shape.grouped else ()

    def submit() -> None:
        try:
            spark.sparkContext.setJobDescription(f"openuhc {run.function} run {run.pk}: {len(chunks)} chunks")
            outcome["rows"] = _plan(spark, fn, job, chunks, starts).collect()
        except BaseException as error:  # noqa: BLE001 - handed to the driver's thread, which records it
            outcome["error"] = error

    thread = threading.Thread(target=submit, name=f"spark-{run.pk}", daemon=True)
    thread.start()
    pending = {c.index: c for c in chunks}
    last_beat = time.monotonic()
    while thread.is_alive():
        thread.join(timeout=POLL_SECONDS)
        _record_receipts(run, owner, job, pending, progress)
        if time.monotonic() - last_beat > lease_seconds / 3:
            runner._heartbeat(run, owner, lease_seconds)
            last_beat = time.monotonic()
    for row in outcome.get("rows", []):
        chunk = pending.pop(row["index"], None)
        if chunk is not None and runner._finish_chunk(run, chunk, owner, row["rows"], row["sha256"],
                                                      targets[chunk.index]):
            progress.advance(1)
    if "error" in outcome:
        _failed(run, owner, pending, outcome["error"])


def _record_receipts(run: Run, owner: str, job: Job, pending: dict[int, Chunk], progress: Progress) -> None:
    for index in list(pending):
        path = receipt_path(job.targets[index])
        if not storage.exists(path):
            continue
        receipt = json.loads(storage.read_bytes(path))
        if receipt.get("token") != job.token:
            continue  # left by an earlier job of this run
        chunk = pending.pop(index)
        if runner._finish_chunk(run, chunk, owner, receipt["rows"], receipt["sha256"], job.targets[index]):
            progress.advance(1)


def _failed(run: Run, owner: str, pending: dict[int, Chunk], error: BaseException) -> None:
    """The job failed after Spark's retries: the chunk that failed is marked failed with its error, the others go
    back to pending, the run is failed; `resume` retries them."""
    text = str(error)
    found = re.search(r"openuhc chunk (\d+): ([^\n]*)", text)
    index = int(found.group(1)) if found else None
    reason = found.group(2) if found else (text.strip().splitlines() or [type(error).__name__])[-1]
    for chunk_index, chunk in pending.items():
        if chunk_index != index:
            Chunk.objects.filter(pk=chunk.pk, lease_owner=owner, state=Chunk.State.LEASED).update(
                state=Chunk.State.PENDING, lease_owner="", lease_expires=None)
    if index is not None and index in pending:
        Chunk.objects.filter(pk=pending[index].pk, lease_owner=owner).update(state=Chunk.State.FAILED,
                                                                              error=reason[:2000])
        Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, error=f"chunk {index}: {reason}"[:2000])
        raise DomainError(EngineError.CHUNK_FAILED, index=index, reason=reason[:300]) from None
    Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, error=f"Spark: {reason}"[:2000])
    raise DomainError(EngineError.SPARK_FAILED, reason=reason[:300]) from None


# --- the installation check -------------------------------------------------------------------------------

def selftest_input(path: str, rows: int) -> str:
    """Rows of the types the engine's inputs use (text with Thai, dates, money, nulls), in row groups of 1,000."""
    from datetime import date, timedelta
    from decimal import Decimal

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "n": pa.array(range(rows), pa.int64()),
        "text": [f"ผู้ป่วย {i}" if i % 7 else None for i in range(rows)],
        "day": pa.array([date(2025, 10, 1) + timedelta(days=i % 365) for i in range(rows)], pa.date32()),
        "amount": pa.array([Decimal(i % 100_000) / 100 for i in range(rows)], pa.decimal128(16, 2)),
        "ratio": pa.array([i / 7 for i in range(rows)], pa.float64()),
    })
    pq.write_table(table, path, row_group_size=1_000)
    return path


def check(master: str, *, rows: int = 20_000) -> dict[str, Any]:
    """`engine.selftest` over the same input in-process and on Spark at `master`; the two checksums must be equal
    (EngineError.CHECK_DIFFERS otherwise). Leaves two runs titled "spark-check" in the runs list."""
    folder = runner.runs_dir() / "spark-check"
    folder.mkdir(parents=True, exist_ok=True)
    source = selftest_input(str(folder / f"input-{uuid.uuid4().hex[:8]}.parquet"), rows)
    session(master)  # started before the clock: the comparison is of the runs, not of Java's start
    timings, checksums, chunks = {}, {}, 0
    for name, options in (("local", {"runner": "in-process", "workers": 1}), ("spark", {"runner": "spark",
                                                                                     "master": master})):
        started = time.monotonic()
        run = runner.start("engine.selftest", source, rows_per_chunk=2_000, title=f"spark-check ({name})")
        run = runner.resume(run, **options)
        timings[name], checksums[name], chunks = time.monotonic() - started, run.output_checksum, run.total_chunks
    if checksums["spark"] != checksums["local"]:
        raise DomainError(EngineError.CHECK_DIFFERS, spark=checksums["spark"], local=checksums["local"])
    return {"local": checksums["local"], "spark": checksums["spark"], "local_seconds": timings["local"],
            "spark_seconds": timings["spark"], "chunks": chunks}
