from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.core import nav

nav.register("core.import", _("Import"), "core:import", {"national"}, order=80)
