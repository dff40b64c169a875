"""URL converters. `<id:pk>` is `<int:pk>` bounded to what a database key can hold (64-bit): an address
with a longer number (`/people/99999999999999999999/`) is simply not found, instead of overflowing inside the
database driver. Use it for every number in a page's address, and `<fy:...>` for a fiscal year."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class FiscalYearConverter(IdConverter):
    """`<fy:year>`: a fiscal year in the Buddhist Era, 2500-2699 (core.query.FY_LOW/FY_HIGH)."""

    regex = "2[56][0-9][0-9]"


def register() -> None:
    register_converter(IdConverter, "id")
    register_converter(FiscalYearConverter, "fy")
