"""Finding a person by the beginning of their first or last name, in Thai or English; no match; many matches
shown page by page up to a limit, without a total."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from openuhc.registry import search, views
from openuhc.registry.models import Person
from openuhc.testing.world import add_person


@pytest.fixture
def named(world):  # noqa: ANN001
    sub = world.people["a"].subdistrict
    people = {
        "somchai": add_person(subdistrict=sub, first="สมชาย", last="ใจดี"),
        "somsri": add_person(subdistrict=sub, first="สมศรี", last="แสงทอง"),
        "wichai": add_person(subdistrict=sub, first="วิชัย", last="สมบูรณ์"),
        "amnat": add_person(subdistrict=sub, first="อำนาจ", last="ทองคำ"),
    }
    Person.objects.filter(pk=people["somchai"].pk).update(first_name_en="Somchai", last_name_en="Jaidee")
    return people


def _names(client, q: str, **extra: str) -> list[str]:  # noqa: ANN001
    """The names listed, in Thai (an English page shows the English name where there is one)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    body = client.get("/people/", {"q": q, **extra}).content.decode()
    return re.findall(r'href="/people/\d+/">(?:นาย|นาง)?([^<]+)</a>', body)


def test_a_thai_word_finds_first_and_last_names_that_begin_with_it(named, client_for):
    client = client_for("national")
    assert sorted(_names(client, "สม")) == ["วิชัย สมบูรณ์", "สมชาย ใจดี", "สมศรี แสงทอง"]
    assert _names(client, "สมชาย ใจ") == ["สมชาย ใจดี"]
    assert _names(client, "ใจดี") == ["สมชาย ใจดี"]


def test_the_middle_of_a_name_is_not_its_beginning(named, client_for):
    body = client_for("national").get("/people/", {"q": "มชา"}).content.decode()
    assert 'id="no-results"' in body


def test_sara_am_typed_as_two_characters_still_finds_the_name(named, client_for):
    assert _names(client_for("national"), "อ\u0e4d\u0e32นา") == ["อำนาจ ทองคำ"]


def test_an_english_word_finds_the_english_names_whatever_the_case(named, client_for):
    client = client_for("national")
    assert _names(client, "som") == ["สมชาย ใจดี"]
    assert _names(client, "JAID") == ["สมชาย ใจดี"]
    assert _names(client, "chai") == []  # the middle of Somchai


def test_the_search_stays_in_the_users_scope(named, client_for):
    assert _names(client_for("hospital2"), "สม") == []


def test_many_matches_are_shown_page_by_page_up_to_a_limit(named, client_for, world, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "MAX_PAGES", 2)
    for n in range(4):
        add_person(subdistrict=world.people["a"].subdistrict, first=f"สมหมาย{n}", last="ทดสอบ")
    client = client_for("national")
    first = client.get("/people/", {"q": "สม"}).content.decode()
    assert "page=2" in first and 'id="search-limited"' not in first
    assert re.search(r'class="muted">(page|หน้า) 1</span>', first)  # the shared pager, without a total
    second = client.get("/people/", {"q": "สม", "page": "2"}).content.decode()
    assert 'id="search-limited"' in second and "page=3" not in second
    assert len(_names(client, "สม", page="2")) == 2
    assert _names(client, "สม", page="99") == _names(client, "สม", page="2")  # past the limit: the last page
