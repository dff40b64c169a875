"""'30 baht, treatment anywhere' (30 บาทรักษาทุกที่) rolled out nationwide from 1 January 2025: from then on an
OP visit outside the registered unit no longer needs a referral. Recorded as a dated parameter value so that
earlier service dates keep the old rule and an operator can change it (see docs/claims.md)."""

from __future__ import annotations

from datetime import date

from django.db import migrations

KEY = "claims.op_referral_required"


def add(apps, schema_editor):  # noqa: ANN001, ANN201
    ParameterValue = apps.get_model("core", "ParameterValue")
    ParameterValue.objects.get_or_create(
        key=KEY, scheme="", valid_from=date(2025, 1, 1),
        defaults={"value": False, "note": "30 บาทรักษาทุกที่ nationwide from 1 Jan 2025 (medium confidence; "
                                          "check the NHSO announcement)"})


def remove(apps, schema_editor):  # noqa: ANN001, ANN201
    apps.get_model("core", "ParameterValue").objects.filter(key=KEY, valid_from=date(2025, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
