"""Thailand's geography: provinces, districts and sub-districts from `geothai`, NHSO regions from a CSV."""

from __future__ import annotations

from typing import Any


def load(**_options: Any) -> dict[str, int]:
    from openuhc.geo.services import load_geography, load_region_mapping

    counts = load_geography()
    regions = load_region_mapping()
    return {"areas": counts.provinces, "districts": counts.districts, "subdistricts": counts.subdistricts,
            "mapped_to_regions": regions}
