"""A country pack's manifest (`pack.toml`): read strictly.

Every key is declared here with its type; an unknown key, a missing key or a value of the wrong type stops
start-up with a message naming the key (`ImproperlyConfigured`). Nothing falls back to a default without a word:
optional keys say their default here, in one place.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Check = Callable[[Any, str, list[str]], Any]


class Required:
    """Marks a key without a default."""


REQUIRED = Required()


def _text(pattern: str | None = None) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where}: expected non-empty text, got {value!r}")
        elif pattern and not re.fullmatch(pattern, value):
            problems.append(f"{where}: {value!r} does not match {pattern}")
        return value
    return check


def _int(minimum: int | None = None, maximum: int | None = None) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{where}: expected a whole number, got {value!r}")
        elif (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            problems.append(f"{where}: {value} is outside {minimum}–{maximum}")
        return value
    return check


def _bool(value: Any, where: str, problems: list[str]) -> Any:
    if not isinstance(value, bool):
        problems.append(f"{where}: expected true or false, got {value!r}")
    return value


def _date(value: Any, where: str, problems: list[str]) -> Any:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: expected a date YYYY-MM-DD, got {value!r}")
        return value


def _decimal_text(value: Any, where: str, problems: list[str]) -> Any:
    # Money and rates are written as text ("1700.00") so that TOML floats never round them.
    if not isinstance(value, str):
        problems.append(f"{where}: write numbers as text (\"1700.00\"), got {value!r}")
        return value
    try:
        Decimal(value)
    except InvalidOperation:
        problems.append(f"{where}: {value!r} is not a number")
    return value


def _any(value: Any, where: str, problems: list[str]) -> Any:
    return value


def _list(item: Check, *, minimum: int = 0) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list, got {value!r}")
            return value
        if len(value) < minimum:
            problems.append(f"{where}: needs at least {minimum} entr{'y' if minimum == 1 else 'ies'}")
        return [item(v, f"{where}[{i}]", problems) for i, v in enumerate(value)]
    return check


def _table(fields: dict[str, tuple[Check, Any]]) -> Check:
    """A TOML table with exactly these keys: (check, default or REQUIRED)."""
    def check(value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a table, got {value!r}")
            return value
        prefix = f"{where}." if where else ""
        for key in sorted(set(value) - set(fields)):
            problems.append(f"{prefix}{key}: unknown key (allowed: {', '.join(sorted(fields))})")
        result = {}
        for key, (item, default) in fields.items():
            if key in value:
                result[key] = item(value[key], f"{prefix}{key}", problems)
            elif default is REQUIRED:
                problems.append(f"{prefix}{key}: missing")
            else:
                result[key] = default
        return result
    return check


def _mapping(item: Check) -> Check:
    def check(value: Any, where: str, problems: list[str]) -> Any:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a table, got {value!r}")
            return value
        return {k: item(v, f"{where}.{k}", problems) for k, v in value.items()}
    return check


CODE = r"[a-z0-9][a-z0-9_-]*"
OBJECT = r"[A-Za-z_][\w.]*:[A-Za-z_]\w*"  # module.path:name
LANGUAGE = r"[a-z]{2,3}(-[a-z]{2,4})?"
NAMES = {"name_en": (_text(), REQUIRED), "name_local": (_text(), "")}

SCHEMA = _table({
    "code": (_text(r"[a-z]{2,3}"), REQUIRED),
    "name": (_text(), REQUIRED),
    "currency": (_text(r"[A-Z]{3}"), REQUIRED),
    "currency_minor_units": (_int(0, 3), REQUIRED),
    "languages": (_list(_text(LANGUAGE), minimum=1), REQUIRED),
    "default_language": (_text(LANGUAGE), REQUIRED),
    "time_zone": (_text(), REQUIRED),
    "locale_dir": (_text(), ""),  # the pack's own catalogues (new languages, term overrides), relative
    "calendar": (_table({
        # years shown = CE year + offset, per display language (Thai: BE = CE + 543)
        "era_offsets": (_mapping(_int(0, 1000)), REQUIRED),
        "fiscal_year_start_month": (_int(1, 12), REQUIRED),
        # fiscal years are named by the year in which they end, plus this offset
        "fiscal_year_name_offset": (_int(0, 1000), REQUIRED),
    }), REQUIRED),
    "person_ids": (_list(_table({
        "code": (_text(CODE), REQUIRED),
        **NAMES,
        "digits": (_int(1, 13), REQUIRED),  # 13: the registry's column width
        "check_digit": (_text(), REQUIRED),  # the published rule's name, or "none"
        "may_repeat": (_bool, REQUIRED),  # true: never link a person by this number alone
        "primary": (_bool, False),
        "encodes": (_list(_text()), []),
        "fhir_system": (_text(), ""),
        "rules": (_text(OBJECT), REQUIRED),  # the code: an IdType
        "source": (_text(), REQUIRED),
    }), minimum=1), REQUIRED),
    "geography": (_table({
        "levels": (_list(_table({"code": (_text(CODE), REQUIRED), **NAMES, "code_digits": (_int(1, 10), REQUIRED)}),
                         minimum=3), REQUIRED),
        "region": (_table(NAMES), REQUIRED),
        "loader": (_text(OBJECT), REQUIRED),
        "source": (_text(), REQUIRED),
    }), REQUIRED),
    "schemes": (_list(_table({
        "code": (_text(r"[A-Z][A-Z0-9_]*"), REQUIRED), **NAMES, "claim_code": (_text(), ""),
        "registers_with_unit": (_bool, REQUIRED), "sort_order": (_int(0, 1000), REQUIRED),
    }), minimum=1), REQUIRED),
    "unit_types": (_list(_table({
        "code": (_text(CODE), REQUIRED), **NAMES, "admits_inpatients": (_bool, REQUIRED),
        "primary_care": (_bool, REQUIRED), "sort_order": (_int(0, 1000), REQUIRED),
    }), minimum=1), REQUIRED),
    "owners": (_list(_table({"code": (_text(r"[A-Z][A-Z0-9_-]*"), REQUIRED), "kind": (_text(CODE), REQUIRED),
                             **NAMES}), minimum=1), REQUIRED),
    "claim_formats": (_list(_text(CODE), minimum=1), REQUIRED),
    "payment_methods": (_list(_text(CODE), minimum=1), REQUIRED),
    "parameters": (_list(_table({
        "key": (_text(r"[a-z][a-z0-9_.]*"), REQUIRED), "kind": (_text(r"int|decimal|bool|str|json"), REQUIRED),
        "label_en": (_text(), REQUIRED), "label_th": (_text(), ""),
        "values": (_list(_table({"valid_from": (_date, REQUIRED), "value": (_any, REQUIRED),
                                 "scheme": (_text(), ""), "source": (_text(), REQUIRED)}), minimum=1), REQUIRED),
    })), []),
    "case_rates": (_table({"table": (_text(), REQUIRED), "illustrative": (_bool, REQUIRED),
                           "source": (_text(), REQUIRED)}), None),
    "holidays": (_list(_table({"date": (_date, REQUIRED), **NAMES})), []),
    "demo": (_table({
        "faker_locale": (_text(), REQUIRED),
        "area": (_text(), REQUIRED),  # the code of the demo's first-level area (a province)
        "apps": (_list(_text()), REQUIRED),  # whose `<app>/demo.py` steps run ("*": every app's)
        "steps": (_text(r"[A-Za-z_][\w.]*"), ""),  # a module of the pack with more steps (STEPS)
    }), REQUIRED),
})

KNOWN_METHODS = {"capitation", "inpatient-drg", "fee-schedule", "year-end", "case-rate"}
KNOWN_FORMATS = {"16-file", "fhir"}
KNOWN_CHECK_DIGITS = {"none", "thai-mod11"}


def _cross_checks(data: dict[str, Any], problems: list[str]) -> None:
    """What one key cannot say alone: languages, primary ID, names in a closed list."""
    if not isinstance(data.get("languages"), list):
        return
    if data.get("default_language") not in data["languages"]:
        problems.append(f"default_language: {data.get('default_language')!r} is not one of languages")
    for language in (data.get("calendar") or {}).get("era_offsets") or {}:
        if language not in data["languages"]:
            problems.append(f"calendar.era_offsets.{language}: not one of languages")
    ids = [i for i in data.get("person_ids") or [] if isinstance(i, dict)]
    if sum(1 for i in ids if i.get("primary")) != 1:
        problems.append("person_ids: exactly one must be primary = true (the number the registry keys people by)")
    for index, item in enumerate(ids):
        if item.get("primary") and item.get("may_repeat"):
            problems.append(f"person_ids[{index}]: the primary number cannot be one that may repeat")
        if item.get("check_digit") not in KNOWN_CHECK_DIGITS:
            problems.append(f"person_ids[{index}].check_digit: {item.get('check_digit')!r} is not one of "
                            f"{sorted(KNOWN_CHECK_DIGITS)}")
    for name, known in (("payment_methods", KNOWN_METHODS), ("claim_formats", KNOWN_FORMATS)):
        for value in data.get(name) or []:
            if value not in known:
                problems.append(f"{name}: {value!r} is not one of {sorted(known)}")
    if "case-rate" in (data.get("payment_methods") or []) and not data.get("case_rates"):
        problems.append("case_rates: missing (payment_methods has case-rate)")
    for list_name, key in (("schemes", "code"), ("unit_types", "code"), ("owners", "code"), ("person_ids", "code"),
                           ("parameters", "key")):
        codes = [i.get(key) for i in data.get(list_name) or [] if isinstance(i, dict)]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(f"{list_name}: {code!r} appears more than once")


def validate(raw: dict[str, Any], *, source: str) -> dict[str, Any]:
    """The manifest's data with defaults filled in, or ImproperlyConfigured listing every problem."""
    problems: list[str] = []
    data = SCHEMA(raw, "", problems)
    if not problems:
        _cross_checks(data, problems)
    if problems:
        raise ImproperlyConfigured(f"Country pack manifest {source} is not valid:\n  " + "\n  ".join(problems))
    return data


def read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise ImproperlyConfigured(f"Country pack manifest {path} does not exist.") from None
    except tomllib.TOMLDecodeError as error:
        raise ImproperlyConfigured(f"Country pack manifest {path} is not valid TOML: {error}") from None
    return validate(raw, source=str(path))
