"""Claims intake benchmark: parse + validate a synthetic submission; rows/s and peak memory.

    .venv/bin/python benchmarks/claims_parse.py                     # 1,000,000 OP visits (+3 % admissions)
    .venv/bin/python benchmarks/claims_parse.py --visits 250000     # a smaller one, to compare memory

It writes the 16-file text (CRLF, UTF-8 with Thai names, PAT in TIS-620) into a temporary folder, then
measures in a fresh child process: reading every file (encoding detection, header, pyarrow streaming into
DuckDB, typed as it arrives) and running every validation rule (DuckDB SQL; the registry is an empty
throw-away SQLite database, so the eligibility rule answers "not in the registry" from one query per 20,000
(citizen ID, date) pairs and one SQL statement). Reported:
rows read (all files), seconds, rows/s, OP visits/s and the child's peak RSS. Generating the files and
migrating the throw-away database are not timed.
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
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _cid(rng: random.Random) -> str:
    body = "1" + "".join(str(rng.randrange(10)) for _ in range(11))
    total = sum(int(d) * (13 - i) for i, d in enumerate(body))
    return body + str((11 - total % 11) % 10)


def generate(folder: Path, visits: int, seed: int = 1) -> int:
    """Write the files line by line (memory stays flat); returns the number of data rows."""
    from openuhc.claims.formats import FILES

    rng = random.Random(seed)  # noqa: S311 - synthetic data
    folder.mkdir(parents=True, exist_ok=True)
    handles = {}
    for name in ("INS", "PAT", "OPD", "ODX", "CHT", "CHA", "DRU", "IPD", "IDX", "IOP"):
        encoding = "cp874" if name == "PAT" else "utf-8"
        handle = (folder / f"{name}.txt").open("w", encoding=encoding, newline="")
        handle.write("|".join(FILES[name].known) + "\r\n")
        handles[name] = (handle, FILES[name].known)

    def write(name: str, **values: object) -> None:
        handle, columns = handles[name]
        handle.write("|".join(str(values.get(c, "")) for c in columns) + "\r\n")

    patients = max(1, visits // 4)
    rows = 0
    start = date(2025, 9, 1)
    for p in range(patients):
        hn = f"{p:08d}"
        cid = _cid(rng)
        write("PAT", HCODE="56001", HN=hn, DOB=(date(1940, 1, 1) + timedelta(days=rng.randrange(30000))).strftime(
            "%Y%m%d"), SEX=rng.choice((1, 2)), PERSON_ID=cid, FNAME="สมชาย", LNAME="ใจดี", TITLE="นาย")
        write("INS", HN=hn, INSCL="UCS", CID=cid, HOSPMAIN="56001", HOSPSUB="56001")
        rows += 2
    for v in range(visits):
        hn = f"{rng.randrange(patients):08d}"
        seq = f"S{v:09d}"
        day = (start + timedelta(days=rng.randrange(30))).strftime("%Y%m%d")
        write("OPD", HN=hn, CLINIC="00100", DATEOPD=day, TIMEOPD="0930", SEQ=seq, UUC=1)
        write("ODX", HN=hn, DATEDX=day, DIAG="J069", DXTYPE=1, SEQ=seq)
        rows += 2
        if v % 2:
            write("ODX", HN=hn, DATEDX=day, DIAG="R509", DXTYPE=4, SEQ=seq)
            rows += 1
        write("CHT", HN=hn, DATE=day, TOTAL="350.50", PAID="0.00", SEQ=seq)
        write("CHA", HN=hn, DATE=day, CHRGITEM="31", AMOUNT="250.00", SEQ=seq)
        write("CHA", HN=hn, DATE=day, CHRGITEM="41", AMOUNT="100.50", SEQ=seq)
        write("DRU", HCODE="56001", HN=hn, DATE_SERV=day, DID="1" * 24, DIDNAME="Paracetamol", AMOUNT="10",
              DRUGPRICE="1.00", TOTAL="10.00", SEQ=seq)
        rows += 4
        if v % 33 == 0:
            an = f"A{v:09d}"
            write("IPD", HN=hn, AN=an, DATEADM=day, TIMEADM="0800", DATEDSC=day, TIMEDSC="1600", DISCHS=2, DISCHT=1)
            write("IDX", AN=an, DIAG="K359", DXTYPE=1)
            write("IOP", AN=an, OPER="4709")
            write("CHT", HN=hn, AN=an, DATE=day, TOTAL="4000.00", SEQ=an)
            write("CHA", HN=hn, AN=an, DATE=day, CHRGITEM="31", AMOUNT="4000.00", SEQ=an)
            rows += 5
    for handle, _ in handles.values():
        handle.close()
    return rows


def measure(folder: str) -> None:
    """Runs in the child: parse + validate, print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    import django

    django.setup()
    from openuhc.claims.checking import check

    started = time.monotonic()
    with check(folder, unit_code="56001", received_on=date(2025, 10, 5)) as checked:
        checked_at = time.monotonic()
        con = checked.ctx.con
        problems = con.execute("SELECT count(*) FROM problems").fetchall()[0][0]
        by_code = dict(con.execute("SELECT code, count(*) FROM problems GROUP BY code ORDER BY code").fetchall())
        rows = checked.parsed.row_count
        visits = con.execute("SELECT count(*) FROM claims WHERE kind = 'OP'").fetchall()[0][0]
    seconds = checked_at - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"rows": rows, "visits": visits, "seconds": round(seconds, 2), "rows_per_s": int(rows / seconds),
                      "visits_per_s": int(visits / seconds), "peak_rss_mb": round(peak / 2**20),
                      "problems": problems, "problems_by_code": by_code, "cleanup_s": round(time.monotonic()
                                                                                              - checked_at, 2)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--measure", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    with tempfile.TemporaryDirectory(prefix="openuhc-bench-claims-") as tmp:
        folder = Path(tmp) / "submission"
        t0 = time.monotonic()
        rows = generate(folder, args.visits)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"generated {rows:,} rows, {size / 2**20:.0f} MB in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        env = dict(os.environ, OPENUHC_DATA_DIR=tmp, OPENUHC_DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3")
        subprocess.run([sys.executable, "-m", "openuhc", "migrate", "-v", "0"], env=env, check=True,  # noqa: S603
                       cwd=ROOT)
        out = subprocess.run([sys.executable, __file__, "--measure", str(folder)], env=env, check=True,  # noqa: S603
                             capture_output=True, text=True, cwd=ROOT)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["input_mb"] = round(size / 2**20)
        print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
