"""Pricing as batch functions of the engine. An IP chunk must hold whole region-months (a month's rate depends on
all its claims): the payment service writes one row group per region-month. A fee chunk holds whole groups of
people (caps count per person): one row group per group of people."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from django.utils.translation import gettext_lazy as _

from openuhc.core.codes import extend
from openuhc.engine.registry import register


@register("payment.price_ip", "1")
def price_ip(table: pa.Table, params: dict[str, Any]) -> pa.Table:
    from openuhc.budget.config import parse
    from openuhc.payment import pricing

    rules = pricing.IpRules.from_config(parse(params["config"]), params["months"])
    priced, _summary = pricing.price_ip(table, rules)
    return priced


@register("payment.price_fee", "1")
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

extend("engine_function", {"payment.price_ip": _("inpatient pricing"),
                            "payment.price_fee": _("fee-schedule pricing")})
