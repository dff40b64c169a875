"""Words for the reason codes on payment lines (payment/pricing.py writes them, comma-separated)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openuhc.core.codes import vocabulary

vocabulary("pay_reason", {
    "RATE_FLOATED": _("rate lowered to keep within the budget"),
    "LATE": _("sent late: paid at a lower share"),
    "RTI": _("road-traffic insurance deducted"),
    "SALARY": _("salary share deducted"),
    "UNKNOWN_ITEM": _("not in the fee schedule"),
    "SEX": _("not payable for this sex"),
    "AGE": _("not payable at this age"),
    "CAP_COUNT": _("over the cap on the number of services"),
    "CAP_AMOUNT": _("over the cap on the amount"),
}, source="payment/pricing.py")


def _statuses() -> dict[str, str]:
    from openuhc.payment.models import PaymentRun

    return {value: str(label) for value, label in PaymentRun.Status.choices}


vocabulary("payment_status", _statuses)
vocabulary("note", {"demo": _("demo data")})
