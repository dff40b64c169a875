"""How an input is cut into chunks: whole Parquet row groups, about `rows_per_chunk` rows each — and, for a group
function (registry.groups), never a group across two chunks. The in-process runner and Spark compute the same
chunks, which is what makes their outputs identical to the byte."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from openuhc.core.errors import DomainError
from openuhc.engine.errors import EngineError

Range = tuple[int, int, int]  # first row group, last row group (exclusive), rows


def by_rows(meta: pq.FileMetaData, rows_per_chunk: int) -> list[Range]:
    ranges, first, rows = [], 0, 0
    for group in range(meta.num_row_groups):
        rows += meta.row_group(group).num_rows
        if rows >= rows_per_chunk or group == meta.num_row_groups - 1:
            ranges.append((first, group + 1, rows))
            first, rows = group + 1, 0
    return ranges


def whole_groups(source: pq.ParquetFile, ranges: Sequence[Range], keys: Sequence[str], function: str) -> list[Range]:
    """`ranges` with every run of chunks that share a group merged into one chunk. Reads the key columns only.
    An input written group by group (one or more row groups per group, as the payment runs stage theirs) keeps
    its chunks; an input in another order still runs correctly, in fewer, larger chunks."""
    missing = [k for k in keys if k not in source.schema_arrow.names]
    if missing:
        raise DomainError(EngineError.MISSING_KEYS, function=function, keys=", ".join(keys),
                          columns=", ".join(missing))
    if len(ranges) < 2:
        return list(ranges)
    seen = []
    for index, (first, last, _rows) in enumerate(ranges):
        table = source.read_row_groups(list(range(first, last)), columns=list(keys))
        unique = table.group_by(list(keys)).aggregate([])
        seen.append(unique.append_column("_chunk", pa.array([index] * unique.num_rows, pa.int64())))
    # Arrow, not Polars: a caller may fork after starting a run, and Polars' thread pool does not survive a fork.
    spans = pa.concat_tables(seen).group_by(list(keys)).aggregate([("_chunk", "min"), ("_chunk", "max")])
    spans = spans.filter(pc.less(spans.column("_chunk_min"), spans.column("_chunk_max")))
    reach = list(range(len(ranges)))  # reach[i]: the last chunk that chunk i must be merged with
    for lo, hi in zip(spans.column("_chunk_min").to_pylist(), spans.column("_chunk_max").to_pylist(),
                      strict=True):
        reach[lo] = max(reach[lo], hi)
    merged: list[Range] = []
    index = 0
    while index < len(ranges):
        end = reach[index]
        j = index
        while j <= end:  # a merged span may itself reach further
            end = max(end, reach[j])
            j += 1
        merged.append((ranges[index][0], ranges[end][1], sum(r[2] for r in ranges[index:end + 1])))
        index = end + 1
    return merged
