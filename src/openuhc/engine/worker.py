"""What a worker process runs. Kept free of Django models at import time: a spawned process imports this
module first, then sets Django up in `setup` (which registers every app's batch functions)."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

WRITE_OPTIONS = {"compression": "zstd", "write_statistics": True, "use_dictionary": True}


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openuhc.settings")
    import django

    django.setup()  # workers never touch the database


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def compute_chunk(function: str, input_path: str, first: int, last: int, params: dict[str, Any],
                  target: str) -> tuple[int, str]:
    """Read row groups [first, last), apply the function, write the result atomically; (rows, sha256)."""
    import pyarrow.parquet as pq

    from openuhc.engine import registry

    table = pq.ParquetFile(input_path).read_row_groups(list(range(first, last)))
    out = registry.get(function).fn(table, params)
    final = Path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex}")
    pq.write_table(out, tmp, **WRITE_OPTIONS)
    os.replace(tmp, final)
    return out.num_rows, sha256(final)
