"""Languages a pack may name, and the ones Django does not know.

Django ships no `fil` (Filipino) locale: its LANG_INFO entry is added here, and the catalogue comes from the pack
(openuhc_packs/ph/locale/fil). Formats (dates, numbers) in such a language are OpenUHC's own (core/dates.py).
"""

from __future__ import annotations

from django.conf import locale
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

NAMES = {"th": _("Thai"), "en": _("English"), "fil": _("Filipino")}

EXTRA_LANG_INFO = {
    "fil": {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"},
}


def register_extra_languages() -> None:
    for code, info in EXTRA_LANG_INFO.items():
        locale.LANG_INFO.setdefault(code, info)


def languages_of(codes: list[str]) -> list[tuple[str, object]]:
    unknown = [c for c in codes if c not in NAMES]
    if unknown:
        raise ImproperlyConfigured(f"Country pack: languages {unknown} are not known to OpenUHC "
                                   f"(known: {sorted(NAMES)}); add the name to openuhc/country/languages.py.")
    return [(code, NAMES[code]) for code in codes]
