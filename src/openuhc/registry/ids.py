"""The registry's person number, through the active country pack's rules (docs/country-pack.md).

In Thailand (pack `th`) it is the 13-digit citizen ID with a check digit (openuhc_packs/th/ids.py); in the
Philippines (pack `ph`) the 12-digit PhilSys number, format rules only. Every caller in OpenUHC goes through these
helpers, so a pack changes the rules in one place. A well-formed number does not mean the person exists: the
registry lookup says that.
"""

from __future__ import annotations

from openuhc.country.packs import active

# Thailand's rule, kept importable here for the code and tests that build Thai numbers (demo, test worlds).
from openuhc_packs.th.ids import CitizenIdError, check_digit  # noqa: F401


def normalize_citizen_id(text: str | None) -> str:
    return active().primary_id.normalize(text)


def validate_citizen_id(text: str | None) -> str:
    """Return the digits of a well-formed number, or raise DomainError saying exactly what is wrong."""
    return active().primary_id.validate(text)


def is_valid_citizen_id(text: str | None) -> bool:
    return active().primary_id.is_valid(text)


def mask_citizen_id(citizen_id: str) -> str:
    """Only the last digits show (x-xxxx-xxxxx-12-3 in Thailand)."""
    return active().primary_id.mask(citizen_id)


def format_citizen_id(citizen_id: str) -> str:
    """The grouping printed on the card (1-2345-67890-12-1 in Thailand)."""
    return active().primary_id.format(citizen_id)
