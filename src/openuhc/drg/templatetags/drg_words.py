"""Template filters for Thai DRG results: the explanation in the page's language, the DRG's name, and whether a
table set is the demonstration set (pages that use it say it is not official)."""

from __future__ import annotations

from typing import Any

from django import template

from openuhc.drg import words
from openuhc.drg.demoset import is_demo

register = template.Library()


@register.filter
def is_demo_tables(version: str | None) -> bool:
    return is_demo(version)


@register.filter
def drg_reason(text: str | None) -> str:
    return words.translate(text)


@register.filter
def drg_trace(trace: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    return words.explain(trace)


@register.filter
def drg_error(code: str | None) -> str:
    return words.error(code)


@register.filter
def drg_name(drg: str | None, version: str | None = None) -> str:
    """The DRG's name from the installed tables of that version (the tables' own words, in English)."""
    from openuhc.drg.tables import by_version

    if not drg or not version:
        return ""
    tables = by_version(version)
    row = tables.drg(drg) if tables is not None else None
    return row.name if row is not None else ""
