"""One large submission through `claims.services.submit` (check + eligibility + store) on a loaded registry.

    .venv/bin/python benchmarks/claims_store.py --visits 1000000            # PostgreSQL, after national_month.py
    .venv/bin/python benchmarks/claims_store.py --visits 200000 --db openuhc_bench_national

It reuses the database national_month.py built (its registry and hospitals): the submission is hospital 20001's,
its visits are of the registry's UCS members (any of them: care anywhere, `claims.op_referral_required` is off by
default), one to four diagnoses' worth of rows per visit as in the national benchmark, 3 % admissions. The file is
written first (not timed); then a child process stores it and reports seconds, claims/s and peak RSS.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import national_month as nm  # noqa: E402 - the same synthetic country


def write(folder: Path, visits: int, persons: int, hospitals: int) -> None:
    args = argparse.Namespace(persons=persons, hospitals=1)
    # hospitals=1 in the writer: "the people of this hospital" is then every person of the registry
    # keys of their own (the month's file of this hospital is not replaced)
    prefix = f"B{time.time_ns() % 10**6}"
    # a seed of its own too: a second run with the first one's people and days would repeat visits already stored
    # (every claim then rejected as the same person's second visit that day, which is another measurement)
    rng = random.Random(prefix)  # noqa: S311
    nm.write_submission(folder, 0, args, visits, visits * 3 // 100, rng, key_prefix=prefix)
    del hospitals


def measure(folder: str, db: str, workdir: str) -> None:
    nm.setup_django(argparse.Namespace(db=db, workdir=workdir))
    from openuhc.claims import services

    started = time.monotonic()
    submission = services.submit(folder, unit_code=nm.unit_code(0), actor=None, received_at=nm.RECEIVED)
    seconds = time.monotonic() - started
    claims = submission.op_count + submission.ip_count
    print(json.dumps({"status": submission.status, "op": submission.op_count, "ip": submission.ip_count,
                      "accepted": submission.accepted_count, "problems": submission.problem_count,
                      "seconds": round(seconds, 1), "claims_per_s": round(claims / seconds),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                      "load": round(os.getloadavg()[0], 2)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--db", default="openuhc_bench_national")
    parser.add_argument("--workdir", default=str(HERE / "out" / "national"))
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.db, args.workdir)
        return
    state = json.loads((Path(args.workdir) / "state.json").read_text())
    if "registry" not in state["stages"]:
        raise SystemExit("run national_month.py first (at least to its registry stage)")
    with tempfile.TemporaryDirectory(prefix="openuhc-claims-store-") as tmp:
        folder = Path(tmp) / "submission"
        write(folder, args.visits, state["size"]["persons"], state["size"]["hospitals"])
        out = subprocess.run([sys.executable, __file__, "--measure", str(folder), "--db", args.db,  # noqa: S603
                              "--workdir", args.workdir], check=True, stdout=subprocess.PIPE, text=True)
        print(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
