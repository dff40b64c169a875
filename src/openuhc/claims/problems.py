"""One problem found in a submission: (file, line, field, code, Thai message, English message)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from string import Formatter
from typing import Any

from openuhc.claims.errors import ClaimError
from openuhc.core.errors import present
from openuhc.core.exports import csv_text

REPORT_HEADER = ["file", "line", "field", "code", "message_th", "message_en"]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render(error: ClaimError, language: str, params: dict[str, Any]) -> str:
    """The message in a language; placeholders without a value print as nothing rather than failing."""
    template = error.th if language.startswith("th") else error.en
    values = _Blank({k: ("" if v is None else present(v, language)) for k, v in params.items()})
    if "detail_th" not in values and "detail" in values:
        values["detail_th"] = values["detail"]
    return template.format_map(values)


@dataclass
class Problem:
    error: ClaimError
    file: str = ""
    line: int | None = None
    field: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)
    kind: str = ""  # "OP" or "IP" when the problem belongs to one claim
    key: str = ""  # its SEQ or AN
    hn: str = ""  # for PAT/INS rows: every claim of this patient

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def klass(self) -> str:
        return self.error.klass

    @property
    def message_th(self) -> str:
        return render(self.error, "th", {"file": self.file, "field": self.field, **self.params})

    @property
    def message_en(self) -> str:
        return render(self.error, "en", {"file": self.file, "field": self.field, **self.params})

    def row(self) -> list[Any]:
        return [self.file, self.line or "", self.field, self.code, self.message_th, self.message_en]


def report_csv(problems: Iterable[Problem]) -> str:
    return csv_text(REPORT_HEADER, (problem.row() for problem in problems))


def render_sql(error: ClaimError, language: str, values: dict[str, str]) -> str:
    """`render` as a DuckDB SQL expression, for messages built over a whole table at once: the template's text
    with each placeholder replaced by the SQL expression `values` gives for it (text, already as `present` shows
    it; NULL prints as nothing, as does a placeholder `values` does not name)."""
    template = error.th if language.startswith("th") else error.en
    parts: list[str] = []
    for literal, name, spec, conversion in Formatter().parse(template):
        if literal:
            parts.append("'" + literal.replace("'", "''") + "'")
        if name is not None:
            if spec or conversion:  # no template has one; a new one would need `render`'s own formatting
                raise ValueError(f"{error.code}: a placeholder with a format ({name}) has no SQL form")
            parts.append(values.get(name, "NULL"))
    return f"concat({', '.join(parts)})" if parts else "''"
