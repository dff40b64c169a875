"""The public form: file without an account, follow with number + secret, rate-limited, nothing to enumerate."""

from __future__ import annotations

import re

import pytest

from openuhc.core import params
from openuhc.rights import services
from openuhc.rights.models import Case
from openuhc.rights.tests.conftest import at, category, open_complaint


def _form(world, **extra):
    data = {"kind": "complaint", "province": world.province.pk, "category": category().pk, "unit": "56001",
            "subject": "ถูกเรียกเก็บเงินค่ายา", "description": "ต้องจ่ายค่ายาเบาหวาน 300 บาท", "name": "",
            "contact": ""}
    data.update(extra)
    return data


def _file(client, world, **extra):
    response = client.post("/rights/complain/", _form(world, **extra), follow=True)
    html = response.content.decode()
    number = re.search(r'id="case-number">([^<]+)<', html).group(1)
    secret = re.search(r'id="case-secret">([^<]+)<', html).group(1)
    return number, secret


def test_anyone_files_a_complaint_and_gets_a_number_and_a_secret_shown_once(world, client_for):
    client = client_for(None)
    number, secret = _file(client, world)
    case = Case.objects.get(number=number)
    assert case.channel == "web_form" and case.centre == world.centre and case.unit == world.hospital_a
    assert case.complainant_name == "" and not case.consent_to_record
    assert secret not in case.secret_hash  # only a hash is kept
    assert "case-secret" not in client.get("/rights/complain/filed/", follow=True).content.decode()


def test_the_complainant_follows_the_case_and_sees_the_outcome(world, client_for):
    client = client_for(None)
    number, secret = _file(client, world)
    case = Case.objects.get(number=number)
    services.add_note(case, actor=world.users["centre"], text="internal only", audience="staff")
    services.close(case, actor=world.users["centre"], outcome="resolved", outcome_text="คืนเงิน 300 บาทแล้ว")
    other = client_for(None)  # a new device: needs the number and the secret
    assert other.get("/rights/follow/case/").status_code == 302
    response = other.post("/rights/follow/", {"number": number, "secret": secret.lower()}, follow=True)
    html = response.content.decode()
    assert "คืนเงิน 300 บาทแล้ว" in html and "internal only" not in html
    other.post("/rights/follow/case/rate/", {"score": "4"})
    assert Case.objects.get(pk=case.pk).satisfaction == 4


@pytest.mark.parametrize("wrong", ["number", "secret", "both"])
def test_a_wrong_number_or_secret_gets_the_same_answer(world, client_for, wrong):
    client = client_for(None)
    number, secret = _file(client, world)
    other_case = open_complaint(world, now=at("2026-03-02 09:00"))
    guess = {"number": other_case.number if wrong in ("number", "both") else number,
             "secret": "ABCDEFGHJK" if wrong in ("secret", "both") else secret}
    stranger = client_for(None)
    response = stranger.post("/rights/follow/", guess)
    assert response.status_code == 200
    assert "No case matches this number and secret code." in response.content.decode()
    assert stranger.get("/rights/follow/case/").status_code == 302


def test_a_staff_made_case_without_a_secret_cannot_be_followed_with_an_empty_secret(world, client_for):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    assert case.secret_hash == ""
    response = client_for(None).post("/rights/follow/", {"number": case.number, "secret": " "})
    assert "No case matches" in response.content.decode()


def test_the_public_form_is_rate_limited_per_client(world, client_for):
    params.set_value("rights.public_submissions_per_hour", 2, valid_from=at("2020-01-01 00:00").date())
    client = client_for(None)
    _file(client, world)
    _file(client, world)
    response = client.post("/rights/complain/", _form(world))
    assert response.status_code == 429
    assert Case.objects.count() == 2
    elsewhere = client_for(None)
    ok = elsewhere.post("/rights/complain/", _form(world), REMOTE_ADDR="10.1.2.3", follow=True)
    assert ok.status_code == 200 and Case.objects.count() == 3


def test_guessing_secrets_is_stopped_after_the_hourly_limit(world, client_for):
    params.set_value("rights.public_lookups_per_hour", 3, valid_from=at("2020-01-01 00:00").date())
    number, secret = _file(client_for(None), world)
    guesser = client_for(None)
    for _ in range(3):
        assert guesser.post("/rights/follow/", {"number": number, "secret": "WRONGWRONG"}).status_code == 200
    # even the right secret is refused now: the limit does not tell a right guess from a wrong one
    assert guesser.post("/rights/follow/", {"number": number, "secret": secret}).status_code == 429


def test_a_name_without_consent_is_refused_with_a_clear_message(world, client_for):
    response = client_for(None).post("/rights/complain/", _form(world, name="นายทดสอบ"))
    assert response.status_code == 200
    assert "tick the consent box" in response.content.decode()
    assert not Case.objects.exists()


def test_a_bot_filling_the_hidden_field_files_nothing(world, client_for):
    response = client_for(None).post("/rights/complain/", _form(world, website="http://spam.example"))
    assert response.status_code == 429 and not Case.objects.exists()


def test_there_is_no_public_way_to_list_cases(world, client_for):
    open_complaint(world, now=at("2026-03-02 09:00"))
    anonymous = client_for(None)
    assert anonymous.get("/rights/cases/").status_code == 302
    assert anonymous.get("/api/v1/rights/cases").status_code == 401
    assert anonymous.get("/api/v1/rights/figures").status_code == 401


def test_a_public_complaint_goes_to_the_peoples_centre_before_a_section_50_5_unit_of_the_same_province(world,
                                                                                                     client_for):
    from openuhc.rights.models import Centre

    unit_50_5 = Centre.objects.create(code="S56", name_th="หน่วยรับเรื่องร้องเรียน มาตรา 50(5)",
                                      kind=Centre.Kind.SECTION_50_5, region=world.province.region)
    unit_50_5.provinces.set([world.province])
    number, _secret = _file(client_for(None), world)
    assert Case.objects.get(number=number).centre == world.centre
    assert services.centre_for_province(world.province) == world.centre
