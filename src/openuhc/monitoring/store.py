"""The analytics store: facts as Parquet files partitioned by fiscal year and month, queried with DuckDB.

    <data dir>/analytics/<fact>/fy=2569/month=2026-01/part-0.parquet

A refresh writes each fact into a fresh folder and swaps it in with one rename, so a dashboard never reads
half a fact: it sees the old files or the new ones. Dashboards only read; they never touch the operational
database for their figures.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.dataset as ds
from django.conf import settings

PARTITIONS = ["fy", "month"]
DUCKDB_MEMORY = "1GB"  # a refresh's DuckDB cap (OPENUHC_ANALYTICS_MEMORY); the rest spills to a scratch folder


def duckdb_memory() -> str:
    return str(getattr(settings, "OPENUHC_ANALYTICS_MEMORY", None) or os.environ.get("OPENUHC_ANALYTICS_MEMORY")
               or DUCKDB_MEMORY)


def store_dir() -> Path:
    configured = getattr(settings, "OPENUHC_ANALYTICS_DIR", None) or os.environ.get("OPENUHC_ANALYTICS_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "analytics"


def fact_dir(name: str) -> Path:
    return store_dir() / name


def write_fact(name: str, table: pa.Table) -> int:
    """Replace fact `name` with `table` (which has `fy` and `month` columns); returns the rows written."""
    root = store_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".{name}.{uuid.uuid4().hex}"
    if table.num_rows:
        ds.write_dataset(table, staging, format="parquet", partitioning=PARTITIONS, partitioning_flavor="hive",
                         basename_template="part-{i}.parquet", existing_data_behavior="error")
    else:
        staging.mkdir()
        # An empty fact keeps its columns, so that queries over it still know its schema.
        import pyarrow.parquet as pq

        pq.write_table(table, staging / "empty.parquet")
    _swap(name, staging)
    return table.num_rows


_swap_lock = threading.Lock()


def write_query(name: str, con: duckdb.DuckDBPyConnection, sql: str) -> int:
    """Replace fact `name` with the rows of a DuckDB query (with `fy` and `month` columns), written by DuckDB
    straight to Parquet: the rows never pass through Python. Returns the rows written."""
    root = store_dir()
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".{name}.{uuid.uuid4().hex}"
    try:
        rows = con.execute(f"COPY ({sql}) TO '{_sql_path(staging)}' (FORMAT parquet, PARTITION_BY (fy, month))"
                           ).fetchone()[0]
        if not rows:
            # An empty fact keeps its columns, so that queries over it still know its schema.
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            con.execute(f"COPY ({sql}) TO '{_sql_path(staging / 'empty.parquet')}' (FORMAT parquet)")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a half-written fact is never swapped in; nor is it left behind
        raise
    _swap(name, staging)
    return int(rows)


def write_fact_sql(name: str, sql: str, *, facts: Iterable[str]) -> int:
    """Replace fact `name` with the result of a DuckDB query over other facts, Parquet to Parquet."""
    with tempfile.TemporaryDirectory(prefix="openuhc-analytics-") as scratch:
        con = connect(facts)
        try:
            # Capped like the extracts: a national month's roll-up spills to disk rather than growing.
            con.execute(f"SET memory_limit = '{duckdb_memory()}'")
            con.execute(f"SET temp_directory = '{_sql_path(Path(scratch))}'")
            return write_query(name, con, sql)
        finally:
            con.close()


def _swap(name: str, staging: Path) -> None:
    root = store_dir()
    target = fact_dir(name)
    old = root / f".{name}.old.{uuid.uuid4().hex}"
    with _swap_lock:
        if target.exists():
            target.rename(old)
        staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def facts_present() -> list[str]:
    root = store_dir()
    if not root.exists():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def connect(facts: Iterable[str] | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per fact in the store."""
    con = duckdb.connect(database=":memory:")
    threads = getattr(settings, "OPENUHC_ANALYTICS_THREADS", None)
    if threads:
        con.execute(f"SET threads={int(threads)}")
    present = set(facts_present())
    for name in sorted(set(facts) if facts is not None else present):
        if name not in present:
            continue
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM {fact_source(fact_dir(name))}')
    return con


def fact_source(folder: Path) -> str:
    """The DuckDB table function that reads a fact's folder: its Parquet partitioned by fy and month, or the one
    empty file that keeps an empty fact's columns."""
    if (folder / "empty.parquet").exists():
        return f"read_parquet('{_sql_path(folder / 'empty.parquet')}')"
    return (f"read_parquet('{_sql_path(folder)}/**/*.parquet', hive_partitioning=true, "
            "hive_types_autocast=false, hive_types={'fy': INTEGER, 'month': VARCHAR})")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def query(sql: str, params: list[Any] | None = None, *, facts: Iterable[str] | None = None) -> list[dict[str, Any]]:
    con = connect(facts)
    try:
        cursor = con.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
