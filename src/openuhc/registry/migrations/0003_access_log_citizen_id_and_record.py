"""The access log also records claims of people the registry does not know (by the citizen ID shown) and
what was read (a claim, a case). Existing rows get their person's citizen ID, so that every row carries it."""

import django.db.models.deletion
from django.db import migrations, models


def fill_citizen_ids(apps, schema_editor):
    PersonAccess = apps.get_model("registry", "PersonAccess")
    Person = apps.get_model("registry", "Person")
    PersonAccess.objects.filter(citizen_id="").update(
        citizen_id=models.Subquery(Person.objects.filter(pk=models.OuterRef("person_id")).values("citizen_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0002_default_schemes"),
    ]

    operations = [
        migrations.AddField(
            model_name="personaccess",
            name="citizen_id",
            field=models.CharField(blank=True, db_index=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="personaccess",
            name="record",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AlterField(
            model_name="personaccess",
            name="person",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="accesses", to="registry.person"),
        ),
        migrations.RunPython(fill_citizen_ids, migrations.RunPython.noop),
    ]
