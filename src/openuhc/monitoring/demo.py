"""Demo: fill the analytics store from everything the other demo steps built (runs last)."""

from __future__ import annotations

from openuhc.demo.loader import DemoContext

ORDER = 900


def load(ctx: DemoContext) -> None:
    from openuhc.monitoring import services

    services.refresh(trigger="demo", progress=ctx.progress)
