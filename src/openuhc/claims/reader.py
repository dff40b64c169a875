"""Reading one submission (a zip or a folder of the 17 pipe-delimited files) safely and in bounded memory.

    with read_submission(path) as parsed:
        parsed.problems            # file-level and line-level problems found while reading
        parsed.usable              # False when a file-level problem makes the submission unreadable
        parsed.connection          # DuckDB with a view raw_<file> per file (typed columns typed, plus _row)
        parsed.table("OPD")        # typed Arrow record batches (dates date32, money decimal128(16,2), ...)

How: a zip is checked (member count, declared and actual sizes, compression ratio, no absolute or '..'
names) and unpacked into a private work folder with a byte budget; each file's encoding is detected (or
taken as declared) in a streaming pass; its header line is checked; then pyarrow's streaming CSV reader
hands its record batches (4 MB of text at a time; the columns the rules read trimmed by pyarrow) straight to
DuckDB, which types them as they arrive (typing_sql) into one table per file — DuckDB keeps its memory under a
limit and spills to the work folder, so memory does not grow with the file. Validation (rules.py) runs as SQL in
that DuckDB, with a memory limit and spilling to disk. The reader never raises on bad input: every problem
becomes a `Problem`.
"""

from __future__ import annotations

import codecs
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from openuhc.claims import formats
from openuhc.claims.errors import FILE_LEVEL, ClaimError
from openuhc.claims.problems import Problem
from openuhc.claims.typing_sql import SPACES, rule_columns, select_sql

CHUNK = 1 << 20
BLOCK = 4 << 20
# Two Thai letters in UTF-8 (E0 B8/B9 xx, twice): in TIS-620 text that byte pattern practically never occurs.
_UTF8_THAI = re.compile(rb"(?:\xe0[\xb8\xb9][\x80-\xbf]){2}")


@dataclass(frozen=True)
class Limits:
    """Refuse archives beyond these (zip bombs, runaway exports). Set from claims parameters by the services."""

    max_total_bytes: int = 8 << 30  # all unpacked files together
    max_members: int = 200
    max_ratio: int = 200  # unpacked / packed size of one member (text compresses about 10:1)
    ratio_floor_bytes: int = 1 << 20  # members smaller than this are not ratio-checked
    max_bad_lines: int = 10_000  # beyond this a file is refused as a whole
    duckdb_memory: str = "512MB"


@dataclass
class ParsedFile:
    name: str
    member: str
    table: str  # the DuckDB table holding the file's good rows, typed (typing_sql.create_table_sql), with _row
    columns: list[str]
    encoding: str
    rows: int = 0
    bad_lines: list[int] = field(default_factory=list)  # physical line numbers skipped (wrong field count)
    size: int = 0

    def line_of(self, row: int) -> int:
        """The physical line (1 = header) of the row-th good row."""
        line = row + 2
        for bad in self.bad_lines:  # sorted; short in practice (bounded by Limits.max_bad_lines)
            if bad <= line:
                line += 1
            else:
                break
        return line


# What zipfile raises on a corrupt, encrypted or exotic archive (found by the fuzz target): all mean "unreadable".
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
               NotImplementedError, zlib.error, KeyError, IndexError, OverflowError, UnicodeDecodeError)


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


SMALL_SUBMISSION_BYTES = 16 << 20  # below this DuckDB checks it with one thread


@dataclass
class ParsedSubmission:
    workdir: Path
    files: dict[str, ParsedFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    unpacked_bytes: int = 0
    _connection: Any = None
    limits: Limits = field(default_factory=Limits)

    @property
    def usable(self) -> bool:
        return not any(p.error in FILE_LEVEL for p in self.problems)

    @property
    def encodings(self) -> dict[str, str]:
        return {name: f.encoding for name, f in self.files.items()}

    @property
    def row_count(self) -> int:
        return sum(f.rows for f in self.files.values())

    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._connection is None:
            self._connection = _connect(self)
            _raw_views(self)
        return self._connection

    def table(self, name: str) -> pa.RecordBatchReader:
        """The file's rows as typed Arrow record batches, streamed (plus `_row` and `_line`-able row index)."""
        from openuhc.claims.rules import typed_view

        return self.connection.sql(f"SELECT * FROM {typed_view(name)}").to_arrow_reader(65536)  # noqa: S608

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> ParsedSubmission:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Progress = Callable[[int], None]


def read_submission(path: Path | str, *, limits: Limits | None = None, encoding: str | None = None,
                    encodings: dict[str, str] | None = None, on_bytes: Progress | None = None) -> ParsedSubmission:
    """Read a zip file or a folder. `encoding`/`encodings` declare the text encoding (all files / per file);
    without them it is detected per file. `on_bytes(n)` is told how many bytes were read, for progress."""
    limits = limits or Limits()
    parsed = ParsedSubmission(workdir=Path(tempfile.mkdtemp(prefix="openuhc-claims-")), limits=limits)
    try:
        members = _unpack(Path(path), parsed.workdir / "in", limits, parsed.problems)
    except _Refused as refused:
        parsed.problems.append(refused.problem)
        return parsed
    parsed.members = [m for m, _ in members]
    parsed.unpacked_bytes = sum(p.stat().st_size for _, p in members)
    chosen: dict[str, tuple[str, Path]] = {}
    for member, file_path in members:
        name = formats.file_name_of(member)
        if name is None:
            parsed.problems.append(Problem(ClaimError.FILE_UNKNOWN, params={"value": member}))
            continue
        if name in chosen:
            parsed.problems.append(Problem(ClaimError.FILE_DUPLICATE, file=name,
                                           params={"value": f"{chosen[name][0]}, {member}"}))
            continue
        chosen[name] = (member, file_path)
    for name, (member, file_path) in sorted(chosen.items()):
        declared = (encodings or {}).get(name) or encoding
        parsed_file = _read_file(parsed, name, member, file_path, declared, on_bytes)
        if parsed_file is not None:
            parsed.files[name] = parsed_file
        if parsed.workdir in file_path.parents:
            file_path.unlink(missing_ok=True)  # our unpacked copy: the DuckDB table is what the checks read
    if parsed._connection is not None:
        _raw_views(parsed)
    return parsed


# --- unpacking ---------------------------------------------------------------------------------------------

def _unsafe(name: str) -> bool:
    text = name.replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return True
    return ".." in PurePosixPath(text).parts


def _unpack(source: Path, target: Path, limits: Limits, problems: list[Problem]) -> list[tuple[str, Path]]:
    target.mkdir(parents=True)
    if source.is_dir():
        found = []
        for index, item in enumerate(sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink())):
            if item.name.startswith("."):
                continue
            if index >= limits.max_members:
                raise _Refused(Problem(ClaimError.ARCHIVE_TOO_LARGE, params={
                    "detail": f"more than {limits.max_members} files",
                    "detail_th": f"มีไฟล์มากกว่า {limits.max_members} ไฟล์"}))
            found.append((item.relative_to(source).as_posix(), item))
        return found
    if not source.is_file():
        raise _Refused(Problem(ClaimError.ARCHIVE_UNREADABLE, params={"detail": "no such file or folder",
                                                                       "detail_th": "ไม่พบไฟล์หรือโฟลเดอร์"}))
    try:
        archive = zipfile.ZipFile(source)
    except _ZIP_ERRORS as error:
        raise _Refused(Problem(ClaimError.ARCHIVE_UNREADABLE, params={
            "detail": f"not a zip file: {type(error).__name__}", "detail_th": "ไม่ใช่ไฟล์ zip"})) from None
    with archive:
        return _unzip(archive, target, limits)


def _too_large(detail: str, detail_th: str) -> _Refused:
    return _Refused(Problem(ClaimError.ARCHIVE_TOO_LARGE, params={"detail": detail, "detail_th": detail_th}))


def _unzip(archive: zipfile.ZipFile, target: Path, limits: Limits) -> list[tuple[str, Path]]:
    try:
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except _ZIP_ERRORS as error:
        raise _Refused(Problem(ClaimError.ARCHIVE_UNREADABLE, params={
            "detail": f"damaged zip: {type(error).__name__}",
            "detail_th": "ไฟล์ zip เสียหาย อ่านรายการไฟล์ไม่ได้"})) from None
    if len(infos) > limits.max_members:
        raise _too_large(f"{len(infos)} files, more than {limits.max_members}",
                         f"มี {len(infos)} ไฟล์ เกิน {limits.max_members} ไฟล์")
    for info in infos:
        if _unsafe(info.filename):
            raise _Refused(Problem(ClaimError.ARCHIVE_UNSAFE_PATH, params={"value": info.filename[:200]}))
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_total_bytes:
        raise _too_large(f"{declared:,} bytes unpacked, more than {limits.max_total_bytes:,}",
                         f"ขนาดเมื่อแตกไฟล์ {declared:,} ไบต์ เกิน {limits.max_total_bytes:,} ไบต์")
    found, budget = [], limits.max_total_bytes
    for number, info in enumerate(infos):
        if info.file_size > limits.ratio_floor_bytes and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            fold = info.file_size // max(info.compress_size, 1)
            raise _too_large(f"{info.filename[:100]} expands {fold}-fold (a zip bomb?)",
                             f"{info.filename[:100]} ขยายตัว {fold} เท่า (อาจเป็น zip bomb)")
        out = target / f"{number:04d}"
        written = 0
        try:
            with archive.open(info) as src, out.open("wb") as dst:
                while chunk := src.read(CHUNK):
                    written += len(chunk)
                    # Declared sizes can lie: count what really comes out.
                    if written > info.file_size or written > budget:
                        raise _too_large(f"{info.filename[:100]} unpacks to more than it declares or than the limit",
                                         f"{info.filename[:100]} แตกไฟล์แล้วใหญ่กว่าที่ระบุหรือเกินขีดจำกัด")
                    dst.write(chunk)
        except _ZIP_ERRORS as error:
            # RuntimeError: encrypted member; NotImplementedError: unknown compression method.
            raise _Refused(Problem(ClaimError.ARCHIVE_UNREADABLE, params={
                "detail": f"{info.filename[:100]}: {type(error).__name__}",
                "detail_th": f"{info.filename[:100]}: อ่านไม่ได้"})) from None
        budget -= written
        found.append((info.filename, out))
    return found


# --- encoding ----------------------------------------------------------------------------------------------

def detect_encoding(path: Path) -> tuple[str | None, int | None, bool]:
    """('utf8' | 'cp874' | None, offset of the first undecodable byte, mixed?) in streaming passes.

    UTF-8 is tried first, alone: a file that is valid UTF-8 cannot be mixed, and decoding is fast. Only a
    file that is not UTF-8 is read again as TIS-620 and searched for UTF-8 Thai (the mixed case) — the
    search is the slow part, so the common all-UTF-8 submission never pays for it."""
    utf8_bad_at = _check_declared(path, "utf-8")
    if utf8_bad_at is None:
        return "utf8", None, False
    thai = codecs.getincrementaldecoder("cp874")()
    thai_bad_at = None
    saw_utf8_thai = False
    offset = 0
    tail = b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            final = not chunk
            if thai_bad_at is None:
                try:
                    thai.decode(chunk, final)
                except UnicodeDecodeError as error:
                    thai_bad_at = offset + max(error.start, 0)
            # A cheap test first: UTF-8 Thai always holds E0 B8 or E0 B9.
            if not saw_utf8_thai:
                data = tail + chunk
                if (b"\xe0\xb8" in data or b"\xe0\xb9" in data) and _UTF8_THAI.search(data):
                    saw_utf8_thai = True
            if final or (saw_utf8_thai and thai_bad_at is not None):
                break
            tail = chunk[-5:]
            offset += len(chunk)
    if thai_bad_at is None:
        return "cp874", None, saw_utf8_thai
    return None, min(utf8_bad_at, thai_bad_at), saw_utf8_thai


_CODEC = {"utf8": "utf8", "utf-8": "utf8", "utf_8": "utf8", "utf-8-sig": "utf8", "tis-620": "cp874",
          "tis620": "cp874", "cp874": "cp874", "windows-874": "cp874", "iso-8859-11": "cp874"}


def _check_declared(path: Path, encoding: str) -> int | None:
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            try:
                decoder.decode(chunk, not chunk)
            except UnicodeDecodeError as error:
                return offset + max(error.start, 0)
            if not chunk:
                return None
            offset += len(chunk)


# --- one file ----------------------------------------------------------------------------------------------

def _first_line(path: Path, limit: int = 65536) -> tuple[bytes, int]:
    """The header line's bytes and how many bytes it takes with its line end."""
    with path.open("rb") as handle:
        head = handle.read(limit)
    match = re.search(rb"\r\n|\n|\r", head)
    if match is None:
        return head, len(head)
    return head[:match.start()], match.end()


def _read_file(parsed_submission: ParsedSubmission, name: str, member: str, path: Path, declared: str | None,
               on_bytes: Progress | None) -> ParsedFile | None:
    problems, limits = parsed_submission.problems, parsed_submission.limits
    spec = formats.FILES[name]
    size = path.stat().st_size
    if size == 0:
        problems.append(Problem(ClaimError.FILE_EMPTY, file=name))
        return None
    if declared:
        encoding = _CODEC.get(declared.lower().replace(" ", ""), declared)
        try:
            codecs.lookup(encoding)
        except LookupError:
            encoding = "utf8"
        bad_at = _check_declared(path, encoding)
        if bad_at is not None:
            problems.append(Problem(ClaimError.ENCODING, file=name, params={"value": bad_at}))
            return None
    else:
        encoding, bad_at, mixed = detect_encoding(path)
        if mixed:
            problems.append(Problem(ClaimError.MIXED_ENCODING, file=name))
            return None
        if encoding is None:
            problems.append(Problem(ClaimError.ENCODING, file=name, params={"value": bad_at}))
            return None
    raw_header, _ = _first_line(path)
    header_text = raw_header.decode(encoding, errors="replace").lstrip("\ufeff")
    columns = [c.strip().upper() for c in header_text.split("|")]
    known = set(spec.known)
    if not known.intersection(columns):
        problems.append(Problem(ClaimError.HEADER_MISSING, file=name, line=1,
                                params={"value": header_text[:60]}))
        return None
    seen: set[str] = set()
    fine = True
    for index, column in enumerate(columns):
        if not column:
            columns[index] = column = f"COL{index + 1}"  # a trailing '|' names an empty column: keep it
        elif column.startswith("_") or column == "FILE_ROW_NUMBER" or '"' in column:
            # Names the checks use for themselves; an extra column so named is kept under another name.
            columns[index] = column = "X" + column.replace('"', "")
        if column in seen:
            problems.append(Problem(ClaimError.COLUMN_DUPLICATE, file=name, line=1, field=column))
            fine = False
        seen.add(column)
    for column in spec.required:
        if column not in seen:
            problems.append(Problem(ClaimError.COLUMN_MISSING, file=name, line=1, field=column))
            fine = False
    if not fine:
        return None
    parsed = ParsedFile(name=name, member=member, table=f"t_{name.lower()}", columns=columns,
                        encoding="utf-8" if encoding == "utf8" else encoding, size=size)
    if parsed_submission._connection is None:
        parsed_submission._connection = _connect(parsed_submission)
    if not _ingest(parsed_submission._connection, parsed, path, limits, problems, on_bytes):
        return None
    return parsed


# Row numbers for one batch are a slice of this, shifted by the batch's offset (no per-row Python work).
_ROW_BASE = pa.array(range(1 << 17), pa.int64())


def _row_numbers(offset: int, count: int) -> pa.Array:
    parts = []
    while count > 0:
        step = min(count, len(_ROW_BASE))
        parts.append(pc.add(_ROW_BASE.slice(0, step), pa.scalar(offset, pa.int64())))
        offset, count = offset + step, count - step
    return pa.concat_arrays(parts) if len(parts) != 1 else parts[0]


def _ingest(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, source: Path, limits: Limits,
            problems: list[Problem], on_bytes: Progress | None, *, threads: bool = True) -> bool:
    """Stream the file's record batches from pyarrow's CSV reader straight into a DuckDB table (no copy in
    between): all text, plus `_row`, the row's index among the file's good rows.

    pyarrow parses blocks on both cores (`threads`), but then it cannot tell the line number of a bad line: a
    file with any line of the wrong field count (or a blank line) is therefore read again on one thread, which
    knows the numbers. Most files have none and are read once."""
    name = parsed.name
    too_many = False
    again = False

    def invalid(row: Any) -> str:
        nonlocal too_many, again
        if threads:
            again = True
            return "skip"
        if len(parsed.bad_lines) >= limits.max_bad_lines:
            too_many = True
            return "skip"
        line = row.number if row.number is not None else -1
        parsed.bad_lines.append(line)
        if row.actual_columns != 1 or (row.text or "").strip():
            problems.append(Problem(ClaimError.FIELD_COUNT, file=name, line=line,
                                    params={"value": row.actual_columns, "expected": row.expected_columns}))
        return "skip"

    schema = pa.schema([pa.field(c, pa.string()) for c in parsed.columns] + [pa.field("_row", pa.int64())])
    # The columns the rules read are trimmed here, as trim() in the typing SELECT would (select_sql's `trimmed`).
    narrow = set(rule_columns(formats.FILES[name], parsed.columns))
    trim = [column in narrow for column in parsed.columns]
    count = 0
    try:
        reader = pacsv.open_csv(
            str(source),
            read_options=pacsv.ReadOptions(use_threads=threads, block_size=BLOCK, skip_rows=1,
                                           column_names=parsed.columns, encoding=parsed.encoding),
            parse_options=pacsv.ParseOptions(delimiter="|", quote_char=False, escape_char=False,
                                             newlines_in_values=False, ignore_empty_lines=False,
                                             invalid_row_handler=invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(parsed.columns, pa.string()),
                                                 strings_can_be_null=False, null_values=[],
                                                 quoted_strings_can_be_null=False),
        )

        def batches() -> Any:
            nonlocal count
            while True:
                try:
                    batch = reader.read_next_batch()
                except StopIteration:
                    return
                if too_many or again:
                    return
                columns = [pc.utf8_trim(array, characters=SPACES) if trimmed else array
                           for array, trimmed in zip(batch.columns, trim, strict=True)]
                yield pa.RecordBatch.from_arrays([*columns, _row_numbers(count, batch.num_rows)], schema=schema)
                count += batch.num_rows
                if on_bytes is not None:
                    on_bytes(batch.nbytes)

        con.register("_incoming", pa.RecordBatchReader.from_batches(schema, batches()))
        try:
            # Typed as it arrives, into the one table the checks read (no raw copy to type again later).
            con.execute(f"CREATE TABLE {parsed.table} AS "
                        f"{select_sql(name, parsed.columns, '_incoming', trimmed=True)}")
        finally:
            con.unregister("_incoming")
    except (pa.ArrowException, duckdb.Error, UnicodeDecodeError, OSError, ValueError) as error:
        con.execute(f'DROP TABLE IF EXISTS "{parsed.table}"')
        problems.append(Problem(ClaimError.FILE_BROKEN, file=name, params={
            "detail": f"{type(error).__name__}: {str(error)[:160]}",
            "detail_th": "ข้อมูลในแฟ้มมีรูปแบบที่อ่านไม่ได้"}))
        return False
    if again:
        con.execute(f'DROP TABLE IF EXISTS "{parsed.table}"')
        return _ingest(con, parsed, source, limits, problems, on_bytes, threads=False)
    if too_many:
        con.execute(f'DROP TABLE IF EXISTS "{parsed.table}"')
        problems.append(Problem(ClaimError.FILE_BROKEN, file=name, params={
            "detail": f"more than {limits.max_bad_lines:,} lines have the wrong number of fields",
            "detail_th": f"มีบรรทัดที่จำนวนฟิลด์ไม่ถูกต้องเกิน {limits.max_bad_lines:,} บรรทัด"}))
        return False
    parsed.bad_lines.sort()
    parsed.rows = count
    return True


def _connect(parsed: ParsedSubmission) -> duckdb.DuckDBPyConnection:
    """A DuckDB database file in the private work folder: tables live on disk, memory is capped, and large
    sorts and joins spill to the same folder."""
    spill = parsed.workdir / "duckdb"
    spill.mkdir(exist_ok=True)
    # A month's typical file (a few MB) is done in some 200 small statements, where a second thread costs more CPU
    # in scheduling than it saves; a large one is worth both cores.
    threads = 1 if parsed.unpacked_bytes < SMALL_SUBMISSION_BYTES else 2
    return duckdb.connect(":memory:", config={
        "memory_limit": parsed.limits.duckdb_memory, "threads": threads, "temp_directory": str(spill),
        "preserve_insertion_order": False})


def _raw_views(parsed: ParsedSubmission) -> None:
    """raw_<file> for every one of the 17 files: the file's rows (every known column, NULL where the file
    has no such column; typed where the column has a type), or an empty all-text view when the file was not
    sent."""
    con = parsed._connection
    for name, spec in formats.FILES.items():
        view = f"raw_{name.lower()}"
        parsed_file = parsed.files.get(name)
        if parsed_file is None:
            columns = ", ".join(f'CAST(NULL AS VARCHAR) AS "{c}"' for c in spec.known)
            con.execute(f"CREATE OR REPLACE VIEW {view} AS SELECT {columns}, CAST(NULL AS BIGINT) AS _row "
                        "WHERE false")
            continue
        con.execute(f'CREATE OR REPLACE VIEW {view} AS SELECT * FROM "{parsed_file.table}"')  # noqa: S608
