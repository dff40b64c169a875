"""`openuhc users create USERNAME --role ROLE [--region N|--unit CODE|--fund CODE|--centre CODE|--secretariat CODE|
--local-government CODE]`."""

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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for profile in Profile.objects.select_related("user").order_by("user__username"):
                self.stdout.write(f"{profile.user.username}\t{profile.role}")
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
