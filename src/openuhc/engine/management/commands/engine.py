"""`openuhc engine start|resume|work|runs|spark-check` — batch runs, in-process or on Apache Spark."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openuhc.core.errors import DomainError
from openuhc.core.jobs import TerminalProgress
from openuhc.engine import runner
from openuhc.engine.models import Run
from openuhc.engine.options import add_runner_arguments, runner_options


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
        add_runner_arguments(start)
        resume = sub.add_parser("resume", help="finish a run (takes back chunks of a killed worker)")
        resume.add_argument("run")
        resume.add_argument("--workers", type=int, default=None)
        add_runner_arguments(resume)
        work = sub.add_parser("work", help="finish every unfinished run")
        work.add_argument("--workers", type=int, default=None)
        add_runner_arguments(work)
        sub.add_parser("runs", help="list the runs")
        check = sub.add_parser("spark-check", help="run the self-test on Spark and compare it with the in-process run")
        check.add_argument("--master", default=None, help="Spark master (default: OPENUHC_SPARK_MASTER)")
        check.add_argument("--rows", type=int, default=20_000)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "runs":
                for run in Run.objects.all()[:50]:
                    done = run.chunks.filter(state="done").count()
                    self.stdout.write(f"{run.pk}  {run.function:<14} {run.status:<8} {done}/{run.total_chunks} chunks  "
                                      f"{run.total_rows:,} rows  {run.output_checksum[:12]}  {run.runner}")
                return
            if action == "spark-check":
                self._spark_check(options)
                return
            if action == "start":
                try:
                    params = json.loads(options["params"])
                except json.JSONDecodeError as error:
                    raise CommandError(f"--params is not JSON: {error}") from None
                run = runner.start(options["function"], options["input"], params=params,
                                   rows_per_chunk=options["rows_per_chunk"])
                self.stdout.write(f"run {run.pk}: {run.total_chunks} chunks")
                self._finish(run, options)
            elif action == "resume":
                run = Run.objects.filter(pk=options["run"]).first() if _uuid(options["run"]) else None
                if run is None:
                    raise CommandError(f"No run {options['run']}.")
                self._finish(run, options)
            else:
                for run in Run.objects.exclude(status=Run.Status.DONE).order_by("created_at"):
                    self._finish(run, options)
        except DomainError as error:
            raise CommandError(error.message_en) from None

    def _finish(self, run: Run, options: dict[str, Any]) -> None:
        with TerminalProgress() as progress:
            run = runner.resume(run, workers=options["workers"], progress=progress, **runner_options(options))
        self.stdout.write(f"run {run.pk} {run.status}: {run.output_path} sha256 {run.output_checksum}")

    def _spark_check(self, options: dict[str, Any]) -> None:
        from openuhc.engine import spark

        master = options["master"] or spark.default_master()
        self.stdout.write(f"Starting Apache Spark ({master}) …")
        result = spark.check(master, rows=options["rows"])
        self.stdout.write(f"in-process  sha256 {result['local']}  ({result['local_seconds']:.1f} s)")
        self.stdout.write(f"spark       sha256 {result['spark']}  ({result['spark_seconds']:.1f} s, {result['chunks']} "
                          f"chunks)")
        self.stdout.write(self.style.SUCCESS(f"Spark at {master} computes the same bytes as this machine."))


def _uuid(text: str) -> bool:
    import uuid

    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
