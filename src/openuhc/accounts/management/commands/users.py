"""`openuhc users create USERNAME --role ROLE [--region N|--unit CODE|--fund CODE|--centre CODE|--secretariat CODE|
--local-government CODE]`, `users list`, `users unlock USERNAME [--ip ADDRESS]` (lift the lock-out after wrong
passwords), `users locked`."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openuhc.accounts.models import Profile
from openuhc.accounts.roles import Role
from openuhc.accounts.services import create_user
from openuhc.core.errors import DomainError


class Command(BaseCommand):
    help = "Create users with a role and scope, or list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--region", type=int, help="region number (regional officers)")
        create.add_argument("--unit", help="5-digit unit code (hospital staff)")
        create.add_argument("--fund", help="fund code (local-fund officers)")
        create.add_argument("--centre", help="centre code (coordination-centre staff)")
        create.add_argument("--secretariat", help="secretariat code (governance secretariat)")
        create.add_argument("--local-government", help="DLA code of the Provincial Administrative Organisation "
                                                       "(PAO staff)")
        create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        sub.add_parser("list", help="list users and their roles")
        unlock = sub.add_parser("unlock", help="lift the lock-out of a username after wrong passwords")
        unlock.add_argument("username")
        unlock.add_argument("--ip", help="only the lock from this client address (default: from every address)")
        sub.add_parser("locked", help="list the usernames and client addresses locked out now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for profile in Profile.objects.select_related("user").order_by("user__username"):
                self.stdout.write(f"{profile.user.username}\t{profile.role}")
            return
        if options["action"] == "unlock":
            self._unlock(options["username"], options["ip"])
            return
        if options["action"] == "locked":
            self._locked()
            return
        scope = self._scope(options)
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Password: ")
        try:
            create_user(username=options["username"], password=password, role=options["role"], **scope)
        except DomainError as error:
            raise CommandError(error.message_en) from None
        self.stdout.write(f"Created {options['username']} ({options['role']}).")

    def _scope(self, options: dict[str, Any]) -> dict[str, Any]:
        from openuhc.geo.models import LocalGovernment, Region
        from openuhc.governance.models import Secretariat
        from openuhc.localfund.models import Fund
        from openuhc.providers.models import HealthUnit
        from openuhc.rights.models import Centre

        lookups = [("region", Region, "number"), ("unit", HealthUnit, "code"), ("fund", Fund, "code"),
                   ("centre", Centre, "code"), ("secretariat", Secretariat, "code"),
                   ("local_government", LocalGovernment, "code")]
        scope = {}
        for name, model, field in lookups:
            value = options.get(name)
            if value is None:
                continue
            try:
                scope[name] = model.objects.get(**{field: value})
            except model.DoesNotExist:
                raise CommandError(f"There is no {name} {value!r}.") from None
        return scope

    def _unlock(self, username: str, ip: str | None) -> None:
        from axes.utils import reset

        # A lock is on the pair (username, client address): without --ip every address's lock of this
        # username goes; with it only that one.
        removed = reset(username=username, ip=ip)
        where = f" from {ip}" if ip else ""
        self.stdout.write(f"Unlocked {username}{where} ({removed} failed-login record(s) removed).")

    def _locked(self) -> None:
        from axes.models import AccessAttempt
        from django.conf import settings
        from django.utils import timezone

        since = timezone.now() - settings.AXES_COOLOFF_TIME
        rows = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                            attempt_time__gte=since).order_by("username", "ip_address")
        for row in rows:
            self.stdout.write(f"{row.username}\t{row.ip_address}\t{row.failures_since_start}\t"
                              f"{timezone.localtime(row.attempt_time):%Y-%m-%d %H:%M}")
