"""Charts for pages: a Chart.js chart with the same numbers in a table under it.

    chart = Chart("cases-by-kind", _("Cases by kind"), labels=["complaint", "advice"],
                  series=[Series(_("cases"), [12, 30])])
    {% include "core/_chart.html" with chart=chart %}

Chart.js is shipped with the app (no CDN); `core/charts.js` draws every chart on the page, also after
htmx swaps, and marks the canvas `data-rendered="true"` once drawn (browser tests look for it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise


@dataclass
class Series:
    label: str | Promise
    values: list[int | float | Decimal | None]


@dataclass
class Chart:
    id: str
    title: str | Promise
    labels: list[str]
    series: list[Series]
    kind: str = "bar"  # bar, line, pie, doughnut
    stacked: bool = False
    unit: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def config(self) -> dict[str, Any]:
        """The Chart.js configuration (JSON-safe)."""
        datasets = [{"label": str(s.label), "data": [None if v is None else float(v) for v in s.values]}
                    for s in self.series]
        legend = len(self.series) > 1 or self.kind in ("pie", "doughnut")
        options: dict[str, Any] = {"responsive": True, "maintainAspectRatio": False, "animation": False,
                                   "plugins": {"legend": {"display": legend}}}
        if self.stacked:
            options["scales"] = {"x": {"stacked": True}, "y": {"stacked": True}}
        options.update(self.options)
        return {"type": self.kind, "data": {"labels": [str(x) for x in self.labels], "datasets": datasets},
                "options": options}

    @property
    def rows(self) -> list[tuple[str, list[Any]]]:
        return [(str(label), [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]
