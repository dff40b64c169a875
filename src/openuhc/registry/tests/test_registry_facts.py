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
