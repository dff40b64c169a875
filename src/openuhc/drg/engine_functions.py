"""Grouping as a batch function of the engine: `drg.group` (params: the table set's version and cache path)."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from openuhc.engine.registry import register


@register("drg.group", "1")
def group(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    from openuhc.drg.services import group_batch
    from openuhc.drg.tables import load_path

    return group_batch(table, tables=load_path(params["version"], params["tables_path"]))


def params_for(tables: Any) -> dict[str, str]:
    return {"version": tables.version, "tables_path": str(tables.folder)}
