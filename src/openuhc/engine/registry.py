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


FUNCTIONS: dict[str, Registered] = {}


def register(name: str, version: str) -> Callable[[BatchFunction], BatchFunction]:
    """Register a function under a name; bump the version whenever its output for the same input changes."""

    def wrap(fn: BatchFunction) -> BatchFunction:
        FUNCTIONS[name] = Registered(name, version, fn)
        return fn

    return wrap


def get(name: str) -> Registered:
    from openuhc.core.errors import DomainError
    from openuhc.engine.errors import EngineError

    try:
        return FUNCTIONS[name]
    except KeyError:
        raise DomainError(EngineError.UNKNOWN_FUNCTION, name=name, known=", ".join(sorted(FUNCTIONS))) from None
