"""Fewer registry indexes, and name-search indexes that also give the list's order.

Removed: the pattern index on the citizen ID (it is only ever looked up whole), indexes that repeat another (coverage (person, valid_from) is the unique constraint's; the person and unit
foreign keys of coverage and registration are covered by a composite or by the foreign key's own index), and the
plain name indexes (nothing looks a person up by name but the search). Each costs a build in the initial load and
an entry per row written by every monthly delta.

On PostgreSQL the four prefix indexes of migration 0006 are replaced by one index per name that serves both
`LIKE 'word%'` and the order the search lists its matches in (that name, then the other, then id, in the "C"
collation: a B-tree in "C" answers a prefix range), so that a page of 50 reads about 50 rows instead of sorting
every match (registry/search.py). SQLite has no prefix index: nothing to do there."""

import django.db.models.deletion
from django.db import migrations, models

OLD = {
    "registry_person_first_th_prefix": '("first_name_th" varchar_pattern_ops)',
    "registry_person_last_th_prefix": '("last_name_th" varchar_pattern_ops)',
    "registry_person_first_en_prefix": '((UPPER("first_name_en"::text)) text_pattern_ops)',
    "registry_person_last_en_prefix": '((UPPER("last_name_en"::text)) text_pattern_ops)',
}
NEW = {
    "registry_person_last_th_order": '("last_name_th" COLLATE "C", "first_name_th" COLLATE "C", "id")',
    "registry_person_first_th_order": '("first_name_th" COLLATE "C", "last_name_th" COLLATE "C", "id")',
    # Only the people who have the name in English (many have none): the search asks for a non-empty name.
    "registry_person_last_en_order": '((UPPER("last_name_en"::text) COLLATE "C"), (UPPER("first_name_en"::text) '
                                     'COLLATE "C"), "id") WHERE ("last_name_en" <> \'\')',
    "registry_person_first_en_order": '((UPPER("first_name_en"::text) COLLATE "C"), (UPPER("last_name_en"::text) '
                                      'COLLATE "C"), "id") WHERE ("first_name_en" <> \'\')',
}


def _swap(schema_editor, drop, create):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in drop:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    for name, columns in create.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "registry_person" {columns}')


def _citizen_id_like(schema_editor):
    """The pattern index Django adds beside a unique text column (for `LIKE`): a citizen ID is looked up whole."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("""SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'registry_person'::regclass
                          AND pg_get_indexdef(indexrelid) LIKE '%%(citizen_id varchar_pattern_ops)%%'""")
        return [name for (name,) in cursor.fetchall()]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _swap(schema_editor, OLD | dict.fromkeys(_citizen_id_like(schema_editor), ""), NEW)


def backwards(apps, schema_editor):
    _swap(schema_editor, NEW, OLD | {"registry_person_citizen_id_07295874_like": '("citizen_id" varchar_pattern_ops)'})


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0006_person_name_prefix_search'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RemoveIndex(
            model_name='coverage',
            name='registry_co_person__de9c2a_idx',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='registry_pe_first_n_a77a94_idx',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='registry_pe_last_na_7f2b77_idx',
        ),
        migrations.RemoveIndex(
            model_name='person',
            name='registry_pe_last_na_f9a92f_idx',
        ),
        migrations.RemoveIndex(
            model_name='registration',
            name='registry_re_main_un_fe19f0_idx',
        ),
        migrations.RemoveIndex(
            model_name='registration',
            name='registry_re_primary_61e91d_idx',
        ),
        migrations.AlterField(
            model_name='coverage',
            name='person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='coverages', to='registry.person'),
        ),
        migrations.AlterField(
            model_name='registration',
            name='person',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='registry.person'),
        ),
    ]
