from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FhirConfig(AppConfig):
    name = "openuhc.fhir"
    label = "fhir"
    verbose_name = _("FHIR and national API shapes")
