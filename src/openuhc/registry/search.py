"""Finding a person by name (ค้นหาด้วยชื่อ): each word typed is the beginning of a first or last name.

Thai has no spaces between words, so a name is searched by its beginning, as staff type it ("สมช" finds
สมชาย); a word in Thai script searches the Thai names, any other word the English names, case ignored. On
PostgreSQL the four name columns have prefix indexes (varchar_pattern_ops, migration 0006), so a search reads
only the matching rows of a 10,000,000-person registry; SQLite scans (slower, same answers).

A name shared by many people gives many matches: the list shows them 50 at a time, up to MAX_PAGES pages, with
no total (counting every "สม…" in the country is the cost avoided); past that the reader types more of the name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat

from openuhc.accounts.roles import Role

MAX_WORDS = 4
MAX_PAGES = 20
THAI = re.compile(r"[\u0e00-\u0e7f]")


def normalize_name(text: str) -> str:
    """NFC, with the vowel SARA AM typed as NIKHAHIT + SARA AA (ํา, how some keyboards send it) made one ำ."""
    return unicodedata.normalize("NFC", text).replace("\u0e4d\u0e32", "\u0e33").strip()


def people_in_scope(scope: Any) -> tuple[int, bool]:
    """How many people the user can search, and whether the number is an estimate: the whole registry's count is
    PostgreSQL's statistics (counting 10,000,000 rows takes seconds on every visit of the empty search page)."""
    from django.db import connection

    if scope.role == Role.NATIONAL and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'registry_person'::regclass")
            estimate = cursor.fetchone()[0]
        if estimate >= 100_000:  # small tables (and never-analysed ones, -1) are counted
            return round(estimate, -3), True
    return scope.persons().count(), False


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


def by_name(people: QuerySet) -> QuerySet:
    """Matches in the list's order: last name, first name, record. The last name is sorted as an expression, not
    as the column, on purpose: with the column, PostgreSQL may walk the whole last-name index in order hoping to
    meet 50 matches soon, which for a rare combination of two words read all 10,000,000 rows (over 30 s); the
    expression leaves it the prefix indexes, then a sort of the matches."""
    return people.order_by(Concat("last_name_th", Value("")), "first_name_th", "pk")


def first_matches(people: QuerySet, *, page: Any, size: int) -> MatchPage:
    """Page `page` (1 to MAX_PAGES) of an ordered queryset, reading one row more than shown to know if more follow."""
    try:
        number = min(max(int(page), 1), MAX_PAGES)
    except (TypeError, ValueError):
        number = 1
    start = (number - 1) * size
    found = list(people[start:start + size + 1])
    more = len(found) > size
    return MatchPage(object_list=found[:size], number=number, has_next=more and number < MAX_PAGES,
                     limited=more and number == MAX_PAGES)
