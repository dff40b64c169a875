"""Pricing as batch functions of the engine. A chunk must hold whole region-months (a month's rate depends on
all its claims): the payment service writes one region-month per run, so one chunk."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from openuhc.engine.registry import register


@register("payment.price_ip", "1")
def price_ip(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    from openuhc.budget.config import parse
    from openuhc.payment import pricing

    rules = pricing.IpRules.from_config(parse(params["config"]), params["months"])
    priced, _summary = pricing.price_ip(table, rules)
    return priced
