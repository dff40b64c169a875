"""Registered batch functions: pure, deterministic `fn(batch: pa.RecordBatch, params: dict) -> pa.Table`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

BatchFunction = Callable[[pa.Table, dict[str, Any]], pa.Table]


@dataclass(frozen=True)
class Registered:
    name: str
    version: str
    fn: BatchFunction
    module: str = ""  # where the function is defined: a worker imports it from there
    standalone: bool = False  # needs no Django app registry: a worker can skip django.setup()
    threads: bool | Callable[[dict[str, Any]], bool] = False  # native code that releases the GIL (per params)

    def in_threads(self, params: dict[str, Any]) -> bool:
        return bool(self.threads(params)) if callable(self.threads) else self.threads


FUNCTIONS: dict[str, Registered] = {}


def register(name: str, version: str, *, standalone: bool = False,
             threads: bool | Callable[[dict[str, Any]], bool] = False) -> Callable[[BatchFunction], BatchFunction]:
    """Register a function under a name; bump the version whenever its output for the same input changes.

    `standalone=True` promises that the function's module and everything it calls work without the Django
    app registry (no models, no `django.setup()`): worker processes then import only that module, which
    saves about a second per worker start. `threads=True` says the function spends its time in native code
    that releases the GIL (Arrow, Polars): the runner then computes chunks in threads of the coordinating
    process — no process to start, reference tables loaded once — instead of worker processes
    (docs/engine.md). Such a function must be thread-safe. `threads` may be a function of the run's params,
    for a function whose params choose between a native and a pure-Python way."""

    def wrap(fn: BatchFunction) -> BatchFunction:
        FUNCTIONS[name] = Registered(name, version, fn, fn.__module__, standalone, threads)
        return fn

    return wrap


def get(name: str) -> Registered:
    from openuhc.core.errors import DomainError
    from openuhc.engine.errors import EngineError

    try:
        return FUNCTIONS[name]
    except KeyError:
        raise DomainError(EngineError.UNKNOWN_FUNCTION, name=name, known=", ".join(sorted(FUNCTIONS))) from None
