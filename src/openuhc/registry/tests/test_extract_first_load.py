"""A first load into an empty registry on PostgreSQL takes a shorter way (rows copied straight from DuckDB into
each table, no staging table): it must store what the staging path stores."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection

from openuhc.registry import extract
from openuhc.registry.models import Coverage, Person, Registration, RegistryEvent
from openuhc.registry.tests.test_extract import C, _row, _write

ROWS = [_row(C[0], first_name_en="O'Neil, \"Jr\"", last_name_en="Smith"),
        _row(C[1], first_name_th="สมหญิง", sex="2", death_date="2024-02-29"),
        _row(C[2], scheme="SSS", main_unit="", primary_unit="", referral_unit="", registered_from=""),
        _row(C[3], birth_date="17/05/2523", title="")]


def _empty_registry() -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE registry_person SET current_registration_id = NULL")
        for table in ("registry_registryevent", "registry_personaccess", "country_personidentifier",
                      "registry_coverage", "registry_registration", "registry_person", "registry_registryimport"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - constant names
        if connection.vendor == "postgresql":
            # the deletes' deferred foreign-key checks run now: no index can be built on a table with pending ones
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _stored() -> dict[str, Any]:
    """The registry's rows without ids or times; "import <id>" (the source) without the import's id."""
    people = {p.pk: p.citizen_id for p in Person.objects.all()}

    def source(text: str) -> str:
        return re.sub(r"^import \d+$", "import", text)

    return {
        "persons": sorted((p.citizen_id, p.title, p.first_name_th, p.last_name_th, p.first_name_en, p.last_name_en,
                           p.sex, p.birth_date, p.subdistrict_id, p.death_date,
                           p.current_registration and p.current_registration.main_unit_id)
                          for p in Person.objects.select_related("current_registration")),
        "coverages": sorted((people[c.person_id], c.scheme_id, c.valid_from, c.valid_to, source(c.source),
                             c.recorded_by_id) for c in Coverage.objects.all()),
        "registrations": sorted((people[r.person_id], r.main_unit_id, r.primary_unit_id, r.referral_unit_id,
                                 r.effective_from, r.is_change, r.reason, source(r.source))
                                for r in Registration.objects.all()),
        "events": sorted((people[e.person_id], e.kind, sorted({**e.detail, "source": source(e.detail["source"])
                                                               }.items()), e.actor_id)
                         for e in RegistryEvent.objects.all()),
    }


def test_a_first_load_stores_what_the_staging_path_stores(world, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the first load's shorter way is PostgreSQL's (SQLite always merges through staging)")
    _empty_registry()
    report, record = extract.apply_extract(_write(tmp_path / "load.csv", ROWS), mode="load")
    assert report.ok, report.errors
    assert "ids" in record.detail["seconds"] and "decide" not in record.detail["seconds"]  # the shorter way
    assert (record.added, record.changed, record.unchanged) == (4, 0, 0)
    direct = _stored()
    # ids follow the file's order
    assert list(Person.objects.order_by("pk").values_list("citizen_id", flat=True)) == C[:4]
    _empty_registry()
    monkeypatch.setattr(extract, "_load_into_empty", lambda *args, **kwargs: None)
    report, record = extract.apply_extract(_write(tmp_path / "load.csv", ROWS), mode="load")
    assert report.ok, report.errors
    assert "decide" in record.detail["seconds"]  # the staging path
    assert _stored() == direct
    assert len(direct["events"]) == 4 and len(direct["registrations"]) == 3 and len(direct["coverages"]) == 4
