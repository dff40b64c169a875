"""The in-process runner: chunks of a Parquet input through a registered pure function, on all cores.

    run = runner.start("drg.group", "admissions.parquet", params={...})
    runner.resume(run, workers=2, progress=TerminalProgress())   # runs to the end; safe to call again

How a killed run is picked up: every chunk is leased (owner, expiry) with a compare-and-set UPDATE before it
is computed, its output is written to its own file and renamed into place, and only then marked done. A run
whose process was killed leaves chunks "leased"; `resume` takes them back when the lease has expired or when
the owner's process is gone (same host), recomputes them, and concatenates the chunk files in chunk order.
The functions are deterministic and the writer settings fixed, so the output is byte-identical to an
uninterrupted run (tested by killing a run mid-way).

Worker processes only compute: they read row groups, call the function, write a file. All database work
(leases, heartbeats, states) is done by the coordinating process.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
import time
import uuid
from collections import deque
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from openuhc.core.errors import DomainError
from openuhc.core.jobs import NullProgress, Progress
from openuhc.core.processes import owner_gone as _owner_gone
from openuhc.core.processes import owner_id
from openuhc.engine import chunking, registry, storage, worker
from openuhc.engine.errors import EngineError
from openuhc.engine.models import Chunk, Run

DEFAULT_ROWS_PER_CHUNK = 50_000
LEASE_SECONDS = 60
WRITE_OPTIONS = worker.WRITE_OPTIONS


def runs_dir() -> Path:
    configured = getattr(settings, "OPENUHC_ENGINE_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "runs"


sha256 = worker.sha256


# --- starting ---------------------------------------------------------------------------------------------

def start(function: str, input_path: str | Path, *, params: dict[str, Any] | None = None, reference_version: str = "",
          rows_per_chunk: int = DEFAULT_ROWS_PER_CHUNK, title: str = "", actor: Any = None) -> Run:
    """Record a run and its chunks (whole row groups of the input, about `rows_per_chunk` rows each; for a group
    function, whole groups too: engine.chunking)."""
    fn = registry.get(function)
    source = str(input_path) if storage.is_uri(str(input_path)) else str(Path(input_path).resolve())
    try:
        source_file = storage.parquet(source)
    except (OSError, pa.ArrowInvalid):
        raise DomainError(EngineError.NO_INPUT, path=str(input_path)) from None
    meta = source_file.metadata
    ranges = chunking.by_rows(meta, rows_per_chunk)
    if fn.shape.grouped:  # never a group across two chunks (and so across two Spark tasks)
        ranges = chunking.whole_groups(source_file, ranges, fn.shape.keys, function)
    run = Run.objects.create(function=function, function_version=fn.version, title=title or function,
                             input_path=source, input_checksum=sha256(source), params=params or {},
                             reference_version=reference_version, workdir="", total_rows=meta.num_rows,
                             created_by=actor if getattr(actor, "pk", None) else None)
    run.workdir = str(runs_dir() / str(run.pk))
    Chunk.objects.bulk_create(Chunk(run=run, index=i, first_group=first, last_group=last, rows=rows)
                              for i, (first, last, rows) in enumerate(ranges))
    run.total_chunks = len(ranges)
    run.save(update_fields=["workdir", "total_chunks"])
    return run


# --- leasing ----------------------------------------------------------------------------------------------

def _lease(run: Run, owner: str, seconds: int) -> Chunk | None:
    now = timezone.now()
    candidates = (Chunk.objects.filter(run=run, state__in=[Chunk.State.PENDING, Chunk.State.LEASED])
                  .order_by("index").values_list("pk", "state", "lease_owner", "lease_expires"))
    for pk, state, old_owner, expires in candidates:
        if state == Chunk.State.LEASED and old_owner != owner and expires is not None and expires >= now \
                and not _owner_gone(old_owner):
            continue  # someone alive holds it
        if state == Chunk.State.LEASED and old_owner == owner:
            continue  # ours already, being computed
        taken = Chunk.objects.filter(pk=pk, state=state, lease_owner=old_owner).update(
            state=Chunk.State.LEASED, lease_owner=owner, lease_expires=now + timedelta(seconds=seconds),
            heartbeat_at=now, attempts=F("attempts") + 1, error="")
        if taken:
            return Chunk.objects.get(pk=pk)
    return None


def _heartbeat(run: Run, owner: str, seconds: int) -> None:
    now = timezone.now()
    Chunk.objects.filter(run=run, state=Chunk.State.LEASED, lease_owner=owner).update(
        heartbeat_at=now, lease_expires=now + timedelta(seconds=seconds))


# --- computing: openuhc.engine.worker (in worker processes, or inline) ---------------------------------

def default_workers() -> int:
    configured = getattr(settings, "OPENUHC_ENGINE_WORKERS", None)
    return int(configured) if configured else max(1, os.cpu_count() or 1)


# --- running ----------------------------------------------------------------------------------------------

RUNNERS = ("in-process", "spark")


def resume(run: Run, *, workers: int | None = None, progress: Progress | None = None,
           lease_seconds: int = LEASE_SECONDS, runner: str | None = None, master: str | None = None) -> Run:
    """Compute every chunk not done yet (taking back expired or orphaned leases), then assemble the output.

    `runner`: "in-process" (this machine: `workers` threads or processes) or "spark" (Apache Spark at `master`);
    by default OPENUHC_ENGINE_RUNNER and OPENUHC_SPARK_MASTER. Either runner computes the same chunks through
    the same code, so a run may be started on one and resumed on the other."""
    progress = progress or NullProgress()
    runner = runner or getattr(settings, "OPENUHC_ENGINE_RUNNER", "in-process")
    if runner not in RUNNERS:
        raise DomainError(EngineError.UNKNOWN_RUNNER, runner=runner)
    run = Run.objects.get(pk=run.pk)
    if run.status == Run.Status.DONE:
        return run
    if sha256(run.input_path) != run.input_checksum:
        raise DomainError(EngineError.INPUT_CHANGED)
    fn = registry.get(run.function)
    owner = owner_id()
    if runner == "spark":
        from openuhc.engine import spark

        master = master or spark.default_master()
        session = spark.session(master)  # before any state changes: a missing Java or pyspark refuses here
        described = Run.spark_runner(master)
    else:
        workers = workers or default_workers()
        kind = fn.pool(run.params)
        described = Run.in_process_runner(workers, threads=kind == "threads",
                                          one_thread=kind == registry.MIXED and workers > 1)
    Chunk.objects.filter(run=run, state=Chunk.State.FAILED).update(state=Chunk.State.PENDING)  # a retry
    Run.objects.filter(pk=run.pk).update(status=Run.Status.RUNNING, error="", function_version=fn.version,
                                         runner=described)
    progress.stage("chunks", run.total_chunks)
    progress.advance(Chunk.objects.filter(run=run, state=Chunk.State.DONE).count())
    if runner == "spark":
        spark.run_chunks(session, run, owner, progress, lease_seconds)
    elif workers <= 1:
        _run_inline(run, owner, progress, lease_seconds)
    else:
        early = _Early(run)
        try:
            _run_pool(run, owner, workers, progress, lease_seconds, early)
        except BaseException:
            early.discard()
            raise
        return _assemble(run, early)
    return _assemble(run)


def _target(run: Run, chunk: Chunk) -> str:
    return str(Path(run.workdir) / f"chunk-{chunk.index:06d}.arrow")


def _finish_chunk(run: Run, chunk: Chunk, owner: str, rows: int, checksum: str, path: str = "") -> bool:
    """Done, compare-and-set on our own lease: a process that lost its lease cannot overwrite anyone."""
    return bool(Chunk.objects.filter(pk=chunk.pk, state=Chunk.State.LEASED, lease_owner=owner).update(
        state=Chunk.State.DONE, output_path=path or _target(run, chunk), output_checksum=checksum, rows=rows,
        lease_expires=None))


def _fail(run: Run, chunk: Chunk, owner: str, error: BaseException) -> None:
    message = f"{type(error).__name__}: {error}"
    Chunk.objects.filter(pk=chunk.pk, lease_owner=owner).update(state=Chunk.State.FAILED, error=message[:2000])
    Run.objects.filter(pk=run.pk).update(status=Run.Status.FAILED, error=f"chunk {chunk.index}: {message}"[:2000])
    raise DomainError(EngineError.CHUNK_FAILED, index=chunk.index, reason=message[:300]) from error


def _run_inline(run: Run, owner: str, progress: Progress, lease_seconds: int) -> None:
    while (chunk := _lease(run, owner, lease_seconds)) is not None:
        try:
            rows, checksum = worker.compute_chunk(run.function, run.input_path, chunk.first_group, chunk.last_group,
                                                  run.params, _target(run, chunk))
        except Exception as error:  # noqa: BLE001 - recorded on the chunk and the run, then raised
            _fail(run, chunk, owner, error)
        if _finish_chunk(run, chunk, owner, rows, checksum):
            progress.advance(1)


def _run_pool(run: Run, owner: str, workers: int, progress: Progress, lease_seconds: int,
              early: _Early | None = None) -> None:
    fn = registry.get(run.function)
    pool: Executor
    kind = fn.pool(run.params)
    threads = kind == "threads"
    if threads:  # native code that releases the GIL: threads of this process, nothing to start
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"engine-{run.pk}")
    elif kind == registry.MIXED:
        pool = _Mixed(run, workers)
    else:
        pool = _processes(workers)
    # One chunk queued per worker beyond the one it computes: a worker that finishes starts the next at once
    # instead of waiting for this process to record the chunk done and lease another (a few database round
    # trips, tens of milliseconds per chunk under load). Queued chunks are leased and kept alive by the heartbeat.
    depth = 2 * workers
    try:
        running: dict[Future, Chunk] = {}
        last_beat = time.monotonic()
        while True:
            while len(running) < depth and (chunk := _lease(run, owner, lease_seconds)) is not None:
                # a thread hands its result over in memory as well: the early output appends it without reading
                # its file back and checksumming it again on this thread (about 30 ms a 100,000-row chunk)
                running[pool.submit(worker.compute_chunk, run.function, run.input_path, chunk.first_group,
                                    chunk.last_group, run.params, _target(run, chunk), fn.module,
                                    fn.standalone, keep=kind != "processes" and early is not None)] = chunk
            if not running:
                break
            done, _ = wait(running, timeout=max(1.0, lease_seconds / 3), return_when=FIRST_COMPLETED)
            for future in done:
                chunk = running.pop(future)
                try:
                    rows, checksum, *kept = future.result()
                except Exception as error:  # noqa: BLE001
                    for other in running:
                        other.cancel()
                    _fail(run, chunk, owner, error)
                if _finish_chunk(run, chunk, owner, rows, checksum):
                    progress.advance(1)
                    if early is not None:
                        early.done(chunk.index, _target(run, chunk), checksum, kept[0] if kept else None)
            if time.monotonic() - last_beat > lease_seconds / 3:
                _heartbeat(run, owner, lease_seconds)
                last_beat = time.monotonic()
    except BaseException:
        pool.shutdown(wait=True)  # as `with pool:` did: a failed or interrupted run returns once its workers stop
        raise
    # Every chunk is in: the output is assembled without waiting for the worker processes to exit (a spawned
    # interpreter's teardown, about 0.1 s). The pool's management thread still joins them, and this process
    # waits for that thread when it exits (concurrent.futures' exit hook); `worker.setup`'s watch stays.
    pool.shutdown(wait=False)


def _processes(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=worker.setup)


class _Mixed(Executor):
    """One worker thread of this process and `workers - 1` worker processes (registry.MIXED). Chunks wait here
    and go to whichever worker is free first, so that no chunk waits behind another while a worker is idle at the
    end. The thread starts at once, with what this process has loaded, while the processes start; only the
    thread hands its result over in memory (`keep`)."""

    def __init__(self, run: Run, workers: int) -> None:
        self.sides: dict[str, Executor] = {"thread": ThreadPoolExecutor(max_workers=1,
                                                                        thread_name_prefix=f"engine-{run.pk}")}
        self.room = {"thread": 1}
        if workers > 1:
            self.sides["processes"] = _processes(workers - 1)
            self.room["processes"] = workers - 1
        self.waiting: deque[tuple[Future, Any, tuple[Any, ...], dict[str, Any]]] = deque()
        self.lock = threading.RLock()  # the callbacks run on the pools' threads

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future:
        outer: Future = Future()
        with self.lock:
            self.waiting.append((outer, fn, args, kwargs))
            self._dispatch()
        return outer

    def _dispatch(self) -> None:
        while self.waiting:
            side = next((name for name, room in self.room.items() if room > 0), None)
            if side is None:
                return
            outer, fn, args, kwargs = self.waiting.popleft()
            if not outer.set_running_or_notify_cancel():
                continue
            if side == "processes":
                kwargs = {**kwargs, "keep": False}  # a table would cross to this process pickled: the file is cheaper
            try:
                inner = self.sides[side].submit(fn, *args, **kwargs)
            except Exception as error:  # noqa: BLE001 - a broken process pool: the runner fails the run on it
                outer.set_exception(error)
                continue
            self.room[side] -= 1
            inner.add_done_callback(lambda done, outer=outer, side=side: self._done(done, outer, side))

    def _done(self, inner: Future, outer: Future, side: str) -> None:
        with self.lock:
            self.room[side] += 1
            self._dispatch()
        if inner.cancelled():  # not done by the runner (it cancels only the futures it holds), but never lost
            outer.set_exception(CancelledError())
            return
        error = inner.exception()
        if error is not None:
            outer.set_exception(error)
        else:
            outer.set_result(inner.result())

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self.lock:
            while self.waiting:
                self.waiting.popleft()[0].cancel()
        for pool in self.sides.values():
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)


class _Early:
    """The output written while the pool computes: each chunk is appended as soon as every chunk before it is
    done, so that the Parquet encoding (one core) overlaps the computing instead of following it. The same
    writer, settings and order as `_assemble`, which takes over the file when every chunk went in (else it
    discards it and writes the output itself): the bytes are the same either way."""

    def __init__(self, run: Run) -> None:
        self.ready: dict[int, tuple[str, str, pa.Table | None]] = {
            index: (path, checksum, None) for index, path, checksum in Chunk.objects.filter(
                run=run, state=Chunk.State.DONE).values_list("index", "output_path", "output_checksum")}
        self.total = run.total_chunks
        self.next = 0
        self.broken = False
        target = Path(run.workdir) / "output.parquet"
        self.tmp = target.with_name(f".output.{uuid.uuid4().hex}")
        self.writer: pq.ParquetWriter | None = None

    def done(self, index: int, path: str, checksum: str, table: pa.Table | None = None) -> None:
        """Chunk `index` is done: its file, or `table`, the result a thread of this process wrote to that file."""
        self.ready[index] = (path, checksum, table)
        while not self.broken and self.next in self.ready:
            path, checksum, table = self.ready.pop(self.next)
            try:
                if table is None and sha256(path) != checksum:  # `_assemble` computes it again
                    self.broken = True
                    return
                table = table if table is not None else worker.read_chunk(path)
                if self.writer is None:
                    self.tmp.parent.mkdir(parents=True, exist_ok=True)
                    self.writer = pq.ParquetWriter(self.tmp, table.schema, **WRITE_OPTIONS)
                self.writer.write_table(table)
            except (OSError, pa.ArrowException):  # the run goes on: `_assemble` writes the output itself
                self.broken = True
                return
            self.next += 1

    def complete(self) -> Path | None:
        """The written file when every chunk is in it, else None (and the partial file removed)."""
        if not self.broken and self.writer is not None and self.next == self.total:
            self.writer.close()
            return self.tmp
        self.discard()
        return None

    def discard(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.tmp.unlink(missing_ok=True)


def _assemble(run: Run, early: _Early | None = None) -> Run:
    """The chunk files, in chunk order, written as the run's output by one Parquet writer with fixed settings —
    whichever runner computed them."""
    chunks = list(Chunk.objects.filter(run=run).order_by("index"))
    if any(c.state != Chunk.State.DONE for c in chunks):
        if early is not None:
            early.discard()
        return Run.objects.get(pk=run.pk)  # another worker still holds some chunk
    target = Path(run.workdir) / "output.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    written = early.complete() if early is not None else None
    if written is not None:
        return _publish(run, written, target)
    tmp = target.with_name(f".output.{uuid.uuid4().hex}")
    writer = None
    for chunk in chunks:
        if sha256(chunk.output_path) != chunk.output_checksum:  # damaged after it was written: compute again
            Chunk.objects.filter(pk=chunk.pk).update(state=Chunk.State.PENDING)
            return resume(run)
        table = worker.read_chunk(chunk.output_path)
        if writer is None:
            writer = pq.ParquetWriter(tmp, table.schema, **WRITE_OPTIONS)
        writer.write_table(table)
    if writer is None:  # an input without rows: the declared columns, no rows
        input_schema = storage.parquet(run.input_path).schema_arrow
        schema = registry.get(run.function).output_schema(input_schema, run.params) or input_schema
        writer = pq.ParquetWriter(tmp, schema, **WRITE_OPTIONS)
        writer.write_table(schema.empty_table())
    writer.close()
    return _publish(run, tmp, target)


def _publish(run: Run, tmp: Path, target: Path) -> Run:
    os.replace(tmp, target)
    Run.objects.filter(pk=run.pk).update(status=Run.Status.DONE, output_path=str(target),
                                         output_checksum=sha256(target), finished_at=timezone.now())
    return Run.objects.get(pk=run.pk)


def output(run: Run) -> pa.Table:
    return pq.read_table(run.output_path)


def discard(run: Run) -> None:
    shutil.rmtree(run.workdir, ignore_errors=True)
