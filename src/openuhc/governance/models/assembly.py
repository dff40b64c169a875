"""The health assembly cycle (สมัชชาสุขภาพ): phases, the open call for issues, screening, draft resolutions with
clause-level comments and amendments per constituency, adopted resolutions followed clause by clause, and the
policy proposals sent to ministers and agencies with their replies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openuhc.core.models_base import AppendOnly
from openuhc.geo.models import Named
from openuhc.governance.models.bodies import Body, Member, Titled
from openuhc.governance.models.plans import PlanProject, StrategicPlan

MONEY = {"max_digits": 16, "decimal_places": 2}


class Agency(Named):
    """A ministry, department, local government or other organisation that owns clauses or receives proposals."""

    class Kind(models.TextChoices):
        MINISTER = "minister", _("Minister")
        MINISTRY = "ministry", _("Ministry or department")
        AGENCY = "agency", _("Public agency")
        LOCAL = "local", _("Local government")
        OTHER = "other", _("Other organisation")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AGENCY)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "code"]


class AssemblyCycle(Titled):
    """One round of a health assembly (e.g. the provincial assembly of FY2569), run by its organising body."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="cycles",
                             verbose_name=_("organising body"))
    year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    class Kind(models.TextChoices):
        # In this order; each phase starts no earlier than the one before it.
        CALL = "call", _("Open call for issues")
        SCREENING = "screening", _("Screening")
        DRAFTING = "drafting", _("Drafting")
        CONSULTATION = "consultation", _("Consultation of constituencies")
        ASSEMBLY = "assembly", _("Assembly")
        FOLLOW_UP = "follow_up", _("Follow-up")

    cycle = models.ForeignKey(AssemblyCycle, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("phase"), max_length=20, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["cycle", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="governance_one_phase_of_a_kind"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="governance_phase_ordered"),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Constituency(models.Model):
    """A group of networks that takes part in an assembly (กลุ่มเครือข่าย) and speaks on drafts as one."""

    cycle = models.ForeignKey(AssemblyCycle, on_delete=models.CASCADE, related_name="constituencies")
    name = models.CharField(_("name"), max_length=300)
    sector = models.CharField(_("sector"), max_length=20, choices=Member.Sector.choices)

    class Meta:
        ordering = ["cycle", "name"]
        constraints = [models.UniqueConstraint(fields=["cycle", "name"], name="governance_one_constituency_name")]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """An issue proposed in the open call: the problem, the evidence, who proposes it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("accepted for the agenda")
        DECLINED = "declined", _("not taken up")
        DRAFTED = "drafted", _("draft resolution prepared")
        ADOPTED = "adopted", _("resolution adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    class ProposerKind(models.TextChoices):
        NETWORK = "network", _("People's network or civil society organisation")
        AGENCY = "agency", _("Public agency")
        LOCAL = "local", _("Local government")
        ACADEMIC = "academic", _("Academic institution")
        CITIZEN = "citizen", _("Citizen")

    class Channel(models.TextChoices):
        PUBLIC = "public", _("public form")
        STAFF = "staff", _("recorded by the secretariat")

    cycle = models.ForeignKey(AssemblyCycle, on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("issue"), max_length=300)
    problem = models.TextField(_("problem"))
    evidence = models.TextField(_("evidence"))
    proposer_name = models.CharField(_("proposed by"), max_length=300)
    proposer_kind = models.CharField(_("proposer"), max_length=20, choices=ProposerKind.choices)
    # Personal data: the secretariat's only, never on a public page.
    contact = models.CharField(_("contact"), max_length=300, blank=True, default="")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    received_on = models.DateField(_("received on"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"], name="governance_one_proposal_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.cycle.code}-{self.number:03d}"


class ProposalAnswer(AppendOnly):
    """The answer to a proposal at one stage: screening (scores on the criteria, taken up or not) or the assembly
    (adopted or not). Each stage answers a proposal once (a unique constraint)."""

    class Stage(models.TextChoices):
        SCREENING = "screening", _("Screening")
        ASSEMBLY = "assembly", _("Assembly")

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="answers")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    decision = models.CharField(max_length=20, choices=Proposal.Status.choices)
    scores = models.JSONField(default=dict, blank=True)
    total = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(_("answer"))
    answered_on = models.DateField(_("answered on"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "stage"], name="governance_one_answer_per_stage")]


class Draft(models.Model):
    """A draft resolution (ร่างมติ) prepared from an accepted proposal, open to the constituencies' comments."""

    class Status(models.TextChoices):
        OPEN = "open", _("open for comments")
        ADOPTED = "adopted", _("adopted")
        NOT_ADOPTED = "not_adopted", _("not adopted")

    cycle = models.ForeignKey(AssemblyCycle, on_delete=models.PROTECT, related_name="drafts")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="draft")
    title = models.CharField(_("title"), max_length=300)
    preamble = models.TextField(_("preamble"), blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["cycle", "id"]

    def __str__(self) -> str:
        return self.title


class DraftClause(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="clauses")
    number = models.PositiveSmallIntegerField(_("clause"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="governance_one_draft_clause_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class ClauseComment(AppendOnly):
    """A constituency's comment on a clause, or an amendment: a new text proposed for it."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        AMENDMENT = "amendment", _("amendment")

    clause = models.ForeignKey(DraftClause, on_delete=models.PROTECT, related_name="comments")
    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT, related_name="comments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("comment or reason"))
    proposed_text = models.TextField(_("proposed text"), blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["clause", "at", "id"]


class AmendmentDecision(AppendOnly):
    """The assembly's decision on an amendment: taken into the text or not (once per amendment)."""

    amendment = models.OneToOneField(ClauseComment, on_delete=models.PROTECT, related_name="decision")
    accepted = models.BooleanField()
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)


class AssemblyResolution(models.Model):
    """An adopted resolution (มติสมัชชาสุขภาพ), numbered per cycle and split into clauses."""

    cycle = models.ForeignKey(AssemblyCycle, on_delete=models.PROTECT, related_name="resolutions")
    draft = models.OneToOneField(Draft, on_delete=models.PROTECT, related_name="resolution")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    preamble = models.TextField(_("preamble"), blank=True, default="")
    adopted_on = models.DateField(_("adopted on"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "number"],
                                               name="governance_one_assembly_resolution_number")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.cycle.code}/{self.number}"


class ClauseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started")
    IN_PROGRESS = "in_progress", _("in progress")
    DELAYED = "delayed", _("delayed")
    DONE = "done", _("completed")
    DROPPED = "dropped", _("cannot go ahead")


class ResolutionClause(models.Model):
    """One clause of an adopted resolution, followed in the accountability register: owner agencies, links to
    plans, projects and budgets, and its status and progress (kept in step with its append-only updates)."""

    resolution = models.ForeignKey(AssemblyResolution, on_delete=models.PROTECT, related_name="clauses")
    number = models.PositiveSmallIntegerField(_("clause"))
    text = models.TextField(_("text"))
    agencies = models.ManyToManyField(Agency, blank=True, related_name="clauses", verbose_name=_("owner agencies"))
    plan = models.ForeignKey(StrategicPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="clauses",
                             verbose_name=_("strategic plan"))
    project = models.ForeignKey(PlanProject, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="clauses", verbose_name=_("plan project"))
    budget = models.DecimalField(_("budget committed (baht)"), null=True, blank=True, **MONEY)
    budget_source = models.CharField(_("budget source"), max_length=200, blank=True, default="")
    status = models.CharField(_("status"), max_length=20, choices=ClauseStatus.choices,
                              default=ClauseStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    updated_on = models.DateField(_("last update"), null=True, blank=True)

    class Meta:
        ordering = ["resolution", "number"]
        constraints = [
            models.UniqueConstraint(fields=["resolution", "number"], name="governance_one_resolution_clause_number"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="governance_clause_progress_max"),
            models.CheckConstraint(condition=models.Q(budget__isnull=True) | models.Q(budget__gte=0),
                                   name="governance_clause_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.text[:60]}"

    @property
    def reference(self) -> str:
        return f"{self.resolution.reference}.{self.number}"


class ClauseUpdate(AppendOnly):
    """A dated progress update of a clause: its status history is these rows, never changed."""

    clause = models.ForeignKey(ResolutionClause, on_delete=models.PROTECT, related_name="updates")
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=20, choices=ClauseStatus.choices)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("what was done"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["clause", "on", "id"]
        indexes = [models.Index(fields=["clause", "on"])]


class Referral(models.Model):
    """A resolution sent as a policy proposal to a minister or agency, and the reply (recorded once)."""

    resolution = models.ForeignKey(AssemblyResolution, on_delete=models.PROTECT, related_name="referrals")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    sent_on = models.DateField(_("sent on"))
    letter = models.CharField(_("letter reference"), max_length=200, blank=True, default="")
    reply = models.TextField(_("reply"), blank=True, default="")
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    reply_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["resolution", "sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["resolution", "agency"], name="governance_one_referral")]

    def __str__(self) -> str:
        return f"{self.resolution_id} → {self.agency_id}"
