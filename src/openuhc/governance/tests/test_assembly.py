"""The assembly cycle: the open call, screening once, drafts with amendments per constituency, adoption into
clauses, the clause's append-only status history, referrals answered once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError

from openuhc.core.dates import today
from openuhc.core.errors import DomainError
from openuhc.core.models_base import AppendOnlyError
from openuhc.governance import assembly as A
from openuhc.governance.models import (
    Agency,
    ClauseComment,
    ClauseStatus,
    ClauseUpdate,
    Draft,
    Phase,
    Proposal,
    ProposalAnswer,
)
from openuhc.governance.tests.conftest import body_type

SCORES = {"importance": 5, "size": 4, "public_interest": 5, "feasibility": 3}


def days(n: int):  # noqa: ANN201
    return today() + timedelta(days=n)


@pytest.fixture
def cycle(gov):
    from openuhc.governance import bodies as B

    organiser = B.create_body(actor=None, secretariat=gov.secretariat, body_type=body_type("assembly_organising"),
                              code="ORG-56", name_th="คณะกรรมการจัดสมัชชาสุขภาพจังหวัดพะเยา",
                              province=gov.world.province)
    return A.create_cycle(actor=None, body=organiser, code="PHA-56-2570", title_th="สมัชชาสุขภาพจังหวัดพะเยา 2570",
                          year=2570, phases={Phase.Kind.CALL: (days(-60), days(-20)),
                                             Phase.Kind.SCREENING: (days(-19), days(-10)),
                                             Phase.Kind.DRAFTING: (days(-9), days(-5)),
                                             Phase.Kind.ASSEMBLY: (days(-4), days(0)),
                                             Phase.Kind.FOLLOW_UP: (days(1), days(365))})


def propose(cycle, on=None, **kwargs):  # noqa: ANN001, ANN201
    return A.submit_proposal(actor=None, cycle=cycle, title="ผู้สูงอายุติดบ้านเข้าไม่ถึงบริการ",
                             problem="ผู้สูงอายุติดบ้านในพื้นที่ห่างไกลไม่ได้รับการเยี่ยมบ้าน",
                             evidence="ข้อมูลคัดกรอง ADL ปี 2568", proposer_name="เครือข่ายผู้สูงอายุพะเยา",
                             proposer_kind=Proposal.ProposerKind.NETWORK, received_on=on or days(-30), **kwargs)


def adopted(cycle):  # noqa: ANN001, ANN201
    proposal = propose(cycle)
    A.screen(actor=None, proposal=proposal, scores=SCORES, accept=True, answer="รับเป็นระเบียบวาระ",
             answered_on=days(-15))
    draft = A.create_draft(actor=None, proposal=proposal, title="การดูแลผู้สูงอายุติดบ้านติดเตียง",
                           clauses=["ให้ อบจ. จัดทีมเยี่ยมบ้าน", "ให้ สปสช. สนับสนุนงบประมาณ"])
    return A.adopt(actor=None, draft=draft, adopted_on=days(-2))


def test_proposals_are_taken_while_the_call_runs_and_numbered(cycle):
    first, second = propose(cycle), propose(cycle, on=days(-21))
    assert (first.number, second.number, first.reference) == (1, 2, "PHA-56-2570-001")
    with pytest.raises(DomainError) as caught:
        propose(cycle, on=days(-5))
    assert caught.value.code == "gov_call_closed"
    assert list(A.open_calls(days(-30))) == [cycle] and not A.open_calls(today()).exists()


def test_phases_follow_one_another(cycle):
    with pytest.raises(DomainError) as caught:
        A.set_phase(actor=None, cycle=cycle, kind=Phase.Kind.CONSULTATION, starts_on=days(-70), ends_on=days(-6))
    assert caught.value.code == "gov_phase_order"
    A.set_phase(actor=None, cycle=cycle, kind=Phase.Kind.CONSULTATION, starts_on=days(-7), ends_on=days(-5))
    assert A.current_phase(cycle, days(-6)).kind == Phase.Kind.CONSULTATION


def test_screening_scores_every_criterion_and_answers_once(cycle):
    proposal = propose(cycle)
    with pytest.raises(DomainError) as caught:
        A.screen(actor=None, proposal=proposal, scores={**SCORES, "feasibility": 9}, accept=True, answer="x",
                 answered_on=days(-15))
    assert caught.value.code == "gov_bad_scores"
    answer = A.screen(actor=None, proposal=proposal, scores=SCORES, accept=False,
                      answer="ซ้ำกับมติสมัชชาปีก่อน", answered_on=days(-15))
    assert (answer.total, proposal.status) == (17, Proposal.Status.DECLINED)
    with pytest.raises(DomainError) as caught:
        A.screen(actor=None, proposal=proposal, scores=SCORES, accept=True, answer="เปลี่ยนใจ", answered_on=days(-14))
    assert caught.value.code == "gov_already_answered"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED
    # the database itself refuses a second answer at a stage
    with pytest.raises(IntegrityError):
        ProposalAnswer.objects.create(proposal=proposal, stage="screening", decision="accepted", text="x",
                                      answered_on=days(-1))


def test_amendments_per_constituency_change_the_adopted_text(cycle):
    proposal = propose(cycle)
    A.screen(actor=None, proposal=proposal, scores=SCORES, accept=True, answer="รับ", answered_on=days(-15))
    draft = A.create_draft(actor=None, proposal=proposal, title="ร่างมติ", clauses=["ข้อหนึ่ง", "ข้อสอง"])
    people = A.add_constituency(actor=None, cycle=cycle, name="กลุ่มภาคประชาชน", sector="people")
    state = A.add_constituency(actor=None, cycle=cycle, name="กลุ่มหน่วยงานรัฐ", sector="state")
    one, two = draft.clauses.order_by("number")
    A.comment(actor=None, clause=one, constituency=state, kind=ClauseComment.Kind.COMMENT, text="เห็นด้วย")
    keep = A.comment(actor=None, clause=one, constituency=people, kind=ClauseComment.Kind.AMENDMENT,
                     text="ให้ชัดเจนขึ้น", proposed_text="ข้อหนึ่ง ภายใน 6 เดือน")
    other = A.comment(actor=None, clause=one, constituency=state, kind=ClauseComment.Kind.AMENDMENT,
                      text="ขยายเวลา", proposed_text="ข้อหนึ่ง ภายใน 1 ปี")
    with pytest.raises(DomainError) as caught:
        A.adopt(actor=None, draft=draft, adopted_on=days(-2))
    assert caught.value.code == "gov_amendments_open"
    A.decide_amendment(actor=None, amendment=keep, accepted=True)
    A.decide_amendment(actor=None, amendment=other, accepted=True)
    with pytest.raises(DomainError) as caught:
        A.adopt(actor=None, draft=draft, adopted_on=days(-2))
    assert caught.value.code == "gov_two_amendments"
    with pytest.raises(DomainError) as caught:
        A.decide_amendment(actor=None, amendment=other, accepted=False)
    assert caught.value.code == "gov_amendment_decided"
    assert two.comments.count() == 0


def test_adoption_splits_the_resolution_into_clauses_and_answers_the_proposal(cycle):
    resolution = adopted(cycle)
    assert [c.text for c in resolution.clauses.all()] == ["ให้ อบจ. จัดทีมเยี่ยมบ้าน", "ให้ สปสช. สนับสนุนงบประมาณ"]
    proposal = resolution.draft.proposal
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ADOPTED
    assert list(proposal.answers.values_list("stage", "decision")) == [("screening", "accepted"),
                                                                      ("assembly", "adopted")]
    with pytest.raises(DomainError) as caught:
        A.adopt(actor=None, draft=resolution.draft, adopted_on=days(-1))
    assert caught.value.code == "gov_draft_closed"


def test_adoption_happens_on_a_day_of_the_assembly(cycle):
    proposal = propose(cycle)
    A.screen(actor=None, proposal=proposal, scores=SCORES, accept=True, answer="รับ", answered_on=days(-15))
    draft = A.create_draft(actor=None, proposal=proposal, title="ร่าง", clauses=["ข้อ"])
    with pytest.raises(DomainError) as caught:
        A.adopt(actor=None, draft=draft, adopted_on=days(-10))
    assert caught.value.code == "gov_outside_assembly"
    A.not_adopted(actor=None, draft=draft, on=days(-1), reason="ที่ประชุมเห็นว่าควรศึกษาเพิ่ม")
    draft.refresh_from_db()
    proposal.refresh_from_db()
    assert (draft.status, proposal.status) == (Draft.Status.NOT_ADOPTED, Proposal.Status.NOT_ADOPTED)


def test_a_clause_moves_by_dated_updates_that_are_never_changed(cycle):
    clause = adopted(cycle).clauses.get(number=1)
    A.update_clause(actor=None, clause=clause, on=days(-1), status=ClauseStatus.IN_PROGRESS, progress=30,
                    note="ตั้งทีมเยี่ยมบ้าน 20 ทีม")
    with pytest.raises(DomainError) as caught:
        A.update_clause(actor=None, clause=clause, on=days(-2), status=ClauseStatus.IN_PROGRESS, progress=40,
                        note="ย้อนหลัง")
    assert caught.value.code == "gov_update_date"
    with pytest.raises(DomainError) as caught:
        A.update_clause(actor=None, clause=clause, on=today(), status=ClauseStatus.DONE, progress=90, note="เสร็จ")
    assert caught.value.code == "gov_progress_status"
    A.update_clause(actor=None, clause=clause, on=today(), status=ClauseStatus.DONE, progress=100, note="ครบทุกตำบล")
    clause.refresh_from_db()
    assert (clause.status, clause.progress, clause.updated_on) == (ClauseStatus.DONE, 100, today())
    history = list(clause.updates.values_list("status", "progress"))
    assert history == [("in_progress", 30), ("done", 100)]
    with pytest.raises(AppendOnlyError):
        ClauseUpdate.objects.filter(clause=clause).update(progress=0)
    with pytest.raises(AppendOnlyError):
        clause.updates.first().delete()


def test_an_update_made_meanwhile_is_not_overwritten(cycle):
    clause = adopted(cycle).clauses.get(number=1)
    seen_by_other_tab = type(clause).objects.get(pk=clause.pk)
    A.update_clause(actor=None, clause=clause, on=today(), status=ClauseStatus.IN_PROGRESS, progress=10, note="a")
    with pytest.raises(DomainError) as caught:
        A.update_clause(actor=None, clause=seen_by_other_tab, on=today(), status=ClauseStatus.DELAYED, progress=5,
                        note="b")
    assert caught.value.code == "gov_stale_clause"
    assert clause.updates.count() == 1


def test_clauses_link_to_plans_projects_and_budgets(cycle, gov):
    from openuhc.governance import plans as PL

    clause = adopted(cycle).clauses.get(number=1)
    plan = PL.create_plan(actor=None, title_th="แผน", first_year=2569, last_year=2572, local_government=gov.pao)
    project = PL.add_project(actor=None, plan=plan, title="ทีมเยี่ยมบ้าน", owner="อบจ.")
    A.assign_clause(actor=None, clause=clause, agencies=Agency.objects.filter(code__in=["MOPH", "NHSO"]),
                    project=project, budget="2500000.00", budget_source="งบ อบจ.")
    clause.refresh_from_db()
    assert (clause.plan, clause.project, str(clause.budget)) == (plan, project, "2500000.00")
    assert set(clause.agencies.values_list("code", flat=True)) == {"MOPH", "NHSO"}
    other = PL.create_plan(actor=None, title_th="แผนอื่น", first_year=2569, last_year=2572,
                           local_government=gov.other_pao)
    with pytest.raises(DomainError) as caught:
        A.assign_clause(actor=None, clause=clause, agencies=[], plan=other, project=project)
    assert caught.value.code == "gov_link_other_plan"


def test_a_resolution_is_sent_to_an_agency_once_and_its_reply_recorded_once(cycle):
    resolution = adopted(cycle)
    minister = Agency.objects.get(code="MIN-MOPH")
    with pytest.raises(DomainError) as caught:
        A.refer(actor=None, resolution=resolution, agency=minister, sent_on=days(-3))
    assert caught.value.code == "gov_sent_before_adoption"
    referral = A.refer(actor=None, resolution=resolution, agency=minister, sent_on=days(-1), letter="พย 0023/123")
    with pytest.raises(DomainError) as caught:
        A.refer(actor=None, resolution=resolution, agency=minister, sent_on=today())
    assert caught.value.code == "gov_already_referred"
    with pytest.raises(DomainError) as caught:
        A.record_reply(actor=None, referral=referral, reply="รับทราบ", replied_on=days(-3))
    assert caught.value.code == "gov_reply_before_sent"
    A.record_reply(actor=None, referral=referral, reply="มอบกรมที่เกี่ยวข้องดำเนินการ", replied_on=today())
    with pytest.raises(DomainError) as caught:
        A.record_reply(actor=None, referral=referral, reply="อีกครั้ง", replied_on=today())
    assert caught.value.code == "gov_already_replied"
