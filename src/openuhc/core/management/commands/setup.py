"""`openuhc setup`: create or upgrade the database and load the reference geography (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from openuhc.geo.services import DEFAULT_REGION_MAPPING, load_geography, load_region_mapping


class Command(BaseCommand):
    help = "Migrate the database and load provinces, districts, sub-districts and the region mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regions", type=Path, default=DEFAULT_REGION_MAPPING,
                            help="CSV mapping provinces to regions (region,name_th,name_en,province_codes)")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        counts = load_geography()
        mapped = load_region_mapping(options["regions"])
        self.stdout.write(f"Geography: {counts.provinces} provinces, {counts.districts} districts, "
                          f"{counts.subdistricts} sub-districts; {mapped} provinces mapped to regions.")
