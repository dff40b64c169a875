"""`openuhc rights escalate [--at ISO-DATETIME]`: hand overdue cases to their region (run it daily, e.g. from cron).

`openuhc rights overdue` lists the open cases past a deadline without changing anything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openuhc.rights import services
from openuhc.rights.models import Case


class Command(BaseCommand):
    help = "Rights protection: escalate overdue cases, list overdue cases."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("escalate", "escalate every overdue open case to its region (once per case)"),
                           ("overdue", "list open cases past a deadline")):
            command = sub.add_parser(name, help=text)
            command.add_argument("--at", help="the time to judge deadlines at (ISO 8601; default: now)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options.get("at"):
            try:
                now = datetime.fromisoformat(options["at"])
            except ValueError:
                raise CommandError(f"--at {options['at']!r} is not an ISO 8601 date and time.") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        if options["action"] == "escalate":
            cases = services.escalate_overdue(now=now)
            for case in cases:
                self.stdout.write(f"{case.number}\t{case.region}\t{case.subject}")
            self.stdout.write(self.style.SUCCESS(f"{len(cases)} case(s) escalated."))
            return
        count = 0
        for case in Case.objects.exclude(status=Case.Status.CLOSED).select_related("region").order_by("outcome_by"):
            if services.is_overdue(case, now):
                count += 1
                self.stdout.write(f"{case.number}\t{case.get_status_display()}\t"
                                  f"{timezone.localtime(case.outcome_by):%Y-%m-%d}\t{case.subject}")
        self.stdout.write(f"{count} overdue case(s).")
