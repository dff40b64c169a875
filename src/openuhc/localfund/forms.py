from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core.dates import today
from openuhc.core.forms import FlexibleDateField
from openuhc.localfund import services
from openuhc.localfund.models import CommitteeMember, Income, Meeting, PlanTarget, ProgressReport, Project

AMOUNT = {"max_digits": 16, "decimal_places": 2, "min_value": 0}


class IncomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Income.Kind.choices)
    received_on = FlexibleDateField(label=_("Received on"))
    amount = forms.DecimalField(label=_("Amount (baht)"), required=False, **AMOUNT,
                                help_text=_("Leave empty for the national transfer to use population × rate per "
                                            "head, or for the LTC transfer to use person-years × rate."))
    basis_count = forms.IntegerField(label=_("Dependent person-years (LTC transfer)"), required=False, min_value=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    category = forms.ChoiceField(label=pgettext_lazy("project", "Category"))
    proposer_kind = forms.ChoiceField(label=_("Proposer"), choices=Project.ProposerKind.choices)
    proposer_name = forms.CharField(label=_("Proposing organisation"), max_length=300)
    contact_person = forms.CharField(label=_("Contact person (not published)"), max_length=200, required=False)
    objectives = forms.CharField(label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}))
    target_group = forms.CharField(label=_("Target group"), max_length=300)
    target_count = forms.IntegerField(label=_("Number of people targeted"), required=False, min_value=0)
    activities = forms.CharField(label=_("Activities"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    expected_outputs = forms.CharField(label=_("Expected outputs"), widget=forms.Textarea(attrs={"rows": 2}),
                                       required=False)
    plan_target = forms.ModelChoiceField(label=_("Health-plan target"), queryset=PlanTarget.objects.none(),
                                         required=False)
    submitted_on = FlexibleDateField(label=_("Submitted on"), required=False)

    def __init__(self, *args: Any, fund: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.code, c.label) for c in services.categories(year).values()]
        self.fields["plan_target"].queryset = PlanTarget.objects.filter(plan__fund=fund, plan__year=year)

    def clean_submitted_on(self):  # noqa: ANN201
        return self.cleaned_data.get("submitted_on") or today()


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Item"), max_length=300, required=False)
    amount = forms.DecimalField(label=_("Amount (baht)"), required=False, **AMOUNT)


BudgetLineFormSet = formset_factory(BudgetLineForm, extra=4)


class DecisionForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("approve", _("Approve")), ("return", _("Return with conditions")), ("reject", _("Reject"))])
    amount = forms.DecimalField(label=_("Approved amount (baht)"), required=False, **AMOUNT,
                                help_text=_("Leave empty to approve the amount requested."))
    conditions = forms.CharField(label=_("Conditions or reasons"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, fund: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(fund=fund).order_by("-held_on", "-number")


class ResubmitForm(forms.Form):
    submitted_on = FlexibleDateField(label=_("Submitted again on"), required=False)

    def clean_submitted_on(self):  # noqa: ANN201
        return self.cleaned_data.get("submitted_on") or today()


class AgreementForm(forms.Form):
    agreement_no = forms.CharField(label=_("Agreement number"), max_length=50)
    agreement_date = FlexibleDateField(label=_("Agreement date"))


class DisbursementForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (baht)"), **AMOUNT)
    paid_on = FlexibleDateField(label=_("Paid on"))


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgressReport.Kind.choices)
    reported_on = FlexibleDateField(label=_("Reported on"))
    text = forms.CharField(label=_("Progress and results"), widget=forms.Textarea(attrs={"rows": 3}))
    spent_to_date = forms.DecimalField(label=_("Spent to date (baht)"), **AMOUNT)
    people_reached = forms.IntegerField(label=_("People reached"), required=False, min_value=0)


class CloseForm(forms.Form):
    closed_on = FlexibleDateField(label=_("Closed on"))


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=pgettext_lazy("committee", "Role"), choices=CommitteeMember.Role.choices)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    term_start = FlexibleDateField(label=_("Term starts"))
    term_end = FlexibleDateField(label=_("Term ends"))


class MeetingForm(forms.Form):
    held_on = FlexibleDateField(label=_("Date"))
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("Present"), queryset=CommitteeMember.objects.none(),
                                               widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, fund: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = CommitteeMember.objects.filter(fund=fund).order_by("role", "name")


class PlanTargetForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"), choices=PlanTarget.Group.choices)
    problem = forms.CharField(label=pgettext_lazy("health", "Problem"), widget=forms.Textarea(attrs={"rows": 2}))
    target = forms.CharField(label=_("Target"), widget=forms.Textarea(attrs={"rows": 2}))
    indicator = forms.CharField(label=_("Indicator"), max_length=300, required=False)

