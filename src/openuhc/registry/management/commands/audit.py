"""`openuhc audit access --from DATE --to DATE [--person CID] [--user NAME]`: who saw whose data."""

from __future__ import annotations

import sys
from datetime import datetime, time, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openuhc.core.dates import parse_date
from openuhc.core.errors import DomainError
from openuhc.core.exports import csv_writer
from openuhc.registry.audit import accesses_between
from openuhc.registry.ids import validate_citizen_id
from openuhc.registry.models import Person


def _date(text: str):  # noqa: ANN202
    try:
        return parse_date(text).value
    except DomainError as error:
        raise CommandError(f"{text!r}: {error.message_en}") from None


class Command(BaseCommand):
    help = "Print (as CSV) every access to personal data between two dates, optionally for one person or user."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        access = sub.add_parser("access", help="the personal-data access log")
        access.add_argument("--from", dest="start", required=True, help="first day (BE or CE)")
        access.add_argument("--to", dest="end", required=True, help="last day, inclusive (BE or CE)")
        access.add_argument("--person", default="", help="citizen ID of the person")
        access.add_argument("--user", default="", help="username of the viewer")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--to is before --from.")
        tz = timezone.get_current_timezone()
        start_at = timezone.make_aware(datetime.combine(start, time.min), tz)
        end_at = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz)
        person = None
        if options["person"]:
            try:
                cid = validate_citizen_id(options["person"])
            except DomainError as error:
                raise CommandError(error.message_en) from None
            person = Person.objects.filter(citizen_id=cid).first()
            if person is None:
                raise CommandError("No person with this citizen ID is in the registry.")
        writer = csv_writer(sys.stdout)
        writer.writerow(["at", "username", "role", "person_citizen_id", "action", "path", "ip"])
        for row in accesses_between(start_at, end_at, person=person, username=options["user"]).iterator():
            writer.writerow([timezone.localtime(row.at).isoformat(), row.actor_username, row.actor_role,
                             row.citizen_id or (row.person.citizen_id if row.person else ""), row.action, row.path,
                             row.ip or ""])
