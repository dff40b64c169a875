from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openuhc.core import public
from openuhc.core.forms import FlexibleDateField
from openuhc.geo.models import Province, Region
from openuhc.providers.models import HealthUnit
from openuhc.rights.models import (
    Activity,
    AssistanceRequest,
    Case,
    CaseCategory,
    CaseEvent,
    DamageCategory,
    Network,
)


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CaseCategory) -> str:
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else str(obj.name)


def _categories() -> Any:
    return CaseCategory.objects.filter(is_active=True).select_related("parent").order_by(
        "parent__order", "parent__code", "order", "code")


class UnitField(forms.Field):
    """A unit by its 5-digit code (a list of thousands of units is no use on a phone)."""

    def __init__(self, *, max_length: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"maxlength": max_length, "inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> HealthUnit | None:
        code = (value or "").strip()
        if not code:
            return None
        unit = HealthUnit.objects.filter(code=code[:5]).first()
        if unit is None:
            raise forms.ValidationError(_("There is no unit with code %(code)s."), params={"code": code})
        return unit


class PublicCaseForm(forms.Form):
    """The public web form: as little as needed, identity optional and only with consent."""

    kind = forms.ChoiceField(label=_("What do you need?"), choices=Case.Kind.choices)
    province = forms.ModelChoiceField(label=_("Province where it happened"), queryset=Province.objects.order_by("code"))
    category = CategoryChoiceField(label=_("About"), queryset=CaseCategory.objects.none())
    unit = UnitField(label=_("Code of the unit concerned (if you know it)"), required=False, max_length=5,
                     help_text=_("The 5-digit code printed on your card or receipt."))
    unit_name = forms.CharField(label=_("Name of the hospital or health unit concerned (if any)"), required=False,
                                max_length=200)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What happened, or your question"), widget=forms.Textarea(attrs={"rows": 6}),
                                  max_length=5000)
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=200)
    contact = forms.CharField(label=_("Phone or e-mail (optional)"), required=False, max_length=200)
    consent_to_record = forms.BooleanField(
        label=_("I agree that the centre records my name and contact to handle this case."), required=False)
    share_identity_with_unit = forms.BooleanField(
        label=_("The unit concerned may learn who I am (otherwise it never will)."), required=False)
    # a field people do not see: bots fill it in
    website = public.honeypot_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("name") or data.get("contact")) and not data.get("consent_to_record"):
            raise forms.ValidationError(_("To leave your name or contact, tick the consent box — or leave them empty "
                                          "to stay anonymous."))
        return data


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    secret = forms.CharField(label=_("Secret code"), max_length=40, widget=forms.PasswordInput(render_value=False))


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Add information or ask a question"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=4000)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(label=_("How satisfied are you with the outcome?"), coerce=int,
                                   choices=[(i, str(i)) for i in range(5, 0, -1)], widget=forms.RadioSelect)


class StaffCaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Case.Channel.choices)
    category = CategoryChoiceField(label=_("Category"), queryset=CaseCategory.objects.none())
    unit = UnitField(label=_("Unit concerned (code)"), required=False, max_length=5)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("Complainant's name"), required=False, max_length=200)
    contact = forms.CharField(label=_("Phone or e-mail"), required=False, max_length=200)
    consent_to_record = forms.BooleanField(label=_("The person consents to the recording of their personal data"),
                                           required=False)
    share_identity_with_unit = forms.BooleanField(label=_("The person consents to the unit learning who complained"),
                                                  required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()


def to_complainant_readers(case: Case | None) -> Any:
    """Says, on the form, who reads words written to the complainant of this case."""
    if case is not None and case.share_identity_with_unit:
        return _("Read by the complainant, the staff handling the case and the unit concerned (the complainant "
                 "consented to the unit learning who they are).")
    return _("Read by the complainant and the staff handling the case. The unit concerned does not read it: the "
             "complainant did not consent to the unit learning who they are.")


class CaseTextForm(forms.Form):
    """A form on the case page whose words someone reads: its help text names them."""

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.describe_readers()

    def describe_readers(self) -> None:  # noqa: B027 - optional hook
        pass


class AcknowledgeForm(CaseTextForm):
    text = forms.CharField(label=_("Message to the complainant (optional)"), required=False, max_length=2000)

    def describe_readers(self) -> None:
        self.fields["text"].help_text = to_complainant_readers(self.case)


class NoteForm(CaseTextForm):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label=_("Who may read it"), choices=CaseEvent.Audience.choices)

    def describe_readers(self) -> None:
        consented = self.case is not None and self.case.share_identity_with_unit
        self.fields["audience"].help_text = (
            _("This complainant consented to the unit learning who they are.") if consented
            else _("This complainant did not consent to the unit learning who they are: words for the complainant "
                   "stay hidden from the unit. Choose 'Staff, the unit concerned and the complainant' only for words "
                   "that do not name or describe the complainant."))


class ReplyForm(CaseTextForm):
    text = forms.CharField(label=_("The unit's reply"), widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Read by the staff handling the case; they decide what to pass on to the "
                                       "complainant."))


class StaffChoiceField(forms.ModelChoiceField):
    """A colleague by name and role ("Orathai Srisuk · coordination-centre staff"), not by login name."""

    def label_from_instance(self, obj: Any) -> str:
        from openuhc.accounts.roles import Role

        profile = getattr(obj, "profile", None)
        role = str(Role(profile.role).label) if profile is not None and profile.role else ""
        name = obj.get_full_name() or obj.username
        return f"{name} · {role}" if role else name


class AssignForm(forms.Form):
    to = StaffChoiceField(label=_("Assign to"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = staff


class CloseForm(CaseTextForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Case.Outcome.choices,
                                help_text=_("Everyone who reads the case sees the outcome."))
    outcome_text = forms.CharField(label=_("Outcome in words, to the complainant"),
                                   widget=forms.Textarea(attrs={"rows": 3}))

    def describe_readers(self) -> None:
        self.fields["outcome_text"].help_text = to_complainant_readers(self.case)


class ReopenForm(CaseTextForm):
    reason = forms.CharField(label=_("Why reopen"), max_length=500)

    def describe_readers(self) -> None:
        self.fields["reason"].help_text = to_complainant_readers(self.case)


# --- Section 41 -------------------------------------------------------------------------------------------------

class AssistanceForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    requester_kind = forms.ChoiceField(label=_("Requested by"), choices=AssistanceRequest.Requester.choices)
    requester_name = forms.CharField(label=_("Requester's name"), max_length=200)
    injured_name = forms.CharField(label=_("Injured person's name"), max_length=200)
    unit = UnitField(label=_("Unit where the harm happened (code)"), max_length=5)
    incident_on = FlexibleDateField(label=_("Date of the service"))
    known_on = FlexibleDateField(label=_("Date the damage became known"))
    received_on = FlexibleDateField(label=_("Request received on"))
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))


class EvidenceForm(forms.Form):
    kind = forms.CharField(label=_("Evidence"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, max_length=500)
    received_on = FlexibleDateField(label=_("Received on"))
    file = forms.FileField(label=_("File (optional)"), required=False)


class CompleteForm(forms.Form):
    on = FlexibleDateField(label=_("File complete on"))


class DecisionForm(forms.Form):
    approved = forms.TypedChoiceField(label=pgettext_lazy("section 41", "Decision"), coerce=lambda v: v == "yes",
                                      choices=[("yes", _("Approve assistance")), ("no", _("Reject"))])
    category = forms.ChoiceField(label=_("Damage category"), choices=[("", "—"), *DamageCategory.choices],
                                 required=False)
    amount = forms.DecimalField(label=_("Amount (baht)"), required=False, max_digits=12, decimal_places=2,
                                min_value=0)
    decided_on = FlexibleDateField(label=_("Decided on"))
    committee = forms.CharField(label=_("Committee"), max_length=200)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AppealForm(forms.Form):
    filed_on = FlexibleDateField(label=_("Appeal filed on"))
    reason = forms.CharField(label=_("Grounds of the appeal"), widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    paid_on = FlexibleDateField(label=_("Paid on"))
    reference = forms.CharField(label=_("Payment reference"), max_length=100)
    amount = forms.DecimalField(label=_("Amount (baht; empty = all that is due)"), required=False, max_digits=12,
                                decimal_places=2, min_value=0)


class ReserveForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    amount = forms.DecimalField(label=_("Amount (baht; negative reduces the reserve)"), max_digits=14,
                                decimal_places=2)
    allocated_on = FlexibleDateField(label=_("Allocated on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


# --- participation ----------------------------------------------------------------------------------------------

class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_on = FlexibleDateField(label=_("First day"))
    ends_on = FlexibleDateField(label=_("Last day"))
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    is_international = forms.BooleanField(label=_("International"), required=False)


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.all(), required=False)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    country = forms.CharField(label=_("Country (ISO code)"), initial="TH", max_length=2)
    is_new_leader = forms.BooleanField(label=_("New network leader"), required=False)


class HearingForm(forms.Form):
    fiscal_year = forms.IntegerField(label=_("Fiscal year (BE)"), min_value=2500, max_value=2700)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    held_on = FlexibleDateField(label=_("Held on"))
    place = forms.CharField(label=_("Place"), max_length=200)
    beneficiaries = forms.IntegerField(label=_("Beneficiaries taking part"), min_value=0, initial=0)
    providers = forms.IntegerField(label=_("Providers taking part"), min_value=0, initial=0)


class IssueForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    raised_by = forms.CharField(label=_("Raised by"), required=False, max_length=200)
    text = forms.CharField(label=_("Issue raised"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))
    answered_on = FlexibleDateField(label=_("Answered on"))
    answered_by = forms.CharField(label=_("Answered by"), max_length=200)

