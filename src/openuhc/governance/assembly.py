"""The health assembly cycle, from the open call to the follow-up of each adopted clause.

    call (proposals) → screening (scores on the criteria, an answer) → drafting (draft resolution in clauses)
    → consultation (comments and amendments per constituency) → assembly (amendments decided, adopted or not)
    → follow-up (owner agencies, links to plans and budgets, dated updates; proposals sent to agencies, replies)

The National Health Act B.E. 2550 s.40 lets area health assemblies run under the National Health Commission's
criteria; the steps follow the national assembly's (proposals screened by its organising committee, draft
resolutions debated by constituencies, resolutions followed by a follow-up committee — samatcha.org).

Each stage answers a proposal once (a unique constraint on proposal and stage); a clause's status history is
its append-only updates; status changes are compare-and-set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation

from openuhc.core import committees, params
from openuhc.core.dates import format_date, today
from openuhc.core.errors import DomainError
from openuhc.governance import params as P
from openuhc.governance.bodies import text_required
from openuhc.governance.errors import GovError
from openuhc.governance.models import (
    Agency,
    AmendmentDecision,
    AssemblyCycle,
    AssemblyResolution,
    Body,
    ClauseComment,
    ClauseStatus,
    ClauseUpdate,
    Constituency,
    Draft,
    DraftClause,
    Phase,
    Proposal,
    ProposalAnswer,
    Referral,
    ResolutionClause,
)
from openuhc.governance.plans import money

STAGE_TH = {ProposalAnswer.Stage.SCREENING: "กลั่นกรอง", ProposalAnswer.Stage.ASSEMBLY: "ประชุมสมัชชา"}


def _not_in_future(on: date) -> None:
    if on > today():
        raise DomainError(GovError.DATE_IN_FUTURE, date=format_date(on))


# --- the cycle and its phases ---------------------------------------------------------------------------------
@transaction.atomic
def create_cycle(*, actor: Any, body: Body, code: str, title_th: str, year: int, title_en: str = "",
                 phases: dict[str, tuple[date, date]] | None = None) -> AssemblyCycle:
    code = text_required(code, "code", "รหัส")
    if AssemblyCycle.objects.filter(code=code).exists():
        raise DomainError(GovError.CODE_EXISTS, code=code)
    cycle = AssemblyCycle.objects.create(code=code, title_th=text_required(title_th, "title", "ชื่อ"),
                                         title_en=title_en.strip(), body=body, year=year, created_by=actor)
    for kind, (starts_on, ends_on) in (phases or {}).items():
        set_phase(actor=actor, cycle=cycle, kind=kind, starts_on=starts_on, ends_on=ends_on)
    return cycle


@transaction.atomic
def set_phase(*, actor: Any, cycle: AssemblyCycle, kind: str, starts_on: date, ends_on: date) -> Phase:
    """Set a phase's dates; phases follow one another in their order (none starts before the previous one)."""
    if ends_on < starts_on:
        raise DomainError(GovError.PHASE_DATES)
    order = list(Phase.Kind.values)
    AssemblyCycle.objects.select_for_update().get(pk=cycle.pk)
    for other in cycle.phases.exclude(kind=kind):
        before = order.index(other.kind) < order.index(kind)
        if before and other.starts_on > starts_on:
            raise DomainError(GovError.PHASE_ORDER, phase=Phase.Kind(kind).label, previous=other.get_kind_display(),
                              date=format_date(other.starts_on))
        if not before and other.starts_on < starts_on:
            raise DomainError(GovError.PHASE_ORDER, phase=other.get_kind_display(), previous=Phase.Kind(kind).label,
                              date=format_date(starts_on))
    phase, _created = Phase.objects.update_or_create(cycle=cycle, kind=kind,
                                                     defaults={"starts_on": starts_on, "ends_on": ends_on})
    return phase


def phase_of(cycle: AssemblyCycle, kind: str) -> Phase | None:
    return next((p for p in cycle.phases.all() if p.kind == kind), None)


def current_phase(cycle: AssemblyCycle, on: date) -> Phase | None:
    """The latest phase that has started by `on` (None before the cycle starts)."""
    started = [p for p in cycle.phases.all() if p.starts_on <= on]
    return max(started, key=lambda p: (p.starts_on, list(Phase.Kind.values).index(p.kind))) if started else None


def open_calls(on: date) -> QuerySet:
    """Cycles whose open call runs on the day (the public form offers them)."""
    return AssemblyCycle.objects.filter(phases__kind=Phase.Kind.CALL, phases__starts_on__lte=on,
                                        phases__ends_on__gte=on).select_related("body__province", "body__region")


@transaction.atomic
def add_agency(*, actor: Any, code: str, name_th: str, kind: str, name_en: str = "") -> Agency:
    code = text_required(code, "code", "รหัส")
    if Agency.objects.filter(code=code).exists():
        raise DomainError(GovError.CODE_EXISTS, code=code)
    return Agency.objects.create(code=code, name_th=text_required(name_th, "name", "ชื่อ"), name_en=name_en.strip(),
                                 kind=kind)


@transaction.atomic
def add_constituency(*, actor: Any, cycle: AssemblyCycle, name: str, sector: str) -> Constituency:
    return Constituency.objects.get_or_create(cycle=cycle, name=text_required(name, "name", "ชื่อ"),
                                              defaults={"sector": sector})[0]


# --- proposals and screening ------------------------------------------------------------------------------------
@transaction.atomic
def submit_proposal(*, actor: Any, cycle: AssemblyCycle, title: str, problem: str, evidence: str,
                    proposer_name: str, proposer_kind: str, received_on: date, contact: str = "",
                    channel: str = Proposal.Channel.STAFF) -> Proposal:
    """An issue proposed while the open call runs (the public form or the secretariat, for one sent on paper)."""
    call = phase_of(cycle, Phase.Kind.CALL)
    if call is None:
        raise DomainError(GovError.NO_CALL, cycle=str(cycle))
    if not call.starts_on <= received_on <= call.ends_on:
        raise DomainError(GovError.CALL_CLOSED, cycle=str(cycle), date=format_date(received_on),
                          start=format_date(call.starts_on), end=format_date(call.ends_on))
    AssemblyCycle.objects.select_for_update().get(pk=cycle.pk)  # serialise numbering
    return Proposal.objects.create(
        cycle=cycle, number=committees.next_number(cycle.proposals.all()),
        title=text_required(title, "issue", "ประเด็น")[:300], problem=text_required(problem, "problem", "สภาพปัญหา"),
        evidence=text_required(evidence, "evidence", "ข้อมูลหลักฐาน"),
        proposer_name=text_required(proposer_name, "proposer", "ผู้เสนอ")[:300], proposer_kind=proposer_kind,
        contact=contact.strip()[:300], channel=channel, received_on=received_on, created_by=actor)


@dataclass(frozen=True)
class Criterion:
    code: str
    en: str
    th: str

    @property
    def label(self) -> str:
        return self.th if (translation.get_language() or "th").startswith("th") else self.en


def criteria(on: date) -> list[Criterion]:
    return [Criterion(str(c["code"]), c["en"], c["th"]) for c in params.get(P.SCREENING_CRITERIA.key, on=on)]


def _move(proposal: Proposal, old: str, new: str) -> None:
    """Compare-and-set a proposal's status: a step taken twice at once happens once."""
    if Proposal.objects.filter(pk=proposal.pk, status=old).update(status=new) != 1:
        proposal.refresh_from_db()
        raise DomainError(GovError.WRONG_PROPOSAL_STATUS, reference=proposal.reference,
                          status=proposal.get_status_display(), needed=Proposal.Status(old).label)
    proposal.status = new


def _answer(proposal: Proposal, stage: str, decision: str, text: str, on: date, actor: Any,
            scores: dict[str, int] | None = None) -> ProposalAnswer:
    try:
        with transaction.atomic():
            return ProposalAnswer.objects.create(proposal=proposal, stage=stage, decision=decision, text=text,
                                                 answered_on=on, actor=actor, scores=scores or {},
                                                 total=sum(scores.values()) if scores else None)
    except IntegrityError:
        raise DomainError(GovError.ALREADY_ANSWERED, reference=proposal.reference,
                          stage=ProposalAnswer.Stage(stage).label.lower(), stage_th=STAGE_TH[stage]) from None


def _scores(raw: dict[str, Any], on: date) -> dict[str, int]:
    most = params.get(P.SCREENING_MAX_SCORE.key, on=on)
    wanted = criteria(on)
    scores = {}
    for criterion in wanted:
        try:
            value = int(str(raw.get(criterion.code, "")).strip())
        except ValueError:
            value = 0
        if not 1 <= value <= most:
            raise DomainError(GovError.BAD_SCORES, most=most, criteria=", ".join(c.label for c in wanted))
        scores[criterion.code] = value
    return scores


@transaction.atomic
def screen(*, actor: Any, proposal: Proposal, scores: dict[str, Any], accept: bool, answer: str,
           answered_on: date) -> ProposalAnswer:
    """The screening answer: a score on every criterion, taken up for the agenda or not, and the answer the
    proposer reads. Once per proposal."""
    _not_in_future(answered_on)
    checked = _scores(scores, answered_on)
    text = text_required(answer, "answer", "คำตอบ")
    decision = Proposal.Status.ACCEPTED if accept else Proposal.Status.DECLINED
    row = _answer(proposal, ProposalAnswer.Stage.SCREENING, decision, text, answered_on, actor, checked)
    _move(proposal, Proposal.Status.SUBMITTED, decision)
    return row


# --- drafts, comments, amendments ------------------------------------------------------------------------------
@transaction.atomic
def create_draft(*, actor: Any, proposal: Proposal, title: str, clauses: Iterable[str], preamble: str = "") -> Draft:
    texts = [c.strip() for c in clauses if c and c.strip()]
    if not texts:
        raise DomainError(GovError.NO_CLAUSES)
    _move(proposal, Proposal.Status.ACCEPTED, Proposal.Status.DRAFTED)
    draft = Draft.objects.create(cycle=proposal.cycle, proposal=proposal, title=text_required(title, "title", "ชื่อ"),
                                 preamble=preamble.strip(), created_by=actor)
    DraftClause.objects.bulk_create(DraftClause(draft=draft, number=i, text=t) for i, t in enumerate(texts, start=1))
    return draft


def _require_open(draft: Draft) -> None:
    if draft.status != Draft.Status.OPEN:
        raise DomainError(GovError.DRAFT_CLOSED, status=draft.get_status_display())


@transaction.atomic
def add_clause(*, actor: Any, draft: Draft, text: str) -> DraftClause:
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    _require_open(draft)
    return DraftClause.objects.create(draft=draft, number=committees.next_number(draft.clauses.all()),
                                      text=text_required(text, "clause", "ข้อความ"))


@transaction.atomic
def comment(*, actor: Any, clause: DraftClause, constituency: Constituency, kind: str, text: str,
            proposed_text: str = "") -> ClauseComment:
    """A constituency's comment on a clause, or an amendment proposing a new text for it."""
    _require_open(clause.draft)
    if constituency.cycle_id != clause.draft.cycle_id:
        raise DomainError(GovError.CONSTITUENCY_OTHER_CYCLE)
    if kind == ClauseComment.Kind.AMENDMENT:
        proposed_text = text_required(proposed_text, "proposed text", "ข้อความที่เสนอแก้ไข")
    return ClauseComment.objects.create(clause=clause, constituency=constituency, kind=kind,
                                        text=text_required(text, "comment", "ความเห็น"),
                                        proposed_text=proposed_text.strip() if kind == ClauseComment.Kind.AMENDMENT
                                        else "", actor=actor)


@transaction.atomic
def decide_amendment(*, actor: Any, amendment: ClauseComment, accepted: bool, note: str = "") -> AmendmentDecision:
    if amendment.kind != ClauseComment.Kind.AMENDMENT:
        raise DomainError(GovError.NOT_AN_AMENDMENT)
    _require_open(amendment.clause.draft)
    try:
        with transaction.atomic():
            return AmendmentDecision.objects.create(amendment=amendment, accepted=accepted, note=note.strip()[:500],
                                                    actor=actor)
    except IntegrityError:
        raise DomainError(GovError.AMENDMENT_DECIDED) from None


def _final_texts(draft: Draft) -> list[tuple[int, str]]:
    """Each clause's text after the accepted amendments; refuses undecided amendments and two accepted on one."""
    amendments = list(ClauseComment.objects.filter(clause__draft=draft, kind=ClauseComment.Kind.AMENDMENT)
                      .select_related("clause", "decision"))
    undecided = sorted({a.clause.number for a in amendments if not hasattr(a, "decision")})
    if undecided:
        raise DomainError(GovError.AMENDMENTS_OPEN, clauses=", ".join(map(str, undecided)))
    accepted: dict[int, ClauseComment] = {}
    for amendment in amendments:
        if amendment.decision.accepted:
            if amendment.clause_id in accepted:
                raise DomainError(GovError.TWO_AMENDMENTS, clause=amendment.clause.number)
            accepted[amendment.clause_id] = amendment
    return [(c.number, accepted[c.pk].proposed_text if c.pk in accepted else c.text) for c in draft.clauses.all()]


def _check_assembly_day(cycle: AssemblyCycle, on: date) -> None:
    phase = phase_of(cycle, Phase.Kind.ASSEMBLY)
    if phase is None:
        raise DomainError(GovError.NO_ASSEMBLY_PHASE)
    if not phase.starts_on <= on <= phase.ends_on:
        raise DomainError(GovError.OUTSIDE_ASSEMBLY, date=format_date(on), start=format_date(phase.starts_on),
                          end=format_date(phase.ends_on))
    _not_in_future(on)


def _close_draft(draft: Draft, new: str) -> None:
    if Draft.objects.filter(pk=draft.pk, status=Draft.Status.OPEN).update(status=new) != 1:
        draft.refresh_from_db()
        raise DomainError(GovError.DRAFT_CLOSED, status=draft.get_status_display())
    draft.status = new


@transaction.atomic
def adopt(*, actor: Any, draft: Draft, adopted_on: date, answer: str = "") -> AssemblyResolution:
    """The assembly adopts the draft: a resolution numbered in the cycle, split into its clauses (with the
    accepted amendments), and the proposal answered at the assembly stage."""
    _check_assembly_day(draft.cycle, adopted_on)
    texts = _final_texts(draft)
    _close_draft(draft, Draft.Status.ADOPTED)
    AssemblyCycle.objects.select_for_update().get(pk=draft.cycle_id)
    resolution = AssemblyResolution.objects.create(
        cycle=draft.cycle, draft=draft, number=committees.next_number(draft.cycle.resolutions.all()),
        title=draft.title, preamble=draft.preamble, adopted_on=adopted_on, created_by=actor)
    ResolutionClause.objects.bulk_create(ResolutionClause(resolution=resolution, number=n, text=t) for n, t in texts)
    text = answer.strip() or f"ที่ประชุมสมัชชามีมติ {resolution.reference} {resolution.title}"
    _answer(draft.proposal, ProposalAnswer.Stage.ASSEMBLY, Proposal.Status.ADOPTED, text, adopted_on, actor)
    _move(draft.proposal, Proposal.Status.DRAFTED, Proposal.Status.ADOPTED)
    return resolution


@transaction.atomic
def not_adopted(*, actor: Any, draft: Draft, on: date, reason: str) -> Draft:
    _check_assembly_day(draft.cycle, on)
    reason = text_required(reason, "reason", "เหตุผล")
    _close_draft(draft, Draft.Status.NOT_ADOPTED)
    _answer(draft.proposal, ProposalAnswer.Stage.ASSEMBLY, Proposal.Status.NOT_ADOPTED, reason, on, actor)
    _move(draft.proposal, Proposal.Status.DRAFTED, Proposal.Status.NOT_ADOPTED)
    return draft


# --- follow-up: the accountability register ----------------------------------------------------------------------
@transaction.atomic
def assign_clause(*, actor: Any, clause: ResolutionClause, agencies: Iterable[Agency], plan: Any = None,
                  project: Any = None, budget: Any = None, budget_source: str = "") -> ResolutionClause:
    """Who owns a clause, and the plan, project and budget it is carried out with."""
    if project is not None:
        if plan is not None and project.plan_id != plan.pk:
            raise DomainError(GovError.LINK_OTHER_PLAN)
        plan = project.plan
    amount = None if budget in (None, "") else money(budget)
    ResolutionClause.objects.filter(pk=clause.pk).update(plan=plan, project=project, budget=amount,
                                                         budget_source=budget_source.strip()[:200])
    clause.plan, clause.project, clause.budget, clause.budget_source = plan, project, amount, budget_source.strip()
    clause.agencies.set(list(agencies))
    return clause


def _progress(value: Any) -> int:
    try:
        progress = int(str(value).strip())
    except ValueError:
        raise DomainError(GovError.BAD_PROGRESS, value=value) from None
    if not 0 <= progress <= 100:
        raise DomainError(GovError.BAD_PROGRESS, value=value)
    return progress


@transaction.atomic
def update_clause(*, actor: Any, clause: ResolutionClause, on: date, status: str, progress: Any,
                  note: str) -> ClauseUpdate:
    """A dated update: status and progress move on together, as an append-only row. `clause` is the state the
    person saw; if someone updated it meanwhile the update is refused (compare-and-set), not lost."""
    progress = _progress(progress)
    status = ClauseStatus(status)
    if status == ClauseStatus.DONE and progress != 100:
        raise DomainError(GovError.PROGRESS_STATUS, status=status.label, needed=100)
    if status == ClauseStatus.NOT_STARTED and progress != 0:
        raise DomainError(GovError.PROGRESS_STATUS, status=status.label, needed=0)
    adopted = clause.resolution.adopted_on
    last = clause.updated_on
    if not (adopted <= on <= today() and (last is None or on >= last)):
        raise DomainError(GovError.UPDATE_DATE, adopted=format_date(adopted), last=format_date(last) or "—")
    note = text_required(note, "note", "รายละเอียดความก้าวหน้า")
    changed = ResolutionClause.objects.filter(pk=clause.pk, status=clause.status, progress=clause.progress,
                                              updated_on=clause.updated_on).update(status=status, progress=progress,
                                                                                   updated_on=on)
    if changed != 1:
        raise DomainError(GovError.STALE_CLAUSE)
    clause.status, clause.progress, clause.updated_on = status, progress, on
    return ClauseUpdate.objects.create(clause=clause, on=on, status=status, progress=progress, note=note,
                                       actor=actor)


@transaction.atomic
def refer(*, actor: Any, resolution: AssemblyResolution, agency: Agency, sent_on: date, letter: str = "") -> Referral:
    """The resolution sent as a policy proposal to a minister or an agency (once to each)."""
    if sent_on < resolution.adopted_on:
        raise DomainError(GovError.SENT_BEFORE_ADOPTION, adopted=format_date(resolution.adopted_on))
    _not_in_future(sent_on)
    try:
        with transaction.atomic():
            return Referral.objects.create(resolution=resolution, agency=agency, sent_on=sent_on,
                                           letter=letter.strip()[:200], sent_by=actor)
    except IntegrityError:
        raise DomainError(GovError.ALREADY_REFERRED, agency=agency.name) from None


@transaction.atomic
def record_reply(*, actor: Any, referral: Referral, reply: str, replied_on: date) -> Referral:
    """The agency's reply, recorded once."""
    reply = text_required(reply, "reply", "คำตอบ")
    if replied_on < referral.sent_on:
        raise DomainError(GovError.REPLY_BEFORE_SENT, sent=format_date(referral.sent_on))
    _not_in_future(replied_on)
    changed = Referral.objects.filter(pk=referral.pk, replied_on__isnull=True).update(
        reply=reply, replied_on=replied_on, reply_recorded_by=actor)
    if changed != 1:
        raise DomainError(GovError.ALREADY_REPLIED, agency=referral.agency.name)
    referral.reply, referral.replied_on = reply, replied_on
    return referral
