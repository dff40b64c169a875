"""Words for codes: every code a person reads on a page is shown with its meaning, in the page's language.

Each app declares its code lists here once (`vocabulary("charge", {...})`, labels marked for translation)
and templates say `{{ code|word:"charge" }}` (the meaning) or `{{ code|code_word:"charge" }}` ("11 room and
board"). A code that is not in its list is shown as it is, so an unexpected value is never hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Vocabulary:
    name: str
    entries: Mapping[str, str | Promise] | Callable[[], Mapping[str, str | Promise]]
    source: str = ""  # where the list comes from (shown in docs, kept for reviewers)
    normalise: Callable[[str], str] | None = None  # e.g. a 5-digit clinic code read by its first two digits

    def lookup(self, code: Any) -> str:
        key = "" if code is None else str(code).strip()
        if self.normalise is not None:
            key = self.normalise(key)
        entries = self.entries() if callable(self.entries) else self.entries
        label = entries.get(key)
        return str(label) if label is not None else ""


VOCABULARIES: dict[str, Vocabulary] = {}


def vocabulary(name: str, entries: Mapping[str, str | Promise] | Callable[[], Mapping[str, str | Promise]], *,
               source: str = "", normalise: Callable[[str], str] | None = None) -> None:
    VOCABULARIES[name] = Vocabulary(name, entries, source, normalise)


def extend(name: str, entries: Mapping[str, str | Promise]) -> None:
    """Add codes to a list several apps fill (e.g. the batch engine's functions)."""
    current = VOCABULARIES.get(name)
    merged: dict[str, str | Promise] = {}
    if current is not None and not callable(current.entries):
        merged.update(current.entries)
    merged.update(entries)
    VOCABULARIES[name] = Vocabulary(name, merged)


def word(name: str, code: Any) -> str:
    """The meaning of a code in the active language, or "" when the list or the code is unknown."""
    vocabulary_ = VOCABULARIES.get(name)
    return vocabulary_.lookup(code) if vocabulary_ is not None else ""


def code_word(name: str, code: Any) -> str:
    """"11 room and board": the code followed by its meaning (just the code when it has none)."""
    text = "" if code is None else str(code).strip()
    meaning = word(name, code)
    return f"{text} {meaning}".strip() if meaning else text


# How a record came in (the `source` / `channel` columns of several apps).
vocabulary("channel", {
    "web": _("on a page"), "import": _("file import"), "api": _("API"), "cli": _("command line"),
    "demo": _("demo data"), "setup": _("set-up"), "public": _("public form"), "phone": _("telephone"),
    "page": _("on a page"), "command": _("command line"),
})
