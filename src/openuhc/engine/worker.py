"""What a worker computes — a worker process, a thread of the coordinating process, or a Spark task. Kept free
of Django models at import time: a spawned process or a Spark executor imports this module first. A function
registered `standalone` is found by importing its own module only; any other function needs `django.setup()`
(which registers every app's batch functions), done once per process on first need. Starting Django costs about
a second per worker, which dominated small runs."""

from __future__ import annotations

import importlib
import os
import threading
import time
from pathlib import Path
from typing import Any

import pyarrow as pa

from openuhc.engine import storage

WRITE_OPTIONS = {"compression": "zstd", "write_statistics": True, "use_dictionary": True}


def setup() -> None:
    """A worker process's start: the settings module, and a watch on the coordinating process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    threading.Thread(target=_exit_with, args=(os.getppid(),), name="parent-watch", daemon=True).start()


def _exit_with(parent: int) -> None:
    """Exit once the coordinating process is gone (killed): a pool's worker waits on a queue it also holds the
    writing end of, so it would wait forever. Its chunk's lease is taken back by whoever resumes the run."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _django() -> None:
    from django.apps import apps

    if not apps.ready:
        import django

        setup()
        django.setup()  # workers never touch the database


def function(name: str, module: str = "", standalone: bool = False) -> Any:
    from openuhc.engine import registry

    if name not in registry.FUNCTIONS:
        if standalone and module:
            importlib.import_module(module)
        else:
            _django()
    return registry.get(name)


def sha256(path: Path | str) -> str:
    return storage.sha256(path)


def write_chunk(table: Any, path: Path | str) -> None:
    """A chunk's output as an Arrow IPC file (LZ4): written and read back at memory speed. Only the run's
    assembled output is encoded as Parquet, once; encoding every chunk as Parquet too cost as much as the
    grouping itself."""
    storage.write_ipc(table, path)


def read_chunk(path: Path | str) -> Any:
    """A chunk file: Arrow IPC, or Parquet for a chunk written before IPC chunks (a run resumed across the
    change)."""
    if str(path).endswith(".parquet"):
        return storage.parquet(path).read()
    return storage.read_ipc(path)


class OutputSchemaError(ValueError):
    """A function returned columns other than those it declared."""


def conform(table: Any, schema: Any) -> Any:
    """The function's output with its declared schema: the same column names in the same order, types cast
    (a column that is all null in one chunk must not come out typed `null`). Without a declaration, as is."""
    if schema is None or table.schema.equals(schema):
        return table
    if table.schema.names != schema.names:
        raise OutputSchemaError(f"returned columns {table.schema.names}, declared {schema.names}")
    try:
        return table.cast(schema)
    except (ValueError, TypeError, NotImplementedError) as error:  # pyarrow's ArrowInvalid is a ValueError
        raise OutputSchemaError(f"output does not cast to the declared schema: {error}") from None


def compute_table(fn: Any, table: Any, params: dict[str, Any], target: str, keep: bool = False) -> tuple[Any, ...]:
    """Apply a registered function to a chunk's rows and write the result atomically; (rows, sha256), and with
    `keep` the result as its file reads back (a thread's caller appends it to the output without reading the file
    again). Every runner goes through here, which is what makes their outputs identical to the byte."""
    out = conform(fn.fn(table, params), fn.output_schema(table.schema, params))
    write_chunk(out, target)
    if keep:  # the file's record batches: the same arrays, cut where `read_chunk` cuts them
        return out.num_rows, sha256(target), pa.Table.from_batches(out.to_batches(), out.schema)
    return out.num_rows, sha256(target)


def read_groups(input_path: str, first: int, last: int) -> Any:
    return storage.parquet(input_path).read_row_groups(list(range(first, last)))


def compute_chunk(function_name: str, input_path: str, first: int, last: int, params: dict[str, Any],
                  target: str, module: str = "", standalone: bool = False, keep: bool = False) -> tuple[Any, ...]:
    """Read row groups [first, last), apply the function, write the result atomically; (rows, sha256), and the
    result with `keep` (`compute_table`)."""
    fn = function(function_name, module, standalone)
    return compute_table(fn, read_groups(input_path, first, last), params, target, keep)
