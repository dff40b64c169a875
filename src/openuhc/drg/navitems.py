from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.core import nav

nav.register("drg.index", _("Thai DRG"), "drg:index", {"national", "regional", "hospital", "analyst"}, order=32)
