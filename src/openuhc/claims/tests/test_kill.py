"""A submission whose process is killed while storing leaves nothing half-stored: no claim, event, row or
problem of it is in the database, and `claims recover` marks it failed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from openuhc.claims.samples import SubmissionBuilder
from openuhc.testing.world import make_cid

ROOT = Path(__file__).resolve().parents[4]
DRIVER = Path(__file__).with_name("kill_driver.py")


@pytest.fixture
def scratch_database(tmp_path):  # noqa: ANN201
    """A database of the kind the tests run on, of its own: the driver processes must see each other's commits."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        import psycopg

        name = f"openuhc_kill_{uuid.uuid4().hex[:10]}"
        server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
                  "password": db["PASSWORD"] or None, "dbname": "postgres"}
        with psycopg.connect(**server, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        yield f"postgres://{db['USER']}{password}@{server['host']}:{server['port']}/{name}"
        with psycopg.connect(**server, autocommit=True) as con:
            con.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'kill.sqlite3'}"


def _run(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPENUHC_DATABASE_URL": url, "OPENUHC_DATA_DIR": str(tmp_path / "data"),
           "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, str(DRIVER), *args], env=env, capture_output=True, text=True,  # noqa: S603
                          timeout=300, check=False)


def test_a_submission_killed_while_storing_leaves_nothing_half_stored(scratch_database, tmp_path):
    builder = SubmissionBuilder("56001")
    for n in range(300):
        builder.patient(hn=f"H{n}", cid=make_cid(f"1{n:011d}"), dob=date(1980, 1, 1), sex=1)
        builder.visit(hn=f"H{n}", seq=f"V{n}", on=date(2025, 9, 3), drugs=1)
    folder = builder.write(tmp_path / "sub")
    assert _run(scratch_database, tmp_path, "setup").returncode == 0
    killed = _run(scratch_database, tmp_path, "submit", str(folder))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    checked = _run(scratch_database, tmp_path, "check")
    assert checked.returncode == 0, checked.stderr
    found = json.loads(checked.stdout.strip().splitlines()[-1])
    assert found["counts"] == {"Claim": 0, "ClaimEvent": 0, "Diagnosis": 0, "Charge": 0, "Drug": 0, "Problem": 0}
    assert found["status"] == "failed" and len(found["recovered"]) == 1 and not found["original_kept"]
