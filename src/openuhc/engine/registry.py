"""Registered batch functions: pure, deterministic `fn(table: pa.Table, params: dict) -> pa.Table`.

Each function declares what any runner (in-process or Apache Spark, docs/engine.md) needs to run it the same way:

- its **shape**: `ROWS` (each row's output depends on that row alone: any chunk of whole row groups will do) or
  `groups(*columns)` (a row's output depends on the other rows with the same values of `columns`, e.g. every
  claim of a region-month: a chunk must hold whole groups, which the runner checks when a run starts);
- its **output schema**: an Arrow schema, or a function of the input's schema and the run's params. Every
  chunk's output is conformed to it (same column names in the same order; types cast), so chunks computed
  anywhere assemble into one file, and a run with no rows still has an output with the right columns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

BatchFunction = Callable[[pa.Table, dict[str, Any]], pa.Table]
MIXED = "mixed"  # one worker a thread of the coordinating process, the others processes
Threads = bool | str | Callable[[dict[str, Any]], bool | str]
SchemaOf = pa.Schema | Callable[[pa.Schema, dict[str, Any]], pa.Schema] | None


@dataclass(frozen=True)
class Shape:
    """`keys` empty: a row function. Otherwise a group function over the groups of rows sharing `keys`."""

    keys: tuple[str, ...] = ()

    @property
    def grouped(self) -> bool:
        return bool(self.keys)

    def describe(self) -> str:
        return f"groups of ({', '.join(self.keys)})" if self.keys else "rows"


ROWS = Shape()


def groups(*columns: str) -> Shape:
    """The shape of a function that needs all the rows sharing the values of `columns` in one call."""
    if not columns:
        raise ValueError("a group function needs at least one key column")
    return Shape(tuple(columns))


@dataclass(frozen=True)
class Registered:
    name: str
    version: str
    fn: BatchFunction
    module: str = ""  # where the function is defined: a worker imports it from there
    standalone: bool = False  # needs no Django app registry: a worker can skip django.setup()
    threads: Threads = False  # native code that releases the GIL (per params); MIXED: see `register`
    shape: Shape = ROWS
    schema: SchemaOf = None

    def pool(self, params: dict[str, Any]) -> str:
        """How the in-process runner computes the chunks: "threads", "processes" or MIXED."""
        value = self.threads(params) if callable(self.threads) else self.threads
        return MIXED if value == MIXED else "threads" if value else "processes"

    def output_schema(self, input_schema: pa.Schema, params: dict[str, Any]) -> pa.Schema | None:
        if self.schema is None or isinstance(self.schema, pa.Schema):
            return self.schema
        return self.schema(input_schema, params)


FUNCTIONS: dict[str, Registered] = {}


def register(name: str, version: str, *, standalone: bool = False,
             threads: Threads = False, shape: Shape = ROWS,
             schema: SchemaOf = None) -> Callable[[BatchFunction], BatchFunction]:
    """Register a function under a name; bump the version whenever its output for the same input changes.

    `standalone=True` promises that the function's module and everything it calls work without the Django
    app registry (no models, no `django.setup()`): worker processes then import only that module, which
    saves about a second per worker start. `threads=True` says the function spends its time in native code
    that releases the GIL (Arrow, Polars): the runner then computes chunks in threads of the coordinating
    process — no process to start, reference tables loaded once — instead of worker processes
    (docs/engine.md). Such a function must be thread-safe. `threads` may be a function of the run's params,
    for a function whose params choose between a native and a pure-Python way, and it may give `MIXED`: one
    worker is then a thread of the coordinating process and the others are processes, each with a native thread
    pool of its own (Polars has one pool per process, which threads of one process wait for in turn), and only
    one process's start-up is paid per extra worker. `shape` and `schema`: see the module's docstring."""

    def wrap(fn: BatchFunction) -> BatchFunction:
        FUNCTIONS[name] = Registered(name, version, fn, fn.__module__, standalone, threads, shape, schema)
        return fn

    return wrap


def get(name: str) -> Registered:
    from openuhc.core.errors import DomainError
    from openuhc.engine.errors import EngineError

    try:
        return FUNCTIONS[name]
    except KeyError:
        raise DomainError(EngineError.UNKNOWN_FUNCTION, name=name, known=", ".join(sorted(FUNCTIONS))) from None
