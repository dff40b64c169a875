from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.core import nav

nav.register("engine.runs", _("Batch runs"), "engine:runs", {"national"}, order=86)
