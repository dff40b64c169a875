#!/usr/bin/env python3
"""Keep the Thai catalogues in step with the code.

    python scripts/i18n.py extract [APP ...]  # update <app>/locale/th/LC_MESSAGES/django.po (needs GNU gettext)
    python scripts/i18n.py missing [APP ...]  # list untranslated or fuzzy entries (exit 1 if any)
    python scripts/i18n.py compile [APP ...]  # write the .mo files (pure Python, no gettext needed)

Without APP names, every app with a locale/ folder.

Run with the project's virtual environment (`.venv/bin/python scripts/i18n.py ...`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "openuhc"
OPENUHC = ROOT / ".venv" / "bin" / "openuhc"


ONLY: list[str] = []


def app_dirs() -> list[Path]:
    found = sorted(p.parent for p in PACKAGE.glob("*/locale") if p.is_dir())
    return [p for p in found if not ONLY or p.name in ONLY]


def catalogue(app: Path) -> Path:
    return app / "locale" / "th" / "LC_MESSAGES" / "django.po"


def extract() -> None:
    # A throw-away data folder: settings would otherwise create data/ inside the app being scanned.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "openuhc.settings", "OPENUHC_DATA_DIR": tempfile.mkdtemp()}
    for app in app_dirs():
        subprocess.run([str(OPENUHC), "makemessages", "-l", "th", "--no-location", "--no-obsolete",
                        "-i", "tests/*", "-i", "migrations/*"], cwd=app, env=env, check=True,
                       stdout=subprocess.DEVNULL)


def missing() -> int:
    count = 0
    for app in app_dirs():
        path = catalogue(app)
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            translated = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            if "fuzzy" in entry.flags or not translated:
                count += 1
                print(f"{path.relative_to(ROOT)}: {entry.msgid!r}")
    return count


def compile_all() -> None:
    for app in app_dirs():
        path = catalogue(app)
        if path.exists():
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else ""
    ONLY.extend(sys.argv[2:])
    if action == "extract":
        extract()
    elif action == "missing":
        sys.exit(1 if missing() else 0)
    elif action == "compile":
        compile_all()
    else:
        print(__doc__)
        sys.exit(2)
