"""A search by name lists the same pages whichever way the user's scope is checked during the walk (a hash of the
units' registrations, or each match's registration looked up): every user, on a generated registry with people who
moved, people registered with a CUP's sub-unit or referred to a hospital, people without a registration, and
English names; and both equal the answer worked out here in Python from the people's rows."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.core.cache import cache

from openuhc.accounts.roles import Role
from openuhc.accounts.scope import Scope
from openuhc.accounts.services import create_user
from openuhc.registry import search, services
from openuhc.registry.models import Person, Scheme
from openuhc.testing.world import next_cid

FIRST = [("สมชาย", "Somchai"), ("สมศรี", "somsri"), ("ชัยวงศ์", "CHAIWONG"), ("ชัยพร", "Chaiporn"), ("วิชัย", "Wichai"),
         ("สุดา", "Suda")]
LAST = [("สมบูรณ์", "Somboon"), ("ใจดี", "Jaidee"), ("ชัยมงคล", "chaimongkhon"), ("แสงทอง", "Saengthong"),
        ("สมปอง", "SOMPONG"), ("วิเศษ", "Wiset")]
QUERIES = ["สม", "ชัย", "สมชาย", "ชัยวงศ์ ใจ", "ส", "วิ", "สมชาย สม", "ไม่มี", "som", "CHAI", "Jai", "s", "som SOM", "x"]
SIZE = 4


@pytest.fixture
def registry(world):  # noqa: ANN001, ANN201
    """About 100 people: a quarter not registered (social security), the others registered with one of the units
    (main, primary, referral), a third of them moved to other units since."""
    rng = random.Random(14)
    units = [(world.hospital_a, world.shph_a, world.hospital_a), (world.hospital_b, world.shph_b, world.hospital_a),
             (world.hospital_b, world.shph_b, world.hospital_b), (world.far_unit, world.far_unit, world.far_unit),
             (world.shph_a, world.shph_a, world.hospital_b), (world.hospital_a, world.hospital_a, world.hospital_a)]
    ucs, sss = Scheme.objects.get(code="UCS"), Scheme.objects.get(code="SSS")
    sub = world.people["a"].subdistrict
    for n in range(100):
        (first_th, first_en), (last_th, last_en) = rng.choice(FIRST), rng.choice(LAST)
        english = rng.random() < 0.6
        person = services.add_person(actor=None, citizen_id=next_cid(), first_name_th=first_th, last_name_th=last_th,
                                     first_name_en=first_en if english else "",
                                     last_name_en=last_en if english and rng.random() < 0.8 else "",
                                     sex=1 + n % 2, birth_date=date(1950 + n % 50, 1, 1), subdistrict=sub)
        registered = rng.random() < 0.75
        services.add_coverage(actor=None, person=person, scheme=ucs if registered else sss,
                              valid_from=max(person.birth_date, date(2002, 10, 1)))
        if registered:
            main, primary, referral = rng.choice(units)
            services.register(actor=None, person=person, main_unit=main, primary_unit=primary,
                              referral_unit=referral, effective_from=date(2021, 1, 1))
            if rng.random() < 0.35:  # moved since
                main, primary, referral = rng.choice([u for u in units if u != (main, primary, referral)])
                services.register(actor=None, person=person, main_unit=main, primary_unit=primary,
                                  referral_unit=referral, effective_from=date(2024, 6, 1))
    world.users["hospital_sub"] = create_user(username="hospital_sub", password=None, role=Role.HOSPITAL,
                                              unit=world.shph_a)
    world.users["hospital_far"] = create_user(username="hospital_far", password=None, role=Role.HOSPITAL,
                                              unit=world.far_unit)
    return world


USERS = ["national", "regional", "regional2", "hospital", "hospital2", "hospital_sub", "hospital_far"]


def _pages(people, query: str) -> list[tuple[list[int], bool, bool]]:  # noqa: ANN001
    """Every page of the search: its ids, whether a next page is offered, whether the list stopped at the limit."""
    pages, number = [], 1
    while True:
        page = search.name_matches(people, query, page=number, size=SIZE, rows=lambda rows: rows)
        pages.append(([p.pk for p in page.object_list], page.has_next, page.limited))
        if not page.has_next:
            return pages
        number += 1


def _expected(scope: Scope, query: str) -> list[int]:
    """The matches in the list's order, from the rows in Python: the people whose last name begins with the first
    word (by last name, first name, id), then those whose first name does (by first name, last name, id), every
    other word beginning one of the two names; Thai words compare the Thai names, others the English names,
    upper-cased (code point order, as the "C" collation)."""
    words = search.normalize_name(query).split()[:search.MAX_WORDS]
    in_scope = set(scope.persons().values_list("pk", flat=True))

    def names(person: Person, word: str) -> tuple[str, str]:
        if search.THAI.search(word):
            return person.first_name_th, person.last_name_th
        return person.first_name_en.upper(), person.last_name_en.upper()

    def begins(name: str, word: str) -> bool:
        return bool(name) and name.startswith(word if search.THAI.search(word) else word.upper())

    def matches(person: Person) -> bool:
        return all(any(begins(name, word) for name in names(person, word)) for word in words[1:])

    people = [p for p in Person.objects.filter(pk__in=in_scope) if matches(p)]
    by_last = [p for p in people if begins(names(p, words[0])[1], words[0])]
    by_first = [p for p in people if begins(names(p, words[0])[0], words[0]) and p not in by_last]
    return ([p.pk for p in sorted(by_last, key=lambda p: (names(p, words[0])[1], names(p, words[0])[0], p.pk))]
            + [p.pk for p in sorted(by_first, key=lambda p: (names(p, words[0])[0], names(p, words[0])[1], p.pk))])


def test_both_ways_of_checking_the_scope_list_the_same_pages_as_the_rows_say(registry):
    for username, query in ((u, q) for u in USERS for q in QUERIES):
        scope = Scope.of(registry.users[username])
        joined = _pages(search.people_to_walk(scope, page_size=SIZE, by_unit_registrations=False), query)
        hashed = _pages(search.people_to_walk(scope, page_size=SIZE, by_unit_registrations=True), query)
        chosen = _pages(search.people_to_walk(scope, page_size=SIZE), query)
        assert hashed == joined == chosen, (username, query)
        expected = _expected(scope, query)[:search.MAX_PAGES * SIZE]
        assert [pk for ids, _more, _limited in joined for pk in ids] == expected, (username, query)



def test_the_generated_registry_holds_what_the_comparison_needs(registry):
    """Moved people, people of a CUP's sub-unit and referred people are in the hospital users' scopes."""
    hospital = set(Scope.of(registry.users["hospital"]).persons().values_list("pk", flat=True))
    sub = set(Scope.of(registry.users["hospital_sub"]).persons().values_list("pk", flat=True))
    moved = set(Person.objects.filter(registrations__effective_from=date(2024, 6, 1)).values_list("pk", flat=True))
    referred = set(Person.objects.filter(current_registration__main_unit=registry.hospital_b,
                                         current_registration__referral_unit=registry.hospital_a)
                   .values_list("pk", flat=True))
    assert sub and sub < hospital  # the sub-unit's people are the CUP's main unit's too
    assert moved & hospital and moved - hospital
    assert referred and referred < hospital
    assert Person.objects.filter(current_registration__isnull=True).exists()
    assert Person.objects.exclude(first_name_en="").filter(pk__in=hospital).exists()


def test_the_hash_is_chosen_for_a_unit_small_against_the_registry(registry, monkeypatch):
    units = sorted(Scope.of(registry.users["hospital"]).hospital_unit_ids)
    cache.clear()
    monkeypatch.setattr(search, "_registry_size", lambda: 10_000_000)
    assert search._hash_pays(units, SIZE + 1)
    cache.clear()
    monkeypatch.setattr(search, "MOST_REGISTRATIONS_HASHED", 1)  # more registrations than that: each looked up
    assert not search._hash_pays(units, SIZE + 1)
    cache.clear()


def test_the_choice_is_kept_for_the_same_units(registry, monkeypatch, django_assert_num_queries):
    units = sorted(Scope.of(registry.users["hospital"]).hospital_unit_ids)
    cache.clear()
    decided = search._hash_pays(units, SIZE + 1)
    with django_assert_num_queries(0):
        assert search._hash_pays(units, SIZE + 1) == decided
    cache.clear()
