# ruff: noqa: S608 - table and column names come from the models and the callers' constant SQL; values are bound.
"""Writing and reading many rows at database speed, inside the caller's transaction.

    bulk.insert_query(Diagnosis, ["claim_id", "line", "code"], duck, "SELECT ... FROM w_odx ...")  # DuckDB → table
    bulk.insert_queries(duck, [(Claim, [...], "SELECT ..."), (Diagnosis, [...], "SELECT ...")])  # several, streamed
    bulk.insert_rows(Problem, ["submission_id", "code", ...], rows)                               # Python → table
    bulk.query_to_duckdb(duck, "claim_ids", "SELECT id, kind, key FROM claims_claim WHERE ...", [pk],
                         {"id": "BIGINT", "kind": "VARCHAR", "key": "VARCHAR"})

On PostgreSQL rows travel by COPY (psycopg 3): DuckDB writes the CSV itself and the bytes are streamed to
the server, so Python never holds a row (insert_queries: binary COPY, no file). On SQLite, `executemany` over
batches. Neither path calls model `save()` or builds model instances: the caller names the columns, the
database fills ids and nothing else (no field defaults), so every column a row needs must be given.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

BATCH = 5000
_COPY_CHUNK = 1 << 20


def _names(model: Any, names: list[str]) -> tuple[str, list[str]]:
    """The table and column names, unquoted: of a model (attnames given), or of a work table named as text."""
    if isinstance(model, str):
        return model, list(names)
    return model._meta.db_table, [model._meta.get_field(_field_name(model, n)).column for n in names]


def _columns(model: Any, names: list[str]) -> tuple[str, str]:
    """The table and column names quoted for SQL, the columns as one list (see `_names`)."""
    quote = connection.ops.quote_name
    table, columns = _names(model, names)
    return quote(table), ", ".join(quote(c) for c in columns)


def _field_name(model: Any, attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise ValueError(f"{model.__name__} has no column {attname}")


@contextmanager
def _scratch(suffix: str) -> Iterator[Path]:
    handle, name = tempfile.mkstemp(prefix="openuhc-bulk-", suffix=suffix)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def insert_query(model: Any, names: list[str], duck: Any, select_sql: str, params: list[Any] | None = None) -> int:
    """Insert the rows of a DuckDB query (its columns in the order of `names`); returns how many."""
    table, columns = _columns(model, names)
    if connection.vendor == "postgresql":
        with _scratch(".csv") as path:
            duck.execute(f"COPY ({select_sql}) TO '{path}' (FORMAT csv, HEADER false)", params or [])
            if path.stat().st_size == 0:
                return 0
            with connection.cursor() as cursor, path.open("rb") as source:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                    while chunk := source.read(_COPY_CHUNK):
                        copy.write(chunk)
                return cursor.cursor.rowcount
    # SQLite: Django's adapters turn dates and decimals into the text it stores.
    reader = duck.cursor().execute(select_sql, params or [])
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
    total = 0
    with connection.cursor() as cursor:
        while batch := reader.fetchmany(BATCH):
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def insert_queries(duck: Any, writes: list[tuple[Any, list[str], str]]) -> list[int]:
    """Several DuckDB queries' rows, each (model or work table's name, names, select_sql) into its table, in this
    order; returns how many rows each. On PostgreSQL one binary COPY per table on the caller's connection
    (`core.pgcopy`): DuckDB makes each row's bytes, streamed while the server copies the rows before them (no
    file, no text for the server to parse). The queries take no parameters there. On SQLite, insert_query one
    after the other."""
    if connection.vendor != "postgresql":
        return [insert_query(model, names, duck, select_sql) for model, names, select_sql in writes]
    from openuhc.core import pgcopy

    quote = connection.ops.quote_name
    copies = []
    with connection.cursor() as cursor:
        for model, names, select_sql in writes:
            table, columns = _names(model, names)
            types = pgcopy.column_types(cursor, table, columns)
            # the query's columns by position (its own names may be expressions)
            aliases = [f"_c{i}" for i in range(len(columns))]
            source = f"({select_sql}) AS _q({', '.join(aliases)})"
            query = pgcopy.rows_query(types, dict(zip(columns, aliases, strict=True)), source)
            copies.append((quote(table), [quote(c) for c in columns], [query]))
        done = pgcopy.copy_in(cursor.cursor, duck, copies)
    return [rows for rows, _seconds in done]


def insert_rows(model: Any, names: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert rows built in Python (values as the database driver takes them); returns how many."""
    table, columns = _columns(model, names)
    total = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    total += 1
            return total
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def query_to_duckdb(duck: Any, name: str, sql: str, params: list[Any], columns: dict[str, str]) -> None:
    """Copy the result of a database query into a new DuckDB table `name` with the given column types."""
    spec = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    duck.execute(f"CREATE OR REPLACE TABLE {name} ({spec})")
    if connection.vendor == "postgresql":
        with _scratch(".csv") as path:
            with connection.cursor() as cursor, path.open("wb") as target:
                import psycopg

                # COPY takes no parameters: bind them client-side (whatever binding the connection uses).
                bound = psycopg.ClientCursor(cursor.cursor.connection).mogrify(sql, params)
                with cursor.cursor.copy(f"COPY ({bound}) TO STDOUT (FORMAT csv)") as copy:
                    for chunk in copy:
                        target.write(chunk)
            if path.stat().st_size == 0:
                return
            types = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"
            duck.execute(f"INSERT INTO {name} SELECT * FROM read_csv('{path}', header = false, columns = {types})")
        return
    import pyarrow as pa

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(50_000):
            table = pa.table({c: pa.array([row[i] for row in batch]) for i, c in enumerate(columns)})
            duck.register("_bulk_batch", table)
            duck.execute(f"INSERT INTO {name} SELECT * FROM _bulk_batch")
            duck.unregister("_bulk_batch")


def any_of(column: str, values: list[Any]) -> tuple[str, list[Any]]:
    """`column` is one of `values`, as one bound parameter on either database (a long list, one statement)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]
