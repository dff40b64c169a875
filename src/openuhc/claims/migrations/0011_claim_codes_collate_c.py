# The claims' code columns in COLLATE "C" on PostgreSQL: every claim stored inserts its kind, key, status and citizen
# ID into btree indexes, and the database's default collation (C.UTF-8, libc) compares text through strcoll; "C"
# compares bytes. These columns hold ASCII codes, and C.UTF-8 orders text by code point, as "C" orders UTF-8 bytes:
# every ORDER BY and range reads the same rows in the same order. Compared with a column of the default collation
# (e.g. the temporary table stored_people in claims.rules) or a parameter, "C" wins and the index serves; only a
# column of another non-default collation would be refused, and no column of the schema has one. hn is left as
# it is: no index of the table holds it.
# Not `db_collation="C"` on the fields: SQLite has no collation "C"; there this migration does nothing.
# The ALTERs rebuild the indexes holding these columns (a lock on claims_claim for the time of that rebuild).

from django.db import migrations

COLUMNS = (("kind", 2), ("key", 30), ("status", 20), ("citizen_id", 20))


def _collate(collation: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        changes = ", ".join(f'ALTER COLUMN "{name}" TYPE varchar({width}) COLLATE "{collation}"'
                            for name, width in COLUMNS)
        schema_editor.execute(f"ALTER TABLE claims_claim {changes}")
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0010_problem_page_index'),
    ]

    operations = [
        migrations.RunPython(_collate("C"), _collate("default")),
    ]
