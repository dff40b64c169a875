"""The engine's functions on Apache Spark (local mode): for every registered function, the same bytes as the
in-process runner; a task that fails once is retried to the same bytes; a failing chunk fails the run with its
error; a driver killed mid-run resumes to the same bytes; inputs and chunks through a storage URI.

One SparkSession (local[2,2]: two cores, a failed task tried twice) for the whole module; with `python3 run.py
test` (`--dist loadgroup`) all Spark tests run on one pytest worker (xdist_group), so CI starts Java once for them,
plus once in the killed-driver test's own process. Both JVMs start with FAST_JVM (a test's jobs are short: the
JIT's first tier and the serial collector start Spark in about half the time), inputs are a few thousand rows."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from openuhc.core.errors import DomainError
from openuhc.engine import registry, runner, spark
from openuhc.engine.models import Chunk, Run

MASTER = "local[2,2]"
ROOT = Path(__file__).resolve().parents[4]
_missing = spark.missing()
needs_spark = [pytest.mark.spark, pytest.mark.xdist_group("spark"),
               pytest.mark.skipif(_missing is not None, reason=str(_missing))]
pytestmark = pytest.mark.django_db
# Every registered function and the test below that compares its two runners' bytes.
COMPARED = {"engine.selftest": "test_the_selftest_gives_the_same_bytes_on_spark",
            "drg.group": "test_grouping_admissions_gives_the_same_bytes_on_spark",
            "payment.price_ip": "test_pricing_admissions_per_region_and_budget_year_gives_the_same_bytes_on_spark",
            "payment.price_fee": "test_fee_pricing_per_group_of_people_gives_the_same_bytes_on_spark"}


# For every JVM the tests start (Spark's launcher and driver, here and in the killed driver's process): only the
# JIT's first tier and the serial collector — start-up about twice as fast; no use for a long production run.
FAST_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


@pytest.fixture(scope="module")
def spark_session(request):
    """Java starts in a thread while the test database is made (the first test's set-up: both take tens of seconds
    on a loaded machine, and the thread mostly waits for Java)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JDK_JAVA_OPTIONS", FAST_JVM)
        started: dict = {}

        def start() -> None:
            try:
                started["session"] = spark.session(MASTER)
            except BaseException as error:  # noqa: BLE001 - raised in the test's thread below
                started["error"] = error

        thread = threading.Thread(target=start, name="spark-session")
        thread.start()
        try:
            request.getfixturevalue("django_db_setup")
        finally:
            thread.join()
        if "error" in started:
            raise started["error"]
        yield started["session"]
        spark.stop()


def both(function: str, source: Path, params: dict | None = None, rows_per_chunk: int = 500) -> tuple[Run, Run]:
    """The same run in-process and on Spark; both done."""
    local = runner.resume(runner.start(function, source, params=params, rows_per_chunk=rows_per_chunk),
                          runner="in-process", workers=1)
    on_spark = runner.resume(runner.start(function, source, params=params, rows_per_chunk=rows_per_chunk),
                             runner="spark", master=MASTER)
    assert local.status == on_spark.status == "done"
    assert on_spark.runner == f"Apache Spark {MASTER}" and local.runner.startswith("in-process")
    return local, on_spark


def _spark(test):  # noqa: ANN001, ANN202 - the marks every Spark test carries
    for mark in reversed(needs_spark):
        test = mark(test)
    return pytest.mark.usefixtures("spark_session")(test)


@_spark
def test_the_selftest_gives_the_same_bytes_on_spark(tmp_path):
    source = Path(spark.selftest_input(str(tmp_path / "in.parquet"), 5_000))
    local, on_spark = both("engine.selftest", source)
    assert on_spark.total_chunks == 5 and on_spark.output_checksum == local.output_checksum
    assert runner.output(on_spark).column("n").to_pylist() == list(range(5_000))


@_spark
def test_grouping_admissions_gives_the_same_bytes_on_spark(tmp_path, tdrg_dir):
    from openuhc.drg.engine_functions import params_for
    from openuhc.drg.services import tables_for
    from openuhc.drg.tables import install_tables
    from openuhc.drg.tests.test_vector import make_cases

    install_tables(tdrg_dir)
    tables = tables_for()
    cases = make_cases(tables, 3_000, seed=15)
    pq.write_table(cases, tmp_path / "cases.parquet", row_group_size=500)
    local, on_spark = both("drg.group", tmp_path / "cases.parquet", params_for(tables), rows_per_chunk=1_000)
    assert on_spark.total_chunks == 3 and on_spark.output_checksum == local.output_checksum
    out = runner.output(on_spark)
    assert out.num_rows == 3_000 and out.column("adjrw").null_count < 3_000


def ip_claims(rng: random.Random) -> pa.Table:
    from openuhc.payment.tests.test_kill_resume import national_quarter

    return national_quarter(rng, per_month=40)  # 13 regions × 3 budget years × 40 = 1,560 admissions


def ip_params() -> dict:
    from openuhc.payment.tests.test_kill_resume import engine_params

    return engine_params()


@_spark
def test_pricing_admissions_per_region_and_budget_year_gives_the_same_bytes_on_spark(tmp_path):
    from openuhc.payment.inpatient import write_ip_input

    source = write_ip_input(ip_claims(random.Random(15)), tmp_path / "ip.parquet")
    local, on_spark = both("payment.price_ip", source, ip_params(), rows_per_chunk=1)
    assert on_spark.total_chunks == 39 and on_spark.output_checksum == local.output_checksum
    # one rate per (region, budget year)
    priced = runner.output(on_spark).group_by(["region", "fiscal_year"]).aggregate([("rate", "count_distinct")])
    assert priced.num_rows == 39


@_spark
def test_an_input_not_written_group_by_group_is_chunked_in_whole_groups_and_gives_the_same_bytes(tmp_path):
    """Admissions in claim order, 100 to a row group: every (region, budget year) spans many row groups, so the
    run's chunks are merged until none splits one — on both runners — and the result is the same as one call over
    everything."""
    from decimal import Decimal

    from openuhc.budget.config import parse
    from openuhc.payment import pricing

    claims = ip_claims(random.Random(16)).sort_by("claim_id")
    pq.write_table(claims, tmp_path / "ip.parquet", row_group_size=100)
    local, on_spark = both("payment.price_ip", tmp_path / "ip.parquet", ip_params(), rows_per_chunk=100)
    assert on_spark.output_checksum == local.output_checksum and on_spark.total_chunks == 1
    rules = {int(fy): pricing.IpRules.from_config(parse(year["config"]), {
        (int(region), int(fy)): Decimal(left) for region, left in year["left"].items()})
        for fy, year in ip_params()["years"].items()}
    whole, _ = pricing.price_ip_years(claims, rules)
    assert runner.output(on_spark).column("amount").to_pylist() == whole.column("amount").to_pylist()


@_spark
def test_fee_pricing_per_group_of_people_gives_the_same_bytes_on_spark(tmp_path):
    from openuhc.budget.defaults import year_config
    from openuhc.payment.fee_runs import write_fee_input

    rng = random.Random(15)
    n = 3_000
    lines = pa.table({
        "claim_id": pa.array(rng.sample(range(1, 10 * n), n), pa.int64()),
        "hcode": [f"{10000 + rng.randrange(50):05d}" for _ in range(n)],
        "region": pa.array([rng.randrange(1, 14) for _ in range(n)], pa.int64()),
        "service_date": pa.array([date(2026, 1, 1) + timedelta(days=rng.randrange(31)) for _ in range(n)]),
        "person_key": [f"p{rng.randrange(600)}" for _ in range(n)],
        "item": [rng.choice(["ANC", "ANC", "PNC", "US", "XRAY"]) for _ in range(n)],
        "quantity": pa.array([rng.choice([1, 1, 2]) for _ in range(n)], pa.int64()),
        "age": pa.array([rng.randrange(15, 45) for _ in range(n)], pa.int64()),
        "sex": pa.array([2] * n, pa.int64()),
        "fiscal_year": pa.array([2569] * n, pa.int64()),
    })
    source = write_fee_input(lines, tmp_path / "fee.parquet", rows_per_group=500)
    local, on_spark = both("payment.price_fee", source, {"years": {"2569": year_config(2569)}, "fy_start_month": 10},
                           rows_per_chunk=1)
    assert on_spark.total_chunks >= 5 and on_spark.output_checksum == local.output_checksum
    assert set(runner.output(on_spark).column("reason").to_pylist()) >= {"", "UNKNOWN_ITEM"}


@_spark
def test_a_task_that_fails_once_is_retried_to_the_same_bytes(tmp_path):
    source = Path(spark.selftest_input(str(tmp_path / "in.parquet"), 3_000))
    straight = runner.resume(runner.start("engine.selftest", source, rows_per_chunk=1_000), runner="in-process")
    marker = tmp_path / "failed-once"
    run = runner.resume(runner.start("engine.selftest", source, params={"fail_once": str(marker)},
                                     rows_per_chunk=1_000), runner="spark", master=MASTER)
    assert marker.exists()  # a task did fail
    assert run.status == "done" and run.output_checksum == straight.output_checksum
    assert set(Chunk.objects.filter(run=run).values_list("attempts", flat=True)) == {1}  # Spark retried, not us


@_spark
def test_a_chunk_that_keeps_failing_fails_the_run_with_its_error_and_a_retry_completes_it(tmp_path):
    source = Path(spark.selftest_input(str(tmp_path / "in.parquet"), 2_000))
    run = runner.start("engine.selftest", source, params={"fail": True}, rows_per_chunk=1_000)
    with pytest.raises(DomainError) as error:
        runner.resume(run, runner="spark", master=MASTER)
    assert error.value.code == "chunk_failed" and "asked to fail" in error.value.message_en
    run.refresh_from_db()
    assert run.status == "failed" and "asked to fail" in run.error
    assert Chunk.objects.filter(run=run, state="failed").count() == 1
    assert not Chunk.objects.filter(run=run, state="leased").exists()  # no lease left behind
    Run.objects.filter(pk=run.pk).update(params={})
    assert runner.resume(run, runner="spark", master=MASTER).status == "done"


@_spark
def test_inputs_and_chunks_go_through_a_storage_uri(tmp_path, settings):
    settings.OPENUHC_SPARK_STORAGE = f"file://{tmp_path / 'cluster'}"
    source = Path(spark.selftest_input(str(tmp_path / "in.parquet"), 2_000))
    local, on_spark = both("engine.selftest", source, rows_per_chunk=1_000)
    assert on_spark.output_checksum == local.output_checksum
    copies = list((tmp_path / "cluster" / str(on_spark.pk)).glob("input-*.parquet"))
    assert len(copies) == 1 and all(c.output_path.startswith("file://") for c in on_spark.chunks.all())


@_spark
def test_spark_check_compares_the_selftest_on_spark_with_the_in_process_run(capsys):
    call_command("engine", "spark-check", "--master", MASTER, "--rows", "3000")
    out = capsys.readouterr().out
    assert "computes the same bytes" in out


def _openuhc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "openuhc", *args], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


# `openuhc ARGS` on a new database: every model's table first, straight from the models (`migrate` replays every
# app's migrations: about 40 s on the loaded CI machine; the engine's commands need only the tables), in the same
# process (one Django start less).
ON_NEW_DATABASE = """
import sys
import django
django.setup()
from django.apps import apps
from django.db import connection
with connection.schema_editor() as editor:
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            editor.create_model(model)
from openuhc.cli import main
main(sys.argv[1:])
"""


@_spark
def test_a_driver_killed_mid_run_resumes_to_the_same_bytes(tmp_path):
    """The driver — with its JVM and Spark's Python workers: the whole process group — is killed with SIGKILL once
    some chunks are recorded; `openuhc engine resume RUN` finishes the run (in-process here: one Java start less
    in CI; the next test resumes a dead driver's run on Spark)."""
    database = tmp_path / "engine.sqlite3"
    env = {**os.environ, "OPENUHC_DATABASE_URL": f"sqlite:///{database}", "OPENUHC_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "openuhc.settings", "JDK_JAVA_OPTIONS": FAST_JVM}
    source = spark.selftest_input(str(tmp_path / "in.parquet"), 8_000)
    driver = subprocess.Popen([sys.executable, "-c", ON_NEW_DATABASE, "engine", "start", "engine.selftest", source,
                               "--rows-per-chunk", "1000", "--master", "local[2]", "--params", '{"delay": 1}'],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # while the driver starts: the same input in this process (the output does not depend on the database)
    straight = runner.resume(runner.start("engine.selftest", Path(source), rows_per_chunk=1_000),
                             runner="in-process").output_checksum
    deadline, done = time.monotonic() + 240, 0
    try:
        while time.monotonic() < deadline and done < 2 and driver.poll() is None:
            time.sleep(0.2)
            try:
                with sqlite3.connect(database, timeout=0.1) as con:
                    done, = con.execute("SELECT count(*) FROM engine_chunk c JOIN engine_run r ON r.id = c.run_id "
                                        "WHERE r.params LIKE '%delay%' AND c.state = 'done'").fetchone()
            except sqlite3.OperationalError:  # no tables yet, or the driver holds the write lock this instant
                continue
    finally:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.wait(timeout=30)
    with sqlite3.connect(database) as con:
        run_id, = con.execute("SELECT id FROM engine_run WHERE params LIKE '%delay%'").fetchone()
        states = dict(con.execute("SELECT state, count(*) FROM engine_chunk WHERE run_id = ? GROUP BY state",
                                  (run_id,)).fetchall())
    assert 2 <= states.get("done", 0) < 8 and states.get("leased", 0) > 0  # killed mid-run, chunks in flight
    resumed = _openuhc(env, "engine", "resume", str(uuid.UUID(run_id)), "--runner", "in-process").stdout
    assert resumed.strip().split("sha256 ")[-1] == straight


@_spark
def test_a_dead_drivers_run_is_resumed_on_spark_ignoring_what_its_job_left(tmp_path):
    """A driver died (its process is gone) holding leases, after one chunk was recorded and with a chunk file and a
    receipt of its own job left behind: Spark takes the leases back, recomputes, and ends with the same bytes."""
    import socket

    source = Path(spark.selftest_input(str(tmp_path / "in.parquet"), 4_000))
    straight = runner.resume(runner.start("engine.selftest", source, rows_per_chunk=1_000), runner="in-process")
    run = runner.start("engine.selftest", source, rows_per_chunk=1_000)
    dead = f"{socket.gethostname()}:999999:dead"
    first, second, third = (runner._lease(run, dead, 600) for _ in range(3))
    rows, checksum = runner.worker.compute_chunk(run.function, run.input_path, first.first_group, first.last_group,
                                                 {}, runner._target(run, first))
    assert runner._finish_chunk(run, first, dead, rows, checksum)
    leftover = Path(runner._target(run, third))
    leftover.write_bytes(b"half a file")
    Path(f"{leftover}.done").write_text(json.dumps({"token": "an earlier job", "rows": 1, "sha256": "x"}))
    resumed = runner.resume(run, runner="spark", master=MASTER)
    assert resumed.status == "done" and resumed.output_checksum == straight.output_checksum
    assert Chunk.objects.get(run=run, index=first.index).attempts == 1  # recorded before: not computed again
    assert Chunk.objects.get(run=run, index=second.index).attempts == 2


def test_every_registered_function_has_a_spark_comparison():
    """A function registered later without a test comparing its Spark output with the in-process one fails here."""
    assert set(registry.FUNCTIONS) == set(COMPARED)
    assert all(name in globals() for name in COMPARED.values())


def test_without_java_the_spark_runner_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-java"))
    problem = spark.missing()
    assert problem is not None and problem.error.code in ("no_java", "spark_missing")
    assert "openjdk-17-jre-headless" in problem.message_en or "openuhc[spark]" in problem.message_en


def test_an_unknown_runner_is_refused(tmp_path):
    source = Path(spark.selftest_input(str(tmp_path / "in.parquet"), 10))
    with pytest.raises(DomainError) as error:
        runner.resume(runner.start("engine.selftest", source), runner="hadoop")
    assert error.value.code == "unknown_runner"


def test_settings_of_spark_must_be_a_json_object(settings):
    settings.OPENUHC_SPARK_CONF = '["spark.executor.memory", "4g"]'
    with pytest.raises(DomainError) as error:
        spark.extra_conf()
    assert error.value.code == "spark_conf"
    settings.OPENUHC_SPARK_CONF = json.dumps({"spark.executor.memory": "4g"})
    assert spark.extra_conf() == {"spark.executor.memory": "4g"}
