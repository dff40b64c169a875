"""The engine's own batch function: `engine.selftest`, for operators checking an installation (and for the
kill-and-resume test). It adds a SHA-256 of each row's values; `delay` seconds per chunk simulate work."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pyarrow as pa
from django.utils.translation import gettext_lazy as _

from openuhc.core.codes import extend
from openuhc.engine.registry import register


@register("engine.selftest", "1", standalone=True)
def selftest(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    if params.get("delay"):
        time.sleep(float(params["delay"]))
    if params.get("fail"):
        raise ValueError("asked to fail")
    rows = zip(*(table.column(name).to_pylist() for name in table.column_names), strict=True)
    digests = [hashlib.sha256(repr(row).encode()).hexdigest() for row in rows]
    return table.append_column("row_sha256", pa.array(digests, pa.string()))

extend("engine_function", {"engine.selftest": _("engine self-test")})
