from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openuhc.core.models_base import AppendOnlyError
from openuhc.registry.audit import accesses_between
from openuhc.registry.ids import format_citizen_id, mask_citizen_id
from openuhc.registry.models import PersonAccess
from openuhc.testing.world import add_person, make_cid


def test_search_shows_masked_ids_and_logs_every_person_listed(world, client_for):
    person = world.people["a"]
    body = client_for("hospital").get("/people/", {"q": person.first_name_th}).content.decode()
    assert mask_citizen_id(person.citizen_id) in body
    assert person.citizen_id not in body and format_citizen_id(person.citizen_id) not in body
    assert PersonAccess.objects.filter(person=person, action="search", actor_username="hospital").exists()


def test_search_by_id_outside_the_scope_points_to_the_eligibility_check(world, client_for):
    body = client_for("hospital2").get("/people/", {"q": world.people["a"].citizen_id}).content.decode()
    assert "not registered with the units you work for" in body
    assert world.people["a"].first_name_th not in body


def test_search_by_a_mistyped_id_says_what_is_wrong(world, client_for):
    body = client_for("hospital").get("/people/", {"q": "123456789012"}).content.decode()
    assert "13 digits; this one has 12" in body


def test_the_search_page_does_a_fixed_number_of_queries_however_many_people_match(world, client_for):
    client = client_for("national")
    client.get("/people/", {"q": "ทดสอบ"})  # warm up: session, profile
    with CaptureQueriesContext(connection) as few:
        client.get("/people/", {"q": "ทดสอบ"})
    for n in range(15):
        add_person(subdistrict=world.shph_a.subdistrict, first=f"คน{n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/people/", {"q": "ทดสอบ"})
    assert len(response.context["page"].object_list) >= 19
    assert len(many) == len(few)


def test_a_person_page_shows_histories_masks_the_id_and_logs_the_view(world, client_for):
    person = world.people["a"]
    body = client_for("hospital").get(f"/people/{person.pk}/").content.decode()
    assert mask_citizen_id(person.citizen_id) in body and person.citizen_id not in body
    assert "Registration history" in body and "56001" in body and "UCS" in body
    log = PersonAccess.objects.get(person=person, action="view")
    assert (log.actor_username, log.actor_role, log.path) == ("hospital", "hospital", f"/people/{person.pk}/")


def test_showing_the_full_id_is_a_logged_action(world, client_for):
    person = world.people["a"]
    response = client_for("hospital").post(f"/people/{person.pk}/reveal-id/")
    assert format_citizen_id(person.citizen_id) in response.content.decode()
    assert PersonAccess.objects.filter(person=person, action="reveal_id", actor_username="hospital").count() == 1
    assert client_for("hospital2").post(f"/people/{person.pk}/reveal-id/").status_code == 403
    assert client_for("analyst").post(f"/people/{person.pk}/reveal-id/").status_code == 403


def test_a_regional_officer_changes_a_registration_that_takes_effect_today(world, client_for):
    person = world.people["a"]
    response = client_for("regional").post(f"/people/{person.pk}/registration/", {
        "main_unit": "56002", "primary_unit": "05602", "referral_unit": "56001", "reason": "moved"}, follow=True)
    body = response.content.decode()
    assert "in force from today" in body
    person.refresh_from_db()
    assert person.current_registration.main_unit.code == "56002"
    assert "change of unit" in body
    bad = client_for("regional").post(f"/people/{person.pk}/registration/", {
        "main_unit": "99999", "primary_unit": "05602", "referral_unit": "56001"}, follow=True)
    assert "no open health unit with code 99999" in bad.content.decode()
    assert client_for("hospital").post(f"/people/{person.pk}/registration/", {}).status_code == 403


def test_the_eligibility_page_answers_and_logs(world, client_for):
    person = world.people["b"]
    body = client_for("centre").get("/people/eligibility/", {"citizen_id": person.citizen_id,
                                                             "on": "01/06/2568"}).content.decode()
    assert "covered" in body and "56002" in body and "1 Jun 2025" in body
    assert PersonAccess.objects.filter(person=person, action="eligibility", actor_username="centre").exists()


def test_the_eligibility_page_explains_each_refusal(world, client_for):
    client = client_for("hospital")
    unknown = client.get("/people/eligibility/", {"citizen_id": make_cid("199999999999")}).content.decode()
    assert "no person with it is in the registry" in unknown
    bad_date = client.get("/people/eligibility/", {"citizen_id": "1", "on": "31/02/2569"}).content.decode()
    assert "There is no day 31 in month 2" in bad_date


def test_who_saw_whose_data_between_two_times(world, client_for):
    person = world.people["a"]
    client_for("hospital").get(f"/people/{person.pk}/")
    client_for("national").get(f"/people/{world.people['b'].pk}/")
    now = timezone.now()
    rows = accesses_between(now - timedelta(minutes=5), now + timedelta(minutes=1), person=person)
    assert [(r.actor_username, r.action) for r in rows] == [("hospital", "view")]
    assert not accesses_between(now + timedelta(minutes=1), now + timedelta(minutes=2)).exists()
    today = timezone.localdate()
    page = client_for("national").get("/people/access-log/", {
        "start": today.strftime("%d/%m/%Y"), "end": today.strftime("%d/%m/%Y"), "citizen_id": person.citizen_id})
    assert "hospital" in page.content.decode()
    csv = client_for("national").get("/people/access-log/", {
        "start": today.strftime("%d/%m/%Y"), "end": today.strftime("%d/%m/%Y"), "format": "csv"})
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("at,username") and len(lines) >= 3


def test_the_access_log_cannot_be_rewritten(world, client_for):
    client_for("hospital").get(f"/people/{world.people['a'].pk}/")
    row = PersonAccess.objects.first()
    row.actor_username = "someone else"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        PersonAccess.objects.all().delete()


def test_person_pages_render_dates_in_buddhist_era_in_thai(world, client_for):
    client = client_for("hospital")
    client.cookies["django_language"] = "th"
    body = client.get(f"/people/{world.people['a'].pk}/").content.decode()
    assert "17 พฤษภาคม 2523" in body  # born 17 May 1980
