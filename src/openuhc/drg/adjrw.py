"""Length of stay and the adjusted relative weight (AdjRW), exact in Decimal, with versioned rules.

    LOS = discharge date − admission date − leave days

The rule in force is TDRG 6.3's (manual Volume 1 p. 198, `tdrg63`):

    short stay, LOS < 1 or LOS < WTLOS / 3:
        RW0D = 0 → RW;  LOS < 1 → RW0D;  WTLOS > 3 → RW0D + LOS × (RW − RW0D) / ceil(WTLOS / 3);  else RW
    long stay, LOS > OT, with (b12, b23) by the DRG's type and RW:
        surgical (third character 0–4): RW < 2 → (0.0904, 0.0584), else (0.1580, 0.1268)
        medical:                        RW < 0.7 → (0.0770, 0.0480), else (0.1212, 0.0743)
        OT < LOS ≤ 2·OT:    RW + OF·b12·(LOS − OT)
        2·OT < LOS ≤ 3·OT:  RW + OF·b12·OT + OF·b23·(LOS − 2·OT)
        LOS > 3·OT:         RW + OF·OT·(b12 + b23)
    otherwise RW.

OF, the outlier factor, is the DRG's MDF from c63drg, or 1.0: the manual's own example for DRG 06072 used 1.0
while c63drg (and Volume 1 p. 181) give 0.67, so the source is the dated parameter `drg.outlier_factor`.
Results are rounded half-up to 4 decimals, once, at the end (ROUNDING). Earlier rules stay as named plug-ins
(`tdrg5`: the TDRG 5 long-stay rule, RW + (LOS − OT) × MDF × RW / WTLOS): a new rule is added to RULES and
chosen by the parameter `drg.long_stay_rule` from a date, never by editing an old one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

FOUR = Decimal("0.0001")
ROUNDING = ROUND_HALF_UP
ONE = Decimal(1)
# Volume 1 p. 198: the long-stay slopes per day, by DRG type and RW
SURGICAL_B = ((Decimal(2), Decimal("0.0904"), Decimal("0.0584")), (None, Decimal("0.1580"), Decimal("0.1268")))
MEDICAL_B = ((Decimal("0.7"), Decimal("0.0770"), Decimal("0.0480")), (None, Decimal("0.1212"), Decimal("0.0743")))


def length_of_stay(admitted: date, discharged: date, leave_days: int = 0) -> int:
    return (discharged - admitted).days - (leave_days or 0)


def low_trim(wtlos: Decimal) -> int:
    return int((Decimal(wtlos) / 3).to_integral_value(rounding=ROUND_CEILING))


def high_trim(wtlos: Decimal) -> int:
    return int((Decimal(wtlos) * 3).to_integral_value(rounding=ROUND_HALF_UP))


def is_surgical(drg: str) -> bool:
    """A surgical DRG: its third character (the DC's first digit) is 0–4 (Volume 1 p. 198)."""
    return len(drg) >= 3 and drg[2] in "01234"


def long_stay_slopes(drg: str, rw: Decimal) -> tuple[Decimal, Decimal]:
    """(b12, b23) of a DRG (Volume 1 p. 198)."""
    for limit, b12, b23 in SURGICAL_B if is_surgical(drg) else MEDICAL_B:
        if limit is None or rw < limit:
            return b12, b23
    raise AssertionError("unreachable")


def tdrg63(*, drg: str, rw: Decimal, rw0d: Decimal, wtlos: Decimal, ot: int, of: Decimal, los: int) -> Decimal:
    """Volume 1 p. 198, unrounded."""
    if los < 1 or los < wtlos / 3:
        if rw0d == 0:
            return rw
        if los < 1:
            return rw0d
        if wtlos > 3:
            return rw0d + los * (rw - rw0d) / low_trim(wtlos)
        return rw
    if los > ot:
        b12, b23 = long_stay_slopes(drg, rw)
        if los <= 2 * ot:
            return rw + of * b12 * (los - ot)
        if los <= 3 * ot:
            return rw + of * b12 * ot + of * b23 * (los - 2 * ot)
        return rw + of * ot * (b12 + b23)
    return rw


def tdrg5(*, drg: str, rw: Decimal, rw0d: Decimal, wtlos: Decimal, ot: int, of: Decimal, los: int) -> Decimal:
    """The earlier rule: L = ceil(WTLOS/3); LOS 0 → RW0D; LOS < L → linear; LOS > OT → RW + (LOS − OT) × MDF ×
    RW / WTLOS. Kept for results computed under it."""
    if los == 0:
        return rw0d
    if los < low_trim(wtlos):
        return rw0d + (rw - rw0d) * los / low_trim(wtlos)
    if los <= ot:
        return rw
    return rw + (los - ot) * of * rw / wtlos


RULES: dict[str, Callable[..., Decimal]] = {"tdrg63": tdrg63, "tdrg5": tdrg5}
FACTORS = ("mdf", "1")  # the outlier factor: the DRG's MDF, or 1.0
DEFAULT_RULE, DEFAULT_FACTOR = "tdrg63", "mdf"  # the parameters' defaults (drg/params.py)


def adjrw(*, rw: Decimal, rw0d: Decimal, wtlos: Decimal, los: int, ot: int | None = None, mdf: Decimal = ONE,
          drg: str = "", rule: str = "tdrg63", factor: str = "mdf") -> Decimal:
    """The AdjRW of one stay, half-up to 4 decimals. `ot` defaults to round-half-up(3 × WTLOS); `drg` (its code)
    decides surgical or medical slopes; `factor` is "mdf" (OF = MDF) or "1" (OF = 1.0)."""
    rw, rw0d, wtlos, mdf = Decimal(rw), Decimal(rw0d), Decimal(wtlos), Decimal(mdf)
    if los < 0:
        raise ValueError("length of stay is negative")
    if rw == 0 or wtlos == 0:
        return Decimal("0.0000") if rw == 0 else rw.quantize(FOUR, rounding=ROUNDING)
    upper = high_trim(wtlos) if ot is None else ot
    of = mdf if factor == "mdf" else ONE
    value = RULES[rule](drg=drg, rw=rw, rw0d=rw0d, wtlos=wtlos, ot=upper, of=of, los=los)
    return value.quantize(FOUR, rounding=ROUNDING)


def rule_key(rule: str, factor: str) -> str:
    """One string naming a rule and its factor, e.g. "tdrg63:mdf" (what results and caches are keyed by)."""
    return f"{rule}:{factor}"


def key_on(schedule: list[dict[str, Any]] | None, on: date | None) -> str:
    """The rule key of a weighing schedule (`drg.params.weighing_schedule`) on a discharge date; the defaults'
    when there is no schedule."""
    if not schedule:
        return rule_key(DEFAULT_RULE, DEFAULT_FACTOR)
    key = str(schedule[0]["key"])
    for period in schedule[1:]:
        if on is not None and period["from"] <= on.isoformat():
            key = str(period["key"])
    return key


def split_key(key: str) -> tuple[str, str]:
    rule, _, factor = key.partition(":")
    return rule, factor or "mdf"
