"""`openuhc tables install PATH` / `openuhc tables list` — the Thai DRG reference tables."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openuhc.core.dates import parse_date
from openuhc.core.errors import DomainError


class Command(BaseCommand):
    help = "Install or list Thai DRG reference table sets (the official DBF files, CP874)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        install = sub.add_parser("install", help="install the DBF files of one folder")
        install.add_argument("path")
        install.add_argument("--version", dest="table_version", help="e.g. 6.3 (default: from the file names)")
        install.add_argument("--valid-from", help="first service date the set applies to (BE or CE)")
        install.add_argument("--valid-to", help="last service date (BE or CE)")
        install.add_argument("--replace", action="store_true", help="install a version again")
        sub.add_parser("list", help="the installed sets")

    def handle(self, *args: Any, **options: Any) -> None:
        from openuhc.drg.models import InstalledTableSet
        from openuhc.drg.tables import install_tables

        if options["action"] == "list":
            sets = InstalledTableSet.objects.all()
            if not sets:
                self.stdout.write("No table set is installed: codes are checked for format only.")
            for s in sets:
                self.stdout.write(f"TDRG {s.version}  valid {s.valid_from} – {s.valid_to or '…'}  {s.counts}  "
                                  f"from {s.source}")
            return
        try:
            valid_from = parse_date(options["valid_from"]).value if options.get("valid_from") else None
            valid_to = parse_date(options["valid_to"]).value if options.get("valid_to") else None
            record = install_tables(options["path"], version=options.get("table_version"), valid_from=valid_from,
                                    valid_to=valid_to, replace=options["replace"])
        except DomainError as error:
            raise CommandError(error.message_en) from None
        self.stdout.write(f"Installed TDRG {record.version}: " + ", ".join(
            f"{name} {count:,} rows" for name, count in record.counts.items()) + f"; cache {record.cache_path}")
