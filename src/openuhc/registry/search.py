"""Finding a person by name (ค้นหาด้วยชื่อ): each word typed is the beginning of a first or last name.

Thai has no spaces between words, so a name is searched by its beginning, as staff type it ("สมช" finds
สมชาย); a word in Thai script searches the Thai names, any other word the English names, case ignored. On
PostgreSQL each name has an index that answers the prefix in the list's order (migration 0007), so a page reads
about its own rows of a 10,000,000-person registry, however many match; SQLite scans (slower, same answers).

A name shared by many people gives many matches: the list shows them 50 at a time, up to MAX_PAGES pages, with
no total (counting every "สม…" in the country is the cost avoided); past that the reader types more of the name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Collate, Upper

from openuhc.accounts.roles import Role

MAX_WORDS = 4
MAX_PAGES = 20
IN_SCOPE_SECONDS = 600  # how long the count of a region's or unit's people is kept (the empty search page)
THAI = re.compile(r"[\u0e00-\u0e7f]")


def normalize_name(text: str) -> str:
    """NFC, with the vowel SARA AM typed as NIKHAHIT + SARA AA (ํา, how some keyboards send it) made one ำ."""
    return unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33").strip()


def people_in_scope(scope: Any) -> tuple[int, bool]:
    """How many people the user can search, and whether the number is an estimate: the whole registry's count is
    PostgreSQL's statistics (counting 10,000,000 rows takes seconds on every visit of the empty search page); a
    region's or a unit's is counted, then kept IN_SCOPE_SECONDS in the cache (a unit's people are found through
    their registrations: half a second at national size, on every visit of the page otherwise)."""
    from django.core.cache import cache
    from django.db import connection

    if scope.role == Role.NATIONAL and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'registry_person'::regclass")
            estimate = cursor.fetchone()[0]
        if estimate >= 100_000:  # small tables (and never-analysed ones, -1) are counted
            return round(estimate, -3), True
    if scope.role == Role.NATIONAL:
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
    for branch in _branches(people, query):
        ids += branch.values_list("pk", flat=True)[:wanted - len(ids)]
        if len(ids) >= wanted:
            break
    found = ids[(number - 1) * size:]
    shown = rows(people.model.objects.filter(pk__in=found[:size])).in_bulk()
    more = len(found) > size
    return MatchPage(object_list=[shown[pk] for pk in found[:size] if pk in shown], number=number,
                     has_next=more and number < MAX_PAGES, limited=more and number == MAX_PAGES)


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
