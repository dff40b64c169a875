"""Person numbers besides the registry's own (e.g. a PhilHealth number next to the PhilSys number)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from openuhc.core.models_base import AppendOnly


class PersonIdentifier(AppendOnly):
    """One number of one kind (a pack's `person_ids` code) held by a person, from a date. Not unique: a pack may say
    that numbers of a kind can repeat, and then a person is never found by the number alone (services.find_person)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(_("kind of number"), max_length=30)
    value = models.CharField(_("number"), max_length=30)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    source = models.CharField(_("source"), max_length=100, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]
        constraints = [models.UniqueConstraint(fields=["person", "kind", "value"], name="country_identifier_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.value}"
