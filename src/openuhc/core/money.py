"""Money in baht, exact to the satang.

The one rounding rule of OpenUHC: an amount is rounded to 2 decimal places, half away from zero
(ROUND_HALF_UP), at the point where it becomes a payable line. Totals are the exact sum of their lines;
when a total must be split, `allocate` hands the remainder out explicitly so that nothing is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

SATANG = Decimal("0.01")


def baht(value: Decimal | int | str) -> Decimal:
    """Round to the satang by OpenUHC's rule. Floats are refused: they cannot hold satang exactly."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a Decimal, an int or a string.")
    return Decimal(value).quantize(SATANG, rounding=ROUND_HALF_UP)


def allocate(total: Decimal, weights: Sequence[Decimal | int]) -> list[Decimal]:
    """Split `total` (in baht) in proportion to `weights` so that the parts sum exactly to it.

    Largest-remainder method: each part is first rounded down to the satang, then the satang left
    over go one each to the parts with the largest remainders (ties to the earlier part).
    """
    total = baht(total)
    weights = [Decimal(w) for w in weights]
    if any(w < 0 for w in weights):
        raise ValueError("Weights must not be negative.")
    weight_sum = sum(weights, Decimal(0))
    if not weights:
        if total != 0:
            raise ValueError("Cannot allocate a non-zero total over no parts.")
        return []
    if weight_sum == 0:
        raise ValueError("Cannot allocate over weights that are all zero.")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    exact = [magnitude * w / weight_sum for w in weights]
    floors = [x.quantize(SATANG, rounding=ROUND_DOWN) for x in exact]
    left = int((magnitude - sum(floors, Decimal(0))) / SATANG)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += SATANG
    return [sign * part for part in floors]
