"""The public proposal form: no account, only while a call runs, rate-limited per client, bots filtered."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from openuhc.core import params
from openuhc.core.dates import today
from openuhc.governance import assembly as A
from openuhc.governance import bodies as B
from openuhc.governance.models import Phase, Proposal
from openuhc.governance.tests.conftest import body_type

URL = "/governance/public/propose/"


@pytest.fixture
def cycle(gov):
    organiser = B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("assembly_organising"),
                              code="ORG-56", name_th="คณะกรรมการจัดสมัชชา", province=gov.world.province)
    return A.create_cycle(actor=None, body=organiser, code="PHA-2570", title_th="สมัชชาสุขภาพจังหวัดพะเยา",
                          year=2570, phases={Phase.Kind.CALL: (today() - timedelta(5), today() + timedelta(5))})


def form(cycle, **changes):  # noqa: ANN001, ANN201
    return {"cycle": cycle.pk, "title": "ถนนเข้าหมู่บ้านมืด ผู้ป่วยฉุกเฉินมาไม่ถึง", "problem": "ไม่มีไฟส่องทาง",
            "evidence": "อุบัติเหตุ 5 ครั้งในปีนี้", "proposer_name": "นายทดสอบ เสนอ", "proposer_kind": "citizen",
            "contact": "", **changes}


def test_anyone_proposes_an_issue_and_gets_its_number(client_for, cycle):
    response = client_for(None).post(URL, form(cycle), follow=True)
    proposal = Proposal.objects.get()
    assert (proposal.channel, proposal.status, proposal.received_on) == ("public", "submitted", today())
    assert proposal.reference in response.content.decode()


def test_a_contact_is_kept_only_with_consent(client_for, cycle):
    response = client_for(None).post(URL, form(cycle, contact="081-000-0000"))
    assert "tick the consent box" in response.content.decode() and not Proposal.objects.exists()
    client_for(None).post(URL, form(cycle, contact="081-000-0000", consent="on"))
    assert Proposal.objects.get().contact == "081-000-0000"


def test_there_is_nothing_to_propose_to_when_no_call_runs(client_for, cycle):
    A.set_phase(actor=None, cycle=cycle, kind=Phase.Kind.CALL, starts_on=date(2024, 1, 1), ends_on=date(2024, 2, 1))
    page = client_for(None).get(URL).content.decode()
    assert 'id="no-call"' in page
    response = client_for(None).post(URL, form(cycle))
    assert response.status_code == 200 and not Proposal.objects.exists()


def test_the_form_is_rate_limited_per_client(client_for, cycle):
    params.set_value("governance.public_proposals_per_hour", 2, valid_from=date(2020, 1, 1))
    client = client_for(None)
    client.post(URL, form(cycle))
    client.post(URL, form(cycle))
    assert client.post(URL, form(cycle)).status_code == 429
    assert Proposal.objects.count() == 2
    elsewhere = client_for(None).post(URL, form(cycle), REMOTE_ADDR="10.9.8.7")
    assert elsewhere.status_code == 302 and Proposal.objects.count() == 3


def test_a_bot_filling_the_hidden_field_proposes_nothing(client_for, cycle):
    response = client_for(None).post(URL, form(cycle, website="http://spam.example"))
    assert response.status_code == 429 and not Proposal.objects.exists()
