"""`openuhc params list` and `openuhc params set KEY VALUE --from DATE [--to DATE] [--scheme CODE]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openuhc.core import params
from openuhc.core.dates import parse_date, today
from openuhc.core.errors import DomainError


class Command(BaseCommand):
    help = "List the configurable parameters, or give one a new value from a date."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every parameter with its value today")
        setter = sub.add_parser("set", help="a new value from a date")
        setter.add_argument("key")
        setter.add_argument("value")
        setter.add_argument("--from", dest="start", required=True)
        setter.add_argument("--to", dest="end")
        setter.add_argument("--scheme", default="")
        setter.add_argument("--note", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "list":
                for key in sorted(params.REGISTRY):
                    spec = params.REGISTRY[key]
                    self.stdout.write(f"{key}\t{params.get(key, on=today())}\t{spec.label_en}")
                return
            start = parse_date(options["start"]).value
            end = parse_date(options["end"]).value if options["end"] else None
            params.set_value(options["key"], options["value"], valid_from=start, valid_to=end, scheme=options["scheme"],
                             note=options["note"])
        except DomainError as error:
            raise CommandError(error.message_en) from None
        self.stdout.write(f"{options['key']} = {options['value']} from {start}.")
