# ruff: noqa: S608 - SQL is built from constant column names, numbers and the vendor's function names; values from
# the file stay inside DuckDB or the staging table, values from Python are bound parameters.
"""The national registry file: an initial load of a civil-registration extract, then monthly deltas, set-based.

    report, record = apply_extract(Path("persons-2569-10.csv"), mode="delta", actor=user)

One row per person, as the registry should now hold them (CSV, UTF-8): the columns of the person import, plus
the scheme in force (`scheme`, `coverage_from`) and the registered units (`main_unit`, `primary_unit`,
`referral_unit`, `registered_from`). The file is read and checked in DuckDB — distinct values (dates, sex,
codes) through the same validators as the row-by-row import, so the messages are the same — and a file with any
bad row stores nothing and reports every one (row, field, code, message). A clean file is copied into a staging
table in the database and merged with set-based SQL in one transaction:

- a citizen ID the registry does not hold is a birth or a newcomer: the person is added (load: every row must be),
  with one `person_added` event that names the scheme and units they were added with;
- changed details (names, title, sex, birth date, address sub-district = a move, a corrected death date) update
  the person, with a `person_changed` event holding the fields that change, as they were;
- a death date where none was recorded is a death (`death_recorded`);
- a scheme other than the open coverage's closes that coverage the day before `coverage_from` and opens the new
  one (`coverage_closed`, `coverage_added`); a period that would overlap a recorded one is refused;
- units other than the registration in force are a new registration from `registered_from` (`registered`).
  The counter's limit on changes of unit per year (services.register) is not applied: the file is the record of
  registrations the scheme has already made. A registration dated before the one in force is refused.
- an empty death date never clears a recorded death, and an empty scheme or unit leaves what is recorded.

Every run is kept as a `RegistryImport` (file, checksum, counts); the same file is applied once per mode.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from openuhc.core import bulk, pgcopy
from openuhc.core.dates import parse_date, today
from openuhc.core.errors import DomainError
from openuhc.core.importing import MAX_ERRORS_KEPT, ImportError_, ImportReport, RowError
from openuhc.core.jobs import NullProgress, Progress
from openuhc.core.pgcopy import Same
from openuhc.country.packs import active
from openuhc.geo.errors import GeoError
from openuhc.geo.models import Subdistrict
from openuhc.providers.models import HealthUnit
from openuhc.registry import services
from openuhc.registry.errors import RegistryError
from openuhc.registry.ids import validate_citizen_id
from openuhc.registry.models import RegistryEvent, RegistryImport, Scheme

REQUIRED = ("citizen_id", "first_name_th", "last_name_th", "sex", "birth_date", "subdistrict_code")
OPTIONAL = ("title", "first_name_en", "last_name_en", "death_date", "scheme", "coverage_from", "main_unit",
            "primary_unit", "referral_unit", "registered_from")
UNITS = ("main_unit", "primary_unit", "referral_unit")
DATES = ("birth_date", "death_date", "coverage_from", "registered_from")
STAGED = "registry_staged"
_LOADED_BLOCK = 500_000  # lines of a first load's rows made at a time (while the database copies the block before)
DUCKDB_MEMORY = "1GB"  # DuckDB's cap while it checks the file; what does not fit goes to disk
_STAGED_COLUMNS = {
    "line": "bigint", "citizen_id": "varchar(20)", "title": "varchar(50)", "first_name_th": "varchar(100)",
    "last_name_th": "varchar(100)", "first_name_en": "varchar(100)", "last_name_en": "varchar(100)",
    "sex": "smallint", "birth_date": "date", "subdistrict_id": "bigint", "death_date": "date",
    "scheme_id": "bigint", "coverage_from": "date", "coverage_close_on": "date", "main_unit_id": "bigint",
    "primary_unit_id": "bigint", "referral_unit_id": "bigint", "registered_from": "date", "scheme_code": "varchar(20)",
    "main_code": "varchar(20)", "primary_code": "varchar(20)", "referral_code": "varchar(20)",
}


class Refused(Exception):
    """The file has bad rows: nothing is stored (raised inside the transaction so that it rolls back)."""


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def apply_extract(path: Path, *, mode: str, actor: Any = None, progress: Progress | None = None,
                  display_name: str | None = None) -> tuple[ImportReport, RegistryImport]:
    """Check the file and, when every row is clean, apply it whole. Returns the report and the history row."""
    progress = progress or NullProgress()
    path = Path(path)
    name = display_name or path.name
    if path.suffix.lower() not in (".csv", ".txt"):
        raise DomainError(ImportError_.UNSUPPORTED, suffix=path.suffix or "?")
    if mode not in RegistryImport.Mode.values:
        raise ValueError(f"mode is one of {RegistryImport.Mode.values}")
    progress.stage("checksum")
    checksum = file_checksum(path)
    earlier = RegistryImport.objects.filter(sha256=checksum, mode=mode, status=RegistryImport.Status.STORED).first()
    if earlier is not None:
        raise DomainError(RegistryError.FILE_ALREADY_APPLIED, on=timezone.localdate(earlier.started_at))
    record = RegistryImport.objects.create(file_name=name[:300], sha256=checksum, mode=mode,
                                           actor=actor if getattr(actor, "pk", None) else None)
    report = ImportReport(kind=f"persons ({mode})", file_name=name)
    scratch = tempfile.TemporaryDirectory(prefix="openuhc-registry-")
    duck = scratch_connection(Path(scratch.name))
    try:
        try:
            started = time.monotonic()
            _read(duck, path, report, progress)
            read = time.monotonic()
            if report.ok:
                _check(duck, report, progress)
            if not report.ok:
                raise Refused
            checked = time.monotonic()
            with transaction.atomic():
                counts = _merge(duck, record, mode=mode, actor=record.actor_id, report=report, progress=progress)
                counts["detail"]["seconds"].update({"read": round(read - started, 2),
                                                    "check": round(checked - read, 2)})
                changed = RegistryImport.objects.filter(pk=record.pk, status=RegistryImport.Status.RUNNING).update(
                    status=RegistryImport.Status.STORED, rows_read=report.rows_read, finished_at=timezone.now(),
                    **counts)
                if changed != 1:
                    raise DomainError(RegistryError.FILE_ALREADY_APPLIED, on=today())
            report.rows_ok = report.rows_read
            report.written = counts["added"] + counts["changed"]
        except Refused:
            RegistryImport.objects.filter(pk=record.pk).update(
                status=RegistryImport.Status.REFUSED, rows_read=report.rows_read, finished_at=timezone.now(),
                refused=_refused_rows(duck, report), detail={"problems": report.error_count})
    except BaseException as error:
        if not isinstance(error, Refused):
            RegistryImport.objects.filter(pk=record.pk, status=RegistryImport.Status.RUNNING).update(
                status=RegistryImport.Status.FAILED, finished_at=timezone.now(),
                detail={"error": f"{type(error).__name__}: {error}"[:2000]})
        raise
    finally:
        duck.close()
        scratch.cleanup()
    record.refresh_from_db()
    return report, record


def scratch_connection(folder: Path) -> Any:
    """A DuckDB database file in a private scratch folder: the file's rows live on disk, memory is capped (the
    same at a thousand persons as at ten million), and large joins spill to the same folder. The rows keep the
    file's order (the line numbers depend on it)."""
    return duckdb.connect(str(folder / "registry.duckdb"), config={
        "memory_limit": DUCKDB_MEMORY, "threads": 2, "temp_directory": str(folder)})


def read_and_check(duck: Any, path: Path, report: ImportReport, progress: Progress | None = None) -> None:
    """The file read into DuckDB and checked (the first half of apply_extract, nothing written anywhere else):
    the report holds every problem; the DuckDB table `rows` the rows."""
    _read(duck, path, report, progress or NullProgress())
    if report.ok:
        _check(duck, report, progress or NullProgress())


# --- reading ----------------------------------------------------------------------------------------------------

_CSV = """read_csv(?, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"'{rejects})"""


def _read(duck: Any, path: Path, report: ImportReport, progress: Progress) -> None:
    """The file into DuckDB: `rows` (every column as trimmed text, with its line, and `cid`: the person number
    without spaces or dashes), or the header's or the rows' shape problems."""
    progress.stage("read")
    try:
        described = duck.execute(f"DESCRIBE SELECT * FROM {_CSV.format(rejects='')}", [str(path)]).fetchall()
    except duckdb.Error as error:
        report.add(RowError.of(0, "", DomainError(ImportError_.UNREADABLE, kind="CSV", detail=str(error)[:300])))
        return
    names = {c.strip().lower().lstrip("\ufeff"): c for c, *_ in described}
    header = list(names)
    expected = ", ".join(REQUIRED + OPTIONAL)
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        # A file that cannot be read whole says so rather than naming its columns.
        try:
            duck.execute(f"SELECT count(*) FROM {_CSV.format(rejects='')}", [str(path)]).fetchall()
        except duckdb.Error as error:
            report.add(RowError.of(0, "", DomainError(ImportError_.UNREADABLE, kind="CSV",
                                                      detail=str(error)[:300])))
            return
    if missing:
        report.add(RowError.of(1, "", DomainError(ImportError_.MISSING_COLUMNS, missing=", ".join(missing),
                                                  expected=expected)))
    if unknown:
        report.add(RowError.of(1, "", DomainError(ImportError_.UNKNOWN_COLUMNS, unknown=", ".join(unknown),
                                                  expected=expected)))
    if not report.ok:
        return
    columns = ", ".join(f"trim(coalesce(\"{names[c]}\", '')) AS {c}" if c in names else f"'' AS {c}"
                        for c in REQUIRED + OPTIONAL)
    # Read once (in parallel), straight into a table that keeps the file's order (DuckDB preserves insertion
    # order), so a row's position in it gives its line in the file (the header is line 1); rows of the wrong shape
    # are kept aside in reject_errors.
    try:
        duck.execute(f"""CREATE TABLE file_rows AS SELECT {columns},
                         regexp_replace(trim(coalesce("{names['citizen_id']}", '')), '[\\s\\-]', '', 'g') AS cid
                         FROM {_CSV.format(rejects=', store_rejects = true')}""", [str(path)])
    except duckdb.Error as error:
        report.add(RowError.of(0, "", DomainError(ImportError_.UNREADABLE, kind="CSV", detail=str(error)[:300])))
        return
    duck.execute("CREATE VIEW rows AS SELECT rowid + 2 AS line, * FROM file_rows")
    rejects = duck.execute("SELECT line, column_idx FROM reject_errors ORDER BY line").fetchall()
    for line, _column in rejects:
        report.add(RowError.of(line, "", DomainError(ImportError_.WRONG_FIELD_COUNT, found="?",
                                                     expected=len(header))))
    if rejects:
        return
    report.rows_read = duck.execute("SELECT count(*) FROM rows").fetchall()[0][0]
    if not report.rows_read:
        report.add(RowError.of(0, "", DomainError(ImportError_.NO_ROWS)))


# --- checking ---------------------------------------------------------------------------------------------------

def _answers(duck: Any, table: str, values: list[str], check: Callable[[str], Any]) -> None:
    """Each distinct value through a validator: DuckDB table (text, value, ok)."""
    rows: list[tuple[str, Any, bool]] = []
    for text in values:
        try:
            rows.append((text, check(text), True))
        except DomainError:
            rows.append((text, None, False))
    duck.execute(f"CREATE OR REPLACE TABLE {table} (text VARCHAR, value {_duck_type(rows)}, ok BOOLEAN)")
    _insert(duck, table, rows)


def _duck_type(rows: list[tuple[str, Any, bool]]) -> str:
    sample = next((value for _, value, ok in rows if ok and value is not None), None)
    return "DATE" if isinstance(sample, date) else "INTEGER" if isinstance(sample, int) else "VARCHAR"


def _check(duck: Any, report: ImportReport, progress: Progress) -> None:
    """Every problem of every row into the DuckDB table `problems` (line, field, what, value); then the first
    MAX_ERRORS_KEPT turned into messages by the product's own validators."""
    progress.stage("check", report.rows_read)
    duck.execute("CREATE TABLE problems (line BIGINT, field VARCHAR, what VARCHAR, value VARCHAR)")

    def problem(field: str, what: str, where: str, value: str = "NULL", source: str = "rows") -> None:
        duck.execute(f"INSERT INTO problems SELECT line, '{field}', '{what}', CAST({value} AS VARCHAR) "
                     f"FROM {source} WHERE {where}")

    for name in REQUIRED:
        problem(name, "required", f"{name} = ''")
    # Person numbers: well formed by the country pack's rule (Thailand: 13 digits and the check digit) in SQL; only
    # bad ones go to the validator.
    problem("citizen_id", "cid", f"citizen_id <> '' AND {active().primary_id.sql_invalid('cid')}", "citizen_id")
    problem("citizen_id", "duplicate", "line > first", "first",
            "(SELECT line, min(line) OVER (PARTITION BY cid) AS first FROM rows WHERE cid <> '')")
    # Distinct values through the same validators as the row-by-row import.
    distinct = lambda column: [v for (v,) in duck.execute(  # noqa: E731
        f"SELECT DISTINCT {column} FROM rows WHERE {column} <> ''").fetchall()]
    _answers(duck, "sexes", distinct("sex"), services.parse_sex)
    problem("sex", "sex", "sex <> '' AND sex NOT IN (SELECT text FROM sexes WHERE ok)", "sex")
    all_dates = sorted({v for column in DATES for v in distinct(column)})
    _answers(duck, "dates", all_dates, lambda text: parse_date(text).value)
    for column in DATES:
        problem(column, "date", f"{column} <> '' AND {column} NOT IN (SELECT text FROM dates WHERE ok)", column)
    duck.execute("CREATE OR REPLACE TABLE known_subdistricts (code VARCHAR, id BIGINT)")
    _insert(duck, "known_subdistricts", list(Subdistrict.objects.values_list("code", "pk")))
    problem("subdistrict_code", "subdistrict", "subdistrict_code <> '' AND subdistrict_code NOT IN "
            "(SELECT code FROM known_subdistricts)", "subdistrict_code")
    duck.execute("CREATE OR REPLACE TABLE known_schemes (code VARCHAR, id BIGINT, registers BOOLEAN)")
    _insert(duck, "known_schemes", list(Scheme.objects.filter(is_active=True).values_list(
        "code", "pk", "registers_with_unit")))
    problem("scheme", "scheme", "scheme <> '' AND upper(scheme) NOT IN (SELECT code FROM known_schemes)", "scheme")
    problem("coverage_from", "required", "scheme <> '' AND coverage_from = ''")
    duck.execute("CREATE OR REPLACE TABLE known_units (code VARCHAR, id BIGINT)")
    _insert(duck, "known_units", list(HealthUnit.objects.filter(is_active=True).values_list("code", "pk")))
    any_unit = " OR ".join(f"{u} <> ''" for u in UNITS)
    for unit in UNITS:
        problem(unit, "unit", f"{unit} <> '' AND {unit} NOT IN (SELECT code FROM known_units)", unit)
        problem(unit, "required", f"({any_unit}) AND {unit} = ''")
    problem("registered_from", "required", f"({any_unit}) AND registered_from = ''")
    problem("scheme", "required", f"({any_unit}) AND scheme = ''")
    # Rules between fields, on the typed values.
    duck.execute("""
        CREATE OR REPLACE TABLE typed AS SELECT r.line, r.scheme, b.value AS birth, d.value AS death,
               c.value AS coverage_from, g.value AS registered_from, s.registers
        FROM rows r LEFT JOIN dates b ON b.text = r.birth_date AND b.ok LEFT JOIN dates d ON d.text = r.death_date
        AND d.ok LEFT JOIN dates c ON c.text = r.coverage_from AND c.ok
        LEFT JOIN dates g ON g.text = r.registered_from AND g.ok
        LEFT JOIN known_schemes s ON s.code = upper(r.scheme)""")
    on = today()
    oldest = on - timedelta(days=services.MAX_AGE_YEARS * 366)
    problem("birth_date", "birth_future", f"birth > DATE '{on}'", source="typed")
    problem("birth_date", "birth_early", f"birth < DATE '{oldest}'", source="typed")
    problem("death_date", "death_future", f"death > DATE '{on}'", source="typed")
    problem("death_date", "death_before_birth", "death < birth", source="typed")
    problem("coverage_from", "coverage_before_birth", "coverage_from < birth", source="typed")
    problem("registered_from", "registration_future", f"registered_from > DATE '{on}'", source="typed")
    problem("main_unit", "not_registering", "registered_from IS NOT NULL AND registers = false",
            "strftime(registered_from, '%Y-%m-%d')", source="typed")
    problem("registered_from", "dead_before", "death < registered_from",
            "strftime(death, '%Y-%m-%d') || '|' || strftime(registered_from, '%Y-%m-%d')", source="typed")
    problem("registered_from", "registration_before_coverage", "registered_from < coverage_from",
            "strftime(registered_from, '%Y-%m-%d')", source="typed")
    _report(duck, report)


def _report(duck: Any, report: ImportReport, extra: list[tuple[int, str, str, str | None]] | None = None) -> None:
    total = duck.execute("SELECT count(*) FROM problems").fetchall()[0][0]
    found = duck.execute(f"SELECT line, field, what, value FROM problems ORDER BY line, field LIMIT {MAX_ERRORS_KEPT}"
                         ).fetchall()
    choices = ", ".join(c for (c,) in duck.execute("SELECT code FROM known_schemes ORDER BY code").fetchall()) \
        if duck.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'known_schemes'"
                        ).fetchall()[0][0] else ""
    for line, field, what, value in [*found, *(extra or [])]:
        report.add(RowError.of(line, field, _error(what, value, choices)))
    report.error_count = total + len(extra or [])


def _error(what: str, value: str | None, choices: str) -> DomainError:
    """The message a row-by-row import gives for this problem (same validators, same codes)."""
    def raised(check: Callable[[], Any]) -> DomainError:
        try:
            check()
        except DomainError as error:
            return error
        raise AssertionError(f"{what} {value!r} passed its validator")  # pragma: no cover

    simple: dict[str, Callable[[], tuple[Any, dict[str, Any]]]] = {
        "required": lambda: (ImportError_.REQUIRED, {}), "exists": lambda: (RegistryError.PERSON_EXISTS, {}),
        "birth_future": lambda: (RegistryError.BIRTH_IN_FUTURE, {}),
        "birth_early": lambda: (RegistryError.BIRTH_TOO_EARLY, {}),
        "death_future": lambda: (RegistryError.DEATH_IN_FUTURE, {}),
        "death_before_birth": lambda: (RegistryError.DEATH_BEFORE_BIRTH, {}),
        "coverage_before_birth": lambda: (RegistryError.COVERAGE_BEFORE_BIRTH, {}),
        "registration_future": lambda: (RegistryError.REGISTRATION_IN_FUTURE, {}),
        "subdistrict": lambda: (GeoError.UNKNOWN_SUBDISTRICT, {"code": value}),
        "scheme": lambda: (RegistryError.UNKNOWN_SCHEME, {"code": value, "choices": choices}),
        "unit": lambda: (RegistryError.UNKNOWN_UNIT, {"code": value}),
        "duplicate": lambda: (ImportError_.DUPLICATE_ROW, {"what": "citizen ID", "what_th": "เลขประจำตัวประชาชน",
                                                           "first_row": value}),
        "not_registering": lambda: (RegistryError.NOT_REGISTERING_SCHEME, {"on": _shown(value)}),
        "registration_before_coverage": lambda: (RegistryError.NOT_REGISTERING_SCHEME, {"on": _shown(value)}),
        "backdated": lambda: (RegistryError.REGISTRATION_BACKDATED, {"current": _shown(value)}),
        "dead_before": lambda: (RegistryError.DEAD_BEFORE, {"death_date": _shown((value or "|").split("|")[0]),
                                                            "on": _shown((value or "|").split("|")[1])}),
    }
    if what in simple:
        error, params = simple[what]()
        return DomainError(error, **params)
    if what == "overlap":
        scheme, start, end = (value or "||").split("|")
        return DomainError(RegistryError.COVERAGE_OVERLAP, scheme=scheme, start=_shown(start),
                           end=_shown(end) if end else "—")
    if what == "cid":
        return raised(lambda: validate_citizen_id(value))
    if what == "sex":
        return raised(lambda: services.parse_sex(value))
    return raised(lambda: parse_date(value))  # "date"


def _shown(iso: str | None) -> date | str:
    """A date parameter of a message: written the reader's way (BE in Thai) by Coded.message."""
    return date.fromisoformat(iso) if iso else ""


def _insert(duck: Any, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Rows into a DuckDB table through Arrow (DuckDB's executemany is a statement per row)."""
    if rows:
        import pyarrow as pa

        columns = {f"c{i}": pa.array([row[i] for row in rows]) for i in range(len(rows[0]))}
        duck.register("_rows", pa.table(columns))
        duck.execute(f"INSERT INTO {table} SELECT * FROM _rows")
        duck.unregister("_rows")


def _refused_rows(duck: Any, report: ImportReport) -> int:
    try:
        return duck.execute("SELECT count(DISTINCT line) FROM problems").fetchall()[0][0]
    except duckdb.Error:
        return report.error_count


# --- merging ----------------------------------------------------------------------------------------------------

def _json(**pairs: str) -> str:
    """A JSON object built by the database from SQL expressions (keys are constants)."""
    function = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    return f"{function}({', '.join(f'{chr(39)}{k}{chr(39)}, {v}' for k, v in pairs.items())})"


def _without_nulls(json: str) -> str:
    """A JSON object without its null members (SQLite: a merge patch onto an empty object drops them)."""
    return f"jsonb_strip_nulls({json})" if connection.vendor == "postgresql" else f"json_patch(json_object(), {json})"


def _text(expression: str) -> str:
    """A date (or number) as text in JSON: ISO dates on both databases."""
    return f"CAST({expression} AS TEXT)" if connection.vendor == "postgresql" else expression


# The checked rows, typed, in the staging table's column order (_STAGED_COLUMNS).
_STAGING_ROWS = """
        SELECT r.line, r.cid, left(r.title, 50), left(r.first_name_th, 100), left(r.last_name_th, 100),
               left(r.first_name_en, 100), left(r.last_name_en, 100), x.value, b.value, s.id, d.value, k.id,
               c.value, c.value - 1, mu.id, pu.id, ru.id, g.value, k.code, r.main_unit, r.primary_unit,
               r.referral_unit
        FROM rows r JOIN sexes x ON x.text = r.sex JOIN dates b ON b.text = r.birth_date
        JOIN known_subdistricts s ON s.code = r.subdistrict_code
        LEFT JOIN dates d ON d.text = r.death_date LEFT JOIN known_schemes k ON k.code = upper(r.scheme)
        LEFT JOIN dates c ON c.text = r.coverage_from LEFT JOIN dates g ON g.text = r.registered_from
        LEFT JOIN known_units mu ON mu.code = r.main_unit LEFT JOIN known_units pu ON pu.code = r.primary_unit
        LEFT JOIN known_units ru ON ru.code = r.referral_unit"""
STAGING_QUERY = f"{_STAGING_ROWS} ORDER BY r.line"


def _merge(duck: Any, record: RegistryImport, *, mode: str, actor: int | None, report: ImportReport,
           progress: Progress) -> dict[str, int]:
    """The checked rows into a staging table, then one pass that decides what each row does (flags and the ids it
    will take), then one set-based statement per table written. (A first load into an empty registry on PostgreSQL
    takes the shorter way of _load_into_empty.)"""
    postgres = connection.vendor == "postgresql"
    if postgres and mode == RegistryImport.Mode.LOAD:
        loaded = _load_into_empty(duck, record, actor=actor, report=report, progress=progress)
        if loaded is not None:
            return loaded
    raw, staged = f"{STAGED}_{record.pk}_rows", f"{STAGED}_{record.pk}"
    progress.stage("stage", report.rows_read)
    seconds: dict[str, float] = {}
    started = time.monotonic()
    columns = ", ".join(f"{c} {t}" for c, t in _STAGED_COLUMNS.items())
    with connection.cursor() as cursor:
        # Created inside the transaction, so a failure leaves nothing behind. Unlogged on PostgreSQL: it is thrown
        # away at commit, and written without WAL through the shared buffers (a temporary table would go through
        # the session's small local buffers).
        cursor.execute(f"CREATE {'UNLOGGED' if postgres else 'TEMPORARY'} TABLE {raw} ({columns})")
    bulk.insert_query(raw, list(_STAGED_COLUMNS), duck, STAGING_QUERY)
    seconds["copy into staging"] = round(time.monotonic() - started, 2)
    now = timezone.now()
    stamp = now.isoformat() if postgres else str(connection.ops.adapt_datetimefield_value(now))
    source = f"import {record.pk}"
    params: dict[str, Any] = {"now": stamp, "actor": actor, "source": source}
    with connection.cursor() as cursor:
        def run(step: str, sql: str) -> int:
            begun = time.monotonic()
            cursor.execute(sql.format(staged=staged, raw=raw), params)
            seconds[step] = round(seconds.get(step, 0) + time.monotonic() - begun, 2)
            return cursor.rowcount

        progress.stage("merge")
        new_id = _id_source(cursor, params)
        if postgres:
            run("analyze", f"ANALYZE {raw}")
        fields = ("title", "first_name_th", "last_name_th", "first_name_en", "last_name_en", "sex", "birth_date",
                  "subdistrict_id")
        differs = " OR ".join(f"p.{f} <> s.{f}" for f in fields) + \
            " OR (s.death_date IS NOT NULL AND p.death_date IS NOT NULL AND p.death_date <> s.death_date)"
        same_units = ("r.main_unit_id = s.main_unit_id AND r.primary_unit_id = s.primary_unit_id "
                      "AND r.referral_unit_id = s.referral_unit_id")
        # One pass over the file's rows against the registry as it stands: who is new, what changes, and the ids
        # the new rows take (from the tables' own sequences), so that nothing is read back after it is written.
        # The open coverage is at most one per person (periods never overlap).
        run("decide", f"""
            CREATE {'UNLOGGED' if postgres else 'TEMPORARY'} TABLE {{staged}} AS
            SELECT d.*,
                   CASE WHEN d.coverage THEN {new_id('coverage', 'registry_coverage')} END AS coverage_id,
                   CASE WHEN d.registration THEN {new_id('registration', 'registry_registration')} END
                       AS registration_id
            FROM (SELECT s.*, coalesce(p.id, {new_id('person', 'registry_person')}) AS person_id,
                         {_flag('p.id IS NULL')} AS is_new,
                         {_flag(f'p.id IS NOT NULL AND ({differs})')} AS details,
                         {_flag('p.id IS NOT NULL AND s.death_date IS NOT NULL AND p.death_date IS NULL')} AS died,
                         {_flag('s.scheme_id IS NOT NULL AND o.id IS NULL')} AS coverage,
                         {_flag(f's.main_unit_id IS NOT NULL AND (r.id IS NULL OR NOT ({same_units}))')}
                             AS registration,
                         {_flag('r.id IS NOT NULL AND (r.main_unit_id <> s.main_unit_id '
                                'OR r.primary_unit_id <> s.primary_unit_id)')} AS is_change
                  FROM {{raw}} s LEFT JOIN registry_person p ON p.citizen_id = s.citizen_id
                  LEFT JOIN registry_registration r ON r.id = p.current_registration_id
                  LEFT JOIN registry_coverage o ON o.person_id = p.id AND o.valid_to IS NULL
                       AND o.scheme_id = s.scheme_id) d""")
        if postgres:
            run("analyze", f"ANALYZE {staged}")
        begun = time.monotonic()
        extra = _db_problems(cursor, mode, staged)
        seconds["registry checks"] = round(time.monotonic() - begun, 2)
        if extra:
            _report(duck, report, extra)
            raise Refused
        begun = time.monotonic()
        checks_skipped = _skip_row_checks(cursor, duck, staged, mode, actor)
        seconds["references locked"] = round(time.monotonic() - begun, 2)
        rebuilt = _set_aside_indexes(cursor) if mode == RegistryImport.Mode.LOAD else []
        added = run("persons added", """
            INSERT INTO registry_person (id, citizen_id, title, first_name_th, last_name_th, first_name_en,
                                         last_name_en, sex, birth_date, subdistrict_id, death_date, created_at,
                                         current_registration_id)
            SELECT person_id, citizen_id, title, first_name_th, last_name_th, first_name_en, last_name_en, sex,
                   birth_date, subdistrict_id, death_date, %(now)s, registration_id FROM {staged} WHERE is_new""")
        source_json = "CAST(%(source)s AS TEXT)"
        # A person added (every row of a first load, a birth or a newcomer): one event that also holds the scheme
        # and the units they were added with (the coverage and registration rows, written below, say the same
        # with their ids and the same source) — rather than three events per person, the load's largest step.
        added_with = _json(source=source_json, scheme="scheme_code", coverage_from=_text("coverage_from"),
                           main="CASE WHEN registration THEN main_code END",
                           primary="CASE WHEN registration THEN primary_code END",
                           referral="CASE WHEN registration THEN referral_code END",
                           registered_from=f"CASE WHEN registration THEN {_text('registered_from')} END")
        run("events", f"""INSERT INTO registry_registryevent (person_id, kind, at, actor_id, detail)
                SELECT person_id, 'person_added', %(now)s, %(actor)s, {_without_nulls(added_with)}
                FROM {{staged}} WHERE is_new""")
        # Changed details (a move is a new address sub-district): the fields that change, with what they were.
        before = {f: f"CASE WHEN p.{f} <> s.{f} THEN {_text(f'p.{f}')} END" for f in fields}
        before["death_date"] = f"CASE WHEN p.death_date <> s.death_date THEN {_text('p.death_date')} END"
        run("events", f"""INSERT INTO registry_registryevent (person_id, kind, at, actor_id, detail)
                SELECT p.id, 'person_changed', %(now)s, %(actor)s,
                       {_without_nulls(_json(source=source_json, **before))}
                FROM {{staged}} s JOIN registry_person p ON p.id = s.person_id WHERE s.details""")
        run("events", f"""INSERT INTO registry_registryevent (person_id, kind, at, actor_id, detail)
                SELECT person_id, 'death_recorded', %(now)s, %(actor)s,
                       {_json(death_date=_text("death_date"), source=source_json)}
                FROM {{staged}} WHERE died""")
        # Scheme changes: close the open coverage the day before, open the new one.
        run("events", f"""INSERT INTO registry_registryevent (person_id, kind, at, actor_id, detail)
                SELECT c.person_id, 'coverage_closed', %(now)s, %(actor)s,
                       {_json(coverage="c.id", scheme="k.code", valid_to=_text("s.coverage_close_on"),
                              source=source_json)}
                FROM registry_coverage c JOIN {{staged}} s ON s.person_id = c.person_id
                JOIN registry_scheme k ON k.id = c.scheme_id
                WHERE s.coverage AND NOT s.is_new AND c.valid_to IS NULL ORDER BY s.line""")
        run("coverage closed", """UPDATE registry_coverage SET valid_to = s.coverage_close_on FROM {staged} s
               WHERE s.coverage AND NOT s.is_new AND registry_coverage.person_id = s.person_id
               AND registry_coverage.valid_to IS NULL""")
        run("coverage added", """INSERT INTO registry_coverage (id, person_id, scheme_id, valid_from, valid_to, source,
                                                          recorded_at, recorded_by_id)
               SELECT coverage_id, person_id, scheme_id, coverage_from, NULL, %(source)s, %(now)s, %(actor)s
               FROM {staged} WHERE coverage""")
        run("events", f"""INSERT INTO registry_registryevent (person_id, kind, at, actor_id, detail)
                SELECT person_id, 'coverage_added', %(now)s, %(actor)s,
                       {_json(coverage="coverage_id", scheme="scheme_code", valid_from=_text("coverage_from"),
                              valid_to="NULL", source=source_json)}
                FROM {{staged}} WHERE coverage AND NOT is_new""")
        # Registrations: other units than the registration in force; it becomes the one in force.
        run("registrations", """
            INSERT INTO registry_registration (id, person_id, main_unit_id, primary_unit_id, referral_unit_id,
                                               effective_from, is_change, reason, source, recorded_at, recorded_by_id)
            SELECT registration_id, person_id, main_unit_id, primary_unit_id, referral_unit_id, registered_from,
                   is_change, '', %(source)s, %(now)s, %(actor)s FROM {staged} WHERE registration""")
        sets = ", ".join(f"{f} = s.{f}" for f in fields)
        run("persons changed", f"""UPDATE registry_person SET {sets},
                    death_date = coalesce(s.death_date, registry_person.death_date),
                    current_registration_id = CASE WHEN s.registration THEN s.registration_id
                                                   ELSE registry_person.current_registration_id END
                FROM {{staged}} s WHERE NOT s.is_new AND (s.details OR s.died OR s.registration)
                AND registry_person.id = s.person_id""")
        run("events", f"""INSERT INTO registry_registryevent (person_id, kind, at, actor_id, detail)
                SELECT person_id, 'registered', %(now)s, %(actor)s,
                       {_json(registration="registration_id", main="main_code", primary="primary_code",
                              referral="referral_code", effective_from=_text("registered_from"),
                              change="is_change", source=source_json)}
                FROM {{staged}} WHERE registration AND NOT is_new""")
        if postgres and mode == RegistryImport.Mode.LOAD:
            _indexes_and_statistics(cursor, rebuilt, seconds)
        cursor.execute(f"""SELECT count(*) FROM {staged} WHERE NOT is_new AND (details OR died OR coverage
                           OR registration)""")
        changed = cursor.fetchone()[0]
        cursor.execute(f"DROP TABLE {staged}")
        cursor.execute(f"DROP TABLE {raw}")
        if checks_skipped:
            cursor.execute("SET LOCAL session_replication_role = origin")
    # Where the time went (seconds by step): for whoever runs the national file.
    return {"added": added, "changed": changed, "unchanged": report.rows_read - added - changed, "refused": 0,
            "detail": {"seconds": seconds, "row_checks": "by the merge" if checks_skipped else "by the database"}}


# The rows of a first load, with the ids they take (from blocks reserved in the tables' sequences), in DuckDB, in
# the file's order (DuckDB keeps a table's insertion order, so the tables are written in it without sorting). A file
# that passed the checks has every line (2, 3, … in order), so a person's number is its line less one.
_LOADED_COLUMNS = ", ".join(["line", "citizen_id", "title", "first_name_th", "last_name_th", "first_name_en",
                             "last_name_en", "sex", "birth_date", "subdistrict_id", "death_date", "scheme_id",
                             "coverage_from", "coverage_close_on", "main_unit_id", "primary_unit_id",
                             "referral_unit_id", "registered_from", "scheme_code", "main_code", "primary_code",
                             "referral_code"])


def _load_into_empty(duck: Any, record: RegistryImport, *, actor: int | None, report: ImportReport,
                     progress: Progress) -> dict[str, Any] | None:
    """A first load into an empty registry (PostgreSQL): every row is a person added, with the coverage and the
    registration the file gives, so nothing needs deciding against the registry. The rows take ids from blocks
    reserved in the tables' sequences, each table's rows (and the events' JSON) are made in DuckDB and copied
    (COPY) straight into the table — no staging table, no deciding pass — while DuckDB writes the next table's
    rows, and the secondary indexes are built once the rows are in. The same rows as the staging path's (same
    values, events and JSON; ids in the file's order). Returns None when the registry is not empty: the staging
    path then refuses each row that names a person already there."""
    seconds: dict[str, float] = {}
    tables = ("registry_person", "registry_coverage", "registry_registration", "registry_registryevent")
    with connection.cursor() as cursor:
        begun = time.monotonic()
        # Two loads at once wait here for each other (the mode conflicts with itself); readers are not held up.
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_person)")
        if cursor.fetchone()[0]:
            return None
        progress.stage("stage", report.rows_read)
        checks_skipped = _skip_row_checks(cursor, duck, "", RegistryImport.Mode.LOAD, actor)
        seconds["references locked"] = round(time.monotonic() - begun, 2)
        rebuilt = _set_aside_indexes(cursor, unique=True)  # takes the tables' exclusive lock: nobody else writes
        begun = time.monotonic()
        added = report.rows_read  # a checked file: every row is a person added (lines 2 … rows_read + 1)
        # A block of one id per row for each table: a row's coverage and registration take its person's number
        # (the ids of rows without one are left unused: numbering only those would sort every row again).
        first = {table: _reserve_ids(cursor, table, added) for table in tables}
        duck.execute(f"""CREATE OR REPLACE TABLE loaded AS
            SELECT s.*, line - 1 AS n FROM ({_STAGING_ROWS} WHERE false) AS s({_LOADED_COLUMNS})""")
        seconds["ids"] = round(time.monotonic() - begun, 2)
    person, coverage, registration, event = (first[t] - 1 for t in tables)
    registration_id = f"CASE WHEN main_unit_id IS NOT NULL THEN {registration} + n END"

    def member(key: str, value: str) -> str:
        return f"""CASE WHEN {value} IS NOT NULL THEN '"{key}":' || to_json({value}) END"""

    registered = "main_unit_id IS NOT NULL"
    source = f"import {int(record.pk)}"
    detail = " || ".join(["'{'", "concat_ws(',', " + ", ".join([
        member("source", f"'{source}'"), member("scheme", "scheme_code"),
        member("coverage_from", "CAST(coverage_from AS VARCHAR)"),
        member("main", f"CASE WHEN {registered} THEN main_code END"),
        member("primary", f"CASE WHEN {registered} THEN primary_code END"),
        member("referral", f"CASE WHEN {registered} THEN referral_code END"),
        member("registered_from", f"CASE WHEN {registered} THEN CAST(registered_from AS VARCHAR) END")]) + ")",
        "'}'"])
    now = timezone.now()
    # Each table's rows: its columns' values (DuckDB expressions over `loaded`, or the same for every row) and
    # which rows of `loaded`.
    writes: list[tuple[str, str, dict[str, str | Same], str]] = [
        ("persons added", "registry_person", {
            "id": f"{person} + n", "citizen_id": "citizen_id", "title": "title", "first_name_th": "first_name_th",
            "last_name_th": "last_name_th", "first_name_en": "first_name_en", "last_name_en": "last_name_en",
            "sex": "sex", "birth_date": "birth_date", "subdistrict_id": "subdistrict_id", "death_date": "death_date",
            "created_at": Same(now), "current_registration_id": registration_id}, "loaded"),
        ("coverage added", "registry_coverage", {
            "id": f"{coverage} + n", "person_id": f"{person} + n", "scheme_id": "scheme_id",
            "valid_from": "coverage_from", "valid_to": Same(None), "source": Same(source), "recorded_at": Same(now),
            "recorded_by_id": Same(actor)}, "loaded WHERE scheme_id IS NOT NULL"),
        ("registrations", "registry_registration", {
            "id": f"{registration} + n", "person_id": f"{person} + n", "main_unit_id": "main_unit_id",
            "primary_unit_id": "primary_unit_id", "referral_unit_id": "referral_unit_id",
            "effective_from": "registered_from", "is_change": Same(False), "reason": Same(""), "source": Same(source),
            "recorded_at": Same(now), "recorded_by_id": Same(actor)}, "loaded WHERE main_unit_id IS NOT NULL"),
        ("events", "registry_registryevent", {
            "id": f"{event} + n", "person_id": f"{person} + n", "kind": Same(RegistryEvent.Kind.PERSON_ADDED.value),
            "at": Same(now), "actor_id": Same(actor), "detail": detail}, "loaded"),
    ]
    progress.stage("merge")
    with connection.cursor() as cursor:
        types = {table: pgcopy.column_types(cursor, table, list(values)) for _step, table, values, _rows in writes}

        def person_rows() -> Iterator[str]:
            # `loaded` is made a block of lines at a time, on the thread that makes the rows, while the database
            # copies the persons of the block before (rather than all of it before the first COPY).
            for low in range(2, added + 2, _LOADED_BLOCK):
                high = low + _LOADED_BLOCK - 1
                duck.execute(f"""INSERT INTO loaded SELECT s.*, line - 1 AS n FROM ({_STAGING_ROWS}
                                 WHERE r.line BETWEEN {low} AND {high} ORDER BY r.line) AS s({_LOADED_COLUMNS})""")
                yield pgcopy.rows_query(types["registry_person"], writes[0][2],
                                        f"loaded WHERE n BETWEEN {low - 1} AND {high - 1}")

        copies = [(table, list(values), person_rows() if table == "registry_person"
                   else [pgcopy.rows_query(types[table], values, rows)]) for _step, table, values, rows in writes]
        # DuckDB makes the rows in the binary COPY format, on a thread of its own, while the database copies the
        # ones before (rows are never written to a file, nor parsed from text by the server).
        done = pgcopy.copy_in(cursor.cursor, duck, copies)
        for (step, *_rest), (_count, spent) in zip(writes, done, strict=True):
            seconds[step] = round(spent, 2)
        if done[0][0] != added:  # every checked row is a person: anything else is a fault here, stored nowhere
            raise RuntimeError(f"{done[0][0]} persons copied of {added} rows")
        _indexes_and_statistics(cursor, rebuilt, seconds)
        if checks_skipped:
            cursor.execute("SET LOCAL session_replication_role = origin")
    duck.execute("DROP TABLE loaded")
    return {"added": added, "changed": 0, "unchanged": report.rows_read - added, "refused": 0,
            "detail": {"seconds": seconds, "row_checks": "by the merge" if checks_skipped else "by the database"}}


def _indexes_and_statistics(cursor: Any, rebuilt: list[str], seconds: dict[str, float]) -> None:
    """After a load on PostgreSQL: the indexes set aside built again, then the planner's statistics of the tables
    just filled (without them the next delta's joins are planned for empty tables until autovacuum comes by);
    their seconds added to `seconds`."""
    if rebuilt:
        begun = time.monotonic()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        _cheaper_page_images(cursor)
        for definition in rebuilt:
            cursor.execute(definition)
        seconds["indexes"] = round(seconds.get("indexes", 0) + time.monotonic() - begun, 2)
    begun = time.monotonic()
    cursor.execute("ANALYZE registry_person, registry_coverage, registry_registration, registry_registryevent")
    seconds["analyze"] = round(seconds.get("analyze", 0) + time.monotonic() - begun, 2)


def _may_set(cursor: Any, parameter: str) -> bool:
    """Whether this role may set a superuser's parameter: a superuser, or (PostgreSQL 15 and later) granted it with
    `GRANT SET ON PARAMETER …`."""
    if connection.pg_version >= 150000:
        cursor.execute("SELECT rolsuper OR has_parameter_privilege(%s, 'SET') FROM pg_roles "
                       "WHERE rolname = current_user", [parameter])
    else:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    return bool(cursor.fetchone()[0])


def _cheaper_page_images(cursor: Any) -> None:
    """An index build writes every page of the index to the WAL as a full-page image; compressed with pglz
    (`wal_compression = on`) that took 40 % of the builds' CPU (10,000,000 persons: 139 s, against 81 s with lz4).
    When the server compresses with pglz and has lz4, this transaction compresses with lz4 instead (about as
    cheap as no compression, and the WAL stays small) — where the role may set it."""
    cursor.execute("SELECT setting, enumvals FROM pg_settings WHERE name = 'wal_compression'")
    setting, choices = cursor.fetchone()
    if setting in ("on", "pglz") and "lz4" in (choices or []) and _may_set(cursor, "wal_compression"):
        cursor.execute("SET LOCAL wal_compression = lz4")


def _reserve_ids(cursor: Any, table: str, count: int) -> int:
    """The first of `count` consecutive ids taken from the table's sequence at once (the caller holds the table
    locked against other writers, so no other row takes one in between); 1 when count is 0 (nothing is taken)."""
    if not count:
        return 1
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
    sequence = cursor.fetchone()[0]
    cursor.execute("SELECT nextval(%s)", [sequence])
    start = cursor.fetchone()[0]
    cursor.execute("SELECT setval(%s, %s)", [sequence, start + count - 1])
    return start


def _flag(condition: str) -> str:
    """A condition as a true/false column (never NULL)."""
    return f"CASE WHEN {condition} THEN true ELSE false END"


def _id_source(cursor: Any, params: dict[str, Any]) -> Callable[[str, str], str]:
    """How the merge gives new rows their ids: the table's sequence on PostgreSQL; on SQLite (one writer at a
    time) past the largest id ever given, by line (lines are unique)."""
    if connection.vendor == "postgresql":
        def sequence(_name: str, table: str) -> str:
            # The sequence's name looked up once: pg_get_serial_sequence per row costs 5 µs a row.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            return f"nextval('{cursor.fetchone()[0]}'::regclass)"
        return sequence

    def past_largest(name: str, table: str) -> str:
        cursor.execute(f"""SELECT max((SELECT coalesce(max(id), 0) FROM {table}),
                                      (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = %s))""",
                       [table])
        params[f"{name}_base"] = cursor.fetchone()[0]
        return f"(%({name}_base)s + s.line)" if name == "person" else f"(%({name}_base)s + d.line)"
    return past_largest


def _skip_row_checks(cursor: Any, duck: Any, staged: str, mode: str, actor: int | None) -> bool:
    """Every reference the merge writes is to a row it writes itself (new persons, registrations), to a person it
    has just found by citizen ID, or to a unit, sub-district, scheme or user it has just looked up. Those rows are
    locked here (FOR KEY SHARE, or the UPDATE's own lock for the persons it changes: nobody can delete them until
    commit) and the small tables' are counted, and the database's per-row foreign-key triggers (millions of
    lookups, queued until commit) are switched off for this transaction — where the role may (superuser, or GRANT
    SET ON PARAMETER session_replication_role). Otherwise the database checks every row as usual."""
    if connection.vendor != "postgresql":
        return False
    if not _may_set(cursor, "session_replication_role"):
        return False
    # The units, sub-districts and schemes the rows name (from the checked file in DuckDB: no scan of staging).
    references = [("providers_healthunit", "SELECT id FROM known_units WHERE code IN (SELECT main_unit FROM rows "
                   "UNION SELECT primary_unit FROM rows UNION SELECT referral_unit FROM rows)"),
                  ("geo_subdistrict", "SELECT id FROM known_subdistricts WHERE code IN "
                   "(SELECT subdistrict_code FROM rows)"),
                  ("registry_scheme", "SELECT id FROM known_schemes WHERE code IN (SELECT upper(scheme) FROM rows)")]
    for table, ids in references:
        wanted = sorted({int(i) for (i,) in duck.execute(ids).fetchall()})
        cursor.execute(f"SELECT count(*) FROM (SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE) x", [wanted])
        if cursor.fetchone()[0] != len(wanted):  # deleted since the file was checked: let the database say which
            return False
    if actor is not None:
        cursor.execute(f"SELECT id FROM {get_user_model()._meta.db_table} WHERE id = %s FOR KEY SHARE", [actor])
        if cursor.fetchone() is None:
            return False
    # Persons who get a coverage row and no change of their own (the UPDATE locks the others; a load has none).
    if mode == RegistryImport.Mode.DELTA:
        cursor.execute(f"""SELECT count(*) FROM (SELECT p.id FROM registry_person p
                           JOIN {staged} s ON s.person_id = p.id WHERE s.coverage AND NOT s.is_new
                           AND NOT (s.details OR s.died OR s.registration) FOR KEY SHARE OF p) x""")
    cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def _set_aside_indexes(cursor: Any, unique: bool = False) -> list[str]:
    """The first load into an empty registry on PostgreSQL: the registry tables' secondary indexes are dropped
    and built again once the rows are in (a sorted build of each instead of millions of single inserts into
    ~20 indexes). Returns their definitions, to run after the load. The drop holds the tables locked until commit
    and a rollback brings the indexes back: harmless while the registry is empty, so nothing is done otherwise.
    Primary keys stay (foreign keys need them), and unique constraints unless `unique` (the staging path's merge
    relies on them; the first load's rows were checked against each other, and the constraint checks them again
    when it is added back: a duplicate would roll the whole load back)."""
    if connection.vendor != "postgresql":
        return []
    cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_person)")
    if cursor.fetchone()[0]:
        return []
    tables = ("'registry_person'::regclass, 'registry_coverage'::regclass, 'registry_registration'::regclass, "
              "'registry_registryevent'::regclass")
    cursor.execute(f"""
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE i.indrelid IN ({tables}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1""")
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f"DROP INDEX {name}")
    rebuilt = [definition for _name, definition in found]
    if unique:
        # Unique constraints that no foreign key refers to (citizen ID; coverage's person and start).
        cursor.execute(f"""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.contype = 'u' AND c.conrelid IN ({tables})
            AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
            ORDER BY 1, 2""")
        for table, name, definition in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
            rebuilt.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    return rebuilt


def _db_problems(cursor: Any, mode: str, staged: str) -> list[tuple[int, str, str, str | None]]:
    """What only the registry can tell: a person already there (initial load), a coverage period or a registration
    that clashes with what is recorded (monthly changes). At most MAX_ERRORS_KEPT of each."""
    limit = f"ORDER BY s.line LIMIT {MAX_ERRORS_KEPT}"
    found: list[tuple[int, str, str, str | None]] = []
    if mode == RegistryImport.Mode.LOAD:
        cursor.execute(f"SELECT s.line FROM {staged} s WHERE NOT s.is_new {limit}")
        found += [(line, "citizen_id", "exists", None) for (line,) in cursor.fetchall()]
        return found
    cursor.execute(f"""
        SELECT s.line, k.code, {_text("c.valid_from")}, {_text("c.valid_to")} FROM {staged} s
        JOIN registry_coverage c ON c.person_id = s.person_id JOIN registry_scheme k ON k.id = c.scheme_id
        WHERE s.coverage AND NOT s.is_new
        AND ((c.valid_to IS NULL AND c.valid_from >= s.coverage_from) OR c.valid_to >= s.coverage_from) {limit}""")
    found += [(line, "coverage_from", "overlap", f"{code}|{start}|{end or ''}")
              for line, code, start, end in cursor.fetchall()]
    cursor.execute(f"""
        SELECT s.line, {_text("r.effective_from")} FROM {staged} s JOIN registry_person p ON p.id = s.person_id
        JOIN registry_registration r ON r.id = p.current_registration_id
        WHERE s.registration AND NOT s.is_new AND s.registered_from < r.effective_from {limit}""")
    found += [(line, "registered_from", "backdated", str(current)[:10]) for line, current in cursor.fetchall()]
    cursor.execute(f"""
        SELECT s.line, {_text("p.death_date")}, {_text("s.registered_from")} FROM {staged} s
        JOIN registry_person p ON p.id = s.person_id
        WHERE s.registration AND NOT s.is_new AND s.death_date IS NULL AND p.death_date < s.registered_from {limit}""")
    found += [(line, "registered_from", "dead_before", f"{str(death)[:10]}|{str(on)[:10]}")
              for line, death, on in cursor.fetchall()]
    return sorted(found)


__all__ = ["OPTIONAL", "REQUIRED", "STAGING_QUERY", "apply_extract", "read_and_check", "scratch_connection"]
