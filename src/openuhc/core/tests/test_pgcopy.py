"""Rows made by DuckDB in PostgreSQL's binary COPY format arrive as the values they were made from."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import duckdb
import pytest
from django.db import connection

from openuhc.core import pgcopy
from openuhc.core.pgcopy import Same

pytestmark = pytest.mark.django_db

AT = datetime(2026, 12, 6, 19, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def table():
    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's (SQLite loads rows another way)")
    with connection.cursor() as cursor:
        cursor.execute("""CREATE TABLE pgcopy_probe (id bigint, n integer, s smallint, born date, alive boolean,
                          name varchar(100), detail jsonb, at timestamptz, source text, gone date)""")
    yield "pgcopy_probe"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE pgcopy_probe")


def test_values_negative_null_thai_and_constants_round_trip(table):
    duck = duckdb.connect()
    duck.execute("""CREATE TABLE made AS SELECT * FROM (VALUES
        (1, -7, -2, DATE '1980-05-17', true, 'สมหญิง ใจดี', '{"scheme":"UCS","main":"ก"}', NULL),
        (9007199254740993, 2147483647, 32767, DATE '2000-01-01', false, 'O''Neil, "Jr"', '{}', DATE '2024-02-29'),
        (-3, NULL, NULL, DATE '1899-12-31', NULL, '', NULL, NULL)) AS t(id, n, s, born, alive, name, detail, gone)""")
    columns = ["id", "n", "s", "born", "alive", "name", "detail", "at", "source", "gone"]
    with connection.cursor() as cursor:
        types = pgcopy.column_types(cursor, table, columns)
        values = {c: c for c in columns} | {"at": Same(AT), "source": Same("import 7")}
        query = pgcopy.rows_query(types, values, "made ORDER BY id")
        done = pgcopy.copy_in(cursor.cursor, duck, [(table, columns, [query])])
        assert [rows for rows, _seconds in done] == [3]
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")  # noqa: S608 - constant
        # Django reads jsonb as text: the JSON is parsed here
        stored = [(*row[:6], None if row[6] is None else json.loads(row[6]), *row[7:]) for row in cursor.fetchall()]
    assert stored == [
        (-3, None, None, date(1899, 12, 31), None, "", None, AT, "import 7", None),
        (1, -7, -2, date(1980, 5, 17), True, "สมหญิง ใจดี", {"scheme": "UCS", "main": "ก"}, AT, "import 7", None),
        (9007199254740993, 2147483647, 32767, date(2000, 1, 1), False, 'O\'Neil, "Jr"', {}, AT, "import 7",
         date(2024, 2, 29)),
    ]


def test_a_column_type_it_cannot_write_is_refused(table):
    with connection.cursor() as cursor:
        types = pgcopy.column_types(cursor, table, ["id"])
    assert types == {"id": "bigint"}
    with pytest.raises(ValueError, match="no binary COPY of a numeric column"):
        pgcopy.field("x", "numeric")
    with connection.cursor() as cursor, pytest.raises(ValueError, match="has no column nope"):
        pgcopy.column_types(cursor, table, ["id", "nope"])
