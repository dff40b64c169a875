"""The eligibility check (ตรวจสอบสิทธิ): (citizen ID, date) → scheme and registered units, or why not.

It is the registry's hot path — every claim and every counter check asks it — so it reads everything in
one SQL round trip (person, the coverage in force, the registration in force and its three units) and
builds the model objects from that row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction

from openuhc.core.dates import format_date
from openuhc.core.errors import DomainError
from openuhc.providers.models import HealthUnit
from openuhc.registry.errors import RegistryError
from openuhc.registry.ids import validate_citizen_id
from openuhc.registry.models import Coverage, Person, Registration, Scheme


@dataclass
class Eligibility:
    """The answer to "is this citizen ID covered on this date, and where is the person registered?"."""

    citizen_id: str
    on: date
    eligible: bool
    error: DomainError | None = None
    person: Person | None = None
    coverage: Coverage | None = None
    registration: Registration | None = None

    @property
    def reason_code(self) -> str | None:
        return self.error.code if self.error else None

    def as_dict(self) -> dict[str, Any]:
        reg = self.registration
        return {
            "citizen_id": self.citizen_id,
            "date": self.on.isoformat(),
            "eligible": self.eligible,
            "reason": self.error.as_dict() if self.error else None,
            "scheme": self.coverage.scheme.code if self.coverage else None,
            "coverage_from": self.coverage.valid_from.isoformat() if self.coverage else None,
            "coverage_to": self.coverage.valid_to.isoformat() if self.coverage and self.coverage.valid_to else None,
            "main_unit": reg.main_unit.code if reg else None,
            "primary_unit": reg.primary_unit.code if reg else None,
            "referral_unit": reg.referral_unit.code if reg else None,
            "registered_from": reg.effective_from.isoformat() if reg else None,
        }


_PERSON = ["id", "citizen_id", "title", "first_name_th", "last_name_th", "first_name_en", "last_name_en", "sex",
           "birth_date", "subdistrict_id", "death_date", "current_registration_id"]
_COVERAGE = ["id", "person_id", "scheme_id", "valid_from", "valid_to", "source"]
_REGISTRATION = ["id", "person_id", "main_unit_id", "primary_unit_id", "referral_unit_id", "effective_from",
                 "is_change", "reason"]
_SCHEME = ["id", "code", "name_th", "name_en", "eclaim_code", "registers_with_unit"]
_UNIT = ["id", "code", "name_th", "name_en"]
_DATES = {"birth_date", "death_date", "valid_from", "valid_to", "effective_from"}


def _sql() -> str:
    p = ", ".join(f"p.{c}" for c in _PERSON)
    c = ", ".join(f"c.{c}" for c in _COVERAGE)
    s = ", ".join(f"s.{c}" for c in _SCHEME)
    r = ", ".join(f"r.{c}" for c in _REGISTRATION)
    units = ", ".join(f"{alias}.{col}" for alias in ("um", "up", "ur") for col in _UNIT)
    # Built once from the constant column lists above; every value is a bound parameter.
    return f"""
        SELECT {p}, {c}, {s}, {r}, {units}
        FROM registry_person p
        LEFT JOIN registry_coverage c ON c.id = (
            SELECT c2.id FROM registry_coverage c2
            WHERE c2.person_id = p.id AND c2.valid_from <= %s AND (c2.valid_to IS NULL OR c2.valid_to >= %s)
            ORDER BY c2.valid_from DESC LIMIT 1)
        LEFT JOIN registry_scheme s ON s.id = c.scheme_id
        LEFT JOIN registry_registration r ON r.id = (
            SELECT r2.id FROM registry_registration r2
            WHERE r2.person_id = p.id AND r2.effective_from <= %s
            ORDER BY r2.effective_from DESC, r2.id DESC LIMIT 1)
        LEFT JOIN providers_healthunit um ON um.id = r.main_unit_id
        LEFT JOIN providers_healthunit up ON up.id = r.primary_unit_id
        LEFT JOIN providers_healthunit ur ON ur.id = r.referral_unit_id
        WHERE p.citizen_id = %s
    """


_QUERY = _sql()
_BOOLEANS = {"is_change", "registers_with_unit"}


def _convert(field: str, value: Any) -> Any:
    # Raw rows carry dates as text and booleans as 0/1 on SQLite; convert them as the ORM would.
    if value is None:
        return None
    if field in _DATES and isinstance(value, str):
        return date.fromisoformat(value)
    if field in _BOOLEANS:
        return bool(value)
    return value


def _take(model: Any, fields: list[str], values: list[Any]) -> Any:
    """A model instance from some of its columns (the others load on first use), like the ORM builds one."""
    data = {f: _convert(f, v) for f, v in zip(fields, values, strict=True)}
    # from_db expects the values in the model's own field order.
    names = [f.attname for f in model._meta.concrete_fields if f.attname in data]
    return model.from_db(connection.alias, names, [data[n] for n in names])


def _split(values: list[Any], *widths: int) -> list[list[Any]]:
    parts, start = [], 0
    for width in widths:
        parts.append(values[start:start + width])
        start += width
    return parts


def check_eligibility(citizen_id: str, on: date) -> Eligibility:
    """(citizen ID, date) → scheme and registered units on that date, or the reason there are none.

    The reasons, in the order they are checked: malformed ID, bad check digit, unknown ID, dead before
    that date, no coverage on that date.
    """
    try:
        cid = validate_citizen_id(citizen_id)
    except DomainError as error:
        return Eligibility(citizen_id=citizen_id, on=on, eligible=False, error=error)
    with connection.cursor() as cursor:
        cursor.execute(_QUERY, [on, on, on, cid])
        row = cursor.fetchone()
    if row is None:
        return Eligibility(cid, on, False, DomainError(RegistryError.UNKNOWN_ID))
    n = len(_UNIT)
    person_values, coverage_values, scheme_values, registration_values, main, primary, referral = _split(
        list(row), len(_PERSON), len(_COVERAGE), len(_SCHEME), len(_REGISTRATION), n, n, n)
    person = _take(Person, _PERSON, person_values)
    if person.death_date is not None and person.death_date < on:
        return Eligibility(cid, on, False, DomainError(RegistryError.DEAD, death_date=format_date(person.death_date)),
                           person=person)
    if coverage_values[0] is None:
        return Eligibility(cid, on, False, DomainError(RegistryError.NO_COVERAGE, on=format_date(on)), person=person)
    coverage = _take(Coverage, _COVERAGE, coverage_values)
    coverage.scheme = _take(Scheme, _SCHEME, scheme_values)
    registration = None
    if coverage.scheme.registers_with_unit and registration_values[0] is not None:
        registration = _take(Registration, _REGISTRATION, registration_values)
        registration.main_unit = _take(HealthUnit, _UNIT, main)
        registration.primary_unit = _take(HealthUnit, _UNIT, primary)
        registration.referral_unit = _take(HealthUnit, _UNIT, referral)
    return Eligibility(cid, on, True, None, person=person, coverage=coverage, registration=registration)


# --- many at once ---------------------------------------------------------------------------------------------

MANY_COLUMNS = ["cid", "day", "person_id", "death_date", "scheme", "registers_with_unit", "main_unit",
                "primary_unit", "referral_unit", "main_unit_id"]


def _many_sql() -> str:
    # SQLite: the wanted pairs arrive as one JSON list (one bound parameter), so a chunk of any size is one
    # statement; the lookups are check_eligibility's, per pair. PostgreSQL answers with `_set_sql`.
    wanted = "SELECT json_extract(value, '$[0]') AS cid, json_extract(value, '$[1]') AS day FROM json_each(%s)"
    return f"""
        WITH wanted AS ({wanted})
        SELECT w.cid, w.day, p.id, p.death_date, s.code, s.registers_with_unit, um.code, up.code, ur.code,
               r.main_unit_id
        FROM wanted w
        JOIN registry_person p ON p.citizen_id = w.cid
        LEFT JOIN registry_coverage c ON c.id = (
            SELECT c2.id FROM registry_coverage c2
            WHERE c2.person_id = p.id AND c2.valid_from <= w.day AND (c2.valid_to IS NULL OR c2.valid_to >= w.day)
            ORDER BY c2.valid_from DESC LIMIT 1)
        LEFT JOIN registry_scheme s ON s.id = c.scheme_id
        LEFT JOIN registry_registration r ON r.id = (
            SELECT r2.id FROM registry_registration r2
            WHERE r2.person_id = p.id AND r2.effective_from <= w.day
            ORDER BY r2.effective_from DESC, r2.id DESC LIMIT 1)
        LEFT JOIN providers_healthunit um ON um.id = r.main_unit_id
        LEFT JOIN providers_healthunit up ON up.id = r.primary_unit_id
        LEFT JOIN providers_healthunit ur ON ur.id = r.referral_unit_id"""  # noqa: S608 - constant text


def registry_facts(pairs: list[tuple[str, date]]) -> list[tuple[Any, ...]]:
    """For many (citizen ID, date) pairs in one query: what `check_eligibility` reads for each, as raw facts.

    One row per pair whose ID the registry holds (pairs of unknown IDs are absent), in MANY_COLUMNS order: the
    person, their death date, the scheme in force that day (None: no coverage), whether it registers members
    with units, and the codes of the registered units that day (None: no registration). The caller applies the
    rules (dead before that day, no coverage, the registration counts only for a registering scheme) — claims
    checking does so in SQL over a whole submission. Dates come back as `date` on every database."""
    if not pairs:
        return []
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            _wanted_table(cursor)
            cursor.execute("INSERT INTO eligibility_wanted SELECT * FROM unnest(%s::bigint[], %s::varchar[], "
                           "%s::date[])", [list(range(len(pairs))), [cid for cid, _ in pairs],
                                           [day for _, day in pairs]])
            _plan_for_wanted(cursor)
            cursor.execute(_named_sql())
            rows = cursor.fetchall()
            cursor.execute("DROP TABLE eligibility_wanted")
            return [(*pairs[n], *facts) for n, *facts in rows]
    import json

    with connection.cursor() as cursor:
        cursor.execute(_many_sql(), [json.dumps([[cid, day.isoformat()] for cid, day in pairs])])
        rows = cursor.fetchall()
    return [(cid, date.fromisoformat(day), pid, _convert("death_date", death), scheme,
             None if reg is None else bool(reg), main, primary, referral, main_id)
            for cid, day, pid, death, scheme, reg, main, primary, referral, main_id in rows]


# DuckDB types of MANY_COLUMNS, for the tables `registry_facts_into` fills.
MANY_TYPES = {"cid": "VARCHAR", "day": "DATE", "person_id": "BIGINT", "death_date": "DATE", "scheme": "VARCHAR",
              "registers_with_unit": "BOOLEAN", "main_unit": "VARCHAR", "primary_unit": "VARCHAR",
              "referral_unit": "VARCHAR", "main_unit_id": "BIGINT"}
# SQLite: how many pairs go to the registry in one query (one JSON parameter each).
MANY_CHUNK = 20000


def _set_sql() -> str:
    """`registry_facts` for every pair of the temporary table eligibility_wanted (n, cid, day), by the pair's
    number n (the caller knows its pair), as ids: the person, their death date, and the ids of the scheme in force
    that day and of the three registered units (`_ID_FACTS`). Their codes come from `_named_sql` (a few pairs) or
    from the small tables of schemes and units joined in DuckDB (a submission's pairs): at a million pairs the
    four joins to the code tables and the codes' text cost the server about 1 s of CPU of 5-6.

    One chain of joins, then one DISTINCT ON over the pair's number: per pair, the person's coverages in force
    that day times their registrations begun by then (most people have one of each), ordered so that the first
    row holds the coverage the one-pair query picks (the latest start; one per person and start day) and, with
    it, the registration it picks (the latest, then the highest id). The planner hashes the registry when the
    pairs are many (a submission of a million visits) and looks each pair up by index when they are few. The
    former plan (a DISTINCT ON per table over the pairs' text and date, joined back by them) sorted and re-hashed
    every pair three times: 9.6 s of server CPU at 1,006,204 pairs, this one 4.8 s (benchmarks/README.md)."""
    return """
        SELECT DISTINCT ON (w.n) w.n, p.id, p.death_date, c.scheme_id, r.main_unit_id, r.primary_unit_id,
               r.referral_unit_id
        FROM eligibility_wanted w
        JOIN registry_person p ON p.citizen_id = w.cid
        LEFT JOIN registry_coverage c ON c.person_id = p.id AND c.valid_from <= w.day
             AND (c.valid_to IS NULL OR c.valid_to >= w.day)
        LEFT JOIN registry_registration r ON r.person_id = p.id AND r.effective_from <= w.day
        ORDER BY w.n, c.valid_from DESC NULLS LAST, r.effective_from DESC NULLS LAST, r.id DESC NULLS LAST"""


# The columns of `_set_sql`, with their DuckDB types.
_ID_FACTS = {"n": "BIGINT", "person_id": "BIGINT", "death_date": "DATE", "scheme_id": "BIGINT",
             "main_unit_id": "BIGINT", "primary_unit_id": "BIGINT", "referral_unit_id": "BIGINT"}


def _named_sql() -> str:
    """`_set_sql` with the codes: n, then MANY_COLUMNS after (cid, day)."""
    return f"""
        SELECT f.n, f.person_id, f.death_date, s.code, s.registers_with_unit, um.code, up.code, ur.code,
               f.main_unit_id
        FROM ({_set_sql()}) f({", ".join(_ID_FACTS)})
        LEFT JOIN registry_scheme s ON s.id = f.scheme_id
        LEFT JOIN providers_healthunit um ON um.id = f.main_unit_id
        LEFT JOIN providers_healthunit up ON up.id = f.primary_unit_id
        LEFT JOIN providers_healthunit ur ON ur.id = f.referral_unit_id
        ORDER BY f.n"""


def _wanted_table(cursor: Any) -> None:
    """PostgreSQL: the temporary table of numbered (citizen ID, date) pairs `_set_sql` reads, empty."""
    # Dropped here too: inside an outer transaction (a test's, a caller's) ON COMMIT comes later.
    cursor.execute("DROP TABLE IF EXISTS pg_temp.eligibility_wanted")
    cursor.execute("CREATE TEMPORARY TABLE eligibility_wanted (n bigint, cid varchar, day date) ON COMMIT DROP")


def _plan_for_wanted(cursor: Any) -> None:
    cursor.execute("ANALYZE eligibility_wanted")  # the row count decides between hashing and index lookups
    cursor.execute("SET LOCAL jit = off")  # compiling this plan costs more than running it


def registry_facts_into(duck: Any, pairs_sql: str, target: str) -> None:
    """`registry_facts` for every (citizen ID, date) pair a DuckDB query yields, appended to the DuckDB table
    `target` (MANY_COLUMNS, MANY_TYPES) — for a whole claims submission at once.

    On PostgreSQL the pairs travel by COPY into a temporary table and the answers come back by COPY: one query,
    no Python object per pair. On SQLite, `registry_facts` per chunk of MANY_CHUNK pairs."""
    from openuhc.core import bulk

    if connection.vendor == "postgresql":
        # Numbered here: the answers come back by number (no text or date to send back and match).
        duck.execute("CREATE OR REPLACE TABLE _registry_wanted AS SELECT row_number() OVER () AS n, w.cid, w.day "
                     f"FROM ({pairs_sql}) w(cid, day)")
        with transaction.atomic(), connection.cursor() as cursor:
            _wanted_table(cursor)
            # Binary COPY made by DuckDB: the server parses no CSV, no dates from text.
            bulk.insert_queries(duck, [("eligibility_wanted", ["n", "cid", "day"],
                                        "SELECT n, cid, day FROM _registry_wanted")])
            _plan_for_wanted(cursor)
            bulk.query_to_duckdb(duck, "_registry_facts", _set_sql(), [], _ID_FACTS)
            cursor.execute("DROP TABLE eligibility_wanted")
            # The codes of the schemes and units named: a few rows (every scheme; the units people registered at).
            bulk.query_to_duckdb(duck, "_registry_schemes", "SELECT id, code, registers_with_unit FROM "
                                 "registry_scheme", [], {"id": "BIGINT", "code": "VARCHAR", "registers": "BOOLEAN"})
            units = [u for (u,) in duck.execute(
                "SELECT main_unit_id AS u FROM _registry_facts UNION SELECT primary_unit_id FROM _registry_facts "
                "UNION SELECT referral_unit_id FROM _registry_facts").fetchall() if u is not None]
            where, params = bulk.any_of("id", units)
            bulk.query_to_duckdb(duck, "_registry_units", f"SELECT id, code FROM providers_healthunit WHERE {where}",
                                 params, {"id": "BIGINT", "code": "VARCHAR"})
        duck.execute(f"""
            INSERT INTO {target}
            SELECT w.cid, w.day, f.person_id, f.death_date, s.code, s.registers, um.code, up.code, ur.code,
                   f.main_unit_id
            FROM _registry_facts f JOIN _registry_wanted w USING (n)
            LEFT JOIN _registry_schemes s ON s.id = f.scheme_id
            LEFT JOIN _registry_units um ON um.id = f.main_unit_id
            LEFT JOIN _registry_units up ON up.id = f.primary_unit_id
            LEFT JOIN _registry_units ur ON ur.id = f.referral_unit_id""")
        for name in ("_registry_facts", "_registry_wanted", "_registry_schemes", "_registry_units"):
            duck.execute(f"DROP TABLE {name}")
        return
    import pyarrow as pa

    types = [pa.string(), pa.date32(), pa.int64(), pa.date32(), pa.string(), pa.bool_(), pa.string(), pa.string(),
             pa.string(), pa.int64()]
    # A cursor of its own: the loop writes to the same database while this result is being read.
    cursor = duck.cursor().execute(pairs_sql)
    while batch := cursor.fetchmany(MANY_CHUNK):
        facts = registry_facts([(cid, day.date() if hasattr(day, "date") else day) for cid, day in batch])
        if facts:
            duck.register("_facts", pa.table({n: pa.array([f[i] for f in facts], t)
                                              for i, (n, t) in enumerate(zip(MANY_COLUMNS, types, strict=True))}))
            duck.execute(f"INSERT INTO {target} SELECT * FROM _facts")
            duck.unregister("_facts")
