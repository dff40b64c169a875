"""A fiscal year's configuration as an Excel workbook (one sheet per list) and back.

Sheet "settings" holds key/value rows (per_capita, ip_base_rate, ...); the sheets sub_funds, age_groups,
ip_regions, ip_multipliers, late_rules and fee_items have one header row of field names and one row per entry.
Exporting a version and importing the file unchanged gives the same configuration.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openuhc.budget.errors import BudgetError
from openuhc.core.errors import DomainError
from openuhc.core.exports import xlsx_bytes

SCALARS = ("per_capita", "ip_base_rate", "ip_max_rate", "salary_op_percent", "salary_ip_percent", "rti_deduct",
           "rti_cap")
LISTS = {
    "sub_funds": ("code", "name_th", "name_en", "per_capita", "paid_by"),
    "age_groups": ("code", "min_age", "max_age", "weight"),
    "ip_regions": ("region", "ip_budget"),
    "late_rules": ("from_days", "percent"),
    "fee_items": ("code", "name_th", "name_en", "price", "sex", "min_age", "max_age", "cap_count", "cap_amount",
                  "cap_period"),
}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_xlsx(data: dict[str, Any]) -> bytes:
    sheets: dict[str, tuple[list[str], list[list[Any]]]] = {
        "settings": (["key", "value"], [[key, _cell(data.get(key))] for key in SCALARS])}
    for name, fields in LISTS.items():
        sheets[name] = (list(fields), [[_cell(row.get(f)) for f in fields] for row in data.get(name, [])])
    sheets["ip_multipliers"] = (["code", "factor"], [[k, _cell(v)] for k, v in data.get("ip_multipliers", {}).items()])
    return xlsx_bytes(sheets)


def _text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float):
        return str(Decimal(repr(value)))
    return str(value).strip() if not isinstance(value, int) else value


def from_xlsx(content: bytes) -> dict[str, Any]:
    """The configuration dict of a workbook written by `to_xlsx` (or edited in Excel).

    Read with the streaming reader and its limits (core/xlsx.py), like every uploaded workbook."""
    from openuhc.core.xlsx import XlsxError, XlsxReader

    try:
        with XlsxReader(io.BytesIO(content)) as book:
            return _from_book(book)
    except DomainError as error:
        if isinstance(error.error, XlsxError):
            raise DomainError(BudgetError.BAD_FILE, detail=error.message_en, detail_th=error.message_th) from None
        raise


def _from_book(book: Any) -> dict[str, Any]:
    names = book.sheet_names()
    missing = [name for name in ("settings", *LISTS, "ip_multipliers") if name not in names]
    if missing:
        raise DomainError(BudgetError.BAD_FILE, detail="missing sheets " + ", ".join(missing),
                          detail_th="ไม่มีแผ่นงาน " + ", ".join(missing))
    data: dict[str, Any] = {}
    for row in list(book.rows("settings"))[1:]:
        if row and row[0]:
            value = _text(row[1]) if len(row) > 1 else None
            data[str(row[0]).strip()] = None if value == "" else value
    for name in LISTS:
        rows = list(book.rows(name))
        header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else [])]
        data[name] = [{h: (None if _text(v) == "" else _text(v)) for h, v in zip(header, row, strict=False) if h}
                      for row in rows[1:] if row and any(v not in (None, "") for v in row)]
    data["ip_multipliers"] = {str(r[0]).strip(): _text(r[1]) for r in list(book.rows("ip_multipliers"))[1:]
                              if r and r[0]}
    return data
