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
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po if not e.obsolete}, \
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
