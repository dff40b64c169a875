"""The demo province, built from a seed by steps that each app contributes.

Each app may have a `demo.py` with `ORDER` (an int) and `load(ctx: DemoContext)`. Steps run in ORDER;
each gets its own random generator derived from the seed and its name, so adding a step never changes
what the earlier steps produce. Everything a step builds is reachable by later steps through `ctx.data`.
"""

from __future__ import annotations

import hashlib
import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db import transaction

from openuhc.core.jobs import NullProgress, Progress

DEMO_PASSWORD = "openuhc-demo"  # noqa: S105 - printed for the demo logins; demo databases only
DEMO_PROVINCE = "56"  # Phayao, NHSO region 1: Thailand's demo area (the country pack's demo.area)


def demo_area() -> str:
    """The code of the demo's first-level area, from the country pack (demo.area)."""
    from openuhc.country.packs import active

    return active()["demo"]["area"]


def default_month(on: date | None = None) -> date:
    """The demo's month: the last complete month before today (its first day), so that today's pages have data.

    Histories are laid out relative to this month, so a seed gives the same data for the same month
    (`openuhc demo --month 2025-10` builds a given month again)."""
    from openuhc.core.dates import today

    first = (on or today()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


@dataclass
class DemoContext:
    seed: int
    people: int
    progress: Progress = field(default_factory=NullProgress)
    province_code: str = field(default_factory=demo_area)
    anchor: date = field(default_factory=default_month)  # the first day of the demo's month
    data: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role, scope)
    actor: Any = None

    def rng(self, name: str) -> random.Random:
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))  # noqa: S311 - demo data, not security


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    load: Callable[[DemoContext], None]


def steps() -> list[Step]:
    """The apps' steps that the country pack runs (demo.apps), and the pack's own (demo.steps)."""
    from openuhc.country.packs import active

    pack = active()
    found = [Step(f"{pack.code}.{load.__name__}", order, load) for order, load in pack.demo_steps()]
    for config in apps.get_app_configs():
        if not config.name.startswith("openuhc.") or not pack.runs_demo_of(config.label):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        # a module may load in several steps at different points (STEPS = [(order, function), ...])
        for order, load in getattr(module, "STEPS", [(getattr(module, "ORDER", 100), getattr(module, "load", None))]):
            found.append(Step(f"{config.label}.{load.__name__}", order, load))
    return sorted(found, key=lambda s: (s.order, s.name))


def load_demo(*, seed: int = 2569, people: int = 50_000, progress: Progress | None = None,
              month: date | None = None) -> DemoContext:
    """Build the whole demo province in one transaction (nothing half-built if a step fails).

    `month` (its first day) is the demo's month of claims and payment; the last complete month by default."""
    from openuhc.demo.models import DemoLoad

    ctx = DemoContext(seed=seed, people=people, progress=progress or NullProgress(),
                      anchor=(month or default_month()).replace(day=1))
    started = time.monotonic()
    with transaction.atomic():
        for step in steps():
            step.load(ctx)
        DemoLoad.objects.create(seed=seed, people=people, seconds=time.monotonic() - started)
    return ctx
