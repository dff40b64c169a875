"""Finding a person by name (ค้นหาด้วยชื่อ): each word typed is the beginning of a first or last name.

Thai has no spaces between words, so a name is searched by its beginning, as staff type it ("สมช" finds
สมชาย); a word in Thai script searches the Thai names, any other word the English names, case ignored. On
PostgreSQL each name has an index that answers the prefix in the list's order (migration 0007), so a page reads
about its own rows of a 10,000,000-person registry, however many match; SQLite scans (slower, same answers).

A name shared by many people gives many matches: the list shows them 50 at a time, up to MAX_PAGES pages, with
no total (counting every "สม…" in the country is the cost avoided); past that the reader types more of the name.

A hospital user's matches are the walk's matches whose registration in force names one of their units: checked from
a hash of those registrations' ids when the unit is small against the registry (people_to_walk), so that the walk
past the many other people's matches costs an index entry each.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Upper

from openuhc.accounts.roles import Role

MAX_WORDS = 4
MAX_PAGES = 20
IN_SCOPE_SECONDS = 600  # how long the count of a region's or unit's people is kept (the empty search page)
THAI = re.compile(r"[\u0e00-\u0e7f]")
# Choosing how a hospital user's scope is checked during the walk (people_to_walk), from EXPLAIN ANALYZE on
# 2,000,000 persons (docs/registry.md): a walked match whose person row and registration are looked up costs about
# 12 µs more than one checked against a hash of the unit's registrations; the hash costs about 0.45 µs per
# registration entry read (index-only) to build.
LOOKUP_US = 12.0
HASH_ENTRY_US = 0.45
MOST_REGISTRATIONS_HASHED = 500_000  # about 50 bytes each in the database's memory while the page is read
UNIT_COLUMNS = ("main_unit_id", "primary_unit_id", "referral_unit_id")


def normalize_name(text: str) -> str:
    """NFC, with the vowel SARA AM typed as NIKHAHIT + SARA AA (ํา, how some keyboards send it) made one ำ."""
    return unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33").strip()


def people_in_scope(scope: Any) -> tuple[int, bool]:
    """How many people the user can search, and whether the number is an estimate: the whole registry's count is
    PostgreSQL's statistics (counting 10,000,000 rows takes seconds on every visit of the empty search page); a
    region's or a unit's is counted, then kept IN_SCOPE_SECONDS in the cache (a unit's people are found through
    their registrations: half a second at national size, on every visit of the page otherwise)."""
    from django.core.cache import cache

    if scope.role == Role.NATIONAL:
        estimate = _persons_estimate()
        if estimate is not None and estimate >= 100_000:  # small tables are counted
            return round(estimate, -3), True
        return scope.persons().count(), False
    units = ",".join(map(str, sorted(scope.hospital_unit_ids)))
    key = f"registry:in-scope:{scope.role}:{scope.region.pk if scope.region else ''}:{units}"
    counted = cache.get(key)
    if counted is None:
        counted = scope.persons().count()
        cache.set(key, counted, IN_SCOPE_SECONDS)
    return counted, False


def name_prefix_filter(query: str) -> Q:
    """Every word (up to MAX_WORDS) begins the person's first or last name."""
    condition = Q()
    for word in normalize_name(query).split()[:MAX_WORDS]:
        if THAI.search(word):
            condition &= Q(first_name_th__startswith=word) | Q(last_name_th__startswith=word)
        else:
            condition &= Q(first_name_en__istartswith=word) | Q(last_name_en__istartswith=word)
    return condition


@dataclass
class MatchPage:
    """A page of matches without a total: enough for previous / next links."""

    object_list: list[Any]
    number: int
    has_next: bool
    limited: bool  # more matches exist past the last page shown

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def _collated(expression: Any) -> Any:
    """The name in the index's "C" order on PostgreSQL (migration 0007); SQLite compares bytes anyway."""
    from django.db import connection

    return Collate(expression, "C") if connection.vendor == "postgresql" else expression


def _branches(people: QuerySet, query: str) -> list[QuerySet]:
    """The matches in the list's order, as two ordered querysets read one after the other: the people whose last
    name begins with the first word (by last name, first name, record), then those whose first name does and last
    name does not (by first name, last name, record); the other words filter both. Each is the order of one index
    that also answers the word's prefix, so a page reads about its own rows, never every match: a single order over
    both names (last name first, for all) could only be had by sorting every match — at 10,000,000 persons,
    hundreds of thousands of them for a common beginning."""
    words = normalize_name(query).split()[:MAX_WORDS]
    if not words:
        return []
    rest = name_prefix_filter(" ".join(words[1:]))
    if THAI.search(words[0]):
        first, last = F("first_name_th"), F("last_name_th")
        by_last, by_first = Q(last_name_th__startswith=words[0]), Q(first_name_th__startswith=words[0])
    else:  # the English indexes hold only the names there are (a non-empty name is asked for, so they serve)
        first, last = Upper("first_name_en"), Upper("last_name_en")
        by_last = Q(last_name_en__istartswith=words[0]) & ~Q(last_name_en="")
        by_first = Q(first_name_en__istartswith=words[0]) & ~Q(first_name_en="")
    return [people.filter(by_last, rest).order_by(_collated(last), _collated(first), "pk"),
            people.filter(by_first, rest).exclude(by_last).order_by(_collated(first), _collated(last), "pk")]


def name_matches(people: QuerySet, query: str, *, page: Any, size: int,
                 rows: Callable[[QuerySet], QuerySet]) -> MatchPage:
    """Page `page` of the people (a queryset of the user's scope) whose names begin with the words of `query`.
    The ids of the page are found first, branch by branch (at most MAX_PAGES × size + 1 of them, in the indexes'
    order), then `rows` loads the page's rows (with what the page shows)."""
    number = _page_number(page)
    wanted = number * size + 1
    ids: list[int] = []
    with _hash_memory():
        for branch in _branches(people, query):
            ids += branch.values_list("pk", flat=True)[:wanted - len(ids)]
            if len(ids) >= wanted:
                break
    found = ids[(number - 1) * size:]
    shown = rows(people.model.objects.filter(pk__in=found[:size])).in_bulk()
    more = len(found) > size
    return MatchPage(object_list=[shown[pk] for pk in found[:size] if pk in shown], number=number,
                     has_next=more and number < MAX_PAGES, limited=more and number == MAX_PAGES)


def people_to_walk(scope: Any, *, page_size: int, by_unit_registrations: bool | None = None) -> QuerySet:
    """The user's people as name_matches walks a name's index: the same people as scope.persons(), checked in one of
    two ways for a hospital user. The walk meets the matches of the whole country in the index's order and keeps
    the user's; when their people are few among many (a unit of 10,000 among 10,000,000: one match in 1,000), a page
    walks thousands of matches. Either each match's registration in force is looked up (the scope's join: a person
    row and a registration read per match), or the ids of the registrations naming the user's units are read once
    into a hash, from the (unit, id) indexes, and each match's registration id — in the Thai name indexes beside the
    name (migration 0008) — is looked up in it. The hash's cost follows the unit's size, the lookups' the country's
    over the unit's (_hash_pays chooses; `by_unit_registrations` forces one, for the tests)."""
    units = sorted(scope.hospital_unit_ids) if scope.role == Role.HOSPITAL else []
    if not units:
        return scope.persons()
    if by_unit_registrations is None:
        by_unit_registrations = _hash_pays(units, page_size + 1)
    if not by_unit_registrations:
        return scope.persons()
    from openuhc.registry.models import Person

    person = Person._meta.db_table
    # IS TRUE keeps the IN where it is: a condition checked on each row of the walk, from a hash built once (a bare
    # IN would become a join, which the planner may start from the registrations and then sort every match).
    walked = f'("{person}"."current_registration_id" IN ({_unit_registrations(units)})) IS TRUE'
    return Person.objects.filter(RawSQL(walked, units * len(UNIT_COLUMNS), output_field=BooleanField()))  # noqa: S611


def _unit_registrations(units: list[int]) -> str:
    """SQL of the ids of the registrations naming one of `units` as main, primary or referral unit (one read of each
    (unit, id) index; an OR of the three would read each registration's row); its parameters are `units` thrice."""
    from openuhc.registry.models import Registration

    marks = ", ".join(["%s"] * len(units))
    table = Registration._meta.db_table
    return " UNION ALL ".join(f'SELECT "id" FROM "{table}" WHERE "{column}" IN ({marks})'  # noqa: S608 - constant
                              for column in UNIT_COLUMNS)


def _hash_pays(units: list[int], rows: int) -> bool:
    """Whether the hash of the units' registrations costs less than looking up each walked match's registration.
    With N persons in the registry, S of them the unit's and a name spread like everyone, a first page walks about
    rows × N / S matches, each LOOKUP_US; the hash of the E entries read (S ≥ E / 3: each registration names up to
    three of the units) costs E × HASH_ENTRY_US. The hash pays while E² < 3 × rows × N × LOOKUP_US / HASH_ENTRY_US
    (at 10,000,000 persons, up to ~200,000 entries: units of up to ~70,000 people), and at most
    MOST_REGISTRATIONS_HASHED. The entries are counted up to that bound; the answer is kept IN_SCOPE_SECONDS per set
    of units (it decides the speed, never the people found)."""
    from django.core.cache import cache
    from django.db import connection

    key = "registry:walk-by-hash:" + ",".join(map(str, units))
    decided = cache.get(key)
    if decided is None:
        most = min(MOST_REGISTRATIONS_HASHED, int(math.sqrt(3 * rows * _registry_size() * LOOKUP_US / HASH_ENTRY_US)))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({_unit_registrations(units)} LIMIT %s) AS entries",  # noqa: S608
                           [*units * len(UNIT_COLUMNS), most + 1])
            decided = cursor.fetchone()[0] <= most
        cache.set(key, decided, IN_SCOPE_SECONDS)
    return decided


def _registry_size() -> int:
    """How many persons the registry holds: PostgreSQL's statistics, or counted."""
    from openuhc.registry.models import Person

    estimate = _persons_estimate()
    return Person.objects.count() if estimate is None else estimate


def _persons_estimate() -> int | None:
    """The person table's row count by PostgreSQL's statistics (counting 10,000,000 rows takes seconds); None on
    SQLite or before the table was first analysed (-1)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'registry_person'::regclass")
        estimate = cursor.fetchone()[0]
    return estimate if estimate >= 0 else None


@contextmanager
def _hash_memory() -> Iterator[None]:
    """PostgreSQL builds a hash for a condition's IN only if the planner's estimate of its rows fits hash memory
    (work_mem × hash_mem_multiplier, 8 MB by default: ~260,000 ids); otherwise it runs the IN's query again for each
    row walked (a minute instead of milliseconds). The hash of a unit's registrations (people_to_walk, at most
    MOST_REGISTRATIONS_HASHED entries, whatever the estimate says) is allowed 16 times more for the page's query."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL hash_mem_multiplier = 16")
        yield


def _page_number(page: Any) -> int:
    try:
        return min(max(int(page), 1), MAX_PAGES)
    except (TypeError, ValueError):
        return 1


def first_matches(people: QuerySet, *, page: Any, size: int) -> MatchPage:
    """Page `page` (1 to MAX_PAGES) of an ordered queryset, reading one row more than shown to know if more follow."""
    number = _page_number(page)
    start = (number - 1) * size
    found = list(people[start:start + size + 1])
    more = len(found) > size
    return MatchPage(object_list=found[:size], number=number, has_next=more and number < MAX_PAGES,
                     limited=more and number == MAX_PAGES)
