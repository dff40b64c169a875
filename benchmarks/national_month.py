"""A national month through the real path, on PostgreSQL: a synthetic country, then what the users run.

    .venv/bin/python benchmarks/national_month.py --persons 1000000 --op 300000 --ip 10000 --hospitals 200
    .venv/bin/python benchmarks/national_month.py --persons 10000000 --op 3100000 --ip 100000   # the lead's run

Stages, each in a child process of its own (its time and peak memory are its own):
  setup       a fresh database (migrate), the geography, the hospitals (each leads a CUP), FY2569's payment
              configuration, the Thai DRG 6.3 tables from OPENUHC_TDRG_PATH (default ../shared/tdrg/6.3; without
              them the demonstration set, whose groupings are approximate and held, so the IP round pays none)
  files       the registry file (one row per person, `openuhc import persons --mode load` format) and one month
              of 16-file submissions per hospital (OP visits and admissions of people registered there)
  registry    `openuhc import persons FILE --mode load` (the command, as a user runs it)
  claims      every submission through `claims.services.submit` — what `openuhc claims submit` and the upload
              worker call — in one process, one after another (a process per file would add Python start-up);
              with `--jobs N`, N worker processes store them at the same time (as N job workers would), each
              calling `submit` exactly so; the peak RSS is then the largest worker's or the stage's
  grouping    the month's admissions grouped (Thai DRG)
  review      the groupings held for review released, one by one as the review page does
  ip_round, fee_round, capitation   a round per region: start_run → compute → advance to published
  statements  every hospital's statement for the month
  analytics   the analytics store refreshed for the month

It runs unattended and resumes: finished stages are kept in WORKDIR/state.json (and submissions already stored are
not sent again); `--restart` drops the database and starts over; `--until STAGE` stops after that stage and
`--only STAGE` runs that one stage alone (again, if it has run: e.g. `--only capitation` on a loaded registry).
The results table (markdown) is printed at the end, with a projection of the full national month (47.7 M persons,
15 M OP visits, 0.5 M admissions) from the measured stage rates.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
STAGES = ["setup", "files", "registry", "claims", "grouping", "review", "ip_round", "fee_round", "capitation",
          "statements", "analytics"]
NATIONAL = {"persons": 47_700_000, "op": 15_000_000, "ip": 500_000}
MONTH = date(2025, 10, 1)  # October 2025, the first month of FY2569
RECEIVED = datetime(2025, 11, 5, 9, 0, tzinfo=UTC)
CUTOFF = date(2025, 11, 10)
OP_CODES = ["J069", "J00", "I10", "E119", "K30", "M545", "R509", "A099", "J209", "N390"]
IP_CODES = [("K358", "4709"), ("J189", ""), ("A099", ""), ("I639", ""), ("N390", ""), ("E119", "")]


def check_digit(body: str) -> str:
    return str((11 - sum(int(d) * (13 - i) for i, d in enumerate(body)) % 11) % 10)


def cid_of(index: int) -> str:
    body = f"1{index:011d}"
    return body + check_digit(body)


def scheme_of(i: int) -> str:
    """80 % UCS (registered with a hospital), 15 % social security, 5 % civil servants — by index, so that the
    claim files can send only the visits of UCS members (the fund's claims)."""
    roll = (i * 2654435761) % 2**32 * 100 // 2**32  # Knuth's multiplicative hash: no period in i
    return "UCS" if roll < 80 else "SSS" if roll < 95 else "CSMBS"


def unit_code(h: int) -> str:
    return f"{20001 + h:05d}"


def setup_django(args: argparse.Namespace) -> None:
    os.environ["OPENUHC_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ["OPENUHC_DATA_DIR"] = str(Path(args.workdir) / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "openuhc.settings"
    import django

    django.setup()


# --- stages (each runs in its own child process) -----------------------------------------------------------------

def stage_setup(args: argparse.Namespace) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from openuhc.budget.defaults import year_config
    from openuhc.budget.services import add_version
    from openuhc.core.dates import fiscal_year_bounds
    from openuhc.drg.demoset import install_demo_set
    from openuhc.geo.models import Subdistrict
    from openuhc.geo.services import load_geography, load_region_mapping
    from openuhc.providers import services as providers
    from openuhc.providers.models import Owner, UnitType

    load_geography()
    load_region_mapping()
    for fy in (2569, 2570):
        add_version(actor=None, scheme="UCS", fiscal_year=fy, valid_from=fiscal_year_bounds(fy)[0],
                    data=year_config(fy), note="national month benchmark")
    tdrg = os.environ.get("OPENUHC_TDRG_PATH", str(ROOT.parent / "shared" / "tdrg" / "6.3"))
    if Path(tdrg, "c63drg.dbf").exists():
        from openuhc.drg.tables import install_tables

        install_tables(tdrg, actor=None)  # the official Thai DRG 6.3 tables: exact groupings, paid by the IP round
    else:
        install_demo_set(actor=None)  # invented tables: groupings are approximate and held for review
    subs = list(Subdistrict.objects.order_by("code").values_list("pk", flat=True))
    moph, kind = Owner.objects.get(code="MOPH"), UnitType.objects.get(code="community")
    for h in range(args.hospitals):
        sub = Subdistrict.objects.get(pk=subs[h * len(subs) // args.hospitals])
        unit = providers.create_unit(actor=None, code=unit_code(h), name_th=f"โรงพยาบาล {h}", unit_type=kind,
                                     subdistrict=sub, owner=moph, owner_since=date(2010, 10, 1))
        providers.create_cup(actor=None, main_unit=unit, since=date(2010, 10, 1))
    return {"hospitals": args.hospitals}


def stage_files(args: argparse.Namespace) -> dict:
    from openuhc.providers.models import HealthUnit

    work = Path(args.workdir)
    subdistrict_of = dict(HealthUnit.objects.values_list("code", "subdistrict__code"))
    rng = random.Random(14)  # noqa: S311 - synthetic data
    started = time.monotonic()
    with (work / "persons.csv").open("w", encoding="utf-8", newline="") as out:
        out.write("citizen_id,title,first_name_th,last_name_th,sex,birth_date,subdistrict_code,scheme,coverage_from,"
                  "main_unit,primary_unit,referral_unit,registered_from\n")
        for i in range(args.persons):
            code = unit_code(i % args.hospitals)
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(30000))
            scheme = scheme_of(i)
            units = f"{code},{code},{code},{max(born, date(2021, 1, 1))}" if scheme == "UCS" else ",,,"
            sex = 1 + (i & 1)
            out.write(f"{cid_of(i)},{'นาย' if sex == 1 else 'นาง'},ทดสอบ{i % 997},ระบบ{i % 1009},{sex},{born},"
                      f"{subdistrict_of[code]},{scheme},{max(born, date(2002, 10, 1))},{units}\n")
    persons_s = time.monotonic() - started
    folder = work / "submissions"
    folder.mkdir(exist_ok=True)
    per_op, per_ip = args.op // args.hospitals, args.ip // args.hospitals
    for h in range(args.hospitals):
        write_submission(folder / unit_code(h), h, args, per_op + (1 if h < args.op % args.hospitals else 0),
                         per_ip + (1 if h < args.ip % args.hospitals else 0), rng)
    return {"persons_file_s": round(persons_s, 1), "files_s": round(time.monotonic() - started, 1)}


def write_submission(folder: Path, h: int, args: argparse.Namespace, visits: int, admissions: int,
                     rng: random.Random, key_prefix: str = "") -> None:
    from openuhc.claims.formats import FILES

    folder.mkdir(parents=True, exist_ok=True)
    code = unit_code(h)
    handles = {}
    for name in ("INS", "PAT", "OPD", "ODX", "CHT", "CHA", "DRU", "IPD", "IDX", "IOP"):
        handle = (folder / f"{name}.txt").open("w", encoding="utf-8", newline="")
        handle.write("|".join(FILES[name].known) + "\r\n")
        handles[name] = (handle, FILES[name].known)

    def write(name: str, **values: object) -> None:
        handle, columns = handles[name]
        handle.write("|".join(str(values.get(c, "")) for c in columns) + "\r\n")

    registered = max(1, (args.persons - h + args.hospitals - 1) // args.hospitals)  # people of this hospital
    patients: dict[int, str] = {}

    def patient(k: int) -> str:
        for _ in range(1000):  # the next UCS member of this hospital (80 % are)
            if scheme_of(h + k * args.hospitals) == "UCS":
                break
            k = (k + 1) % registered
        if k not in patients:
            i = h + k * args.hospitals
            hn = f"{k:09d}"
            patients[k] = hn
            rng2 = random.Random(i)  # noqa: S311 - the same birth date as in the registry file is not needed
            write("PAT", HCODE=code, HN=hn, DOB=(date(1940, 1, 1) + timedelta(days=rng2.randrange(30000))).strftime(
                "%Y%m%d"), SEX=1 + (i & 1), PERSON_ID=cid_of(i), FNAME="ทดสอบ", LNAME="ระบบ", TITLE="นาย")
            write("INS", HN=hn, INSCL="UCS", CID=cid_of(i), HOSPMAIN=code, HOSPSUB=code)
        return patients[k]

    for v in range(visits):
        hn = patient(rng.randrange(registered))
        seq = f"{key_prefix}S{v:09d}"
        day = (MONTH + timedelta(days=rng.randrange(31))).strftime("%Y%m%d")
        write("OPD", HN=hn, CLINIC="00100", DATEOPD=day, TIMEOPD="0930", SEQ=seq, UUC=1)
        write("ODX", HN=hn, DATEDX=day, DIAG=rng.choice(OP_CODES), DXTYPE=1, SEQ=seq)
        write("CHT", HN=hn, DATE=day, TOTAL="350.50", PAID="0.00", SEQ=seq)
        write("CHA", HN=hn, DATE=day, CHRGITEM="31", AMOUNT="250.00", SEQ=seq)
        write("CHA", HN=hn, DATE=day, CHRGITEM="41", AMOUNT="100.50", SEQ=seq)
        write("DRU", HCODE=code, HN=hn, DATE_SERV=day, DID="1" * 24, DIDNAME="Paracetamol", AMOUNT="10",
              DRUGPRICE="1.00", TOTAL="10.00", SEQ=seq)
    for a in range(admissions):
        hn = patient(rng.randrange(registered))
        an = f"{key_prefix}A{a:09d}"
        admitted = MONTH + timedelta(days=rng.randrange(25))
        discharged = admitted + timedelta(days=1 + rng.randrange(4))
        pdx, proc = rng.choice(IP_CODES)
        write("IPD", HN=hn, AN=an, DATEADM=admitted.strftime("%Y%m%d"), TIMEADM="0800",
              DATEDSC=discharged.strftime("%Y%m%d"), TIMEDSC="1600", DISCHS=2, DISCHT=1, WARDDSC="01")
        write("IDX", AN=an, DIAG=pdx, DXTYPE=1)
        if proc:
            write("IOP", AN=an, OPER=proc, OPTYPE=1, DATEIN=admitted.strftime("%Y%m%d"))
        write("CHT", HN=hn, AN=an, DATE=discharged.strftime("%Y%m%d"), TOTAL="4000.00", PAID="0.00", SEQ=an)
        write("CHA", HN=hn, AN=an, DATE=discharged.strftime("%Y%m%d"), CHRGITEM="31", AMOUNT="4000.00", SEQ=an)
    for handle, _ in handles.values():
        handle.close()


def stage_registry(args: argparse.Namespace) -> dict:
    from django.core.management import call_command

    from openuhc.registry.models import RegistryImport

    if not RegistryImport.objects.filter(status="stored", mode="load").exists():
        call_command("import", "persons", str(Path(args.workdir) / "persons.csv"), "--mode", "load")
    record = RegistryImport.objects.get(status="stored", mode="load")
    return {"rows": record.rows_read, "added": record.added, "units": args.persons}


def submit_one(folder: str) -> tuple[str, str, str]:
    """One hospital's submission through `claims.services.submit` (in the stage's process or in a worker)."""
    from openuhc.claims import services

    submission = services.submit(Path(folder), unit_code=Path(folder).name, actor=None, received_at=RECEIVED)
    return Path(folder).name, submission.status, submission.error_message


def stage_claims(args: argparse.Namespace) -> dict:
    from openuhc.claims import services
    from openuhc.claims.models import Submission

    done = set(Submission.objects.filter(status="processed").values_list("unit__code", flat=True))
    services.recover_interrupted()
    folders = sorted((Path(args.workdir) / "submissions").iterdir())
    todo = [str(folder) for folder in folders if folder.name not in done]
    if args.jobs > 1:
        # N worker processes (started fresh, each with its own connection), as N job workers would store the
        # hospitals' uploads: each calls submit exactly as the sequential path does.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from django.db import connections

        connections.close_all()
        with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=setup_django, initargs=(args,)) as pool:
            results = list(pool.map(submit_one, todo))
    else:
        results = [submit_one(folder) for folder in todo]
    for unit, status, error in results:
        if status != "processed":
            raise SystemExit(f"{unit}: {status} {error}")
    sent = len(results)
    totals = Submission.objects.filter(status="processed").values_list("op_count", "ip_count", "accepted_count",
                                                                        "problem_count")
    op = sum(t[0] for t in totals)
    ip = sum(t[1] for t in totals)
    return {"submissions": sent, "jobs": args.jobs, "op": op, "ip": ip, "accepted": sum(t[2] for t in totals),
            "problems": sum(t[3] for t in totals), "units": op + ip,
            "note": "" if sent == len(folders) else f"resumed: {len(folders) - sent} stored before"}


def stage_grouping(args: argparse.Namespace) -> dict:
    from openuhc.claims.models import Claim
    from openuhc.drg.claims import group_claims

    counts = group_claims(Claim.objects.all(), actor=None, workers=2)
    return {**counts, "units": sum(v for k, v in counts.items() if k in ("grouped", "held", "rejected"))}


def stage_review(args: argparse.Namespace) -> dict:
    """The regional officers release the groupings held for review (approximate without the DCL table): one
    `claims.lifecycle.review` per claim, as the review page does."""
    from openuhc.claims.lifecycle import held_for_review, review
    from openuhc.payment.workflow import scope_of

    n = 0
    for claim in held_for_review(scope_of(None)).iterator():
        review(claim, actor=None, release=True, reason="benchmark: coding checked")
        n += 1
    return {"released": n, "units": n}


def _regions() -> list:
    from openuhc.geo.models import Region
    from openuhc.providers.models import HealthUnit

    numbers = set(HealthUnit.objects.filter(led_cup__isnull=False).values_list(
        "subdistrict__district__province__region__number", flat=True))
    return list(Region.objects.filter(number__in=numbers).order_by("number"))


def _round(kind: str, **dates: date) -> dict:
    from openuhc.payment import workflow
    from openuhc.payment.models import PaymentRun
    from openuhc.registry.models import Scheme

    scheme = Scheme.objects.get(code="UCS")
    lines = 0
    for region in _regions():
        run = PaymentRun.objects.filter(scheme=scheme, region=region, kind=kind).first()
        if run is None:
            run = workflow.start_run(actor=None, scheme=scheme, region=region, kind=kind, note="benchmark", **dates)
        run = workflow.compute(actor=None, run=run, workers=2)
        while run.status != PaymentRun.Status.PUBLISHED:
            run = workflow.advance(actor=None, run=run, note="benchmark")
        lines += run.unit_payments.count()
    return {"regions": len(_regions()), "unit_lines": lines}


def stage_ip_round(args: argparse.Namespace) -> dict:
    return {**_round("ip", cutoff=CUTOFF), "units": args.ip}


def stage_fee_round(args: argparse.Namespace) -> dict:
    return {**_round("fee", cutoff=CUTOFF), "units": args.op}


def stage_capitation(args: argparse.Namespace) -> dict:
    return {**_round("capitation", period=MONTH), "units": args.persons}


def stage_statements(args: argparse.Namespace) -> dict:
    from openuhc.payment.statements import statement
    from openuhc.providers.models import HealthUnit

    n = 0
    for unit in HealthUnit.objects.filter(led_cup__isnull=False).order_by("code"):
        statement(unit=unit, period=MONTH)
        n += 1
    return {"statements": n, "units": n}


def stage_analytics(args: argparse.Namespace) -> dict:
    from openuhc.monitoring import facts
    from openuhc.monitoring.services import refresh

    months = facts.months_between(2569, MONTH.replace(day=31))
    record = refresh(months=months, trigger="benchmark")
    return {"status": record.status, "rows": sum(v for v in record.rows.values() if isinstance(v, int)),
            "units": args.op + args.ip}


# --- driver ------------------------------------------------------------------------------------------------------

def run_stage(name: str, args: argparse.Namespace) -> None:
    """In the child: run one stage, print its result as JSON on the last line."""
    setup_django(args)
    started = time.monotonic()
    result = globals()[f"stage_{name}"](args)
    result["seconds"] = round(time.monotonic() - started, 1)
    result["peak_rss_mb"] = round(max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024)
    print(json.dumps(result, default=str), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--op", type=int, default=3_100_000)
    parser.add_argument("--ip", type=int, default=100_000)
    parser.add_argument("--hospitals", type=int, default=1000)
    parser.add_argument("--db", default="openuhc_bench_national")
    parser.add_argument("--workdir", default=str(ROOT / "benchmarks" / "out" / "national"))
    parser.add_argument("--restart", action="store_true", help="drop the database and the files, start over")
    parser.add_argument("--jobs", type=int, default=1,
                        help="the claims stage stores the submissions with this many worker processes")
    parser.add_argument("--until", choices=STAGES, help="stop after this stage (the rest runs on the next call)")
    parser.add_argument("--only", choices=STAGES, action="append", default=[],
                        help="run only this stage (again if finished; what it stored before is kept: a round "
                             "already published is not computed again)")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage(args.stage, args)
        return
    work = Path(args.workdir)
    state_file = work / "state.json"
    size = {"persons": args.persons, "op": args.op, "ip": args.ip, "hospitals": args.hospitals}
    state = json.loads(state_file.read_text()) if state_file.exists() and not args.restart else {}
    if state and state.get("size") != size:
        raise SystemExit(f"{work} holds a run of another size {state.get('size')}: use --restart")
    if not state:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", args.db], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], check=True)
        state = {"size": size, "stages": {}}
        state_file.write_text(json.dumps(state, indent=1))
    for name in STAGES:
        if args.only and name not in args.only:
            continue
        if name in state["stages"] and not args.only:
            if name == args.until:
                break
            continue
        print(f"[{datetime.now():%H:%M:%S}] {name} …", file=sys.stderr, flush=True)
        load = os.getloadavg()[0]
        command = [sys.executable, __file__, "--stage", name, *_passed_on(sys.argv[1:])]
        out = subprocess.run(command, check=False, stdout=subprocess.PIPE, text=True, cwd=ROOT)  # noqa: S603
        if out.returncode != 0:
            raise SystemExit(f"stage {name} failed (exit {out.returncode}); run again to resume from it")
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["load_before"] = round(load, 2)
        result["load_after"] = round(os.getloadavg()[0], 2)
        state["stages"][name] = result
        state_file.write_text(json.dumps(state, indent=1))
        print(f"    {json.dumps(result)}", file=sys.stderr, flush=True)
        if name == args.until:
            break
    print(table(state))


def _passed_on(argv: list[str]) -> list[str]:
    """The size and place options for a stage's child (not --restart, --until, --only)."""
    kept: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--until", "--only"):
            skip = True
        elif arg != "--restart" and not arg.startswith(("--until=", "--only=")):
            kept.append(arg)
    return kept


def table(state: dict) -> str:
    size = state["size"]
    scale = {"registry": NATIONAL["persons"] / size["persons"], "capitation": NATIONAL["persons"] / size["persons"],
             "claims": (NATIONAL["op"] + NATIONAL["ip"]) / (size["op"] + size["ip"]),
             "grouping": NATIONAL["ip"] / size["ip"], "review": NATIONAL["ip"] / size["ip"],
             "ip_round": NATIONAL["ip"] / size["ip"],
             "fee_round": NATIONAL["op"] / size["op"], "analytics": (NATIONAL["op"] + NATIONAL["ip"]) / (
                 size["op"] + size["ip"]), "statements": 1.0}
    lines = [f"Size: {size['persons']:,} persons, {size['op']:,} OP visits, {size['ip']:,} admissions, "
             f"{size['hospitals']:,} hospitals.", "",
             "| stage | what | seconds | per second | peak RSS MiB | load avg | projected national s |",
             "|---|---|---|---|---|---|---|"]
    total = projected = 0.0
    for name in STAGES:
        r = state["stages"].get(name)
        if r is None:
            continue
        seconds = r["seconds"]
        units = r.get("units")
        rate = f"{units / seconds:,.0f}" if units and seconds else ""
        what = ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in r.items()
                         if k not in ("seconds", "peak_rss_mb", "load_before", "load_after", "units") and v != "")
        national = seconds * scale.get(name, 1.0) if name in scale else None
        if name not in ("setup", "files"):
            total += seconds
            projected += national or 0
        lines.append(f"| {name} | {what} | {seconds:,.1f} | {rate} | {r['peak_rss_mb']:,} | "
                     f"{r['load_before']}–{r['load_after']} | {'' if national is None else f'{national:,.0f}'} |")
    lines.append(f"| **the month (registry … analytics)** | | {total:,.1f} | | | | {projected:,.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
