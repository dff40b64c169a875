"""`openuhc jobs run JOB_ID`: run one page-started job (an import, a claims check) in this process.

The web server starts it (OPENUHC_JOBS_MODE=process); an operator may run it again for a job left queued."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openuhc.core import jobs
from openuhc.core.models import Job


class Command(BaseCommand):
    help = "Run a page-started job (import, claims check) in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="run one job")
        run.add_argument("job_id")

    def handle(self, *args: Any, **options: Any) -> None:
        job = Job.objects.filter(pk=options["job_id"]).first()
        if job is None:
            raise CommandError(f"There is no job {options['job_id']}.")
        if job.status != Job.Status.QUEUED:
            raise CommandError(f"Job {job.pk} is {job.status}, not queued: it ran already.")
        jobs.run_in_this_process(job.pk)
        job.refresh_from_db()
        self.stdout.write(f"{job.pk} {job.status}")
