"""Template filters of the governance pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def met(cell: Any, direction: str) -> bool | None:
    """Whether a year's actual reached its target (None when either is missing)."""
    return cell.met(direction)


@register.filter
def figure(value: Any) -> str:
    """A figure without trailing zeros: 81.2500 → 81.25, 1200.0000 → 1,200."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    normal = number.normalize()
    exponent = normal.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(normal, decimal_pos=places, force_grouping=True)
