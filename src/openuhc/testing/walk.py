"""Walk every page a persona can reach by following links, as a person clicking around would — every page, and
every download, for the security tests (testing/crawl.py visits one page of each kind, for the page checks).

    for url, response in crawl(client, ["/accounts/home/"]):
        assert "secret" not in readable_text(response)

Only same-site GET links are followed (forms are not submitted); the language switch, logout and Django's
admin are skipped. Downloads (CSV, Excel, PDF) are fetched like pages, and `readable_text` turns each into
text so that a test can look for what must not be there.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.http import HttpResponse
from django.test import Client

SKIP_PREFIXES = ("/static/", "/media/", "/admin/", "/i18n/", "/accounts/logout", "/api/docs")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "hx-get"):
            if values.get(name):
                self.links.append(values[name] or "")


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for link in parser.links:
        url = urldefrag(urljoin(base, link))[0]
        parts = urlsplit(url)
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith("/") and not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def body_of(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content


def readable_text(response: HttpResponse, body: bytes | None = None) -> str:
    """The text a person would read in a page or a download (HTML, JSON, CSV, Excel, PDF)."""
    body = body_of(response) if body is None else body
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml"))
    if "pdf" in kind:
        import pypdf

        return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8", "replace")


def crawl(client: Client, start: Iterable[str], *, limit: int = 400,
          same_pattern_limit: int = 3) -> Iterator[tuple[str, HttpResponse, bytes]]:
    """Breadth-first over the links of every page reached; yields (url, response, body).

    Links that differ only in their query string or in a number (page 2, 3, ...; claim 17, 18, ...) are
    followed `same_pattern_limit` times: the walk covers every kind of page, not every row."""
    queue = list(start)
    seen: set[str] = set()
    patterns: dict[str, int] = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        pattern = "".join("#" if ch.isdigit() else ch for ch in url.split("?")[0]) + ("?" if "?" in url else "")
        if patterns.get(pattern, 0) >= same_pattern_limit:
            continue
        patterns[pattern] = patterns.get(pattern, 0) + 1
        seen.add(url)
        response = client.get(url)
        body = body_of(response)
        yield url, response, body
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            queue.extend(link for link in links_of(body.decode("utf-8", "replace"), url) if link not in seen)
