"""One large submission through `claims.services.submit` (check + eligibility + store) on a loaded registry.

    .venv/bin/python benchmarks/claims_store.py --visits 1000000            # PostgreSQL, after national_month.py
    .venv/bin/python benchmarks/claims_store.py --visits 200000 --db openuhc_bench_national
    .venv/bin/python benchmarks/claims_store.py --visits 1000000 --zip      # sent as a zip (a hospital's upload)

    .venv/bin/python benchmarks/claims_store.py --visits 200000 --twice    # then again: every claim a problem
    .venv/bin/python benchmarks/claims_store.py --visits 200000 --sqlite /tmp/cs_sqlite --persons 200000
    .venv/bin/python benchmarks/claims_store.py --visits 3100 --files 20   # small files: the fixed cost per file
    .venv/bin/python benchmarks/claims_store.py --visits 3100 --files 10 --profile /tmp/p.pstats  # where it goes

It reuses the database national_month.py built (its registry and hospitals): the submission is hospital 20001's,
its visits are of the registry's UCS members (any of them: care anywhere, `claims.op_referral_required` is off by
default), one to four diagnoses' worth of rows per visit as in the national benchmark, 3 % admissions. The file is
written first (not timed); then a child process stores it and reports seconds, claims/s and peak RSS. With
`--files N`, N such files (other keys, other visits) are stored one after another in that one process, as the
national month's claims stage does, and the seconds per file are reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national_month as nm  # noqa: E402 - the same synthetic country
from proc_cpu import process_cpu  # noqa: E402


def write(folder: Path, visits: int, persons: int, seed: str, prefix: str) -> None:
    args = argparse.Namespace(persons=persons, hospitals=1)
    # hospitals=1 in the writer: "the people of this hospital" is then every person of the registry
    # keys of their own (the month's file of this hospital is not replaced); a seed of its own too: a second run
    # with the first one's people and days would repeat visits already stored (every claim then rejected as the
    # same person's second visit that day: what --twice measures on purpose)
    rng = random.Random(seed)  # noqa: S311
    nm.write_submission(folder, 0, args, visits, visits * 3 // 100, rng, key_prefix=prefix)


def setup_django(url: str, workdir: str) -> None:
    os.environ["OPENUHC_DATABASE_URL"] = url
    os.environ["OPENUHC_DATA_DIR"] = str(Path(workdir) / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "openuhc.settings"
    import django

    django.setup()


def prepare_sqlite(folder: Path, persons: int) -> None:
    """In a child process: a SQLite database of its own with national_month's setup (one hospital), a registry of
    `persons` people loaded with `openuhc import persons FILE --mode load`, and the state file the run reads."""
    setup_django(f"sqlite:///{folder / 'openuhc.sqlite3'}", str(folder))
    args = argparse.Namespace(hospitals=1, persons=persons, op=0, ip=0, workdir=str(folder))
    stages: dict = {}
    for name in ("setup", "files", "registry"):
        started = time.monotonic()
        stages[name] = {**getattr(nm, f"stage_{name}")(args), "seconds": round(time.monotonic() - started, 1),
                        "load": round(os.getloadavg()[0], 2)}
        print(name, json.dumps(stages[name]), file=sys.stderr, flush=True)
    (folder / "state.json").write_text(json.dumps({"size": {"persons": persons, "hospitals": 1}, "stages": stages}))


def measure(folders: list[str], url: str, workdir: str, profile: str = "") -> None:
    setup_django(url, workdir)
    from openuhc.claims import services

    server = server_cpu()
    backends = BackendsClock()  # with the backends of other connections the storing opens (eligibility's thread)
    stages = StageClock(server)
    load = os.getloadavg()[0]
    profiler = statements = None
    if profile:
        import cProfile

        from django.db import connection

        statements = StatementClock()
        connection.execute_wrappers.append(statements)
        profiler = cProfile.Profile(time.process_time)  # CPU seconds: under load, wall time is mostly waiting
        profiler.enable()
    started, cpu_started = time.monotonic(), time.process_time()
    totals = {"op": 0, "ip": 0, "accepted": 0, "problems": 0}
    for folder in folders:
        stages.stage("receive")
        submission = services.submit(folder, unit_code=nm.unit_code(0), actor=None, received_at=nm.RECEIVED,
                                     progress=stages)
        for name, value in (("op", submission.op_count), ("ip", submission.ip_count),
                            ("accepted", submission.accepted_count), ("problems", submission.problem_count)):
            totals[name] += value
    seconds, storing_cpu = time.monotonic() - started, time.process_time() - cpu_started
    if profiler is not None and statements is not None:
        profiler.disable()
        profiler.dump_stats(profile)
        statements.report(Path(profile).with_suffix(".sql.txt"), len(folders))
    stages.stage("")
    claims = totals["op"] + totals["ip"]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"status": submission.status, "files": len(folders), **totals,
                      "seconds": round(seconds, 1), "claims_per_s": round(claims / seconds),
                      "seconds_per_file": round(seconds / len(folders), 2),
                      "peak_rss_mb": round(usage.ru_maxrss / 1024),
                      "python_cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                      "python_cpu_storing_s": round(storing_cpu, 1),  # without the start-up (imports, Django)
                      "server_cpu_s": round(server() or 0, 1),
                      "server_cpu_all_backends_s": backends.stop(),
                      "load": f"{load:.2f}-{os.getloadavg()[0]:.2f}",
                      "stages_s": {k: round(v, 1 if v >= 0.5 else 2) for k, v in stages.seconds.items()
                                   if v >= (0.5 if len(folders) == 1 else 0.05)},
                      "stages_python_cpu_s": {k: round(v, 1) for k, v in stages.python.items() if v >= 0.5},
                      "stages_server_cpu_s": {k: round(v, 1) for k, v in stages.server.items() if v >= 0.5}}))


def server_cpu() -> Any:
    """The CPU seconds the PostgreSQL backend of this connection spends from now (read from /proc: the server
    runs on this machine); on a loaded machine CPU seconds say more than wall seconds. None on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]

    start = process_cpu(pid)
    return lambda: process_cpu(pid) - start


class BackendsClock:
    """The CPU seconds of every PostgreSQL backend connected to this database from now (this process's own and
    those of threads with connections of their own, which end before the run does, and the parallel workers of
    any of them, which a large eligibility query starts): /proc is sampled every
    0.2 s for processes titled "postgres: … <database> …", and each one's last reading counts (a backend that
    ends loses at most its last 0.2 s). None on SQLite."""

    def __init__(self) -> None:
        import threading

        from django.db import connection

        self.database = connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._done = threading.Event()
        if self.database:
            self._sample()
            self.first = dict(self.last)
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()

    def _sample(self) -> None:
        workers = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
                if not title.startswith(b"postgres: "):
                    continue
                if b"parallel worker for PID " in title:  # titled by its leader's pid, not by the database
                    workers.append((int(entry.name), int(title.split(b"parallel worker for PID ")[1].split()[0])))
                elif f" {self.database} ".encode() in title:
                    self.last[int(entry.name)] = process_cpu(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
        for pid, leader in workers:
            if leader in self.last:
                try:
                    self.last[pid] = process_cpu(pid)
                except OSError:
                    continue

    def _loop(self) -> None:
        while not self._done.wait(0.2):
            self._sample()

    def stop(self) -> float | None:
        if not self.database:
            return None
        self._done.set()
        self._thread.join()
        self._sample()
        return round(sum(v - self.first.get(pid, 0.0) for pid, v in self.last.items()), 1)


class StatementClock:
    """A Django execute wrapper (--profile): the wall seconds of each SQL statement the ORM and cursors run,
    summed by statement text with its numbers blanked (COPY through psycopg's copy() is not seen here)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.count: dict[str, int] = {}

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        import re

        started = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            key = re.sub(r"\b\d+\b", "N", " ".join(str(sql).split()))[:300]
            self.seconds[key] = self.seconds.get(key, 0.0) + time.monotonic() - started
            self.count[key] = self.count.get(key, 0) + 1

    def report(self, path: Path, files: int) -> None:
        lines = [f"{'s/file':>8} {'n/file':>7}  statement"]
        for key, spent in sorted(self.seconds.items(), key=lambda kv: -kv[1]):
            lines.append(f"{spent / files:8.4f} {self.count[key] / files:7.1f}  {key}")
        path.write_text("\n".join(lines) + "\n")


class StageClock:
    """A progress that keeps the seconds of each stage process_submission names (read, check:<rule>, write)."""

    def __init__(self, server: Any) -> None:
        self.seconds: dict[str, float] = {}
        self.server: dict[str, float] = {}
        self.python: dict[str, float] = {}
        self._cpu = server
        self._name, self._at, self._server_at = "receive", time.monotonic(), server() or 0.0
        self._python_at = time.process_time()

    def stage(self, name: str, total: int | None = None) -> None:
        now, cpu, python = time.monotonic(), self._cpu() or 0.0, time.process_time()
        self.seconds[self._name] = self.seconds.get(self._name, 0.0) + now - self._at
        self.server[self._name] = self.server.get(self._name, 0.0) + cpu - self._server_at
        self.python[self._name] = self.python.get(self._name, 0.0) + python - self._python_at
        self._name, self._at, self._server_at, self._python_at = name, now, cpu, python

    def advance(self, count: int = 1) -> None:
        pass


def pack(folder: Path) -> Path:
    """The folder's files in one zip beside it (deflate, the default level), as a hospital's software sends them."""
    import zipfile

    target = folder.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(item, item.relative_to(folder).as_posix())
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--db", default="openuhc_bench_national")
    parser.add_argument("--workdir", default=str(HERE / "out" / "national"))
    parser.add_argument("--sqlite", metavar="FOLDER",
                        help="on SQLite instead: a database of its own in FOLDER (built on first use)")
    parser.add_argument("--persons", type=int, default=200_000, help="the SQLite registry's size (first use)")
    parser.add_argument("--twice", action="store_true",
                        help="then the same people and days again under new SEQs: every claim has a problem")
    parser.add_argument("--files", type=int, default=1,
                        help="store this many files of --visits each, one after another in one process")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile the storing (CPU time) into FILE (pstats), the SQL statements' wall "
                             "seconds into FILE.sql.txt")
    parser.add_argument("--zip", action="store_true",
                        help="send each file as a zip packed beforehand (not timed), as a hospital's software sends "
                             "it, instead of a folder the command packs")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sqlite:
        folder = Path(args.sqlite).resolve()
        args.workdir, url = str(folder), f"sqlite:///{folder / 'openuhc.sqlite3'}"
        if args.prepare:
            prepare_sqlite(folder, args.persons)
            return
        if not (folder / "state.json").exists():
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run([sys.executable, __file__, "--sqlite", str(folder), "--persons", str(args.persons),  # noqa: S603
                            "--prepare"], check=True)
    else:
        url = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    if args.measure:
        measure(args.measure, args.url, args.workdir, args.profile or "")
        return
    state = json.loads((Path(args.workdir) / "state.json").read_text())
    if "registry" not in state["stages"]:
        raise SystemExit("run national_month.py first (at least to its registry stage)")
    seed = f"B{time.time_ns() % 10**6}"
    rounds = [seed, f"{seed}R"] if args.twice else [seed]
    for prefix in rounds:
        with tempfile.TemporaryDirectory(prefix="openuhc-claims-store-") as tmp:
            folders = []
            for n in range(args.files):
                folder = Path(tmp) / f"submission{n}"
                write(folder, args.visits, state["size"]["persons"], f"{seed}F{n}" if n else seed,
                      f"{prefix}F{n}" if n else prefix)
                folders.append(str(pack(folder) if args.zip else folder))
            out = subprocess.run([sys.executable, __file__, "--measure", *folders, "--url", url,  # noqa: S603
                                  "--workdir", args.workdir, *(["--sqlite", args.sqlite] if args.sqlite else []),
                                  *(["--profile", str(Path(args.profile).resolve())] if args.profile else [])],
                                 check=True, stdout=subprocess.PIPE, text=True)
            print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
