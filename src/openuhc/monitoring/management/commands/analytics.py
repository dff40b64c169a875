"""`openuhc analytics refresh` — rebuild the analytics store (cron it nightly; runs also refresh it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from openuhc.core.jobs import TerminalProgress
from openuhc.monitoring import facts, services


class Command(BaseCommand):
    help = "Refresh the analytics store (Parquet facts read by the dashboards)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        refresh = sub.add_parser("refresh", help="re-extract every fact and swap it in whole")
        refresh.add_argument("--only", action="append", choices=sorted(facts.FACTS),
                             help="refresh only this fact (repeatable)")
        sub.add_parser("status", help="the facts in the store and the last refreshes")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            from openuhc.monitoring import store
            from openuhc.monitoring.models import StoreRefresh

            self.stdout.write(f"store: {store.store_dir()}")
            for name in store.facts_present():
                self.stdout.write(f"  fact {name}")
            for r in StoreRefresh.objects.all()[:5]:
                self.stdout.write(f"  {r.started_at:%Y-%m-%d %H:%M} {r.status} {r.rows} {r.error}")
            return
        with TerminalProgress() as progress:
            record = services.refresh(only=options.get("only"), trigger="command", progress=progress)
        for name, rows in record.rows.items():
            self.stdout.write(f"{name}: {rows} rows")
        self.stdout.write(f"refreshed {record.first_month}..{record.last_month} in {record.seconds:.1f} s")
