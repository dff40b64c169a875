"""`openuhc demo`: migrate, load the demo province (once), print the logins, start the server."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from openuhc.core.jobs import TerminalProgress
from openuhc.demo.loader import DEMO_PASSWORD, load_demo
from openuhc.demo.models import DemoLoad


class Command(BaseCommand):
    help = "Set up the demo province on this database and start the web server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--seed", type=int, default=2569, help="random seed: the same seed gives the same data")
        parser.add_argument("--people", type=int, default=50_000, help="number of people in the demo province")
        parser.add_argument("--month", type=_month, default=None,
                            help="the demo's month of claims and payment, e.g. 2025-10 or 10/2568 "
                                 "(default: the last complete month before today)")
        parser.add_argument("--no-server", action="store_true", help="set up only; do not start the server")
        parser.add_argument("--reset", action="store_true",
                            help="delete the demo data and build it again (only on a database holding the demo)")

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(stderr=True)
        if options["people"] < 100:
            raise CommandError("--people must be at least 100.")
        console.print("[bold]OpenUHC demo[/bold]: preparing the database …")
        call_command("migrate", interactive=False, verbosity=0)
        existing = DemoLoad.objects.order_by("-loaded_at").first()
        if existing is not None and options["reset"]:
            console.print("Removing the earlier demo data …")
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", interactive=False, verbosity=0)
            existing = None
        elif existing is None and options["reset"]:
            pass
        if existing is None:
            from django.contrib.auth import get_user_model

            if get_user_model().objects.exists():
                raise CommandError(
                    "This database already holds users but no demo: refusing to add demo data to it. "
                    "Point OPENUHC_DATABASE_URL (or OPENUHC_DATA_DIR) at an empty database.")
            started = time.monotonic()
            with TerminalProgress() as progress:
                ctx = load_demo(seed=options["seed"], people=options["people"], progress=progress,
                                month=options["month"])
            console.print(f"Demo province loaded in {time.monotonic() - started:.1f} s "
                          f"({options['people']:,} people, seed {options['seed']}).")
            logins = ctx.logins
        else:
            console.print(f"Demo data already loaded ({existing}); use --reset to build it again.")
            logins = _logins_from_database()
        self._print_logins(console, logins, options)
        if not options["no_server"]:
            call_command("runserver", f"{options['addr']}:{options['port']}", use_reloader=False)

    def _print_logins(self, console: Console, logins: list[tuple[str, str, str]], options: dict[str, Any]) -> None:
        table = Table(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
        table.add_column("username")
        table.add_column("role")
        table.add_column("works within")
        for username, role, label in logins:
            table.add_row(username, role, label)
        console.print(table)
        if not options["no_server"]:
            console.print(f"\nOpen [bold]http://{options['addr']}:{options['port']}/[/bold] in a browser "
                          "(Ctrl+C stops the server).\n")


def _month(text: str) -> date:
    """A month typed as 2025-10, 10/2025 or 10/2568 (BE)."""
    import argparse
    import re

    from openuhc.core.dates import BE_MIN, BE_OFFSET

    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip()) or None
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = re.fullmatch(r"(\d{1,2})/(\d{4})", text.strip())
        if not match:
            raise argparse.ArgumentTypeError(f"{text!r}: write the month as 2025-10 or 10/2568")
        month, year = int(match.group(1)), int(match.group(2))
    if year >= BE_MIN:
        year -= BE_OFFSET
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"{text!r}: there is no month {month}")
    return date(year, month, 1)


def _logins_from_database() -> list[tuple[str, str, str]]:
    from openuhc.accounts.models import Profile
    from openuhc.accounts.scope import Scope

    rows = []
    for profile in Profile.objects.select_related("user").order_by("user__id"):
        scope = Scope.of(profile.user)
        rows.append((profile.user.username, profile.role, scope.label or "—"))
    return rows
