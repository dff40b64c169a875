"""`openuhc import KIND FILE`: check a CSV/Excel file and store it whole, or report every bad row.

Exit status: 0 stored (or clean, with --dry-run); 1 problems found (nothing stored); 2 unusable input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openuhc.core.errors import DomainError
from openuhc.core.importing import IMPORTERS, run_import
from openuhc.core.jobs import TerminalProgress


class Command(BaseCommand):
    help = "Import persons, coverage, registrations, units or local governments from a CSV or Excel file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="what the file holds")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only; store nothing")
        parser.add_argument("--errors", type=Path, help="write every problem to this CSV file")
        parser.add_argument("--language", choices=("en", "th"), default="en", help="language of printed messages")
        parser.add_argument("--mode", choices=("load", "delta"),
                            help="persons only: the national registry file (CSV, one row per person with scheme and "
                                 "units), checked and merged set-based — 'load' adds every person, 'delta' applies "
                                 "births, deaths, moves, name, scheme and unit changes")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            self.stderr.write(f"No such file: {path}")
            sys.exit(2)
        try:
            with TerminalProgress() as progress:
                if options["mode"]:
                    report = self._national(options, path, progress)
                else:
                    report = run_import(IMPORTERS[options["kind"]](), path, progress=progress,
                                        dry_run=options["dry_run"])
        except DomainError as error:
            self.stderr.write(f"{error.code}: {error.message_en if options['language'] == 'en' else error.message_th}")
            sys.exit(2)
        if options["errors"] and report.errors:
            options["errors"].write_text(report.errors_csv(), encoding="utf-8-sig")
        thai = options["language"] == "th"
        for error in report.errors[:50]:
            message = error.message_th if thai else error.message_en
            self.stdout.write(f"row {error.row} {error.field}: [{error.code}] {message}")
        if report.error_count > 50:
            self.stdout.write(f"… and {report.error_count - 50} more (use --errors FILE.csv for all).")
        self.stdout.write(
            f"{report.rows_read} rows read, {report.error_count} problems, {report.written} records stored."
            + (" Nothing was stored." if report.error_count else "")
        )
        if report.error_count:
            header_problem = any(e.row in (0, 1) and e.code.startswith("import_") for e in report.errors)
            sys.exit(2 if header_problem else 1)

    def _national(self, options: dict[str, Any], path: Path, progress: Any) -> Any:
        from openuhc.registry.extract import apply_extract

        if options["kind"] != "persons" or options["dry_run"]:
            self.stderr.write("--mode is for `import persons` (and stores, or refuses, the whole file).")
            sys.exit(2)
        report, record = apply_extract(path, mode=options["mode"], progress=progress)
        if record.status == record.Status.STORED:
            self.stdout.write(f"added {record.added}, changed {record.changed}, unchanged {record.unchanged} "
                              f"(import {record.pk}).")
        return report
