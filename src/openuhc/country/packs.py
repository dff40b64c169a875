"""Country packs: found through the `openuhc.country_packs` entry point group, chosen by OPENUHC_COUNTRY.

A pack is a package holding `pack.toml` (data, read strictly by `manifest.py`) and a little code named from the
manifest as `module:object` (ID rules, geography loader, demo steps). `settings.py` reads the chosen pack before
Django starts (languages, time zone, fiscal year); `active()` answers for the running system and follows
`settings.OPENUHC_COUNTRY`, so a test can switch packs with `country.testing.use_pack`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from openuhc.country import manifest

GROUP = "openuhc.country_packs"
DEFAULT = "th"


def installed() -> dict[str, Any]:
    """code → entry point, for every installed pack."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def resolve(reference: str, *, where: str) -> Any:
    """`package.module:name` → the object, or ImproperlyConfigured naming the manifest key."""
    module_name, _, name = reference.partition(":")
    try:
        return getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as error:
        raise ImproperlyConfigured(f"Country pack: {where} = {reference!r} cannot be loaded ({error}).") from None


@dataclass(frozen=True, eq=False)  # one object per pack code (load_pack caches): hashed by identity
class Pack:
    code: str
    path: Path  # the pack's package folder
    data: dict[str, Any] = field(repr=False)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def languages(self) -> list[str]:
        return list(self.data["languages"])

    @property
    def locale_dir(self) -> Path | None:
        return self.path / self.data["locale_dir"] if self.data["locale_dir"] else None

    def era_offset(self, language: str) -> int:
        """What is added to a CE year to show it in this language (543 in Thai: the Buddhist Era)."""
        offsets = self.data["calendar"]["era_offsets"]
        return next((offset for code, offset in offsets.items() if language.startswith(code)), 0)

    @property
    def fiscal_year_name_offset(self) -> int:
        return self.data["calendar"]["fiscal_year_name_offset"]

    def id_types(self) -> dict[str, Any]:
        """code → IdType (the rules the manifest names, configured with the manifest's entry)."""
        return _id_types(self)

    @property
    def primary_id(self) -> Any:
        return next(t for t in self.id_types().values() if t.spec["primary"])

    def geography_loader(self) -> Any:
        return resolve(self.data["geography"]["loader"], where="geography.loader")

    def demo_steps(self) -> list[tuple[int, Any]]:
        module = self.data["demo"]["steps"]
        if not module:
            return []
        try:
            return list(importlib.import_module(module).STEPS)
        except (ImportError, AttributeError) as error:
            raise ImproperlyConfigured(f"Country pack {self.code}: demo.steps = {module!r} cannot be loaded "
                                       f"({error}); it must be a module with STEPS = [(order, function), ...]."
                                       ) from None

    def runs_demo_of(self, app_label: str) -> bool:
        apps = self.data["demo"]["apps"]
        return "*" in apps or app_label in apps

    def holiday(self, day: date) -> dict[str, Any] | None:
        return next((h for h in self.data["holidays"] if h["date"] == day), None)

    def require(self, list_name: str, value: str, *, what: str, what_th: str) -> None:
        """Refuse (DomainError) what the pack does not enable: a claim format, a payment method."""
        if value not in self.data[list_name]:
            from openuhc.core.errors import DomainError
            from openuhc.country.errors import CountryError

            raise DomainError(CountryError.NOT_ENABLED, what=what, what_th=what_th, country=self.data["name"])

    def check_code(self) -> None:
        """Import every object the manifest names, so that a wrong name stops start-up, not the first request."""
        self.id_types()
        self.geography_loader()
        self.demo_steps()


@cache
def _id_types(pack: Pack) -> dict[str, Any]:
    found = {}
    for index, spec in enumerate(pack.data["person_ids"]):
        rules = resolve(spec["rules"], where=f"person_ids[{index}].rules")
        found[spec["code"]] = rules(spec)
    return found


def _pack_path(code: str) -> Path:
    points = installed()
    if code not in points:
        names = ", ".join(sorted(points)) or "none"
        raise ImproperlyConfigured(
            f"OPENUHC_COUNTRY={code!r}: no such country pack is installed (installed: {names}). A pack registers "
            f"itself in the entry point group {GROUP!r}.")
    target = points[code].load()
    return Path(target.__file__).parent if hasattr(target, "__file__") else Path(target.PATH)


@cache
def load_pack(code: str) -> Pack:
    """Read and check the installed pack `code` (cached per process: the manifest does not change while running)."""
    path = _pack_path(code)
    data = manifest.read(path / "pack.toml")
    if data["code"] != code:
        raise ImproperlyConfigured(f"Country pack {path}: code = {data['code']!r} but it is installed as {code!r}.")
    return Pack(code=code, path=path, data=data)


def active() -> Pack:
    from django.conf import settings

    return load_pack(getattr(settings, "OPENUHC_COUNTRY", DEFAULT))
