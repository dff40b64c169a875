"""Rows made by DuckDB in PostgreSQL's binary COPY format arrive as the values they were made from."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

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


@pytest.fixture
def money_table():
    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's (SQLite loads rows another way)")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE pgcopy_money (n integer, amount numeric(16,2), quantity numeric(12,3), "
                       "tiny numeric(3,2), wide numeric(20,10))")
    return "pgcopy_money"  # gone with the test's transaction (a refused COPY leaves it aborted)


def test_numeric_values_arrive_satang_exact(money_table):
    """The money columns' layout (digits, weight, sign, scale) gives the value its text would: negative amounts,
    zero, a satang, the largest amount numeric(16,2) holds, a fraction under a base-10000 digit, NULL."""
    rows = [(1, "-12.34", "-0.001", "-9.99", "-1234567890.0123456789"),
            (2, "0", "0", "0", "0"),
            (3, "0.01", "0.5", "0.01", "0.0000000001"),
            (4, "99999999999999.99", "999999999.999", "9.99", "9999999999.9999999999"),
            (5, "-99999999999999.99", "-999999999.999", "-1", "10000"),
            (6, "10000.00", "10000", "1.1", "-0.0000000001"),
            (7, None, None, None, None)]
    duck = duckdb.connect()
    duck.execute("""CREATE TABLE made (n INTEGER, amount DECIMAL(38,2), quantity DECIMAL(12,3), tiny DECIMAL(3,2),
                                       wide DECIMAL(20,10))""")
    duck.executemany("INSERT INTO made VALUES (?, ?, ?, ?, ?)", rows)
    columns = ["n", "amount", "quantity", "tiny", "wide"]
    with connection.cursor() as cursor:
        types = pgcopy.column_types(cursor, money_table, columns)
        assert types["amount"] == "numeric(16,2)"
        pgcopy.copy_in(cursor.cursor, duck, [(money_table, columns,
                                              [pgcopy.rows_query(types, {c: c for c in columns}, "made ORDER BY n")])])
        cursor.execute("SELECT n, amount::text, quantity::text, tiny::text, wide::text FROM pgcopy_money ORDER BY n")
        stored = cursor.fetchall()
        # the same values as text, through the server's own parser
        cursor.execute("""SELECT n, amount::numeric(16,2)::text, quantity::numeric(12,3)::text,
                                 tiny::numeric(3,2)::text, wide::numeric(20,10)::text
                          FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[], %s::text[])
                               AS v(n, amount, quantity, tiny, wide) ORDER BY n""",
                       [list(c) for c in zip(*rows, strict=True)])
        assert stored == cursor.fetchall()
    assert [Decimal(a) if a else None for _n, a, *_rest in stored] == [
        Decimal("-12.34"), 0, Decimal("0.01"), Decimal("99999999999999.99"), Decimal("-99999999999999.99"),
        Decimal("10000.00"), None]


def test_an_amount_too_large_for_the_column_is_refused(money_table):
    duck = duckdb.connect()
    duck.execute("CREATE TABLE made AS SELECT CAST('100000000000000.00' AS DECIMAL(38,2)) AS amount")
    with connection.cursor() as cursor:
        types = pgcopy.column_types(cursor, money_table, ["amount"])
        query = pgcopy.rows_query(types, {"amount": "amount"}, "made")
        with pytest.raises(duckdb.ConversionException, match="out of range"):
            pgcopy.copy_in(cursor.cursor, duck, [(money_table, ["amount"], [query])])


def test_a_timestamp_from_an_expression_is_the_same_instant(table):
    duck = duckdb.connect()
    duck.execute("""CREATE TABLE made AS SELECT * FROM (VALUES (1, '2026-12-06T19:30:15.123456+00:00'),
                    (2, '2026-12-07T02:30:15.123456+07:00'), (3, '1999-12-31T23:59:59+00:00'),
                    (4, NULL)) AS t(id, "at")""")
    with connection.cursor() as cursor:
        types = pgcopy.column_types(cursor, table, ["id", "at"])
        query = pgcopy.rows_query(types, {"id": "id", "at": "\"at\""}, "made ORDER BY id")
        pgcopy.copy_in(cursor.cursor, duck, [(table, ["id", "at"], [query])])
        cursor.execute(f"SELECT at FROM {table} ORDER BY id")  # noqa: S608 - constant
        assert [at for (at,) in cursor.fetchall()] == [AT, AT, datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC), None]


def test_a_column_type_it_cannot_write_is_refused(table):
    with connection.cursor() as cursor:
        types = pgcopy.column_types(cursor, table, ["id"])
    assert types == {"id": "bigint"}
    with pytest.raises(ValueError, match="no binary COPY of a numeric column"):
        pgcopy.field("x", "numeric")  # unconstrained: no fixed layout
    with pytest.raises(ValueError, match="no binary COPY of a interval column"):
        pgcopy.field("x", "interval")
    with connection.cursor() as cursor, pytest.raises(ValueError, match="has no column nope"):
        pgcopy.column_types(cursor, table, ["id", "nope"])
