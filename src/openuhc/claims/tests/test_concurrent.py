"""Two hospitals' submissions stored at the same time (two processes, as two job workers or two `claims submit`s
run them) both succeed, without a deadlock, and each stores exactly what it stores alone.

PostgreSQL only: SQLite has one writer at a time, so a second submission there waits for the first one's
transaction (or fails on the lock) — storing concurrently is not something it does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[4]
DRIVER = Path(__file__).with_name("concurrent_driver.py")
UNITS = ("56001", "56002")

pytestmark = pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                                reason="SQLite has a single writer: concurrent storing is PostgreSQL's")


@pytest.fixture
def databases_pair():  # noqa: ANN201
    """Two databases of their own with the same registry (the second a copy of the first, made after setup)."""
    import psycopg

    db = settings.DATABASES["default"]
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"],
              "password": db["PASSWORD"] or None, "dbname": "postgres"}
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    names = [f"openuhc_conc_{uuid.uuid4().hex[:10]}" for _ in range(2)]

    def url(name: str) -> str:
        return f"postgres://{db['USER']}{password}@{server['host']}:{server['port']}/{name}"

    def copy() -> str:
        with psycopg.connect(**server, autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{names[1]}" TEMPLATE "{names[0]}"')
        return url(names[1])

    with psycopg.connect(**server, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{names[0]}"')
    yield url(names[0]), copy
    with psycopg.connect(**server, autocommit=True) as con:
        for name in names:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(url: str, data: Path) -> dict[str, str]:
    return {**os.environ, "OPENUHC_DATABASE_URL": url, "OPENUHC_DATA_DIR": str(data),
            "PYTHONPATH": str(ROOT / "src")}


def _run(url: str, data: Path, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(DRIVER), *args], env=_env(url, data), capture_output=True,  # noqa: S603
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {}


def _submit_together(url: str, tmp: Path) -> list[dict]:
    gate = tmp / "gate"
    gate.mkdir(parents=True)
    workers = [subprocess.Popen([sys.executable, str(DRIVER), "submit", unit, str(tmp / unit), str(gate)],  # noqa: S603
                                env=_env(url, tmp / "data"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for unit in UNITS]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)  # a deadlock would be broken by the server, or time out here
        assert worker.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_two_hospitals_stored_at_once_both_succeed_and_store_what_they_store_alone(databases_pair, tmp_path):
    together_url, copy = databases_pair
    _run(together_url, tmp_path / "data", "setup")
    alone_url = copy()

    together = _submit_together(together_url, tmp_path / "together")
    assert [(r["unit"], r["status"]) for r in together] == [(u, "processed") for u in UNITS]
    first, second = together
    assert first["started"] < second["finished"] and second["started"] < first["finished"]  # they did overlap
    gate = tmp_path / "alone" / "gate"  # open from the start: alone, one after the other
    gate.mkdir(parents=True)
    for unit in UNITS:
        (gate / unit).touch()
    for unit in UNITS:
        assert _run(alone_url, tmp_path / "data", "submit", unit, str(tmp_path / "alone" / unit),
                    str(gate))["status"] == "processed"

    for unit in UNITS:
        at_once, alone = _run(together_url, tmp_path / "data", "digest", unit), _run(alone_url, tmp_path / "data",
                                                                                      "digest", unit)
        assert at_once == alone
        assert at_once["rows"]["claims"] == 12 * 30 and at_once["rows"]["problems"] > 0
