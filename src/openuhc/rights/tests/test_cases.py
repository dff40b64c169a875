"""A case from receipt to closure; escalation to the region with a controllable clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command

from openuhc.core.errors import DomainError
from openuhc.rights import services
from openuhc.rights.models import Case, CaseEvent
from openuhc.rights.tests.conftest import at, category, open_complaint


def test_centre_staff_take_a_case_from_receipt_to_closure_and_every_step_is_in_the_history(world):
    staff = world.users["centre"]
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    assert case.number.startswith("2569-") and case.status == "received"
    services.acknowledge(case, actor=staff, now=at("2026-03-02 11:00"))
    services.assign(case, actor=staff, to=staff, now=at("2026-03-02 11:05"))
    services.add_note(case, actor=staff, text="โทรหาโรงพยาบาล", audience="unit", now=at("2026-03-03 10:00"))
    services.close(case, actor=staff, outcome="resolved", outcome_text="โรงพยาบาลคืนเงิน 500 บาท",
                   now=at("2026-03-10 16:00"))
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_on_time
    services.rate(case, score=5, now=at("2026-03-11 08:00"))
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["received", "acknowledged", "assigned", "note", "closed", "rated"]
    with pytest.raises(DomainError) as error:
        services.assign(case, actor=staff, to=staff, now=at("2026-03-12 08:00"))
    assert error.value.code == "rights_case_closed"
    services.reopen(case, actor=staff, reason="ผู้ร้องแจ้งว่ายังไม่ได้รับเงินคืน", now=at("2026-03-12 09:00"))
    assert Case.objects.get(pk=case.pk).status == "in_progress"


def test_events_cannot_be_edited_or_deleted(world):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    event = case.events.get()
    event.text = "changed"
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        CaseEvent.objects.filter(case=case).delete()


def test_a_name_or_contact_is_refused_without_the_persons_consent(world):
    with pytest.raises(DomainError) as error:
        services.open_case(actor=None, kind="complaint", channel="hotline", category=category(), subject="x",
                           description="y", centre=world.centre, complainant_name="นายไม่ยินยอม",
                           consent_to_record=False)
    assert error.value.code == "rights_consent_needed"
    assert not Case.objects.exists()


def test_closing_needs_an_outcome_in_words(world):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    with pytest.raises(DomainError) as error:
        services.close(case, actor=world.users["centre"], outcome="resolved", outcome_text="  ")
    assert error.value.code == "rights_no_outcome"


def test_a_stale_copy_of_a_case_cannot_overwrite_a_newer_change(world):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    stale = Case.objects.get(pk=case.pk)
    services.acknowledge(case, actor=world.users["centre"], now=at("2026-03-02 10:00"))
    with pytest.raises(DomainError) as error:
        services.close(stale, actor=world.users["centre"], outcome="resolved", outcome_text="done")
    assert error.value.code == "rights_changed_meanwhile"
    assert Case.objects.get(pk=case.pk).status == "acknowledged"


def test_only_staff_of_the_centre_or_region_can_be_assigned(world):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    with pytest.raises(DomainError) as error:
        services.assign(case, actor=world.users["centre"], to=world.users["hospital"])
    assert error.value.code == "rights_not_staff"
    services.assign(case, actor=world.users["centre"], to=world.users["regional"])


def test_an_unacknowledged_case_is_escalated_the_day_after_its_acknowledgement_deadline_and_only_once(world):
    case = open_complaint(world, now=at("2026-03-06 15:00"))  # Friday: acknowledge by Monday night
    assert services.escalate_overdue(now=at("2026-03-09 23:00")) == []
    escalated = services.escalate_overdue(now=at("2026-03-10 00:30"))
    assert [c.number for c in escalated] == [case.number]
    case.refresh_from_db()
    assert case.escalated_at == at("2026-03-10 00:30")
    assert case.events.filter(kind="escalated", audience="staff").count() == 1
    assert services.escalate_overdue(now=at("2026-03-20 00:00")) == []


def test_an_acknowledged_case_is_escalated_only_when_its_outcome_deadline_passes(world):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    services.acknowledge(case, actor=world.users["centre"], now=at("2026-03-02 10:00"))
    assert services.escalate_overdue(now=at("2026-04-01 23:59")) == []
    assert not services.is_overdue(Case.objects.get(pk=case.pk), at("2026-04-01 23:59"))
    assert len(services.escalate_overdue(now=at("2026-04-02 00:01"))) == 1


def test_a_closed_case_is_never_escalated_and_counts_as_late_if_closed_after_the_deadline(world):
    on_time = open_complaint(world, now=at("2026-03-02 09:00"))
    late = open_complaint(world, now=at("2026-03-02 09:00"))
    services.close(on_time, actor=None, outcome="resolved", outcome_text="ok", now=at("2026-03-20 09:00"))
    services.close(late, actor=None, outcome="resolved", outcome_text="ok", now=at("2026-04-03 09:00"))
    assert services.escalate_overdue(now=at("2026-05-01 00:00")) == []
    assert Case.objects.get(pk=on_time.pk).closed_on_time is True
    assert Case.objects.get(pk=late.pk).closed_on_time is False


def test_the_escalate_command_judges_deadlines_at_the_time_given(world, capsys):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    call_command("rights", "overdue", "--at", "2026-03-02T12:00")
    assert "0 overdue" in capsys.readouterr().out
    call_command("rights", "escalate", "--at", "2026-04-02T09:00")
    out = capsys.readouterr().out
    assert case.number in out and "1 case(s) escalated" in out


def test_the_region_sees_escalated_cases_marked_on_its_list(world, client_for):
    case = open_complaint(world, now=at("2026-01-05 09:00"))
    services.escalate_overdue(now=at("2026-03-01 00:00"))
    page = client_for("regional").get("/rights/cases/?status=overdue")
    assert page.status_code == 200
    assert case.number in page.content.decode() and "escalated" in page.content.decode()


def test_staff_close_a_case_from_the_case_page(world, client_for):
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    client = client_for("centre")
    client.post(f"/rights/cases/{case.number}/acknowledge/", {"text": "รับเรื่องแล้ว"})
    response = client.post(f"/rights/cases/{case.number}/close/", {"outcome": "resolved",
                                                                   "outcome_text": "คืนเงินแล้ว"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.outcome_text == "คืนเงินแล้ว"
    assert case.events.filter(kind="closed", actor=world.users["centre"]).exists()
    # a case number is consecutive within the fiscal year
    second = open_complaint(world, now=at("2026-03-02 10:00") + timedelta(minutes=1))
    assert int(second.number.split("-")[1]) == int(case.number.split("-")[1]) + 1
