"""Checking a submission without storing it: read, validate, report. Used by `openuhc claims check`, by the
store path (services.process_submission) and by the benchmark."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openuhc.claims import rules
from openuhc.claims.errors import FILE_LEVEL
from openuhc.claims.problems import Problem
from openuhc.claims.reader import Limits, ParsedSubmission, read_submission
from openuhc.core import params


def limits_on(on: date) -> Limits:
    return Limits(max_total_bytes=params.get("claims.zip_max_unpacked_mb", on=on) * 1024 * 1024,
                  max_members=params.get("claims.zip_max_members", on=on),
                  max_ratio=params.get("claims.zip_max_ratio", on=on),
                  max_bad_lines=params.get("claims.max_bad_lines", on=on))


@dataclass
class Checked:
    parsed: ParsedSubmission
    ctx: rules.CheckContext | None
    file_problems: list[Problem] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.parsed.usable and not any(p.error in FILE_LEVEL for p in self.file_problems)

    def problems(self) -> Iterator[Problem]:
        yield from self.file_problems
        if self.ctx is not None:
            yield from rules.iter_problems(self.ctx)
        else:
            yield from self.parsed.problems

    def summary(self) -> dict[str, Any]:
        counts: dict[str, int] = {}
        by_code: dict[str, int] = {}
        total = 0
        for problem in self.problems():
            total += 1
            by_code[problem.code] = by_code.get(problem.code, 0) + 1
        rejected: dict[str, int] = {"OP": 0, "IP": 0}
        if self.ctx is not None and self.usable:
            counts = rules.claim_counts(self.ctx)
            for kind, n in self.ctx.con.execute("""
                    SELECT c.kind, count(DISTINCT c."key") FROM claims c JOIN problems p
                    ON (p.kind = c.kind AND p."key" = c."key") OR (p.hn IS NOT NULL AND p.hn = c.hn)
                    WHERE p.code IN (SELECT unnest(?)) GROUP BY c.kind""", [blocking_codes()]).fetchall():
                rejected[kind] = n
        return {"usable": self.usable, "files": sorted(self.parsed.files), "encodings": self.parsed.encodings,
                "rows": self.parsed.row_count, "op_visits": counts.get("OP", 0), "admissions": counts.get("IP", 0),
                "rejected_op": rejected["OP"], "rejected_ip": rejected["IP"], "problems": total,
                "problems_by_code": dict(sorted(by_code.items())),
                "tables_missing": bool(self.ctx and self.ctx.tables_missing)}


def blocking_codes() -> list[str]:
    from openuhc.claims.errors import ClaimError

    return [e.code for e in ClaimError if e.klass in ("fix", "deny")]


@contextmanager
def check(path: Path | str, *, unit_code: str = "", received_on: date | None = None, encoding: str | None = None,
          encodings: dict[str, str] | None = None, only_rules: list[str] | None = None,
          on_bytes: Callable[[int], None] | None = None, on_rule: Callable[[str], None] | None = None
          ) -> Iterator[Checked]:
    """Read and validate; the result lives until the with-block ends (its work folder is then removed)."""
    from openuhc.core.dates import today

    received_on = received_on or today()
    parsed = read_submission(path, limits=limits_on(received_on), encoding=encoding, encodings=encodings,
                             on_bytes=on_bytes)
    try:
        checked = Checked(parsed=parsed, ctx=None)
        if parsed.usable:
            rules.prepare(parsed)
            ctx = rules.CheckContext(parsed=parsed, received_on=received_on, unit_code=unit_code)
            checked.ctx = ctx
            checked.file_problems = rules.file_problems(ctx) + rules.key_problems(ctx)
            if checked.usable:
                if not rules.claim_counts(ctx):
                    from openuhc.claims.errors import ClaimError

                    checked.file_problems.append(Problem(ClaimError.NO_CLAIMS))
                else:
                    ctx.period = rules.service_period(parsed)
                    rules.run_rules(ctx, only=only_rules, progress=on_rule)
        yield checked
    finally:
        parsed.close()
