"""Template filters every page uses (loaded as builtins): dates in BE for Thai, money, citizen IDs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.formats import number_format

from openuhc.core import dates

register = template.Library()


@register.filter
def thdate(value: date | datetime | str | None) -> str:
    """22 พ.ย. 2569 in Thai, 22 Nov 2026 in English (also from an ISO date kept as text, e.g. in a JSON detail)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        return dates.format_datetime(value)
    return dates.format_date(value)


@register.filter
def thdate_long(value: date | None) -> str:
    return dates.format_date(value, long=True)


@register.filter
def thdate_numeric(value: date | None) -> str:
    return dates.format_date_numeric(value)


@register.filter
def month(value: date | str | int | None) -> str:
    """A period: "ต.ค. 2568" in Thai, "Oct 2025" in English (from a date, "2025-10" or 202510)."""
    return dates.format_month(value)


@register.filter
def month_long(value: date | str | int | None) -> str:
    return dates.format_month(value, long=True)


@register.filter
def fiscal_year(value: date | None) -> str:
    return "" if value is None else str(dates.fiscal_year(value))


@register.filter
def baht(value: Decimal | int | None) -> str:
    if value is None or value == "":
        return ""
    return number_format(Decimal(value), decimal_pos=2, force_grouping=True)


@register.filter
def number(value: Any) -> str:
    if value is None or value == "":
        return ""
    return number_format(value, force_grouping=True)


@register.filter
def masked_cid(citizen_id: str) -> str:
    from openuhc.registry.ids import mask_citizen_id

    return mask_citizen_id(citizen_id or "")


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def age(birth_date: date | None) -> str:
    """Age in whole years today."""
    if birth_date is None:
        return ""
    now = dates.today()
    years = now.year - birth_date.year - ((now.month, now.day) < (birth_date.month, birth_date.day))
    return str(years)


@register.simple_tag(takes_context=True)
def url_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced: {% url_with page=2 %} → ?q=x&page=2."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"


@register.simple_tag(takes_context=True)
def page_title(context: Any) -> str:
    """The page's {% block title %} again (the breadcrumbs end with it; Django renders a block only once)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block("title") if blocks is not None else None
    return block.render(context) if block is not None else ""


@register.filter
def word(value: Any, vocabulary: str) -> str:
    """The meaning of a code ("1"|word:"sex" → male), or the code itself when it has none."""
    from openuhc.core.codes import word as lookup

    return lookup(vocabulary, value) or ("" if value is None else str(value))


@register.filter
def code_word(value: Any, vocabulary: str) -> str:
    """"11 room and board": the code followed by its meaning."""
    from openuhc.core.codes import code_word as lookup

    return lookup(vocabulary, value)


@register.filter
def words(value: Any, vocabulary: str) -> str:
    """A comma-separated list of codes as words: "LATE,RTI"|words:"pay_reason" → "sent late; RTI deducted"."""
    from openuhc.core.codes import word as lookup

    codes = [c.strip() for c in str(value or "").split(",") if c.strip()]
    return "; ".join(lookup(vocabulary, c) or c for c in codes)


@register.filter
def subfund_name(code: str, fallback: str = "") -> str:
    """"OP บริการผู้ป่วยนอกทั่วไป": a sub-fund's code and its name in the page's language, from the latest
    configured fiscal year (a name saved in a scenario is used when no configuration names the code)."""
    from openuhc.core.codes import word

    name = word("subfund", code) or fallback
    # "OP general" already names its code: no "OP OP general"
    return name if name.split(" ", 1)[0] == code else f"{code} {name}".strip()


@register.filter
def bilingual(text: str | None) -> str:
    """"English / ไทย" text stored in both languages: the half in the page's language (all of it otherwise)."""
    from django.utils.translation import get_language

    parts = str(text or "").split(" / ")
    if len(parts) != 2:
        return str(text or "")
    return parts[1] if (get_language() or "th").startswith("th") else parts[0]
