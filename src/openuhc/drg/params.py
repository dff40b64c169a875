"""Thai DRG parameters (see openuhc.core.params) and the weighing schedule built from them."""

from __future__ import annotations

from datetime import date
from typing import Any

from openuhc.core.params import define
from openuhc.drg.adjrw import DEFAULT_FACTOR, DEFAULT_RULE

LONG_STAY_RULE = define(
    "drg.long_stay_rule", "str", DEFAULT_RULE,
    "AdjRW rule (short and long stays; a named, versioned plug-in)",
    "กฎคำนวณ AdjRW (วันนอนสั้นและยาว ปลั๊กอินที่มีชื่อและรุ่น)",
    source="TDRG 6.3 manual, Volume 1 p. 198 (tdrg63); tdrg5 = the TDRG 5 long-stay rule, kept for earlier results.",
)
OUTLIER_FACTOR = define(
    "drg.outlier_factor", "str", DEFAULT_FACTOR,
    "Outlier factor (OF) of the long-stay AdjRW: the DRG's MDF (mdf) or 1.0 (1)",
    "ตัวคูณ OF ของ AdjRW วันนอนยาว: ค่า MDF ของ DRG (mdf) หรือ 1.0 (1)",
    source="Volume 1 p. 198 names OF = MDF (c63drg; p. 181 gives 0.67 for DRG 06072) but its DRG 06072 example "
           "computes with 1.0.",
)


def weighing_on(on: date | None) -> str:
    """The rule key ("tdrg63:mdf") in force on a discharge date (today's when None)."""
    from openuhc.core.dates import today
    from openuhc.core.params import get
    from openuhc.drg.adjrw import rule_key

    day = on or today()
    return rule_key(get(LONG_STAY_RULE.key, on=day), get(OUTLIER_FACTOR.key, on=day))


def weighing_schedule() -> list[dict[str, Any]]:
    """Every change of the weighing rule as JSON-able periods [{"from": ISO date or None, "key": ...}], oldest
    first: what batch work carries into worker processes, which do not read the database."""
    from openuhc.core.models import ParameterValue

    rows = ParameterValue.objects.filter(key__in=[LONG_STAY_RULE.key, OUTLIER_FACTOR.key], scheme="")
    starts = sorted(set(rows.values_list("valid_from", flat=True))
                    | set(rows.filter(valid_to__isnull=False).values_list("valid_to", flat=True)))
    periods: list[dict[str, Any]] = [{"from": None, "key": weighing_on(date(1900, 1, 1))}]
    for start in starts:
        for day in (start, date.fromordinal(start.toordinal() + 1)):
            key = weighing_on(day)
            if key != periods[-1]["key"]:
                periods.append({"from": day.isoformat(), "key": key})
    return periods
