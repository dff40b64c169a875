"""A hospital user's search by name without a lookup per match (registry/search.py).

The registrations' unit indexes become (unit, id): the ids of a unit's registrations are read from the index alone
instead of a heap page each (a unit's 10,000 registrations lie on 10,000 pages). On PostgreSQL the Thai name indexes
of migration 0007 also carry the person's registration in force (INCLUDE), so the walk down a name's index checks
each match against the unit's registrations without reading the person's row or the registration's.

On a registry of millions, this rebuilds two person indexes and three registration indexes: writes to the two
tables wait while it runs (minutes at 10,000,000 persons) — a maintenance window."""

import django.db.models.deletion
from django.db import migrations, models

ORDER = {
    "registry_person_last_th_order": '("last_name_th" COLLATE "C", "first_name_th" COLLATE "C", "id")',
    "registry_person_first_th_order": '("first_name_th" COLLATE "C", "last_name_th" COLLATE "C", "id")',
}
WITH_REGISTRATION = ' INCLUDE ("current_registration_id")'


def _rebuild(schema_editor, suffix):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in ORDER.items():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(f'CREATE INDEX "{name}" ON "registry_person" {columns}{suffix}')


def forwards(apps, schema_editor):
    _rebuild(schema_editor, WITH_REGISTRATION)


def backwards(apps, schema_editor):
    _rebuild(schema_editor, "")


def _drop_unit_index(column):
    """The unit's own foreign-key index, dropped by its name found in the database: only the index goes (Django's
    AlterField would also drop and re-add the foreign key, checking every registration again)."""
    def drop(apps, schema_editor):
        connection = schema_editor.connection
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, "registry_registration")
        for name, about in found.items():
            if about["index"] and about["columns"] == [column] and not (about["unique"] or about["primary_key"]):
                schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")

    def create(apps, schema_editor):
        model = apps.get_model("registry", "Registration")
        field = model._meta.get_field(column.removesuffix("_id"))
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))

    return drop, create


def _unit(name):
    """The field loses its own index (the (unit, id) index serves the lookups by unit)."""
    drop, create = _drop_unit_index(f"{name}_id")
    return migrations.SeparateDatabaseAndState(
        database_operations=[migrations.RunPython(drop, create, elidable=False)],
        state_operations=[migrations.AlterField(
            model_name="registration", name=name,
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="providers.healthunit"),
        )],
    )


class Migration(migrations.Migration):

    dependencies = [
        ("providers", "0002_default_types_and_owners"),
        ("registry", "0007_search_order_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        # each (unit, id) index is made before the unit's own index is dropped: lookups by unit always have one
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["main_unit", "id"], name="registry_reg_main_unit_id"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["primary_unit", "id"], name="registry_reg_primary_unit_id"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["referral_unit", "id"], name="registry_reg_referral_unit_id"),
        ),
        _unit("main_unit"),
        _unit("primary_unit"),
        _unit("referral_unit"),
    ]
