"""Forms of the governance pages. They check the shape of what was typed; the rules are in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core import public
from openuhc.core.forms import FlexibleDateField
from openuhc.geo.models import LocalGovernment, Province, Region
from openuhc.governance.models import (
    Agency,
    AgendaItem,
    AssemblyCycle,
    Body,
    BodyType,
    ClauseComment,
    ClauseStatus,
    Constituency,
    DraftClause,
    Goal,
    Indicator,
    Meeting,
    Member,
    Phase,
    PlanProject,
    Proposal,
    Resolution,
    StrategicPlan,
    Strategy,
)
from openuhc.providers.models import HealthUnit

TEXT = {"rows": 3}


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def paragraphs(text: str) -> list[str]:
    """Clauses typed as paragraphs separated by an empty line."""
    chunks, current = [], []
    for line in (text or "").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            chunks.append(" ".join(current))
            current = []
    if current:
        chunks.append(" ".join(current))
    return chunks


# --- bodies ----------------------------------------------------------------------------------------------------
class BodyForm(forms.Form):
    body_type = forms.ModelChoiceField(label=_("Type"), queryset=BodyType.objects.filter(is_active=True))
    code = forms.CharField(label=_("Code"), max_length=40)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none(), required=False)
    region = forms.ModelChoiceField(label=_("Health region"), queryset=Region.objects.none(), required=False)
    local_government = forms.ModelChoiceField(label=_("Provincial Administrative Organisation (if it chairs)"),
                                              queryset=LocalGovernment.objects.none(), required=False)
    appointing_order = forms.CharField(label=_("Appointing order"), max_length=300, required=False)
    appointed_on = FlexibleDateField(label=_("Appointed on"), required=False)
    legal_basis = forms.CharField(label=_("Legal basis (empty: the type's)"), widget=forms.Textarea(attrs=TEXT),
                                  required=False)
    quorum = forms.CharField(label=_("Quorum, if the order sets one (e.g. 2/3)"), max_length=10, required=False)
    publish_names = forms.BooleanField(label=_("Show members' names on the public page"), required=False)

    def __init__(self, *args: Any, secretariat: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Province.objects.all()
        regions = Region.objects.all()
        if secretariat.province_id:
            provinces, regions = provinces.filter(pk=secretariat.province_id), regions.none()
        elif secretariat.region_id:
            provinces = provinces.filter(region=secretariat.region_id)
            regions = regions.filter(pk=secretariat.region_id)
        self.fields["province"].queryset = provinces
        self.fields["region"].queryset = regions
        self.fields["local_government"].queryset = LocalGovernment.objects.filter(
            kind=LocalGovernment.Kind.PAO, province__in=provinces)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=pgettext_lazy("committee", "Role"), choices=Member.Role.choices,
                             initial=Member.Role.MEMBER)
    sector = forms.ChoiceField(label=_("Sector"), choices=Member.Sector.choices)
    seat = forms.CharField(label=_("Seat or constituency"), max_length=300, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    term_start = FlexibleDateField(label=_("Term starts"))
    term_end = FlexibleDateField(label=_("Term ends"))
    is_voting = forms.BooleanField(label=_("Has a vote"), required=False, initial=True)


class LeaveForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    left_on = FlexibleDateField(label=_("Left on"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = body.members.filter(left_on__isnull=True).order_by("name")


class MeetingForm(forms.Form):
    held_on = FlexibleDateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    agenda = forms.CharField(label=_("Agenda (one item per line)"), widget=forms.Textarea(attrs={"rows": 5}))
    attendees = forms.ModelMultipleChoiceField(label=_("Present"), queryset=Member.objects.none(), required=False,
                                               widget=forms.CheckboxSelectMultiple)
    reconvenes = forms.ModelChoiceField(label=_("Takes up a matter adjourned for want of a quorum at"),
                                        queryset=Meeting.objects.none(), required=False)
    notice_reduced_quorum = forms.BooleanField(
        label=_("The notice said the matter may be decided with a third of the members"), required=False)

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = body.members.order_by("role", "name")
        self.fields["reconvenes"].queryset = body.meetings.filter(quorum_met=False).order_by("-held_on")


class MinutesForm(forms.Form):
    file = forms.FileField(label=_("Minutes (PDF or document)"))
    public = forms.BooleanField(label=_("Publish the minutes on the public page"), required=False)


class ResolutionForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Agenda item"), queryset=AgendaItem.objects.none(), required=False)
    text = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = meeting.items.all()


# --- plans -----------------------------------------------------------------------------------------------------
class PlanForm(forms.Form):
    title_th = forms.CharField(label=_("Title (Thai)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    first_year = forms.IntegerField(label=_("First fiscal year (BE)"), min_value=2400, max_value=2800)
    last_year = forms.IntegerField(label=_("Last fiscal year (BE)"), min_value=2400, max_value=2800)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs=TEXT), required=False)


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Strategy"), max_length=500)


class GoalForm(forms.Form):
    strategy = forms.ModelChoiceField(label=_("Strategy"), queryset=Strategy.objects.none())
    title = forms.CharField(label=_("Goal"), max_length=500)

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = plan.strategies.all()


def kpi_choices() -> list[tuple[str, str]]:
    from openuhc.monitoring.kpis import KPIS

    return [("", _("— none: actuals are typed in rounds —"))] + [(k.code, str(k.name)) for k in KPIS.values()]


class IndicatorForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none())
    name = forms.CharField(label=_("Indicator"), max_length=500)
    unit = forms.CharField(label=_("Unit of measure"), max_length=100, required=False)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    kpi_code = forms.ChoiceField(label=_("Reads the monitoring KPI"), choices=(), required=False)
    baseline = forms.CharField(label=_("Baseline"), max_length=30, required=False)
    baseline_year = forms.IntegerField(label=_("Baseline year (BE)"), min_value=2400, max_value=2800, required=False)

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(strategy__plan=plan)
        self.fields["kpi_code"].choices = kpi_choices()


class TargetForm(forms.Form):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())
    value = forms.CharField(label=_("Target (empty: remove)"), max_length=30, required=False)

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(goal__strategy__plan=plan)
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Project"), max_length=500)
    owner = forms.CharField(label=_("Responsible organisation"), max_length=300)
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(), required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs=TEXT), required=False)
    units = forms.ModelMultipleChoiceField(label=_("Units concerned"), queryset=HealthUnit.objects.none(),
                                           required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, plan: StrategicPlan, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(strategy__plan=plan)
        self.fields["units"].queryset = units


class BudgetForm(forms.Form):
    project = forms.ModelChoiceField(label=_("Project"), queryset=PlanProject.objects.none())
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())
    source = forms.CharField(label=_("Budget source"), max_length=200)
    amount = forms.CharField(label=_("Amount (baht)"), max_length=30)

    def __init__(self, *args: Any, plan: StrategicPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = plan.projects.all()
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]


class AdoptPlanForm(forms.Form):
    resolution = forms.ModelChoiceField(label=_("Resolution"), queryset=Resolution.objects.none())

    def __init__(self, *args: Any, resolutions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resolution"].queryset = resolutions


class RoundForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, choices=())
    as_of = FlexibleDateField(label=_("As of"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs=TEXT), required=False)

    def __init__(self, *args: Any, plan: StrategicPlan, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in plan.years]
        self.indicators = indicators
        for indicator in indicators:
            help_text = _("read from the KPI when the store has it") if indicator.kpi_code else ""
            self.fields[f"value_{indicator.pk}"] = forms.CharField(label=str(indicator), max_length=30, required=False,
                                                                   help_text=help_text)
            self.fields[f"note_{indicator.pk}"] = forms.CharField(label=_("Note"), max_length=500, required=False)

    def rows(self) -> list[tuple[Indicator, Any, Any]]:
        return [(i, self[f"value_{i.pk}"], self[f"note_{i.pk}"]) for i in self.indicators]


# --- assembly --------------------------------------------------------------------------------------------------
class CycleForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Organising body"), queryset=Body.objects.none())
    code = forms.CharField(label=_("Code"), max_length=40)
    title_th = forms.CharField(label=_("Title (Thai)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2400, max_value=2800)

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Phase"), choices=Phase.Kind.choices)
    starts_on = FlexibleDateField(label=_("Starts on"))
    ends_on = FlexibleDateField(label=_("Ends on"))


class ConstituencyForm(forms.Form):
    name = forms.CharField(label=_("Constituency"), max_length=300)
    sector = forms.ChoiceField(label=_("Sector"), choices=Member.Sector.choices)


class ProposalFields(forms.Form):
    title = forms.CharField(label=_("Issue"), max_length=300)
    problem = forms.CharField(label=_("The problem"), widget=forms.Textarea(attrs=TEXT))
    evidence = forms.CharField(label=_("Evidence (data, studies, experience)"), widget=forms.Textarea(attrs=TEXT))
    proposer_name = forms.CharField(label=_("Proposed by (network, organisation or name)"), max_length=300)
    proposer_kind = forms.ChoiceField(label=_("Who proposes"), choices=Proposal.ProposerKind.choices)
    contact = forms.CharField(label=_("Contact (telephone or e-mail)"), max_length=300, required=False)


class StaffProposalForm(ProposalFields):
    received_on = FlexibleDateField(label=_("Received on"))


class PublicProposalForm(ProposalFields):
    cycle = forms.ModelChoiceField(label=_("Assembly"), queryset=AssemblyCycle.objects.none(), empty_label=None)
    consent = forms.BooleanField(label=_("The secretariat may keep my contact to ask about this proposal."),
                                 required=False)
    website = public.honeypot_field()

    field_order = ["cycle", "title", "problem", "evidence", "proposer_name", "proposer_kind", "contact", "consent"]

    def __init__(self, *args: Any, cycles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = cycles

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("contact") and not data.get("consent"):
            raise forms.ValidationError(_("To leave a contact, tick the consent box — or leave it empty."))
        return data


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(label=pgettext_lazy("screening", "Decision"),
                                 choices=[("accept", _("Take it up for the agenda")),
                                          ("decline", _("Do not take it up"))])
    answer = forms.CharField(label=_("Answer to the proposer (public)"), widget=forms.Textarea(attrs=TEXT))
    answered_on = FlexibleDateField(label=_("Date"))

    def __init__(self, *args: Any, criteria: list[Any], most: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.code}"] = forms.TypedChoiceField(
                label=criterion.label, coerce=int, choices=[(n, str(n)) for n in range(1, most + 1)])

    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[f"score_{c.code}"] for c in self.criteria}


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title of the draft resolution"), max_length=300)
    preamble = forms.CharField(label=_("Preamble"), widget=forms.Textarea(attrs=TEXT), required=False)
    clauses = forms.CharField(label=_("Clauses (separate them with an empty line)"),
                              widget=forms.Textarea(attrs={"rows": 8}))


class ClauseForm(forms.Form):
    text = forms.CharField(label=_("New clause"), widget=forms.Textarea(attrs=TEXT))


class CommentForm(forms.Form):
    clause = forms.ModelChoiceField(label=_("Clause"), queryset=DraftClause.objects.none())
    constituency = forms.ModelChoiceField(label=_("Constituency"), queryset=Constituency.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=ClauseComment.Kind.choices)
    text = forms.CharField(label=_("Comment or reason"), widget=forms.Textarea(attrs=TEXT))
    proposed_text = forms.CharField(label=_("Proposed text (amendments)"), widget=forms.Textarea(attrs=TEXT),
                                    required=False)

    def __init__(self, *args: Any, draft: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = draft.clauses.all()
        self.fields["constituency"].queryset = draft.cycle.constituencies.all()


class AmendmentForm(forms.Form):
    amendment = forms.ModelChoiceField(label=_("Amendment"), queryset=ClauseComment.objects.none())
    accepted = forms.TypedChoiceField(label=pgettext_lazy("screening", "Decision"), coerce=lambda v: v == "yes",
                                      choices=[("yes", _("Take it into the text")), ("no", _("Keep the text"))])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, draft: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["amendment"].queryset = ClauseComment.objects.filter(
            clause__draft=draft, kind=ClauseComment.Kind.AMENDMENT, decision__isnull=True)


class AdoptForm(forms.Form):
    adopted_on = FlexibleDateField(label=_("Adopted on"))
    answer = forms.CharField(label=_("Answer to the proposer (empty: a standard one)"),
                             widget=forms.Textarea(attrs=TEXT), required=False)


class NotAdoptedForm(forms.Form):
    on = FlexibleDateField(label=_("Date"))
    reason = forms.CharField(label=_("Why it was not adopted (public)"), widget=forms.Textarea(attrs=TEXT))


class AssignForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(label=_("Owner agencies"), queryset=Agency.objects.filter(
        is_active=True), required=False, widget=forms.CheckboxSelectMultiple)
    plan = forms.ModelChoiceField(label=_("Strategic plan"), queryset=StrategicPlan.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("Plan project"), queryset=PlanProject.objects.none(), required=False)
    budget = forms.CharField(label=_("Budget committed (baht)"), max_length=30, required=False)
    budget_source = forms.CharField(label=_("Budget source"), max_length=200, required=False)

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["project"].queryset = PlanProject.objects.filter(plan__in=plans).select_related("plan")


class UpdateForm(forms.Form):
    on = FlexibleDateField(label=_("Date"))
    status = forms.ChoiceField(label=_("Status"), choices=ClauseStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs=TEXT))


class ReferForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("To"), queryset=Agency.objects.filter(is_active=True))
    sent_on = FlexibleDateField(label=_("Sent on"))
    letter = forms.CharField(label=_("Letter reference"), max_length=200, required=False)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs=TEXT))
    replied_on = FlexibleDateField(label=_("Replied on"))


class SecretariatForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all(), required=False)
    region = forms.ModelChoiceField(label=_("Health region"), queryset=Region.objects.all(), required=False)


class BodyTypeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=BodyType.Level.choices)
    legal_basis = forms.CharField(label=_("Legal basis"), widget=forms.Textarea(attrs=TEXT), required=False)
    publish_names = forms.BooleanField(label=_("Members' names shown publicly by default"), required=False)


class AgencyForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Agency.Kind.choices)
