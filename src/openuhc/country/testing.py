"""Switching the country pack in a test: `with use_pack("ph"): ...` (or the `ph_pack` fixture)."""

from __future__ import annotations

from typing import Any

from django.test import override_settings

from openuhc.country.languages import languages_of
from openuhc.country.packs import load_pack


def pack_settings(code: str) -> dict[str, Any]:
    """The settings that settings.py derives from a pack."""
    pack = load_pack(code)
    return {"OPENUHC_COUNTRY": code, "LANGUAGE_CODE": pack["default_language"],
            "LANGUAGES": languages_of(pack.languages),
            "LOCALE_PATHS": [str(pack.locale_dir)] if pack.locale_dir else [], "TIME_ZONE": pack["time_zone"],
            "OPENUHC_FISCAL_YEAR_START_MONTH": pack["calendar"]["fiscal_year_start_month"]}


def use_pack(code: str) -> override_settings:
    return override_settings(**pack_settings(code))
