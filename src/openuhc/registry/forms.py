from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openuhc.core.dates import today
from openuhc.core.forms import FlexibleDateField
from openuhc.providers.models import HealthUnit


class EligibilityForm(forms.Form):
    citizen_id = forms.CharField(label=_("Citizen ID"), max_length=30)
    on = FlexibleDateField(label=_("Date of service"), required=False,
                           help_text=_("Leave empty for today. Buddhist Era or Common Era year."))

    def clean_on(self):  # noqa: ANN201
        return self.cleaned_data.get("on") or today()


class AccessLogForm(forms.Form):
    start = FlexibleDateField(label=_("From (date)"))
    end = FlexibleDateField(label=_("To (date, inclusive)"))
    citizen_id = forms.CharField(label=_("Citizen ID of the person (optional)"), required=False, max_length=30)
    username = forms.CharField(label=_("Username of the viewer (optional)"), required=False, max_length=150)

    def clean(self):  # noqa: ANN201
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        return data


class UnitCodeField(forms.CharField):
    def __init__(self, **kwargs):  # noqa: ANN003
        super().__init__(max_length=5, min_length=5, **kwargs)

    def clean(self, value):  # noqa: ANN001, ANN201
        code = super().clean(value)
        try:
            return HealthUnit.objects.get(code=code, is_active=True)
        except HealthUnit.DoesNotExist:
            raise forms.ValidationError(_("There is no open health unit with code %(code)s."),
                                        params={"code": code}) from None


class RegistrationChangeForm(forms.Form):
    main_unit = UnitCodeField(label=_("Main unit (5-digit code)"))
    primary_unit = UnitCodeField(label=_("Primary care unit (5-digit code)"))
    referral_unit = UnitCodeField(label=_("Referral hospital (5-digit code)"))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)


class DeathForm(forms.Form):
    death_date = FlexibleDateField(label=_("Date of death"))
    source = forms.CharField(label=_("Source (e.g. death certificate number)"), required=False, max_length=100)
