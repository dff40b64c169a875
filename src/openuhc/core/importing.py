"""Bulk import of tables from CSV or Excel: every bad row reported, nothing stored half-way.

An `Importer` names its columns, checks one row at a time and writes the clean rows. `run_import`
reads the file, checks the header, checks every row (collecting every problem as row, field, reason),
and only when the whole file is clean writes it in one transaction. A file with any bad row stores
nothing: the user fixes the rows named in the report and sends the file again.
"""

from __future__ import annotations

import csv
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from openuhc.core.errors import Coded, DomainError
from openuhc.core.exports import csv_text
from openuhc.core.jobs import NullProgress, Progress
from openuhc.core.xlsx import Limits, XlsxError, XlsxReader

MAX_ERRORS_KEPT = 10_000


class ImportError_(Coded):
    EMPTY_FILE = ("import_empty_file", "The file is empty: it has no header line.", "ไฟล์ว่าง ไม่มีบรรทัดหัวตาราง")
    NO_ROWS = ("import_no_rows", "The file has a header but no data rows.", "ไฟล์มีหัวตารางแต่ไม่มีข้อมูล")
    UNSUPPORTED = (
        "import_unsupported_format",
        "Send a .csv or .xlsx file (this one is {suffix}).",
        "กรุณาส่งไฟล์ .csv หรือ .xlsx (ไฟล์นี้เป็น {suffix})",
    )
    UNREADABLE = (
        "import_unreadable",
        "The file could not be read as {kind}: {detail}",
        "อ่านไฟล์เป็น {kind} ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ชนิดนี้",
    )
    MISSING_COLUMNS = (
        "import_missing_columns",
        "Required columns are missing: {missing}. The columns are: {expected}.",
        "ไม่มีคอลัมน์ที่จำเป็น: {missing} คอลัมน์ที่ต้องมีคือ {expected}",
    )
    UNKNOWN_COLUMNS = (
        "import_unknown_columns",
        "Columns not understood: {unknown}. Accepted columns are: {expected}.",
        "คอลัมน์ที่ไม่รู้จัก: {unknown} คอลัมน์ที่รับได้คือ {expected}",
    )
    DUPLICATE_COLUMN = (
        "import_duplicate_column", "The column {column} appears twice in the header.", "คอลัมน์ {column} ซ้ำในหัวตาราง"
    )
    REQUIRED = ("import_required", "This field is required.", "ต้องกรอกช่องนี้")
    DUPLICATE_ROW = (
        "import_duplicate_row",
        "Same {what} as row {first_row}: each may appear only once in a file.",
        "{what_th} ซ้ำกับแถวที่ {first_row} ในไฟล์เดียวกันมีได้เพียงครั้งเดียว",
    )
    WRONG_FIELD_COUNT = (
        "import_field_count",
        "This row has {found} fields; the header has {expected}.",
        "แถวนี้มี {found} ช่อง แต่หัวตารางมี {expected} ช่อง",
    )


@dataclass
class RowError:
    row: int  # line number in the file counting the header as 1; 0 = the whole file
    field: str
    code: str
    message_en: str
    message_th: str

    @classmethod
    def of(cls, row: int, field_name: str, error: DomainError) -> RowError:
        return cls(row, field_name, error.code, error.message_en, error.message_th)


@dataclass
class ImportReport:
    kind: str
    file_name: str
    rows_read: int = 0
    rows_ok: int = 0
    written: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(error)

    def as_dict(self, *, max_errors: int = 500) -> dict[str, Any]:
        return {
            "kind": self.kind, "file_name": self.file_name, "rows_read": self.rows_read, "rows_ok": self.rows_ok,
            "written": self.written, "error_count": self.error_count, "dry_run": self.dry_run,
            "errors": [asdict(e) for e in self.errors[:max_errors]],
            "errors_truncated": self.error_count > max_errors,
        }

    def errors_csv(self) -> str:
        # field names and messages quote the uploaded file: escaped against formula injection
        return csv_text(["row", "field", "code", "message_en", "message_th"],
                        ([e.row, e.field, e.code, e.message_en, e.message_th] for e in self.errors))


class RowFailure(Exception):
    """Raised by `Importer.write` when the store refuses a row (e.g. an overlap found only in order)."""

    def __init__(self, row: int, field_name: str, error: DomainError) -> None:
        super().__init__(str(error))
        self.row = row
        self.field = field_name
        self.error = error


class RowProblems:
    """Collects the problems of one row; `check` turns a DomainError into a RowError for a field."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.items: list[RowError] = []

    def add(self, field_name: str, error: DomainError) -> None:
        self.items.append(RowError.of(self.row, field_name, error))

    def require(self, values: dict[str, str], *names: str) -> bool:
        ok = True
        for name in names:
            if not values.get(name, "").strip():
                self.add(name, DomainError(ImportError_.REQUIRED))
                ok = False
        return ok

    def check(self, field_name: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DomainError as error:
            self.add(field_name, error)
            return None


class Importer(ABC):
    kind: str = ""
    title_en: str = ""
    title_th: str = ""
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    duplicate_what_en: str = "key"
    duplicate_what_th: str = "คีย์"

    def __init__(self, *, actor: Any = None) -> None:
        self.actor = actor

    def prepare(self) -> None:  # noqa: B027 - optional hook
        """Load lookups once (codes that exist, IDs already stored) before rows are checked."""

    def row_key(self, values: dict[str, str]) -> Any:
        """A key that must be unique within the file (None: no check)."""
        return None

    @abstractmethod
    def check_row(self, values: dict[str, str], problems: RowProblems) -> Any:
        """Return the cleaned row, or anything at all after adding problems (it is then discarded)."""

    @abstractmethod
    def write(self, rows: list[tuple[int, Any]], progress: Progress) -> int:
        """Store the clean rows, given as (line, cleaned row); runs inside one transaction.

        Returns how many records were written. A row the store refuses raises `RowFailure`: the whole
        file is then rolled back and the row reported.
        """


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class TableFile:
    """Rows of a CSV (UTF-8, UTF-8 with BOM, or TIS-620/CP874) or an .xlsx file, as text."""

    def __init__(self, path: Path, display_name: str | None = None) -> None:
        self.path = Path(path)
        self.name = display_name or self.path.name
        self.suffix = self.path.suffix.lower()
        if self.suffix not in (".csv", ".txt", ".xlsx"):
            raise DomainError(ImportError_.UNSUPPORTED, suffix=self.suffix or "?")
        self.encoding = self._detect_encoding() if self.suffix != ".xlsx" else None

    def _detect_encoding(self) -> str:
        # Decode the whole file once in a streaming way: a file that is UTF-8 everywhere is UTF-8,
        # anything else is read as CP874 (TIS-620's superset, what Thai Windows exports).
        try:
            with self.path.open(encoding="utf-8-sig", errors="strict") as handle:
                for _chunk in iter(lambda: handle.read(1 << 20), ""):
                    pass
            return "utf-8-sig"
        except UnicodeDecodeError:
            return "cp874"

    def count_rows(self) -> int:
        if self.suffix == ".xlsx":
            with XlsxReader(self.path) as book:
                return max(0, book.count_rows() - 1)
        with self.path.open("rb") as handle:
            return max(0, sum(1 for line in handle if line.strip()) - 1)

    def rows(self) -> Iterator[list[str]]:
        if self.suffix == ".xlsx":
            yield from self._xlsx_rows()
            return
        longest = Limits.current().max_cell_chars
        try:
            with self.path.open(encoding=self.encoding, errors="replace", newline="") as handle:
                for number, row in enumerate(csv.reader(handle), start=1):
                    if any(len(cell) > longest for cell in row):
                        raise DomainError(XlsxError.CELL_TOO_LONG, limit=longest, row=number)
                    yield [cell.strip() for cell in row]
        except csv.Error as error:
            raise DomainError(ImportError_.UNREADABLE, kind="CSV", detail=str(error)) from None

    def _xlsx_rows(self) -> Iterator[list[str]]:
        # streamed within limits (core/xlsx.py): openpyxl would load every shared string first
        with XlsxReader(self.path) as book:
            for row in book.rows():
                yield [_cell_text(value) for value in row]


def run_import(
    importer: Importer, path: Path, *, progress: Progress | None = None, dry_run: bool = False,
    display_name: str | None = None,
) -> ImportReport:
    progress = progress or NullProgress()
    table = TableFile(path, display_name)
    report = ImportReport(kind=importer.kind, file_name=table.name, dry_run=dry_run)
    rows = table.rows()
    header = next(rows, None)
    while header is not None and not any(header):
        header = next(rows, None)
    if header is None:
        report.add(RowError.of(0, "", DomainError(ImportError_.EMPTY_FILE)))
        return report
    header = [h.strip().lower().lstrip("\ufeff") for h in header]
    while header and header[-1] == "":
        header.pop()
    accepted = importer.required + importer.optional
    expected_text = ", ".join(accepted)
    seen: set[str] = set()
    for name in header:
        if name in seen:
            report.add(RowError.of(1, name, DomainError(ImportError_.DUPLICATE_COLUMN, column=name)))
        seen.add(name)
    missing = [c for c in importer.required if c not in header]
    unknown = [c for c in header if c not in accepted]
    if missing:
        report.add(RowError.of(1, ", ".join(missing), DomainError(
            ImportError_.MISSING_COLUMNS, missing=", ".join(missing), expected=expected_text)))
    if unknown:
        report.add(RowError.of(1, ", ".join(unknown), DomainError(
            ImportError_.UNKNOWN_COLUMNS, unknown=", ".join(unknown), expected=expected_text)))
    if not report.ok:
        return report

    importer.prepare()
    progress.stage("check", table.count_rows())
    cleaned: list[Any] = []
    first_seen: dict[Any, int] = {}
    line = 1
    for raw in rows:
        line += 1
        progress.advance()
        if not any(raw):
            continue
        report.rows_read += 1
        problems = RowProblems(line)
        while len(raw) > len(header) and raw[-1] == "":
            raw = raw[:-1]
        if len(raw) > len(header):
            problems.add("", DomainError(ImportError_.WRONG_FIELD_COUNT, found=len(raw), expected=len(header)))
        else:
            values = dict(zip(header, raw + [""] * (len(header) - len(raw)), strict=True))
            result = importer.check_row(values, problems)
            key = importer.row_key(values) if not problems.items else None
            if key is not None:
                if key in first_seen:
                    problems.add("", DomainError(
                        ImportError_.DUPLICATE_ROW, first_row=first_seen[key],
                        what=importer.duplicate_what_en, what_th=importer.duplicate_what_th))
                else:
                    first_seen[key] = line
            if not problems.items:
                cleaned.append((line, result))
        for problem in problems.items:
            report.add(problem)
    if report.rows_read == 0:
        report.add(RowError.of(0, "", DomainError(ImportError_.NO_ROWS)))
    report.rows_ok = len(cleaned)
    if not report.ok or dry_run:
        return report
    progress.stage("write", len(cleaned))
    try:
        with transaction.atomic():
            report.written = importer.write(cleaned, progress)
    except RowFailure as failure:
        # The transaction has rolled back: nothing of this file is stored. Report the row.
        report.written = 0
        report.add(RowError.of(failure.row, failure.field, failure.error))
    return report


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    """Make an importer available to `openuhc import KIND FILE` and the import page."""
    IMPORTERS[cls.kind] = cls
    return cls
