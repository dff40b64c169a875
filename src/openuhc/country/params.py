"""A pack's dated parameters, between the ParameterValue rows and the apps' defaults.

`core.params.get` asks here when no row is in force: the active pack's value valid on that day (per scheme, else
for all schemes), then the app's default. A key that no app defines (e.g. `ph.konsulta_capitation`) is defined by
the pack itself, with the label and source its manifest gives.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openuhc.country.packs import active

HOLIDAYS_KEY = "rights.holidays"  # working-day deadlines skip these (rights/services.py)


def definition(key: str) -> Any:
    from openuhc.core.params import ParamDef

    for item in active()["parameters"]:
        if item["key"] == key:
            first = item["values"][0]
            return ParamDef(key, item["kind"], first["value"], item["label_en"], item["label_th"] or item["label_en"],
                            first["source"])
    return None


def value(key: str, *, on: date, scheme: str = "") -> tuple[bool, Any]:
    """(True, value) when the pack says something for `key` on `on`; (False, None) otherwise."""
    pack = active()
    if key == HOLIDAYS_KEY and pack["holidays"]:
        return True, [h["date"].isoformat() for h in pack["holidays"]]
    for item in pack["parameters"]:
        if item["key"] != key:
            continue
        in_force = [v for v in item["values"] if v["valid_from"] <= on and v["scheme"] in (scheme, "")]
        if not in_force:
            return False, None
        # the latest start wins; a scheme's own value before the all-schemes one of the same day
        chosen = max(in_force, key=lambda v: (v["valid_from"], v["scheme"] == scheme))
        return True, chosen["value"]
    return False, None
