"""Words for the coverage schemes' codes (INSCL in claim files, scheme columns), from the configured list."""

from __future__ import annotations

from django.utils.translation import get_language

from openuhc.core.codes import vocabulary


def _schemes() -> dict[str, str]:
    from openuhc.registry.models import Scheme

    thai = (get_language() or "th").startswith("th")
    return {code: (th if thai else (en or th)) for code, th, en in Scheme.objects.values_list("code", "name_th",
                                                                                              "name_en")}


vocabulary("scheme", _schemes)
