"""Payment rounds: a fiscal year and a number per round, a cut-off for inpatient and fee-schedule rounds, and the
fiscal year whose budget pays each claim line. Existing runs become rounds numbered in the order they were made
(cut-off: the last day of their month), their lines charged to their month's fiscal year."""

from datetime import date, timedelta

from django.conf import settings
from django.db import migrations, models


def _fiscal_year(day):
    start = settings.OPENUHC_FISCAL_YEAR_START_MONTH
    return (day.year + 1 if (start > 1 and day.month >= start) else day.year) + 543


def _month_end(day):
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def number_rounds(apps, schema_editor):
    PaymentRun = apps.get_model("payment", "PaymentRun")
    ClaimPayment = apps.get_model("payment", "ClaimPayment")
    numbers = {}
    for run in PaymentRun.objects.order_by("id"):
        fy = _fiscal_year(run.period)
        key = (run.scheme_id, run.region_id, run.kind, fy)
        numbers[key] = numbers.get(key, 0) + 1
        cutoff = _month_end(run.period) if run.kind in ("ip", "fee", "year_end") else None
        PaymentRun.objects.filter(pk=run.pk).update(fiscal_year=fy, number=numbers[key], cutoff=cutoff)
        ClaimPayment.objects.filter(run_id=run.pk).update(fiscal_year=fy)


class Migration(migrations.Migration):

    dependencies = [
        ("payment", "0002_fee_year_end_engine_run"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="paymentrun", name="payment_one_run_per_period"),
        migrations.AddField(model_name="paymentrun", name="fiscal_year",
                            field=models.PositiveSmallIntegerField(null=True, verbose_name="fiscal year (BE)")),
        migrations.AddField(model_name="paymentrun", name="number",
                            field=models.PositiveIntegerField(null=True, verbose_name="round")),
        migrations.AddField(model_name="paymentrun", name="cutoff",
                            field=models.DateField(blank=True, null=True, verbose_name="claims received up to")),
        migrations.AddField(model_name="claimpayment", name="fiscal_year",
                            field=models.PositiveSmallIntegerField(blank=True, null=True,
                                                                   verbose_name="fiscal year (BE)")),
        migrations.RunPython(number_rounds, migrations.RunPython.noop),
        migrations.AlterField(model_name="paymentrun", name="fiscal_year",
                              field=models.PositiveSmallIntegerField(verbose_name="fiscal year (BE)")),
        migrations.AlterField(model_name="paymentrun", name="number",
                              field=models.PositiveIntegerField(verbose_name="round")),
        migrations.AlterModelOptions(name="paymentrun", options={"ordering": ["-period", "region", "kind", "-number",
                                                                              "id"]}),
        migrations.AddConstraint(model_name="paymentrun", constraint=models.UniqueConstraint(
            fields=("scheme", "region", "kind", "fiscal_year", "number"), name="payment_round_number")),
        migrations.AddConstraint(model_name="paymentrun", constraint=models.UniqueConstraint(
            condition=models.Q(("kind", "capitation")), fields=("scheme", "region", "period"),
            name="payment_one_capitation_per_month")),
        migrations.AddConstraint(model_name="paymentrun", constraint=models.UniqueConstraint(
            condition=models.Q(("kind", "year_end")), fields=("scheme", "region", "fiscal_year"),
            name="payment_one_year_end_per_year")),
        migrations.AddIndex(model_name="claimpayment",
                            index=models.Index(fields=["claim_type", "fiscal_year"], name="payment_cla_claim_t_d7280c_idx")),
    ]
