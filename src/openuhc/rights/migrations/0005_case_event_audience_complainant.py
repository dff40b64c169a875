"""Words written to the complainant get an audience of their own.

Acknowledgements, closing words, reasons to reopen and the complainant's own messages were recorded for
"the public" (staff, the unit concerned and the complainant), so the unit read words that may name a
complainant who did not consent. The rows already written are moved to the new audience "complainant":
they were addressed to the complainant, and the earlier audience was a mistake about who may read them,
not a fact of the case's history.
"""

from django.db import migrations, models

TO_COMPLAINANT = ("acknowledged", "closed", "reopened", "message")


def forward(apps, schema_editor):
    CaseEvent = apps.get_model("rights", "CaseEvent")
    CaseEvent.objects.filter(audience="public", kind__in=TO_COMPLAINANT).update(audience="complainant")


def backward(apps, schema_editor):
    CaseEvent = apps.get_model("rights", "CaseEvent")
    CaseEvent.objects.filter(audience="complainant").update(audience="public")


class Migration(migrations.Migration):

    dependencies = [
        ("rights", "0004_public_attempts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseevent",
            name="audience",
            field=models.CharField(choices=[
                ("staff", "Staff only"), ("unit", "Staff and the unit concerned"),
                ("complainant", "Staff and the complainant (the unit only with the complainant's consent)"),
                ("public", "Staff, the unit concerned and the complainant")], default="staff", max_length=12),
        ),
        migrations.RunPython(forward, backward),
    ]
