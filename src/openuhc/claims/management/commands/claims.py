"""`openuhc claims check PATH [--report FILE.csv]` and `openuhc claims submit PATH --unit HCODE`.

check: reads and validates a submission (zip or folder) without storing anything; prints a summary; writes
every problem to the report (file, line, field, code, message_th, message_en); exits 0 when clean, 1 when
problems were found, 2 when the input is unusable (a missing file, an unreadable zip, a wrong encoding ...).
submit: keeps the original bytes and stores every claim, accepted or rejected, with its problems.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openuhc.claims import services
from openuhc.claims.checking import check
from openuhc.claims.problems import REPORT_HEADER
from openuhc.core.dates import parse_date
from openuhc.core.errors import DomainError
from openuhc.core.exports import csv_writer
from openuhc.core.jobs import TerminalProgress


class _Bytes:
    def __init__(self, bar: TerminalProgress) -> None:
        self.bar = bar

    def __call__(self, count: int) -> None:
        self.bar.advance(count)


class Command(BaseCommand):
    help = "Check (without storing) or submit a claim submission in the 16/17-file format."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        checking = sub.add_parser("check", help="check a submission, store nothing")
        checking.add_argument("path", help="a .zip or a folder of the claim text files")
        checking.add_argument("--report", default="", help="write every problem to this CSV file")
        checking.add_argument("--unit", default="", help="the sending unit's 5-digit code (HCODE)")
        checking.add_argument("--encoding", default=None, help="declare the encoding (utf-8, tis-620, cp874)")
        checking.add_argument("--received", default="", help="the day of receipt (BE or CE; default today)")
        checking.add_argument("--json", action="store_true", help="print the summary as JSON")
        submit = sub.add_parser("submit", help="store a submission for a unit")
        submit.add_argument("path")
        submit.add_argument("--unit", required=True, help="the sending unit's 5-digit code (HCODE)")
        submit.add_argument("--user", default="", help="record the submission as sent by this user")
        submit.add_argument("--encoding", default=None)
        sub.add_parser("recover", help="mark submissions whose check was interrupted as failed (and drop their files)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["what"] == "check":
            code = self._check(options)
        elif options["what"] == "recover":
            found = services.recover_interrupted()
            for submission in found:
                self.stdout.write(f"{submission.pk}\t{submission.unit_id}\t{submission.file_name}\tfailed: "
                                  f"{submission.error_message.split(' / ')[0]}")
            self.stdout.write(f"{len(found)} interrupted submission(s) marked failed.")
            code = 0
        else:
            code = self._submit(options)
        if code:
            raise SystemExit(code)

    def _check(self, options: dict[str, Any]) -> int:
        received = parse_date(options["received"]).value if options["received"] else None
        path = Path(options["path"])
        if path.is_dir():
            size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        else:
            size = path.stat().st_size if path.is_file() else 0
        with TerminalProgress() as bar:
            bar.stage("reading", size or None)
            with check(path, unit_code=options["unit"], received_on=received, encoding=options["encoding"],
                       on_bytes=_Bytes(bar), on_rule=lambda name: bar.stage(f"check: {name}")) as checked:
                count = 0
                report = Path(options["report"]).open("w", encoding="utf-8-sig", newline="") \
                    if options["report"] else None  # noqa: SIM115 - closed below, after streaming every problem
                try:
                    writer = csv_writer(report) if report else None
                    if writer:
                        writer.writerow(REPORT_HEADER)
                    for problem in checked.problems():
                        count += 1
                        if writer:
                            writer.writerow(problem.row())
                finally:
                    if report:
                        report.close()
                summary = checked.summary()
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, default=str))
        else:
            self._print_summary(summary)
        if not summary["usable"]:
            return 2
        return 1 if count else 0

    def _print_summary(self, s: dict[str, Any]) -> None:
        self.stdout.write(f"files: {', '.join(s['files']) or '-'}")
        self.stdout.write(f"rows read: {s['rows']:,}")
        self.stdout.write(f"OP visits: {s['op_visits']:,} (rejected {s['rejected_op']:,}); "
                          f"admissions: {s['admissions']:,} (rejected {s['rejected_ip']:,})")
        self.stdout.write(f"problems: {s['problems']:,}")
        for code, n in s["problems_by_code"].items():
            self.stdout.write(f"  {code}: {n:,}")
        if s["tables_missing"]:
            self.stdout.write("note: no code tables are installed; diagnosis and procedure codes were checked for "
                              "format only (openuhc tables install PATH)")
        if not s["usable"]:
            self.stdout.write("the submission is unusable: nothing in it can be read as claims")

    def _submit(self, options: dict[str, Any]) -> int:
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user {options['user']!r}.")
        try:
            with TerminalProgress() as bar:
                submission = services.submit(options["path"], unit_code=options["unit"], actor=actor,
                                             channel="cli", progress=bar, encoding=options["encoding"])
        except DomainError as error:
            raise CommandError(error.message_en) from None
        self.stdout.write(f"submission {submission.pk}: {submission.status}; OP {submission.op_count:,}, "
                          f"IP {submission.ip_count:,}; accepted {submission.accepted_count:,}, rejected "
                          f"{submission.rejected_count:,}, replaced {submission.replaced_count:,}; problems "
                          f"{submission.problem_count:,}; sha256 {submission.sha256}")
        return 2 if submission.status == "unusable" else (1 if submission.rejected_count else 0)
