"""Where a run's files live: a local folder, or a path every machine of a cluster reads (`s3://`, `gs://`,
`hdfs://`, ... through pyarrow's file systems). Kept free of Django: Spark executors and worker processes use it.

A plain path is a local file. A URI is opened with `pyarrow.fs.FileSystem.from_uri`, which takes its credentials
from the usual places of each store (for S3 the AWS_* variables or the instance's role; for GCS the application
default credentials; for HDFS libhdfs and the Hadoop configuration) — see docs/engine.md.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq


def is_uri(location: str) -> bool:
    return "://" in str(location)


def resolve(location: str | Path) -> tuple[pafs.FileSystem, str]:
    """The file system and the path inside it."""
    text = str(location)
    if not is_uri(text):
        return pafs.LocalFileSystem(), str(Path(text).absolute())
    filesystem, path = pafs.FileSystem.from_uri(text)
    return filesystem, path


def join(base: str | Path, *parts: str) -> str:
    text = str(base)
    return posixpath.join(text, *parts) if is_uri(text) else str(Path(text, *parts))


def exists(location: str | Path) -> bool:
    filesystem, path = resolve(location)
    return filesystem.get_file_info(path).type != pafs.FileType.NotFound


def makedirs(location: str | Path) -> None:
    filesystem, path = resolve(location)
    filesystem.create_dir(path, recursive=True)


def parquet(location: str | Path) -> pq.ParquetFile:
    filesystem, path = resolve(location)
    return pq.ParquetFile(filesystem.open_input_file(path))


def sha256(location: str | Path) -> str:
    filesystem, path = resolve(location)
    digest = hashlib.sha256()
    with filesystem.open_input_stream(path) as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(location: str | Path, write: Any) -> None:
    """`write(sink)` into a temporary name beside `location`, then renamed into place: a reader never sees half
    a file, and a retried task that writes the same bytes again changes nothing. (On object stores a rename is
    a copy and a delete; the object appears whole either way.)"""
    filesystem, path = resolve(location)
    folder, name = posixpath.split(path) if is_uri(str(location)) else os.path.split(path)
    filesystem.create_dir(folder, recursive=True)
    tmp = (posixpath if is_uri(str(location)) else os.path).join(folder, f".{name}.{uuid.uuid4().hex}")
    try:
        with filesystem.open_output_stream(tmp) as sink:
            write(sink)
        filesystem.move(tmp, path)
    except BaseException:
        if filesystem.get_file_info(tmp).type != pafs.FileType.NotFound:
            filesystem.delete_file(tmp)
        raise


def write_bytes(location: str | Path, data: bytes) -> None:
    write_atomically(location, lambda sink: sink.write(data))


def read_bytes(location: str | Path) -> bytes:
    filesystem, path = resolve(location)
    with filesystem.open_input_stream(path) as handle:
        return handle.read()


def copy(source: str | Path, target: str | Path) -> None:
    """Copy a file (e.g. a run's input onto the cluster's storage), atomically at the target."""
    filesystem, path = resolve(source)

    def write(sink: Any) -> None:
        with filesystem.open_input_stream(path) as handle:
            while block := handle.read(8 << 20):
                sink.write(block)

    write_atomically(target, write)


def write_ipc(table: pa.Table, location: str | Path) -> None:
    """A chunk's output as an Arrow IPC file (LZ4): written and read back at memory speed."""
    options = pa.ipc.IpcWriteOptions(compression="lz4")

    def write(sink: Any) -> None:
        with pa.ipc.new_file(sink, table.schema, options=options) as writer:
            writer.write_table(table)

    write_atomically(location, write)


def read_ipc(location: str | Path) -> pa.Table:
    filesystem, path = resolve(location)
    with filesystem.open_input_file(path) as source:  # reads copy: the table outlives the file handle
        return pa.ipc.open_file(source).read_all()
