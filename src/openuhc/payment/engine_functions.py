"""Pricing as batch functions of the engine. An IP chunk must hold whole region-months (a month's rate depends on
all its claims): the payment service writes one row group per region-month, and the function is declared a group
function of (region, service_month), so that no runner ever splits one. A fee chunk holds whole groups of people
(caps count per person): one row group per group of people, declared by person_key. Both declare their output
columns (docs/payment.md), money as decimal128(16, 2) baht."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from openuhc.engine.registry import groups, register

MONEY = pa.decimal128(16, 2)
IP_OUTPUT = pa.schema([("claim_id", pa.int64()), ("hcode", pa.large_string()), ("region", pa.int32()),
                       ("service_month", pa.int32()), ("is_public", pa.bool_()), ("adjrw", pa.float64()),
                       ("adjrw2", pa.float64()), ("reasons", pa.large_string()), ("late_percent", MONEY),
                       ("rate", MONEY), ("amount", MONEY), ("rti", MONEY), ("salary", MONEY), ("net", MONEY)])
FEE_OUTPUT = pa.schema([("claim_id", pa.int64()), ("hcode", pa.large_string()), ("region", pa.int64()),
                        ("service_date", pa.date32()), ("person_key", pa.large_string()), ("item", pa.large_string()),
                        ("period", pa.int64()), ("quantity", pa.int64()), ("paid_quantity", pa.int64()),
                        ("reason", pa.large_string()), ("price", MONEY), ("amount", MONEY)])


@register("payment.price_ip", "1", shape=groups("region", "service_month"), schema=IP_OUTPUT)
def price_ip(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    from openuhc.budget.config import parse
    from openuhc.payment import pricing

    rules = pricing.IpRules.from_config(parse(params["config"]), params["months"])
    priced, _summary = pricing.price_ip(table, rules)
    return priced


@register("payment.price_fee", "1", shape=groups("person_key"), schema=FEE_OUTPUT)
def price_fee(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    """A chunk holds all of its people's itemised lines (the input's row groups are groups of people); what
    earlier runs paid them (`params["prior"]`, a Parquet file staged with the run) counts against the caps."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from openuhc.budget.config import parse
    from openuhc.payment import pricing

    prior = pq.read_table(params["prior"]) if params.get("prior") else None
    if prior is not None and prior.schema.field("person_key").type == table.schema.field("person_key").type:
        prior = prior.filter(pc.is_in(prior.column("person_key"), value_set=table.column("person_key")))
    lines, _summary = pricing.price_fee(table, pricing.FeeRules.from_config(parse(params["config"])), prior)
    return lines
