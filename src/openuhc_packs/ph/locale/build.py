"""Write the pack's catalogues (.po and .mo) from the tables below: `python src/openuhc_packs/ph/locale/build.py`.

fil: a PARTIAL Filipino catalogue — the menu, the login page and the page frame; every other text falls back to
English. en: the terms that read differently in the Philippines (a pack's catalogue comes before the apps' ones).
"""

from __future__ import annotations

from pathlib import Path

import polib

HERE = Path(__file__).resolve().parent

TERMS = {
    "Sub-district": ("Barangay", "Barangay"),
    "Sub-districts": ("Barangays", "Mga barangay"),
    "District": ("City / municipality", "Lungsod / bayan"),
    "Province": ("Province", "Lalawigan"),
    "Citizen ID": ("PhilSys number", "Numero ng PhilSys"),
    "citizen ID": ("PhilSys number", "numero ng PhilSys"),
}

FILIPINO = {
    "Home": "Tahanan",
    "Log in": "Mag-log in",
    "Log out": "Mag-log out",
    "Menu": "Menu",
    "Skip to the page": "Lumaktaw sa pahina",
    "Universal health coverage, open source": "Pangkalahatang saklaw pangkalusugan, bukas na source",
    "Log in to OpenUHC": "Mag-log in sa OpenUHC",
    "Password": "Password",
    "Username": "Username",
    "The username or password is not right. Try again.": "Mali ang username o password. Subukang muli.",
    "People & rights to care": "Mga tao at karapatan sa pangangalaga",
    "Service units": "Mga yunit ng serbisyo",
    "Claims & payment": "Mga claim at bayad",
    "Local funds": "Mga lokal na pondo",
    "Rights protection": "Proteksyon ng karapatan",
    "Area health governance": "Pamamahala ng kalusugan sa lugar",
    "Monitoring & budget": "Pagsubaybay at badyet",
    "Administration": "Pangangasiwa",
    "More": "Iba pa",
    "English": "Ingles",
    "Filipino": "Filipino",
    "Thai": "Thai",
}


def write(language: str, entries: dict[str, str]) -> None:
    po = polib.POFile()
    plural = "nplurals=2; plural=(n > 1);" if language == "fil" else "nplurals=2; plural=(n != 1);"
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": language, "Plural-Forms": plural}
    for msgid, msgstr in entries.items():
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    folder = HERE / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    po.save(str(folder / "django.po"))
    po.save_as_mofile(str(folder / "django.mo"))


if __name__ == "__main__":
    write("en", {k: en for k, (en, _fil) in TERMS.items()})
    write("fil", {**FILIPINO, **{k: fil for k, (_en, fil) in TERMS.items()}})
