"""The Philippine pack end to end, on a small demo: it loads, eligibility answers by PhilSys number, a hospital's
FHIR claim is accepted, the Konsulta capitation round pays ₱1,700 per person per year, and the dashboard shows."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from openuhc.country.testing import use_pack

PEOPLE = 300


@pytest.fixture
def ph_demo(db, settings):
    with use_pack("ph"):
        from openuhc.demo.loader import load_demo

        yield load_demo(seed=11, people=PEOPLE)


def test_the_demo_loads_people_with_philsys_numbers_and_philhealth_numbers(ph_demo):
    from openuhc.country.models import PersonIdentifier
    from openuhc.registry.ids import is_valid_citizen_id
    from openuhc.registry.models import Person, Scheme

    people = Person.objects.filter(subdistrict__district__province=ph_demo.data["province"])
    assert people.count() == PEOPLE
    assert all(is_valid_citizen_id(n) and len(n) == 12 for n in people.values_list("citizen_id", flat=True))
    assert PersonIdentifier.objects.filter(kind="philhealth").count() > PEOPLE * 0.8
    assert list(Scheme.objects.filter(is_active=True).values_list("code", flat=True)) == ["NHIP"]
    assert {login[0] for login in ph_demo.logins} >= {"national", "region1", "hospital"}


def test_eligibility_answers_by_philsys_number(ph_demo):
    from openuhc.registry.eligibility import check_eligibility

    person = ph_demo.data["people"][0]
    answer = check_eligibility(person.citizen_id[:4] + "-" + person.citizen_id[4:8] + "-" + person.citizen_id[8:],
                               ph_demo.anchor)
    assert answer.eligible and answer.coverage.scheme.code == "NHIP"
    assert answer.registration.main_unit.unit_type.code == "rhu"
    refused = check_eligibility("1101700230708", ph_demo.anchor)  # a Thai ID is not a PhilSys number
    assert not refused.eligible and refused.reason_code == "pid_length"


def test_a_hospitals_fhir_claim_is_accepted_and_its_case_rate_found(ph_demo):
    from django.contrib.auth import get_user_model

    from openuhc.accounts.services import issue_token
    from openuhc.claims.models import Claim
    from openuhc_packs.ph.caserates import rate_for
    from openuhc_packs.ph.fhir import claim_bundle

    hospital = ph_demo.data["provincial"]
    user = get_user_model().objects.get(username="hospital")
    token = issue_token(user=user, name="smoke")[1]
    person = ph_demo.data["people"][5]
    start = ph_demo.anchor + timedelta(days=3)
    bundle = claim_bundle(person, hcode=hospital.code, key="A99001", start=start, end=start + timedelta(days=4),
                          diagnoses=("J18.9", "I10"), items=(("11", "4000.00"), ("31", "6500.00")))
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en").post(
        "/fhir/Claim/$submit", data=json.dumps(bundle), content_type="application/fhir+json")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["resourceType"] == "ClaimResponse" and answer["outcome"] == "complete", answer
    assert "error" not in answer, answer
    stored = Claim.objects.get(pk=int(answer["id"]))
    assert (stored.kind, stored.status, stored.person, stored.submission.channel) == ("IP", "accepted", person, "fhir")
    assert stored.total_charge == Decimal("10500.00")
    diagnoses = [d.code for d in stored.diagnoses.order_by("dxtype", "id")]
    assert rate_for(diagnoses=diagnoses, procedures=[]).amount == Decimal("15000.00")  # illustrative table


def test_the_konsulta_round_pays_1700_pesos_per_person_per_year(ph_demo):
    from openuhc.payment.models import UnitPayment

    run = ph_demo.data["capitation_run"]
    assert run.status == "published"
    lines = list(UnitPayment.objects.filter(run=run))
    assert sum(u.population for u in lines) == PEOPLE
    for line in lines:
        assert line.gross == (Decimal(line.population) * Decimal("1700") / 12).quantize(Decimal("0.01"))
        assert line.salary_deduction == 0


def test_the_dashboard_shows_to_the_national_officer_and_refuses_anonymous(ph_demo):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="national")
    client = Client()
    client.force_login(user)
    page = client.get("/monitoring/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "2569" not in page.content.decode()  # no Buddhist Era years in this pack
    assert Client().get("/monitoring/").status_code in (302, 403)
