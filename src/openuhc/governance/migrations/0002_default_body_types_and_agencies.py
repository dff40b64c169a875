"""Default body types and agencies (configurable lists: edit them, or add a country's own)."""

from django.db import migrations


def add(apps, schema_editor):
    from openuhc.governance.defaults import install

    install(apps.get_model("governance", "BodyType"), apps.get_model("governance", "Agency"))


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
