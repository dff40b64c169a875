"""Visit every page a user can reach by following links, for the tests that check all pages of all roles.

    pages = crawl(fetch, ["/accounts/home/"])   # fetch(url) -> (status, content type, body)

Pages of the same kind (the same address with other numbers in it: /claims/12/ and /claims/13/) are visited
once each, so that a list of 50 claims costs one claim page. Downloads, the API, log-out and actions that
change something are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

SKIP = re.compile(r"(/logout|\.csv|\.json|\.xlsx|\.pdf|/api/|/static/|/media/|/admin/|reveal|setlang|format=|/i18n/)")
_ID = re.compile(r"(?<=/)[0-9a-f-]{36}(?=/)|\d+")


def kind_of(url: str) -> str:
    """The page's kind: its path with numbers and ids replaced, and the names of its query parameters."""
    path, _sep, query = url.partition("?")
    names = sorted({part.split("=", 1)[0] for part in query.split("&") if part and part.split("=", 1)[0] != "page"})
    return _ID.sub("N", path) + ("?" + "&".join(names) if names else "")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str, current: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith("?"):
            href = current.split("?", 1)[0] + href
        if not href.startswith("/") or href.startswith("//") or SKIP.search(href):
            continue
        found.append(href.split("#", 1)[0])
    return found


@dataclass
class Page:
    url: str
    status: int
    body: str = ""


@dataclass
class Crawl:
    pages: list[Page] = field(default_factory=list)

    def html(self) -> Iterable[Page]:
        return (p for p in self.pages if p.status == 200 and p.body)


def crawl(fetch: Callable[[str], tuple[int, str, str]], starts: list[str], *, limit: int = 400) -> Crawl:
    result = Crawl()
    queue = list(starts)
    seen_kinds: set[str] = set()
    while queue and len(result.pages) < limit:
        url = queue.pop(0)
        kind = kind_of(url)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        status, content_type, body = fetch(url)
        html = body if status == 200 and content_type.startswith("text/html") else ""
        result.pages.append(Page(url, status, html))
        if html:
            queue.extend(u for u in links(html, url) if kind_of(u) not in seen_kinds)
    return result


class _Text(HTMLParser):
    """The words a person reads: text nodes, and the labels of controls (aria-label, placeholder, title)."""

    SKIP_TAGS = {"script", "style", "code", "pre"}

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP_TAGS:
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "placeholder", "title") and value:
                self.chunks.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def texts(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks
