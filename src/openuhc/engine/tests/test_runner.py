"""The engine: chunks, leases, failures and retries, and a run killed mid-way that resumes to the same bytes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from multiprocessing import resource_tracker
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from openuhc.core.errors import DomainError
from openuhc.engine import runner
from openuhc.engine.models import Chunk, Run

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]


@pytest.fixture(autouse=True)
def _runs_in_tmp(settings, tmp_path):
    settings.OPENUHC_ENGINE_DIR = str(tmp_path / "runs")


def write_input(path: Path, rows: int = 1000, group: int = 100) -> Path:
    table = pa.table({"n": pa.array(range(rows), pa.int64()), "text": [f"row {i}" for i in range(rows)]})
    pq.write_table(table, path, row_group_size=group)
    return path


def test_a_run_processes_every_chunk_in_order_and_is_reproducible(tmp_path):
    source = write_input(tmp_path / "in.parquet")
    first = runner.resume(runner.start("engine.selftest", source, rows_per_chunk=200), workers=1)
    assert first.status == "done" and first.total_chunks == 5
    out = runner.output(first)
    assert out.column("n").to_pylist() == list(range(1000)) and "row_sha256" in out.column_names
    again = runner.resume(runner.start("engine.selftest", source, rows_per_chunk=200), workers=1)
    assert again.output_checksum == first.output_checksum
    # finishing a finished run changes nothing
    assert runner.resume(first, workers=1).output_checksum == first.output_checksum


def test_a_failing_chunk_fails_the_run_with_its_error_and_a_retry_completes_it(tmp_path):
    source = write_input(tmp_path / "in.parquet")
    run = runner.start("engine.selftest", source, params={"fail": True}, rows_per_chunk=500)
    with pytest.raises(DomainError) as error:
        runner.resume(run, workers=1)
    assert error.value.code == "chunk_failed" and "asked to fail" in error.value.message_en
    run.refresh_from_db()
    assert run.status == "failed" and Chunk.objects.filter(run=run, state="failed").count() == 1
    Run.objects.filter(pk=run.pk).update(params={})
    assert runner.resume(run, workers=1).status == "done"


def test_a_pool_writes_the_output_while_it_computes_and_to_the_same_bytes_as_one_worker(tmp_path):
    source = write_input(tmp_path / "in.parquet")
    one = runner.resume(runner.start("engine.selftest", source, rows_per_chunk=100), workers=1)
    pool = runner.resume(runner.start("engine.selftest", source, rows_per_chunk=100), workers=3)
    assert pool.status == "done" and pool.output_checksum == one.output_checksum
    assert not list(Path(pool.workdir).glob(".output.*"))  # the file written early became the output


def children() -> set[int]:
    """This process's child processes, zombies included (/proc: a zombie is listed until its parent waits for it)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rindex(")") + 2:].split()[1]) == os.getpid():
                found.add(int(entry.name))
    return found


@pytest.mark.parametrize("pool", ["", "mixed"])
def test_a_pool_publishes_the_output_without_waiting_for_its_processes_which_still_exit(tmp_path, pool):
    # multiprocessing's resource tracker, started by the first spawned pool of this process, lives as long as it
    resource_tracker.ensure_running()
    before = children()
    run = runner.start("engine.selftest", write_input(tmp_path / "in.parquet"), params={"pool": pool} if pool else {},
                       rows_per_chunk=100)
    assert runner.resume(run, workers=2).status == "done"
    # the pool's management thread joins the processes after the run has returned: none left, not even a zombie
    deadline = time.monotonic() + 10
    while children() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not children() - before


@pytest.mark.parametrize("pool", ["threads", "mixed"])
def test_threads_and_a_mixed_pool_give_the_bytes_of_one_worker_and_write_the_output_early(tmp_path, pool):
    source = write_input(tmp_path / "in.parquet")
    one = runner.resume(runner.start("engine.selftest", source, rows_per_chunk=100), workers=1)
    run = runner.start("engine.selftest", source, params={"pool": pool}, rows_per_chunk=100)
    done = runner.resume(run, workers=3)
    assert done.status == "done" and done.output_checksum == one.output_checksum
    assert Chunk.objects.filter(run=run, state="done").count() == 10
    assert not list(Path(done.workdir).glob(".output.*"))
    assert ("one a thread" in done.runner) == (pool == "mixed")


def test_a_failing_chunk_in_a_mixed_pool_fails_the_run_with_its_error(tmp_path):
    run = runner.start("engine.selftest", write_input(tmp_path / "in.parquet"),
                       params={"pool": "mixed", "fail": True}, rows_per_chunk=100)
    with pytest.raises(DomainError) as error:
        runner.resume(run, workers=2)
    assert error.value.code == "chunk_failed" and "asked to fail" in error.value.message_en
    run.refresh_from_db()
    assert run.status == "failed"


def test_two_workers_never_take_the_same_chunk(tmp_path):
    run = runner.start("engine.selftest", write_input(tmp_path / "in.parquet"), rows_per_chunk=100)
    taken = [runner._lease(run, f"host:{1_000_000 + i}:x", 60) for i in range(12)]
    indexes = [c.index for c in taken if c is not None]
    assert sorted(indexes) == list(range(10)) and taken[10] is None and taken[11] is None


def test_a_lease_of_a_dead_or_expired_worker_is_taken_back_and_a_live_one_is_not(tmp_path):
    import socket

    run = runner.start("engine.selftest", write_input(tmp_path / "in.parquet"), rows_per_chunk=500)
    live = f"{socket.gethostname()}:{os.getpid()}:live"
    dead = f"{socket.gethostname()}:999999:dead"
    first, second = Chunk.objects.filter(run=run).order_by("index")
    soon = timezone.now() + timedelta(minutes=5)
    Chunk.objects.filter(pk=first.pk).update(state="leased", lease_owner=live, lease_expires=soon)
    Chunk.objects.filter(pk=second.pk).update(state="leased", lease_owner=dead, lease_expires=soon)
    taken = runner._lease(run, "elsewhere:1:new", 60)
    assert taken.index == 1  # the dead worker's chunk; the live one keeps its own
    assert runner._lease(run, "elsewhere:1:new2", 60) is None
    Chunk.objects.filter(pk=first.pk).update(lease_expires=timezone.now() - timedelta(seconds=1))
    assert runner._lease(run, "elsewhere:1:new2", 60).index == 0  # expired


def test_an_input_changed_after_the_start_is_refused(tmp_path):
    source = write_input(tmp_path / "in.parquet")
    run = runner.start("engine.selftest", source)
    write_input(source, rows=999)
    with pytest.raises(DomainError) as error:
        runner.resume(run, workers=1)
    assert error.value.code == "input_changed"


def _openuhc(env: dict[str, str], *args: str, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "openuhc", *args], env=env, capture_output=True, text=True,
                          timeout=300, **kw)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_a_run_killed_mid_way_resumes_to_output_identical_to_the_byte(tmp_path):
    """A real process is killed with SIGKILL after some chunks; `openuhc engine resume` finishes the run."""
    database = tmp_path / "engine.sqlite3"
    env = {**os.environ, "OPENUHC_DATABASE_URL": f"sqlite:///{database}", "OPENUHC_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(ROOT / "src")}
    _openuhc(env, "migrate", "--verbosity", "0")
    source = write_input(tmp_path / "in.parquet", rows=4000, group=100)
    straight = _openuhc(env, "engine", "start", "engine.selftest", str(source), "--rows-per-chunk", "100",
                        "--workers", "1").stdout
    expected = straight.strip().split("sha256 ")[-1]
    killed = subprocess.Popen([sys.executable, "-m", "openuhc", "engine", "start", "engine.selftest", str(source),
                               "--rows-per-chunk", "100", "--workers", "1", "--params", '{"delay": 0.15}'],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 120
    run_id, done, leased = None, 0, 0
    # wait for some chunks done and one being worked on, so the kill lands mid-chunk (most of the time: a
    # chunk may finish between this look and the signal, which is a valid interruption too)
    while time.monotonic() < deadline and (done < 8 or leased == 0):
        time.sleep(0.05)
        with sqlite3.connect(database) as con:
            counts = dict(con.execute("SELECT c.state, count(*) FROM engine_chunk c JOIN engine_run r ON "
                                      "r.id = c.run_id WHERE r.params LIKE '%delay%' GROUP BY c.state").fetchall())
        done, leased = counts.get("done", 0), counts.get("leased", 0)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    with sqlite3.connect(database) as con:
        run_id, = con.execute("SELECT id FROM engine_run WHERE params LIKE '%delay%'").fetchone()
        states = dict(con.execute("SELECT state, count(*) FROM engine_chunk WHERE run_id = ? GROUP BY state",
                                  (run_id,)).fetchall())
    assert 0 < states.get("done", 0) < 40 and states.get("leased", 0) <= 1  # stopped before the end
    import uuid

    resumed = _openuhc(env, "engine", "resume", str(uuid.UUID(run_id)), "--workers", "2").stdout
    assert resumed.strip().split("sha256 ")[-1] == expected


POOL_THEN_WAIT = """
import multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from openuhc.engine import worker
if __name__ == "__main__":
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=worker.setup)
    print(pool.submit(os.getpid).result(), flush=True)
    time.sleep(60)
"""


def test_a_worker_process_exits_when_its_coordinator_is_killed(tmp_path):
    script = tmp_path / "pool.py"
    script.write_text(POOL_THEN_WAIT)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    coordinator = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    child = int(coordinator.stdout.readline())
    coordinator.kill()
    coordinator.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            return  # gone (or a zombie reaped by init)
        if Path(f"/proc/{child}/stat").read_text().split(") ")[1].startswith("Z"):
            return
        time.sleep(0.2)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the worker process outlived its coordinator")


@pytest.mark.parametrize(("recorded", "english", "thai"), [
    ("in-process (2 workers, one a thread)", "this machine, 2 workers (one a thread, the others processes)",
     "เครื่องนี้ 2 ตัวทำงาน (หนึ่งตัวเป็นเธรด ที่เหลือเป็นโพรเซส)"),
    ("in-process (4 threads)", "this machine, 4 threads", "เครื่องนี้ 4 เธรด"),
    ("in-process (3 workers)", "this machine, 3 worker processes", "เครื่องนี้ 3 โพรเซส"),
    ("Apache Spark local[2]", "Apache Spark at local[2]", "Apache Spark ที่ local[2]"),
    ("someone else", "someone else", "someone else"),
])
def test_who_computed_a_run_reads_in_the_readers_language(recorded, english, thai):
    from django.utils import translation

    from openuhc.engine.models import Run

    run = Run(runner=recorded)
    assert recorded in (Run.in_process_runner(2, threads=False, one_thread=True),
                        Run.in_process_runner(4, threads=True, one_thread=False),
                        Run.in_process_runner(3, threads=False, one_thread=False),
                        Run.spark_runner("local[2]"), "someone else")  # what `runner.resume` records
    with translation.override("en"):
        assert run.runner_words() == english
    with translation.override("th"):
        assert run.runner_words() == thai
