"""Bodies: members and terms, the quorum (and the reduced quorum of a reconvened matter), resolutions, minutes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openuhc.core import params
from openuhc.core.dates import today
from openuhc.core.errors import DomainError
from openuhc.core.models_base import AppendOnlyError
from openuhc.governance import bodies as B
from openuhc.governance.models import BodyEvent, Member, Resolution
from openuhc.governance.tests.conftest import body_type


def test_half_of_the_voting_members_in_office_make_the_quorum(gov):
    assert gov.meeting(present=3).quorum_met  # 3 of 6
    missed = gov.meeting(present=2)
    assert (missed.members_in_office, missed.members_present, missed.quorum_met) == (6, 2, False)
    assert B.quorum_needed(missed) == 3


def test_advisers_members_who_left_and_ended_terms_do_not_count(gov):
    adviser = B.appoint_member(actor=None, body=gov.committee, name="ที่ปรึกษา", role=Member.Role.ADVISER,
                               sector=Member.Sector.ACADEMIC, term_start=date(2024, 1, 1), term_end=date(2030, 1, 1))
    assert not adviser.is_voting
    B.member_leaves(actor=None, member=gov.members[4], left_on=today() - timedelta(days=30), reason="ลาออก")
    ended = B.appoint_member(actor=None, body=gov.committee, name="หมดวาระ", role=Member.Role.MEMBER,
                             sector=Member.Sector.PEOPLE, term_start=date(2020, 1, 1), term_end=date(2021, 1, 1))
    meeting = B.record_meeting(actor=None, body=gov.committee, held_on=today() - timedelta(days=1), agenda=["x"],
                               attendees=[gov.members[0], gov.members[1], adviser, ended, gov.members[4]])
    # five voting members in office; the chair and vice-chair count, the others present do not
    assert (meeting.members_in_office, meeting.members_present, meeting.quorum_met) == (5, 2, False)


def test_an_order_may_set_its_own_quorum(gov):
    body = B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("assembly_organising"),
                         code="ORG-56", name_th="คณะกรรมการจัดสมัชชา", province=gov.world.province, quorum="2/3")
    members = [B.appoint_member(actor=None, body=body, name=f"m{i}", role=Member.Role.MEMBER,
                                sector=Member.Sector.PEOPLE, term_start=date(2024, 1, 1), term_end=date(2030, 1, 1))
               for i in range(6)]
    on = today() - timedelta(days=3)
    assert not B.record_meeting(actor=None, body=body, held_on=on, agenda=["x"], attendees=members[:3]).quorum_met
    assert B.record_meeting(actor=None, body=body, held_on=on, agenda=["x"], attendees=members[:4]).quorum_met
    with pytest.raises(DomainError) as caught:
        B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("assembly_organising"),
                      code="ORG-X", name_th="x", province=gov.world.province, quorum="3/2")
    assert caught.value.code == "gov_bad_quorum"


def test_the_general_quorum_is_a_dated_parameter(gov):
    params.set_value("governance.quorum", "2/3", valid_from=today() - timedelta(days=5))
    assert gov.meeting(present=4, held_on=today() - timedelta(days=10)).quorum_met  # 1/2 still applied then
    assert not gov.meeting(present=3, held_on=today() - timedelta(days=1)).quorum_met  # 2/3 of 6 = 4


def test_a_matter_reconvened_within_14_days_needs_a_third_when_the_notice_said_so(gov):
    failed = gov.meeting(present=1, held_on=today() - timedelta(days=20))
    assert not failed.quorum_met
    later = failed.held_on + timedelta(days=10)
    with pytest.raises(DomainError) as caught:  # the notice did not say so
        gov.meeting(present=2, held_on=later, reconvenes=failed)
    assert caught.value.code == "gov_bad_reconvene"
    reconvened = gov.meeting(present=2, held_on=later, reconvenes=failed, notice_reduced_quorum=True)
    assert reconvened.quorum_met and reconvened.quorum_fraction == "1/3"
    with pytest.raises(DomainError):  # too late: more than 14 days after
        gov.meeting(present=2, held_on=failed.held_on + timedelta(days=15), reconvenes=failed,
                    notice_reduced_quorum=True)


def test_a_meeting_is_recorded_once_it_has_happened_with_an_agenda(gov):
    with pytest.raises(DomainError) as caught:
        gov.meeting(held_on=today() + timedelta(days=1))
    assert caught.value.code == "gov_meeting_in_future"
    with pytest.raises(DomainError) as caught:
        B.record_meeting(actor=None, body=gov.committee, held_on=today(), agenda=["  "], attendees=[])
    assert caught.value.code == "gov_no_agenda"


def test_meetings_and_resolutions_are_numbered_per_body_and_year(gov):
    first, second = gov.meeting(), gov.meeting()
    assert (first.number, second.number) == (1, 2)
    one = B.add_resolution(actor=None, meeting=first, text="เห็นชอบแผน", item=first.items.get(number=2))
    two = B.add_resolution(actor=None, meeting=second, text="รับทราบ")
    assert (one.number, two.number) == (1, 2) and one.reference.startswith("1/")
    with pytest.raises(AppendOnlyError):
        Resolution.objects.filter(pk=one.pk).update(text="changed")
    kinds = list(BodyEvent.objects.filter(body=gov.committee).values_list("kind", flat=True))
    assert kinds.count("resolution") == 2 and kinds.count("meeting") == 2 and kinds[0] == "created"


def test_a_meeting_without_quorum_cannot_resolve(gov):
    meeting = gov.meeting(present=1)
    with pytest.raises(DomainError) as caught:
        B.add_resolution(actor=None, meeting=meeting, text="อนุมัติ")
    assert caught.value.code == "gov_no_quorum"
    assert "1 of 6" in caught.value.message_en and "3 needed" in caught.value.message_en
    assert not Resolution.objects.exists()


def test_one_chair_at_a_time_and_a_member_leaves_once(gov):
    with pytest.raises(DomainError) as caught:
        B.appoint_member(actor=None, body=gov.committee, name="ประธานใหม่", role=Member.Role.CHAIR,
                         sector=Member.Sector.STATE, term_start=today(), term_end=today() + timedelta(days=900))
    assert caught.value.code == "gov_member_role_taken"
    chair = gov.members[0]
    B.member_leaves(actor=None, member=chair, left_on=today(), reason="ลาออก")
    with pytest.raises(DomainError) as caught:
        B.member_leaves(actor=None, member=chair, left_on=today(), reason="อีกครั้ง")
    assert caught.value.code == "gov_member_already_left"
    # the seat is free from the day the chair left
    B.appoint_member(actor=None, body=gov.committee, name="ประธานใหม่", role=Member.Role.CHAIR,
                     sector=Member.Sector.STATE, term_start=today(), term_end=today() + timedelta(days=900))


def test_secretaries_are_warned_before_terms_end_and_when_no_chair_is_in_office(gov):
    assert B.warnings([gov.committee], today()) == []
    soon = today() + timedelta(days=760 - 80)  # within 90 days of the end of every term
    texts = [w.text for w in B.warnings([gov.committee], soon)]
    assert any("6 members' terms end" in t for t in texts)
    B.member_leaves(actor=None, member=gov.members[0], left_on=today(), reason="")
    assert any("No chair" in w.text for w in B.warnings([gov.committee], today()))
    over = [w.level for w in B.warnings([gov.committee], today() + timedelta(days=800))]
    assert over == ["bad"]


def test_a_body_belongs_to_its_secretariats_area_and_level(gov):
    with pytest.raises(DomainError) as caught:
        B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("assembly_organising"),
                      code="X-65", name_th="x", province=gov.world.other_province)
    assert caught.value.code == "gov_area_outside_secretariat"
    with pytest.raises(DomainError) as caught:
        B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("area_health_board"),
                      code="X-R", name_th="x")
    assert caught.value.code == "gov_body_area"
    with pytest.raises(DomainError) as caught:
        B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("pao_health"), code="PHC-56",
                      name_th="x", province=gov.world.province)
    assert caught.value.code == "gov_code_exists"


def test_minutes_must_be_a_document_of_reasonable_size(gov, settings, tmp_path):
    meeting = gov.meeting()
    with pytest.raises(DomainError) as caught:
        B.file_minutes(actor=None, meeting=meeting, upload=SimpleUploadedFile("minutes.exe", b"MZ"))
    assert caught.value.code == "gov_bad_minutes_type"
    params.set_value("governance.minutes_max_mb", 1, valid_from=date(2020, 1, 1))
    with pytest.raises(DomainError) as caught:
        B.file_minutes(actor=None, meeting=meeting, upload=SimpleUploadedFile("m.pdf", b"x" * (1024 * 1024 + 1)))
    assert caught.value.code == "gov_minutes_too_big"
    filed = B.file_minutes(actor=None, meeting=meeting, upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4"), public=True)
    assert filed.minutes.name.endswith(".pdf") and filed.minutes_public
