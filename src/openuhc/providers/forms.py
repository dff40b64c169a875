from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from openuhc.core.forms import FlexibleDateField
from openuhc.providers.models import Owner


class TransferForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("New owner"), queryset=Owner.objects.all())
    on = FlexibleDateField(label=_("Transferred on"))
    note = forms.CharField(label=_("Note (e.g. the decision or announcement)"), required=False, max_length=300)
