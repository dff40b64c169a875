"""Philippine person numbers: the PhilSys number (PSN) and the PhilHealth number (PIN), 12 digits each.

Neither has a published check digit: these rules check the format only (12 ASCII digits, separators allowed when
typed), so a mistyped digit is not caught here; the registry lookup (and, for a PhilHealth number, the birth date
that must go with it) is what finds a typing mistake. Neither number encodes anything about its holder.
"""

from __future__ import annotations

from openuhc.country.idtypes import IdType


class PhilSysNumber(IdType):
    def format(self, number: str) -> str:
        """1234-5678-9012."""
        if len(number) != 12:
            return number
        return f"{number[:4]}-{number[4:8]}-{number[8:]}"

    def mask(self, number: str) -> str:
        if len(number) != 12:
            return "x" * len(number)
        return f"xxxx-xxxx-x{number[9:]}"


class PhilHealthNumber(IdType):
    def format(self, number: str) -> str:
        """12-345678901-2, as printed on the member data record."""
        if len(number) != 12:
            return number
        return f"{number[:2]}-{number[2:11]}-{number[11]}"

    def mask(self, number: str) -> str:
        if len(number) != 12:
            return "x" * len(number)
        return f"xx-xxxxxxx{number[9:11]}-{number[11]}"
