"""Payment rounds from the command line, so that operators can script and audit them.

    openuhc payment rounds start --scheme UCS --region 1 --kind ip --cutoff 2026-01-15 --user somchai
    openuhc payment rounds start --region 1 --kind capitation --period 2026-01 --user somchai
    openuhc payment rounds compute 12 --user somchai
    openuhc payment rounds advance 12 --user somying [--note "checked against REP"]
    openuhc payment rounds show 12
    openuhc payment rounds list [--region 1] [--kind ip]
    openuhc payment statement 56001 12 [--format csv|xlsx|pdf] [--out FILE]

Every change is made as the user named by --user, with that user's role and region (four eyes included). A
refusal prints its code and message (English, then Thai) on stderr and exits 1; bad arguments exit 2.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openuhc.core.dates import parse_date
from openuhc.core.errors import DomainError
from openuhc.payment.errors import PaymentError

KINDS = ("ip", "fee", "capitation", "year-end")


class Command(BaseCommand):
    help = "Payment rounds (start, compute, advance, show, list) and a unit's statement of a round."

    def add_arguments(self, parser: CommandParser) -> None:
        what = parser.add_subparsers(dest="what", required=True)
        rounds = what.add_parser("rounds", help="start, compute, move on and read payment rounds")
        action = rounds.add_subparsers(dest="action", required=True)
        start = action.add_parser("start", help="open a draft round")
        start.add_argument("--scheme", default="UCS")
        start.add_argument("--region", type=int, required=True, help="NHSO region number (1-13)")
        start.add_argument("--kind", choices=KINDS, required=True)
        start.add_argument("--cutoff", default="", help="claims received up to this day (ip, fee; BE or CE)")
        start.add_argument("--period", default="", help="YYYY-MM: the month counted (capitation) or the fiscal "
                                                         "year's last month (year-end)")
        start.add_argument("--note", default="")
        start.add_argument("--user", required=True, help="the officer starting the round")
        compute = action.add_parser("compute", help="compute a round (on the batch engine for ip and fee)")
        compute.add_argument("round", type=int)
        compute.add_argument("--user", required=True)
        compute.add_argument("--workers", type=int, default=1)
        advance = action.add_parser("advance", help="check, approve or publish a round (its next step)")
        advance.add_argument("round", type=int)
        advance.add_argument("--user", required=True)
        advance.add_argument("--note", default="")
        show = action.add_parser("show", help="a round's totals, budget years, held claims and history")
        show.add_argument("round", type=int)
        listing = action.add_parser("list", help="rounds, newest first")
        listing.add_argument("--region", type=int)
        listing.add_argument("--kind", choices=KINDS)
        statement = what.add_parser("statement", help="a unit's statement of a round")
        statement.add_argument("unit", help="the unit's 5-digit code")
        statement.add_argument("round", type=int)
        statement.add_argument("--format", choices=("csv", "xlsx", "pdf"), default="csv")
        statement.add_argument("--out", default="", help="file to write (default statement-UNIT-round-N.FORMAT; "
                                                          "'-' for CSV on stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["what"] == "statement":
                self._statement(options)
            else:
                getattr(self, f"_{options['action']}")(options)
        except DomainError as error:
            self.stderr.write(f"{error.code}: {error.message_en}\n{error.code}: {error.message_th}")
            raise SystemExit(1) from None

    # --- helpers ---------------------------------------------------------------------------------------------
    def _user(self, username: str) -> Any:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise DomainError(PaymentError.UNKNOWN_USER, user=username)
        return user

    def _round(self, number: int) -> Any:
        from openuhc.payment.models import PaymentRun

        run = PaymentRun.objects.select_related("scheme", "region").filter(pk=number).first()
        if run is None:
            raise DomainError(PaymentError.UNKNOWN_ROUND, run=number)
        return run

    def _say(self, run: Any) -> None:
        self.stdout.write(f"round {run.pk}\t{run.label}\t{run.kind}\tregion {run.region.number}\t"
                          f"{run.status}\tclaims {run.claims}\tgross {run.gross}\tnet {run.net}")

    # --- rounds ----------------------------------------------------------------------------------------------
    def _start(self, options: dict[str, Any]) -> None:
        from openuhc.geo.models import Region
        from openuhc.payment import services
        from openuhc.registry.models import Scheme

        user = self._user(options["user"])
        scheme = Scheme.objects.filter(code=options["scheme"]).first()
        if scheme is None:
            raise DomainError(PaymentError.UNKNOWN_SCHEME, scheme=options["scheme"])
        region = Region.objects.filter(number=options["region"]).first()
        if region is None:
            raise DomainError(PaymentError.UNKNOWN_REGION, region=options["region"])
        cutoff = parse_date(options["cutoff"]).value if options["cutoff"] else None
        period = _month(options["period"]) if options["period"] else None
        run = services.start_run(actor=user, scheme=scheme, region=region, kind=options["kind"].replace("-", "_"),
                                 cutoff=cutoff, period=period, note=options["note"])
        self._say(run)

    def _compute(self, options: dict[str, Any]) -> None:
        from openuhc.core.jobs import TerminalProgress
        from openuhc.payment import services

        user, run = self._user(options["user"]), self._round(options["round"])
        if run.computed_at is not None:
            raise DomainError(PaymentError.ALREADY_COMPUTED, run=run.pk, checksum=run.checksum[:16])
        with TerminalProgress() as progress:
            run = services.compute(actor=user, run=run, workers=options["workers"], progress=progress)
        self._say(run)
        self.stdout.write(f"checksum {run.checksum}")

    def _advance(self, options: dict[str, Any]) -> None:
        from openuhc.payment import services

        run = services.advance(actor=self._user(options["user"]), run=self._round(options["round"]),
                               note=options["note"])
        self._say(run)

    def _show(self, options: dict[str, Any]) -> None:
        run = self._round(options["round"])
        self._say(run)
        for name, value in (("period", f"{run.period:%Y-%m}"), ("cutoff", run.cutoff or "-"),
                            ("configuration", run.budget_version or "-"), ("checksum", run.checksum or "-")):
            self.stdout.write(f"{name}\t{value}")
        for year in run.summary.get("years", []):
            self.stdout.write(f"FY{year['fiscal_year']}\tclaims {year['claims']}\tlate {year.get('late', 0)}\t"
                              f"payable AdjRW {year['adjrw']}\tbudget {year['budget']}\tspent before "
                              f"{year['spent']}\trate {year['rate']}{' (floated)' if year['floated'] else ''}\t"
                              f"total {year['total']}")
        for reason, years in sorted((run.summary.get("held") or {}).items()):
            for fy, count in sorted(years.items()):
                self.stdout.write(f"held\t{reason}\tFY{fy}\t{count}")
        for event in run.events.select_related("actor").order_by("at", "id"):
            self.stdout.write(f"event\t{event.at:%Y-%m-%d %H:%M}\t{event.action}\t"
                              f"{getattr(event.actor, 'username', '-')}\t{event.note}")

    def _list(self, options: dict[str, Any]) -> None:
        from openuhc.payment.models import PaymentRun

        runs = PaymentRun.objects.select_related("region").order_by("-period", "-number", "-id")
        if options.get("region"):
            runs = runs.filter(region__number=options["region"])
        if options.get("kind"):
            runs = runs.filter(kind=options["kind"].replace("-", "_"))
        for run in runs[:500]:
            self._say(run)

    # --- statements ------------------------------------------------------------------------------------------
    def _statement(self, options: dict[str, Any]) -> None:
        from openuhc.core.exports import csv_writer, pdf_bytes, xlsx_bytes
        from openuhc.payment import statements
        from openuhc.providers.models import HealthUnit

        unit = HealthUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            from openuhc.providers.errors import ProviderError

            raise DomainError(ProviderError.UNKNOWN_UNIT, code=options["unit"])
        run = self._round(options["round"])
        context = statements.round_statement(unit=unit, run=run)
        if not context["payments"]:
            raise DomainError(PaymentError.NOT_IN_ROUND, unit=unit.code, run=run.pk)
        context.update(month_label=f"{run.label} · {run.get_kind_display()}", month=f"{run.period:%Y-%m}")
        fmt = options["format"]
        out = options["out"] or f"statement-{unit.code}-round-{run.pk}.{fmt}"
        if fmt == "csv":
            handle = sys.stdout if out == "-" else Path(out).open("w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            try:
                writer = csv_writer(handle)
                writer.writerow(statements.claim_header())
                writer.writerows(statements.claim_row(c) for c in context["claims"])
            finally:
                if handle is not sys.stdout:
                    handle.close()
        elif fmt == "xlsx":
            Path(out).write_bytes(xlsx_bytes(statements.sheets(context)))
        else:
            Path(out).write_bytes(pdf_bytes("payment/statement_pdf.html", context))
        if out != "-":
            self.stdout.write(f"{out}\tnet {context['totals']['net']}")


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.strip().split("-")[:2])
        if year > 2400:  # a Buddhist Era year
            year -= 543
        return date(year, month, 1)
    except ValueError:
        raise DomainError(PaymentError.BAD_PERIOD) from None
