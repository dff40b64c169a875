"""Grouping tables of admissions: the pure batch function the CLI, the API and the claims pipeline share."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pyarrow as pa

from openuhc.core.errors import Coded, DomainError
from openuhc.drg.grouper import Result, group_row
from openuhc.drg.tables import LoadedTables, active_tables, by_version

INPUT_COLUMNS = ["an", "pdx", "sdx", "proc", "sex", "age", "age_days", "admit_date", "discharge_date", "leave_days",
                 "discharge_type", "admit_weight"]
OUTPUT_COLUMNS = ["drg", "rw", "adjrw", "los", "exact", "reason", "mdc", "dc", "source", "own_drg", "disagreement",
                  "error", "table_version"]
TYPES = {"drg": pa.string(), "rw": pa.decimal128(9, 4), "adjrw": pa.decimal128(9, 4), "los": pa.int32(),
         "exact": pa.bool_(), "reason": pa.string(), "mdc": pa.string(), "dc": pa.string(), "source": pa.string(),
         "own_drg": pa.string(), "disagreement": pa.string(), "error": pa.string(), "trace": pa.string(),
         "table_version": pa.string()}


class DrgError(Coded):
    NO_TABLES = ("no_tables", "No Thai DRG table set is installed (openuhc tables install PATH).",
                 "ยังไม่ได้ติดตั้งตาราง Thai DRG (openuhc tables install PATH)")
    MISSING_COLUMNS = ("missing_columns", "The input has no column(s): {columns}.", "ข้อมูลนำเข้าไม่มีคอลัมน์: {columns}")
    UNKNOWN_VERSION = ("unknown_version", "Table version {version} is not installed.",
                       "ยังไม่ได้ติดตั้งตารางรุ่น {version}")


def tables_for(version: str | None = None) -> LoadedTables:
    tables = by_version(version) if version else active_tables()
    if tables is None:
        raise DomainError(DrgError.UNKNOWN_VERSION, version=version) if version else DomainError(DrgError.NO_TABLES)
    return tables  # type: ignore[return-value]


def _value(value: Any) -> Any:
    if isinstance(value, pa.Scalar):
        return value.as_py()
    return value


def group_batch(batch: pa.RecordBatch | pa.Table, *, tables: LoadedTables, trace: bool = False,
                progress: Callable[[int], None] | None = None, schedule: list[dict[str, Any]] | None = None
                ) -> pa.Table:
    """The input columns plus drg, rw, adjrw, los, exact, reason, mdc, dc, source, own_drg, disagreement, error
    and table_version — deterministic for the same input and table version. A bad row gets an `error` code
    and the others go on.

    The columnar grouper (`drg.vector`) does the work; with `trace=True` every row goes through the per-case
    grouper instead (`explain_batch`), which also writes each row's trace — the same results, at per-case
    speed, for callers that store the "why" of every grouping (the claims pipeline)."""
    from openuhc.drg.vector import group_arrow

    _check(batch)
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    columns = None if trace else group_arrow(table, tables, schedule=schedule)
    if columns is None:
        return explain_batch(table, tables=tables, trace=trace, progress=progress, schedule=schedule)
    if progress is not None:
        progress(table.num_rows)
    columns["table_version"] = pa.array([tables.version] * table.num_rows, pa.string())
    return _attach(table, columns, OUTPUT_COLUMNS)


def explain_batch(batch: pa.RecordBatch | pa.Table, *, tables: LoadedTables, trace: bool = True,
                  progress: Callable[[int], None] | None = None, schedule: list[dict[str, Any]] | None = None
                  ) -> pa.Table:
    """`group_batch` through the per-case grouper, row by row (the explaining path), with a `trace` column
    (JSON) when asked."""
    _check(batch)
    rows = batch.to_pylist()
    names = OUTPUT_COLUMNS + (["trace"] if trace else [])
    out: dict[str, list[Any]] = {c: [] for c in names}
    for n, row in enumerate(rows, 1):
        result = group_row(row, tables, schedule)
        _append(out, result, tables.version, trace)
        if progress is not None and n % 10_000 == 0:
            progress(10_000)
    if progress is not None and len(rows) % 10_000:
        progress(len(rows) % 10_000)
    table = pa.Table.from_batches([batch]) if isinstance(batch, pa.RecordBatch) else batch
    return _attach(table, {name: pa.array(out[name], TYPES[name]) for name in names}, names)


group_table = group_batch


def _check(batch: pa.RecordBatch | pa.Table) -> None:
    missing = [c for c in ("pdx", "sex", "age", "admit_date", "discharge_date") if c not in batch.schema.names]
    if missing:
        raise DomainError(DrgError.MISSING_COLUMNS, columns=", ".join(missing))


def _attach(table: pa.Table, columns: dict[str, pa.Array], names: list[str]) -> pa.Table:
    table = table.drop_columns([c for c in [*OUTPUT_COLUMNS, "trace"] if c in table.schema.names])
    for name in names:
        table = table.append_column(pa.field(name, TYPES[name]), columns[name])
    return table


def _append(out: dict[str, list[Any]], result: Result, version: str, trace: bool) -> None:
    out["drg"].append(result.drg or None)
    out["rw"].append(result.rw)
    out["adjrw"].append(result.adjrw)
    out["los"].append(result.los)
    out["exact"].append(result.exact)
    out["reason"].append(result.reason)
    out["mdc"].append(result.mdc or None)
    out["dc"].append(result.dc or None)
    out["source"].append(result.source)
    out["own_drg"].append(result.own_drg or None)
    out["disagreement"].append(result.disagreement or None)
    out["error"].append(result.error or None)
    out["table_version"].append(version)
    if trace:
        out["trace"].append(json.dumps(result.trace, ensure_ascii=False))


def result_dict(result: Result, version: str) -> dict[str, Any]:
    def num(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    return {"drg": result.drg or None, "rw": num(result.rw), "adjrw": num(result.adjrw), "los": result.los,
            "exact": result.exact, "reason": result.reason, "mdc": result.mdc, "dc": result.dc,
            "source": result.source, "own_drg": result.own_drg or None, "disagreement": result.disagreement or None,
            "error": result.error or None, "trace": result.trace, "table_version": version}


WEIGH_COLUMNS = ["los", "rw", "adjrw", "rule", "table_version", "error"]


def weigh_table(table: pa.Table) -> pa.Table:
    """AdjRW of DRGs assigned elsewhere (columns an, drg, admit_date, discharge_date, leave_days): each line with
    the table set and the weighing rule in force on its discharge date. A line that cannot be weighed gets an
    `error` code (dates_missing, negative_los, unknown_drg, no_tables, bad_row) and the others go on."""
    from openuhc.drg.grouper import read_date, read_int, weigh_drg
    from openuhc.drg.params import weighing_on

    missing = [c for c in ("drg", "admit_date", "discharge_date") if c not in table.schema.names]
    if missing:
        raise DomainError(DrgError.MISSING_COLUMNS, columns=", ".join(missing))
    out: dict[str, list[Any]] = {c: [] for c in WEIGH_COLUMNS}
    sets: dict[Any, Any] = {}
    keys: dict[Any, str] = {}
    for row in table.to_pylist():
        values: dict[str, Any] = dict.fromkeys(WEIGH_COLUMNS)
        try:
            admitted, discharged = read_date(row.get("admit_date"), "admit_date"), read_date(row.get("discharge_date"),
                                                                                     "discharge_date")
            leave = read_int(row.get("leave_days"), "leave_days") or 0
        except ValueError:
            values["error"] = "bad_row"
            admitted = discharged = None
            leave = 0
        if values["error"] is None:
            if admitted is None or discharged is None:
                values["error"] = "dates_missing"
            elif (discharged - admitted).days - leave < 0:
                values["error"] = "negative_los"
            else:
                values["los"] = (discharged - admitted).days - leave
                if discharged not in sets:
                    sets[discharged] = active_tables(discharged)
                    keys[discharged] = weighing_on(discharged)
                tables = sets[discharged]
                drg_row = tables.drg(str(row.get("drg") or "").strip()) if tables is not None else None
                values["table_version"] = tables.version if tables is not None else None
                values["rule"] = keys[discharged]
                if tables is None:
                    values["error"] = "no_tables"
                elif drg_row is None:
                    values["error"] = "unknown_drg"
                else:
                    values["rw"], values["adjrw"] = drg_row.rw, weigh_drg(drg_row, values["los"], keys[discharged])
        for name in WEIGH_COLUMNS:
            out[name].append(values[name])
    types = {"los": pa.int32(), "rw": pa.decimal128(9, 4), "adjrw": pa.decimal128(9, 4), "rule": pa.string(),
             "table_version": pa.string(), "error": pa.string()}
    table = table.drop_columns([c for c in WEIGH_COLUMNS if c in table.schema.names])
    for name in WEIGH_COLUMNS:
        table = table.append_column(pa.field(name, types[name]), pa.array(out[name], types[name]))
    return table
