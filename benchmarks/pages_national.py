#!/usr/bin/env python3
"""Pages and API at national size, timed through HTTP on the running server (gunicorn).

    .venv/bin/pip install gunicorn        # the WSGI server the benchmark starts (not a dependency of OpenUHC)
    .venv/bin/python benchmarks/pages_national.py --persons 1000000 --claims 300000
    .venv/bin/python benchmarks/pages_national.py --persons 10000000 --claims 3000000 --db oh_pages_national

The fixture is written straight into the tables by set-based SQL (generate_series), not through the registry
import or the claims upload (their speed is measured by national_month.py and claims_store.py): N persons with a
coverage (80 % UCS, registered with one of --units units; 20 % SSS), claims spread over the units and the 12
months of FY2569 (one submission per unit and month; a diagnosis, a charge line and an event each; a problem for
each rejected one), one more submission of 100,000 claims, and a published inpatient round per region for May
2026 (the statements). Built once in the PostgreSQL database --db (127.0.0.1, user postgres); each step is
recorded in a table bench_pages_step, so a killed build resumes at the step it was in (--fresh drops the database).

Then it starts gunicorn on the database, signs in as a national officer, a hospital user and an API client, and
requests each page --requests times (--concurrency at once, after 10 warm-up requests), printing one Markdown
row per page: p50, p95 and max in milliseconds, the CPU per request of the server's processes and of the database's
backends (from /proc: on a shared machine CPU says more than wall time), and whether p95 is under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from proc_cpu import process_cpu  # this folder is the script's: on the path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
MONTHS = 12
FIRST_MONTH = date(2025, 10, 1)  # FY2569
STATEMENT_MONTH = "2026-05"

# Thai name parts and their romanisation: first names are F1+F2 (240), last names L1+L2+L3 (4,000).
F1 = [("สม", "som"), ("สุ", "su"), ("วิ", "wi"), ("ประ", "pra"), ("กิต", "kit"), ("อรุณ", "arun"), ("ชัย", "chai"),
      ("นภ", "napha"), ("พร", "phon"), ("ศรี", "si"), ("มาน", "man"), ("จันท", "chan"), ("บุญ", "bun"),
      ("ธนา", "thana"), ("ปิย", "piya"), ("รัต", "rat"), ("กมล", "kamon"), ("อำ", "am"), ("เพ็ญ", "phen"),
      ("ไพ", "phai")]
F2 = [("ชาย", "chai"), ("ศักดิ์", "sak"), ("ใจ", "jai"), ("พร", "phon"), ("ศรี", "si"), ("ดี", "di"), ("นา", "na"),
      ("วงศ์", "wong"), ("ภา", "pha"), ("รัตน์", "rat"), ("ทิพย์", "thip"), ("พล", "phon")]
L1 = [("ใจ", "jai"), ("แสง", "saeng"), ("ทอง", "thong"), ("ศรี", "si"), ("บุญ", "bun"), ("สุข", "suk"),
      ("มั่น", "man"), ("เจริญ", "charoen"), ("วง", "wong"), ("พันธ์", "phan"), ("กาญจน", "kanchana"),
      ("อินทร", "inthra"), ("ชัย", "chai"), ("รุ่ง", "rung"), ("เพชร", "phet"), ("ศักดิ์", "sak"), ("นาค", "nak"),
      ("ปาน", "pan"), ("สิทธิ์", "sit"), ("คำ", "kham")]
L2 = [("ดี", "di"), ("สว่าง", "sawang"), ("มา", "ma"), ("สม", "som"), ("ยิ่ง", "ying"), ("ประเสริฐ", "prasoet"),
      ("วิเศษ", "wiset"), ("ทอง", "thong"), ("แก้ว", "kaeo"), ("เรือง", "rueang"), ("ศรี", "si"), ("สุข", "suk"),
      ("พงษ์", "phong"), ("ฤทธิ์", "rit"), ("งาม", "ngam"), ("วงศ์", "wong"), ("ชาติ", "chat"), ("ธรรม", "tham"),
      ("รักษ์", "rak"), ("เดช", "det")]
L3 = [("", ""), ("กุล", "kun"), ("สกุล", "sakun"), ("วงศ์", "wong"), ("พันธุ์", "phan"), ("ชัย", "chai"),
      ("ศรี", "si"), ("ทอง", "thong"), ("รัตน์", "rat"), ("วัฒน์", "wat")]


def configure(db: str, fresh: bool) -> None:
    OUT.mkdir(exist_ok=True)
    os.environ["OPENUHC_DATA_DIR"] = str(OUT / "data")
    if fresh:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=True)
    exists = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc",
                             f"SELECT 1 FROM pg_database WHERE datname = '{db}'"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if not exists:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    os.environ["OPENUHC_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "openuhc.settings"
    os.environ.setdefault("OPENUHC_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    # the server and this process sign sessions with the same key: the sessions made here are the server's
    os.environ.setdefault("OPENUHC_SECRET_KEY", "bench-pages-national-" + "x" * 50)
    os.environ["OPENUHC_DEBUG"] = "0"
    import django

    django.setup()


def say(text: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def sql(statement: str, params: list | tuple | None = None) -> list:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def step(name: str, work) -> None:  # noqa: ANN001
    """Run `work` once: in one transaction with the row that records it as done."""
    from django.db import transaction

    sql("CREATE TABLE IF NOT EXISTS bench_pages_step (name text PRIMARY KEY, seconds float, done_at timestamptz)")
    if sql("SELECT 1 FROM bench_pages_step WHERE name = %s", [name]):
        return
    started = time.monotonic()
    with transaction.atomic():
        work()
        sql("INSERT INTO bench_pages_step VALUES (%s, %s, now())", [name, time.monotonic() - started])
    say(f"{name}: {time.monotonic() - started:.0f} s")


def array(values: list[str]) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]::text[]"


def build(persons: int, claims: int, units: int, big: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    step("schema", lambda: base(units))
    unit_ids = [row[0] for row in sql("SELECT id FROM providers_healthunit WHERE code LIKE '9%%' ORDER BY code")]
    chunk = 1_000_000
    for start in range(0, persons, chunk):
        step(f"persons {start + 1}-{min(start + chunk, persons)}",
             lambda s=start: load_persons(s + 1, min(s + chunk, persons), unit_ids))
    step("persons done", lambda: finish_persons())
    regular = claims - big
    step("submissions", lambda: submissions(unit_ids))
    chunk = 500_000
    for start in range(0, regular, chunk):
        step(f"claims {start + 1}-{min(start + chunk, regular)}",
             lambda s=start: load_claims(s + 1, min(s + chunk, regular), unit_ids, persons, big=False))
    step("big submission", lambda: load_claims(regular + 1, claims, unit_ids, persons, big=True))
    step("claims done", finish_claims)
    step("statements", lambda: statements(unit_ids))
    step("analyze", lambda: sql("ANALYZE"))


def base(units: int) -> None:
    from openuhc.accounts.roles import Role
    from openuhc.accounts.services import create_user
    from openuhc.geo.models import Subdistrict
    from openuhc.geo.services import load_geography, load_region_mapping
    from openuhc.providers import services as providers
    from openuhc.providers.models import Owner, UnitType

    load_geography()
    load_region_mapping()
    subs = list(Subdistrict.objects.order_by("id"))
    moph, hospital = Owner.objects.get(code="MOPH"), UnitType.objects.get(code="shph")
    step_size = max(1, len(subs) // units)
    made = [providers.create_unit(actor=None, code=f"9{i:04d}", name_th=f"หน่วยทดสอบ {i}", unit_type=hospital,
                                  subdistrict=subs[(i * step_size) % len(subs)], owner=moph,
                                  owner_since=date(2010, 1, 1)) for i in range(units)]
    create_user(username="bench_national", password=None, role=Role.NATIONAL)
    create_user(username="bench_hospital", password=None, role=Role.HOSPITAL, unit=made[0])
    # the check digit of the Thai citizen ID (openuhc_packs.th.ids.check_digit), for ids made in SQL
    sql("""CREATE OR REPLACE FUNCTION bench_cid(i bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
           SELECT b || ((11 - (SELECT sum(substr(b, k, 1)::int * (14 - k)) FROM generate_series(1, 12) k) % 11)
                        % 10)::text
           FROM (SELECT '1' || lpad(i::text, 11, '0') AS b) s $$""")


def part(parts: list[tuple[str, str]], divisor: int, language: int, h: str) -> str:
    """SQL choosing one of `parts` (Thai: language 0, romanised: 1) by the hash `h` divided by `divisor`."""
    return f"({array([p[language] for p in parts])})[1 + ({h} / {divisor}) % {len(parts)}]"


def load_persons(first: int, last: int, unit_ids: list[int]) -> None:
    """Persons `first`..`last` (their ids), a coverage each, a registration for the UCS ones (80 %)."""
    ucs, sss = (sql("SELECT id FROM registry_scheme WHERE code = %s", [c])[0][0] for c in ("UCS", "SSS"))
    subs = "(SELECT array_agg(id ORDER BY id) AS a FROM geo_subdistrict)"
    units = "ARRAY[" + ",".join(map(str, unit_ids)) + "]::bigint[]"
    series = f"generate_series({first}, {last}) AS i"
    sql(f"""INSERT INTO registry_registration (id, effective_from, is_change, reason, source, recorded_at,
                   main_unit_id, primary_unit_id, referral_unit_id, person_id)
            SELECT i, DATE '2021-01-01', false, '', 'bench', now(), u, u, u, i
            FROM (SELECT i, ({units})[1 + i % {len(unit_ids)}] AS u FROM {series}) s WHERE i % 10 < 8""")
    h = "((i * 2654435761) % 4294967291)"
    sql(f"""INSERT INTO registry_person (id, citizen_id, title, first_name_th, last_name_th, first_name_en,
                   last_name_en, sex, birth_date, created_at, subdistrict_id, current_registration_id)
            SELECT i, bench_cid(i), '',
                   {part(F1, 1, 0, h)} || {part(F2, 20, 0, h)},
                   {part(L1, 240, 0, h)} || {part(L2, 4800, 0, h)} || {part(L3, 96000, 0, h)},
                   initcap({part(F1, 1, 1, h)} || {part(F2, 20, 1, h)}),
                   initcap({part(L1, 240, 1, h)} || {part(L2, 4800, 1, h)} || {part(L3, 96000, 1, h)}),
                   1 + i % 2, DATE '1940-01-01' + ({h} % 29000)::int, now(),
                   subs.a[1 + {h} % array_length(subs.a, 1)], CASE WHEN i % 10 < 8 THEN i END
            FROM {series}, {subs} AS subs""")
    sql(f"""INSERT INTO registry_coverage (id, valid_from, source, recorded_at, person_id, scheme_id)
            SELECT i, DATE '2002-10-01', 'bench', now(), i, CASE WHEN i % 10 < 8 THEN {ucs} ELSE {sss} END
            FROM {series}""")


def finish_persons() -> None:
    for table in ("registry_person", "registry_registration", "registry_coverage"):
        sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    sql("ANALYZE registry_person")


def submissions(unit_ids: list[int]) -> None:
    """One submission per unit and month (ids 1 + u * 12 + m), and the large one (the next id) of the first unit."""
    units = "ARRAY[" + ",".join(map(str, unit_ids)) + "]::bigint[]"
    sql(f"""INSERT INTO claims_submission (id, file_name, original, size, sha256, encodings, received_at, channel,
                   status, service_month, rows, op_count, ip_count, accepted_count, rejected_count, replaced_count,
                   problem_count, tables_missing, error_message, unit_id, worker)
            SELECT 1 + u * {MONTHS} + m, 'bench-' || u || '-' || m || '.zip', '', 0, md5(u || '-' || m) || md5(m || ''),
                   '{{}}', (DATE '{FIRST_MONTH}' + make_interval(months => m + 1))::timestamptz, 'web', 'processed',
                   DATE '{FIRST_MONTH}' + make_interval(months => m), 0, 0, 0, 0, 0, 0, 0, false, '',
                   ({units})[1 + u], ''
            FROM generate_series(0, {len(unit_ids) - 1}) u, generate_series(0, {MONTHS - 1}) m""")
    big = 1 + len(unit_ids) * MONTHS
    sql(f"""INSERT INTO claims_submission (id, file_name, original, size, sha256, encodings, received_at, channel,
                   status, service_month, rows, op_count, ip_count, accepted_count, rejected_count, replaced_count,
                   problem_count, tables_missing, error_message, unit_id, worker)
            VALUES ({big}, 'bench-big.zip', '', 0, md5('big') || md5('big2'), '{{}}', now(), 'web', 'processed',
                    DATE '2026-09-01', 0, 0, 0, 0, 0, 0, 0, false, '', {unit_ids[0]}, '')""")


def load_claims(first: int, last: int, unit_ids: list[int], persons: int, *, big: bool) -> None:
    """Claims `first`..`last` (their ids) with a diagnosis, a charge line and an event each, and a problem for each
    rejected one. 1 in 10 is an admission; 1 in 50 rejected; the first six months paid, the others accepted."""
    n = len(unit_ids)
    units = "ARRAY[" + ",".join(map(str, unit_ids)) + "]::bigint[]"
    if big:
        unit, month, submission = f"{unit_ids[0]}", "11", f"{1 + n * MONTHS}"
    else:
        unit, month = f"({units})[1 + g % {n}]", f"(g / {n}) % {MONTHS}"
        submission = f"1 + (g % {n}) * {MONTHS} + (g / {n}) % {MONTHS}"
    status = (f"CASE WHEN g % 50 = 1 THEN 'rejected' WHEN g % 50 = 10 THEN 'held' "
              f"WHEN {month} < 6 THEN 'paid' ELSE 'accepted' END")
    sql(f"""INSERT INTO claims_claim (id, kind, key, hn, citizen_id, inscl, sex, birth_date, age_years, service_date,
                   service_time, discharge_date, discharge_time, leave_days, clinic, ward, drg, total_charge,
                   paid_by_patient, extra, line, status, is_current, received_at, person_id, unit_id, submission_id)
            SELECT g, CASE WHEN g % 10 = 0 THEN 'IP' ELSE 'OP' END, 'K' || g, 'H' || p, bench_cid(p), 'UCS',
                   1 + p % 2, DATE '1960-01-01', 60,
                   (DATE '{FIRST_MONTH}' + make_interval(months => ({month})::int))::date + ((g * 7) % 28)::int, '0900',
                   CASE WHEN g % 10 = 0 THEN (DATE '{FIRST_MONTH}' + make_interval(months => ({month})::int))::date
                        + ((g * 7) % 28 + 3)::int END,
                   '', 0, '01', '', '', 100 + (g % 5000), 0, '{{}}', g, {status}, true,
                   (DATE '{FIRST_MONTH}' + make_interval(months => ({month})::int + 1))::timestamptz,
                   p, {unit}, {submission}
            FROM (SELECT g, 1 + (g * 7919) % {persons} AS p FROM generate_series({first}::bigint, {last}) g) s""")
    sql(f"""INSERT INTO claims_diagnosis (line, code, dxtype, doctor, claim_id)
            SELECT 1, (ARRAY['J069','I10','E119','K359','A09','N390'])[1 + g % 6], 1, 'D1', g
            FROM generate_series({first}, {last}) g""")
    sql(f"""INSERT INTO claims_charge (line, item, amount, claim_id)
            SELECT 1, '1', 100 + (g % 5000), g FROM generate_series({first}, {last}) g""")
    sql(f"""INSERT INTO claims_claimevent (status, at, detail, claim_id)
            SELECT status, received_at, '{{}}', id FROM claims_claim WHERE id BETWEEN {first} AND {last}""")
    sql(f"""INSERT INTO claims_problem (file, line, field, code, klass, message_th, message_en, claim_id,
                   submission_id)
            SELECT 'OPD', line, 'DATEOPD', 'E201', 'fix', 'วันที่รับบริการไม่ถูกต้อง', 'The service date is wrong', id,
                   submission_id
            FROM claims_claim WHERE id BETWEEN {first} AND {last} AND status = 'rejected'""")


def finish_claims() -> None:
    sql("SELECT setval(pg_get_serial_sequence('claims_claim', 'id'), (SELECT max(id) FROM claims_claim))")
    sql("SELECT setval(pg_get_serial_sequence('claims_submission', 'id'), (SELECT max(id) FROM claims_submission))")
    sql("""UPDATE claims_submission s SET op_count = c.op, ip_count = c.ip, accepted_count = c.ok,
                  rejected_count = c.bad, problem_count = c.bad, rows = c.op + c.ip
           FROM (SELECT submission_id, count(*) FILTER (WHERE kind = 'OP') op, count(*) FILTER (WHERE kind = 'IP') ip,
                        count(*) FILTER (WHERE status <> 'rejected') ok, count(*) FILTER (WHERE status = 'rejected') bad
                 FROM claims_claim GROUP BY submission_id) c WHERE c.submission_id = s.id""")


def statements(unit_ids: list[int]) -> None:
    """A published inpatient round per region for May 2026 paying the admissions served that month."""
    from decimal import Decimal

    from openuhc.payment.models import PaymentRun
    from openuhc.providers.models import HealthUnit
    from openuhc.registry.models import Scheme

    ucs = Scheme.objects.get(code="UCS")
    by_region: dict[int, list[int]] = {}
    for unit in HealthUnit.objects.filter(pk__in=unit_ids).select_related("subdistrict__district__province"):
        by_region.setdefault(unit.subdistrict.district.province.region_id, []).append(unit.pk)
    period = date.fromisoformat(f"{STATEMENT_MONTH}-01")
    for region_id, ids in by_region.items():
        run = PaymentRun.objects.create(scheme=ucs, region_id=region_id, period=period, kind=PaymentRun.Kind.IP,
                                        fiscal_year=2569, number=1, cutoff=date(2026, 5, 31),
                                        status=PaymentRun.Status.PUBLISHED, gross=Decimal(0), deductions=Decimal(0),
                                        net=Decimal(0), units=len(ids))
        listed = ",".join(map(str, ids))
        sql(f"""INSERT INTO payment_claimpayment (run_id, claim_type, claim_id, is_adjustment, fiscal_year, unit_id,
                       gross, rti_deduction, salary_deduction, net, detail, paid_at)
                SELECT {run.pk}, 'ip', id, false, 2569, unit_id, total_charge, 0, 0, total_charge,
                       jsonb_build_object('drg', '04530', 'rw', '0.8', 'adjrw', '0.8', 'adjrw2', '0.8',
                                          'exact', true, 'discharged', discharge_date::text, 'rate', '8350.00'),
                       now()
                FROM claims_claim WHERE kind = 'IP' AND unit_id IN ({listed}) AND status <> 'rejected'
                  AND service_date >= DATE '{period}' AND service_date < DATE '{period}' + interval '1 month'""")
        sql(f"""INSERT INTO payment_unitpayment (run_id, unit_id, population, claims, adjrw, gross, rti_deduction,
                       salary_deduction, net)
                SELECT {run.pk}, u, 0, count(c.id), 0.8 * count(c.id), coalesce(sum(c.gross), 0), 0, 0,
                       coalesce(sum(c.net), 0)
                FROM unnest(ARRAY[{listed}]::bigint[]) u
                LEFT JOIN payment_claimpayment c ON c.run_id = {run.pk} AND c.unit_id = u GROUP BY u""")


# --- timing -----------------------------------------------------------------------------------------------------

def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ}
    server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "openuhc.wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"],
                              cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    import requests

    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=30)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("the server did not start")


def session_cookie(username: str) -> str:
    """A signed-in session for `username`, made the way django.contrib.auth.login makes one."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def cpu_seconds(server_pid: int) -> dict[tuple[str, int], float]:
    """CPU seconds so far of the server's processes (gunicorn's master and workers: one process group) and of the
    database's backends (this machine's PostgreSQL, read from /proc), by process id: on a shared machine the CPU a
    page took says more than its wall time."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        pids = [("db", pid) for (pid,) in cursor.fetchall()]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == server_pid:
                    pids.append(("app", int(entry.name)))
            except OSError:
                pass
    found = {}
    for kind, pid in pids:
        try:
            found[(kind, pid)] = process_cpu(pid)
        except OSError:  # ended meanwhile
            continue
    return found


def cpu_spent(before: dict, after: dict, kind: str) -> float:
    """The CPU seconds of `kind` ("app" or "db") processes between two readings (a process that started meanwhile
    counts whole; one that ended meanwhile is lost: the server's workers and connections live through a page)."""
    return sum(seconds - before.get(key, 0.0) for key, seconds in after.items() if key[0] == kind)


def timed(label: str, base: str, urls: list[str], headers: dict[str, str], requests_n: int,
          concurrency: int, server_pid: int) -> tuple[str, float]:
    import requests

    local = __import__("threading").local()

    def get(url: str) -> float:
        if not hasattr(local, "session"):
            local.session = requests.Session()
        t0 = time.perf_counter()
        response = local.session.get(base + url, headers=headers, timeout=120, allow_redirects=False)
        elapsed = time.perf_counter() - t0
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        return elapsed

    for url in urls[:10]:
        get(url)
    calls = [urls[i % len(urls)] for i in range(requests_n)]
    before = cpu_seconds(server_pid)
    with ThreadPoolExecutor(concurrency) as pool:
        latencies = sorted(pool.map(get, calls))
    after = cpu_seconds(server_pid)
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    per_request = {kind: cpu_spent(before, after, kind) / len(latencies) * 1000 for kind in ("app", "db")}
    row = (f"| {label} | {len(latencies)} | {statistics.median(latencies) * 1000:.0f} | {p95 * 1000:.0f} | "
           f"{latencies[-1] * 1000:.0f} | {per_request['app']:.0f} | {per_request['db']:.0f} | "
           f"{'yes' if p95 < 0.3 else '**no**'} |")
    print(row, flush=True)
    return row, p95


def measure(args: argparse.Namespace, server_pid: int) -> None:
    from django.conf import settings

    from openuhc.accounts.roles import Role  # noqa: F401 - the users were made with these roles
    from openuhc.accounts.services import issue_token
    from openuhc.claims.models import Submission
    from openuhc.providers.models import HealthUnit

    rng = random.Random(args.seed)
    persons = sql("SELECT max(id) FROM registry_person")[0][0]
    unit = HealthUnit.objects.get(code="90000")
    big = Submission.objects.filter(file_name="bench-big.zip").first()  # None on a partly built fixture
    from django.contrib.auth import get_user_model

    national = get_user_model().objects.get(username="bench_national")
    _token, raw = issue_token(user=national, name="bench")
    cookie = settings.SESSION_COOKIE_NAME
    as_national = {"Cookie": f"{cookie}={session_cookie('bench_national')}"}
    as_hospital = {"Cookie": f"{cookie}={session_cookie('bench_hospital')}"}
    api = {"Authorization": f"Bearer {raw}"}
    cids = [r[0] for r in sql("SELECT bench_cid(i) FROM unnest(%s::bigint[]) i",
                              [[rng.randrange(1, persons + 1) for _ in range(200)]])]
    own = [r[0] for r in sql("""SELECT p.citizen_id FROM registry_person p JOIN registry_registration r
                                ON r.id = p.current_registration_id WHERE r.main_unit_id = %s LIMIT 200""", [unit.pk])]
    first_names = [a + b for a, _ in F1 for b, _ in F2]
    last_names = [a + b + c for a, _ in L1 for b, _ in L2 for c, _ in L3]
    from urllib.parse import urlencode

    def q(path: str, **params: str) -> str:
        return f"{path}?{urlencode(params)}" if params else path

    months = [f"{(FIRST_MONTH.year * 12 + FIRST_MONTH.month - 1 + m) // 12}-{(FIRST_MONTH.month - 1 + m) % 12 + 1:02d}"
              for m in range(MONTHS)]
    pages = [
        ("person search page, empty (national officer)", as_national, ["/people/"]),
        ("person search page, empty (hospital user)", as_hospital, ["/people/"]),
        ("person search, full citizen ID (national officer)", as_national,
         [q("/people/", q=c) for c in cids]),
        ("person search, full citizen ID (hospital user, own person)", as_hospital,
         [q("/people/", q=c) for c in own]),
        ("person search, first name (national officer)", as_national,
         [q("/people/", q=rng.choice(first_names)) for _ in range(50)]),
        ("person search, first + last name (national officer)", as_national,
         [q("/people/", q=f"{rng.choice(first_names)} {rng.choice(last_names)[:3]}") for _ in range(50)]),
        ("person search, 2 letters of a name (national officer)", as_national,
         [q("/people/", q=a) for a, _ in F1]),
        ("person search, first name (hospital user)", as_hospital,
         [q("/people/", q=rng.choice(first_names)) for _ in range(50)]),
        ("unit's claims, first page (hospital user)", as_hospital, [q("/claims/list/")]),
        ("unit's claims, last page", as_hospital, [q("/claims/list/", last="1")]),
        ("unit's claims, a month, status rejected", as_hospital,
         [q("/claims/list/", month=m, status="rejected") for m in months]),
        ("unit's claims, kind IP, a month", as_hospital, [q("/claims/list/", month=m, kind="IP") for m in months]),
        ("unit's claims, 20 pages deep (next links)", as_hospital, deep_links(as_hospital, args, 20)),
    ]
    if big is not None:
        pages += [
            (f"submission of {big.op_count + big.ip_count:,} claims, first page", as_hospital,
             [f"/claims/submissions/{big.pk}/"]),
            ("submission, last page", as_hospital, [q(f"/claims/submissions/{big.pk}/", last="1")]),
            ("submission, rejected only", as_hospital, [q(f"/claims/submissions/{big.pk}/", status="rejected")]),
            (f"statement of a unit, {STATEMENT_MONTH}", as_hospital,
             [f"/payment/statements/{unit.code}/{STATEMENT_MONTH}/"]),
        ]
    pages += [
        ("API GET /api/v1/eligibility", api, [q("/api/v1/eligibility", cid=c, date="2026-06-01") for c in cids]),
    ]
    if args.only:
        pages = [p for p in pages if any(part in p[0] for part in args.only.split(","))]
    load = os.getloadavg()
    print(f"\n{persons:,} persons, {sql('SELECT count(*) FROM claims_claim')[0][0]:,} claims; gunicorn "
          f"{args.workers} workers; {args.requests} requests per page, {args.concurrency} at once; "
          f"load before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}\n")
    print("| page | requests | p50 ms | p95 ms | max ms | server CPU ms/request | database CPU ms/request "
          "| p95 < 300 ms |\n|---|---|---|---|---|---|---|---|")
    for label, headers, urls in pages:
        timed(label, args.base, urls, headers, args.requests, args.concurrency, server_pid)
    load = os.getloadavg()
    print(f"\nload after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def deep_links(headers: dict[str, str], args: argparse.Namespace, depth: int) -> list[str]:
    """The unit's claims list followed by its 'next' links `depth` pages deep: the cursors a reader would use."""
    import re

    import requests

    url, links = "/claims/list/", []
    for _ in range(depth):
        body = requests.get(args.base + url, headers=headers, timeout=120, allow_redirects=False).text
        found = re.search(r'id="page-next" href="([^"]+)"', body)
        if not found:
            break
        url = "/claims/list/" + found[1].replace("&amp;", "&")
        links.append(url)
    return links or ["/claims/list/"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="oh_pages")
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=300_000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--big", type=int, default=100_000, help="claims in the one large submission")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="",
                        help="time only the pages whose label holds one of these texts (comma-separated)")
    parser.add_argument("--fresh", action="store_true", help="drop the database and build it again")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--measure-only", action="store_true",
                        help="time the database as it is (a fixture still being built: the pages it has rows for)")
    args = parser.parse_args()
    args.base = f"http://127.0.0.1:{args.port}"
    configure(args.db, args.fresh)
    started = time.monotonic()
    if not args.measure_only:
        build(args.persons, args.claims, args.units, args.big)
    say(f"fixture ready ({time.monotonic() - started:.0f} s this run)")
    if args.build_only:
        return
    server = start_server(args.port, args.workers)
    try:
        measure(args, server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
