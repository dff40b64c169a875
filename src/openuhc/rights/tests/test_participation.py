"""Networks, trainings with attendance, an international workshop, and the annual public hearing."""

from __future__ import annotations

from datetime import date

import pytest

from openuhc.core.errors import DomainError
from openuhc.rights import participation
from openuhc.rights.models import Network, NetworkGroup


@pytest.fixture
def network(world):
    return Network.objects.create(code="N5601", group=NetworkGroup.objects.get(code="youth"), name_th="เยาวชน",
                                  region=world.province.region, province=world.province, members=40)


def test_a_two_day_training_of_thirty_new_leaders_counts_attendance(world, network):
    training = participation.create_activity(actor=None, kind="training", title="อบรมแกนนำรุ่นใหม่",
                                             starts_on=date(2026, 6, 10), ends_on=date(2026, 6, 11),
                                             region=world.province.region, centre=world.centre)
    people = [participation.add_participant(training, actor=None, name=f"แกนนำ {i}", network=network,
                                            is_new_leader=True) for i in range(30)]
    for i, person in enumerate(people):
        participation.record_attendance(person, actor=None, day=date(2026, 6, 10))
        participation.record_attendance(person, actor=None, day=date(2026, 6, 10))  # twice: counted once
        if i < 27:
            participation.record_attendance(person, actor=None, day=date(2026, 6, 11))
    summary = participation.attendance_summary(training)
    assert (summary.participants, summary.days, summary.present_days, summary.full_attendance) == (30, 2, 57, 27)
    assert summary.rate == 95.0 and summary.new_leaders == 30
    with pytest.raises(DomainError) as error:
        participation.record_attendance(people[0], actor=None, day=date(2026, 6, 12))
    assert error.value.code == "rights_day_outside_activity"


def test_an_international_workshop_counts_countries(world):
    workshop = participation.create_activity(actor=None, kind="workshop", title="International workshop",
                                             starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 1),
                                             region=world.province.region, is_international=True)
    countries = ["TH", "LA", "KH", "MM", "VN", "ID", "PH", "BT", "NP"]
    for i in range(22):
        participation.add_participant(workshop, actor=None, name=f"P{i}", country=countries[i % 9].lower())
    summary = participation.attendance_summary(workshop)
    assert (summary.participants, summary.countries) == (22, 9)


def test_one_hearing_per_region_and_year_and_each_issue_gets_its_answer(world):
    hearing = participation.record_hearing(actor=None, fiscal_year=2569, region=world.province.region,
                                           held_on=date(2026, 5, 20), place="พะเยา", beneficiaries=150, providers=80)
    with pytest.raises(DomainError) as error:
        participation.record_hearing(actor=None, fiscal_year=2569, region=world.province.region,
                                     held_on=date(2026, 6, 1), place="อีกครั้ง")
    assert error.value.code == "rights_hearing_exists"
    issue = participation.raise_issue(hearing, actor=None, topic="สิทธิประโยชน์", text="ขอยาเพิ่ม")
    participation.answer_issue(issue, actor=None, answer="บรรจุในปีหน้า", answered_on=date(2026, 7, 1),
                               answered_by="สปสช. เขต 1")
    issue.refresh_from_db()
    assert issue.answer == "บรรจุในปีหน้า"


def test_centre_staff_record_a_training_and_its_attendance_on_the_pages(world, client_for, network):
    client = client_for("centre")
    response = client.post("/rights/participation/", {"kind": "training", "title": "อบรมสิทธิ",
                                                      "starts_on": "10/06/2569", "ends_on": "11/06/2569",
                                                      "place": "ศาลากลาง"})
    assert response.status_code == 302
    url = response["Location"]
    client.post(f"{url}participant/", {"name": "นายแกนนำ", "network": network.pk, "country": "TH",
                                       "is_new_leader": "on"})
    participant = network.participants.get()
    client.post(f"{url}attendance/", {"day": "10/06/2569", "present": [participant.pk]})
    assert participant.attendance.get().day == date(2026, 6, 10)
    page = client.get(url).content.decode()
    assert "นายแกนนำ" in page and "✓" in page
    # the analyst sees the counts but not the names
    analyst = client_for("analyst").get(url).content.decode()
    assert "นายแกนนำ" not in analyst and "1 participants" in analyst
    assert client_for("hospital").get(url).status_code == 403


def test_only_regional_or_national_officers_record_hearings(world, client_for):
    form = {"fiscal_year": "2569", "region": world.province.region.pk, "held_on": "20/05/2569", "place": "พะเยา",
            "beneficiaries": "100", "providers": "50"}
    assert client_for("centre").post("/rights/hearings/new/", form).status_code == 403
    assert client_for("regional2").post("/rights/hearings/new/", form).status_code == 403
    response = client_for("regional").post("/rights/hearings/new/", form)
    assert response.status_code == 302
    client_for("regional").post(f"{response['Location']}issue/", {"topic": "ยา", "text": "ยาขาด", "raised_by": ""})
    assert "ยาขาด" in client_for("centre").get(response["Location"]).content.decode()
