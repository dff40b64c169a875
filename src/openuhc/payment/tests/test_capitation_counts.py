"""The capitation count (one aggregate query) against a plain reading of the rule, person by person, on a
generated population: ages at the group boundaries, other schemes, ended coverage, deaths before and after the
count date, registrations changed before and after it, units of another region and units outside any CUP."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.db.models import Q

from openuhc.budget.services import in_force
from openuhc.payment.capitation import counted_population, national_counts
from openuhc.payment.tests.conftest import JAN
from openuhc.providers import services as providers
from openuhc.providers.models import UnitType
from openuhc.registry import services as registry
from openuhc.registry.models import Person, Scheme
from openuhc.testing.world import add_person


def _reference(on: date, groups: list, scheme: Scheme) -> Counter:
    """The rule as written: alive and covered that day, at the newest registration begun by then, its main unit's
    CUP leader paid, in the age group of the person's age in whole years that day."""
    counts: Counter = Counter()
    for person in Person.objects.all():
        if person.death_date is not None and person.death_date < on:
            continue
        if not person.coverages.filter(scheme=scheme, valid_from__lte=on).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=on)).exists() or person.current_registration_id is None:
            continue
        history = [r for r in person.registrations.order_by("effective_from", "id") if r.effective_from <= on]
        if not history or history[-1].main_unit.cup_id is None:
            continue
        born = person.birth_date
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        group = next((g.code for g in groups if g.min_age <= age and (g.max_age is None or age <= g.max_age)), None)
        if group:
            counts[(history[-1].main_unit.cup.main_unit_id, group)] += 1
    return counts


def test_the_count_is_each_persons_registration_in_force_that_day_in_one_query(world, budget,
                                                                               django_assert_max_num_queries):
    providers.create_cup(actor=None, main_unit=world.far_unit, since=date(2010, 10, 1))
    outside = providers.create_unit(actor=None, code="56009", name_th="ไม่มีเครือข่าย",
                                    unit_type=UnitType.objects.get(code="community"),
                                    subdistrict=world.hospital_a.subdistrict, owner=world.moph,
                                    owner_since=date(2010, 10, 1))
    units = [(world.hospital_a, world.shph_a), (world.hospital_b, world.shph_b), (world.far_unit, world.far_unit),
             (outside, outside)]
    groups = in_force("UCS", JAN).config.age_groups
    rng = random.Random(2569)  # noqa: S311 - test data
    for n in range(80):
        age = rng.choice([0, 4, 5, 14, 15, 59, 60, 61, 35])
        birth = JAN.replace(year=JAN.year - age) + timedelta(days=rng.choice([-1, 0, 1, 40]))
        birth = min(birth, JAN - timedelta(days=40))
        scheme = "SSS" if n % 9 == 0 else "UCS"
        person = add_person(subdistrict=units[n % 4][0].subdistrict, birth=birth, first=f"คน{n}", scheme=scheme)
        if scheme == "SSS":
            continue
        main, primary = units[n % 4]
        first = max(birth, date(2021, 1, 1))
        registry.register(actor=None, person=person, main_unit=main, primary_unit=primary, referral_unit=main,
                          effective_from=first)
        if n % 5 == 1:  # moved before the count date (another unit, maybe another region)
            main, primary = units[(n + 1) % 4]
            registry.register(actor=None, person=person, main_unit=main, primary_unit=primary, referral_unit=main,
                              effective_from=max(first + timedelta(days=1), date(2025, 6, 1)))
        elif n % 5 == 2:  # moved after it: counted at the older registration
            main, primary = units[(n + 2) % 4]
            registry.register(actor=None, person=person, main_unit=main, primary_unit=primary, referral_unit=main,
                              effective_from=date(2026, 1, 15))
        if n % 7 == 3:
            registry.record_death(actor=None, person=person,
                                  death_date=rng.choice([JAN - timedelta(days=1), JAN, JAN + timedelta(days=3)]))
        if n % 11 == 4:
            coverage = registry.coverage_on(person, JAN)
            registry.end_coverage(actor=None, coverage=coverage, valid_to=JAN - timedelta(days=rng.choice([1, 0])))
    ucs = Scheme.objects.get(code="UCS")
    expected = _reference(JAN, groups, ucs)
    assert sum(expected.values()) > 30 and len({payee for payee, _ in expected}) == 3
    with django_assert_max_num_queries(1):
        assert national_counts(scheme=ucs, on=JAN, groups=groups) == expected
    here = {world.hospital_a.pk, world.hospital_b.pk}
    assert counted_population(scheme=ucs, on=JAN, groups=groups, region=world.province.region) == Counter(
        {key: n for key, n in expected.items() if key[0] in here})
