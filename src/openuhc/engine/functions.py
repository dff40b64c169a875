"""The engine's own batch function: `engine.selftest`, for operators checking an installation (and for the
kill-and-resume tests). It adds a SHA-256 of each row's values; `delay` seconds per chunk simulate work; `fail`
makes every chunk fail, `fail_once` (a file path) the first chunk to run, once (a task that Spark retries); `pool`
runs it in threads or in a mixed pool instead of worker processes."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pyarrow as pa
from django.utils.translation import gettext_lazy as _

from openuhc.core.codes import extend
from openuhc.engine.registry import MIXED, ROWS, register


def _output(input_schema: pa.Schema, params: dict[str, Any]) -> pa.Schema:
    return input_schema.append(pa.field("row_sha256", pa.string()))


def _pool(params: dict[str, Any]) -> bool | str:
    """`pool`: "threads" or "mixed" (registry.MIXED) to run the self-test that way; worker processes otherwise."""
    return {"threads": True, MIXED: MIXED}.get(params.get("pool", ""), False)


@register("engine.selftest", "1", standalone=True, threads=_pool, shape=ROWS, schema=_output)
def selftest(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    if params.get("delay"):
        time.sleep(float(params["delay"]))
    if params.get("fail"):
        raise ValueError("asked to fail")
    if params.get("fail_once"):
        try:
            with open(params["fail_once"], "x"):  # the first to create the marker fails; every later call goes on
                pass
        except FileExistsError:
            pass
        else:
            raise ValueError("asked to fail once")
    rows = zip(*(table.column(name).to_pylist() for name in table.column_names), strict=True)
    digests = [hashlib.sha256(repr(row).encode()).hexdigest() for row in rows]
    return table.append_column("row_sha256", pa.array(digests, pa.string()))

extend("engine_function", {"engine.selftest": _("engine self-test")})
