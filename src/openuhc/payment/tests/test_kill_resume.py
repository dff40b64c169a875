"""Reliability: an inpatient pricing run on the batch engine, its worker process killed with SIGKILL at 20 random
points, resumes each time and ends with the same bytes — and the same statement — as an uninterrupted run;
a payment run whose compute stopped half-way is finished by computing it again."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from openuhc.budget.config import parse
from openuhc.budget.defaults import year_config
from openuhc.payment import pricing, services, workflow
from openuhc.payment.inpatient import start_ip_pricing, write_ip_input
from openuhc.payment.models import ClaimPayment, PaymentRun, RunEvent, UnitPayment
from openuhc.registry.models import Scheme

ROOT = Path(__file__).resolve().parents[4]
DRIVER = Path(__file__).with_name("kill_driver.py")
MONEY = pa.decimal128(16, 2)


def national_quarter(rng: random.Random, per_month: int = 150) -> pa.Table:
    """Admissions of all 13 regions charged to three fiscal years: 39 (region, year) groups, so 39 chunks of the
    engine run."""
    rows = [(region, year) for region in range(1, 14) for year in YEARS for _ in range(per_month)]
    n = len(rows)
    return pa.table({
        "claim_id": pa.array(rng.sample(range(1, 10 * n), n), pa.int64()),
        "hcode": [f"{10000 + rng.randrange(300):05d}" for _ in rows],
        "region": pa.array([r for r, _ in rows], pa.int64()),
        "fiscal_year": pa.array([y for _, y in rows], pa.int64()),
        "adjrw": [rng.randrange(1000, 80000) / 10000 for _ in rows],
        "late_days": [rng.choice([0, 0, 0, 10, 45, 400]) for _ in rows],
        "is_public": [rng.random() < 0.7 for _ in rows],
        "rti_amount": pa.array([D(rng.choice([0, 0, 0, 150000, 3500000])) / 100 for _ in rows], MONEY),
    })


YEARS = (2568, 2569, 2570)


def engine_params() -> dict:
    """Each year's configuration (FY2569's numbers) and, as the budget left, each region's whole budget."""
    config = year_config(2569)
    left = {str(r["region"]): r["ip_budget"] for r in config["ip_regions"]}
    return {"years": {str(fy): {"config": config, "left": left} for fy in YEARS}}


def statement_checksum(path: str) -> str:
    """The payment round's checksum of these priced lines (what the statement shows, line by line)."""
    return workflow.lines_checksum([workflow.claim_checksum_row(line) for line in pq.read_table(path).to_pylist()])


class Driver:
    def __init__(self, tmp_path: Path) -> None:
        self.database = tmp_path / "engine.sqlite3"
        env = {**os.environ, "OPENUHC_DATABASE_URL": f"sqlite:///{self.database}",
               "OPENUHC_DATA_DIR": str(tmp_path / "data"), "OPENUHC_ENGINE_DIR": str(tmp_path / "runs"),
               "PYTHONPATH": str(ROOT / "src")}
        self.process = subprocess.Popen([sys.executable, str(DRIVER)], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def ask(self, command: str) -> list[str]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def read(self) -> list[str]:
        assert self.process.stdout
        line = self.process.stdout.readline()
        assert line, "the driver process ended"
        return line.split()

    def done_chunks(self, run_id: str) -> int:
        try:
            with sqlite3.connect(self.database, timeout=0.05) as con:
                row = con.execute("SELECT count(*) FROM engine_chunk WHERE run_id = ? AND state = 'done'",
                                  (run_id.replace("-", ""),)).fetchone()
            return row[0]
        except sqlite3.OperationalError:  # the child holds the write lock this instant
            return -1

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def test_an_ip_pricing_run_killed_at_20_random_points_resumes_to_the_same_statement(tmp_path):
    rng = random.Random(2569)  # seeded: the same 20 kill points on every machine
    source = write_ip_input(national_quarter(rng), tmp_path / "claims.parquet")
    assert pq.ParquetFile(source).metadata.num_row_groups == 39
    params = tmp_path / "params.json"
    params.write_text(json.dumps(engine_params()))
    driver = Driver(tmp_path)
    try:
        _, run_id = driver.ask(f"start {source} {params}")
        killed, points = 0, []
        # 20 kill points: after a random number of chunks done (0 … 31 of 39), plus a random fraction of a chunk;
        # the life computes at most two chunks more, so that a late kill still lands inside the run
        for target in sorted(rng.choices(range(32), k=20)):
            _, pid = driver.ask(f"life {run_id} {target + 2}")
            deadline = time.monotonic() + 30
            while driver.done_chunks(run_id) < target and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.03))
            os.kill(int(pid), signal.SIGKILL)
            _, status, run_status, *_ = driver.read()
            if os.WIFSIGNALED(int(status)):
                killed += 1
                points.append(driver.done_chunks(run_id))
            assert run_status != "failed"
        # the kills landed at 20 points spread over the run, and the run was not finished by then
        assert killed == 20, f"only {killed} of 20 lives were killed before they ended"
        # (on a loaded machine the chunks finish in bursts, so several kills may land after the same count)
        assert len(set(points)) >= 5 and max(points) < 39
        driver.ask(f"life {run_id}")  # the last life, not killed
        _, status, run_status, resumed_sha, resumed_path = driver.read()
        assert int(status) == 0 and run_status == "done"
        _, straight_id = driver.ask(f"start {source} {params}")
        driver.ask(f"life {straight_id}")
        _, status, run_status, straight_sha, straight_path = driver.read()
        assert run_status == "done"
    finally:
        driver.close()
    assert resumed_sha == straight_sha  # the priced lines, identical to the byte
    assert Path(resumed_path).read_bytes() == Path(straight_path).read_bytes()
    assert statement_checksum(resumed_path) == statement_checksum(straight_path)
    # and they are the pure function's lines: nothing lost or doubled by the kills
    rules = {int(fy): pricing.IpRules.from_config(parse(year["config"]), {
        (int(region), int(fy)): D(left) for region, left in year["left"].items()})
        for fy, year in engine_params()["years"].items()}
    expected, _ = pricing.price_ip_years(pq.read_table(source), rules)
    assert sorted(map(workflow.claim_checksum_row, pq.read_table(resumed_path).to_pylist())) == sorted(
        map(workflow.claim_checksum_row, expected.to_pylist()))


def ip_claims(ids, *, year=2569):
    n = len(ids)
    return pa.table({"claim_id": pa.array(ids, pa.int64()), "hcode": ["56001"] * n, "region": [1] * n,
                     "fiscal_year": [year] * n, "adjrw": [0.5 + i / 10 for i in range(n)], "drg": ["01010"] * n,
                     "rw": [1.0] * n})


@pytest.mark.django_db
def test_a_payment_run_stopped_half_way_is_finished_by_computing_it_again(world, budget, settings, tmp_path):
    from openuhc.engine.models import Chunk

    settings.OPENUHC_ENGINE_DIR = str(tmp_path / "runs")
    run = services.start_run(actor=world.users["regional"], scheme=Scheme.objects.get(code="UCS"),
                             region=world.province.region, cutoff=date(2026, 1, 31), kind=PaymentRun.Kind.IP)
    claims = ip_claims(list(range(1, 41)))
    # the process computing the run died after the engine run was started and its chunk taken
    started = start_ip_pricing(actor=world.users["regional"], run=run, claims=claims)
    Chunk.objects.filter(run_id=started.engine_run).update(state="leased", lease_owner="elsewhere:1:x",
                                                           lease_expires=timezone.now())
    assert PaymentRun.objects.get(pk=run.pk).computed_at is None and not ClaimPayment.objects.exists()
    run = services.compute_ip(actor=world.users["regional"], run=run)  # no claims passed: the recorded input
    assert run.claims == 40 and ClaimPayment.objects.filter(run=run).count() == 40
    # the same lines as the pure function prices them, and the totals are the sum of the lines
    version = run.budget_version
    rules = pricing.IpRules.from_config(version.config, {(1, 2569): version.config.ip_budget(1)})
    with_public = claims.append_column("is_public", pa.array([True] * 40))
    expected, _ = pricing.price_ip(with_public, rules)
    assert run.checksum == workflow.lines_checksum([workflow.claim_checksum_row(x) for x in expected.to_pylist()])
    assert sum(p.gross for p in ClaimPayment.objects.filter(run=run)) == run.gross
    # computing a finished run again changes nothing: same checksum, no new rows, no new event
    counts = (ClaimPayment.objects.count(), UnitPayment.objects.count(), RunEvent.objects.count())
    again = services.compute_ip(actor=world.users["national"], run=run, claims=ip_claims([99]))
    assert again.checksum == run.checksum
    assert (ClaimPayment.objects.count(), UnitPayment.objects.count(), RunEvent.objects.count()) == counts
    assert run.summary["years"][0]["rate"] == "8350.00" and run.summary["years"][0]["claims"] == 40
    assert UnitPayment.objects.get(run=run).adjrw == sum(D(str(0.5 + i / 10)) for i in range(40))


def test_the_input_holds_one_row_group_per_region_and_budget_year(tmp_path):
    table = ip_claims([5, 3, 1, 2]).set_column(3, "fiscal_year", pa.array([2570, 2569, 2570, 2569], pa.int64()))
    path = write_ip_input(table, tmp_path / "in.parquet")
    meta = pq.ParquetFile(path).metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [2, 2]
    assert pq.read_table(path).column("claim_id").to_pylist() == [2, 3, 1, 5]
