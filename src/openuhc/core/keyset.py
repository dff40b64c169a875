"""Keyset pagination: a list's pages cut by the last row's sort key (`?after=` / `?before=`), not by an offset.

An offset page makes the database read and throw away every row before it (page 1,000 of a unit's claims reads
100,000 rows); a keyset page starts in the index at the cursor, so every page costs the same. The sort key must be
unique (end it with the primary key). NULLs sort as the largest value, PostgreSQL's default, on every database.
The pager shows first / previous / next / last, no page numbers and no total (counting is the cost avoided).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan


@dataclass(frozen=True)
class Key:
    """One column of a sort key: its field name, descending or not, and whether it may be NULL."""

    field: str
    descending: bool = False
    nullable: bool = False


@dataclass
class KeysetPage:
    object_list: list[Any]
    has_next: bool
    has_previous: bool
    next_cursor: str
    previous_cursor: str
    is_last: bool = False

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def encode(values: tuple[Any, ...]) -> str:
    plain = [v.isoformat() if isinstance(v, date) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str, keys: tuple[Key, ...], model: Any) -> tuple[Any, ...] | None:
    """The cursor's values converted by each field, or None when the cursor is not one of ours (a stale or
    hand-made link shows the first page rather than an error)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            return None
        values = []
        for key, value in zip(keys, raw, strict=True):
            if value is None:
                if not key.nullable:
                    return None
                values.append(None)
            else:
                values.append(model._meta.get_field(key.field).to_python(value))
        return tuple(values)
    except (ValueError, TypeError, ValidationError):  # any malformed cursor means the first page
        return None


def _order(keys: tuple[Key, ...], reverse: bool) -> list[Any]:
    out = []
    for key in keys:
        descending = key.descending != reverse
        # explicit NULLS placement: SQLite's default (NULL smallest) differs from PostgreSQL's (NULL largest)
        out.append(F(key.field).desc(nulls_first=True) if descending else F(key.field).asc(nulls_last=True))
    return out


def _beyond(key: Key, value: Any, forward: bool) -> Q:
    """Rows strictly past `value` on this column, in the direction read (NULL is the largest value)."""
    descending = key.descending == forward
    if descending:  # smaller than value
        return Q(**{f"{key.field}__isnull": False}) if value is None else Q(**{f"{key.field}__lt": value})
    if value is None:
        return Q(pk__in=[])
    beyond = Q(**{f"{key.field}__gt": value})
    return beyond | Q(**{f"{key.field}__isnull": True}) if key.nullable else beyond


def _equal(key: Key, value: Any) -> Q:
    return Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})


def after(keys: tuple[Key, ...], values: tuple[Any, ...], forward: bool = True) -> Q | Any:
    """The condition 'comes after `values`' (or before, forward=False) in the order of `keys`.

    When every column runs the same way and no value is NULL it is one row comparison, `(a, b) > (x, y)`, which
    both databases answer as a range in a composite index; otherwise the expanded form a > x OR (a = x AND b > y)."""
    smaller = keys[0].descending == forward
    if len({k.descending for k in keys}) == 1 and None not in values and not any(k.nullable for k in keys[1:]):
        lhs = Tuple(*(F(k.field) for k in keys))
        condition = (TupleLessThan if smaller else TupleGreaterThan)(lhs, tuple(values))
        if keys[0].nullable and not smaller:
            return Q(condition) | Q(**{f"{keys[0].field}__isnull": True})
        return condition
    condition = Q(pk__in=[])
    prefix = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= prefix & _beyond(key, value, forward)
        prefix &= _equal(key, value)
    first, value = keys[0], values[0]
    if not first.nullable and value is not None:
        # Implied by the expansion, but as a plain range the planner can start an index at the cursor's first
        # value instead of reading and filtering every row before it (a late page of 100,000 problems).
        condition &= Q(**{f"{first.field}__{'lte' if smaller else 'gte'}": value})
    return condition


def paginate(rows: QuerySet, keys: tuple[Key, ...], *, size: int, after_cursor: str = "", before_cursor: str = "",
             last: bool = False) -> KeysetPage:
    """One page of `rows` in the order of `keys`: the first, the one after/before a cursor, or the last."""
    model = rows.model
    forward = True
    values = None
    if before_cursor and (values := decode(before_cursor, keys, model)) is not None:
        forward = False
    elif after_cursor:
        values = decode(after_cursor, keys, model)
    if last:
        forward, values = False, None
    query = rows
    if values is not None:
        query = query.filter(after(keys, values, forward))
    found = list(query.order_by(*_order(keys, reverse=not forward))[:size + 1])
    more = len(found) > size
    found = found[:size]
    if not forward:
        found.reverse()
    if forward:
        has_next, has_previous = more, values is not None
    else:
        has_next, has_previous = values is not None, more
    def cursor(row: Any) -> str:
        return encode(tuple(getattr(row, k.field if k.field != "pk" else "pk") for k in keys))
    return KeysetPage(object_list=found, has_next=has_next and bool(found), has_previous=has_previous and bool(found),
                      next_cursor=cursor(found[-1]) if found else "", previous_cursor=cursor(found[0]) if found else "",
                      is_last=not has_next)
