"""Every page of every demo role, in Thai: it answers, its years have no thousands separator, and no English word
from our catalogues (a label, a status, a choice) is left untranslated on it."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from openuhc.testing.crawl import crawl, texts

PACKAGE = Path(__file__).resolve().parents[2]
DEMO_USERS = ["national", "region1", "hospital", "hospital2", "localfund", "centre", "analyst", "secretariat", "pao",
              None]
START = {None: ["/monitoring/open/", "/funds/public/", "/rights/complain/", "/rights/follow/", "/governance/public/"]}
YEAR_WITH_SEPARATOR = re.compile(r"(?<![\d.,])2,5\d\d(?![\d,.])")


def english_words() -> set[str]:
    """The English text of every entry the Thai catalogues translate into something else."""
    words = set()
    for path in PACKAGE.glob("*/locale/th/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid:
                continue
            if entry.msgstr and entry.msgstr != entry.msgid and re.search("[A-Za-z]{2}", entry.msgid):
                words.add(entry.msgid)
    # the language switch names each language in that language ("English" on a Thai page is meant)
    return words - {"English"}


@pytest.fixture
def demo(geography):
    from openuhc.demo.loader import load_demo

    return load_demo(seed=2569, people=300)


def _client(username: str | None, language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _fetch(client: Client):  # noqa: ANN202
    def fetch(url: str) -> tuple[int, str, str]:
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        body = response.content.decode() if content_type.startswith("text/html") else ""
        return response.status_code, content_type, body
    return fetch


@pytest.mark.django_db(transaction=False)
def test_every_page_of_every_role_reads_in_thai_with_plain_years(demo):
    english = english_words()
    problems = []
    visited = 0
    for username in DEMO_USERS:
        result = crawl(_fetch(_client(username, "th")), START.get(username, ["/accounts/home/"]))
        visited += len(result.pages)
        for page in result.pages:
            if page.status not in (200, 302):
                problems.append(f"{username}: {page.url} answered {page.status}")
        for page in result.html():
            if YEAR_WITH_SEPARATOR.search(page.body):
                problems.append(f"{username}: {page.url} writes a year with a separator: "
                                f"{YEAR_WITH_SEPARATOR.search(page.body).group(0)}")
            left = sorted({t for t in texts(page.body) if t in english})
            if left:
                problems.append(f"{username}: {page.url} has English words: {left}")
    assert visited > 150
    assert problems == []


@pytest.mark.django_db(transaction=False)
def test_every_page_of_every_role_answers_in_english_too(demo):
    for username in DEMO_USERS:
        result = crawl(_fetch(_client(username, "en")), START.get(username, ["/accounts/home/"]))
        assert [p.url for p in result.pages if p.status not in (200, 302)] == [], username
