"""Pricing as batch functions of the engine. An IP chunk must hold whole (region, budget year) groups (a round's
rate for a year depends on all its claims): the round writes one row group per group, and the function is declared
a group function of (region, fiscal_year), so that no runner ever splits one. A fee chunk holds whole groups of
people (caps count per person): one row group per group of people, declared by person_key. Both declare their
output columns (docs/payment.md), money as decimal128(16, 2) baht."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from django.utils.translation import gettext_lazy as _

from openuhc.core.codes import extend
from openuhc.engine.registry import groups, register

MONEY = pa.decimal128(16, 2)
QUANTITY = pa.decimal128(12, 3)
IP_OUTPUT = pa.schema([("claim_id", pa.int64()), ("hcode", pa.large_string()), ("region", pa.int32()),
                       ("fiscal_year", pa.int32()), ("is_public", pa.bool_()), ("adjrw", pa.float64()),
                       ("adjrw2", pa.float64()), ("reasons", pa.large_string()), ("late_percent", MONEY),
                       ("rate", MONEY), ("amount", MONEY), ("rti", MONEY), ("salary", MONEY), ("net", MONEY)])
FEE_OUTPUT = pa.schema([("claim_id", pa.int64()), ("hcode", pa.large_string()), ("region", pa.int64()),
                        ("service_date", pa.date32()), ("person_key", pa.large_string()), ("item", pa.large_string()),
                        ("period", pa.int64()), ("reason", pa.large_string()), ("quantity", QUANTITY),
                        ("paid_quantity", QUANTITY), ("price", MONEY), ("amount", MONEY)])


@register("payment.price_ip", "2", shape=groups("region", "fiscal_year"), schema=IP_OUTPUT)
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


@register("payment.price_fee", "2", shape=groups("person_key"), schema=FEE_OUTPUT)
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

extend("engine_function", {"payment.price_ip": _("inpatient pricing"),
                            "payment.price_fee": _("fee-schedule pricing")})
