"""What Spark's executors run (engine.spark is the driver's side). Free of Django and of pyspark: these objects are
pickled by the driver and called by Spark's Python workers, which need only OpenUHC importable.

Every task computes through `worker.compute_table`, as the in-process runner does, writes its chunk file (temporary
name, then renamed) and a small receipt beside it, and returns (index, rows, sha256, token) — it never touches the
database: the driver records chunks, so a task that Spark runs twice writes the same bytes and changes nothing
twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from openuhc.engine import storage, worker

RESULT_SCHEMA = "index long, rows long, sha256 string, token string"
ROW = "_openuhc_row"  # the input row's position in its file (Spark's _metadata.row_index)
CHUNK = "_openuhc_chunk"  # which chunk a row belongs to


def receipt_path(target: str) -> str:
    return f"{target}.done"


class ChunkFailed(RuntimeError):
    """Carries the chunk's index in its message, which Spark passes back to the driver inside its own error."""

    def __init__(self, index: int, error: BaseException) -> None:
        super().__init__(f"openuhc chunk {index}: {type(error).__name__}: {error}")


@dataclass(frozen=True)
class Job:
    """What every task of one run's Spark job needs: the function, the input, the params, where each chunk goes."""

    function: str
    module: str
    standalone: bool
    input_uri: str
    params: dict[str, Any]
    token: str  # this job's; the driver accepts only receipts that carry it
    targets: dict[int, str]  # chunk index → its file

    def compute(self, index: int, table: pa.Table) -> pa.RecordBatch:
        target = self.targets[index]
        try:
            fn = worker.function(self.function, self.module, self.standalone)
            rows, checksum = worker.compute_table(fn, table, self.params, target)
        except Exception as error:
            raise ChunkFailed(index, error) from error
        storage.write_bytes(receipt_path(target), json.dumps(
            {"token": self.token, "rows": rows, "sha256": checksum}).encode())
        return pa.RecordBatch.from_pydict({"index": pa.array([index], pa.int64()), "rows": pa.array([rows], pa.int64()),
                                           "sha256": [checksum], "token": [self.token]})


@dataclass(frozen=True)
class ChunkTask:
    """A row function: `spark.range(n, numPartitions=n).mapInArrow(ChunkTask(...))` — one task per chunk, which
    reads its chunk's row groups from the input itself (no shuffle)."""

    job: Job
    chunks: tuple[tuple[int, int, int], ...]  # (index, first row group, last row group), by position

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            for position in batch.column(0).to_pylist():
                index, first, last = self.chunks[position]
                yield self.job.compute(index, worker.read_groups(self.job.input_uri, first, last))


@dataclass(frozen=True)
class AssignChunks:
    """A group function, step 1 (`mapInArrow` over Spark's reading of the input): each row gets the chunk it
    belongs to, from its row position; rows of chunks done already are dropped."""

    starts: tuple[int, ...]  # each chunk's first row in the file, ascending
    wanted: frozenset[int]

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import numpy as np

        starts = np.asarray(self.starts, dtype=np.int64)
        wanted = pa.array(sorted(self.wanted), pa.int64())
        for batch in batches:
            rows = batch.column(batch.schema.get_field_index(ROW)).to_numpy(zero_copy_only=False)
            chunk = pa.array(np.searchsorted(starts, rows, side="right") - 1, pa.int64())
            batch = pa.RecordBatch.from_arrays([*batch.columns, chunk], names=[*batch.schema.names, CHUNK])
            yield batch.filter(pc.is_in(chunk, value_set=wanted))


@dataclass(frozen=True)
class GroupTask:
    """A group function, step 2 (`groupBy(chunk).applyInArrow`): one call per chunk — whole groups of the
    function's keys — with its rows put back in file order and in the input's own Arrow types."""

    job: Job
    schema: pa.Schema  # the input file's

    def as_function(self) -> Any:
        """A plain one-argument function: PySpark counts a callable's arguments (with `self`) to choose between
        `f(table)` and `f(key, table)`."""
        return lambda table: self(table)

    def __call__(self, table: pa.Table) -> pa.Table:
        index = table.column(CHUNK)[0].as_py()
        table = table.sort_by(ROW).drop_columns([ROW, CHUNK]).select(self.schema.names).cast(self.schema)
        return pa.Table.from_batches([self.job.compute(index, table)])
