"""Schemathesis against /api/openapi.json: requests generated from the schema, valid and invalid, find no 5xx,
and every answer has a status, a content type and a body that the document promises.

Bounded to stay within CI time: a fixed number of examples per operation and mode, derandomised (the same
requests on every run), no shrinking. Every failure is collected and reported with its curl command, so one
run shows them all. Run it alone with `python3 run.py test -k api_fuzz`.

Schemathesis' pytest plugin does not run under pytest 9 (it reads a private attribute pytest no longer has),
so the operations are walked here with Hypothesis directly; the checks are schemathesis' own.
"""

from __future__ import annotations

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from openuhc.accounts.services import issue_token

EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def known_records(world, tmp_path) -> dict[str, str | int]:
    """Records that exist, so that generated requests also reach the code behind a found record (a random id
    mostly meets a 404 first)."""
    from openuhc.claims import services as claims
    from openuhc.claims.tests.conftest import clean_builder
    from openuhc.rights.tests.conftest import at, open_complaint

    submission = claims.submit(clean_builder(world).write(tmp_path / "s"), unit_code="56001", actor=None)
    case = open_complaint(world, now=at("2026-03-02 09:00"))
    return {"person_id": world.people["a"].pk, "pk": submission.pk, "number": case.number,
            "code:/api/v1/units/": "56001", "code:/api/v1/payment/": "56001", "code:/api/v1/funds/": world.fund.code,
            "code:/api/v1/monitoring/": "coverage_rate"}


def _known_path(operation, known: dict[str, str | int]) -> dict[str, str | int]:
    names = [p.name for p in operation.path_parameters]
    found = {}
    for name in names:
        value = known.get(name)
        value = value if value is not None else next(
            (v for k, v in known.items() if k.startswith(f"{name}:") and operation.path.startswith(k.split(":", 1)[1])),
            None)
        if value is not None:
            found[name] = value
    return found


def test_the_api_answers_every_generated_request_without_a_server_error(world, tmp_path):
    from openuhc.wsgi import application

    _row, token = issue_token(user=world.users["national"], name="schemathesis")
    headers = {"Authorization": f"Bearer {token}"}
    known = known_records(world, tmp_path)
    failures: list[str] = []
    # Requests go to the WSGI application itself, whose end-of-request signal closes a connection that is
    # inside a transaction (the test's): switched off as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 20, "the API document lost operations"
        for operation in operations:
            path = _known_path(operation, known)
            for mode, count in EXAMPLES.items():
                _explore(operation, mode, count, headers, failures)
                if path:
                    _explore(operation, mode, count, headers, failures, path=path)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    report = sorted(set(failures))
    print("\n".join(report))  # noqa: T201 - the whole list, for `pytest -s`
    assert not report, f"{len(report)} failures, first: {report[:5]}"


def _explore(operation, mode: GenerationMode, count: int, headers: dict[str, str], failures: list[str],
             path: dict[str, str | int] | None = None) -> None:
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path))
    @settings(max_examples=count, derandomize=True, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every failure is reported at the end
            found = error.exceptions if isinstance(error, BaseExceptionGroup) else [error]
            for failure in found:
                first_line = (str(failure).strip().splitlines() or [""])[0]
                failures.append(f"{operation.label} [{mode.value}] {type(failure).__name__}: {first_line[:200]}"
                                f" · {case.as_curl_command(headers={'Authorization': '...'})[-300:]}")

    run()
