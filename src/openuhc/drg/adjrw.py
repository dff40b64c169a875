"""Length of stay and the adjusted relative weight (AdjRW), exact in Decimal, with versioned rules.

    LOS = discharge date − admission date − leave days
    L  = ceil(WTLOS / 3);  OT = round-half-up(3 × WTLOS)
    LOS = 0          → RW0D
    0 < LOS < L      → RW0D + (RW − RW0D) × LOS / L
    L ≤ LOS ≤ OT     → RW
    LOS > OT         → the long-stay rule of the version (default: RW + (LOS − OT) × MDF × RW / WTLOS)

Results are rounded half-up to 4 decimals. The long-stay rule is the least certain part of the public
record (docs/drg.md), so it is a named plug-in: a new rule is added to LONG_STAY and chosen by parameter
`drg.long_stay_rule`, never by editing the old one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

FOUR = Decimal("0.0001")


def length_of_stay(admitted: date, discharged: date, leave_days: int = 0) -> int:
    return (discharged - admitted).days - (leave_days or 0)


def low_trim(wtlos: Decimal) -> int:
    return int((Decimal(wtlos) / 3).to_integral_value(rounding=ROUND_CEILING))


def high_trim(wtlos: Decimal) -> int:
    return int((Decimal(wtlos) * 3).to_integral_value(rounding=ROUND_HALF_UP))


def long_stay_tdrg5(rw: Decimal, wtlos: Decimal, ot: int, mdf: Decimal, los: int) -> Decimal:
    """RW + (LOS − OT) × MDF × RW / WTLOS (TDRG 5 style; the default)."""
    return rw + (los - ot) * mdf * rw / wtlos


LONG_STAY: dict[str, Callable[[Decimal, Decimal, int, Decimal, int], Decimal]] = {"tdrg5": long_stay_tdrg5}


def adjrw(*, rw: Decimal, rw0d: Decimal, wtlos: Decimal, los: int, ot: int | None = None, mdf: Decimal = Decimal(1),
          rule: str = "tdrg5") -> Decimal:
    """The AdjRW of one stay, half-up to 4 decimals. `ot` defaults to round-half-up(3 × WTLOS)."""
    rw, rw0d, wtlos, mdf = Decimal(rw), Decimal(rw0d), Decimal(wtlos), Decimal(mdf)
    if los < 0:
        raise ValueError("length of stay is negative")
    if rw == 0 or wtlos == 0:
        return Decimal("0.0000") if rw == 0 else rw.quantize(FOUR, rounding=ROUND_HALF_UP)
    lower = low_trim(wtlos)
    upper = high_trim(wtlos) if ot is None else ot
    if los == 0:
        value = rw0d
    elif los < lower:
        value = rw0d + (rw - rw0d) * los / lower
    elif los <= upper:
        value = rw
    else:
        value = LONG_STAY[rule](rw, wtlos, upper, mdf, los)
    return value.quantize(FOUR, rounding=ROUND_HALF_UP)

