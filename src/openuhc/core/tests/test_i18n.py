"""Thai and English: the Thai catalogue is complete and compiled, and the language switch works."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(PACKAGE.glob("*/locale/th/LC_MESSAGES/django.po"))


def test_every_app_has_a_thai_catalogue():
    apps_with_text = {p.parent.name for p in PACKAGE.glob("*/templates")} | {"registry", "core"}
    assert apps_with_text <= {p.parents[3].name for p in CATALOGUES}


@pytest.mark.parametrize("path", CATALOGUES, ids=[p.parents[3].name for p in CATALOGUES])
def test_the_thai_catalogue_is_complete_and_its_compiled_file_is_current(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po if not e.obsolete and (not e.msgstr or "fuzzy" in e.flags)]
    assert untranslated == [], f"translate these in {path}"
    mo = polib.mofile(str(path.with_suffix(".mo")))
    assert {(e.msgctxt, e.msgid): e.msgstr for e in mo} == {(e.msgctxt, e.msgid): e.msgstr for e in po
                                                            if not e.obsolete}, \
        "run: .venv/bin/python scripts/i18n.py compile"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings again into a copy of the package and compare with the committed catalogues."""
    copy = tmp_path / "openuhc"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    for app in sorted(p.parent for p in copy.glob("*/locale")):
        subprocess.run([sys.executable, "-m", "django", "makemessages", "-l", "th", "--no-location",
                        "--no-obsolete", "-i", "tests/*", "-i", "migrations/*"], cwd=app, check=True,
                       capture_output=True, env={"DJANGO_SETTINGS_MODULE": "openuhc.settings", "PATH": "/usr/bin:/bin",
                                                 "PYTHONPATH": str(PACKAGE.parent),
                                                 "OPENUHC_DATA_DIR": str(tmp_path / "data")})
    for fresh in copy.glob("*/locale/th/LC_MESSAGES/django.po"):
        committed = PACKAGE / fresh.relative_to(copy)
        new = {e.msgid for e in polib.pofile(str(fresh))} - {e.msgid for e in polib.pofile(str(committed))}
        assert not new, f"new strings not in {committed}: {sorted(new)} (run scripts/i18n.py extract, then translate)"


def test_the_language_switch_turns_pages_to_thai_with_buddhist_era_dates(world, client_for):
    client = client_for("hospital")
    response = client.post("/i18n/setlang/", {"language": "th", "next": "/people/eligibility/"}, follow=True)
    body = response.content.decode()
    assert "ตรวจสอบสิทธิ" in body and "ออกจากระบบ" in body
    result = client.get("/people/eligibility/", {"citizen_id": world.people["a"].citizen_id, "on": "22/11/2569"})
    assert "22 พ.ย. 2569" in result.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Eligibility check" in client.get("/people/eligibility/").content.decode()


def test_a_text_reads_the_same_in_every_app_catalogue():
    """Django merges the apps' catalogues and the first app listed wins: the same English with two Thai
    translations would show the wrong one on some pages (committee "members" on the budget designer). Words
    that mean different things take a context (`{% translate "Members" context "committee" %}`)."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and not entry.msgid_plural and entry.msgstr:
                seen.setdefault((entry.msgctxt, entry.msgid), {})[path.parents[3].name] = entry.msgstr
    different = {key: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert different == {}


# Words that are the same in Thai pages (codes, names, abbreviations).
SAME_IN_THAI = {"API", "DRG", "DRGs", "AdjRW", "RW", "HN", "SEQ / AN", "CUP", "PDF", "Excel", "CSV", "UCS", "Thai DRG"}


def _untranslated(labels):  # noqa: ANN001, ANN202
    from django.utils import translation

    left = []
    for label in labels:
        with translation.override("en"):
            english = str(label)
        with translation.override("th"):
            thai = str(label)
        if english == thai and english not in SAME_IN_THAI and any(c.isalpha() for c in english):
            left.append(english)
    return sorted(set(left))


def test_every_model_choice_reads_in_thai():
    from django.apps import apps

    labels = []
    for model in apps.get_models():
        if not model.__module__.startswith("openuhc."):
            continue
        for field in model._meta.get_fields():
            for _value, label in getattr(field, "flatchoices", None) or ():
                labels.append(label)
    assert labels and _untranslated(labels) == []


def test_every_word_for_a_code_and_every_menu_entry_reads_in_thai():
    from openuhc.core import nav
    from openuhc.core.codes import VOCABULARIES

    labels = [section.label for section in nav.SECTIONS.values()] + [item.label for item in nav.ITEMS.values()]
    for vocabulary in VOCABULARIES.values():
        if not callable(vocabulary.entries):
            labels.extend(vocabulary.entries.values())
    assert _untranslated(labels) == []


def test_every_error_code_has_a_thai_message():
    """Messages rendered from Python (services' refusals, claim problems) carry their Thai text with them."""
    import importlib
    import pkgutil

    import openuhc
    from openuhc.core.errors import Coded

    for module in pkgutil.walk_packages(openuhc.__path__, "openuhc."):
        if module.name.rsplit(".", 1)[-1] in ("errors", "dates", "services", "tables", "importing"):
            importlib.import_module(module.name)
    enums = set()
    stack = list(Coded.__subclasses__())
    while stack:
        enum = stack.pop()
        enums.add(enum)
        stack.extend(enum.__subclasses__())
    assert len(enums) > 10
    missing = [f"{enum.__name__}.{member.name}" for enum in enums for member in enum
               if not member.th or not (any("\u0e00" <= c <= "\u0e7f" for c in member.th) or "_th}" in member.th)]
    assert missing == []
