"""Pricing as batch functions of the engine. An IP chunk must hold whole (region, budget year) groups (a round's
rate for a year depends on all its claims): the round writes one row group per group. A fee chunk holds whole
groups of people (caps count per person): one row group per group of people."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from openuhc.engine.registry import register


@register("payment.price_ip", "2")
def price_ip(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    """`params["years"]`: per budget year (BE, as text) its configuration and what is left of each region's budget
    (`left`: region → baht)."""
    from decimal import Decimal

    from openuhc.budget.config import parse
    from openuhc.payment import pricing

    rules = {int(fy): pricing.IpRules.from_config(parse(year["config"]), {
        (int(region), int(fy)): Decimal(left) for region, left in year["left"].items()})
        for fy, year in params["years"].items()}
    priced, _summary = pricing.price_ip_years(table, rules)
    return priced


@register("payment.price_fee", "2")
def price_fee(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    """A chunk holds all of its people's itemised lines (the input's row groups are groups of people), priced
    with the fee schedule of each line's fiscal year (`params["years"]`); what earlier rounds paid them
    (`params["prior"]`, a Parquet file staged with the round) counts against the caps."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from openuhc.budget.config import parse
    from openuhc.payment import pricing

    prior = pq.read_table(params["prior"]) if params.get("prior") else None
    if prior is not None and prior.schema.field("person_key").type == table.schema.field("person_key").type:
        prior = prior.filter(pc.is_in(prior.column("person_key"), value_set=table.column("person_key")))
    start = int(params["fy_start_month"])
    rules = {int(fy): pricing.FeeRules.from_config(parse(config), start) for fy, config in params["years"].items()}
    lines, _summary = pricing.price_fee_years(table, rules, prior)
    return lines
