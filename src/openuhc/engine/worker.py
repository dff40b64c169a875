"""What a worker process runs. Kept free of Django models at import time: a spawned process imports this
module first. A function registered `standalone` is found by importing its own module only; any other
function needs `django.setup()` (which registers every app's batch functions), done once per process on
first need. Starting Django costs about a second per worker, which dominated small runs."""

from __future__ import annotations

import hashlib
import importlib
import os
import uuid
from pathlib import Path
from typing import Any

WRITE_OPTIONS = {"compression": "zstd", "write_statistics": True, "use_dictionary": True}


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")


def _django() -> None:
    from django.apps import apps

    if not apps.ready:
        import django

        setup()
        django.setup()  # workers never touch the database


def _function(name: str, module: str, standalone: bool) -> Any:
    from openuhc.engine import registry

    if name not in registry.FUNCTIONS:
        if standalone and module:
            importlib.import_module(module)
        else:
            _django()
    return registry.get(name)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_chunk(table: Any, path: Path) -> None:
    """A chunk's output as an Arrow IPC file (LZ4): written and read back at memory speed. Only the run's
    assembled output is encoded as Parquet, once; encoding every chunk as Parquet too cost as much as the
    grouping itself."""
    import pyarrow as pa

    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)


def read_chunk(path: Path) -> Any:
    """A chunk file: Arrow IPC, or Parquet for a chunk written before IPC chunks (a run resumed across the
    change)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.suffix == ".parquet":
        return pq.ParquetFile(path).read()
    with pa.OSFile(str(path), "rb") as source:  # reads copy: the table outlives the file handle
        return pa.ipc.open_file(source).read_all()


def compute_chunk(function: str, input_path: str, first: int, last: int, params: dict[str, Any],
                  target: str, module: str = "", standalone: bool = False) -> tuple[int, str]:
    """Read row groups [first, last), apply the function, write the result atomically; (rows, sha256)."""
    import pyarrow.parquet as pq

    fn = _function(function, module, standalone)
    table = pq.ParquetFile(input_path).read_row_groups(list(range(first, last)))
    out = fn.fn(table, params)
    final = Path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}")
    write_chunk(out, tmp)
    os.replace(tmp, final)
    return out.num_rows, sha256(final)
