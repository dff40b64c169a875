"""Versioned configuration: every rate, limit and deadline, valid from a date, per scheme.

Apps declare their parameters with `define(...)` in their own `params.py` (imported from
`AppConfig.ready`). The default value is the documented starting point — with its source —, the active country
pack may give dated values of its own (country/params.py), and a `ParameterValue` row overrides both from a date
on, for all schemes or for one. No rate, cap or limit is
written as a literal in domain code: it is read with `get(key, on=date)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q

from openuhc.core.errors import Coded, DomainError


class ParamError(Coded):
    UNKNOWN = ("param_unknown", "There is no parameter named {key}.", "ไม่มีพารามิเตอร์ชื่อ {key}")
    BAD_VALUE = (
        "param_bad_value",
        "{key} needs a value of type {kind}; {value!r} is not one.",
        "{key} ต้องเป็นค่าชนิด {kind} แต่ได้รับ {value!r}",
    )


@dataclass(frozen=True)
class ParamDef:
    key: str
    kind: str  # "int", "decimal", "bool", "str", "json"
    default: Any
    label_en: str
    label_th: str
    source: str = ""

    def coerce(self, raw: Any) -> Any:
        try:
            if self.kind == "int":
                if isinstance(raw, bool):
                    raise ValueError
                return int(raw)
            if self.kind == "decimal":
                if isinstance(raw, float):
                    raw = repr(raw)
                return Decimal(str(raw))
            if self.kind == "bool":
                if isinstance(raw, bool):
                    return raw
                if str(raw).lower() in ("1", "true", "yes"):
                    return True
                if str(raw).lower() in ("0", "false", "no"):
                    return False
                raise ValueError
            if self.kind == "str":
                return str(raw)
            return raw
        except (ValueError, TypeError, InvalidOperation):
            raise DomainError(ParamError.BAD_VALUE, key=self.key, kind=self.kind, value=raw) from None

    def to_json(self, value: Any) -> Any:
        value = self.coerce(value)
        return str(value) if isinstance(value, Decimal) else value


REGISTRY: dict[str, ParamDef] = {}


def define(key: str, kind: str, default: Any, label_en: str, label_th: str, source: str = "") -> ParamDef:
    definition = ParamDef(key, kind, default, label_en, label_th, source)
    definition.coerce(default)
    REGISTRY[key] = definition
    return definition


def definition(key: str) -> ParamDef:
    try:
        return REGISTRY[key]
    except KeyError:
        pass
    from openuhc.country import params as pack_params

    found = pack_params.definition(key)  # a parameter only the active country pack has
    if found is None:
        raise DomainError(ParamError.UNKNOWN, key=key)
    return found


def get(key: str, *, on: date, scheme: str = "") -> Any:
    """The value of `key` on a date: a scheme's own value first, then the all-schemes value, then the default."""
    from openuhc.core.models import ParameterValue

    spec = definition(key)
    rows = (
        ParameterValue.objects.filter(key=key, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .filter(scheme__in=[scheme, ""] if scheme else [""])
        .order_by("-valid_from", "-id")
        .values_list("scheme", "value")
    )
    return _choose(spec, key, on, scheme, rows)


def _choose(spec: ParamDef, key: str, on: date, scheme: str, rows: Any) -> Any:
    """`get`'s answer from the rows in force on `on` for the scheme and for all schemes, latest start first."""
    chosen = None
    for row_scheme, value in rows:
        if row_scheme == scheme:
            chosen = value
            break
        if chosen is None:
            chosen = value
    if chosen is None:
        from openuhc.country import params as pack_params

        # no row in force: the country pack's dated value, then the app's default
        found, pack_value = pack_params.value(key, on=on, scheme=scheme)
        chosen = pack_value if found else spec.default
    return spec.coerce(chosen)


class Snapshot:
    """`get` answered from the rows of every key under `prefix`, read in one query when first asked: for work that
    asks many keys on many days in a few seconds (a claims submission asks about 90), the same answers as `get`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._rows: dict[str, list[tuple[str, date, date | None, Any]]] | None = None

    def get(self, key: str, *, on: date, scheme: str = "") -> Any:
        if not key.startswith(self.prefix):
            return get(key, on=on, scheme=scheme)
        if self._rows is None:
            from openuhc.core.models import ParameterValue

            self._rows = {}
            for name, row_scheme, valid_from, valid_to, value in (
                    ParameterValue.objects.filter(key__startswith=self.prefix).order_by("-valid_from", "-id")
                    .values_list("key", "scheme", "valid_from", "valid_to", "value")):
                self._rows.setdefault(name, []).append((row_scheme, valid_from, valid_to, value))
        if isinstance(on, datetime):  # as the query's DateField takes it (a DuckDB month start is a timestamp)
            on = on.date()
        schemes = (scheme, "") if scheme else ("",)
        rows = [(s, v) for s, start, end, v in self._rows.get(key, [])
                if start <= on and (end is None or end >= on) and s in schemes]
        return _choose(definition(key), key, on, scheme, rows)


def set_value(
    key: str, value: Any, *, valid_from: date, valid_to: date | None = None, scheme: str = "", note: str = "",
    actor: Any = None,
) -> Any:
    from openuhc.core.models import ParameterValue

    spec = definition(key)
    return ParameterValue.objects.create(
        key=key, scheme=scheme, valid_from=valid_from, valid_to=valid_to, value=spec.to_json(value),
        note=note, recorded_by=actor,
    )
