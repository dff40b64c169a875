"""`registry_facts` (many pairs in one query) reads what `check_eligibility` reads for each pair, on SQLite (its
own SQL) and on PostgreSQL (the set-based query claims checking uses)."""

from __future__ import annotations

from datetime import date

from openuhc.registry.eligibility import check_eligibility, registry_facts

ON = date(2025, 9, 1)
UNKNOWN = "1101700230705"  # a valid check digit, no such person


def test_registry_facts_agree_with_check_eligibility_pair_by_pair(world):
    pairs = [(p.citizen_id, ON) for p in world.people.values()] + [(UNKNOWN, ON)]
    facts = {(cid, day): row for cid, day, *row in registry_facts(pairs)}
    assert (UNKNOWN, ON) not in facts
    for cid, day in pairs[:-1]:
        answer = check_eligibility(cid, day)
        person_id, _death, scheme, _registers, main, primary, referral, _main_id = facts[(cid, day)]
        assert person_id == answer.person.pk
        assert scheme == (answer.coverage.scheme.code if answer.coverage else None)
        registration = answer.registration
        assert (main, primary, referral) == ((registration.main_unit.code, registration.primary_unit.code,
                                              registration.referral_unit.code) if registration else (None,) * 3)


def test_no_pairs_no_query():
    assert registry_facts([]) == []


def test_registry_facts_pick_the_coverage_and_registration_of_each_day_among_several(world):
    """A person with three coverages (UCS, then SSS, then UCS again) and four registrations (two on one day: the
    later one counts) is asked about many days at once: every answer is the one-pair query's."""
    pairs = _several(world)
    facts = {(cid, day): row for cid, day, *row in registry_facts(pairs)}
    assert len(facts) == len(pairs)
    for cid, day in pairs:
        answer = check_eligibility(cid, day)
        _person, _death, scheme, _registers, main, primary, referral, main_id = facts[(cid, day)]
        assert scheme == (answer.coverage.scheme.code if answer.coverage else None), day
        if answer.coverage is not None and answer.coverage.scheme.registers_with_unit:
            registration = answer.registration
            assert (main, primary, referral, main_id) == (
                (registration.main_unit.code, registration.primary_unit.code, registration.referral_unit.code,
                 registration.main_unit_id) if registration else (None,) * 4), day


def test_registry_facts_into_a_duckdb_table_are_registry_facts(world):
    """The submission's path (on PostgreSQL: the ids from the registry, their codes joined in DuckDB) gives the
    same rows as `registry_facts`, unknown IDs left out."""
    import duckdb

    from openuhc.registry.eligibility import MANY_TYPES, registry_facts_into

    pairs = [*_several(world), (UNKNOWN, ON)]
    duck = duckdb.connect()
    duck.execute('CREATE TABLE wanted (cid VARCHAR, "day" DATE)')
    duck.executemany("INSERT INTO wanted VALUES (?, ?)", pairs)
    duck.execute(f"CREATE TABLE facts ({', '.join(f'{c} {t}' for c, t in MANY_TYPES.items())})")
    registry_facts_into(duck, 'SELECT cid, "day" FROM wanted', "facts")
    got = sorted(duck.execute("SELECT * FROM facts").fetchall())
    assert got == sorted(registry_facts(pairs))
    assert len(got) == len(pairs) - 1


def _several(world):
    """A person with three coverages (UCS, then SSS, then UCS again) and four registrations (two on one day),
    and another person, each asked about many days: the pairs."""
    from openuhc.registry import services
    from openuhc.registry.models import Registration, Scheme

    person = world.people["a"]
    ucs, sss = Scheme.objects.get(code="UCS"), Scheme.objects.get(code="SSS")
    services.add_coverage(actor=None, person=person, scheme=sss, valid_from=date(2025, 3, 1))
    services.add_coverage(actor=None, person=person, scheme=ucs, valid_from=date(2025, 6, 1))
    for day, main, primary in ((date(2025, 6, 10), world.hospital_b, world.shph_b),
                               (date(2025, 7, 1), world.hospital_a, world.shph_a),
                               (date(2025, 7, 1), world.hospital_b, world.shph_a)):
        services.register(actor=None, person=person, main_unit=main, primary_unit=primary,
                          referral_unit=world.hospital_a, effective_from=day)
    assert Registration.objects.filter(person=person).count() >= 4
    days = [date(2024, 12, 31), date(2025, 2, 28), date(2025, 3, 1), date(2025, 5, 31), date(2025, 6, 1),
            date(2025, 6, 10), date(2025, 6, 30), date(2025, 7, 1), date(2025, 9, 1)]
    return [(person.citizen_id, day) for day in days] + [(world.people["b"].citizen_id, day) for day in days]
