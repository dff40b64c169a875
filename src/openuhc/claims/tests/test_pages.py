"""Pages and API: upload with progress, results, every problem, downloads, and who may see what."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from openuhc.accounts.services import issue_token
from openuhc.claims import services
from openuhc.claims.models import Claim, Submission


def _zip(builder) -> SimpleUploadedFile:  # noqa: ANN001
    return SimpleUploadedFile("claims-2568-09.zip", builder.zip_bytes(), content_type="application/zip")


def _spoil(builder) -> None:  # noqa: ANN001
    next(r for r in builder.rows["CHT"] if r["SEQ"] == "V1")["TOTAL"] = "999.00"


def test_a_hospital_user_uploads_sees_each_claim_and_every_problem(builder, client_for, world):
    _spoil(builder)
    client = client_for("hospital")
    response = client.post("/claims/upload/", {"unit": world.hospital_a.pk, "file": _zip(builder)})
    submission = Submission.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/claims/submissions/{submission.pk}/"
    assert submission.received_by == world.users["hospital"] and submission.job_id
    body = client.get(response["Location"]).content.decode()
    assert "CHT.TOTAL is 999.00 but the CHA lines add up to 200.50" in body
    assert 'id="rejected">1<' in body and 'id="accepted">2<' in body
    claim = Claim.objects.get(key="V1")
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "399" in page and "rejected" in page


def test_the_problem_report_downloads_as_csv_and_excel(builder, client_for, world):
    _spoil(builder)
    submission = services.start_upload(upload=_zip(builder), unit=world.hospital_a, actor=world.users["hospital"])
    client = client_for("hospital")
    text = b"".join(client.get(f"/claims/submissions/{submission.pk}/problems.csv").streaming_content).decode(
        "utf-8-sig")
    assert text.splitlines()[0] == "file,line,field,code,message_th,message_en,class,kind,seq_or_an"
    assert "CHT,2,TOTAL,399," in text
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/claims/submissions/{submission.pk}/problems.xlsx").content))
    assert [c.value for c in book["Problems"][2]][:4] == ["CHT", 2, "TOTAL", "399"]


def test_a_resubmission_through_the_page_replaces_the_earlier_claim(builder, client_for, world):
    client = client_for("hospital")
    _spoil(builder)
    client.post("/claims/upload/", {"unit": world.hospital_a.pk, "file": _zip(builder)})
    next(r for r in builder.rows["CHT"] if r["SEQ"] == "V1")["TOTAL"] = "200.50"
    client.post("/claims/upload/", {"unit": world.hospital_a.pk, "file": _zip(builder)})
    assert Claim.objects.filter(key="V1", is_current=True).get().status == "accepted"
    assert Claim.objects.filter(key="V1").count() == 2
    old = Claim.objects.get(key="V1", is_current=False)
    assert "replaced by a later submission" in client.get(f"/claims/{old.pk}/").content.decode()
    # the key's history on either claim's page: the current claim and the one it replaced
    new = Claim.objects.get(key="V1", is_current=True)
    for claim in (old, new):
        history = client.get(f"/claims/{claim.pk}/").context["history"]
        assert [c.pk for c in history] == [new.pk, old.pk]


def test_upload_refuses_a_non_zip_and_another_units_code(builder, client_for, world):
    client = client_for("hospital")
    bad = SimpleUploadedFile("OPD.txt", b"HN|SEQ\r\n")
    response = client.post("/claims/upload/", {"unit": world.hospital_a.pk, "file": bad})
    assert response.status_code == 400 and "Send a .zip file" in response.content.decode()
    response = client.post("/claims/upload/", {"unit": world.hospital_b.pk, "file": _zip(builder)})
    assert response.status_code == 400 and not Submission.objects.exists()


def test_who_sees_which_submissions(builder, client_for, world):
    submission = services.start_upload(upload=_zip(builder), unit=world.hospital_a, actor=world.users["hospital"])
    url = f"/claims/submissions/{submission.pk}/"
    assert client_for("hospital").get(url).status_code == 200
    assert client_for("regional").get(url).status_code == 200
    assert client_for("national").get(url).status_code == 200
    assert client_for("hospital2").get(url).status_code == 403
    assert client_for("regional2").get(url).status_code == 403
    assert client_for("localfund").get(url).status_code == 403
    assert client_for("analyst").get("/claims/").status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert "claims-2568-09.zip" in client_for("regional").get("/claims/").content.decode()
    assert "claims-2568-09.zip" not in client_for("hospital2").get("/claims/").content.decode()
    assert client_for("regional").post("/claims/upload/", {}).status_code == 403
    claim = Claim.objects.first()
    assert client_for("hospital2").get(f"/claims/{claim.pk}/").status_code == 403


def test_the_api_upload_with_a_token_and_its_refusals(builder, client_for, world):
    _, token = issue_token(user=world.users["hospital"], name="his")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = client_for(None)
    response = client.post("/api/v1/claims/submissions", {"unit": "56001", "file": _zip(builder)}, **headers)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["accepted"], body["op_count"]) == ("processed", 3, 2)
    problems = client.get(f"/api/v1/claims/submissions/{body['id']}/problems", **headers)
    assert problems.status_code == 200 and problems.json() == []
    claims = client.get(f"/api/v1/claims/submissions/{body['id']}/claims", **headers).json()
    assert sorted(c["key"] for c in claims) == ["A1", "V1", "V2"]
    refused = client.post("/api/v1/claims/submissions", {"unit": "56002", "file": _zip(builder)}, **headers)
    assert refused.status_code == 400 and refused.json()["code"] == "claim_not_your_unit"
    _, other = issue_token(user=world.users["hospital2"], name="his2")
    assert client.get(f"/api/v1/claims/submissions/{body['id']}",
                      HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 403
    _, analyst = issue_token(user=world.users["analyst"], name="a")
    assert client.get("/api/v1/claims/submissions", HTTP_AUTHORIZATION=f"Bearer {analyst}").status_code == 403
    assert client.get("/api/v1/claims/submissions").status_code == 401


def test_the_home_panel_and_menu_lead_to_claims(builder, client_for, world):
    services.start_upload(upload=_zip(builder), unit=world.hospital_a, actor=world.users["hospital"])
    body = client_for("hospital").get("/accounts/home/").content.decode()
    assert "/claims/" in body and "accepted claims" in body
