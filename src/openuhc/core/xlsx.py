"""Reading the sheets of an .xlsx file as rows of values, streamed, within limits.

openpyxl, even in read-only mode, loads every shared string of a workbook into memory before the first row:
a 4 MB file holding 1.5 million shared strings took a process from 358 MB to 1.9 GB. This reader streams
the sheet's XML row by row and refuses a workbook, with a coded error, as soon as it passes a limit:

- `import.xlsx_max_unpacked_mb`: the total unpacked size of the workbook's parts (declared sizes are checked
  before anything is read; the zip module never reads past them);
- `import.xlsx_max_cells`: cells in the sheet, and shared strings in the workbook;
- `import.max_cell_chars`: characters in one cell (CSV files too, see core.importing).

Only the shared strings must be held (cells refer to them by number); they count against the limits above.
Dates are recognised from the cell's number format as Excel does (built-in formats 14-22 and 45-47, and
custom formats with day, month or year codes), in the 1900 or 1904 date system of the workbook.
XML is parsed by expat, whose entity-expansion protection (billion laughs) Python enables.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse  # noqa: S405 - expat with its expansion limits; see the docstring

from openuhc.core.errors import Coded, DomainError
from openuhc.core.params import define

MAX_UNPACKED_MB = define("import.xlsx_max_unpacked_mb", "int", 200,
                         "Largest unpacked size of an Excel file to import (MB)",
                         "ขนาดสูงสุดของไฟล์ Excel ที่นำเข้าเมื่อคลายออก (MB)",
                         "OpenUHC's own: a national persons file is sent as CSV; an Excel sheet this size holds "
                         "about a million rows")
MAX_CELLS = define("import.xlsx_max_cells", "int", 2_000_000, "Most cells (and shared strings) in an Excel file",
                   "จำนวนเซลล์ (และข้อความใช้ร่วม) สูงสุดในไฟล์ Excel", "OpenUHC's own")
MAX_CELL_CHARS = define("import.max_cell_chars", "int", 2000, "Most characters in one cell of an imported file",
                        "จำนวนตัวอักษรสูงสุดในหนึ่งเซลล์ของไฟล์ที่นำเข้า",
                        "OpenUHC's own: the longest field imported (an address) is a few hundred characters")

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DATE_FORMAT_IDS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


class XlsxError(Coded):
    NOT_XLSX = ("xlsx_not_a_workbook", "The file is not an Excel workbook (.xlsx): {detail}",
                "ไฟล์นี้ไม่ใช่สมุดงาน Excel (.xlsx): {detail}")
    TOO_BIG = ("xlsx_too_big", "The workbook unpacks to more than {mb} MB; split it, or send it as CSV.",
               "ไฟล์ Excel นี้เมื่อคลายออกมีขนาดเกิน {mb} MB กรุณาแบ่งไฟล์ หรือส่งเป็น CSV")
    TOO_MANY_CELLS = ("xlsx_too_many_cells", "The workbook has more than {limit} cells or texts; split it, or send it "
                      "as CSV.", "ไฟล์ Excel นี้มีเซลล์หรือข้อความเกิน {limit} รายการ กรุณาแบ่งไฟล์ หรือส่งเป็น CSV")
    CELL_TOO_LONG = ("import_cell_too_long", "A cell holds more than {limit} characters (row {row}).",
                     "มีเซลล์ที่ยาวเกิน {limit} ตัวอักษร (แถวที่ {row})")


@dataclass(frozen=True)
class Limits:
    max_unpacked_bytes: int
    max_cells: int
    max_cell_chars: int

    @classmethod
    def current(cls) -> Limits:
        from openuhc.core import params
        from openuhc.core.dates import today

        on = today()
        return cls(params.get(MAX_UNPACKED_MB.key, on=on) * 1024 * 1024, params.get(MAX_CELLS.key, on=on),
                   params.get(MAX_CELL_CHARS.key, on=on))


def _column(reference: str) -> int:
    number = 0
    for char in reference:
        if not char.isalpha():
            break
        number = number * 26 + (ord(char.upper()) - 64)
    return number - 1


def _is_date_format(code: str) -> bool:
    bare = _QUOTED.sub("", code).lower()
    return any(ch in bare for ch in "dmyhs") and "general" not in bare


class XlsxReader:
    """`rows(sheet)` yields a sheet's rows as lists of values (str, int, float, bool, datetime, None)."""

    _sheet_parts: dict[str, str] | None = None
    _strings: list[str] | None = None
    _dates: frozenset[int] | set[int] = frozenset()
    date1904 = False

    def __init__(self, path: Path | IO[bytes], limits: Limits | None = None) -> None:
        self.limits = limits or Limits.current()
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise DomainError(XlsxError.NOT_XLSX, detail=str(error)) from None
        unpacked = sum(info.file_size for info in self.zip.infolist())
        if unpacked > self.limits.max_unpacked_bytes:
            self.zip.close()
            raise DomainError(XlsxError.TOO_BIG, mb=self.limits.max_unpacked_bytes // (1024 * 1024))
        self.names = set(self.zip.namelist())

    def close(self) -> None:
        self.zip.close()

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- parts ------------------------------------------------------------------------------------------
    def _events(self, name: str, events: tuple[str, ...] = ("end",)) -> Iterator[tuple[str, Any]]:
        try:
            with self.zip.open(name) as handle:
                yield from iterparse(handle, events=events)  # noqa: S314 - see the module docstring
        except (zipfile.BadZipFile, OSError, SyntaxError, EOFError) as error:
            raise DomainError(XlsxError.NOT_XLSX, detail=f"{name}: {error}") from None

    def _sheets(self) -> dict[str, str]:
        """Sheet name → part name, in the workbook's order (read once)."""
        if self._sheet_parts is not None:
            return self._sheet_parts
        if "xl/workbook.xml" not in self.names:
            raise DomainError(XlsxError.NOT_XLSX, detail="no xl/workbook.xml")
        declared: list[tuple[str, str]] = []
        self.date1904 = False
        for _event, element in self._events("xl/workbook.xml"):
            if element.tag == f"{NS}sheet":
                declared.append((element.get("name", ""), element.get(f"{REL_NS}id", "")))
            elif element.tag == f"{NS}workbookPr":
                self.date1904 = element.get("date1904", "0") in ("1", "true")
        targets: dict[str, str] = {}
        if "xl/_rels/workbook.xml.rels" in self.names:
            for _event, element in self._events("xl/_rels/workbook.xml.rels"):
                if element.tag == f"{PKG_REL_NS}Relationship":
                    target = element.get("Target", "")
                    targets[element.get("Id", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        self._sheet_parts = {name: targets[rel] for name, rel in declared if targets.get(rel) in self.names}
        if not self._sheet_parts:
            raise DomainError(XlsxError.NOT_XLSX, detail="no worksheet")
        return self._sheet_parts

    def sheet_names(self) -> list[str]:
        return list(self._sheets())

    def _sheet(self, name: str | None) -> str:
        sheets = self._sheets()
        if name is None:
            return next(iter(sheets.values()))
        if name not in sheets:
            raise DomainError(XlsxError.NOT_XLSX, detail=f"no sheet {name!r}")
        return sheets[name]

    def _shared_strings(self) -> list[str]:
        strings: list[str] = []
        if "xl/sharedStrings.xml" not in self.names:
            return strings
        parts: list[str] = []
        root: Any = None
        for event, element in self._events("xl/sharedStrings.xml", ("start", "end")):
            if event == "start":
                root = element if root is None else root
                continue
            if element.tag == f"{NS}t":
                parts.append(element.text or "")
            elif element.tag == f"{NS}si":
                text = "".join(parts)
                parts = []
                if len(text) > self.limits.max_cell_chars:
                    raise DomainError(XlsxError.CELL_TOO_LONG, limit=self.limits.max_cell_chars, row="?")
                strings.append(text)
                if len(strings) > self.limits.max_cells:
                    raise DomainError(XlsxError.TOO_MANY_CELLS, limit=self.limits.max_cells)
                root.clear()
        return strings

    def _date_styles(self) -> set[int]:
        if "xl/styles.xml" not in self.names:
            return set()
        custom: dict[int, str] = {}
        formats: list[int] = []
        in_cell_xfs = False
        for event, element in self._events("xl/styles.xml", ("start", "end")):
            if element.tag == f"{NS}cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and element.tag == f"{NS}numFmt":
                custom[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "start" and in_cell_xfs and element.tag == f"{NS}xf":
                formats.append(int(element.get("numFmtId", "0")))
        return {index for index, fmt in enumerate(formats)
                if fmt in DATE_FORMAT_IDS or (fmt in custom and _is_date_format(custom[fmt]))}

    # --- rows ---------------------------------------------------------------------------------------------
    def _date(self, serial: float) -> datetime:
        base = datetime(1904, 1, 1) if self.date1904 else datetime(1899, 12, 30)  # noqa: DTZ001 - Excel has no zones
        return base + timedelta(days=serial)

    def rows(self, sheet_name: str | None = None) -> Iterator[list[Any]]:
        """The rows of a sheet (the first one when no name is given)."""
        sheet = self._sheet(sheet_name)
        if self._strings is None:
            self._strings = self._shared_strings()
            self._dates = self._date_styles()
        strings, dates = self._strings, self._dates
        cells = 0
        parent: Any = None
        limit_chars = self.limits.max_cell_chars
        row: list[Any] = []
        row_number = 0
        value: Any = None
        text_parts: list[str] = []
        for event, element in self._events(sheet, ("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{NS}row":
                    row = []
                    row_number = int(element.get("r", row_number + 1))
                elif tag == f"{NS}sheetData":
                    parent = element
                continue
            if tag == f"{NS}v":
                value = element.text
            elif tag == f"{NS}t":
                text_parts.append(element.text or "")
            elif tag == f"{NS}c":
                cells += 1
                if cells > self.limits.max_cells:
                    raise DomainError(XlsxError.TOO_MANY_CELLS, limit=self.limits.max_cells)
                kind = element.get("t", "n")
                reference = element.get("r")
                column = _column(reference) if reference else len(row)
                if kind == "inlineStr":
                    value = "".join(text_parts)
                cell = self._value(kind, value, strings, int(element.get("s", "0")) in dates)
                if isinstance(cell, str) and len(cell) > limit_chars:
                    raise DomainError(XlsxError.CELL_TOO_LONG, limit=limit_chars, row=row_number)
                if column >= len(row):
                    row.extend([None] * (column - len(row) + 1))
                row[column] = cell
                value, text_parts = None, []
                element.clear()
            elif tag == f"{NS}row":
                yield row
                if parent is not None:
                    parent.clear()  # rows already read are dropped: memory does not grow with the sheet

    def _value(self, kind: str, raw: str | None, strings: list[str], is_date: bool) -> Any:
        if raw is None:
            return None
        if kind == "s":
            try:
                return strings[int(raw)]
            except (ValueError, IndexError):
                raise DomainError(XlsxError.NOT_XLSX, detail=f"a cell refers to text {raw!r} that is not there") \
                    from None
        if kind in ("str", "inlineStr", "e"):
            return raw
        if kind == "b":
            return raw == "1"
        try:
            number = float(raw)
        except ValueError:
            return raw
        if is_date:
            try:
                return self._date(number)
            except OverflowError:
                return raw
        return int(number) if number.is_integer() and "." not in raw and "E" not in raw.upper() else number

    def count_rows(self, sheet_name: str | None = None) -> int:
        """Rows of a sheet, from its dimension tag when present (no second pass over the data)."""
        sheet = self._sheet(sheet_name)
        for _event, element in self._events(sheet, ("start",)):
            if element.tag == f"{NS}dimension":
                last = element.get("ref", "").split(":")[-1]
                digits = "".join(ch for ch in last if ch.isdigit())
                return int(digits) if digits else 0
            if element.tag == f"{NS}sheetData":
                break
        return 0
