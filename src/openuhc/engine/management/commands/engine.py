"""`openuhc engine start|resume|work|runs` — batch runs on the in-process engine."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openuhc.core.errors import DomainError
from openuhc.core.jobs import TerminalProgress
from openuhc.engine import runner
from openuhc.engine.models import Run


class Command(BaseCommand):
    help = "Start, resume and list batch runs (chunks with leases; a killed run resumes where it stopped)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        start = sub.add_parser("start", help="start a run of a registered function over a Parquet file")
        start.add_argument("function")
        start.add_argument("input")
        start.add_argument("--params", default="{}", help="JSON parameters of the function")
        start.add_argument("--rows-per-chunk", type=int, default=runner.DEFAULT_ROWS_PER_CHUNK)
        start.add_argument("--workers", type=int, default=None)
        resume = sub.add_parser("resume", help="finish a run (takes back chunks of a killed worker)")
        resume.add_argument("run")
        resume.add_argument("--workers", type=int, default=None)
        work = sub.add_parser("work", help="finish every unfinished run")
        work.add_argument("--workers", type=int, default=None)
        sub.add_parser("runs", help="list the runs")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "runs":
                for run in Run.objects.all()[:50]:
                    done = run.chunks.filter(state="done").count()
                    self.stdout.write(f"{run.pk}  {run.function:<14} {run.status:<8} {done}/{run.total_chunks} chunks  "
                                      f"{run.total_rows:,} rows  {run.output_checksum[:12]}")
                return
            if action == "start":
                try:
                    params = json.loads(options["params"])
                except json.JSONDecodeError as error:
                    raise CommandError(f"--params is not JSON: {error}") from None
                run = runner.start(options["function"], options["input"], params=params,
                                   rows_per_chunk=options["rows_per_chunk"])
                self.stdout.write(f"run {run.pk}: {run.total_chunks} chunks")
                self._finish(run, options["workers"])
            elif action == "resume":
                run = Run.objects.filter(pk=options["run"]).first() if _uuid(options["run"]) else None
                if run is None:
                    raise CommandError(f"No run {options['run']}.")
                self._finish(run, options["workers"])
            else:
                for run in Run.objects.exclude(status=Run.Status.DONE).order_by("created_at"):
                    self._finish(run, options["workers"])
        except DomainError as error:
            raise CommandError(error.message_en) from None

    def _finish(self, run: Run, workers: int | None) -> None:
        with TerminalProgress() as progress:
            run = runner.resume(run, workers=workers, progress=progress)
        self.stdout.write(f"run {run.pk} {run.status}: {run.output_path} sha256 {run.output_checksum}")


def _uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
