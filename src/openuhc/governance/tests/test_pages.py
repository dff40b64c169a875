"""Every governance page for every persona: who gets it, who is refused, what the public may and may not see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openuhc.core.dates import today
from openuhc.governance import assembly as A
from openuhc.governance import bodies as B
from openuhc.governance import plans as PL
from openuhc.governance.models import Meeting, Member, Phase, Proposal
from openuhc.governance.tests.conftest import body_type
from openuhc.providers import services as providers

PERSONAS = ["national", "regional", "regional2", "hospital", "hospital2", "localfund", "centre", "analyst",
            "secretariat", "secretariat2", "pao", "pao2", None]
STAFF = {"national", "regional", "regional2", "secretariat", "secretariat2", "pao", "pao2"}
PHAYAO = {"national", "regional", "secretariat", "pao"}


@dataclass
class Filled:
    meeting: Meeting
    plan: Any
    cycle: Any
    proposal: Proposal
    draft: Any
    resolution: Any
    citizen: Proposal


@pytest.fixture
def filled(gov) -> Filled:
    world = gov.world
    meeting = gov.meeting()
    B.add_resolution(actor=None, meeting=meeting, text="เห็นชอบร่างแผนยุทธศาสตร์")
    B.file_minutes(actor=None, meeting=meeting, upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4 minutes"), public=False)
    providers.transfer_ownership(actor=None, unit=world.shph_a, to_owner=world.pao_owner, on=today() - timedelta(400))
    plan = PL.create_plan(actor=None, title_th="แผนสุขภาพ อบจ.พะเยา", first_year=2569, last_year=2572,
                          local_government=gov.pao)
    strategy = PL.add_strategy(actor=None, plan=plan, title="ปฐมภูมิเข้มแข็ง")
    goal = PL.add_goal(actor=None, strategy=strategy, title="เข้าถึงบริการ")
    indicator = PL.add_indicator(actor=None, goal=goal, name="รพ.สต. ผ่านเกณฑ์", unit="แห่ง", baseline="3")
    PL.set_target(actor=None, indicator=indicator, year=2570, value="10")
    project = PL.add_project(actor=None, plan=plan, title="ยกระดับ รพ.สต.", owner="กองสาธารณสุข อบจ.",
                             goal=goal, units=[world.shph_a])
    PL.set_budget(actor=None, project=project, year=2570, source="งบ อบจ.", amount="150000.00")
    organiser = B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("assembly_organising"),
                              code="ORG-56", name_th="คณะกรรมการจัดสมัชชา", province=world.province)
    cycle = A.create_cycle(actor=None, body=organiser, code="PHA-2570", title_th="สมัชชาสุขภาพจังหวัดพะเยา",
                           year=2570, phases={Phase.Kind.CALL: (today() - timedelta(30), today() + timedelta(30)),
                                              Phase.Kind.ASSEMBLY: (today() + timedelta(31),
                                                                    today() + timedelta(32))})
    proposal = A.submit_proposal(actor=None, cycle=cycle, title="น้ำดื่มสะอาดในโรงเรียน", problem="ปัญหา",
                                 evidence="ข้อมูล", proposer_name="เครือข่ายเด็กและเยาวชน",
                                 proposer_kind=Proposal.ProposerKind.NETWORK, contact="081-111-2222",
                                 received_on=today())
    citizen = A.submit_proposal(actor=None, cycle=cycle, title="ทางลาดที่ รพ.สต.", problem="ปัญหา", evidence="ภาพถ่าย",
                                proposer_name="นางสมศรี ลับเฉพาะ", proposer_kind=Proposal.ProposerKind.CITIZEN,
                                contact="somsri@example.org", received_on=today())
    A.screen(actor=None, proposal=proposal, scores={"importance": 5, "size": 4, "public_interest": 5,
                                                    "feasibility": 4}, accept=True, answer="รับ", answered_on=today())
    draft = A.create_draft(actor=None, proposal=proposal, title="น้ำดื่มสะอาด", clauses=["ข้อหนึ่ง", "ข้อสอง"])
    # adopted in an earlier assembly phase (moved for the test): the register needs a resolution
    A.set_phase(actor=None, cycle=cycle, kind=Phase.Kind.ASSEMBLY, starts_on=today(), ends_on=today())
    resolution = A.adopt(actor=None, draft=draft, adopted_on=today())
    return Filled(meeting, plan, cycle, proposal, draft, resolution, citizen)


def staff_pages(f: Filled) -> list[tuple[str, str, set[str | None]]]:
    code = f.meeting.body.code
    return [
        ("home", "/governance/", STAFF),
        ("body", f"/governance/bodies/{code}/", PHAYAO),
        ("meeting", f"/governance/bodies/{code}/meetings/{f.meeting.pk}/", PHAYAO),
        ("minutes", f"/governance/bodies/{code}/meetings/{f.meeting.pk}/minutes", PHAYAO),
        ("new body", "/governance/bodies/new/", {"secretariat", "secretariat2"}),
        ("plans", "/governance/plans/", STAFF),
        ("new plan", "/governance/plans/new/", {"secretariat", "secretariat2", "pao", "pao2"}),
        ("plan", f"/governance/plans/{f.plan.pk}/", PHAYAO),
        ("round", f"/governance/plans/{f.plan.pk}/round/", {"pao"}),
        ("cycles", "/governance/cycles/", STAFF),
        ("new cycle", "/governance/cycles/new/", {"secretariat", "secretariat2"}),
        ("cycle", f"/governance/cycles/{f.cycle.code}/", PHAYAO),
        ("proposal", f"/governance/proposals/{f.citizen.pk}/", PHAYAO),
        ("draft", f"/governance/drafts/{f.draft.pk}/", PHAYAO),
        ("resolution", f"/governance/resolutions/{f.resolution.pk}/", PHAYAO),
        ("agencies", "/governance/agencies/", STAFF),
        ("setup", "/governance/setup/", {"national"}),
    ]


def test_each_staff_page_is_given_to_its_scope_and_refused_to_others(client_for, filled):
    for name, url, allowed in staff_pages(filled):
        for persona in PERSONAS:
            response = client_for(persona).get(url)
            if persona in allowed:
                assert response.status_code == 200, (name, persona, response.status_code)
            elif persona is None:
                assert response.status_code == 302, (name, persona)
            else:
                assert response.status_code == 403, (name, persona, response.status_code)


def public_pages(f: Filled) -> list[str]:
    code = f.meeting.body.code
    return ["/governance/public/", f"/governance/public/bodies/{code}/", f"/governance/public/plans/{f.plan.pk}/",
            "/governance/public/register/", f"/governance/public/resolutions/{f.resolution.pk}/",
            f"/governance/public/cycles/{f.cycle.code}/", "/governance/public/transfers/",
            "/governance/public/propose/", f"/governance/public/bodies/{code}/meetings.csv",
            f"/governance/public/plans/{f.plan.pk}/indicators.json", "/governance/public/register.csv",
            "/governance/public/register.json?status=not_started", "/governance/public/transfers.csv"]


def test_the_public_pages_need_no_login(client_for, filled):
    for url in public_pages(filled):
        for persona in (None, "hospital", "secretariat"):
            assert client_for(persona).get(url).status_code == 200, (url, persona)


def test_the_public_pages_show_no_personal_data(client_for, filled, gov):
    anonymous = client_for(None)
    body = anonymous.get(f"/governance/public/bodies/{gov.committee.code}/").content.decode()
    assert "ที่นั่ง 0" in body  # seats are public
    assert all(m.name not in body for m in gov.members)  # names are not, unless the body says so
    cycle = anonymous.get(f"/governance/public/cycles/{filled.cycle.code}/").content.decode()
    assert "เครือข่ายเด็กและเยาวชน" in cycle and "A citizen" in cycle
    assert "นางสมศรี" not in cycle and "somsri@example.org" not in cycle and "081-111-2222" not in cycle
    # minutes not published: no public download
    assert anonymous.get(f"/governance/public/bodies/{gov.committee.code}/meetings/{filled.meeting.pk}/minutes"
                         ).status_code == 404
    gov.committee.publish_names = True
    gov.committee.save()
    assert gov.members[0].name in anonymous.get(f"/governance/public/bodies/{gov.committee.code}/").content.decode()


def test_the_register_filters_and_downloads_what_it_shows(client_for, filled):
    anonymous = client_for(None)
    page = anonymous.get("/governance/public/register/", {"status": "not_started"}).content.decode()
    assert "Clauses: 2" in page and "ข้อหนึ่ง" in page
    assert "Clauses: 0" in anonymous.get("/governance/public/register/", {"status": "done"}).content.decode()
    rows = json.loads(b"".join([anonymous.get("/governance/public/register.json", {"cycle": "PHA-2570"}).content]))
    assert [(r["clause"], r["status"], r["progress"]) for r in rows] == [(1, "not_started", 0), (2, "not_started", 0)]
    csv = b"".join(anonymous.get("/governance/public/register.csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("cycle,resolution,clause")


def test_the_transfer_page_counts_units_given_to_the_pao_by_fiscal_year(client_for, filled, gov):
    rows = json.loads(client_for(None).get("/governance/public/transfers.json", {"province": "56"}).content)
    assert [(r["province_code"], r["transferred"], r["sub_district_units_now"], r["with_pao_now"])
            for r in rows] == [("56", 1, 2, 1)]


def test_a_secretariat_runs_its_body_through_the_pages(client_for, gov):
    client = client_for("secretariat")
    url = f"/governance/bodies/{gov.committee.code}/"
    response = client.post(url, {"form": "member", "name": "นายใหม่ ใจดี", "role": "member", "sector": "people",
                                 "seat": "ผู้แทนเครือข่ายสมัชชาสุขภาพ", "term_start": "1/10/2568",
                                 "term_end": "30/9/2572", "is_voting": "on"}, follow=True)
    assert "Member recorded." in response.content.decode()
    held = (today() - timedelta(days=2)).strftime("%d/%m/%Y")
    response = client.post(url, {"form": "meeting", "held_on": held, "agenda": "เรื่องแจ้ง\nแผนสุขภาพ",
                                 "attendees": [m.pk for m in gov.members[:1]]}, follow=True)
    assert "had no quorum" in response.content.decode()
    meeting = Meeting.objects.get(body=gov.committee)
    response = client.post(f"{url}meetings/{meeting.pk}/", {"form": "resolution", "text": "อนุมัติ"}, follow=True)
    assert "had no quorum" in response.content.decode() and not meeting.resolutions.exists()
    assert Member.objects.filter(body=gov.committee, name="นายใหม่ ใจดี").exists()


def test_others_cannot_change_a_body_or_a_plan(client_for, filled, gov):
    url = f"/governance/bodies/{gov.committee.code}/"
    for persona in ("national", "regional", "pao"):
        assert client_for(persona).post(url, {"form": "member", "name": "x"}).status_code == 403
    assert client_for("secretariat2").post(url, {"form": "member", "name": "x"}).status_code == 403
    plan_url = f"/governance/plans/{filled.plan.pk}/"
    for persona in ("national", "secretariat", "pao2"):
        assert client_for(persona).post(plan_url, {"form": "strategy", "title": "x"}).status_code == 403
    response = client_for("pao").post(plan_url, {"form": "strategy", "title": "บุคลากรสุขภาพท้องถิ่น"}, follow=True)
    assert "Strategy added." in response.content.decode()
    assert filled.plan.strategies.count() == 2


def test_a_coded_refusal_is_shown_on_the_page(client_for, filled):
    response = client_for("pao").post(f"/governance/plans/{filled.plan.pk}/", {
        "form": "budget", "project": filled.plan.projects.get().pk, "year": "2570", "source": "งบ อบจ.",
        "amount": "10.005"}, follow=True)
    assert "at most 2 decimals" in response.content.decode()


def test_the_list_pages_use_few_queries(client_for, filled, django_assert_max_num_queries):
    client = client_for("secretariat")
    with django_assert_max_num_queries(30):
        client.get("/governance/")
    anonymous = client_for(None)
    with django_assert_max_num_queries(15):
        anonymous.get("/governance/public/register/")


def test_a_national_officer_adds_a_secretariat_and_a_body_type(client_for, gov):
    client = client_for("national")
    response = client.post("/governance/setup/", {"form": "secretariat", "code": "SEC-R2",
                                                  "name_th": "ฝ่ายเลขานุการ กขป. เขต 2",
                                                  "region": gov.world.other_province.region.pk}, follow=True)
    assert "Secretariat added." in response.content.decode()
    response = client.post("/governance/setup/", {"form": "secretariat", "code": "SEC-X", "name_th": "x",
                                                  "province": gov.world.province.pk,
                                                  "region": gov.world.province.region.pk}, follow=True)
    assert "not both" in response.content.decode()
    response = client.post("/governance/setup/", {"form": "body_type", "code": "district_health", "level": "province",
                                                  "name_th": "คณะกรรมการพัฒนาคุณภาพชีวิตระดับอำเภอ"}, follow=True)
    assert "Body type added." in response.content.decode()
    assert client_for("secretariat").post("/governance/setup/", {"form": "body_type"}).status_code == 403
