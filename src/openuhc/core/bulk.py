# ruff: noqa: S608 - table and column names come from the models and the callers' constant SQL; values are bound.
"""Writing and reading many rows at database speed, inside the caller's transaction.

    bulk.insert_query(Diagnosis, ["claim_id", "line", "code"], duck, "SELECT ... FROM w_odx ...")  # DuckDB → table
    bulk.insert_rows(Problem, ["submission_id", "code", ...], rows)                               # Python → table
    bulk.query_to_duckdb(duck, "claim_ids", "SELECT id, kind, key FROM claims_claim WHERE ...", [pk],
                         {"id": "BIGINT", "kind": "VARCHAR", "key": "VARCHAR"})

On PostgreSQL rows travel by COPY (psycopg 3): DuckDB writes the CSV itself and the bytes are streamed to
the server, so Python never holds a row. On SQLite, `executemany` over batches. Neither path calls model
`save()` or builds model instances: the caller names the columns, the database fills ids and nothing else
(no field defaults), so every column a row needs must be given.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.db import connection

BATCH = 5000
_COPY_CHUNK = 1 << 20


def _columns(model: Any, names: list[str]) -> tuple[str, str]:
    """The table and column names: of a model (attnames given), or of a work table named as text."""
    quote = connection.ops.quote_name
    if isinstance(model, str):
        return quote(model), ", ".join(quote(n) for n in names)
    table = quote(model._meta.db_table)
    return table, ", ".join(quote(model._meta.get_field(_field_name(model, n)).column) for n in names)


def _field_name(model: Any, attname: str) -> str:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise ValueError(f"{model.__name__} has no column {attname}")


@contextmanager
def scratch(suffix: str) -> Iterator[Path]:
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
        with scratch(".csv") as path:
            _render(duck, select_sql, params, path)
            return _copy_file(table, columns, path)
    # SQLite: Django's adapters turn dates and decimals into the text it stores.
    reader = duck.cursor().execute(select_sql, params or [])
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608
    total = 0
    with connection.cursor() as cursor:
        while batch := reader.fetchmany(BATCH):
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def _render(duck: Any, select_sql: str, params: list[Any] | None, path: Path) -> None:
    """DuckDB writes the query's rows as CSV into `path` (it releases the GIL meanwhile)."""
    duck.execute(f"COPY ({select_sql}) TO '{path}' (FORMAT csv, HEADER false)", params or [])


def _copy_file(table: str, columns: str, path: Path) -> int:
    """PostgreSQL: the CSV file's rows into the table by COPY; returns how many."""
    if path.stat().st_size == 0:
        return 0
    with connection.cursor() as cursor, path.open("rb") as source:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv)") as copy:
            while chunk := source.read(_COPY_CHUNK):
                copy.write(chunk)
        return cursor.cursor.rowcount


def reserve_ids(duck: Any, model: Any, name: str, count: int) -> None:
    """PostgreSQL: a new DuckDB table `name` (id BIGINT) of `count` ids taken now from the model's id sequence, to
    be written explicitly: the rows that refer to them can be shaped before anything is written, and nothing is
    read back. Taken one by one (nextval), not as a block with setval: another writer may take ids at the same
    time, so they are unique but not always consecutive (ascending within the table)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        sequence = cursor.fetchone()[0]
    # The sequence's name bound once as a regclass: looked up per row it would cost more than the nextval.
    query_to_duckdb(duck, name, "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count],
                    {"id": "BIGINT"})


class Writer:
    """Inserts in a fixed order, rendered ahead: `query` jobs (rows of a DuckDB query) and `rows` jobs (rows built
    in Python) run in the order given by `run`; on PostgreSQL a thread has DuckDB write the next query's CSV while
    the one before is being copied, so this process and the server work at the same time instead of taking turns
    (DuckDB releases the GIL while it writes; psycopg while the server reads). Files wait on disk, at most
    `AHEAD` of them: memory does not grow with the submission. On SQLite, each job in turn (executemany).

        writer = bulk.Writer(duck)
        writer.query(Claim, ["id", "submission_id", ...], "SELECT ... FROM store_claims ...")
        writer.rows(Problem, [...], python_rows)
        counts = writer.run()          # rows inserted per job, in order
    """

    AHEAD = 2

    def __init__(self, duck: Any) -> None:
        self.duck = duck
        self.jobs: list[tuple[Any, list[str], str | None, Any]] = []

    def query(self, model: Any, names: list[str], select_sql: str, params: list[Any] | None = None) -> None:
        self.jobs.append((model, names, select_sql, params))

    def rows(self, model: Any, names: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
        self.jobs.append((model, names, None, rows))

    def written(self, model: Any, count: int) -> None:
        """Called after each job's rows are written, in order (a test's hook to stop half-way; nothing here)."""

    def run(self) -> list[int]:
        if connection.vendor != "postgresql":
            counts = []
            for model, names, sql, data in self.jobs:
                counts.append(insert_rows(model, names, data) if sql is None
                              else insert_query(model, names, self.duck, sql, data))
                self.written(model, counts[-1])
            return counts
        import queue
        import threading

        ready: queue.Queue[tuple[Path | None, BaseException | None]] = queue.Queue(maxsize=self.AHEAD)
        stop = threading.Event()
        folder = Path(tempfile.mkdtemp(prefix="openuhc-bulk-"))

        def render() -> None:
            cursor = self.duck.cursor()  # a DuckDB connection of this thread's own, on the same database
            try:
                for n, (_model, _names, sql, params) in enumerate(self.jobs):
                    if stop.is_set():
                        return
                    path = None
                    if sql is not None:
                        path = folder / f"{n}.csv"
                        _render(cursor, sql, params, path)
                    ready.put((path, None))
            except BaseException as error:  # noqa: BLE001 - handed to the writing thread, which raises it
                ready.put((None, error))
            finally:
                cursor.close()

        producer = threading.Thread(target=render, name="bulk-render", daemon=True)
        producer.start()
        counts: list[int] = []
        try:
            for model, names, sql, data in self.jobs:
                path, error = ready.get()
                if error is not None:
                    raise error
                if sql is None:
                    counts.append(insert_rows(model, names, data))
                else:
                    counts.append(_copy_file(*_columns(model, names), path))  # type: ignore[arg-type]
                    path.unlink()  # type: ignore[union-attr]
                self.written(model, counts[-1])
        finally:
            stop.set()
            while producer.is_alive():  # let a producer blocked on a full queue see the stop
                with suppress(queue.Empty):
                    ready.get(timeout=0.1)
            producer.join()
            shutil.rmtree(folder, ignore_errors=True)
        return counts


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
        with scratch(".csv") as path:
            query_to_file(sql, params, path)
            file_to_duckdb(duck, name, path, columns)
        return
    import pyarrow as pa

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(50_000):
            table = pa.table({c: pa.array([row[i] for row in batch]) for i, c in enumerate(columns)})
            duck.register("_bulk_batch", table)
            duck.execute(f"INSERT INTO {name} SELECT * FROM _bulk_batch")
            duck.unregister("_bulk_batch")


def query_to_file(sql: str, params: list[Any], path: Path) -> None:
    """PostgreSQL: the result of a database query as CSV in `path` (by COPY; the first half of query_to_duckdb)."""
    import psycopg

    with connection.cursor() as cursor, path.open("wb") as target:
        # COPY takes no parameters: bind them client-side (whatever binding the connection uses).
        bound = psycopg.ClientCursor(cursor.cursor.connection).mogrify(sql, params)
        with cursor.cursor.copy(f"COPY ({bound}) TO STDOUT (FORMAT csv)") as copy:
            for chunk in copy:
                target.write(chunk)


def file_to_duckdb(duck: Any, name: str, path: Path, columns: dict[str, str]) -> None:
    """The CSV `query_to_file` wrote, appended to the DuckDB table `name` (columns and types as given)."""
    if path.stat().st_size == 0:
        return
    types = "{" + ", ".join(f"'{c}': '{t}'" for c, t in columns.items()) + "}"
    duck.execute(f"INSERT INTO {name} SELECT * FROM read_csv('{path}', header = false, columns = {types})")


def any_of(column: str, values: list[Any]) -> tuple[str, list[Any]]:
    """`column` is one of `values`, as one bound parameter on either database (a long list, one statement)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(values))]
