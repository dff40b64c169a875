"""Case-rate payment: one fixed amount per admission, found from its procedures and diagnoses.

Rule (as PhilHealth's case rates work in outline): when a listed procedure was done, the highest procedure rate;
otherwise the rate of the first-listed (principal) diagnosis; otherwise no rate — the claim is held, never paid at
a guessed amount. The table is the pack's data (`case_rates` in pack.toml) and is ILLUSTRATIVE: replace it with the
rates in force before paying real money.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from openuhc.country.packs import active


@dataclass(frozen=True)
class CaseRate:
    kind: str  # "procedure" or "diagnosis"
    code: str
    description: str
    amount: Decimal


def _plain(code: str) -> str:
    return code.replace(".", "").strip().upper()


@cache
def _read(path: Path) -> dict[tuple[str, str], CaseRate]:
    rates: dict[tuple[str, str], CaseRate] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if row.get("kind") not in ("procedure", "diagnosis") or not row.get("code"):
                raise ImproperlyConfigured(f"{path} line {line}: kind must be procedure or diagnosis, with a code")
            try:
                amount = Decimal(row["amount"])
            except (ArithmeticError, TypeError):
                raise ImproperlyConfigured(
                    f"{path} line {line}: amount {row.get('amount')!r} is not a number") from None
            rates[(row["kind"], _plain(row["code"]))] = CaseRate(row["kind"], row["code"], row["description"], amount)
    return rates


def table() -> dict[tuple[str, str], CaseRate]:
    pack = active()
    if not pack["case_rates"]:
        return {}
    return _read(pack.path / pack["case_rates"]["table"])


def rate_for(*, diagnoses: list[str], procedures: list[str]) -> CaseRate | None:
    """The case rate of an admission (principal diagnosis first in `diagnoses`), or None: hold, do not pay."""
    rates = table()
    done = [rates[("procedure", _plain(p))] for p in procedures if ("procedure", _plain(p)) in rates]
    if done:
        return max(done, key=lambda r: r.amount)
    if diagnoses:
        return rates.get(("diagnosis", _plain(diagnoses[0])))
    return None
