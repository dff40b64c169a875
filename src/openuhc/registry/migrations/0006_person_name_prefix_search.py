"""Prefix indexes for the search by name (registry/search.py), on PostgreSQL only.

`LIKE 'สม%'` can use a B-tree only under the C collation or with a pattern operator class; the databases run
under C.UTF-8 or a language collation, so the four name columns get varchar/text_pattern_ops indexes (the English
names upper-cased, as Django's istartswith compares them). SQLite has no operator classes: nothing to do there."""

from django.db import migrations

INDEXES = {
    "registry_person_first_th_prefix": '"first_name_th" varchar_pattern_ops',
    "registry_person_last_th_prefix": '"last_name_th" varchar_pattern_ops',
    "registry_person_first_en_prefix": '(UPPER("first_name_en"::text)) text_pattern_ops',
    "registry_person_last_en_prefix": '(UPPER("last_name_en"::text)) text_pattern_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_person" ({column})')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_national_import"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
